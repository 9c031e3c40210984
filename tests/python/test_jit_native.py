"""Tier 2 (native kernels compiled by LLVM) against tier 1 (the block interpreter).

Native kernels must give tier 1's results bit for bit (the same summation order for fused
reductions, the same kernels for ops without a lowering) and raise the same floating-point
warnings. The generators of test_lazy_hypothesis and the snippets of test_lazy_snippets run under
both tiers; targeted tests cover every lowered op and dtype against NumPy too, special values,
layouts and the on-disk cache.
"""
import contextlib
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

import numfuse as nf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_lazy_hypothesis as dags  # noqa: E402
import test_lazy_snippets as snippets  # noqa: E402

pytestmark = pytest.mark.skipif(not nf._core.native_available(), reason="numfuse built without LLVM")


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory, monkeypatch):
    """Native objects go to a temporary directory, never to the user's cache."""
    monkeypatch.setenv("NUMFUSE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "numfuse-cache"))


@contextlib.contextmanager
def tier(mode):
    previous = nf._core._set_jit_mode(mode)
    try:
        yield
    finally:
        nf._core._set_jit_mode(previous)


def both_tiers(fn):
    """fn() under tier 1, then under native code compiled on first use."""
    with tier("interp"):
        interpreted = fn()
    runs = nf.jit_stats()["native_runs"]
    with tier("native"):
        native = fn()
    return interpreted, native, nf.jit_stats()["native_runs"] - runs


def same_bits(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    assert got.tobytes() == want.tobytes(), (got, want)


# ---- the shared generators ---------------------------------------------------------------------

@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dags.programs())
def test_random_dags_are_bit_identical_under_native(program):
    inputs, steps = program
    with warnings.catch_warnings(), nf.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        interpreted, native, _ = both_tiers(lambda: [v if isinstance(v, type) else np.asarray(v)
                                                     for v in dags.run(nf, inputs, steps)])
    assert len(native) == len(interpreted)
    for n, i in zip(native, interpreted):
        if isinstance(i, type):
            assert n is i
        else:
            same_bits(n, i)


@pytest.mark.parametrize("code", [p.values[0] for p in snippets._params()])
def test_snippets_are_identical_under_native(code):
    (i_stage, i_error, interpreted), (n_stage, n_error, native), _ = both_tiers(lambda: snippets._run(nf, code))
    assert (n_stage, type(n_error)) == (i_stage, type(i_error))
    assert sorted(native) == sorted(interpreted)
    for name in interpreted:
        snippets._compare(native[name], interpreted[name], name)  # exact values print alike


def test_native_code_actually_ran():
    a = nf.asarray(np.linspace(-1, 1, 1000))
    _, _, runs = both_tiers(lambda: np.asarray(a * 2 + 1))
    assert runs == 1


# ---- every lowered op and dtype, against tier 1 and NumPy ---------------------------------------

def special_values(dtype):
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        info = np.finfo(dtype)
        v = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, np.inf, -np.inf, np.nan, info.max, -info.max,
             info.tiny, info.tiny / 4, -info.tiny / 4, 1e-3, 7.0, -7.0]
        return np.array(v, dtype=dtype)
    if dtype.kind == "b":
        return np.array([False, True, True, False, True, False], dtype=dtype)
    info = np.iinfo(dtype)
    v = [0, 1, 2, 3, 7, 100, info.max, info.max - 1, info.min, info.min + 1]
    if dtype.kind == "i":
        v += [-1, -2, -7, -100]
    return np.array(v, dtype=dtype)


def pairs(dtype):
    """Every ordered pair of the special values, as two equal-length arrays."""
    v = special_values(dtype)
    return np.repeat(v, len(v)), np.tile(v, len(v))


UNARY = ["negative", "positive", "absolute", "fabs", "square", "sqrt", "floor", "ceil", "trunc",
         "logical_not", "invert"]
BINARY = ["add", "subtract", "multiply", "true_divide", "maximum", "minimum", "fmax", "fmin", "equal",
          "not_equal", "less", "less_equal", "greater", "greater_equal", "logical_and", "logical_or",
          "logical_xor", "bitwise_and", "bitwise_or", "bitwise_xor", "copysign"]
DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
          np.float32, np.float64]


