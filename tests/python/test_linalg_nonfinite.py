"""Non-finite input to the LAPACK drivers that can loop or answer at random (gesdd, gelsd,
syevd/heevd, geev) raises LinAlgError at once, for NaN and +-inf in every position class, every
LAPACK dtype and stacked input. NumPy hangs on some of these (an infinity in lstsq/svd/pinv), so
the calls run in a child process with a timeout: a regression fails naming the case instead of
hanging the suite.
"""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import numfuse as nf

CHILD = textwrap.dedent(r"""
    import sys
    import numpy as np
    import numfuse as nf

    def refused(name, call):
        print(name, flush=True)  # the parent names the last case if this one hangs
        try:
            call()
        except np.linalg.LinAlgError:
            return
        raise SystemExit(f"{name}: no LinAlgError")

    base = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.25], [0.5, 0.25, 2.0]])
    positions = {
        "first": (0, 0), "interior": (1, 1), "last": (2, 2), "below-diagonal": (2, 0),
        "above-diagonal": (0, 2), "column": (slice(None), 0), "row": (1, slice(None)),
        "all": (slice(None), slice(None)),
    }
    lower_triangle = {"first", "interior", "last", "below-diagonal", "column", "row", "all"}
    drivers = {
        "lstsq": lambda x: nf.linalg.lstsq(x, nf.ones(x.shape[-2], x.dtype)),
        "svd": lambda x: nf.linalg.svd(x),
        "svd-reduced": lambda x: nf.linalg.svd(x, full_matrices=False),
        "svdvals": lambda x: nf.linalg.svdvals(x),
        "pinv": lambda x: nf.linalg.pinv(x),
        "matrix_rank": lambda x: nf.linalg.matrix_rank(x),
        "cond": lambda x: nf.linalg.cond(x),
        "cond-2": lambda x: nf.linalg.cond(x, 2),
        "norm-2": lambda x: nf.linalg.norm(x, 2),
        "norm-nuc": lambda x: nf.linalg.norm(x, "nuc"),
        "eig": lambda x: nf.linalg.eig(x),
        "eigvals": lambda x: nf.linalg.eigvals(x),
        "eigh": lambda x: nf.linalg.eigh(x),  # reads the lower triangle (UPLO='L')
        "eigvalsh-U": lambda x: nf.linalg.eigvalsh(x, UPLO="U"),
    }
    for dtype in (np.float64, np.float32, np.complex128, np.complex64):
        bads = [np.nan, np.inf, -np.inf]
        if np.dtype(dtype).kind == "c":
            bads += [complex(1, np.nan), complex(np.inf, 0)]
        for value in bads:
            for where, index in positions.items():
                x = base.astype(dtype)
                x[index] = value
                for name, call in drivers.items():
                    read = where in lower_triangle if name == "eigh" else (
                        where not in {"below-diagonal"} if name == "eigvalsh-U" else True)
                    if read:
                        refused(f"{name} {np.dtype(dtype)} {value} {where}", lambda: call(nf.asarray(x)))
                    else:  # the triangle LAPACK ignores may hold anything, as in NumPy
                        print(f"{name} {np.dtype(dtype)} {value} {where} (ignored triangle)", flush=True)
                        got = call(nf.asarray(x))
                        want = (np.linalg.eigh(x) if name == "eigh" else np.linalg.eigvalsh(x, UPLO="U"))
                        np.testing.assert_allclose(np.asarray(got[0] if name == "eigh" else got),
                                                   want[0] if name == "eigh" else want, rtol=1e-4)
    # Stacks: one bad matrix among good ones, and non-square lstsq/svd shapes.
    stack = np.stack([base, base, base])
    stack[1, 2, 1] = np.inf
    for name in ("svd", "pinv", "eigh", "eig", "svdvals", "matrix_rank"):
        refused(f"{name} stacked", lambda: drivers[name](nf.asarray(stack)))
    wide = np.ones((2, 4))
    wide[1, 3] = -np.inf
    refused("lstsq wide", lambda: nf.linalg.lstsq(nf.asarray(wide), nf.ones(2)))
    refused("svd wide", lambda: nf.linalg.svd(nf.asarray(wide)))
    refused("lstsq tall", lambda: nf.linalg.lstsq(nf.asarray(wide.T.copy()), nf.ones(4)))
    print("done", flush=True)
""")


def test_nonfinite_input_to_looping_drivers_raises_at_once():
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    try:
        proc = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                              timeout=240, env=env)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        last = out.strip().splitlines()[-1:] or ["(before the first case)"]
        pytest.fail(f"hung at: {last[0]}")
    last = proc.stdout.strip().splitlines()[-1:] or [""]
    assert proc.returncode == 0 and last == ["done"], \
        f"rc={proc.returncode}, last case {last}\n{proc.stderr[-2000:]}"


def test_nonfinite_right_hand_side_of_lstsq_gives_nan_like_numpy():
    # b is never factored: NaN there only reaches x, as in NumPy.
    a = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    b = np.array([1.0, np.nan, 2.0])
    x, _, rank, s = nf.linalg.lstsq(nf.asarray(a), nf.asarray(b))
    wx, _, wrank, ws = np.linalg.lstsq(a, b)
    np.testing.assert_array_equal(np.isnan(np.asarray(x)), np.isnan(wx))
    assert rank == wrank
    np.testing.assert_allclose(np.asarray(s), ws)


def test_finite_input_is_unchanged():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((4, 3))
    np.testing.assert_allclose(np.asarray(nf.linalg.svdvals(nf.asarray(x))), np.linalg.svdvals(x))
    np.testing.assert_allclose(np.asarray(nf.linalg.lstsq(nf.asarray(x), nf.ones(4))[0]),
                               np.linalg.lstsq(x, np.ones(4))[0])
    sym = x.T @ x
    np.testing.assert_allclose(np.asarray(nf.linalg.eigvalsh(nf.asarray(sym))), np.linalg.eigvalsh(sym))
