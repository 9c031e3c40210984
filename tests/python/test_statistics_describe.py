"""average, cov, corrcoef, ptp, diff, ediff1d, gradient, trapezoid, nancumsum, nancumprod,
convolve, correlate against NumPy. Differences, ptp and integer results are exact; results that
sum (means, dot products, cumulative sums, correlations) may add in another order than NumPy
(pairwise vs blocked sums, BLAS dot) and are compared with rtol 1e-12 (float32: 1e-5).
"""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import numfuse as nf
from statistics_cases import check, same

SETTINGS = settings(max_examples=50, deadline=None)
DTYPES = [np.float64, np.float32, np.int64, np.int16, np.uint8, np.bool_, np.complex128]


def elements(dtype, nan=False):
    kind = np.dtype(dtype).kind
    if kind == "b":
        return st.booleans()
    if kind in "iu":
        return st.integers(0, 50)
    values = [-2.5, -1.0, 0.0, 0.5, 3.0, 7.25] + ([np.nan] if nan else [])
    if kind == "c":
        return st.sampled_from(values).map(lambda x: complex(x, -x / 2))
    return st.sampled_from(values)


@st.composite
def arrays(draw, min_dims=1, max_dims=3, nan=False, dtypes=DTYPES, min_side=0):
    dtype = draw(st.sampled_from(dtypes))
    shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=6))
    a = draw(hnp.arrays(dtype, shape, elements=elements(dtype, nan)))
    if draw(st.booleans()) and a.ndim >= 1 and a.shape[0] > 1:
        a = a[::2]  # strided view
    return a


def both(f_nf, f_np, exact=False):
    check(f_nf, f_np, exact)


@SETTINGS
@given(data=st.data(), a=arrays(min_dims=0))
def test_diff_and_ediff1d(data, a):
    n = data.draw(st.integers(-1, 3))
    axis = data.draw(st.integers(-max(a.ndim, 1), max(a.ndim, 1) - 1))
    edge = data.draw(st.sampled_from([np._NoValue, 0, "row"]))
    kw = {}
    if edge == 0:
        kw = {"prepend": 0, "append": 1}
    elif edge == "row" and a.ndim and a.shape[axis]:
        kw = {"prepend": np.take(a, [0], axis=axis if a.ndim else 0)}
    both(lambda: nf.diff(a, n, axis=axis, **kw), lambda: np.diff(a, n, axis=axis, **kw), exact=True)
    to_end = data.draw(st.sampled_from([None, [1, 2], 7.5]))
    both(lambda: nf.ediff1d(a, to_end=to_end, to_begin=0), lambda: np.ediff1d(a, to_end=to_end, to_begin=0), exact=True)
    both(lambda: nf.ediff1d(a), lambda: np.ediff1d(a), exact=True)


def test_diff_array_api_spelling():
    x = np.arange(10.0) ** 2
    same(nf.diff(x, axis=-1, n=2, prepend=None, append=None), np.diff(x, n=2), exact=True)


@SETTINGS
@given(data=st.data(), a=arrays(dtypes=[np.float64, np.float32, np.int64, np.complex128], min_side=3))
def test_gradient(data, a):
    axis = data.draw(st.one_of(st.none(), st.integers(-a.ndim, a.ndim - 1)))
    edge_order = data.draw(st.sampled_from([1, 2]))
    axes = range(a.ndim) if axis is None else [axis]
    spacing = data.draw(st.sampled_from(["none", "scalar", "arrays"]))
    if spacing == "none":
        args = ()
    elif spacing == "scalar":
        args = (0.5,)
    else:
        args = tuple(np.cumsum(np.arange(1, a.shape[ax] + 1)) ** 1.5 for ax in axes)
    both(lambda: nf.gradient(a, *args, axis=axis, edge_order=edge_order),
         lambda: np.gradient(a, *args, axis=axis, edge_order=edge_order))


@SETTINGS
@given(data=st.data(), a=arrays(min_dims=0, nan=True))
def test_ptp_nancumsum_nancumprod(data, a):
    # (0-d input with axis=0: NumPy's reductions accept it, numfuse's max/min raise AxisError)
    axis = data.draw(st.one_of(st.none(), st.integers(-a.ndim, a.ndim - 1))) if a.ndim else None
    keepdims = data.draw(st.booleans())
    both(lambda: nf.ptp(a, axis=axis, keepdims=keepdims), lambda: np.ptp(a, axis=axis, keepdims=keepdims), exact=True)
    both(lambda: nf.nancumsum(a, axis=axis), lambda: np.nancumsum(a, axis=axis))
    both(lambda: nf.nancumprod(a, axis=axis), lambda: np.nancumprod(a, axis=axis))


