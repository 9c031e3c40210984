"""`import numfuse as np` without dead ends (issue 13 §1), NumPy as the oracle.

(a) every public name of NumPy's main namespace, random, linalg, fft, lib.stride_tricks and
testing exists on numfuse unless _dropin.EXCLUDED names it with a reason; (b) a table of NumPy
functions called as numpy.f(numfuse) and nf.f(numfuse) against numpy.f(numpy): values,
dtypes, shapes, numfuse result types, tuple results, out=, views, exception types; (c)
flags.writeable; (d) nf.fallbacks() and the once-per-name warnings; (e) short exercise-style
scripts run with `np` bound to numfuse and to NumPy.
"""
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

import numfuse as nf
from numfuse import _dropin

NAMESPACES = [("", np, nf), ("random", np.random, nf.random), ("linalg", np.linalg, nf.linalg),
              ("fft", np.fft, nf.fft), ("lib.stride_tricks", np.lib.stride_tricks, nf.lib.stride_tricks),
              ("testing", np.testing, nf.testing)]


# ---- (a) coverage -------------------------------------------------------------------------

@pytest.mark.parametrize("prefix,np_module,nf_module", NAMESPACES, ids=[n[0] or "main" for n in NAMESPACES])
def test_every_public_numpy_name_exists(prefix, np_module, nf_module):
    missing = [name for name in _dropin.public_names(np_module)
               if not hasattr(nf_module, name) and (prefix or name not in _dropin.EXCLUDED)]
    assert missing == []


def test_excluded_names_are_absent_and_explained():
    for name, reason in _dropin.EXCLUDED.items():
        assert not hasattr(nf, name), name
        assert len(reason) > 20


@pytest.mark.parametrize("make", [lambda: nf.array(["a", "b"]), lambda: nf.zeros(3, dtype="datetime64[s]"),
                                  lambda: nf.asarray(np.zeros(2, dtype="i4,f8")),
                                  lambda: nf.zeros(2, dtype=np.float16)])
def test_dtypes_numfuse_lacks_raise_type_error_naming_them(make):
    with pytest.raises(TypeError, match="data type"):
        make()


def test_native_names_are_not_shadowed():
    names = set(nf.fallbacks())
    for native in ("add", "sum", "reshape", "concatenate", "linalg.solve", "linalg.eig",
                   "random.default_rng", "einsum"):
        assert native not in names
    assert nf.add is nf._ufuncs._FUNCTIONS["add"]
    for name in names:  # each listed name resolves to the fallback registered for it
        obj = nf
        for part in name.split("."):
            obj = getattr(obj, part) if not isinstance(obj, type) else obj.__dict__[part]
        assert obj is not None


# ---- (b) functions on numfuse arrays ------------------------------------------------------

RNG = np.random.default_rng(7)  # NumPy's own generator: only the inputs, never asserted on
F1 = np.array([3.5, -1.0, 2.0, 2.0, 7.25, 0.5, -4.0, 2.0])
F2 = RNG.standard_normal((4, 5))
I1 = np.array([4, 1, 3, 1, 0, 4, 4, 2], dtype=np.int64)
I2 = np.arange(12, dtype=np.int32).reshape(3, 4)
B1 = I1 > 1
C1 = F1[:4] + 1j * F1[4:]
SQ = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])
NS = np.array([[2.0, 1.0], [-1.0, 3.0]])

