"""Crash isolation for risky tests: `@pytest.mark.isolated` runs a test in a fresh interpreter.

A segfault, an abort or a hang inside one of those tests then fails that test, by name, instead of
killing the whole pytest session. Cases are batched so the session pays one interpreter start
(~2 s) rather than one per case: at the first isolated case the parent runs `python -m pytest` on
all the isolated cases still to come; the child writes a line to a journal when each case starts
and each serialized report. If the child dies, the case that started and never finished is the
culprit: it fails with the signal and the child's stderr since the case started (faulthandler's
traceback, a sanitizer report), and the cases not yet run go to a new child. A case running past its timeout gets its threads' stacks
dumped (SIGUSR1 -> faulthandler) and is killed; it fails as a hang.

    @pytest.mark.isolated                 # default timeout DEFAULT_TIMEOUT_S
    @pytest.mark.isolated(timeout=30)     # seconds; multiplied under sanitizers (slower)

conftest.py imports the hooks below; the child finds its role through CHILD_ENV.
"""
import faulthandler
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import pytest

CHILD_ENV = "NUMFUSE_ISOLATED_CHILD"
DEFAULT_TIMEOUT_S = 120.0
# ASan/UBSan builds run 3-10x slower; `make test-asan` sets NUMFUSE_SANITIZED=1.
SANITIZED_SLOWDOWN = 5.0
STDERR_HEAD_LINES = 80
# Stack frames of the test runner itself, dropped from a crashed child's faulthandler dump.
RUNNER_FRAMES = ("/_pytest/", "/pluggy/", "/pytest/__main__.py", "<frozen runpy>")
POLL_S = 0.02
HANG_DUMP_GRACE_S = 1.0

# Cases of the parent session that crashed or hung, for the terminal summary.
_BROKEN_CASES = []
# nodeid -> list of reports, filled one module batch at a time.
_RESULTS = {}
_config = None


def pytest_addoption(parser):
    parser.addoption("--no-isolation", action="store_true",
                     help="run @pytest.mark.isolated cases in this session (e.g. under a debugger)")


def pytest_configure(config):
    global _config
    _config = config
    config.addinivalue_line(
        "markers", "isolated(timeout=seconds): run in a fresh interpreter; a crash or hang fails "
        "this case by name instead of killing the session")
    if os.environ.get(CHILD_ENV):
        # Stacks of all threads on demand, so a hang shows where it is stuck.
        faulthandler.register(signal.SIGUSR1, all_threads=True)


def is_isolated(item):
    return (item.get_closest_marker("isolated") is not None and not os.environ.get(CHILD_ENV)
            and not item.config.getoption("no_isolation"))


def case_timeout(item):
    marker = item.get_closest_marker("isolated")
    timeout = marker.kwargs.get("timeout", DEFAULT_TIMEOUT_S)
    if os.environ.get("NUMFUSE_SANITIZED"):
        timeout *= SANITIZED_SLOWDOWN
    return timeout


# ----------------------------------------------------------------------------------------------
# Child side: run only the requested cases, journal each start and each report.

def _child_control():
    with open(os.environ[CHILD_ENV]) as f:
        return json.load(f)


def pytest_collection_modifyitems(session, config, items):
    if not os.environ.get(CHILD_ENV):
        return
    wanted = set(_child_control()["nodeids"])
    keep = [item for item in items if item.nodeid in wanted]
    dropped = [item for item in items if item.nodeid not in wanted]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = keep


class _Journal:
    def __init__(self, path):
        self.file = open(path, "a", buffering=1)  # line-buffered: each record reaches the file

    def write(self, record):
        self.file.write(json.dumps(record) + "\n")


_journal = None


def _child_journal():
    global _journal
    if _journal is None:
        _journal = _Journal(_child_control()["journal"])
    return _journal


def pytest_runtest_logstart(nodeid, location):
    if not os.environ.get(CHILD_ENV):
        return
    sys.stderr.flush()
    _child_journal().write({"start": nodeid, "stderr_at": os.lseek(2, 0, os.SEEK_CUR)})


def pytest_runtest_logreport(report):
    if not os.environ.get(CHILD_ENV):
        return
    data = _config.hook.pytest_report_to_serializable(config=_config, report=report)
    _child_journal().write({"report": data})


# ----------------------------------------------------------------------------------------------
# Parent side: run a module's isolated cases in children, replay their reports.

@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    if not is_isolated(item):
        return None
    if item.nodeid not in _RESULTS:
        # All the session's isolated cases still to come, in one child: one interpreter start.
        batch = [other for other in item.session.items
                 if is_isolated(other) and other.nodeid not in _RESULTS]
        _RESULTS.update(_run_batch(item.config, batch))
    item.ihook.pytest_runtest_logstart(nodeid=item.nodeid, location=item.location)
    for report in _RESULTS.pop(item.nodeid):
        item.ihook.pytest_runtest_logreport(report=report)
    item.ihook.pytest_runtest_logfinish(nodeid=item.nodeid, location=item.location)
    return True


def _run_batch(config, batch):
    """Runs the cases of `batch` in as many children as crashes require; nodeid -> reports."""
    results = {}
    pending = list(batch)
    with tempfile.TemporaryDirectory(prefix="nf_isolated_") as tmp:
        while pending:
            outcome = _run_child(config, pending, tmp)
            results.update(outcome.finished)
            if outcome.culprit is None:
                for item in pending:
                    if item.nodeid not in results:
                        results[item.nodeid] = _failure(
                            item, f"did not run: its interpreter ended with status "
                            f"{outcome.returncode} first", outcome.stderr_since(0))
                break
            culprit = next(item for item in pending if item.nodeid == outcome.culprit)
            results[culprit.nodeid] = outcome.partial + _failure(
                culprit, outcome.describe(), outcome.stderr_since(outcome.culprit_stderr_at),
                done_phases={report.when for report in outcome.partial})
            _BROKEN_CASES.append(f"{culprit.nodeid}: {outcome.describe()}")
            pending = [item for item in pending if item.nodeid not in results]
    return results