@SETTINGS
@given(data=st.data(), a=arrays(min_dims=1, dtypes=[np.float64, np.float32, np.int64, np.bool_, np.complex128]))
def test_average(data, a):
    axis = data.draw(st.one_of(st.none(), st.integers(-a.ndim, a.ndim - 1)))
    weighted = data.draw(st.sampled_from(["none", "full", "axis"]))
    kw = {}
    if weighted == "full":
        kw["weights"] = np.arange(1, a.size + 1, dtype=np.float64).reshape(a.shape)
    elif weighted == "axis" and axis is not None:
        kw["weights"] = np.arange(1, a.shape[axis] + 1)
    returned = data.draw(st.booleans())
    keepdims = data.draw(st.sampled_from([np._NoValue, True]))
    both(lambda: nf.average(a, axis=axis, returned=returned, keepdims=keepdims, **kw),
         lambda: np.average(a, axis=axis, returned=returned, keepdims=keepdims, **kw))


@SETTINGS
@given(data=st.data(), a=arrays(min_dims=1, max_dims=2, dtypes=[np.float64, np.float32, np.int64, np.complex128],
                                min_side=1))
def test_cov_corrcoef(data, a):
    rowvar = data.draw(st.booleans())
    bias = data.draw(st.booleans())
    ddof = data.draw(st.sampled_from([None, 0, 2]))
    samples = a.shape[-1] if rowvar or a.ndim == 1 else a.shape[0]
    fw = data.draw(st.sampled_from([None, np.arange(1, samples + 1)]))
    aw = data.draw(st.sampled_from([None, np.linspace(0.5, 2, samples)]))
    dtype = data.draw(st.sampled_from([None, np.float64]))
    both(lambda: nf.cov(a, rowvar=rowvar, bias=bias, ddof=ddof, fweights=fw, aweights=aw, dtype=dtype),
         lambda: np.cov(a, rowvar=rowvar, bias=bias, ddof=ddof, fweights=fw, aweights=aw, dtype=dtype))
    both(lambda: nf.corrcoef(a, rowvar=rowvar), lambda: np.corrcoef(a, rowvar=rowvar))
    if a.ndim == 1:
        both(lambda: nf.cov(a, a[::-1]), lambda: np.cov(a, a[::-1]))


@SETTINGS
@given(a=arrays(min_dims=1, max_dims=1, dtypes=[np.float64, np.int64, np.complex128, np.bool_]),
       v=arrays(min_dims=1, max_dims=1, dtypes=[np.float64, np.int32, np.complex128]),
       mode=st.sampled_from(["full", "same", "valid"]))
def test_convolve_correlate(a, v, mode):
    both(lambda: nf.correlate(a, v, mode), lambda: np.correlate(a, v, mode))
    both(lambda: nf.convolve(a, v, mode), lambda: np.convolve(a, v, mode))


@SETTINGS
@given(data=st.data(), y=arrays(min_dims=1, dtypes=[np.float64, np.int64, np.complex128]))
def test_trapezoid(data, y):
    axis = data.draw(st.integers(-y.ndim, y.ndim - 1))
    x = data.draw(st.sampled_from([None, "1d"]))
    kw = {"dx": 0.25} if x is None else {"x": np.cumsum(np.arange(y.shape[axis], dtype=float)) ** 0.5}
    both(lambda: nf.trapezoid(y, axis=axis, **kw), lambda: np.trapezoid(y, axis=axis, **kw))


def test_large_threaded_and_lazy():
    rng = np.random.default_rng(8)
    x = rng.normal(size=200_000)
    k = rng.normal(size=33)
    for mode in ("full", "same", "valid"):
        same(nf.convolve(x, k, mode), np.convolve(x, k, mode), exact=False)
        same(nf.correlate(x, k, mode), np.correlate(x, k, mode), exact=False)
    lazy = nf.asarray(x) * 2.0
    same(nf.diff(lazy), np.diff(x * 2.0), exact=True)
    same(nf.gradient(lazy), np.gradient(x * 2.0), exact=False)
    same(nf.average(lazy, weights=x * x), np.average(x * 2.0, weights=x * x), exact=False)
    m = rng.normal(size=(6, 50_000))
    same(nf.cov(m), np.cov(m), exact=False)
    same(nf.corrcoef(m), np.corrcoef(m), exact=False)


def test_errors():
    a = np.arange(6.0)
    for f in [lambda m: m.diff(3.0), lambda m: m.diff(a, -1), lambda m: m.gradient(a, edge_order=3),
              lambda m: m.gradient(a, 1.0, 2.0), lambda m: m.gradient(np.arange(2.0), edge_order=2),
              lambda m: m.average(a, weights=np.zeros(6)), lambda m: m.average(a, weights=np.ones(3)),
              lambda m: m.cov(np.ones((2, 2, 2))), lambda m: m.cov(a, ddof=1.5),
              lambda m: m.cov(a, fweights=[1.5] * 6), lambda m: m.convolve([], a), lambda m: m.correlate(a, []),
              lambda m: m.correlate(a, a, mode="middle"), lambda m: m.ediff1d(np.arange(3), to_begin=[1.5]),
              lambda m: m.ptp(np.array([True, False]))]:
        both(lambda: f(nf), lambda: f(np))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        both(lambda: nf.cov([1.0]), lambda: np.cov([1.0]))
