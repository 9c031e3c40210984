"""Builds the Fortran corpus (tests/fortran) once per test session, through the CLI; compares results with numpy.f2py's."""
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

import numfuse as nf

CORPUS = Path(__file__).resolve().parents[1] / "fortran"
# A private build cache per test session: the first build of each corpus file really compiles.
# The isolated interpreters the session starts (isolation.py) inherit it through the environment.
SESSION_CACHE_ENV = "NUMFUSE_TEST_FORTRAN_CACHE"
CACHE = os.environ.get(SESSION_CACHE_ENV) or tempfile.mkdtemp(prefix="nfw_test_cache_")
os.environ[SESSION_CACHE_ENV] = CACHE

# `pytestmark` of every Fortran test module: a call into compiled Fortran that goes wrong can
# crash or hang, so the cases run isolated (conftest.py); the timeout covers the module's build.
FORTRAN_TEST_MARKS = [
    pytest.mark.skipif(shutil.which("gfortran") is None, reason="gfortran missing"),
    pytest.mark.isolated(timeout=300),
]


def run_cli(args, cwd, env_extra=None):
    env = dict(os.environ)
    env["NUMFUSE_FORTRAN_WRAP_CACHE"] = CACHE
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "numfuse.fortran_wrap", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)


def build_with_cli(name, sources, outdir, extra=()):
    proc = run_cli(["-c", "-m", name, *map(str, sources), *extra], cwd=outdir)
    assert proc.returncode == 0, proc.stderr
    return load(name, outdir), proc


def load(name, outdir):
    path = next(Path(outdir).glob(f"{name}.*.so"))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_with_f2py(name, sources, outdir, extra=()):
    """The same sources built by numpy.f2py (its meson backend needs meson and ninja on PATH);
    `extra`: more command-line words (`skip: name :`)."""
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    proc = subprocess.run([sys.executable, "-m", "numpy.f2py", "-c", "-m", name, *map(str, sources), *extra],
                          cwd=outdir,
                          env=env, capture_output=True, text=True)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    return load(name, outdir)


def build_both(tag, source, outdir):
    """The corpus file `source` built by numfuse (module <tag>_nfw, through the CLI) and by
    numpy.f2py (<tag>_f2py), both into outdir: (ours, theirs)."""
    ours, _ = build_with_cli(f"{tag}_nfw", [CORPUS / source], outdir)
    return ours, build_with_f2py(f"{tag}_f2py", [CORPUS / source], outdir)


def values(result):
    """A result as plain NumPy values (numfuse arrays converted), tuples kept as tuples."""
    if isinstance(result, tuple):
        return tuple(values(r) for r in result)
    return np.asarray(result) if isinstance(result, (np.ndarray, nf.ndarray)) else result


def assert_same(ours, theirs):
    """numfuse's result equals f2py's: same structure, dtypes, shapes and values."""
    a, b = values(ours), values(theirs)
    assert type(a) is type(b) or isinstance(a, type(b)) or isinstance(b, type(a)), (type(a), type(b))
    if isinstance(a, tuple):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            assert_same(x, y)
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b)
    else:
        assert a == b
