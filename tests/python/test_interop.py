"""Zero-copy NumPy interop, both ways: nf.asarray(numpy) and np.asarray(numfuse).

Zero copy is proven by writing through one side and reading the other, and by comparing data
addresses; lifetime by weak references on the NumPy object that must stay alive.
"""
import gc
import weakref

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import numfuse as nf

ALL_DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
              np.uint64, np.float32, np.float64, np.complex64, np.complex128]


def sample(dtype, shape=(3, 4)):
    values = np.arange(int(np.prod(shape))).reshape(shape) % 7
    return values.astype(dtype)


def one(dtype):
    return np.ones((), dtype=dtype)[()]


def data_address(a):
    return a.__array_interface__["data"][0]


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_numpy_to_numfuse_is_zero_copy(dtype):
    n = sample(dtype)
    a = nf.asarray(n)
    assert a.dtype == n.dtype and a.shape == n.shape and a.strides == n.strides
    assert a._data_address == data_address(n)
    n[1, 2] = one(dtype)  # NumPy writes, numfuse reads
    assert a[1, 2] == one(dtype)
    a[2, 3] = 0  # numfuse writes, NumPy reads
    assert n[2, 3] == 0
    np.testing.assert_array_equal(np.asarray(a), n)


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_numfuse_to_numpy_is_zero_copy(dtype):
    a = nf.asarray(sample(dtype)).copy()  # memory owned by numfuse
    n = np.asarray(a)
    assert n.dtype == a.dtype and n.shape == a.shape and n.strides == a.strides
    assert data_address(n) == a._data_address
    n[0, 1] = one(dtype)
    assert a[0, 1] == one(dtype)
    a[1, 1] = 0
    assert n[1, 1] == 0


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_buffer_protocol_and_array_interface_agree(dtype):
    a = nf.asarray(sample(dtype)).copy()
    view = memoryview(a)
    assert view.shape == a.shape and view.strides == a.strides and view.itemsize == a.itemsize
    assert np.asarray(view).dtype == a.dtype  # NumPy reads our format codes back as the dtype

    class InterfaceOnly:  # forces NumPy down the __array_interface__ path
        __array_interface__ = a.__array_interface__

    n = np.asarray(InterfaceOnly())
    assert n.dtype == a.dtype and data_address(n) == a._data_address
    np.testing.assert_array_equal(n, np.asarray(view))


@pytest.mark.parametrize("make_view", [
    lambda n: n[::-1],
    lambda n: n[:, ::-2],
    lambda n: n[::-2, 1::3],
    lambda n: n.T,
    lambda n: n[1:, :3].T[::-1],
    lambda n: np.asfortranarray(n),
    lambda n: n[:, 2],
    lambda n: n[0:0],
    lambda n: n[1, 2, ...],
])
def test_any_strides_wrap_without_copy(make_view):
    base = np.arange(6 * 8, dtype=np.float64).reshape(6, 8)
    n = make_view(base)
    a = nf.asarray(n)
    assert a.shape == n.shape
    assert a.strides == n.strides or n.size == 0
    np.testing.assert_array_equal(np.asarray(a), n)
    if n.size:
        assert a._data_address == data_address(n)
        n[...] = -1.0
        assert (np.asarray(a) == -1.0).all()


def test_fortran_order_stays_fortran_both_ways():
    n = np.asfortranarray(np.arange(12.0).reshape(3, 4))
    a = nf.asarray(n)
    assert a._f_contiguous and not a._c_contiguous
    back = np.asarray(a)
    assert back.flags.f_contiguous and data_address(back) == data_address(n)


def test_zero_strides_wrap_and_stay_zero():
    writable = np.lib.stride_tricks.as_strided(np.zeros(3), shape=(4, 3), strides=(0, 8))
    a = nf.asarray(writable)
    assert a.strides == (0, 8)
    a[0, 1] = 5.0  # every row aliases the same three floats
    assert (np.asarray(a)[:, 1] == 5.0).all()
    broadcast = np.broadcast_to(np.arange(3.0), (4, 3))  # NumPy makes these read-only
    b = nf.asarray(broadcast)
    assert b.strides == (0, 8) and not b._writeable


def test_readonly_numpy_stays_readonly():
    n = np.arange(5.0)
    n.flags.writeable = False
    a = nf.asarray(n)
    assert not a._writeable
    with pytest.raises(ValueError, match="read-only"):
        a[0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        a[1:3] = 0.0
    with pytest.raises(ValueError):
        a[::2][0] = 7.0  # views inherit read-only
    back = np.asarray(a)
    assert not back.flags.writeable
    with pytest.raises(ValueError):
        back[0] = 1.0
    assert n[0] == 0.0


def test_wrapper_keeps_numpy_object_alive():
    n = np.arange(10.0)
    alive = weakref.ref(n)
    a = nf.asarray(n)[2:]
    del n
    gc.collect()
    assert alive() is not None
    np.testing.assert_array_equal(np.asarray(a), np.arange(2.0, 10.0))
    del a
    gc.collect()
    assert alive() is None  # and released once the last view is gone


def test_numpy_view_keeps_numfuse_memory_alive():
    a = nf.arange(100.0)
    n = np.asarray(a)[::3]
    del a
    gc.collect()
    np.testing.assert_array_equal(n, np.arange(0.0, 100.0, 3.0))


@pytest.mark.parametrize("dtype", [">i2", ">i4", ">i8", ">u4", ">f4", ">f8", ">c8", ">c16"])
def test_big_endian_numpy_input_converts_to_native(dtype):
    n = (np.arange(12).reshape(3, 4) - 5).astype(dtype)
    a = nf.asarray(n)
    assert a.dtype == n.dtype.newbyteorder("=") and a.dtype.isnative
    np.testing.assert_array_equal(np.asarray(a), n)


@pytest.mark.parametrize("value", [np.zeros(3, np.float16), np.array([object(), 1]),
                                   np.array(["ab", "c"]), np.array([b"x"]),
                                   np.zeros(2, dtype=[("x", "f8")]), np.zeros(2, "M8[s]")])
def test_unsupported_dtypes_raise_type_error(value):
    with pytest.raises(TypeError, match="data type"):
        nf.asarray(value)


def test_zero_d_and_zero_size():
    a = nf.asarray(np.float32(2.5))
    assert a.shape == () and a.dtype == np.float32 and float(a) == 2.5
    empty = nf.asarray(np.zeros((0, 3), np.int16))
    back = np.asarray(empty)
    assert back.shape == (0, 3) and back.dtype == np.int16


@st.composite
def sliced_views(draw):
    shape = draw(st.lists(st.integers(0, 5), min_size=1, max_size=4))
    base = np.arange(int(np.prod(shape)), dtype=np.int32).reshape(shape)
    index = tuple(slice(draw(st.integers(-6, 6)), draw(st.integers(-6, 6)),
                        draw(st.integers(-3, 3).filter(bool))) for _ in shape)
    view = base[index]
    if draw(st.booleans()):
        view = view.T
    return view


@settings(max_examples=150, deadline=None)
@given(sliced_views())
def test_random_views_round_trip_without_copy(n):
    a = nf.asarray(n)
    assert a.shape == n.shape
    if n.size:  # strides of an empty array carry no meaning (NumPy reports various)
        assert a.strides == n.strides
    back = np.asarray(a)
    np.testing.assert_array_equal(back, n)
    if n.size:
        assert data_address(back) == data_address(n)
        assert np.shares_memory(back, n)
