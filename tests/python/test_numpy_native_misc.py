"""Native isclose / allclose / array_equal / array_equiv, interp, packbits / unpackbits,
fromfunction / fromiter / frombuffer, and the ndarray methods view(dtype), flat, fill, tobytes,
byteswap, put, repeat, choose, compress vs NumPy."""
import numpy as np
import pytest

import numfuse as nf
from native_cases import DTYPES, assert_native, assert_same, check, check_call


def test_names_are_native_and_numpy_dispatches_to_them():
    assert_native("isclose", "allclose", "array_equal", "array_equiv", "interp", "packbits",
                  "unpackbits", "fromfunction", "fromiter", "frombuffer")
    fallbacks = set(nf.fallbacks())
    for method in ("view", "flat", "fill", "tobytes", "byteswap", "put", "repeat", "choose",
                   "compress"):
        assert f"ndarray.{method}" not in fallbacks, method
    x = nf.linspace(0.0, 1.0, 5)
    assert isinstance(np.interp(x, x, x), nf.ndarray)
    assert np.allclose(x, x) is True


VALUES = [np.array([1.0, np.nan, np.inf, -np.inf, 1e-9]), np.array([1.0 + 1e-6, np.nan, np.inf, np.inf, 0]),
          1, 1.0, np.array(2), np.arange(5), np.array([True, False, True, True, False]),
          np.array([1 + 1j, 2, 3, 4, 5]), np.float32(1.0), np.arange(5, dtype=np.uint8),
          np.iinfo(np.int64).min, np.arange(5, dtype=np.float32) * 1.0000001]


@pytest.mark.parametrize("a", VALUES, ids=str)
@pytest.mark.parametrize("b", VALUES, ids=str)
def test_closeness_and_equality(a, b):
    for equal_nan in (False, True):
        check("isclose", a, b, equal_nan=equal_nan)
        check("allclose", a, b, equal_nan=equal_nan)
        check("array_equal", a, b, equal_nan=equal_nan)
    check("array_equiv", a, b)


def test_closeness_options_and_shapes():
    f = np.arange(12.0).reshape(3, 4)
    check("isclose", f, f + 1e-3, rtol=np.array([1e-2]), atol=0)
    check("isclose", f, f[0] + 1e-7)
    check("array_equiv", f, f[0])
    check("array_equiv", f, f[:, :1])
    check("array_equiv", f, f[:2])
    check("array_equal", f, f.T)
    check_call(lambda m: m.isclose(m.asarray(f).T, m.asarray(f.T.copy())))
    check("isclose", np.zeros((0, 3)), 1.0)


RNG = np.random.default_rng(1)
XP = np.sort(RNG.random(20)) * 10
FP = RNG.standard_normal(20)
XS = [np.linspace(-1, 11, 301), np.array([np.nan, np.inf, -np.inf, XP[0], XP[-1], XP[5]]), 2.5,
      np.array(3.3), np.arange(5), np.array([], float), np.array([[1.5, 2.5], [3.5, 20.0]]),
      np.linspace(0, 10, 7, dtype=np.float32)]


@pytest.mark.parametrize("x", XS, ids=str)
@pytest.mark.parametrize("options", [{}, {"left": -1, "right": 99}, {"period": 3.7}, {"left": np.nan}],
                         ids=str)
def test_interp(x, options):
    check("interp", x, XP, FP, **options)
    check("interp", x, XP, FP + 1j * FP[::-1], **options)
    check("interp", x, XP[:1], FP[:1], **options)


@pytest.mark.parametrize("args", [
    (np.array([0.0, 1.0, 1.5, 2.0, 3.0]), np.array([0.0, 1.0, 1.0, 2.0]), np.array([0.0, 5.0, 7.0, 3.0])),
    (np.array([0.5, 1.5, 2.5]), np.array([0.0, 1.0, 2.0, 3.0]), np.array([0.0, np.inf, np.inf, -np.inf])),
    (np.array([0.5, 1.5, 2.5]), np.array([0.0, 1.0, 2.0, 3.0]), np.array([np.inf, 1, np.nan, 1])),
    (np.array([0.5, 1.5]), np.array([0, 1, 2]), np.array([1, 2, 4])),
    (np.array([0.5, 1.5], np.float32), np.array([0, 1, 2], np.float32), np.array([1, 2, 4], np.float32)),
    (np.array([-1.0, 0.5]), np.array([0.0, 1.0]), np.array([True, False])),
    (1.0, [], []), (1.0, [1, 2], [1]), (1.0, [[1, 2]], [[1, 2]]), (1j, [1, 2], [1, 2])], ids=str)
def test_interp_special_cases_and_errors(args):
    check("interp", *args)
    check("interp", *args, period=0)
    check("interp", *args, period=2, left=5)


def test_interp_strided_inputs():
    check_call(lambda m: m.interp(m.asarray(np.linspace(0, 9, 40))[::3], m.asarray(XP)[::2],
                                  m.asarray(FP)[::2]))


