"""Session-wide test hooks: crash isolation (isolation.py) and what sanitized runs skip."""
import atexit
import os
import shutil
import tempfile

import hypothesis
import pytest

from isolation import (pytest_addoption, pytest_collection_modifyitems as _isolation_collection,  # noqa: F401
                       pytest_configure as _isolation_configure, pytest_runtest_logreport,
                       pytest_runtest_logstart, pytest_runtest_protocol, pytest_terminal_summary)

# Native kernels compiled by the tests (NUMFUSE_JIT=auto compiles hot ones) are cached in a
# directory of this session (children inherit it), never in the user's ~/.cache/numfuse.
if "NUMFUSE_CACHE_DIR" not in os.environ:
    os.environ["NUMFUSE_CACHE_DIR"] = tempfile.mkdtemp(prefix="numfuse-test-cache-")
    atexit.register(shutil.rmtree, os.environ["NUMFUSE_CACHE_DIR"], True)

# `make test-asan` runs this suite against the ASan+UBSan build with NUMFUSE_SANITIZED=1.
SANITIZED = bool(os.environ.get("NUMFUSE_SANITIZED"))

if SANITIZED:
    # Sanitized code runs several times slower: no per-example deadline, fewer default examples.
    hypothesis.settings.register_profile("sanitized", deadline=None, max_examples=25)
    hypothesis.settings.load_profile("sanitized")
elif os.environ.get("CI"):
    # The landing run (.ci/run sets CI) is reproducible: the same examples every run, no timing
    # deadline on a shared machine. Developers' runs stay random and keep finding new cases.
    hypothesis.settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
    hypothesis.settings.load_profile("ci")


def pytest_configure(config):
    _isolation_configure(config)
    config.addinivalue_line(
        "markers", "no_sanitizer(reason): skipped by `make test-asan` (the reason says why)")


def pytest_collection_modifyitems(session, config, items):
    _isolation_collection(session, config, items)
    if not SANITIZED:
        return
    for item in items:
        marker = item.get_closest_marker("no_sanitizer")
        if marker is not None:
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
            item.add_marker(pytest.mark.skip(reason=f"not under sanitizers: {reason}"))
