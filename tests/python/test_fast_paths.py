"""The C fast paths in front of the general ones (views by basic keys, attribute getters,
nf.asarray of one array, a.reshape of ints) give exactly what the general paths and NumPy give,
and hand every other call on."""
import numpy as np
import pytest

import numfuse as nf

BASE = np.arange(2 * 3 * 4, dtype=np.float64).reshape(2, 3, 4)

VIEW_KEYS = [
    1, -1, slice(None), slice(1, None), slice(None, None, -1), slice(-2, 0, -1), slice(5, 1),
    (1, slice(None, None, 2)), (slice(None), 2), (Ellipsis, 1), (1, Ellipsis), (None, 1),
    (slice(None), None, slice(1, 3)), (Ellipsis, None), (), (0, 1), (-1, -1, slice(None, None, -3)),
    (slice(10**20, -10**20, -1),),
]


@pytest.mark.parametrize("key", VIEW_KEYS, ids=repr)
@pytest.mark.parametrize("pending", [False, True])
def test_basic_views_like_numpy(key, pending):
    a = nf.asarray(BASE.copy())
    if pending:
        a = a * 1.0  # a lazy value: the view is taken of the pending result
    got = a[key]
    expected = BASE[key]
    assert isinstance(got, nf.ndarray)
    assert got.shape == expected.shape
    assert got.strides == expected.strides or expected.size == 0  # NumPy's empty views: other strides
    np.testing.assert_array_equal(np.asarray(got), expected)


@pytest.mark.parametrize("key", [(1, 2, 3), (-1, 0, -4)], ids=repr)
def test_elements_are_numpy_scalars(key):
    got = nf.asarray(BASE)[key]
    assert type(got) is np.float64 and got == BASE[key]


@pytest.mark.parametrize("key", [5, -3, (0, 3), (0, 0, 4), (1, 1, 1, 1), (Ellipsis, Ellipsis), 10**30,
                                 [2], [-3], np.array([0, 5]), np.array([0.5]), np.array([1], np.float16)],
                         ids=repr)
def test_bad_keys_raise_numpys_errors(key):
    with pytest.raises(Exception) as np_error:
        BASE[key]
    with pytest.raises(np_error.type):
        nf.asarray(BASE)[key]


@pytest.mark.parametrize("key", [True, np.int64(1), (np.int64(0), slice(None)), [0, 1], np.array([1, 0]),
                                 (slice(None), [0, 2])], ids=repr)
def test_other_keys_take_the_general_path(key):
    np.testing.assert_array_equal(np.asarray(nf.asarray(BASE)[key]), BASE[key])


def test_views_write_through_and_keep_readonly():
    base = BASE.copy()
    a = nf.asarray(base)
    a[1:, None][...] = -1.0
    assert (base[1:] == -1).all()
    ro = BASE.copy()
    ro.flags.writeable = False
    v = nf.asarray(ro)[::2]
    with pytest.raises(ValueError):
        v[0] = 1.0


@pytest.mark.parametrize("pending", [False, True])
def test_attribute_getters(pending):
    a = nf.asarray(BASE.astype(np.float32)[:, ::2])
    if pending:
        a = a + 1
    expected = BASE.astype(np.float32)[:, ::2]
    if pending:
        expected = expected + 1
    assert a.shape == expected.shape and a.ndim == 3 and a.size == expected.size
    assert a.strides == expected.strides and a.itemsize == 4 and a.nbytes == expected.nbytes
    assert a.dtype == np.float32 and isinstance(a.dtype, np.dtype)
    np.testing.assert_array_equal(np.asarray(a.T), expected.T)
    assert a.T.strides == expected.T.strides


def test_asarray_of_one_array():
    a = nf.asarray(BASE)
    assert nf.asarray(a) is a
    strided = BASE[:, ::-1, 1::2]
    got = nf.asarray(strided)
    assert got.shape == strided.shape and got.strides == strided.strides
    np.testing.assert_array_equal(np.asarray(got), strided)
    swapped = BASE.astype(">f8")
    np.testing.assert_array_equal(np.asarray(nf.asarray(swapped)), BASE)
    with pytest.raises(TypeError, match="float16"):
        nf.asarray(np.zeros(3, np.float16))
    masked = np.ma.masked_array([1.0, 2.0])
    np.testing.assert_array_equal(np.asarray(nf.asarray(masked)), [1.0, 2.0])
    # Everything else reaches the Python implementation.
    assert nf.asarray([1, 2]).dtype == np.int64
    assert nf.asarray(BASE, dtype=np.float32).dtype == np.float32
    assert nf.asarray(BASE[:, ::2], order="C")._c_contiguous
    with pytest.raises(ValueError):
        nf.asarray([1, 2], copy=False)


