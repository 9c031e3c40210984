"""Walks the C++ op table (as exported by the module) and checks every op against NumPy:
every dtype, 0-d and zero-size shapes, broadcasting, strided / negative-stride / zero-stride
views and out=. A new table line is tested here without editing this file."""
import numpy as np
import pytest

import numfuse as nf
from ufunc_cases import (DTYPES, builtin_error, OPS, apply, assert_matches, expected_dtype, numpy_result,
                         reference, values)

OP_NAMES = [d["name"] for d in OPS]


def inputs_for(desc, dtype, shape, rng):
    """NumPy inputs of `dtype` (where's condition is bool)."""
    n = int(np.prod(shape))
    args = []
    for k in range(desc["arity"]):
        dt = np.dtype(bool) if (desc["name"] == "where" and k == 0) else dtype
        v = values(dt, max(n, 1), rng)[:n]
        if k > 0:
            v = np.roll(v, k * 3)  # pair special values with different partners
        args.append(v.reshape(shape))
    if desc["name"] == "clip" and np.dtype(dtype).kind in "fiu":
        args[1], args[2] = np.minimum(args[1], args[2]), np.maximum(args[1], args[2])
    return args


def check(name, np_args, nf_args, out=None):
    want, err = numpy_result(reference(name), *np_args)
    if err is not None:
        with pytest.raises(builtin_error(err)):
            apply(name, *nf_args, out=out)
        return None
    got = apply(name, *nf_args, out=out)
    assert isinstance(got, nf.ndarray)
    assert_matches(name, got, want)
    return got


def test_every_op_has_a_reference():
    missing = [n for n in OP_NAMES if reference(n) is None]
    assert not missing, f"table ops without a NumPy reference: {missing}"


@pytest.mark.parametrize("name", OP_NAMES)
def test_op_all_dtypes(name):
    """Every op x every dtype: values and dtype as NumPy, TypeError where NumPy has no loop."""
    desc = [d for d in OPS if d["name"] == name][0]
    rng = np.random.default_rng(abs(hash(name)) % 2**32)
    for dtype in DTYPES:
        np_args = inputs_for(desc, dtype, (5, 7), rng)
        check(name, np_args, [nf.asarray(a) for a in np_args])


LAYOUT_DTYPES = [np.dtype(t) for t in ("bool", "int16", "uint32", "float32", "float64",
                                       "complex128")]


def supported(name, dtype):
    desc = [d for d in OPS if d["name"] == name][0]
    want, err = numpy_result(reference(name), *inputs_for(desc, dtype, (2,),
                                                          np.random.default_rng(0)))
    return err is None


@pytest.mark.parametrize("name", OP_NAMES)
def test_op_layouts(name):
    """0-d, zero-size, broadcasting, strided, negative and zero strides, out=."""
    desc = [d for d in OPS if d["name"] == name][0]
    rng = np.random.default_rng(7)
    arity = desc["arity"]
    for dtype in LAYOUT_DTYPES:
        if not supported(name, dtype):
            continue
        # 0-d and zero-size
        for shape in [(), (0,), (3, 0)]:
            a = inputs_for(desc, dtype, shape, rng)
            check(name, a, [nf.asarray(x) for x in a])
        # broadcasting (4, 1, 6) with (5, 1) with (6,)
        shapes = [(4, 1, 6), (5, 1), (6,)][:arity]
        a = [inputs_for(desc, dtype, s, rng)[k] for k, s in enumerate(shapes)]
        check(name, a, [nf.asarray(x) for x in a])
        # strided, negative-stride and transposed views (with SIMD-block-crossing lengths)
        base = inputs_for(desc, dtype, (9, 601), rng)
        views = [lambda x: x[::2, ::3], lambda x: x[::-1, ::-2], lambda x: x.T[::2]]
        for view in views:
            np_args = [view(x) for x in base]
            nf_args = [view(nf.asarray(x)) for x in base]
            check(name, np_args, nf_args)
        # zero stride: one input broadcast from a single element
        np_args = [np.broadcast_to(x[:1, :1], (9, 601)) if k == arity - 1 else x
                   for k, x in enumerate(base)]
        check(name, np_args, [nf.asarray(x) for x in np_args])
        # out=, strided out, and out of a wider dtype
        want, err = numpy_result(reference(name), *base)
        if err is None:
            out = nf.empty(want.shape, dtype=expected_dtype(want.dtype))
            got = apply(name, *[nf.asarray(x) for x in base], out=out)
            assert_matches(name, out, want)
            assert np.shares_memory(np.asarray(got), np.asarray(out))
            big = nf.zeros((9, 1202), dtype=expected_dtype(want.dtype))
            apply(name, *[nf.asarray(x) for x in base], out=big[:, ::2])
            assert_matches(name, big[:, ::2], want)


@pytest.mark.parametrize("name", [d["name"] for d in OPS if d["arity"] == 2])
def test_binary_result_dtypes(name):
    """Result dtype of every pair of the 13 dtypes and of Python scalars (NEP 50) as NumPy."""
    rng = np.random.default_rng(3)
    samples = {d: values(d, 1, rng, special=False) + (1 if d.kind in "iu" else 0) for d in DTYPES}
    ref = reference(name)
    for d1 in DTYPES:
        for d2 in DTYPES:
            a, b = samples[d1].astype(d1), samples[d2].astype(d2)
            want, err = numpy_result(ref, a, b)
            if err is not None:
                with pytest.raises(builtin_error(err)):
                    apply(name, nf.asarray(a), nf.asarray(b))
                continue
            got = apply(name, nf.asarray(a), nf.asarray(b))
            assert got.dtype == expected_dtype(want.dtype), (name, d1, d2, got.dtype, want.dtype)
        for scalar in (1, 2, 300, -1, 1.5, 2j, True, 2**63):
            a = samples[d1].astype(d1)
            for args, nf_args in (((a, scalar), (nf.asarray(a), scalar)),
                                  ((scalar, a), (scalar, nf.asarray(a)))):
                want, err = numpy_result(ref, *args)
                if err is not None:
                    with pytest.raises(builtin_error(err)):
                        apply(name, *nf_args)
                    continue
                got = apply(name, *nf_args)
                assert got.dtype == expected_dtype(np.asarray(want).dtype), (name, d1, scalar)


SPECIALS = [0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 0.5, -0.5, 2.0, 1e-310, -1e300, 1e300,
            np.pi, 710.0, -745.0, 89.0, 1e-8]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", [d["name"] for d in OPS if "float64" in map(str, d["loops"])])
def test_special_value_pairs(name, dtype):
    """Every special value (and every pair for binary ops) through the SIMD and scalar paths."""
    desc = [d for d in OPS if d["name"] == name][0]
    with np.errstate(all="ignore"):
        s = np.array(SPECIALS).astype(dtype)
    grids = np.meshgrid(*([s] * desc["arity"]), indexing="ij")
    np_args = [g.ravel() for g in grids]
    if name == "where":
        np_args[0] = np_args[0] != 0
    check(name, np_args, [nf.asarray(a) for a in np_args])