# (label, namespace path, function name, args, kwargs); args that are NumPy arrays are passed
# to numfuse as numfuse copies.
CASES = [
    ("sort", "", "sort", (F1,), {}),
    ("sort2d", "", "sort", (F2,), {"axis": 0}),
    ("argsort", "", "argsort", (F1,), {"kind": "stable"}),
    ("unique_counts", "", "unique", (I1,), {"return_counts": True, "return_inverse": True}),
    ("unique_all", "", "unique_all", (I1,), {}),
    ("histogram", "", "histogram", (F1,), {"bins": 4}),
    ("histogram2d", "", "histogram2d", (F1, F1[::-1]), {"bins": 3}),
    ("bincount", "", "bincount", (I1,), {}),
    ("diff", "", "diff", (F2,), {"axis": 1, "n": 2}),
    ("percentile", "", "percentile", (F2, [10, 50, 90]), {"axis": 0}),
    ("median", "", "median", (F1,), {}),
    ("nanmedian", "", "nanmedian", (np.where(F1 > 3, np.nan, F1),), {}),
    ("interp", "", "interp", (F1, np.sort(F1), I1.astype(float)), {}),
    ("searchsorted", "", "searchsorted", (np.sort(F1), F1), {"side": "right"}),
    ("digitize", "", "digitize", (F1, np.array([-1.0, 0.0, 2.0, 5.0])), {}),
    ("convolve", "", "convolve", (F1, np.array([1.0, 2.0, 1.0])), {"mode": "same"}),
    ("polyfit", "", "polyfit", (np.arange(8.0), F1, 2), {}),
    ("polyval", "", "polyval", (np.array([1.0, -2.0, 3.0]), F1), {}),
    ("roots", "", "roots", (np.array([1.0, -3.0, 2.0]),), {}),
    ("trapezoid", "", "trapezoid", (F2,), {"axis": 1}),
    ("gradient", "", "gradient", (F2,), {}),
    ("meshgrid", "", "meshgrid", (F1[:3], I1[:2]), {"indexing": "ij"}),
    ("tile", "", "tile", (I2, (2, 1)), {}),
    ("repeat", "", "repeat", (I1, 2), {}),
    ("roll", "", "roll", (F2, 2), {"axis": 1}),
    ("flip", "", "flip", (F2,), {"axis": 0}),
    ("rot90", "", "rot90", (I2,), {}),
    ("tril", "", "tril", (F2,), {"k": -1}),
    ("vander", "", "vander", (F1[:4],), {}),
    ("hstack", "", "hstack", ([F1, F1],), {}),
    ("vstack", "", "vstack", ((I2, I2),), {}),
    ("column_stack", "", "column_stack", ((F1, I1),), {}),
    ("split", "", "split", (F1, 4), {}),
    ("array_split", "", "array_split", (I2, 3), {"axis": 1}),
    ("pad", "", "pad", (I2, 1), {"mode": "reflect"}),
    ("insert", "", "insert", (F1, 2, 9.0), {}),
    ("delete", "", "delete", (I2, 1), {"axis": 0}),
    ("isin", "", "isin", (I1, np.array([1, 4])), {}),
    ("intersect1d", "", "intersect1d", (I1, np.array([1, 4, 9])), {"return_indices": True}),
    ("setdiff1d", "", "setdiff1d", (I1, np.array([1, 4])), {}),
    ("lexsort", "", "lexsort", ((I1, F1),), {}),
    # every kth: the one arrangement partition defines (beyond its kth positions NumPy's order is
    # its introselect's, which numfuse's selection need not reproduce)
    ("partition", "", "partition", (F1, list(range(len(F1)))), {}),
    ("nan_to_num", "", "nan_to_num", (np.array([np.nan, np.inf, -1.0]),), {}),
    ("allclose", "", "allclose", (F1, F1 + 1e-12), {}),
    ("array_equal", "", "array_equal", (I1, I1), {}),
    ("average", "", "average", (F2,), {"axis": 1, "weights": np.arange(1.0, 6.0), "returned": True}),
    ("cov", "", "cov", (F2,), {}),
    ("corrcoef", "", "corrcoef", (F2,), {}),
    ("ptp", "", "ptp", (I2,), {"axis": 1}),
    ("take_along_axis", "", "take_along_axis", (F2, np.argsort(F2, axis=1)), {"axis": 1}),
    ("diag", "", "diag", (F2,), {"k": 1}),
    ("unravel_index", "", "unravel_index", (I1, (3, 5)), {}),
    ("tril_indices_from", "", "tril_indices_from", (SQ,), {}),
    ("argwhere", "", "argwhere", (B1,), {}),
    ("select", "", "select", ([B1, ~B1], [I1, -I1]), {}),
    ("count_nonzero_bool", "", "flatnonzero", (B1,), {}),
    ("kron", "", "kron", (NS, I2[:2, :2]), {}),
    ("complex_sort", "", "sort_complex", (C1,), {}),
    ("frexp", "", "frexp", (F1,), {}),
    ("gcd", "", "gcd", (I1, 6), {}),
    ("heaviside", "", "heaviside", (F1, 0.5), {}),
    ("packbits", "", "packbits", (B1,), {}),
    ("atleast_3d", "", "atleast_3d", (F1,), {}),
    ("linalg.eig", "linalg", "eig", (NS,), {}),
    ("linalg.eigh", "linalg", "eigh", (SQ,), {}),
    ("linalg.svd", "linalg", "svd", (F2,), {"full_matrices": False}),
    ("linalg.tensorsolve", "linalg", "tensorsolve", (SQ, F1[:3]), {}),
    ("fft.fft", "fft", "fft", (F1,), {}),
    ("fft.rfft2", "fft", "rfft2", (F2,), {}),
    ("fft.ifft", "fft", "ifft", (C1,), {"n": 6}),
    ("fft.fftshift", "fft", "fftshift", (F2,), {}),
    ("fft.fftfreq", "fft", "fftfreq", (8, 0.5), {}),
    ("swv", "lib.stride_tricks", "sliding_window_view", (F2, (2, 3)), {}),
    ("as_strided", "lib.stride_tricks", "as_strided", (F1,), {"shape": (3, 4), "strides": (16, 8)}),
    ("emath.sqrt", "emath", "sqrt", (F1,), {}),
]


