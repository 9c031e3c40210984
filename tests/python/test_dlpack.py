"""DLPack exchange with NumPy in both directions: zero copy, lifetimes, flags, bad input."""
import gc
import weakref

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import numfuse as nf

# Hand-built capsules and deleters: a crash must fail its case, not end the session.
pytestmark = pytest.mark.isolated

ALL_DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
              np.uint64, np.float32, np.float64, np.complex64, np.complex128]


def sample(dtype, shape=(4, 5)):
    return np.asarray(np.arange(int(np.prod(shape))).reshape(shape) % 5).astype(dtype)


def address(n):
    return n.__array_interface__["data"][0]


def owned(n):
    """A numfuse array owning a copy of n's values (memory from numfuse's allocator)."""
    return nf.asarray(n).copy()


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_numpy_consumes_numfuse_zero_copy(dtype):
    a = owned(sample(dtype))
    n = np.from_dlpack(a)
    assert n.dtype == a.dtype and n.shape == a.shape and n.strides == a.strides
    assert address(n) == a._data_address
    n[1, 1] = np.ones((), dtype)[()]
    assert a[1, 1] == n[1, 1]
    np.testing.assert_array_equal(n, np.asarray(a))


@pytest.mark.parametrize("dtype", ALL_DTYPES)
def test_numfuse_consumes_numpy_zero_copy(dtype):
    n = sample(dtype)
    a = nf.from_dlpack(n)
    assert a.dtype == n.dtype and a.shape == n.shape and a.strides == n.strides
    assert a._data_address == address(n) and a._writeable
    a[2, 3] = 0
    assert n[2, 3] == 0
    np.testing.assert_array_equal(np.asarray(a), n)


@pytest.mark.parametrize("make_view", [
    lambda x: x[::-1], lambda x: x[:, ::2], lambda x: x[1::2, ::-3], lambda x: x.T,
    lambda x: x[2], lambda x: x[1:1], lambda x: x[1, 2, ...],
])
def test_strided_views_round_trip(make_view):
    n = make_view(np.arange(40.0).reshape(5, 8))
    a = nf.from_dlpack(n)
    assert a.shape == n.shape
    np.testing.assert_array_equal(np.asarray(a), n)
    back = np.from_dlpack(make_view(owned(np.arange(40.0).reshape(5, 8))))
    np.testing.assert_array_equal(back, n)
    if n.size:
        assert a.strides == n.strides and a._data_address == address(n)


def test_zero_d_and_zero_size():
    for n in (np.array(3.5), np.zeros((0,)), np.zeros((2, 0, 3), np.int8)):
        a = nf.from_dlpack(n)
        assert a.shape == n.shape and a.dtype == n.dtype
        back = np.from_dlpack(owned(n))
        assert back.shape == n.shape and back.dtype == n.dtype
        np.testing.assert_array_equal(back, n)


def test_numfuse_to_numfuse_shares_memory():
    a = nf.arange(6.0)
    b = nf.from_dlpack(a[::2])
    b[1] = 100.0
    assert a[2] == 100.0


def test_capsule_kinds_follow_max_version():
    a = nf.arange(3.0)
    assert "dltensor_versioned" in repr(a.__dlpack__(max_version=(1, 0)))
    assert "dltensor_versioned" in repr(a.__dlpack__(max_version=(2, 3)))
    assert '"dltensor"' in repr(a.__dlpack__())
    assert '"dltensor"' in repr(a.__dlpack__(max_version=(0, 8)))
    assert a.__dlpack_device__() == (1, 0)


def test_legacy_capsules_are_consumed():
    n = np.arange(5, dtype=np.int32)
    capsule = n.__dlpack__()  # NumPy's legacy struct
    a = nf._core._from_dlpack_capsule(capsule)
    np.testing.assert_array_equal(np.asarray(a), n)
    with pytest.raises(BufferError, match="consumed"):
        nf._core._from_dlpack_capsule(capsule)
    legacy = nf._core._from_dlpack_capsule(nf.arange(4).__dlpack__())
    np.testing.assert_array_equal(np.asarray(legacy), np.arange(4))


