"""Bad input raises the exception NumPy raises (same type, computed from NumPy itself), with a
message that names the problem; never a crash."""
import operator

import numpy as np
import pytest

import numfuse as nf

# Bad input must never crash; if it does, the crash fails its case instead of ending the session.
pytestmark = pytest.mark.isolated

A = np.arange(24.0).reshape(2, 3, 4)
I = np.arange(6)


def arr(m, n=A):
    """The same data as a NumPy array or a numfuse array, depending on the module under test."""
    return m.asarray(n.copy())


def setitem(m, key, value, n=A):
    a = arr(m, n)
    a[key] = value


# (id, fn(module), words of which the message must contain at least one)
CASES = [
    # shapes and sizes
    ("negative-size", lambda m: m.zeros(-1), ["negative"]),
    ("negative-dim", lambda m: m.empty((2, -3)), ["negative"]),
    ("negative-full", lambda m: m.full((-2,), 1.0), ["negative"]),
    ("float-shape", lambda m: m.zeros((2.5, 3)), ["integer"]),
    ("str-shape", lambda m: m.ones("ab"), ["integer"]),
    ("too-big", lambda m: m.zeros((2**40, 2**40)), ["too big", "maximum"]),
    ("too-many-dims-create", lambda m: m.zeros((1,) * 65), ["dimension"]),
    ("too-many-dims-reshape", lambda m: arr(m).reshape((1,) * 65 + (24,)), ["dimension"]),
    ("too-many-dims-newaxis", lambda m: arr(m)[(None,) * 62], ["dimension"]),
    ("reshape-mismatch", lambda m: arr(m).reshape(5, 5), ["cannot reshape", "size 24"]),
    ("reshape-infer-mismatch", lambda m: arr(m).reshape(5, -1), ["cannot reshape"]),
    ("reshape-two-unknown", lambda m: arr(m).reshape(-1, -1), ["unknown"]),
    ("reshape-zero-unknown", lambda m: m.zeros((0, 5)).reshape(5, 0, -1), ["cannot reshape"]),
    ("reshape-float", lambda m: arr(m).reshape(2.0, 12), ["integer"]),
    ("reshape-none-dim", lambda m: arr(m).reshape(None, 12), ["integer", "nonetype"]),
    ("reshape-order-k", lambda m: arr(m).reshape(24, order="K"), ["order"]),
    ("reshape-order-bad", lambda m: m.reshape(arr(m), 24, order="X"), ["order"]),
    ("ravel-order-bad", lambda m: m.ravel(arr(m), order="X"), ["order"]),
    # dtypes
    ("dtype-unknown-name", lambda m: m.zeros(3, dtype="float65"), ["not understood", "float65"]),
    ("dtype-unknown-object", lambda m: m.ones(3, dtype=[1, 2]), ["not understood", "field"]),
    ("astype-unknown", lambda m: arr(m).astype("nonsense"), ["nonsense"]),
    ("astype-casting", lambda m: arr(m).astype(np.int32, casting="safe"), ["cast"]),
    ("concat-casting", lambda m: m.concatenate([arr(m), arr(m)], dtype=np.int8), ["cast"]),
    # basic indexing
    ("index-out-of-range", lambda m: arr(m)[2], ["out of bounds", "axis 0", "size 2"]),
    ("index-negative-range", lambda m: arr(m)[:, -4], ["out of bounds", "axis 1"]),
    ("too-many-indices", lambda m: arr(m)[0, 0, 0, 0], ["too many indices"]),
    ("too-many-with-slices", lambda m: arr(m)[:, :, :, :], ["too many indices"]),
    ("two-ellipses", lambda m: arr(m)[..., 0, ...], ["ellipsis"]),
    ("slice-step-zero", lambda m: arr(m)[::0], ["step", "zero"]),
    ("slice-float", lambda m: arr(m)[0.5:], ["slice", "integer", "__index__"]),
    ("float-index", lambda m: arr(m)[1.0], ["only integers"]),
    ("str-index", lambda m: arr(m)["a"], ["only integers"]),
    ("dict-index", lambda m: arr(m)[{}], ["only integers"]),
    ("float-scalar-index", lambda m: arr(m)[np.float64(1)], ["only integers"]),
    ("index-0d", lambda m: arr(m, np.array(3.0))[0], ["too many indices"]),
    # advanced indexing
    ("array-out-of-range", lambda m: arr(m)[[0, 2]], ["out of bounds", "axis 0"]),
    ("array-negative-out", lambda m: arr(m)[:, :, [-5]], ["out of bounds", "axis 2", "size 4"]),
    ("array-float", lambda m: arr(m)[np.array([1.0])], ["integer", "boolean"]),
    ("list-float", lambda m: arr(m)[[1, 2.0]], ["only integers"]),
    ("list-none", lambda m: arr(m)[[None]], ["only integers"]),
    ("list-ragged", lambda m: arr(m)[[[0, 1], [0]]], ["inhomogeneous"]),
    ("array-broadcast", lambda m: arr(m)[[0, 1], [0, 1, 2]], ["shape mismatch", "broadcast"]),
    ("mask-shape", lambda m: arr(m)[np.array([True, False, True])], ["boolean index", "axis 0"]),
    ("mask-2d-shape", lambda m: arr(m)[:, np.ones((3, 5), bool)], ["boolean index", "axis 2"]),
    ("mask-too-many-dims", lambda m: arr(m)[np.zeros((2, 3, 4, 5), bool)], ["too many indices"]),
    ("array-too-many", lambda m: arr(m)[0, 0, 0, [0]], ["too many indices"]),
    ("uint64-huge-index", lambda m: arr(m)[np.array([2**63], np.uint64)], ["out of bounds"]),
    ("bool-0d-broadcast", lambda m: arr(m)[[0, 1], False], ["shape mismatch"]),
    # setitem
    ("set-shape", lambda m: setitem(m, 0, np.ones(5)), ["broadcast", "shape"]),
    ("set-fancy-shape", lambda m: setitem(m, [0, 1], np.ones(5)), ["shape mismatch", "broadcast"]),
    ("set-mask-shape", lambda m: setitem(m, A > 3, np.ones(2)), ["cannot assign"]),
    ("set-mask-2d-value", lambda m: setitem(m, A > 3, np.ones((1, 20))), ["1-dimensional"]),
    ("set-partial-mask-shape", lambda m: setitem(m, A[:, 0, 0] > 3, np.ones(5)), ["shape mismatch"]),
    ("set-out-of-range", lambda m: setitem(m, (0, [5]), 1.0), ["out of bounds"]),
    ("set-string", lambda m: setitem(m, 0, "abc"), ["could not convert", "string"]),
    ("set-fancy-string", lambda m: setitem(m, [0], "abc"), ["could not convert", "string"]),
    ("set-complex-in-float", lambda m: setitem(m, 0, 1j), ["complex", "argument"]),
    ("set-overflow", lambda m: setitem(m, [0], 300, np.zeros(3, np.int8)), ["out of bounds", "int8"]),
    ("set-read-only", lambda m: m.broadcast_to(arr(m), (2, 2, 3, 4)).__setitem__(0, 1.0), ["read-only"]),
    ("set-fancy-read-only", lambda m: m.broadcast_to(arr(m), (2, 2, 3, 4)).__setitem__([0], 1.0),
     ["read-only"]),
    # axes
    ("transpose-axis", lambda m: m.transpose(arr(m), (0, 1, 3)), ["axis 3", "out of bounds"]),
    ("transpose-repeat", lambda m: m.transpose(arr(m), (0, 0, 1)), ["repeated"]),
    ("transpose-length", lambda m: arr(m).transpose(0, 1), ["don't match"]),
    ("swapaxes-axis", lambda m: m.swapaxes(arr(m), 0, 3), ["axis 3"]),
    ("moveaxis-axis", lambda m: m.moveaxis(arr(m), -4, 0), ["axis -4"]),
    ("moveaxis-repeat", lambda m: m.moveaxis(arr(m), [0, 0], [1, 2]), ["repeated"]),
    ("moveaxis-length", lambda m: m.moveaxis(arr(m), [0, 1], [1]), ["same number"]),
    ("expand-axis", lambda m: m.expand_dims(arr(m), 5), ["axis 5"]),
    ("expand-repeat", lambda m: m.expand_dims(arr(m), (1, 1)), ["repeated"]),
    ("squeeze-not-one", lambda m: m.squeeze(arr(m), axis=0), ["size not equal to one"]),
    ("squeeze-axis", lambda m: m.squeeze(arr(m), axis=3), ["axis 3"]),
    ("squeeze-repeat", lambda m: m.squeeze(m.zeros((1, 3)), axis=(0, 0)), ["duplicate"]),
    ("concat-axis", lambda m: m.concatenate([arr(m), arr(m)], axis=3), ["axis 3"]),
    ("stack-axis", lambda m: m.stack([arr(m), arr(m)], axis=-5), ["axis -5"]),
    ("take-axis", lambda m: m.take(arr(m), [0], axis=3), ["axis 3"]),
    ("mT-1d", lambda m: arr(m, I).mT, ["ndim < 2"]),
    # joins and broadcasting
    ("concat-shape", lambda m: m.concatenate([arr(m), arr(m)[..., :1]]), ["dimension", "must match"]),
    ("concat-ndim", lambda m: m.concatenate([arr(m), arr(m)[0]]), ["dimension"]),
    ("concat-0d", lambda m: m.concatenate([arr(m, np.array(1.0))]), ["zero-dimensional"]),
    ("concat-empty", lambda m: m.concatenate([]), ["at least one"]),
    ("concat-out-and-dtype", lambda m: m.concatenate([arr(m)], out=m.zeros(A.shape), dtype=float),
     ["both"]),
    ("stack-shapes", lambda m: m.stack([arr(m), arr(m)[0]]), ["same shape"]),
    ("stack-empty", lambda m: m.stack([]), ["at least one"]),
    ("broadcast-to", lambda m: m.broadcast_to(arr(m), (2, 5, 4)), ["broadcast"]),
    ("broadcast-to-fewer-dims", lambda m: m.broadcast_to(arr(m), (3, 4)), ["dimensions"]),
    ("broadcast-to-negative", lambda m: m.broadcast_to(arr(m, I), (-1, 6)), ["negative"]),
    ("broadcast-arrays", lambda m: m.broadcast_arrays(arr(m), arr(m)[0, :2]), ["mismatch"]),
    ("broadcast-shapes", lambda m: m.broadcast_shapes((2, 3), (4,)), ["mismatch"]),
    # take / nonzero
    ("take-out-of-range", lambda m: m.take(arr(m), [24]), ["out of bounds"]),
    ("take-axis-out-of-range", lambda m: m.take(arr(m), [3], axis=1), ["out of bounds", "axis 1"]),
    ("take-float-array", lambda m: m.take(arr(m), np.array([1.5])), ["cast"]),
    ("take-str", lambda m: m.take(arr(m), ["a"]), ["invalid literal", "int"]),
    ("take-mode", lambda m: m.take(arr(m), [1], mode="bogus"), ["mode", "clip"]),
    ("take-empty-axis", lambda m: m.take(m.zeros((0, 3)), [0], axis=0, mode="wrap"), ["empty"]),
    ("nonzero-0d", lambda m: m.nonzero(arr(m, np.array(1.0))), ["0d"]),
    # conversions
    ("float-of-vector", lambda m: float(arr(m, I)), ["0-dimensional"]),
    ("float-of-size-1", lambda m: float(arr(m, np.array([1.5]))), ["0-dimensional"]),
    ("int-of-empty", lambda m: int(arr(m, np.array([]))), ["0-dimensional"]),
    ("complex-of-vector", lambda m: complex(arr(m, I)), ["0-dimensional"]),
    ("int-of-complex", lambda m: int(arr(m, np.array(1 + 2j))), ["complex"]),
    ("bool-of-vector", lambda m: bool(arr(m, I)), ["ambiguous"]),
    ("bool-of-empty", lambda m: bool(arr(m, np.array([]))), ["empty"]),
    ("index-of-float", lambda m: operator.index(arr(m, np.array(2.0))), ["integer scalar"]),
    ("index-of-vector", lambda m: operator.index(arr(m, np.array([2]))), ["integer scalar"]),
    ("index-of-bool", lambda m: operator.index(arr(m, np.array(True))), ["integer scalar"]),
    ("len-0d", lambda m: len(arr(m, np.array(1.0))), ["unsized"]),
    ("iter-0d", lambda m: iter(arr(m, np.array(1.0))), ["0-d"]),
    ("ragged-list", lambda m: m.asarray([[1, 2], [3]]), ["inhomogeneous", "sequence"]),
]