# numpy.roots's dispatcher returns its argument itself instead of a tuple, so NumPy iterates
# the array and never sees a numfuse array: it computes on its own and returns NumPy's type.
NUMPY_DOES_NOT_DISPATCH = {"roots"}


def resolve(root, path, name):
    for part in path.split(".") if path else ():
        root = getattr(root, part)
    return getattr(root, name)


def to_numfuse_args(value):
    if isinstance(value, np.ndarray):
        return nf.array(value)
    if isinstance(value, (list, tuple)):
        return type(value)(to_numfuse_args(v) for v in value)
    return value


def same(got, want, where="result"):
    """numfuse `got` equals NumPy `want`: structure, numfuse array types, dtypes, shapes, values."""
    if isinstance(want, np.ndarray):
        assert isinstance(got, nf.ndarray), f"{where}: {type(got)}"
        assert got.dtype == want.dtype and got.shape == want.shape, where
        if want.dtype.kind in "fc":  # native LAPACK calls may differ from NumPy's in the last ulp
            np.testing.assert_allclose(np.asarray(got), want, rtol=1e-12, atol=1e-14, err_msg=where)
        else:
            np.testing.assert_array_equal(np.asarray(got), want, err_msg=where)
    elif isinstance(want, (tuple, list)):
        # numfuse.linalg's named tuples are its own classes with NumPy's names and fields
        assert type(got).__name__ == type(want).__name__ and len(got) == len(want), where
        assert getattr(got, "_fields", None) == getattr(want, "_fields", None), where
        for i, (g, w) in enumerate(zip(got, want)):
            same(g, w, f"{where}[{i}]")
    else:
        assert type(got) is type(want), f"{where}: {type(got)} vs {type(want)}"
        np.testing.assert_array_equal(got, want, err_msg=where)


@pytest.mark.parametrize("label,path,name,args,kwargs", CASES, ids=[c[0] for c in CASES])
def test_function_on_numfuse_arrays_matches_numpy(label, path, name, args, kwargs):
    want = resolve(np, path, name)(*args, **kwargs)
    nf_args = to_numfuse_args(args)
    same(resolve(nf, path, name)(*nf_args, **kwargs), want, f"nf.{label}")
    np_func = resolve(np, path, name)
    dispatched = isinstance(np_func, np.ufunc) or hasattr(np_func, "_implementation")
    if dispatched and label not in NUMPY_DOES_NOT_DISPATCH:  # as_strided, fftfreq: no protocol
        same(resolve(np, path, name)(*nf_args, **kwargs), want, f"numpy.{label}")


def test_numpy_function_on_lazy_numfuse_array():
    a = nf.array(F1)
    pending = a * 2 + 1  # not computed yet
    same(np.sort(pending), np.sort(F1 * 2 + 1))
    same(np.median(pending), np.median(F1 * 2 + 1))


OUT_CALLS = {
    "cumulative_sum": (lambda m, x, o: m.cumulative_sum(x, out=o), np.float64),
    "gcd_ufunc": (lambda m, x, o: m.gcd(x.astype(np.int64), 4, out=o), np.int64),
    "copyto": (lambda m, x, o: m.copyto(o, x), np.float64),
}