def test_producer_kept_alive_and_released():
    n = np.arange(8.0)
    alive = weakref.ref(n)
    a = nf.from_dlpack(n)[3:]
    del n
    gc.collect()
    assert alive() is not None
    np.testing.assert_array_equal(np.asarray(a), np.arange(3.0, 8.0))
    del a
    gc.collect()
    assert alive() is None


def test_unconsumed_capsules_free_their_tensor():
    # A numfuse array over NumPy memory, exported and never consumed: dropping the capsule must
    # run the deleter, which releases the NumPy array.
    for max_version in (None, (1, 0)):
        n = np.arange(4.0)
        alive = weakref.ref(n)
        capsule = nf.asarray(n).__dlpack__(max_version=max_version)
        del n
        gc.collect()
        assert alive() is not None
        del capsule
        gc.collect()
        assert alive() is None


def test_numpy_consumer_keeps_numfuse_memory_alive():
    a = nf.arange(10.0)
    n = np.from_dlpack(a)
    del a
    gc.collect()
    np.testing.assert_array_equal(n, np.arange(10.0))


def test_readonly_travels_as_the_versioned_flag():
    ro = np.arange(4.0)
    ro.flags.writeable = False
    a = nf.from_dlpack(ro)
    assert not a._writeable
    with pytest.raises(ValueError, match="read-only"):
        a[0] = 1.0
    back = np.from_dlpack(a)
    assert not back.flags.writeable
    with pytest.raises(BufferError):
        a.__dlpack__()  # the legacy struct cannot say read-only


def test_copy_flag():
    n = np.arange(4.0)
    a = nf.from_dlpack(n, copy=True)
    a[0] = 9.0
    assert n[0] == 0.0
    b = owned(n)
    c = np.from_dlpack(b, copy=True)
    c[1] = 5.0
    assert b[1] == 1.0
    assert nf.from_dlpack(n, copy=False)._data_address == address(n)


def test_bad_requests_raise_numpys_errors():
    a = nf.arange(3.0)
    n = np.arange(3.0)
    for kwargs, error in [({"stream": 1}, RuntimeError), ({"dl_device": (2, 0)}, BufferError),
                          ({"dl_device": (1, 1)}, BufferError)]:
        with pytest.raises(error):
            n.__dlpack__(**kwargs)
        with pytest.raises(error):
            a.__dlpack__(**kwargs)
    with pytest.raises(AttributeError):
        np.from_dlpack([1, 2])
    with pytest.raises(AttributeError):
        nf.from_dlpack([1, 2])
    with pytest.raises(ValueError):
        np.from_dlpack(n, device="gpu")
    with pytest.raises(ValueError):
        nf.from_dlpack(n, device="gpu")
    assert nf.from_dlpack(n, device="cpu").shape == (3,)


def test_unsupported_imports_raise_buffer_error():
    with pytest.raises(BufferError, match="data type"):
        nf.from_dlpack(np.zeros(3, np.float16))
    with pytest.raises(TypeError):
        nf._core._from_dlpack_capsule(object())
    odd = np.ndarray((3,), dtype=np.int32, buffer=bytearray(20), strides=(5,))
    with pytest.raises(BufferError, match="multiple of itemsize"):
        nf.asarray(odd).__dlpack__()


class LegacyProducer:
    """A producer from before DLPack 1.0: __dlpack__ takes no keywords."""

    def __init__(self, n):
        self.n = n

    def __dlpack__(self, stream=None):
        return self.n.__dlpack__()

    def __dlpack_device__(self):
        return (1, 0)


def test_legacy_producers_are_supported():
    n = np.arange(6, dtype=np.uint16)
    a = nf.from_dlpack(LegacyProducer(n))
    assert a._data_address == address(n)
    copied = nf.from_dlpack(LegacyProducer(n), copy=True)
    assert copied._data_address != address(n)
    np.testing.assert_array_equal(np.asarray(copied), n)


@settings(max_examples=100, deadline=None)
@given(dtype=st.sampled_from(ALL_DTYPES),
       shape=st.lists(st.integers(0, 4), min_size=0, max_size=4),
       step=st.sampled_from([1, -1, 2, -2]))
def test_round_trip_any_dtype_shape(dtype, shape, step):
    n = sample(dtype, tuple(shape))
    if n.ndim:
        n = n[::step]
    a = nf.from_dlpack(n)
    back = np.from_dlpack(a)
    assert back.dtype == n.dtype and back.shape == n.shape
    np.testing.assert_array_equal(back, n)
    if n.size:
        assert np.shares_memory(back, n)


