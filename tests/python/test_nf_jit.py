"""@nf.jit: traced functions give what the plain function (and NumPy) give, on every call."""
import warnings

import numpy as np
import pytest

import numfuse as nf
from thread_util import run_on_threads

RNG = np.random.default_rng(7)


def arrays(n=5, k=3, dtype=np.float64):
    return [RNG.random(n).astype(dtype) + 0.5 for _ in range(k)]


def check(result, expected):
    got = np.asarray(result)
    assert got.dtype == np.asarray(expected).dtype
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def expr(a, b, c):
    return 2 * a + 3 * b * c - a / (b + 1)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32, np.int64])
def test_replay_matches_numpy_and_the_plain_function(dtype):
    f = nf.jit(expr)
    for _ in range(3):  # a trace, then replays on new values
        a, b, c = arrays(dtype=dtype) if dtype in (np.float64, np.float32) else \
            [RNG.integers(1, 9, 5).astype(dtype) for _ in range(3)]
        r = f(nf.asarray(a), nf.asarray(b), nf.asarray(c))
        assert isinstance(r, nf.ndarray)
        check(r, expr(a, b, c))
        check(r, expr(nf.asarray(a), nf.asarray(b), nf.asarray(c)))
    assert f._stats()["traces"] == 1
    assert f._stats()["replays"] == 3


def test_mixed_dtypes_promote_as_numpy():
    f = nf.jit(lambda x, y: x * y + 1.5)
    x = np.arange(4, dtype=np.int16)
    y = np.linspace(0, 1, 4, dtype=np.float32)
    for _ in range(2):
        check(f(nf.asarray(x), nf.asarray(y)), x * y + 1.5)


def test_retraces_when_dtype_rank_or_shape_changes():
    f = nf.jit(lambda x: x * 2 + 1)
    for x in [np.ones(3), np.ones(3), np.ones(3, np.float32), np.ones((2, 3)), np.ones(4),
              np.ones(4)]:
        check(f(nf.asarray(x)), x * 2 + 1)
    assert f._cache_size() == 4


def test_numpy_arrays_as_arguments():
    f = nf.jit(expr)
    a, b, c = arrays()
    for _ in range(2):
        check(f(a, b, c), expr(a, b, c))
    assert f._stats()["replays"] == 2


def test_non_contiguous_arguments():
    f = nf.jit(lambda x, y: x - y)
    x = RNG.random((4, 6))
    for view in (x, x[:, ::2], x.T, x.T):
        check(f(nf.asarray(view), 1.0), view - 1.0)


def test_python_scalars_are_parameters_not_constants():
    f = nf.jit(lambda u, v, dt: u + dt * (v - u))
    u, v = arrays(k=2)
    for dt in (0.1, 0.5, -2.0, 3):
        check(f(nf.asarray(u), nf.asarray(v), dt), u + dt * (v - u))
    assert f._cache_size() == 2  # float and int: two scalar types
    assert f._stats()["replays"] == 4


def test_scalar_used_by_python_code_keys_the_trace_on_its_value():
    def g(x, k):
        return x * (k * 2) + k
    f = nf.jit(g)
    x = arrays(k=1)[0]
    for k in (1.0, 2.0, 1.0, 3.0):
        check(f(nf.asarray(x), k), g(x, k))


def test_python_int_out_of_range_raises_as_numpy():
    f = nf.jit(lambda x, k: x + k)
    x = np.arange(4, dtype=np.uint8)
    check(f(nf.asarray(x), 5), x + 5)
    with pytest.raises(OverflowError):
        np.asarray(x) + 300
    with pytest.raises(OverflowError):
        f(nf.asarray(x), 300)
    check(f(nf.asarray(x), 7), x + 7)


def test_static_argnums_and_argnames_select_code_paths():
    def g(x, mode, scale=1.0):
        return x * scale if mode == "mul" else x + scale
    x = arrays(k=1)[0]
    for f in (nf.jit(g, static_argnums=1), nf.jit(g, static_argnames="mode")):
        for mode in ("mul", "add", "mul"):
            check(f(nf.asarray(x), mode, 3.0), g(x, mode, 3.0))
            check(f(nf.asarray(x), mode=mode, scale=2.0), g(x, mode, 2.0))


def test_keyword_calls_and_varargs_are_traced():
    def g(x, scale=2.0, shift=0):
        return x * scale + shift
    f = nf.jit(g)
    x = arrays(k=1)[0]
    for kwargs in ({}, {"shift": 1}, {"scale": 3.0}, {"shift": 1}):
        check(f(nf.asarray(x), **kwargs), g(x, **kwargs))
    assert f._stats()["python_calls"] == 0
    h = nf.jit(lambda *xs: xs[0] + xs[1] * xs[2])
    a, b, c = arrays()
    for _ in range(2):
        check(h(nf.asarray(a), nf.asarray(b), nf.asarray(c)), a + b * c)
    assert h._stats()["replays"] == 2


