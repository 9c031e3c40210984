"""The float sort's paths, bit for bit against NumPy's stable sort: chunks with and without NaNs
(the key build without a branch, and the rebuild that moves a chunk's NaNs to its tail), NaNs
of both signs and several payloads, runs of -0.0 and 0.0, infinities, contiguous and strided
lanes, sizes around the threaded threshold (two chunks from 2 * 2^16 elements, four from 4 *
2^16), and 1, 2 and 4 threads (one chunk, one merge round, two)."""
import numpy as np
import pytest

import numfuse as nf

CHUNK = 1 << 16


def nan_with_payload(dtype, payload, negative):
    bits = np.array([np.nan], dtype=dtype).view(f"u{np.dtype(dtype).itemsize}")
    bits |= payload
    if negative:
        bits |= np.array(1, bits.dtype) << (8 * bits.itemsize - 1)
    return bits.view(dtype)[0]


def table(dtype, n, nan_where, seed):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(n).astype(dtype)
    a[rng.integers(0, n, n // 50)] = 0.0
    a[rng.integers(0, n, n // 50)] = -0.0
    a[rng.integers(0, n, 20)] = np.inf
    a[rng.integers(0, n, 20)] = -np.inf
    nans = [nan_with_payload(dtype, p, neg) for p in (1, 2, 3) for neg in (False, True)]
    spots = {"none": [], "first chunk": rng.integers(0, CHUNK // 2, 40),
             "last chunk": rng.integers(n - CHUNK // 2, n, 40), "everywhere": rng.integers(0, n, n // 20)}[nan_where]
    for k, i in enumerate(spots):
        a[i] = nans[k % len(nans)]
    return a


def assert_same_bits(ours, expected):
    got, expected = np.asarray(ours), np.asarray(expected)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    unsigned = f"u{expected.itemsize}"
    np.testing.assert_array_equal(got.view(unsigned), expected.view(unsigned))


@pytest.fixture(params=[1, 2, 4])
def threads(request):
    previous = nf.get_num_threads()
    nf.set_num_threads(request.param)
    yield request.param
    nf.set_num_threads(previous)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("nan_where", ["none", "first chunk", "last chunk", "everywhere"])
@pytest.mark.parametrize("n", [2 * CHUNK - 1, 2 * CHUNK, 4 * CHUNK + 3])
def test_float_sort_is_numpys_stable_sort_bit_for_bit(threads, dtype, nan_where, n):
    a = table(dtype, n, nan_where, seed=n)
    assert_same_bits(nf.sort(nf.asarray(a)), np.sort(a, kind="stable"))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_strided_and_two_d_float_lanes(threads, dtype):
    a = table(dtype, 4 * CHUNK + 2, "everywhere", seed=7)
    assert_same_bits(nf.sort(nf.asarray(a)[::2]), np.sort(a[::2], kind="stable"))
    no_nan = table(dtype, 4 * CHUNK + 2, "none", seed=8)
    assert_same_bits(nf.sort(nf.asarray(no_nan)[1::2]), np.sort(no_nan[1::2], kind="stable"))
    two_d = no_nan.reshape(2, -1)
    assert_same_bits(nf.sort(nf.asarray(two_d), axis=1), np.sort(two_d, axis=1, kind="stable"))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_only_nans_and_only_zeros(threads, dtype):
    n = 2 * CHUNK + 5
    nans = np.array([nan_with_payload(dtype, 1 + i % 5, i % 3 == 0) for i in range(n)], dtype=dtype)
    assert_same_bits(nf.sort(nf.asarray(nans)), np.sort(nans, kind="stable"))
    zeros = np.zeros(n, dtype)
    zeros[np.random.default_rng(3).integers(0, n, n // 2)] = -0.0
    assert_same_bits(nf.sort(nf.asarray(zeros)), np.sort(zeros, kind="stable"))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_extreme_magnitudes_keep_their_order(threads, dtype):
    # The sort key flips every bit but the sign of a negative float: its order must hold at both
    # ends of each sign (subnormals next to the zeros, the largest finite next to the infinities).
    info = np.finfo(dtype)
    unsigned = f"u{np.dtype(dtype).itemsize}"
    tiny = np.array([1, 2, 3], unsigned).view(dtype)  # the smallest subnormals
    specials = np.concatenate([tiny, -tiny, [info.smallest_normal, -info.smallest_normal, info.max, -info.max,
                                             np.nextafter(info.max, 0), -np.nextafter(info.max, 0),
                                             np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0]]).astype(dtype)
    rng = np.random.default_rng(11)
    a = rng.choice(specials, 2 * CHUNK + 9)
    a[rng.integers(0, a.size, 30)] = nan_with_payload(dtype, 5, True)
    assert_same_bits(nf.sort(nf.asarray(a)), np.sort(a, kind="stable"))