def test_writeable_export_runs_pending_lazy_readers_first():
    a = nf.arange(5.0)
    b = a + 1  # may be pending (lazy); must keep the values of this line
    n = np.from_dlpack(a)
    n[0] = 100.0
    np.testing.assert_array_equal(np.asarray(b), [1.0, 2.0, 3.0, 4.0, 5.0])
    assert a[0] == 100.0


# ---- hand-built capsules: what a foreign producer (a GPU library, a newer DLPack) may send ----

import ctypes  # noqa: E402


class _DLTensor(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("device_type", ctypes.c_int32), ("device_id", ctypes.c_int32),
                ("ndim", ctypes.c_int32), ("code", ctypes.c_uint8), ("bits", ctypes.c_uint8),
                ("lanes", ctypes.c_uint16), ("shape", ctypes.POINTER(ctypes.c_int64)),
                ("strides", ctypes.POINTER(ctypes.c_int64)), ("byte_offset", ctypes.c_uint64)]


class _Versioned(ctypes.Structure):
    pass


_DELETER = ctypes.CFUNCTYPE(None, ctypes.POINTER(_Versioned))
_Versioned._fields_ = [("major", ctypes.c_uint32), ("minor", ctypes.c_uint32),
                       ("manager_ctx", ctypes.c_void_p), ("deleter", _DELETER),
                       ("flags", ctypes.c_uint64), ("dl_tensor", _DLTensor)]

_capsule_new = ctypes.pythonapi.PyCapsule_New
_capsule_new.restype = ctypes.py_object
_capsule_new.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
_capsule_name = ctypes.pythonapi.PyCapsule_GetName
_capsule_name.restype = ctypes.c_char_p
_capsule_name.argtypes = [ctypes.py_object]


def versioned_capsule(memory, shape, strides=None, *, code=2, bits=64, lanes=1, device_type=1,
                      major=1, byte_offset=0, flags=0, deleted=None):
    """A 'dltensor_versioned' capsule over `memory` (a NumPy array kept by the caller)."""
    shape_arr = (ctypes.c_int64 * len(shape))(*shape)
    strides_arr = None if strides is None else (ctypes.c_int64 * len(strides))(*strides)
    deleter = _DELETER(lambda _: deleted.append(True)) if deleted is not None else _DELETER()
    managed = _Versioned(major, 0, None, deleter, flags, _DLTensor(
        memory.ctypes.data, device_type, 0, len(shape), code, bits, lanes, shape_arr,
        strides_arr, byte_offset))
    keep = (managed, shape_arr, strides_arr, deleter)  # the caller holds these while in use
    return _capsule_new(ctypes.addressof(managed), b"dltensor_versioned", None), keep


def test_hand_built_capsule_with_offset_null_strides_and_deleter():
    memory = np.arange(10.0)
    deleted = []
    capsule, keep = versioned_capsule(memory, (2, 3), byte_offset=16, flags=1, deleted=deleted)
    a = nf._core._from_dlpack_capsule(capsule)
    assert _capsule_name(capsule) == b"used_dltensor_versioned"
    np.testing.assert_array_equal(np.asarray(a), memory[2:8].reshape(2, 3))
    assert not a._writeable  # flags=1 is DLPACK_FLAG_BITMASK_READ_ONLY
    view = a[1]
    del a
    gc.collect()
    assert not deleted  # a view still uses the memory
    del view
    gc.collect()
    assert deleted == [True]  # the producer's deleter ran exactly once
    del keep


@pytest.mark.parametrize("bad", [dict(device_type=2), dict(major=2), dict(lanes=4),
                                 dict(code=4, bits=16), dict(code=2, bits=16)])
def test_hand_built_capsules_we_cannot_take_stay_with_the_producer(bad):
    memory = np.arange(4.0)
    capsule, keep = versioned_capsule(memory, (4,), (1,), **bad)
    with pytest.raises(BufferError):
        nf._core._from_dlpack_capsule(capsule)
    assert _capsule_name(capsule) == b"dltensor_versioned"  # not consumed: its owner frees it
    del keep