def test_unhashable_static_argument_is_a_type_error():
    f = nf.jit(lambda x, opts: x + len(opts), static_argnums=(1,))
    with pytest.raises(TypeError, match="not hashable"):
        f(nf.ones(3), [1, 2])


def test_decorator_with_arguments_and_on_methods():
    class Model:
        def __init__(self, w):
            self.w = w

        @nf.jit
        def forward(self, x):
            return x * self.w + 1

        @nf.jit(static_argnums=(2,))
        def power(self, x, k):
            return x ** k

    m = Model(nf.asarray(np.array([1.0, 2.0, 3.0])))
    x = np.array([0.5, 1.5, 2.5])
    for _ in range(2):
        check(m.forward(nf.asarray(x)), x * np.array([1.0, 2.0, 3.0]) + 1)
        check(m.power(nf.asarray(x), 3), x ** 3)
    assert Model.forward.__name__ == "forward"


def test_structured_outputs():
    @nf.jit
    def f(x, y):
        return {"sum": x + y, "parts": (x * 2, [y - 1, None]), "n": 3}
    x, y = arrays(k=2)
    for _ in range(2):
        r = f(nf.asarray(x), nf.asarray(y))
        check(r["sum"], x + y)
        check(r["parts"][0], x * 2)
        check(r["parts"][1][0], y - 1)
        assert r["parts"][1][1] is None and r["n"] == 3
    g = nf.jit(lambda x, y: (x + y, x - y))
    for _ in range(2):
        s, d = g(nf.asarray(x), nf.asarray(y))
        check(s, x + y)
        check(d, x - y)


def test_reductions_inside_stay_lazy_and_match_numpy():
    def g(x):
        centered = x - x.mean(axis=0, keepdims=True)
        return centered.sum(axis=1), (x * x).sum(), x.max(), nf.sum(x > 0.7, axis=0)
    f = nf.jit(g)
    for _ in range(3):
        x = RNG.random((4, 5))
        r = f(nf.asarray(x))
        assert isinstance(r[1], np.float64)  # as NumPy: full reductions give scalars
        check(r[0], (x - x.mean(axis=0, keepdims=True)).sum(axis=1))
        check(r[1], (x * x).sum())
        check(r[2], x.max())
        check(r[3], np.sum(x > 0.7, axis=0))
    assert f._stats()["replayable"] == 1


def test_update_loop_is_unrolled():
    def g(u, v):
        for _ in range(10):
            u = u + 0.1 * (v - u)
        return u
    f = nf.jit(g)
    u, v = arrays(n=1000, k=2)
    for _ in range(2):
        check(f(nf.asarray(u), nf.asarray(v)), g(u, v))
    assert f._stats()["replays"] == 2


@pytest.mark.parametrize("body, error", [
    ("if (x > 0).any():\n        return x\n    return -x", nf.TracerBoolConversionError),
    ("if x.sum() > 0:\n        return x\n    return -x", nf.TracerBoolConversionError),
    ("return x * float(x.sum())", nf.TracerConversionError),
    ("return x * x.mean().item()", nf.TracerConversionError),
])
def test_control_flow_on_values_raises_at_trace_time_with_the_line(body, error):
    namespace = {}
    exec(compile(f"def g(x):\n    {body}\n", "traced_source.py", "exec"), namespace)
    f = nf.jit(namespace["g"])
    with pytest.raises(error, match=r"nf\.jit.*traced_source\.py:2.*static_argnums") as info:
        f(nf.ones(3))
    assert isinstance(info.value, TypeError)


def test_views_of_arguments_are_replayed():
    # A stencil: basic views of the argument are ParamView inputs of the tape.
    def stencil(u, r):
        c = u[1:-1, 1:-1]
        return c + r * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:] - 4.0 * c)

    def views(a):
        return (a.T[::-1] * 2 + a[None, 0, ::-1].T + a.reshape(a.shape[1], a.shape[0])[..., ::-1] - a[-1][:, None]
                + a.T[::-1].sum(axis=1, keepdims=True) - a[1:].mean() + a[::2].T.max(axis=1, keepdims=True))

    rng = np.random.default_rng(5)
    f, g = nf.jit(stencil), nf.jit(views)
    for _ in range(3):
        u = rng.random((7, 9))
        check(f(nf.asarray(u), 0.25), stencil(u, 0.25))
        check(f(u, 0.1), stencil(u, 0.1))
        a = rng.random((4, 6))
        check(g(a), views(a))
    assert f._stats()["python_calls"] == 0 and f._stats()["replays"] >= 6
    assert g._stats()["python_calls"] == 0
    # A view of an argument that is not C-contiguous: the same view of another array of that key
    # need not be the same layout, so that key runs as Python (correctly).
    u = np.asfortranarray(rng.random((7, 9)))
    with pytest.warns(RuntimeWarning, match="plain Python"):
        check(f(u, 0.25), stencil(u, 0.25))
    check(f(u[::-1], 0.5), stencil(u[::-1], 0.5))