@pytest.mark.parametrize("args,kwargs", [((4, 6), {}), (((4, 6),), {}), ((-1,), {}), ((2, -1, 3), {}),
                                         (([3, 8],), {}), ((24,), {"order": "F"}), ((6, 4), {"order": "A"}),
                                         ((np.int64(4), 6), {})], ids=repr)
def test_reshape_like_numpy(args, kwargs):
    got = nf.asarray(BASE).reshape(*args, **kwargs)
    expected = BASE.reshape(*args, **kwargs)
    assert got.shape == expected.shape
    np.testing.assert_array_equal(np.asarray(got), expected)


@pytest.mark.parametrize("args", [(5,), (-1, -1), (2, 2, 2), ("x",)], ids=repr)
def test_reshape_errors_like_numpy(args):
    with pytest.raises(Exception) as np_error:
        BASE.reshape(*args)
    with pytest.raises(np_error.type):
        nf.asarray(BASE).reshape(*args)


def test_fast_entries_pickle_by_name():
    # Dask ships functions such as nf.asarray to worker processes by pickling them.
    import pickle
    assert pickle.loads(pickle.dumps(nf.asarray)) is nf.asarray
    a = nf.asarray(BASE)
    assert pickle.loads(pickle.dumps(nf.ndarray.reshape)) is nf.ndarray.reshape
    np.testing.assert_array_equal(np.asarray(pickle.loads(pickle.dumps(a[1:, None]))), BASE[1:, None])


FANCY_KEYS = [
    [1, 0, 1], [-1], [0] * 70, np.array([1, 0], np.uint8), np.array([[0, 1], [1, 1]], np.int32),
    np.array([], np.int64), [True, False], np.array([True, False]), [], [1, True],
]


@pytest.mark.parametrize("key", FANCY_KEYS, ids=lambda k: repr(k)[:40])
@pytest.mark.parametrize("as_numfuse", [False, True])
def test_first_axis_integer_arrays_like_numpy(key, as_numfuse):
    if as_numfuse and isinstance(key, np.ndarray):
        key = nf.asarray(key) + 0 if key.dtype.kind in "iu" else nf.asarray(key)  # a pending index too
    got = nf.asarray(BASE)[key]
    expected = BASE[np.asarray(key) if as_numfuse and not isinstance(key, list) else key]
    assert got.shape == expected.shape and got.dtype == expected.dtype
    np.testing.assert_array_equal(np.asarray(got), expected)


def test_len_like_numpy():
    assert len(nf.asarray(BASE)) == 2 and len(nf.asarray(BASE)[0]) == 3 and len(nf.zeros((0, 4))) == 0
    with pytest.raises(TypeError, match="unsized"):
        len(nf.asarray(np.float64(1.0)))


@pytest.mark.parametrize("make", [np.asarray, nf.asarray])
def test_zero_d_index_arrays_give_numpys_scalars(make):
    for base in (BASE[0, 0], BASE):
        got = nf.asarray(base)[make(np.int64(1))]
        expected = base[np.asarray(1)]
        assert isinstance(got, nf.ndarray) == isinstance(expected, np.ndarray)
        np.testing.assert_array_equal(np.asarray(got), expected)


def _pieces():
    base = BASE[:, :, 1:]  # strided
    return [nf.asarray(base), base * 2, nf.asarray(base) + 1, nf.asarray(base[:, :0])]


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -3])
def test_concatenate_like_numpy(axis):
    pieces = [p for p in _pieces() if axis == 1 or p.shape[1] != 0]  # the empty piece fits axis 1 only
    got = nf.concatenate(pieces, axis=axis)
    expected = np.concatenate([np.asarray(p) for p in pieces], axis=axis)
    assert isinstance(got, nf.ndarray) and got.dtype == expected.dtype
    np.testing.assert_array_equal(np.asarray(got), expected)
    np.testing.assert_array_equal(np.asarray(nf.concatenate(tuple(pieces), axis)), expected)


@pytest.mark.parametrize("pieces,axis", [
    ([BASE, BASE.astype(np.int32)], 0), ([BASE, BASE[:, :2]], 0), ([BASE, BASE], 3), ([BASE, BASE[0]], 0),
    ([np.float64(1), np.float64(2)], 0), ([BASE, BASE], 1.0)], ids=repr)
