"""Worst ULP error of every op with a SIMD kernel against NumPy, per float dtype, over ~0.5M points
per op (uniform in the interesting range and where the kernel switches methods, log-uniform over
the whole finite range, and special values; a zero result must have NumPy's sign). The bound is
the one documented in docs/ARCHITECTURE.md ("ufuncs") for the transcendentals (FOCUS) and 0 for
every other SIMD op, so a new SIMD kernel is checked here as soon as it exists."""
import numpy as np
import pytest

import numfuse as nf
from ufunc_cases import OPS_BY_NAME

# ~1M points per op and dtype: minutes under sanitizers, and the kernels' edge cases (tails,
# strides, specials) run there through the other ufunc tests.
pytestmark = pytest.mark.no_sanitizer(reason="the ULP sweep takes minutes when sanitized")

MAX_ULP = 4

# The range where each function is interesting (the log-uniform part covers everything else).
FOCUS = {
    "exp": (-745, 709.78), "exp2": (-1075, 1024), "expm1": (-40, 709.78), "log": (0, 1e4),
    "log2": (0, 1e4), "log10": (0, 1e4), "log1p": (-1, 1e4), "sin": (-1e4, 1e4),
    "cos": (-1e4, 1e4), "tan": (-1e4, 1e4), "arcsin": (-1, 1), "arccos": (-1, 1),
    "arctan": (-50, 50), "sinh": (-710.4, 710.4), "cosh": (-710.4, 710.4), "tanh": (-20, 20),
    "arcsinh": (-1e4, 1e4), "arccosh": (1, 1e4), "arctanh": (-1, 1), "cbrt": (-1e4, 1e4),
    "arctan2": (-10, 10), "hypot": (-1e4, 1e4),
}
# Where a kernel switches methods (simd_tanh.hpp: the rational below |x| = 0.55; simd_exp_log.hpp:
# log's series within 2^-5 of 1): a quarter of the uniform points.
SWITCHES = {"tanh": (-1.0, 1.0), "log": (0.9, 1.1)}
F32_FOCUS = {"exp": (-104, 88.7), "expm1": (-20, 88.7), "sinh": (-89.4, 89.4), "cosh": (-89.4, 89.4),
             "exp2": (-150, 128)}
SPECIAL = [0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 0.5, -0.5, 1e-300, 5e-324, 1e300,
           np.pi, -np.pi, np.pi / 2, 1e-8, -1e-8, 709.78, -745.1, 88.7, -103.9]


def points(name, dtype, n, rng):
    lo, hi = (F32_FOCUS if dtype == np.float32 else {}).get(name, FOCUS.get(name, (-1e4, 1e4)))
    switch_lo, switch_hi = SWITCHES.get(name, (lo, hi))
    finfo = np.finfo(dtype)
    magnitude = np.exp(rng.uniform(np.log(finfo.tiny), np.log(finfo.max), n // 2))
    log_uniform = magnitude * rng.choice([-1.0, 1.0], n // 2)
    uniform = n - n // 2
    with np.errstate(all="ignore"):
        x = np.concatenate([rng.uniform(lo, hi, uniform - uniform // 4),
                            rng.uniform(switch_lo, switch_hi, uniform // 4), log_uniform,
                            SPECIAL]).astype(dtype)
    return x


def ulp_error(got, want):
    """|got - want| in units in the last place of want (NaN vs NaN and equal infinities: 0)."""
    got = got.astype(np.float64)
    want64 = want.astype(np.float64)
    both_nan = np.isnan(got) & np.isnan(want64)
    same = (got == want64) | both_nan
    spacing = np.spacing(np.abs(want).astype(want.dtype)).astype(np.float64)
    # Results in the subnormal range are compared against the smallest normal's spacing.
    spacing = np.maximum(spacing, np.spacing(np.finfo(want.dtype).tiny).astype(np.float64))
    with np.errstate(all="ignore"):
        err = np.abs(got - want64) / spacing
    err[same] = 0
    err[np.isnan(err)] = np.inf  # NaN where NumPy has a number, or the reverse
    err[(got == 0) & (want64 == 0) & (np.signbit(got) != np.signbit(want64))] = np.inf
    return err


# The transcendentals (their scalar loops too, under NUMFUSE_SIMD=generic) and every op that has
# a SIMD kernel in this build.
SIMD_OPS = list(FOCUS) + [name for name, d in OPS_BY_NAME.items() if d["simd"] and name not in FOCUS]


def test_focus_names_are_ops():
    assert set(FOCUS) <= set(OPS_BY_NAME), set(FOCUS) - set(OPS_BY_NAME)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", SIMD_OPS)
def test_max_ulp(name, dtype):
    rng = np.random.default_rng(1234)
    n = 1 << 19
    arity = OPS_BY_NAME[name]["arity"]
    args = [points(name, dtype, n, rng) for _ in range(arity)]
    if arity == 2:
        args[1] = rng.permutation(args[1])
    with np.errstate(all="ignore"):
        want = getattr(np, name)(*args)
    got = np.asarray(nf._core._ufunc_apply_eager(OPS_BY_NAME[name]["id"],
                                                 tuple(nf.asarray(a) for a in args)))
    err = ulp_error(got, want)
    worst = int(np.argmax(err))
    assert err[worst] <= (MAX_ULP if name in FOCUS else 0), (
        f"{name}[{np.dtype(dtype)}]: {err[worst]:.1f} ULP at x={[a[worst] for a in args]}: "
        f"numfuse {got[worst]!r}, NumPy {want[worst]!r}")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ["sin", "cos", "tan"])
def test_next_to_multiples_of_half_pi(name, dtype):
    """Next to k pi/2 sin/cos are tiny and tan tiny or huge: the argument reduction must keep the
    reduced argument's relative accuracy there (the FMA sin/cos kernels have no libm fixup). The
    floats within 4 ULP of every k pi/2 up to the FMA kernels' limits (1e5, float32 16384)."""
    limit = 16384.0 if dtype == np.float32 else 1e5
    centres = (np.arange(1, int(limit / (np.pi / 2)) + 1) * (np.pi / 2)).astype(dtype)
    steps = [centres]
    for direction in (np.inf, -np.inf):
        x = centres
        for _ in range(4):
            x = np.nextafter(x, dtype(direction))
            steps.append(x)
    x = np.concatenate(steps)
    x = np.concatenate([x, -x])
    want = getattr(np, name)(x)
    got = np.asarray(nf._core._ufunc_apply_eager(OPS_BY_NAME[name]["id"], (nf.asarray(x),)))
    err = ulp_error(got, want)
    worst = int(np.argmax(err))
    assert err[worst] <= MAX_ULP, (
        f"{name}[{np.dtype(dtype)}]: {err[worst]:.1f} ULP at x={x[worst]!r}: "
        f"numfuse {got[worst]!r}, NumPy {want[worst]!r}")