@pytest.mark.parametrize("name", sorted(OUT_CALLS))
def test_out_is_written_in_place_and_lazy_readers_keep_old_values(name):
    call, dtype = OUT_CALLS[name]
    results = []
    for module in (np, nf):
        x = module.array(np.arange(6.0))
        out = module.full(6, 5, dtype=dtype)
        before = out * 3  # numfuse: a pending reader of `out` when the fallback writes it
        result = call(module, x, out)
        assert result is out or result is None
        results.append((out, before))
    (want_out, want_before), (got_out, got_before) = results
    same(got_out, want_out, "out")
    same(got_before, want_before, "pending reader")


def test_numpy_out_on_numfuse_array_returns_it():
    x = nf.arange(5.0)
    out = nf.zeros(5)
    assert np.cumulative_sum(x, out=out) is out
    np.testing.assert_array_equal(np.asarray(out), np.cumsum(np.arange(5.0)))
    assert np.gcd.reduce(nf.array([12, 18, 24])) == 6
    idx = nf.array([0, 0, 2])
    np.add.at(out, idx, 1.0)
    np.testing.assert_array_equal(np.asarray(out), np.cumsum(np.arange(5.0)) + [2, 0, 1, 0, 0])


def test_view_results_share_memory_and_lazy_readers_stay_consistent():
    base_np = np.arange(6.0)
    base = nf.array(base_np)
    pending = base + 1  # reads base; not computed yet
    flipped = nf.flip(base)
    flipped_np = np.flip(base_np)
    flipped[0] = 99.0
    flipped_np[0] = 99.0
    np.testing.assert_array_equal(np.asarray(base), base_np)  # written through the view
    np.testing.assert_array_equal(np.asarray(pending), np.arange(6.0) + 1)  # old value kept
    window = nf.lib.stride_tricks.sliding_window_view(base, 3, writeable=True)
    assert isinstance(window, nf.ndarray) and window._same_buffer(base)
    window[0, 0] = -5.0
    assert base[0] == -5.0
    strided = nf.lib.stride_tricks.as_strided(base, shape=(2, 3), strides=(16, 8))
    assert isinstance(strided, nf.ndarray) and strided._same_buffer(base) and strided.flags.writeable
    strided[1, 2] = 42.0
    assert base[4] == 42.0
    assert nf.asanyarray(base) is base and np.asanyarray(base) is not base  # views map back


def test_in_place_numpy_functions_write_numfuse_arrays():
    for module in (np, nf):
        a = module.zeros((3, 3))
        module.fill_diagonal(a, 2.0)
        module.put(a, [0, 8], [7.0, 8.0])
        module.place(a, a == 0, [1.0])
        a[1].sort()
        if module is np:
            want = a
        else:
            same(a, want)


def public_type(error):
    """An exception's type as a script can name it: NumPy's private classes (numpy._core's
    _UFuncNoLoopError, a TypeError NumPy raises for some ufuncs and not others) count as their
    builtin base; public ones (np.exceptions.AxisError, ...) as themselves."""
    kind = error if isinstance(error, type) else type(error)
    if kind.__module__.startswith("numpy._core"):
        return next(t for t in kind.__mro__ if t.__module__ == "builtins")
    return kind


@pytest.mark.parametrize("call", [
    lambda m: m.sort(m.asarray(F2), axis=4),
    lambda m: m.unique(m.asarray(I2), axis=3),
    lambda m: m.histogram(m.asarray(F1), bins=-1),
    lambda m: m.fft.fft(m.asarray(F1), n=0),
    lambda m: m.linalg.tensorinv(m.asarray(F2)),
    lambda m: m.pad(m.asarray(I2), 1, mode="nope"),
    lambda m: m.split(m.asarray(F1), 3),
    lambda m: m.gcd(m.asarray(F1), 2),
    lambda m: m.lib.stride_tricks.sliding_window_view(m.asarray(F1), 20),
], ids=["axis", "unique_axis", "bins", "fft_n", "tensorinv", "pad_mode", "split", "gcd_float", "window"])
def test_errors_have_numpy_types(call):
    with pytest.raises(Exception) as want:
        call(np)
    with pytest.raises(Exception) as got:
        call(nf)
    assert public_type(got.value) is public_type(want.value)