def numpy_or_error(fn):
    try:
        with np.errstate(all="ignore"):
            return fn()
    except TypeError:
        return TypeError


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name", UNARY + BINARY)
def test_lowered_op_matches_tier1_and_numpy(name, dtype):
    a, b = pairs(dtype)
    args = (a,) if name in UNARY else (a, b)
    want = numpy_or_error(lambda: getattr(np, name)(*args))
    if want is TypeError:
        with pytest.raises(TypeError):
            getattr(nf, name)(*(nf.asarray(x) for x in args))
        return
    with nf.errstate(all="ignore"):
        interpreted, native, runs = both_tiers(
            lambda: np.asarray(getattr(nf, name)(*(nf.asarray(x) for x in args))))
    assert runs == 1
    same_bits(native, interpreted)
    if want.dtype == np.float16:
        return  # numfuse has no float16 (documented): it computes NumPy's float16 loops in float32
    assert native.dtype == want.dtype
    np.testing.assert_array_equal(native, want)  # every lowered op is exact (NaN == NaN here)


@pytest.mark.parametrize("source", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("target", DTYPES, ids=lambda d: np.dtype(d).name)
def test_fused_casts_match_tier1(source, target):
    a = special_values(source)
    with nf.errstate(all="ignore"):
        interpreted, native, _ = both_tiers(lambda: np.asarray((nf.asarray(a) == a).astype(target)
                                                               + nf.asarray(a).astype(target)))
    same_bits(native, interpreted)


def test_where_with_mixed_dtypes_matches_numpy():
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal(1000), rng.integers(-5, 5, 1000).astype(np.int16)
    interpreted, native, runs = both_tiers(lambda: np.asarray(nf.where(nf.asarray(x) > 0, nf.asarray(x) * 2, nf.asarray(y))))
    same_bits(native, interpreted)
    same_bits(native, np.where(x > 0, x * 2, y))
    assert runs == 1


# ---- floating-point errors, integer division, transcendentals ----------------------------------

ERROR_EXPRESSIONS = [
    lambda m, x, z: x / z,                    # divide by zero, invalid (0/0)
    lambda m, x, z: m.sqrt(x - 2),            # invalid
    lambda m, x, z: x * 1e308 * 10,           # overflow
    lambda m, x, z: m.log(z) + x,             # divide by zero through an op rule (a call)
    lambda m, x, z: m.exp(x * 1000) - 1,      # overflow through an op rule
    lambda m, x, z: (x * 3).astype(np.int32) // (z.astype(np.int32)),  # integer division by zero
    lambda m, x, z: m.sin(x) * m.cos(z) + x,  # transcendentals: tier 1's kernels, bit for bit
]


@pytest.mark.parametrize("index", range(len(ERROR_EXPRESSIONS)))
def test_floating_point_warnings_are_tier1s(index):
    expr = ERROR_EXPRESSIONS[index]
    x = np.concatenate([np.linspace(-3, 3, 700), [0.0, 1.0, np.nan, np.inf]])
    z = np.where(np.arange(x.size) % 5 == 0, 0.0, x)

    def run():
        with warnings.catch_warnings(record=True) as caught, nf.errstate(all="warn"):
            warnings.simplefilter("always")
            value = np.asarray(expr(nf, nf.asarray(x), nf.asarray(z)))
        return value, [str(w.message) for w in caught]

    (interpreted, i_warnings), (native, n_warnings), _ = both_tiers(run)
    same_bits(native, interpreted)
    assert n_warnings == i_warnings
    with np.errstate(all="ignore"):
        np.testing.assert_allclose(native, expr(np, x, z), rtol=1e-13, equal_nan=True)


def test_errstate_raise_is_tier1s():
    x = nf.asarray(np.array([1.0, 0.0, 2.0]))
    for mode in ("interp", "native"):
        with tier(mode), nf.errstate(divide="raise"), pytest.raises(FloatingPointError):
            np.asarray(x / (x - x) + 1)


# ---- layouts, shapes, reductions ---------------------------------------------------------------

LAYOUTS = [
    lambda a: a[::3],                     # strided
    lambda a: a[::-1],                    # reversed
    lambda a: a.reshape(30, 100).T,       # transposed (collapses to rank 2)
    lambda a: a.reshape(30, 100)[:, :1],  # a column broadcast below
    lambda a: a[:0],                      # zero-size
    lambda a: a[7],                       # 0-d
]


@pytest.mark.parametrize("layout", range(len(LAYOUTS)))
def test_layouts_match_tier1(layout):
    base = np.linspace(-2, 2, 3000)
    view = LAYOUTS[layout](nf.asarray(base))
    other = LAYOUTS[layout](base * 3)

    def run():
        return np.asarray(nf.maximum(view * 2 + 1, nf.asarray(other) - view) / (view * view + 1))

    interpreted, native, _ = both_tiers(run)
    same_bits(native, interpreted)
    v = LAYOUTS[layout](base)
    np.testing.assert_allclose(native, np.maximum(v * 2 + 1, other - v) / (v * v + 1), rtol=1e-15)


def test_broadcast_operands_match_tier1():
    col = np.linspace(0, 1, 40).reshape(40, 1)
    row = np.linspace(-1, 1, 50)
    interpreted, native, _ = both_tiers(lambda: np.asarray(nf.asarray(col) * 2 - nf.asarray(row) * 3 + 1.5))
    same_bits(native, interpreted)
    same_bits(native, col * 2 - row * 3 + 1.5)


@pytest.mark.parametrize("n", [1, 255, 257, 100_003])
def test_fused_reductions_are_bit_identical(n):
    rng = np.random.default_rng(n)
    a, b = nf.asarray(rng.standard_normal(n)), nf.asarray(rng.standard_normal(n))
    for reduce in (lambda: (a * b).sum(), lambda: ((a - a.mean()) ** 2).mean(),
                   lambda: (a * b + 1).max(), lambda: (a > b).any(), lambda: (a * b).sum(axis=0)):
        interpreted, native, _ = both_tiers(lambda: np.asarray(reduce()))
        same_bits(native, interpreted)


@pytest.mark.parametrize("axis", [0, 1, (0, 1)])
def test_axis_reductions_are_bit_identical(axis):
    rng = np.random.default_rng(3)
    a, b = (nf.asarray(rng.standard_normal((300, 700))) for _ in range(2))
    interpreted, native, runs = both_tiers(lambda: np.asarray((a * b - 1).sum(axis=axis)))
    same_bits(native, interpreted)
    assert runs == 1


def test_in_place_groups_stay_correct():
    base = np.linspace(0, 1, 1000)
    def run():
        a = nf.asarray(base.copy())
        a += a * 2
        a *= 3
        return np.asarray(a)
    interpreted, native, _ = both_tiers(run)
    same_bits(native, interpreted)


def test_auto_mode_compiles_hot_kernels_in_the_background():
    a = nf.asarray(np.linspace(0, 1, 1000))
    with tier("auto"):
        for _ in range(5):
            np.asarray(a * 7 - 3.25)
        nf._core._wait_for_native_compiles()
        runs = nf.jit_stats()["native_runs"]
        value = np.asarray(a * 7 - 3.25)
        assert nf.jit_stats()["native_runs"] == runs + 1
    same_bits(value, np.linspace(0, 1, 1000) * 7 - 3.25)


def test_mode_names():
    with tier("interp"):
        assert nf._core._set_jit_mode("auto") == "interp"
    with pytest.raises(ValueError):
        nf._core._set_jit_mode("fast")


# ---- the on-disk cache -------------------------------------------------------------------------

CHILD = """
import numpy as np, numfuse as nf
a = nf.asarray(np.linspace(-1, 1, 5000)); b = nf.asarray(np.linspace(2, 3, 5000))
r = [np.asarray(a * b + 1), np.asarray(nf.sqrt(a * a + b) - a), float((a * b).sum())]
want = [np.linspace(-1, 1, 5000) * np.linspace(2, 3, 5000) + 1]
assert np.array_equal(r[0], want[0])
s = nf.jit_stats()
print(s["native_compiles"], s["disk_cache_hits"], s["native_runs"])
"""


def run_child(cache_dir):
    env = dict(os.environ, NUMFUSE_JIT="native", NUMFUSE_CACHE_DIR=str(cache_dir))
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True)
    return [int(v) for v in out.stdout.split()]


