"""Builds the Fortran corpus (tests/fortran) once per test session, through the CLI."""
import importlib.util
import os
import subprocess
import sys
import tempfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "fortran"
# A private build cache per test session: the first build of each corpus file really compiles.
CACHE = tempfile.mkdtemp(prefix="nfw_test_cache_")


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
