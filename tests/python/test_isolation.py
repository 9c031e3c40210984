"""The crash-isolation plugin (isolation.py) on a sample module: a segfault, an abort, an exit, a
hang and an ordinary failure each fail their own case by name, and the session goes on."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent

SAMPLE = '''
import ctypes, os, threading
import pytest
from isolation import CHILD_ENV

pytestmark = pytest.mark.isolated

def test_passes():
    assert os.environ.get(CHILD_ENV)      # really in the child interpreter

def test_segfaults():
    ctypes.string_at(0)

def test_runs_after_the_segfault():
    pass

def test_aborts():
    os.abort()

def test_exits():
    os._exit(3)

@pytest.mark.isolated(timeout=1)
def test_hangs():
    threading.Event().wait()

def test_fails():
    assert 1 == 2, "an ordinary failure"

@pytest.mark.parametrize("x", [1, 2])
def test_parametrized(x):
    assert x in (1, 2)
'''

PLAIN = '''
import os
from isolation import CHILD_ENV

def test_not_isolated_runs_in_the_session():
    assert not os.environ.get(CHILD_ENV)
'''


def run_sample(tmp_path):
    (tmp_path / "conftest.py").write_text(textwrap.dedent(f'''
        import sys
        sys.path.insert(0, {str(HERE)!r})
        from isolation import *  # noqa: F401,F403  (the hooks)
        '''))
    (tmp_path / "test_sample.py").write_text(SAMPLE)
    (tmp_path / "test_plain.py").write_text(PLAIN)
    # The plugin's own behaviour, not numfuse's: no sanitizer runtime (ASan would turn the
    # segfault into an abort) and the sample's own timeouts.
    env = {k: v for k, v in os.environ.items()
           if k not in ("NUMFUSE_ISOLATED_CHILD", "LD_PRELOAD", "NUMFUSE_SANITIZED")}
    env["COLUMNS"] = "400"  # the short summary keeps the whole reason
    proc = subprocess.run([sys.executable, "-m", "pytest", "-rA", "-p", "no:cacheprovider",
                           "--rootdir", str(tmp_path), str(tmp_path)],
                          cwd=tmp_path, env=env, capture_output=True, text=True)
    return proc


def outcome_lines(output):
    """'PASSED name' / 'FAILED name - ...' lines of the -rA short summary, by test name."""
    lines = {}
    for line in output.splitlines():
        word, _, rest = line.partition(" ")
        if word in ("PASSED", "FAILED") and "::" in rest:
            lines[rest.split("::", 1)[1].split(" ")[0]] = (word, rest)
    return lines


def test_crashes_and_hangs_fail_their_own_case_and_the_session_goes_on(tmp_path):
    proc = run_sample(tmp_path)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out          # tests failed; the session itself did not die
    outcomes = {name: word for name, (word, _) in outcome_lines(out).items()}
    assert outcomes == {
        "test_passes": "PASSED", "test_segfaults": "FAILED", "test_runs_after_the_segfault": "PASSED",
        "test_aborts": "FAILED", "test_exits": "FAILED", "test_hangs": "FAILED", "test_fails": "FAILED",
        "test_parametrized[1]": "PASSED", "test_parametrized[2]": "PASSED",
        "test_not_isolated_runs_in_the_session": "PASSED"}, out
    reasons = {name: rest for name, (_, rest) in outcome_lines(out).items()}
    assert "killed by SIGSEGV" in reasons["test_segfaults"], out
    assert "killed by SIGABRT" in reasons["test_aborts"], out
    assert "exited with status 3" in reasons["test_exits"], out
    assert "hung" in reasons["test_hangs"], out
    assert "an ordinary failure" in out
    # The crash report carries the child's own traceback (faulthandler) for the crashed case,
    # and the hang report the stack where it waits.
    crash_line = SAMPLE.splitlines().index("    ctypes.string_at(0)") + 1
    assert f'test_sample.py", line {crash_line} in test_segfaults' in out, out
    assert 'in test_hangs' in out, out
    summary = out.split("isolated cases that crashed or hung", 1)[1]
    for name in ("test_segfaults", "test_aborts", "test_exits", "test_hangs"):
        assert f"test_sample.py::{name}" in summary
    assert "test_fails" not in summary.split("short test summary")[0]