def test_functions_the_tape_cannot_express_run_as_python():
    def indexing(x):
        return x[1:]  # returns a view of the argument

    def in_place(x):
        x += 1
        return x * 2

    def makes_arrays(x):
        return x + nf.ones(x.shape)

    def linalg(x):
        return nf.linalg.norm(x) * x

    for g in (indexing, makes_arrays, linalg):
        f = nf.jit(g)
        x = arrays(k=1)[0]
        with pytest.warns(RuntimeWarning, match="plain Python"):
            first = f(nf.asarray(x))
        check(first, g(x))
        check(f(nf.asarray(x)), g(x))
        assert f._stats()["replayable"] == 0
    f = nf.jit(in_place)
    x = arrays(k=1)[0]
    a = nf.asarray(x.copy())
    with pytest.warns(RuntimeWarning, match="plain Python"):
        r = f(a)
    check(r, (x + 1) * 2)
    check(a, x + 1)  # written once, as the plain function writes it


def test_captured_global_array_is_read_by_reference():
    w = nf.asarray(np.array([1.0, 2.0, 3.0]))

    @nf.jit
    def f(x):
        return x * w

    x = np.array([1.0, 1.0, 1.0])
    check(f(nf.asarray(x)), x * np.array([1.0, 2.0, 3.0]))
    w[0] = 10.0  # as the plain function would see it
    check(f(nf.asarray(x)), x * np.array([10.0, 2.0, 3.0]))


def test_errors_on_later_calls_are_numpys():
    f = nf.jit(lambda x, y: x + y)
    check(f(nf.ones(3), nf.ones(3)), np.full(3, 2.0))
    with pytest.raises(ValueError):
        np.ones(3) + np.ones(4)
    with pytest.raises(ValueError):
        f(nf.ones(3), nf.ones(4))


def test_floating_point_warnings_on_replay():
    f = nf.jit(lambda x, y: x / y)
    x, y = np.ones(3), np.array([1.0, 0.0, 2.0])
    for _ in range(2):
        with pytest.warns(RuntimeWarning, match="divide by zero"):
            r = np.asarray(f(nf.asarray(x), nf.asarray(y)))
        check(r, np.array([1.0, np.inf, 0.5]))
    with np.errstate(divide="raise"):
        with pytest.raises(FloatingPointError):
            np.asarray(f(nf.asarray(x), nf.asarray(y)))


def test_jitted_function_calling_a_jitted_function():
    inner = nf.jit(lambda x: x * 2)
    outer = nf.jit(lambda x, y: inner(x) + y)
    x, y = arrays(k=2)
    for _ in range(2):
        check(outer(nf.asarray(x), nf.asarray(y)), x * 2 + y)
    assert outer._stats()["replays"] == 2


def test_returns_arguments_and_scalars():
    f = nf.jit(lambda x, k: (x, k, x * k))
    a = nf.asarray(np.arange(3.0))
    for k in (2.0, 3.0):
        r0, r1, r2 = f(a, k)
        assert r0 is a and r1 == k
        check(r2, np.arange(3.0) * k)


def test_concurrent_calls_from_threads():
    f = nf.jit(expr)
    inputs = [arrays(n=200) for _ in range(8)]

    def work(i):
        for _ in range(20):
            a, b, c = inputs[i]
            check(f(nf.asarray(a), nf.asarray(b), nf.asarray(c)), expr(a, b, c))

    run_on_threads(work, 8)
    assert f._cache_size() == 1


def test_traced_value_kept_outside_is_an_error_not_a_crash():
    kept = []

    @nf.jit
    def f(x):
        y = x * 2
        kept.append(y)
        return y

    check(f(nf.ones(2)), np.full(2, 2.0))
    with pytest.raises(TypeError, match="traced"):
        np.asarray(kept[0])


def test_jit_rejects_non_callables():
    with pytest.raises(TypeError):
        nf.jit(3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert nf.jit()(expr)(1.0, 2.0, 3.0) == expr(1.0, 2.0, 3.0)
