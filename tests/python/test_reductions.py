"""Every reduction of the op table against NumPy: all 13 dtypes, ranks 0-4 including zero-size
shapes, every axis combination (None, each int, negative ints, tuples), keepdims, and strided,
negative-stride and transposed views. Values, dtypes, shapes and exception types must match;
integers and bools exactly, floats to a tight tolerance (min/max/arg* exactly)."""
import itertools
import warnings

import numpy as np
import pytest

import numfuse as nf
from numfuse._reductions import TABLE

DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
          np.uint64, np.float32, np.float64, np.complex64, np.complex128]

# How each table entry is called and compared. "axes": which axis arguments it takes
# ("tuple": None/int/tuple, "single": None/int); "exact": results compare exactly for floats.
SPECS = {
    "sum": dict(axes="tuple", exact=False),
    "prod": dict(axes="tuple", exact=False),
    "min": dict(axes="tuple", exact=True),
    "max": dict(axes="tuple", exact=True),
    "mean": dict(axes="tuple", exact=False),
    "var": dict(axes="tuple", exact=False),
    "std": dict(axes="tuple", exact=False),
    "argmin": dict(axes="single", exact=True),
    "argmax": dict(axes="single", exact=True),
    "any": dict(axes="tuple", exact=True),
    "all": dict(axes="tuple", exact=True),
    "nansum": dict(axes="tuple", exact=False),
    "nanmean": dict(axes="tuple", exact=False),
    "nanmin": dict(axes="tuple", exact=True),
    "nanmax": dict(axes="tuple", exact=True),
    "cumsum": dict(axes="single", exact=False),
    "cumprod": dict(axes="single", exact=False),
}

SHAPES = [(), (0,), (1,), (7,), (3, 0), (0, 3), (4, 5), (2, 3, 4), (3, 1, 2, 2)]

RTOL = {np.dtype(np.float32): 2e-5, np.dtype(np.complex64): 2e-5,
        np.dtype(np.float64): 1e-12, np.dtype(np.complex128): 1e-12}


def test_every_table_entry_has_a_spec_and_a_function():
    assert set(TABLE) == set(SPECS), "a reduction was added to the op table without a test spec"
    for name in TABLE:
        assert callable(getattr(nf, name))


def random_array(shape, dtype, rng):
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return rng.random(shape) < 0.6
    if dtype.kind in "iu":
        lo = 0 if dtype.kind == "u" else -4
        # Values that keep products small enough to compare; sums still overflow int8/uint8
        # accumulators when dtype= asks for them (tested separately).
        return rng.integers(lo, 5, size=shape).astype(dtype)
    if dtype.kind == "f":
        return (rng.standard_normal(shape) * 3).astype(dtype)
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)


def axis_choices(ndim, style):
    choices = [None] + list(range(ndim)) + [-1] * (ndim > 0)
    if style == "single":
        choices += [0, -1, 1] if ndim == 0 else [ndim]  # NumPy takes axis 0 of a 0-d input
    if style == "tuple":
        for r in range(0, ndim + 1):
            choices += list(itertools.combinations(range(ndim), r))
        if ndim >= 2:
            choices.append((-1, 0))
    return choices


def call(module, name, a, axis, keepdims):
    fn = getattr(module, name)
    if name in ("cumsum", "cumprod"):
        return fn(a, axis=axis)
    return fn(a, axis=axis, keepdims=keepdims)


def outcome(module, name, a, axis, keepdims):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return call(module, name, a, axis, keepdims), None
        except Exception as e:  # noqa: BLE001 - compared with NumPy's exception type
            return None, e


def assert_same(got, expected, name, exact, where):
    if isinstance(expected, np.ndarray):
        assert isinstance(got, nf.ndarray), f"{where}: expected an array, got {type(got)}"
        got = np.asarray(got)
    else:
        assert isinstance(got, np.generic), f"{where}: expected a NumPy scalar, got {type(got)}"
    assert got.dtype == expected.dtype, f"{where}: dtype {got.dtype} != {expected.dtype}"
    assert np.shape(got) == np.shape(expected), f"{where}: shape {np.shape(got)} != {np.shape(expected)}"
    rtol = RTOL.get(expected.dtype)
    if exact or rtol is None:
        np.testing.assert_array_equal(got, expected, err_msg=where)
    else:
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=rtol, equal_nan=True, err_msg=where)


