"""The command line's errors (issue 11, reproducer 8): each is one line on stderr, no traceback,
and a non-zero exit code; nothing is built."""
import pytest

from fortran_wrap_util import CORPUS, run_cli

LEGACY = str(CORPUS / "legacy.f")


@pytest.mark.parametrize("args, says", [
    (["-c", "-m"], "'-m' needs a value"),
    (["-c", "-m", "x", LEGACY, "-L"], "'-L' needs a value"),
    (["-c", "-m", "x", LEGACY, "-l"], "'-l' needs a value"),
    (["-c", "-m", "x", LEGACY, "-I"], "'-I' needs a value"),
    (["-c", "-m", "x", LEGACY, "--build-dir"], "'--build-dir' needs a value"),
    (["-c", "-m", "x", LEGACY, "-j", "zero"], "positive number of jobs"),
    (["-c", "-m", "x", LEGACY, "--f90flags"], "'--f90flags' needs a value"),
    (["-h", "/nonexistent_dir/x.pyf", "-m", "x", LEGACY], "/nonexistent_dir/x.pyf: No such file or directory"),
    (["-c", "/nonexistent_dir/x.pyf", LEGACY], "/nonexistent_dir/x.pyf"),
    (["--bogus"], "unknown option '--bogus'"),
    (["-c", LEGACY], "no module name"),
    (["-c", "-m", "x"], "no Fortran sources"),
    (["-m", "x", LEGACY], "nothing to do"),
    (["-c", "-m", "x", "missing.f"], "missing.f: no such file"),
    (["-c", "-m", "not-an-identifier", LEGACY], "not a Python identifier"),
    (["-c", "-m", "x", LEGACY, "only:", "dnrm2s"], "not closed"),
])
def test_cli_error_is_one_line_and_nonzero_exit(tmp_path, args, says):
    proc = run_cli(args, cwd=tmp_path)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if "error" in line.lower()]
    assert len(errors) == 1, proc.stderr
    assert errors[0].startswith("fortran_wrap: error: ") and says in errors[0], proc.stderr
    assert proc.stderr.rstrip().splitlines()[-1] == errors[0]   # the last thing said
    assert not list(tmp_path.glob("*.so"))


def test_cli_help_exits_zero(tmp_path):
    proc = run_cli(["--help"], cwd=tmp_path)
    assert proc.returncode == 0 and "-c -m NAME" in proc.stdout