def test_missing_ndarray_methods_run_numpys():
    for module in (np, nf):
        a = module.asarray(F1).copy()
        order = a.argsort(kind="stable")  # F1 has ties: the default kind's order of them is NumPy's choice
        a.sort()
        b = module.asarray(I2).copy()
        b.fill(3)
        if module is np:
            want = (order, a, b, a.tobytes(), a.view(np.int64))
        else:
            same((order, a, b), want[:3])
            assert a.tobytes() == want[3]
            same(a.view(np.int64), want[4])


# ---- (c) flags.writeable ------------------------------------------------------------------

@pytest.mark.parametrize("write", [
    lambda m, a: a.__setitem__(0, 1),
    lambda m, a: a.__setitem__(m.asarray([0, 1]), 1),
    lambda m, a: a.__iadd__(1),
    lambda m, a: m.add(a, 1, out=a),
    lambda m, a: a.fill(0),
    lambda m, a: m.copyto(a, 2.0),
    lambda m, a: m.cumulative_sum(a, out=a),
], ids=["setitem", "fancy_setitem", "iadd", "ufunc_out", "fill", "copyto", "fallback_out"])
def test_read_only_array_refuses_writes_like_numpy(write):
    for module in (np, nf):
        a = module.arange(4.0)
        a.flags.writeable = False
        with pytest.raises(ValueError) as info:
            write(module, a)
        if module is np:
            want = str(info.value)
        else:
            assert str(info.value) == want
            np.testing.assert_array_equal(np.asarray(a), np.arange(4.0))


def test_writeable_round_trips_where_numpy_allows():
    for module in (np, nf):
        a = module.arange(4.0)
        a.flags.writeable = False
        assert not a.flags.writeable and not a.flags["W"]
        view = a[1:]
        with pytest.raises(ValueError):
            view.flags.writeable = True  # a view of a read-only base
        a.setflags(write=True)
        a[0] = 7.0
        assert a.flags.writeable and a[0] == 7.0
        frozen = module.asarray(np.frombuffer(b"\x01\x02\x03\x04", dtype=np.uint8))
        with pytest.raises(ValueError):
            frozen.flags.writeable = True  # read-only foreign memory
        window = module.lib.stride_tricks.sliding_window_view(module.arange(5.0), 2)
        assert not window.flags.writeable
        with pytest.raises(ValueError):
            window[0, 0] = 1.0
        a.flags["WRITEABLE"] = False
        assert not np.asarray(a).flags.writeable  # exports follow the flag


# ---- (d) fallbacks() and warnings ---------------------------------------------------------

def test_fallback_list_and_warnings_once_per_name():
    names = nf.fallbacks()
    assert names == sorted(names) and {"polydiv", "emath.sqrt", "testing.assert_allclose"} <= set(names)
    x = nf.arange(4.0)
    previous = nf.set_fallback_warnings(True)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            nf.polydiv(x, [1.0, 2.0])
            np.polydiv(x, [1.0, 2.0])  # the NumPy entry point runs the same fallback
            nf.polydiv(x, [1.0, 2.0])
            nf.emath.sqrt(x)
            nf.add(x, x)  # native: no warning
            nf.sum(x)
        ours = [w for w in caught if issubclass(w.category, nf.FallbackWarning)]
        messages = [str(w.message) for w in ours]
        assert len(messages) == 2
        assert ours[0].filename == __file__  # points at the caller's line
        assert messages[0].startswith("numfuse.polydiv ") and messages[1].startswith("numfuse.emath.sqrt ")
    finally:
        nf.set_fallback_warnings(previous)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nf.polydiv(x, [1.0, 2.0])  # warnings off: silent