class _ChildOutcome:
    def __init__(self, stderr_path):
        self.stderr_path = stderr_path
        self.finished = {}       # nodeid -> reports, for cases whose teardown was reported
        self.culprit = None      # the case that started and never finished
        self.culprit_stderr_at = 0
        self.partial = []        # its reports so far (e.g. setup passed)
        self.returncode = None
        self.hung_after_s = None

    def describe(self):
        if self.hung_after_s is not None:
            return f"hung: still running after {self.hung_after_s:.0f} s, killed"
        rc = self.returncode
        if rc is not None and rc < 0:
            try:
                name = signal.Signals(-rc).name
            except ValueError:
                name = f"signal {-rc}"
            return f"crashed: killed by {name} ({signal.strsignal(-rc)})"
        return f"crashed: the interpreter exited with status {rc}"

    def stderr_since(self, offset):
        """The child's output from `offset` on, without the runner's own stack frames."""
        with open(self.stderr_path, "rb") as f:
            f.seek(offset)
            lines = f.read().decode("utf-8", "replace").splitlines()
        lines = [line for line in lines
                 if not (line.lstrip().startswith("File ") and any(f in line for f in RUNNER_FRAMES))]
        return "\n".join(lines[:STDERR_HEAD_LINES])


def _run_child(config, items, tmp):
    journal = os.path.join(tmp, "journal.jsonl")
    control = os.path.join(tmp, "control.json")
    stderr_path = os.path.join(tmp, "stderr.txt")
    with open(journal, "w"), open(control, "w") as f:
        json.dump({"nodeids": [item.nodeid for item in items], "journal": journal}, f)
    # --capture=sys: C-level output (a sanitizer report, "terminate called...") must reach the
    # stderr file even when the case dies, not a capture file that nobody reads.
    cmd = [sys.executable, "-X", "faulthandler", "-m", "pytest", "-q", "-p", "no:cacheprovider",
           "--capture=sys", "--rootdir", str(config.rootpath)]
    if config.inipath:
        cmd += ["-c", str(config.inipath)]
    cmd += sorted({str(item.path) for item in items})
    env = dict(os.environ, **{CHILD_ENV: control})
    timeouts = {item.nodeid: case_timeout(item) for item in items}
    outcome = _ChildOutcome(stderr_path)
    with open(stderr_path, "wb") as err, open(journal) as log:
        proc = subprocess.Popen(cmd, cwd=str(config.rootpath), env=env, stdin=subprocess.DEVNULL,
                                stdout=err, stderr=err)
        reader = _JournalReader(config, log, outcome)
        while True:
            try:
                outcome.returncode = proc.wait(timeout=POLL_S)
                break
            except subprocess.TimeoutExpired:
                reader.read_new()
                current = reader.current
                if current and time.monotonic() - reader.current_since > timeouts[current]:
                    outcome.hung_after_s = timeouts[current]
                    _kill_hung(proc)
                    outcome.returncode = proc.returncode
                    break
        reader.read_new()
    if reader.current is not None:
        outcome.culprit = reader.current
        outcome.culprit_stderr_at = reader.current_stderr_at
        outcome.partial = reader.current_reports
    return outcome


def _kill_hung(proc):
    proc.send_signal(signal.SIGUSR1)  # faulthandler dumps every thread's stack to stderr
    try:
        proc.wait(timeout=HANG_DUMP_GRACE_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class _JournalReader:
    """Follows the child's journal: finished cases, and the one running now."""

    def __init__(self, config, log, outcome):
        self.config = config
        self.log = log
        self.outcome = outcome
        self.buffer = ""
        self.current = None
        self.current_since = 0.0
        self.current_stderr_at = 0
        self.current_reports = []

    def read_new(self):
        self.buffer += self.log.read()
        *lines, self.buffer = self.buffer.split("\n")
        for line in lines:
            record = json.loads(line)
            if "start" in record:
                self.current, self.current_since = record["start"], time.monotonic()
                self.current_stderr_at, self.current_reports = record["stderr_at"], []
                continue
            report = self.config.hook.pytest_report_from_serializable(config=self.config,
                                                                      data=record["report"])
            self.current_reports.append(report)
            if report.when == "teardown":
                self.outcome.finished[report.nodeid] = self.current_reports
                self.current, self.current_reports = None, []


def _failure(item, what, stderr, done_phases=()):
    """The reports, after those of `done_phases`, that fail `item` with `what` and the child's
    stderr: in its call phase, or in teardown when the call was already reported."""
    def report(when, outcome, longrepr=None):
        return pytest.TestReport(item.nodeid, item.location, {k: 1 for k in item.keywords},
                                 outcome, longrepr, when)
    text = f"{what} (isolated case {item.nodeid})"
    if stderr:
        text += f"\n--- its interpreter's output from the case's start (<= {STDERR_HEAD_LINES} lines) ---\n{stderr}"
    failing = "teardown" if "call" in done_phases else "call"
    reports = [] if "setup" in done_phases else [report("setup", "passed")]
    if failing == "call":
        reports.append(report("call", "failed", text))
    return reports + [report("teardown", "failed" if failing == "teardown" else "passed",
                             text if failing == "teardown" else None)]


def pytest_terminal_summary(terminalreporter):
    if _BROKEN_CASES:
        terminalreporter.section("isolated cases that crashed or hung", sep="!", red=True, bold=True)
        for line in _BROKEN_CASES:
            terminalreporter.line(line, red=True)
