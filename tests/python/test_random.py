"""nf.random.default_rng: reproducibility, ranges, distributions (statistical tolerances on 10^6
samples) and NumPy's exception types for bad arguments.

Tolerances are 6 standard errors: a correct generator fails one of these checks with
probability ~1e-9, a biased one (a wrong scale, an off-by-one range, modulo bias) fails them
every time.
"""
import math

import numpy as np
import pytest

import numfuse as nf

N = 10**6
SIGMAS = 6.0


def as_np(a):
    return np.asarray(a)


def assert_mean_var(x, mean, var, fourth_central_moment):
    """Sample mean and variance within SIGMAS standard errors of the true values."""
    x = np.asarray(x, dtype=np.float64)
    n = x.size
    assert abs(x.mean() - mean) < SIGMAS * math.sqrt(var / n), x.mean()
    var_se = math.sqrt((fourth_central_moment - var**2) / n)
    assert abs(x.var() - var) < SIGMAS * var_se, x.var()


def chi_square_uniform(counts):
    expected = counts.sum() / counts.size
    return float(((counts - expected) ** 2 / expected).sum())


def chi_square_bound(dof):
    # Wilson-Hilferty: chi2 quantile at z = 6 standard normals (p ~ 1e-9).
    return dof * (1 - 2 / (9 * dof) + SIGMAS * math.sqrt(2 / (9 * dof))) ** 3


# ---- reproducibility ----------------------------------------------------------------------------

@pytest.mark.parametrize("draw", [
    lambda g: g.random(100),
    lambda g: g.random(100, dtype=np.float32),
    lambda g: g.normal(1.0, 2.0, 100),
    lambda g: g.uniform(-3, 5, 100),
    lambda g: g.integers(-7, 1000, 100),
    lambda g: g.integers(0, 256, 100, dtype=np.uint8),
])
def test_same_seed_same_stream_other_seed_other_stream(draw):
    first = as_np(draw(nf.random.default_rng(1234)))
    np.testing.assert_array_equal(first, as_np(draw(nf.random.default_rng(1234))))
    assert not np.array_equal(first, as_np(draw(nf.random.default_rng(1235))))


def test_stream_continues_across_calls_and_seed_forms():
    g = nf.random.default_rng(7)
    a, b = as_np(g.random(5)), as_np(g.random(5))
    assert not np.array_equal(a, b)
    np.testing.assert_array_equal(as_np(nf.random.default_rng(7).random(10)), np.concatenate([a, b]))
    assert nf.random.default_rng(g) is g
    big = [as_np(nf.random.default_rng(s).random(4)) for s in (2**64 + 1, 2**200, [1, 2], [1, 3], np.int64(1))]
    for i in range(len(big)):
        for j in range(i):
            assert not np.array_equal(big[i], big[j])
    np.testing.assert_array_equal(as_np(nf.random.default_rng([1, 2]).random(4)), big[2])
    assert not np.array_equal(as_np(nf.random.default_rng().random(4)),
                              as_np(nf.random.default_rng().random(4)))  # fresh OS entropy


# ---- shapes and return types --------------------------------------------------------------------

def test_scalar_and_array_results_match_numpys_kinds():
    g, r = nf.random.default_rng(0), np.random.default_rng(0)
    assert type(g.random()) is type(r.random()) is float
    assert type(g.normal()) is type(r.normal()) is float
    assert type(g.uniform()) is type(r.uniform()) is float
    assert type(g.integers(5)) is type(r.integers(5))  # np.int64
    assert type(g.integers(5, dtype=np.uint8)) is type(r.integers(5, dtype=np.uint8))
    for size in [(), 3, (2, 3), (0, 4), [2, 1]]:
        assert g.random(size).shape == r.random(size).shape
        assert g.integers(0, 9, size).shape == r.integers(0, 9, size).shape
    assert g.random(3, dtype=np.float32).dtype == np.float32
    assert g.integers(0, 9, 3, dtype=np.int16).dtype == np.int16


