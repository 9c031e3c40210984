"""Random expression DAGs evaluated lazily (fused) and by NumPy must agree: values (exact for
integers and bools, within a few ULP per op for floats) and dtypes."""
import numpy as np
from hypothesis import given, settings, strategies as st, HealthCheck

import numfuse as nf

FLOAT_BINARY = ["add", "subtract", "multiply", "maximum", "minimum", "hypot", "fmax"]
FLOAT_UNARY = ["negative", "absolute", "square", "sin", "cos", "tanh", "arctan", "floor"]
INT_BINARY = ["add", "subtract", "multiply", "maximum", "minimum", "bitwise_and", "bitwise_xor"]
INT_UNARY = ["negative", "absolute", "invert"]
DTYPES = [np.float64, np.float32, np.int64, np.int32, np.int16, np.uint8, np.bool_]


def make_input(draw, base_shape, dtype, rng):
    # A random broadcastable sub-shape of the base shape, then maybe a strided or reversed view.
    shape = tuple(d if draw(st.booleans()) else 1 for d in base_shape)
    shape = shape[draw(st.integers(0, len(shape))):]
    view = draw(st.sampled_from(["plain", "strided", "reversed"]))
    big = tuple(2 * d if view == "strided" else d for d in shape)
    if np.dtype(dtype).kind == "f":
        data = rng.uniform(-3, 3, size=big).astype(dtype)
    elif dtype == np.bool_:
        data = rng.random(size=big) < 0.5
    else:
        info = np.iinfo(dtype)
        data = rng.integers(max(info.min, -50), min(info.max, 50), size=big, endpoint=True).astype(dtype)
    if view == "strided":
        data = data[tuple(slice(None, None, 2) for _ in shape)]
    elif view == "reversed" and shape:
        data = data[..., ::-1]
    return np.asarray(data)


@st.composite
def programs(draw):
    ndim = draw(st.integers(0, 3))
    base_shape = tuple(draw(st.integers(0 if draw(st.booleans()) and ndim else 1, 6)) for _ in range(ndim))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n_inputs = draw(st.integers(1, 4))
    inputs = [make_input(draw, base_shape, draw(st.sampled_from(DTYPES)), rng) for _ in range(n_inputs)]
    steps = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["unary", "binary", "scalar", "where", "inplace", "reduce", "astype"]))
        steps.append((kind, draw(st.integers(0, 10**6)), draw(st.integers(0, 10**6)),
                      draw(st.sampled_from(FLOAT_UNARY + INT_UNARY + FLOAT_BINARY + INT_BINARY)),
                      draw(st.sampled_from([2, -1, 0.5, 3]))))
    return inputs, steps


def run(lib, inputs, steps):
    """Applies the program with `lib` (numpy or numfuse); returns all values made."""
    values = [lib.asarray(x.copy()) for x in inputs]
    for kind, i, j, name, scalar in steps:
        arrays = [v for v in values if not isinstance(v, type)]  # skip recorded exceptions
        a, b = arrays[i % len(arrays)], arrays[j % len(arrays)]
        kinds = np.asarray(a).dtype.kind if lib is np else a.dtype.kind
        is_float = kinds in "fc"
        try:
            if kind == "unary":
                name = name if (name in FLOAT_UNARY if is_float else name in INT_UNARY) else "negative"
                if kinds == "b" and name in ("negative", "absolute"):
                    name = "invert"
                values.append(getattr(lib, name)(a))
            elif kind == "binary":
                pool = FLOAT_BINARY if is_float else INT_BINARY
                values.append(getattr(lib, name if name in pool else "add")(a, b))
            elif kind == "scalar":
                values.append(a * scalar if kinds != "b" else a & True)
            elif kind == "where":
                values.append(lib.where(a > b, a, b))
            elif kind == "inplace":
                target = values[0]
                target += lib.asarray(b).astype(target.dtype) if lib is np else b.astype(target.dtype)
                values.append(target * 1)
            elif kind == "astype":
                values.append(a.astype(DTYPES[i % len(DTYPES)]) + a.astype(DTYPES[j % len(DTYPES)]))
            elif kind == "reduce":
                values.append(lib.asarray(a).sum(axis=-1) if a.ndim else a + 0)
        except (TypeError, ValueError, OverflowError) as e:
            values.append(type(e))
    return values


def close(got, want, single_precision):
    got = np.asarray(got)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape
    if want.dtype.kind in "fc":
        # A float32 value anywhere in the program may feed a float64 one (astype, promotion):
        # a transcendental's 1-ULP float32 difference then shows at float32's precision.
        tol = 1e-5 if single_precision else 1e-12
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol, equal_nan=True)
    else:
        np.testing.assert_array_equal(got, want)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_random_dags_match_numpy(program):
    inputs, steps = program
    with np.errstate(all="ignore"):
        want = run(np, inputs, steps)
    got = run(nf, inputs, steps)
    assert len(got) == len(want)
    single = any(not isinstance(w, type) and np.asarray(w).dtype in (np.float32, np.complex64) for w in want)
    for g, w in zip(got, want):
        if isinstance(w, type):
            assert isinstance(g, type) and issubclass(g, (TypeError, ValueError, OverflowError)), (g, w)
            continue
        assert not isinstance(g, type), (g, w)
        close(g, np.asarray(w), single)