def _comparable(exc_type):
    """NumPy's private subclasses (e.g. _ArrayMemoryError) compare as their public base."""
    while exc_type.__module__.startswith("numpy._core"):
        exc_type = exc_type.__base__
    return exc_type


@pytest.mark.parametrize("fn,words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_same_exception_as_numpy(fn, words):
    try:
        fn(np)
    except Exception as e:  # noqa: BLE001 - NumPy is the oracle for which exception is right
        expected = _comparable(type(e))
    else:
        pytest.fail("NumPy accepts this input; the case is wrong")
    with pytest.raises(Exception) as info:
        fn(nf)
    assert _comparable(type(info.value)) is expected, \
        f"{type(info.value).__name__}: {info.value} (NumPy raises {expected.__name__})"
    message = str(info.value).lower()
    assert any(w.lower() in message for w in words), message


def test_axis_errors_are_both_value_and_index_errors():
    with pytest.raises(ValueError):
        nf.swapaxes(nf.zeros((2, 2)), 0, 2)
    with pytest.raises(IndexError):
        nf.expand_dims(nf.zeros((2, 2)), 3)


UNSUPPORTED_DTYPES = ["float16", "e", object, str, "U5", "S3", "M8[s]", "m8", np.longdouble, "V8",
                      [("a", "i4"), ("b", "f8")], np.clongdouble]


@pytest.mark.parametrize("dtype", UNSUPPORTED_DTYPES, ids=repr)
def test_dtypes_numpy_has_but_numfuse_does_not_are_type_errors(dtype):
    name = str(np.dtype(dtype))
    for make in (lambda: nf.zeros(3, dtype=dtype), lambda: nf.empty((2, 2), dtype),
                 lambda: nf.full(2, 0, dtype=dtype), lambda: nf.ones(1).astype(dtype),
                 lambda: nf.asarray(np.zeros(2, dtype=dtype)), lambda: nf.arange(3, dtype=dtype)):
        with pytest.raises(TypeError) as info:
            make()
        assert "data type" in str(info.value) or name in str(info.value)


def test_unsupported_element_data_is_refused():
    with pytest.raises(TypeError, match="data type"):
        nf.asarray(["a", "b"])
    with pytest.raises(TypeError, match="data type"):
        nf.asarray([1, None])


def test_huge_allocation_is_memory_error_not_a_crash():
    try:
        np.empty(2**45)
    except MemoryError:
        with pytest.raises(MemoryError):
            nf.empty(2**45)
    else:  # this machine overcommits; only check that numfuse does not crash either
        nf.empty(2**45)