def test_array_parameters_broadcast_like_numpy():
    g, r = nf.random.default_rng(0), np.random.default_rng(0)
    assert g.normal([0.0, 10.0, 100.0], 1.0).shape == r.normal([0.0, 10.0, 100.0], 1.0).shape
    assert g.normal(0.0, [1.0, 2.0], size=(4, 2)).shape == (4, 2)
    assert g.uniform([[0.0], [1.0]], [2.0, 3.0, 4.0]).shape == (2, 3)
    # Each column follows its own parameters.
    x = as_np(g.normal([0.0, 100.0], [1.0, 0.01], size=(N // 10, 2)))
    assert abs(x[:, 0].mean()) < 0.02 and abs(x[:, 1].mean() - 100.0) < 0.001
    assert abs(x[:, 1].std() - 0.01) < 0.001
    u = as_np(g.uniform([0.0, 10.0], [1.0, 11.0], size=(1000, 2)))
    assert (u[:, 0] < 1.0).all() and (u[:, 1] >= 10.0).all()


def test_out_argument_fills_in_place():
    g = nf.random.default_rng(3)
    out = nf.zeros((4, 5))
    assert g.random(out=out) is out
    x = as_np(out)
    assert ((x >= 0) & (x < 1)).all() and len(np.unique(x)) == x.size
    with pytest.raises(ValueError):  # NumPy too: out must be contiguous
        g.random(out=nf.zeros((4, 5))[:, ::2])


# ---- distributions ------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype, bits", [(np.float64, 53), (np.float32, 24)])
def test_random_is_uniform_on_half_open_unit_interval(dtype, bits):
    x = as_np(nf.random.default_rng(11).random(N, dtype=dtype))
    assert x.dtype == dtype and x.min() >= 0.0 and x.max() < 1.0
    assert_mean_var(x, 0.5, 1 / 12, 1 / 80)
    # Every value is a multiple of 2^-bits: the generator uses exactly `bits` random bits.
    scaled = x.astype(np.float64) * 2.0**bits
    assert (scaled == np.floor(scaled)).all()
    assert (scaled % 2 == 1).any()  # ...and the lowest of those bits is used
    counts = np.histogram(x, bins=100, range=(0, 1))[0]
    assert chi_square_uniform(counts) < chi_square_bound(99)


def test_uniform_range_and_moments():
    low, high = -2.0, 3.0
    x = as_np(nf.random.default_rng(5).uniform(low, high, N))
    assert x.min() >= low and x.max() < high
    width = high - low
    assert_mean_var(x, (low + high) / 2, width**2 / 12, width**4 / 80)
    reversed_ok = np.random.default_rng(0).uniform(1.0, 1.0, 3)  # zero width is allowed
    assert (as_np(nf.random.default_rng(0).uniform(1.0, 1.0, 3)) == reversed_ok).all()


def test_normal_moments_and_shape_of_the_distribution():
    loc, scale = 3.0, 2.0
    x = as_np(nf.random.default_rng(9).normal(loc, scale, N))
    assert_mean_var(x, loc, scale**2, 3 * scale**4)
    z = (x - loc) / scale
    skew, kurt = (z**3).mean(), (z**4).mean()
    assert abs(skew) < SIGMAS * math.sqrt(15 / N)
    assert abs(kurt - 3.0) < SIGMAS * math.sqrt(96 / N)
    # Mass within 1, 2, 3 sigma: the normal CDF, not just the first moments.
    for k, mass in [(1, 0.682689492), (2, 0.954499736), (3, 0.997300204)]:
        p = (np.abs(z) < k).mean()
        assert abs(p - mass) < SIGMAS * math.sqrt(mass * (1 - mass) / N), (k, p)


@pytest.mark.parametrize("low, high, endpoint, dtype", [
    (0, 10, False, np.int64),
    (-5, 5, True, np.int64),
    (-128, 127, True, np.int8),
    (0, 256, False, np.uint8),
    (0, 2, False, np.bool_),
    (-1000, -990, False, np.int16),
    (0, 7, True, np.uint32),
])
def test_integers_cover_the_range_uniformly(low, high, endpoint, dtype):
    x = as_np(nf.random.default_rng(17).integers(low, high, N, dtype=dtype, endpoint=endpoint))
    assert x.dtype == dtype
    top = high if endpoint else high - 1
    x = x.astype(np.int64)
    assert x.min() == low and x.max() == top  # both ends reached, nothing outside
    counts = np.bincount(x - low, minlength=top - low + 1)
    assert counts.size == top - low + 1
    assert chi_square_uniform(counts) < chi_square_bound(counts.size - 1)


@pytest.mark.parametrize("dtype", [np.int64, np.uint64, np.int32, np.uint16])
def test_integers_full_width_ranges(dtype):
    info = np.iinfo(dtype)
    x = as_np(nf.random.default_rng(2).integers(int(info.min), int(info.max), 10**5, dtype=dtype,
                                                endpoint=True))
    assert x.dtype == dtype
    # The top bit (the sign for signed types) is a fair coin over the full range.
    top_bit = (x < 0) if info.min < 0 else (x > info.max // 2)
    assert abs(top_bit.mean() - 0.5) < SIGMAS * 0.5 / math.sqrt(x.size)


def test_integers_have_no_modulo_bias_on_awkward_ranges():
    # range = 3 * 2^62: plain "x % n" would make the lowest third twice as likely as the rest.
    n = 3 * 2**62
    x = as_np(nf.random.default_rng(4).integers(0, n, N, dtype=np.uint64))
    thirds = np.bincount((x // np.uint64(2**62)).astype(np.int64), minlength=3)
    assert thirds.size == 3
    assert chi_square_uniform(thirds) < chi_square_bound(2)


def test_integers_single_value_range():
    g = nf.random.default_rng(0)
    assert (as_np(g.integers(5, 6, 10)) == 5).all()
    assert (as_np(g.integers(-3, -3, 10, endpoint=True)) == -3).all()
    assert (as_np(g.integers(255, 255, 4, dtype=np.uint8, endpoint=True)) == 255).all()


# ---- bad arguments: NumPy's exception types -----------------------------------------------------

BAD_CALLS = [
    lambda g: g.integers(5, 5),
    lambda g: g.integers(6, 5, endpoint=True),
    lambda g: g.integers(0),
    lambda g: g.integers(-1, 5, dtype=np.uint8),
    lambda g: g.integers(0, 257, dtype=np.uint8),
    lambda g: g.integers(0, 256, dtype=np.uint8, endpoint=True),
    lambda g: g.integers(-129, 0, dtype=np.int8),
    lambda g: g.integers(0, 2**64 + 1, dtype=np.uint64),
    lambda g: g.integers(0, 3, dtype=np.bool_),
    lambda g: g.integers(0, 2, dtype=np.float64),
    lambda g: g.normal(0.0, -1.0),
    lambda g: g.normal(0.0, -0.0),
    lambda g: g.normal(0.0, [1.0, -1.0]),
    lambda g: g.normal([0.0, 1.0], [1.0, 2.0, 3.0]),
    lambda g: g.normal([0.0, 1.0], 1.0, size=3),
    lambda g: g.uniform(1.0, 0.0),
    lambda g: g.uniform(0.0, np.inf),
    lambda g: g.uniform(np.nan, 1.0),
    lambda g: g.uniform(-1e308, 1e308),
    lambda g: g.random(dtype=np.int32),
    lambda g: g.random(dtype=np.float16),
    lambda g: g.random(size=-1),
    lambda g: g.random(size=2.5),
]


@pytest.mark.parametrize("call", BAD_CALLS)
def test_bad_arguments_raise_numpys_exception_type(call):
    with pytest.raises(Exception) as expected:
        call(np.random.default_rng(0))
    with pytest.raises(expected.type):
        call(nf.random.default_rng(0))


@pytest.mark.parametrize("seed", [-1, 1.5, "seed", [1, -2], [1.5]])
def test_bad_seeds_raise_numpys_exception_type(seed):
    with pytest.raises(Exception) as expected:
        np.random.default_rng(seed)
    with pytest.raises(expected.type):
        nf.random.default_rng(seed)


def test_nan_scale_is_allowed_like_numpy():
    assert np.isnan(as_np(nf.random.default_rng(0).normal(0.0, np.nan, 3))).all()


def test_out_write_runs_pending_lazy_readers_first():
    a = nf.arange(4.0)
    doubled = a * 2  # may be pending (lazy); must keep the values of this line
    nf.random.default_rng(0).random(out=a)
    np.testing.assert_array_equal(np.asarray(doubled), [0.0, 2.0, 4.0, 6.0])
