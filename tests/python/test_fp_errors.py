"""Floating-point error reporting (np.errstate / seterr modes) by numfuse's kernels, against NumPy
on the same inputs: same warnings under the default modes, FloatingPointError under 'raise',
silence under 'ignore', seterrcall callbacks, fused (lazy) expressions, threads, no spurious
reports for clean inputs."""
import io
import itertools
import warnings

import numpy as np
import pytest

import numfuse as nf

FLOATS = [0.0, -0.0, 1.0, -1.0, 2.0, 0.5, np.inf, -np.inf, np.nan, 1e308, -1e308, 1e-310,
          700.0, 800.0, -800.0, 1e5, 89.0, -104.0, 1e-40]
FLOATS_SHORT = [0.0, -0.0, 1.0, -1.0, 0.5, np.inf, -np.inf, np.nan, 1e308, 1e-310]
INTS = [0, 1, -1, 3, -7, 2**62, -2**63]
COMPLEX = [0j, 1 + 0j, -1 + 0j, 1j, complex(np.nan, 1.0)]

UNARY = ["negative", "absolute", "sign", "reciprocal", "square", "sqrt", "cbrt", "exp", "exp2",
         "expm1", "log", "log2", "log10", "log1p", "sin", "cos", "tan", "arcsin", "arccos",
         "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh", "deg2rad", "rad2deg",
         "floor", "ceil", "trunc", "rint", "spacing", "isnan", "isinf", "isfinite", "signbit",
         "logical_not"]
BINARY = ["add", "subtract", "multiply", "true_divide", "floor_divide", "remainder", "fmod",
          "power", "float_power", "logaddexp", "logaddexp2", "arctan2", "hypot", "copysign",
          "nextafter", "heaviside", "equal", "less", "greater_equal", "maximum", "minimum", "fmax",
          "fmin", "logical_and"]
# Complex loops whose flags numfuse reports as NumPy does (the others: see ARCHITECTURE.md).
COMPLEX_OPS = ["log", "log2", "log10", "log1p", "true_divide", "add", "subtract", "sqrt"]