PACK_INPUTS = [np.array([1, 0, 1, 1, 0, 0, 1, 0, 1, 1]), np.arange(24).reshape(2, 3, 4) % 3,
               np.array([True, False]), np.array(1), np.array([], int), np.array([0.5, 1.0]),
               np.arange(20).reshape(4, 5).T, np.array([-3, 0, 255], np.int16)]


@pytest.mark.parametrize("a", PACK_INPUTS, ids=str)
@pytest.mark.parametrize("axis", [None, 0, 1, -1, 3])
def test_packbits(a, axis):
    for bitorder in ("big", "little", "wrong"):
        check("packbits", a, axis=axis, bitorder=bitorder)


UNPACK_INPUTS = [np.array([3, 255, 128], np.uint8), np.arange(24, dtype=np.uint8).reshape(2, 3, 4),
                 np.array(7, np.uint8), np.array([1, 2]), np.arange(12, dtype=np.uint8).reshape(3, 4).T]


@pytest.mark.parametrize("a", UNPACK_INPUTS, ids=str)
@pytest.mark.parametrize("axis", [None, 0, 1, -1, 3])
def test_unpackbits(a, axis):
    for count in (None, 0, 3, 30, -3, -100, 1.5):
        check("unpackbits", a, axis=axis, count=count)
    check("unpackbits", a, axis=axis, bitorder="little")