def test_concatenate_other_cases_like_numpy(pieces, axis):
    try:
        expected = np.concatenate(pieces, axis=axis)
    except Exception as error:  # noqa: BLE001 - NumPy's exception type is the oracle
        with pytest.raises(type(error)):
            nf.concatenate([nf.asarray(p) for p in pieces], axis=axis)
        return
    got = nf.concatenate([nf.asarray(p) for p in pieces], axis=axis)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(np.asarray(got), expected)


def test_concatenate_of_a_dtype_numfuse_lacks_raises_type_error():
    with pytest.raises(TypeError, match="float16"):
        nf.concatenate([BASE.astype(np.float16), BASE.astype(np.float16)])


@pytest.mark.parametrize("make", [lambda b: b, lambda b: b[:, ::-2], lambda b: b[1], lambda b: b.T,
                                  lambda b: b[0, 0, 0], lambda b: b[:, :0]], ids=range(6))
def test_buffer_protocol_like_numpys(make):
    base = BASE.astype(np.int64)
    expected = memoryview(make(base))
    got = memoryview(make(nf.asarray(base)))
    assert (got.shape, got.format, got.itemsize, got.ndim, got.nbytes) == \
           (expected.shape, expected.format, expected.itemsize, expected.ndim, expected.nbytes)
    assert got.strides == expected.strides or expected.nbytes == 0  # NumPy's empty exports: other strides
    assert got.tolist() == expected.tolist() and got.readonly == expected.readonly
    assert (got.c_contiguous, got.f_contiguous) == (expected.c_contiguous, expected.f_contiguous)


def test_buffer_exports_computed_values_and_shares_memory():
    a = nf.asarray(BASE) * 2  # pending: exporting computes it
    view = memoryview(a)
    assert view.tolist() == (BASE * 2).tolist()
    np.asarray(view)[0, 0, 0] = -7.0
    assert float(a[0, 0, 0]) == -7.0  # the export is the array's memory
    readonly = BASE.copy()
    readonly.flags.writeable = False
    assert memoryview(nf.asarray(readonly)).readonly
    # A consumer asking for C-contiguous bytes of a strided array, or to write a read-only one,
    # gets NumPy's error, as from a NumPy array.
    for source in (BASE, nf.asarray(BASE)):
        with pytest.raises(ValueError, match="not C-contiguous"):
            _get_buffer(source[:, ::2], 0)  # PyBUF_SIMPLE
    for source in (readonly, nf.asarray(readonly)):
        with pytest.raises(ValueError, match="read-only"):
            _get_buffer(source, 1)  # PyBUF_WRITABLE
    _get_buffer(nf.asarray(BASE)[:, ::2], 0x1C)  # PyBUF_STRIDES | PyBUF_ND: fine


def _get_buffer(obj, flags):
    """PyObject_GetBuffer(obj, flags) and its release, as a C consumer calls them."""
    import ctypes
    view = (ctypes.c_char * 256)()  # more than sizeof(Py_buffer)
    get = ctypes.pythonapi.PyObject_GetBuffer
    get.argtypes, get.restype = [ctypes.py_object, ctypes.c_void_p, ctypes.c_int], ctypes.c_int
    get(obj, ctypes.addressof(view), flags)
    release = ctypes.pythonapi.PyBuffer_Release
    release.argtypes, release.restype = [ctypes.c_void_p], None
    release(ctypes.addressof(view))
    assert bytes(memoryview(nf.asarray(np.arange(3, dtype=np.int8)))) == b"\x00\x01\x02"


RESHAPE_CALLS = [
    "a.reshape((2, 3), copy=True)", "a.reshape(2, 3, copy=False)", "a.reshape(2, 3, copy=None)",
    "a.reshape(2, 3).T.reshape(6, copy=False)", "a.reshape(2, 3).T.reshape(6, copy=True)",
    "a.reshape()", "a.reshape(order='C')", "a.reshape(6, copy='x')",
    "lib.reshape(a, (3, 2), copy=True)", "lib.reshape(a.reshape(2, 3).T, 6, copy=False)",
]


@pytest.mark.parametrize("call", RESHAPE_CALLS)
def test_reshape_copy_keyword_and_missing_shape_as_numpy(call):
    outcomes = []
    for lib in (np, nf):
        a = lib.arange(6)
        try:
            r = eval(call)
            outcomes.append((r.shape, bool(lib.shares_memory(r, a)), np.asarray(r).tolist()))
        except Exception as e:  # noqa: BLE001 - the type and message are compared
            outcomes.append((type(e), str(e)))
    assert outcomes[0] == outcomes[1]