def test_fallback_warnings_from_environment():
    code = ("import warnings, numfuse as nf\nwarnings.simplefilter('always')\n"
            "with warnings.catch_warnings(record=True) as w:\n"
            "    warnings.simplefilter('always')\n"
            "    nf.polydiv(nf.arange(3.0), [1.0]); nf.polydiv(nf.arange(3.0), [1.0])\n"
            "print(sum(issubclass(x.category, nf.FallbackWarning) for x in w))\n")
    env = dict(os.environ, NUMFUSE_FALLBACK_WARNINGS="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "1"


def test_slow_numpy_submodules_load_on_first_use():
    code = ("import sys, numfuse\nprint('numpy.testing' in sys.modules)\n"
            "import numfuse.testing\nfrom numfuse.polynomial import chebyshev\n"
            "numfuse.testing.assert_allclose(chebyshev.chebval(numfuse.arange(3.0), [1.0, 2.0]), "
            "[1.0, 3.0, 5.0])\nprint(numfuse.testing is sys.modules['numfuse.testing'])\n")
    out = subprocess.run([sys.executable, "-c", code], env=dict(os.environ), capture_output=True,
                         text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


# ---- (e) exercise-style scripts -----------------------------------------------------------

SCRIPTS = {
    "border_and_checkerboard": """
Z = np.ones((6, 6)); Z[1:-1, 1:-1] = 0
C = np.zeros((8, 8), dtype=int); C[1::2, ::2] = 1; C[::2, 1::2] = 1
T = np.tile(np.array([[0, 1], [1, 0]]), (4, 4))
result = [Z, C, np.array_equal(C, T), np.pad(np.ones((3, 3)), 1, mode='constant')]
""",
    "normalize_and_nearest": """
Z = np.arange(25.0).reshape(5, 5) ** 1.5
Z = (Z - np.mean(Z)) / np.std(Z)
v = 0.3
nearest = Z.flat[np.abs(Z - v).argmin()]
sorted_by_col = Z[Z[:, 1].argsort()]
result = [Z, nearest, sorted_by_col, np.unravel_index(np.argmax(Z), Z.shape)]
""",
    "moving_average_and_windows": """
def moving_average(a, n=3):
    ret = np.cumsum(a, dtype=float)
    ret[n:] = ret[n:] - ret[:-n]
    return ret[n - 1:] / n
Z = np.arange(20)
W = np.lib.stride_tricks.sliding_window_view(Z, 4)
result = [moving_average(Z, 3), W.sum(axis=1), np.convolve(Z, np.ones(3) / 3, mode='valid')]
""",
    "counting_and_sets": """
Z = np.array([1, 3, 3, 7, 2, 3, 7, 7, 7, 0])
counts = np.bincount(Z)
most = np.argmax(counts)
vals, idx, cnt = np.unique(Z, return_index=True, return_counts=True)
one_hot = np.eye(8, dtype=int)[Z]
rows = np.array([[1, 2], [3, 4], [1, 2], [0, 0]])
result = [counts, most, vals, idx, cnt, one_hot, np.unique(rows, axis=0), np.setxor1d(Z, [0, 9])]
""",
    "linear_algebra_and_fft": """
A = np.array([[3.0, 1.0, 0.0], [1.0, 2.0, 1.0], [0.0, 1.0, 4.0]])
w, V = np.linalg.eigh(A)
rank = np.linalg.matrix_rank(A)
spectrum = np.abs(np.fft.rfft(np.sin(np.linspace(0, 8 * np.pi, 64))))
peak = np.argmax(spectrum)
outer = np.arange(3)[:, None] - np.arange(4)
result = [np.round(w, 10), rank, peak, outer, np.allclose(A @ V, V * w), np.histogram(spectrum, bins=5)[0]]
""",
    "dates_free_statistics": """
Z = np.linspace(-2.0, 2.0, 11)
q = np.percentile(Z, [25, 50, 75])
clipped = np.clip(Z, -1, 1)
Z[Z > 1.5] = np.nan
result = [q, clipped, np.nanmean(Z), np.isnan(Z).sum(), np.nan_to_num(Z, nan=-9.0), np.diff(np.sort(Z))]
""",
}


def _as_plain(value):
    if isinstance(value, nf.ndarray):
        return np.asarray(value)
    if isinstance(value, (list, tuple)):
        return [_as_plain(v) for v in value]
    return value


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_exercise_script_matches_numpy(name):
    results = {}
    for module in (np, nf):
        scope = {"np": module}
        exec(SCRIPTS[name], scope)  # the same source under `import numpy as np` / `import numfuse as np`
        results[module.__name__] = scope["result"]
    want, got = results["numpy"], results["numfuse"]
    assert len(got) == len(want)
    for i, (g, w) in enumerate(zip(got, want)):
        if isinstance(w, np.ndarray):
            assert isinstance(g, nf.ndarray), f"{name}[{i}]: {type(g)}"
        g, w = _as_plain(g), _as_plain(w)
        np.testing.assert_array_equal(np.asarray(g), np.asarray(w), err_msg=f"{name}[{i}]")
        assert np.asarray(g).dtype == np.asarray(w).dtype, f"{name}[{i}]"


# ---- every dispatched NumPy function, on one input ----------------------------------------

def _structure(value):
    """The shape of a result: array dtype/shape, container kinds, scalar types."""
    if isinstance(value, (np.ndarray, nf.ndarray)):
        return ("array", value.dtype, value.shape)
    if isinstance(value, (tuple, list)):
        return (type(value).__name__ if type(value) in (tuple, list) else "named",
                tuple(_structure(v) for v in value))
    return type(value).__name__


def _dispatched(np_module):
    return sorted(name for name in dir(np_module) if not name.startswith("_")
                  and (hasattr(getattr(np_module, name), "_implementation")
                       or isinstance(getattr(np_module, name), np.ufunc)))


SWEEP = [(prefix, name) for prefix, module in (("", np), ("linalg", np.linalg), ("fft", np.fft))
         for name in _dispatched(module) if prefix or name not in _dropin.EXCLUDED]


def test_every_dispatched_numpy_function_takes_a_numfuse_array():
    """numpy.f(numfuse) and nf.f(numfuse) behave as numpy.f(numpy) for all ~360 dispatched
    functions and ufuncs given a 3x3 float array (twice for binary ufuncs): same exception
    type, or the same result structure with numfuse arrays where NumPy returns arrays."""
    base = np.array([[3.0, 1.0, 2.0], [0.5, 4.0, 1.5], [2.0, 2.0, 7.0]])
    diverging = []
    for prefix, name in SWEEP:
        func = resolve(np, prefix, name)
        count = 2 if isinstance(func, np.ufunc) and func.nin == 2 else 1
        outcomes = []
        calls = [(func, (base,) * count), (func, (nf.array(base),) * count),
                 (resolve(nf, prefix, name), (nf.array(base),) * count)]
        for callee, args in calls:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    result = callee(*args)
                except Exception as error:  # noqa: BLE001  (the type is what is compared)
                    outcomes.append(("raises", public_type(error)))
                    continue
            outcomes.append(_structure(result))
            if isinstance(result, np.ndarray) and args[0].__class__ is nf.ndarray:
                outcomes[-1] = ("numpy array for numfuse input",)
        if outcomes[1:] != outcomes[:1] * 2:
            diverging.append((f"{prefix}.{name}".lstrip("."), outcomes))
    assert diverging == []


def test_scalar_types_of_missing_dtypes_are_numpys_and_arrays_of_them_refuse():
    """np.datetime64('today') - np.timedelta64(1) runs under `import numfuse as np` (NumPy's scalar
    classes); an array of a dtype numfuse lacks is a TypeError naming the dtype, not a dead end."""
    for name in ("datetime64", "timedelta64", "str_", "bytes_", "void", "float16", "longdouble"):
        assert getattr(nf, name) is getattr(np, name), name
    assert nf.datetime64("2016-07-01") + nf.timedelta64(1, "D") == np.datetime64("2016-07-02")
    for call in (lambda: nf.zeros(3, dtype=nf.datetime64), lambda: nf.arange("2016-07", "2016-08", dtype="datetime64[D]"),
                 lambda: nf.array(["a", "b"]), lambda: nf.ones(2, dtype=nf.float16)):
        with pytest.raises(TypeError, match="numfuse does not support the data type"):
            call()


def test_show_config_describes_numfuse(capsys):
    assert nf.show_config() is None
    printed = capsys.readouterr().out
    assert "numfuse" in printed and nf._core._simd_arch() in printed
    config = nf.show_config(mode="dicts")
    assert config["numfuse"]["version"] == nf.__version__
    with pytest.raises(AttributeError):
        nf.show_config(mode="yaml")


def test_view_as_a_numfuse_subclass_says_why_it_cannot():
    class Named(nf.ndarray):
        pass

    with pytest.raises(TypeError, match="numfuse arrays have no subclasses"):
        nf.arange(3).view(Named)
    assert type(nf.arange(3).view(np.ndarray)) is np.ndarray  # NumPy's type: a NumPy view, as before
