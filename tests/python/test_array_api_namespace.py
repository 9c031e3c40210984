"""The array API standard's namespace-level contract (spec sections "API specification: array
object / inspection / data type functions / data types" and "Devices"), checked against NumPy 2,
whose main namespace is a conforming one, where NumPy conforms."""
import inspect

import numpy as np
import pytest

import numfuse as nf
from numfuse import _core

DTYPE_NAMES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
               "float32", "float64", "complex64", "complex128"]
DTYPES = [np.dtype(n) for n in DTYPE_NAMES]
KINDS = ["bool", "signed integer", "unsigned integer", "integral", "real floating",
         "complex floating", "numeric"]
FLOATS = [np.dtype(n) for n in ("float32", "float64", "complex64", "complex128")]
INTS = [d for d in DTYPES if d.kind in "iu"]


def pending(a):
    return _core._is_pending(a)


# ---- version and namespace ------------------------------------------------------------------

def test_version_and_namespace():
    # "__array_api_version__: a string of the form YYYY.MM"; x.__array_namespace__() is the namespace
    assert nf.__array_api_version__ == np.__array_api_version__
    x = nf.ones(3)
    assert x.__array_namespace__() is nf
    assert x.__array_namespace__(api_version="2023.12") is nf
    with pytest.raises(ValueError):
        x.__array_namespace__(api_version="2099.01")  # an unsupported version: ValueError
    assert nf.bool is np.bool and nf.asarray([True]).dtype == nf.bool


def test_inspection_namespace_matches_numpy():
    info, np_info = nf.__array_namespace_info__(), np.__array_namespace_info__()
    caps = info.capabilities()
    assert caps == np_info.capabilities()
    assert isinstance(caps["max dimensions"], int)
    assert info.default_device() in info.devices() and info.devices() == np_info.devices()
    assert info.default_dtypes() == np_info.default_dtypes()
    assert info.default_dtypes(device="cpu") == np_info.default_dtypes()
    assert info.dtypes() == np_info.dtypes() and list(info.dtypes()) == DTYPE_NAMES
    for kind in KINDS + [("bool", "real floating"), ("integral", "complex floating")]:
        assert info.dtypes(kind=kind) == np_info.dtypes(kind=kind), kind
    for method in (info.dtypes, info.default_dtypes):
        with pytest.raises(ValueError):
            method(device="gpu")


# ---- finfo / iinfo --------------------------------------------------------------------------

@pytest.mark.parametrize("dt", FLOATS, ids=str)
def test_finfo(dt):
    want = np.finfo(dt)
    for arg in (dt, dt.type, nf.ones(2, dtype=dt)):  # a dtype or an array
        got = nf.finfo(arg)
        # the standard's attribute types: bits int, eps/max/min/smallest_normal Python floats
        assert type(got.bits) is int and got.bits == want.bits
        for name in ("eps", "max", "min", "smallest_normal"):
            value = getattr(got, name)
            assert isinstance(value, float) and value == float(getattr(want, name)), name
            assert str(value) == str(getattr(want, name)), name  # printed as NumPy prints them
        assert got.dtype == want.dtype  # the real dtype: float32 for complex64
        assert got.tiny == want.tiny and got.resolution == want.resolution  # NumPy's extras
    with pytest.raises(ValueError):
        np.finfo(np.int32)
    with pytest.raises(ValueError):
        nf.finfo(nf.int32)


@pytest.mark.parametrize("dt", INTS, ids=str)
def test_iinfo(dt):
    want = np.iinfo(dt)
    for arg in (dt, nf.zeros(2, dtype=dt)):
        got = nf.iinfo(arg)
        assert (got.bits, got.min, got.max, got.dtype) == (want.bits, want.min, want.max, want.dtype)
        assert all(type(v) is int for v in (got.bits, got.min, got.max))
    with pytest.raises(ValueError):
        nf.iinfo(nf.float64)


# ---- isdtype, can_cast, result_type, astype -------------------------------------------------

def test_isdtype_matches_numpy():
    for dt in DTYPES:
        for kind in KINDS + DTYPES + [("integral", np.dtype("float32")), ("bool",)]:
            assert nf.isdtype(dt, kind) == np.isdtype(dt, kind), (dt, kind)
    with pytest.raises(ValueError):
        nf.isdtype(nf.dtype("int8"), "integer")  # not a kind name
    with pytest.raises(TypeError):
        nf.isdtype("int8", "integral")  # a string is not a dtype


def test_can_cast_and_result_type_match_numpy():
    for a in DTYPES:
        for b in DTYPES:
            assert nf.can_cast(a, b) == np.can_cast(a, b), (a, b)
            assert nf.result_type(a, b) == np.result_type(a, b), (a, b)
    assert nf.can_cast(nf.ones(2, dtype=nf.int8), nf.int16)
    # Python scalars are weak (NEP 50): result_type(float32 array, 1.0) is float32
    for scalar in (1, 1.5, 1j, True):
        for dt in (np.dtype("int8"), np.dtype("float32"), np.dtype("complex64")):
            want = np.result_type(np.ones(1, dt), scalar)
            assert nf.result_type(nf.ones(1, dtype=dt), scalar) == want, (dt, scalar)
    with pytest.raises(ValueError):
        nf.result_type()