@pytest.mark.parametrize("n", [1, 7, 8, 9, 63, 64, 65, 1000, 3 * 2**17 + 5])  # the largest runs threaded
@pytest.mark.parametrize("dtype", [bool, np.uint8, np.int8, np.int32, np.uint64])
def test_packbits_long_lanes(n, dtype):
    """Word-at-a-time packing of contiguous bytes (bytes >= 128 included), the element loop for
    wider types, strided lanes and long lanes split across threads, against NumPy."""
    values = RNG.integers(0, 4, n) * RNG.integers(0, 2, n) * 64  # 0, 64, 128, 192: zeros and high bits
    a = values.astype(dtype)
    for bitorder in ("big", "little"):
        check("packbits", a, bitorder=bitorder)
        check("packbits", a[::-3], bitorder=bitorder)
        check("packbits", np.stack([a, a[::-1]]), axis=1, bitorder=bitorder)
        packed = np.packbits(a, bitorder=bitorder)
        for count in (None, n, n // 2 + 1, 8 * packed.size + 11):
            check("unpackbits", packed, count=count, bitorder=bitorder)
        check("unpackbits", np.stack([packed, packed[::-1]]), axis=1, bitorder=bitorder)
    previous = nf.get_num_threads()
    nf.set_num_threads(1)
    try:
        single = np.asarray(nf.packbits(nf.asarray(a)))
    finally:
        nf.set_num_threads(previous)
    assert_same(nf.packbits(nf.asarray(a)), single)  # the thread count never shows


def test_unpackbits_of_nothing_pads_with_zeros():
    # NumPy 2.4 returns uninitialized memory here; the padding bits are zeros by definition.
    got = nf.unpackbits(nf.zeros(0, dtype=np.uint8), count=12)
    assert_same(got, np.zeros(12, np.uint8))


def test_pack_round_trip():
    bits = (RNG.random((3, 21)) > 0.5).astype(np.uint8)
    for bitorder in ("big", "little"):
        packed = nf.packbits(nf.asarray(bits), axis=1, bitorder=bitorder)
        back = nf.unpackbits(packed, axis=1, count=21, bitorder=bitorder)
        assert_same(back, bits)


@pytest.mark.parametrize("shape,dtype", [((2, 3), float), ((3,), int), ((0, 2), np.int8), ((), float)])
def test_fromfunction(shape, dtype):
    check_call(lambda m: m.fromfunction(lambda i=0, *rest: i * 2 + sum(rest), shape, dtype=dtype))


@pytest.mark.parametrize("items,dtype,count", [
    ([1, 2, 3], float, -1), ([1.5, 2.7], int, -1), (range(10), np.int8, 4), ([1, 2], float, 5),
    ([], float, -1), ([[1, 2]], float, -1), ([1 + 2j], complex, -1), ([True], bool, -1),
    ([1, 2], float, 1.5), (range(3), np.uint16, 0)], ids=str)
def test_fromiter(items, dtype, count):
    check_call(lambda m: m.fromiter(iter(items), dtype, count))


@pytest.mark.parametrize("buffer", [b"\x01\x02\x03\x04\x05\x06\x07\x08", bytearray(range(16)),
                                    np.arange(4, dtype=np.int32), b""], ids=str)
@pytest.mark.parametrize("dtype,count,offset", [
    (np.uint8, -1, 0), (np.int16, -1, 2), (np.int32, 1, 4), (np.float64, -1, 0), (np.int16, -1, 1),
    (np.uint8, 100, 0), (np.uint8, -1, -1), (np.uint8, -1, 100), (np.int64, 1, 0)], ids=str)
def test_frombuffer(buffer, dtype, count, offset):
    check_call(lambda m: m.frombuffer(buffer, dtype, count, offset))


def test_frombuffer_is_a_view_and_keeps_read_only_memory_read_only():
    memory = bytearray(8)
    view = nf.frombuffer(memory, np.int32)
    memory[0] = 9
    assert int(view[0]) == 9 and view.flags.writeable
    assert not nf.frombuffer(b"1234", np.uint8).flags.writeable
    check_call(lambda m: m.frombuffer(5))


# ---- ndarray methods --------------------------------------------------------------------

VIEWS = {"plain": lambda x: x, "T": lambda x: x.T, "stepped": lambda x: x[:, ::2],
         "column": lambda x: x[:, :1], "0-d": lambda x: x[0, 0], "offset": lambda x: x[:, 1:],
         "empty": lambda x: x[:0]}


def _base(m, dtype, shape=(2, 4)):
    return m.asarray(np.arange(int(np.prod(shape))).reshape(shape).astype(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("target", [np.int64, np.int16, np.float32, np.uint8, np.complex128, np.bool_])
def test_view_dtype(dtype, target):
    for name, select in VIEWS.items():
        check_call(lambda m: select(_base(m, dtype)).view(target))


def test_view_shares_memory_and_types():
    a = nf.arange(4, dtype=np.int32)
    bytes_view = a.view(np.uint8)
    bytes_view[0] = 7
    assert int(a[0]) == 7
    lazy = a + 1  # pending work is computed before the reinterpreting view reads it
    assert_same(lazy.view(np.int64), (np.arange(4, dtype=np.int32) + np.array([7, 0, 0, 0], np.int32)
                                      + 1).view(np.int64))
    check_call(lambda m: _base(m, np.int32).view())
    assert type(nf.arange(3).view(np.ndarray)) is np.ndarray
    assert type(nf.arange(3).view(type=np.ndarray)) is np.ndarray
    with pytest.raises(TypeError):
        nf.arange(3).view(type=int)


@pytest.mark.parametrize("dtype", DTYPES)
def test_byteswap_tobytes_fill(dtype):
    check_call(lambda m: _base(m, dtype).byteswap())
    check_call(lambda m: _base(m, dtype).T.byteswap())
    check_call(lambda m: (lambda a: (a.byteswap(inplace=True), a)[1])(_base(m, dtype).T))
    for order in ("C", "F", "A", "K", "X"):
        check_call(lambda m: _base(m, dtype).T.tobytes(order))
        check_call(lambda m: _base(m, dtype)[:, ::2].tobytes(order))
    for value in (1.5, 3, True, [1, 2], None, "x", "1", np.array([2]), np.array([1, 2]), 2 + 1j,
                  np.array(4)):
        check_call(lambda m: (lambda a: (a.fill(value), a)[1])(_base(m, dtype).T))


def test_flat():
    def flat_ops(m):
        a = _base(m, np.float64, (3, 4)).T
        f = a.flat
        out = [len(f), f[3], f[[1, 2]], f[1:4], f[a.ravel() > 5], f[...]]
        f[[0, 1, 2]] = [7]
        f[5:8] = [1, 2]
        out.append(a.copy())
        a.flat = [1, 2, 3]
        out.append(a.copy())
        it = a.flat
        next(it)
        next(it)
        out += [it.index, it.coords, list(a.flat)[:5], f.copy(), m.asarray(a.flat)]
        return out
    check_call(flat_ops)
    check_call(lambda m: _base(m, np.int32).flat[(1, 2)])
    check_call(lambda m: _base(m, np.int32).flat[100])
    check_call(lambda m: (lambda a: (a.flat.__setitem__(0, 5), a)[1])(m.asarray(np.array(3.0))))


def test_index_methods():
    check_call(lambda m: (lambda a: (a.put([0, 5], [9, 8]), a)[1])(_base(m, np.int32, (2, 3)).T))
    check_call(lambda m: (lambda a: (a.put([0, 15], [9, 8], mode="wrap"), a)[1])(_base(m, np.int32)))
    check_call(lambda m: _base(m, np.int32).repeat(2, axis=1))
    check_call(lambda m: _base(m, np.int32, (2, 1)).repeat([1, 2]))
    check_call(lambda m: m.asarray(np.array([0, 1, 1])).choose([m.asarray(np.array([1, 2, 3])),
                                                                m.asarray(np.array([10, 20, 30]))]))
    check_call(lambda m: _base(m, np.int32, (2, 3)).compress([True, False, True], axis=1))
    check_call(lambda m: _base(m, np.int32, (2, 3)).T.compress([True, False, True]))


@pytest.mark.parametrize("sorted_x", [False, True])
def test_interp_large_inputs_threaded(sorted_x):
    """Beyond one kernel chunk (16384 values): every chunk walks the samples on its own."""
    x = RNG.random(70_000) * 12 - 1
    if sorted_x:
        x.sort()
    x[::997] = np.nan
    xp = np.sort(RNG.random(3000)) * 10
    xp[100:105] = xp[100]  # repeated sample points
    fp = RNG.standard_normal(3000)
    check("interp", x, xp, fp)
    check("interp", x, xp, fp - 2j * fp, left=0, right=1j)