def messages(fn):
    """The RuntimeWarning texts fn() issues, or the type of the exception it raises."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fn()
        except Exception as e:  # noqa: BLE001 (the type is compared with NumPy's)
            return type(e)
    return sorted(str(w.message) for w in caught if issubclass(w.category, RuntimeWarning))


def nf_value(fn):
    return lambda: np.asarray(fn())


def arrays(dtype, values):
    with np.errstate(all="ignore"):
        return [np.array([v] * 5).astype(dtype) for v in values]


def check_same_reports(op, dtype, combos):
    np_fn, nf_fn = getattr(np, op), getattr(nf, op)
    for values in combos:
        ins = arrays(dtype, values)
        expected = messages(lambda: np_fn(*ins))
        if isinstance(expected, type):
            continue  # NumPy has no such loop (or refuses the input): other tests cover that
        got = messages(nf_value(lambda: nf_fn(*[nf.asarray(a) for a in ins])))
        assert got == expected, (op, dtype, values)


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64"])
@pytest.mark.parametrize("op", UNARY)
def test_unary_reports_as_numpy(op, dtype):
    check_same_reports(op, dtype, [(v,) for v in (INTS if dtype == "int64" else FLOATS)])


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64"])
@pytest.mark.parametrize("op", BINARY)
def test_binary_reports_as_numpy(op, dtype):
    values = INTS if dtype == "int64" else FLOATS_SHORT
    check_same_reports(op, dtype, list(itertools.product(values, values)))


@pytest.mark.parametrize("op", COMPLEX_OPS)
def test_complex_reports_as_numpy(op):
    np_fn = getattr(np, op)
    combos = [(v,) for v in COMPLEX] if np_fn.nin == 1 else [(v, w) for v in COMPLEX for w in (0j, 1 + 1j)]
    check_same_reports(op, "complex128", combos)


@pytest.mark.parametrize("dtype", ["int8", "uint16", "int32", "uint64"])
@pytest.mark.parametrize("op", ["floor_divide", "remainder", "fmod"])
def test_integer_division_by_zero(op, dtype):
    check_same_reports(op, dtype, [(7, 0), (0, 0), (7, 2)])


def test_operators_report_eagerly_too():
    a = nf.asarray([1.0, 0.0, -1.0])
    assert messages(nf_value(lambda: a / 0)) == messages(lambda: np.asarray(a) / 0)
    assert messages(nf_value(lambda: nf.arange(4) // 0)) == ["divide by zero encountered in floor_divide"]
    assert messages(nf_value(lambda: nf.arange(4) % 0)) == ["divide by zero encountered in remainder"]
    lazy = nf.is_lazy()
    nf.set_lazy(False)
    try:
        assert messages(lambda: nf.log(a)) == ["divide by zero encountered in log",
                                               "invalid value encountered in log"]
    finally:
        nf.set_lazy(lazy)


def test_large_eager_kernels_report_after_releasing_the_gil():
    op = {d["name"]: d for d in nf._core._ufunc_ops()}["log"]["id"]
    x = nf.asarray(np.zeros(1 << 17))  # large: the kernel runs without the GIL, reports after
    assert messages(lambda: nf._core._ufunc_apply_eager(op, (x,), None)) == [
        "divide by zero encountered in log"]


@pytest.mark.parametrize("errstate", [nf.errstate, np.errstate])
def test_modes_raise_and_ignore(errstate):
    a = nf.asarray([1.0, 0.0])
    with errstate(divide="raise"):
        with pytest.raises(FloatingPointError, match="divide by zero encountered in log"):
            np.asarray(nf.log(a))
    with errstate(all="ignore"):
        assert messages(nf_value(lambda: nf.log(a) + nf.sqrt(-a) + a / 0)) == []
    with errstate(all="raise"):
        assert messages(nf_value(lambda: nf.log(a + 1))) == []  # clean inputs raise nothing


def test_in_place_updates_report():
    # An output that is also an input (a block cannot run twice): flags collected op by op.
    x = np.array([1.0, 0.0, -1.0, 4.0] * 100)

    def divide_in_place():
        a = nf.asarray(x.copy())
        a /= 0
        np.asarray(a)

    def add_log_in_place():
        b = nf.asarray(x.copy())
        nf.add(b, nf.log(b), out=b)
        np.asarray(b)

    assert messages(divide_in_place) == messages(lambda: np.divide(x.copy(), 0, out=x.copy()))
    assert messages(add_log_in_place) == messages(lambda: np.log(x))


def test_a_raised_result_keeps_raising():
    # NumPy's op never returns under 'raise'; a lazy result is computed when read, so every read
    # raises (NumPy's conversion retries another protocol after a failed one).
    a = nf.asarray([1.0, 0.0])
    with nf.errstate(divide="raise"):
        r = nf.log(a)
        for _ in range(2):
            with pytest.raises(FloatingPointError):
                np.asarray(r)


def test_warnings_as_errors():
    a = nf.asarray([0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.raises(RuntimeWarning, match="divide by zero encountered in log"):
            np.asarray(nf.log(a))


def test_call_mode_gets_numpys_arguments():
    calls = []
    x = np.array([1.0, 0.0, -1.0])
    with np.errstate(all="call", call=lambda *args: calls.append(args)):
        np.log(x)
        np.asarray(x) / 0
        expected, calls[:] = list(calls), []
        np.asarray(nf.log(nf.asarray(x)))
        np.asarray(nf.asarray(x) / 0)
    assert calls == expected and len(calls) == 4


def test_print_and_log_modes(capsys):
    class Log:
        def __init__(self):
            self.lines = []

        def write(self, text):
            self.lines.append(text)

    log = Log()
    a = nf.asarray([0.0])
    with np.errstate(divide="log", call=log):
        np.asarray(nf.log(a))
    assert log.lines == ["Warning: divide by zero encountered in log\n"]
    with np.errstate(divide="print"):
        np.asarray(nf.log(a))
    assert "Warning: divide by zero encountered in log" in capsys.readouterr().err


def test_seterr_geterr_and_errcall_are_numpys_state():
    assert "errstate" not in nf.fallbacks() and "seterr" not in nf.fallbacks()
    old = nf.seterr(divide="raise")
    try:
        assert np.geterr()["divide"] == "raise" and nf.geterr() == np.geterr()
        with pytest.raises(FloatingPointError):
            np.asarray(nf.log(nf.asarray([0.0])))
    finally:
        nf.seterr(**old)
    sink = io.StringIO()
    old_call = nf.seterrcall(sink)
    try:
        assert np.geterrcall() is sink and nf.geterrcall() is sink
    finally:
        nf.seterrcall(old_call)


def test_fused_expression_names_each_op():
    x = np.linspace(-1.0, 1.0, 9)
    a = nf.asarray(x)
    expr = lambda m, v: m.log(v) * 2 + m.sqrt(v) + m.arcsin(v * 3)  # noqa: E731
    expected = messages(lambda: expr(np, x))
    assert len(expected) == 4
    nf.reset_jit_stats()
    assert messages(nf_value(lambda: expr(nf, a))) == expected
    assert nf.jit_stats()["groups_run"] == 1  # one fused group, each flag named after its op


def test_errstate_evaluates_pending_work_at_its_boundaries():
    a = nf.asarray([1.0, 0.0])
    with nf.errstate(divide="ignore"):
        inside = nf.log(a)
    # Materialized outside, recorded inside: the block's mode applies.
    assert messages(lambda: np.asarray(inside)) == []
    before = nf.log(a)
    # Recorded before the block: evaluated on entry, under the outer (default) modes.
    state = nf.errstate(divide="ignore")
    try:
        assert messages(state.__enter__) == ["divide by zero encountered in log"]
        assert messages(lambda: np.asarray(before)) == []
    finally:
        state.__exit__(None, None, None)
    # np.errstate cannot evaluate numfuse's pending work: the modes at evaluation apply.
    with np.errstate(divide="ignore"):
        recorded = nf.log(a)
    assert messages(lambda: np.asarray(recorded)) == ["divide by zero encountered in log"]


def test_errstate_decorator_and_reentry():
    a = nf.asarray([0.0])

    @nf.errstate(divide="raise")
    def f():
        return np.asarray(nf.log(a))

    for _ in range(2):
        with pytest.raises(FloatingPointError):
            f()
    state = nf.errstate(divide="ignore")
    with state:
        with state:
            np.asarray(nf.log(a))
    assert np.geterr()["divide"] == "warn"
    with pytest.raises(ValueError):
        with nf.errstate(divide="sometimes"):
            pass
    with pytest.raises(TypeError):
        nf.errstate(sometimes="warn")


def test_threaded_large_arrays_report(monkeypatch):
    old = nf.get_num_threads()
    nf.set_num_threads(2)
    try:
        n = 1 << 20
        x = np.ones(n)
        x[n - 5] = 0.0
        a = nf.asarray(x)
        assert messages(nf_value(lambda: nf.log(a) + 1)) == ["divide by zero encountered in log"]
        assert messages(nf_value(lambda: 1.0 / a)) == ["divide by zero encountered in divide"]
        with nf.errstate(divide="raise"):
            with pytest.raises(FloatingPointError):
                np.asarray(nf.log(a) * 2)
        assert messages(nf_value(lambda: nf.log(a + 1) * 2)) == []
    finally:
        nf.set_num_threads(old)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_no_spurious_reports_for_clean_inputs(dtype):
    # Tails (1..17 elements) and strided views of inputs in (0, 1): NumPy reports nothing there
    # (but arccosh's invalid values), nor may numfuse's padded SIMD lanes.
    for n in range(1, 18):
        values = np.linspace(0.1, 0.9, 2 * n).astype(dtype)
        base = nf.asarray(values)
        for x, v in ((base[:n], values[:n]), (base[::2], values[::2])):
            for op in UNARY:
                expected = messages(lambda: getattr(np, op)(v))
                assert messages(nf_value(lambda: getattr(nf, op)(x))) == expected, (op, n)
            for op in BINARY:
                assert messages(nf_value(lambda: getattr(nf, op)(x, x[::-1]))) == [], (op, n)


def test_nan_inputs_raise_nothing():
    x = nf.asarray(np.array([np.nan, 1.0, np.nan, 0.5] * 5))
    for op in ["exp", "sin", "log", "sqrt", "tanh", "floor", "sign", "spacing", "cbrt"]:
        assert messages(nf_value(lambda: getattr(nf, op)(x))) == [], op
    for op in ["less", "maximum", "floor_divide", "remainder", "arctan2", "hypot", "add"]:
        assert messages(nf_value(lambda: getattr(nf, op)(x, x))) == [], op


def test_reductions_report_overflow():
    x = np.array([1e308, 1e308, 1.0])
    assert messages(lambda: nf.asarray(x).sum()) == messages(lambda: x.sum())
    assert messages(lambda: (nf.asarray(x) * 1).sum()) == messages(lambda: x.sum())