def test_result_type_and_can_cast_do_not_compute():
    x = nf.ones(1000, dtype=nf.float32) * 2  # pending lazy work
    if not pending(x):
        pytest.skip("lazy evaluation is off")
    assert nf.result_type(x, nf.int64) == np.float64
    assert nf.can_cast(x, nf.float64)
    assert pending(x)


def test_astype_function():
    x = nf.arange(6).reshape(2, 3)
    y = nf.astype(x, nf.float32)
    assert y.dtype == np.float32 and y.shape == (2, 3)
    np.testing.assert_array_equal(np.asarray(y), np.arange(6, dtype=np.float32).reshape(2, 3))
    assert nf.astype(x, x.dtype, copy=False) is x  # "copy=False: the input if possible"
    copied = nf.astype(x, x.dtype)
    assert copied is not x and not np.shares_memory(np.asarray(copied), np.asarray(x))
    assert nf.astype(x, nf.int8, device="cpu").dtype == np.int8
    with pytest.raises(ValueError):
        nf.astype(x, nf.int8, device="gpu")
    with pytest.raises(TypeError):
        nf.astype([1, 2], nf.int8)
    assert inspect.signature(nf.astype) == inspect.signature(np.astype)


# ---- devices ----------------------------------------------------------------------------------

CREATION = {
    "arange": lambda device: nf.arange(5, device=device),
    "asarray": lambda device: nf.asarray([1, 2], device=device),
    "empty": lambda device: nf.empty((2,), device=device),
    "empty_like": lambda device: nf.empty_like(nf.ones(2), device=device),
    "eye": lambda device: nf.eye(3, device=device),
    "full": lambda device: nf.full((2,), 3.0, device=device),
    "full_like": lambda device: nf.full_like(nf.ones(2), 3, device=device),
    "linspace": lambda device: nf.linspace(0, 1, 5, device=device),
    "ones": lambda device: nf.ones(2, device=device),
    "ones_like": lambda device: nf.ones_like(nf.ones(2), device=device),
    "zeros": lambda device: nf.zeros(2, device=device),
    "zeros_like": lambda device: nf.zeros_like(nf.ones(2), device=device),
    "fftfreq": lambda device: nf.fft.fftfreq(4, device=device),
    "rfftfreq": lambda device: nf.fft.rfftfreq(4, device=device),
}


@pytest.mark.parametrize("name", sorted(CREATION))
def test_creation_functions_take_device(name):
    make = CREATION[name]
    x = make(None)
    assert x.device == "cpu"
    for device in ("cpu", x.device, nf.__array_namespace_info__().default_device()):
        assert make(device).device == "cpu"
    for bad in ("gpu", "cuda:0", 0):
        with pytest.raises(ValueError):
            make(bad)


def test_device_attribute_and_to_device():
    x = nf.arange(4.0)
    assert x.device == "cpu" == np.arange(4.0).device
    assert x.to_device("cpu") is x and x.to_device(x.device) is x
    with pytest.raises(ValueError):
        x.to_device("gpu")
    with pytest.raises(ValueError):
        x.to_device("cpu", stream=1)
    assert x[1:].device == "cpu" and (x + 1).device == "cpu"


def test_asarray_copy_false_never_copies():
    # "copy=False: never copy; raise ValueError if a copy is needed"
    base = np.arange(3.0)
    view = nf.asarray(base, copy=False)
    view[0] = 7.0
    assert base[0] == 7.0
    with pytest.raises(ValueError):
        nf.asarray([1.0, 2.0], copy=False)
    with pytest.raises(ValueError):
        nf.asarray(base, dtype=nf.float32, copy=False)


def test_ufunc_signatures_are_numpys():
    # inspect.signature works on the elementwise functions, as on NumPy 2's ufuncs
    for name in ("add", "sin", "atan2", "logical_not", "bitwise_left_shift"):
        assert inspect.signature(getattr(nf, name)) == inspect.signature(getattr(np, name)), name


@pytest.mark.parametrize("make", [nf.asarray, nf.array], ids=["asarray", "array"])
def test_python_integers_convert_exactly_to_the_dtype_asked_for(make):
    # hypothesis (and the conformance suite built on it) makes arrays as
    # xp.asarray(list_of_python_ints, dtype=dtype) and reads each element back
    big = [0, 2**63 + 1, 2**64 - 1, 12345678901234567]
    got = make(big, dtype=nf.uint64)
    assert np.asarray(got).tolist() == np.asarray(big, dtype=np.uint64).tolist() == big
    assert int(got[1]) == 2**63 + 1
    near = [-(2**63) + 1, 2**62 + 1]
    assert np.asarray(make(near, dtype=nf.int64)).tolist() == near
    for bad, error in (([-1, 2], OverflowError), ([2**64], OverflowError), ([float("nan")], ValueError)):
        with pytest.raises(error):
            np.asarray(bad, dtype=np.uint64)
        with pytest.raises(error):
            make(bad, dtype=nf.uint64)