def check_against_numpy(name, base, views):
    spec = SPECS[name]
    for label, n_view, f_view in views:
        for axis in axis_choices(n_view.ndim, spec["axes"]):
            for keepdims in (False, True):
                where = f"{name} {label} dtype={n_view.dtype} shape={n_view.shape} axis={axis} keepdims={keepdims}"
                expected, np_error = outcome(np, name, n_view, axis, keepdims)
                got, nf_error = outcome(nf, name, f_view, axis, keepdims)
                if np_error is not None:
                    assert nf_error is not None, f"{where}: NumPy raised {np_error!r}, numfuse did not"
                    assert isinstance(nf_error, type(np_error)), f"{where}: {nf_error!r} vs {np_error!r}"
                    continue
                assert nf_error is None, f"{where}: numfuse raised {nf_error!r}"
                assert_same(got, expected, name, spec["exact"], where)


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", sorted(SPECS))
def test_contiguous_shapes_and_axes(name, dtype):
    rng = np.random.default_rng(abs(hash((name, np.dtype(dtype).name))) % 2**32)
    views = []
    for shape in SHAPES:
        a = random_array(shape, dtype, rng)
        views.append(("C", a, nf.asarray(a)))
    check_against_numpy(name, None, views)


@pytest.mark.parametrize("dtype", [np.bool_, np.int32, np.uint8, np.float32, np.float64, np.complex128],
                         ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", sorted(SPECS))
def test_strided_negative_and_transposed_views(name, dtype):
    rng = np.random.default_rng(7)
    base = random_array((6, 9, 10), dtype, rng)
    f_base = nf.asarray(base).copy()  # numfuse-owned memory, views taken on both sides
    views = [
        ("step", base[::2, ::3, 1::2], f_base[::2, ::3, 1::2]),
        ("negative", base[::-1, :, ::-2], f_base[::-1, :, ::-2]),
        ("transposed", base.transpose(2, 0, 1), f_base.transpose(2, 0, 1)),
        ("F-order 2-D", base[:, :, 3].T, f_base[:, :, 3].T),
    ]
    check_against_numpy(name, base, views)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64, np.complex128],
                         ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", sorted(SPECS))
def test_special_values(name, dtype):
    rng = np.random.default_rng(11)
    a = random_array((5, 8), dtype, rng)
    a[1, 3] = np.nan
    a[2, :] = np.nan         # an all-NaN row
    a[3, 2] = np.inf
    a[4, 5] = -np.inf
    a[0, 0] = -0.0
    views = [("special", a, nf.asarray(a)), ("special.T", a.T, nf.asarray(a).T)]
    check_against_numpy(name, None, views)


@pytest.mark.parametrize("isa", ["baseline", "avx2"])
def test_narrower_instruction_sets_agree(isa):
    """min/max/arg* and the real sums, products and means are compiled per ISA and the widest
    the CPU has is used; run the NaN-heavy and strided cases again with the choice capped, in a
    fresh process."""
    import os
    import subprocess
    import sys
    code = ("import sys, pytest; sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', "
            f"{__file__!r}, '-k', 'special_values or strided or deciding']))")
    env = dict(os.environ, NUMFUSE_REDUCTION_ISA=isa)
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint16, np.int64, np.float32, np.float64,
                                   np.complex128])
def test_any_all_find_the_one_deciding_element(dtype):
    """any/all over long runs (the contiguous block loop and the row kernel) with one deciding
    element placed at block edges, as NumPy sees it: NaN and imaginary parts count as nonzero,
    -0.0 as zero."""
    n = 3 * 256 + 5
    for position in (0, 255, 256, 511, n - 1):
        for fill, odd in ((1, 0), (0, 1)):
            x = np.full(n, fill, dtype=dtype)
            x[position] = odd
            for view in (x, x[::3], x.reshape(1, n)):
                for op in (np.any, np.all):
                    assert getattr(nf, op.__name__)(nf.asarray(view)) == op(view)
            grid = np.tile(x, (3, 1))
            for op in (np.any, np.all):
                np.testing.assert_array_equal(np.asarray(getattr(nf, op.__name__)(nf.asarray(grid), axis=0)),
                                              op(grid, axis=0))
    if np.issubdtype(dtype, np.floating):
        special = np.array([np.nan, -0.0, 0.0], dtype=dtype)
        for op in (np.any, np.all):
            assert getattr(nf, op.__name__)(nf.asarray(special)) == op(special)
            assert getattr(nf, op.__name__)(nf.asarray(special[1:])) == op(special[1:])
    if dtype == np.complex128:
        z = np.zeros(600, dtype) + 0j
        z[400] = 1j
        assert nf.any(nf.asarray(z)) == np.any(z) and nf.all(nf.asarray(z)) == np.all(z)