def test_second_process_starts_hot(tmp_path):
    compiles, hits, runs = run_child(tmp_path)
    assert compiles == 3 and hits == 0 and runs == 3
    compiles, hits, runs = run_child(tmp_path)
    assert compiles == 0 and hits == 3 and runs == 3


def test_corrupt_entries_are_rebuilt(tmp_path):
    run_child(tmp_path)
    entries = sorted(tmp_path.iterdir())
    assert len(entries) == 3 and all(p.suffix == ".nfk" for p in entries)
    entries[0].write_bytes(entries[0].read_bytes()[:-10])        # truncated
    data = bytearray(entries[1].read_bytes())
    data[len(data) // 2] ^= 0xFF                                  # a flipped byte in the object
    entries[1].write_bytes(bytes(data))
    entries[2].write_bytes(b"not a numfuse kernel")              # garbage
    compiles, hits, runs = run_child(tmp_path)
    assert compiles == 3 and hits == 0 and runs == 3
    compiles, hits, runs = run_child(tmp_path)                   # rewritten
    assert compiles == 0 and hits == 3


def test_unwritable_cache_directory_is_ignored(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory would be")
    compiles, hits, runs = run_child(blocker / "cache")
    assert compiles == 3 and hits == 0 and runs == 3


def test_dump_prints_each_new_kernel_once():
    code = ("import numpy as np, numfuse as nf\n"
            "a = nf.asarray(np.arange(5.0))\n"
            "for _ in range(3): np.asarray(a * 2 + 1)\n")
    env = dict(os.environ, NUMFUSE_DUMP="1", NUMFUSE_JIT="interp")
    err = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stderr
    assert err.count("fused kernel, rank 1") == 1, err
    assert "multiply[float64](l0 as float64, l1 as float64) -> float64" in err, err
    assert "out0 <- t1 as float64 (c)" in err, err


# ---- fused sums folded in registers (the summing entry) ----------------------------------------

SUMMED = [
    lambda m, a, b: (a * b).sum(),
    lambda m, a, b: ((a - 1.25) ** 2).mean(),
    lambda m, a, b: (m.sin(a) * b + 1).sum(),       # a call before the loop that folds
    lambda m, a, b: (a > b).astype(a.dtype).sum(),  # a cast makes the sink
    lambda m, a, b: (m.sqrt(a * a + b * b) / 3).mean(),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(256,), (4096,), (100_003,), (40, 300), (30, 256)])
def test_summed_blocks_are_bit_identical(dtype, shape):
    rng = np.random.default_rng(sum(shape))
    a, b = (rng.standard_normal(shape).astype(dtype) for _ in range(2))
    views = [(a, b), (a[..., ::2], b[..., ::2])]  # contiguous, and strided leaves
    for x, y in views:
        fx, fy = nf.asarray(x), nf.asarray(y)
        for expr in SUMMED:
            interpreted, native, runs = both_tiers(lambda: np.asarray(expr(nf, fx, fy)))
            same_bits(native, interpreted)
            assert runs >= 1
            np.testing.assert_allclose(native, expr(np, x, y), rtol=1e-4 if dtype == np.float32 else 1e-10)
    assert nf.jit_stats()["native_summing_kernels"] > 0


def test_summed_blocks_with_a_stored_intermediate():
    rng = np.random.default_rng(5)
    a, b = nf.asarray(rng.random(5000)), nf.asarray(rng.random(5000))

    def run():
        t = a * b + 1
        s = t.sum()
        return np.asarray(s), np.asarray(t)

    (i_sum, i_t), (n_sum, n_t), _ = both_tiers(run)
    same_bits(n_sum, i_sum)
    same_bits(n_t, i_t)


def test_summed_blocks_special_values_and_warnings():
    x = np.full(1024, 1e308)
    x[300] = -np.inf
    y = np.linspace(-1, 1, 1024)
    y[700] = np.nan

    def run(expr):
        with warnings.catch_warnings(record=True) as caught, nf.errstate(all="warn"):
            warnings.simplefilter("always")
            value = np.asarray(expr())
        return value, [str(w.message) for w in caught]

    fx, fy = nf.asarray(x), nf.asarray(y)
    for expr in (lambda: (fx * 2).sum(), lambda: (fx[:256] * 1.5).sum(), lambda: (fy * 3).sum(),
                 lambda: (nf.asarray(np.full(512, -0.0)) * 1.0).sum()):
        (interpreted, i_warn), (native, n_warn), _ = both_tiers(lambda: run(expr))
        same_bits(native, interpreted)
        assert n_warn == i_warn
