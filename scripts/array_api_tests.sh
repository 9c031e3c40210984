#!/usr/bin/env bash
# Runs the public array API conformance suite (https://github.com/data-apis/array-api-tests)
# against numfuse, or against NumPy for the reference count with the same settings.
#
#   scripts/array_api_tests.sh [SUITE_DIR] [extra pytest arguments...]
#
#   SUITE_DIR   a checkout of array-api-tests (default: ../array-api-tests). When it does not
#               exist and the network allows, it is cloned at $ARRAY_API_TESTS_COMMIT with its
#               `array-api` submodule (the spec stubs the suite reads signatures from).
#   XP=numpy    run the suite against NumPy instead (ARRAY_API_TESTS_MODULE=numpy)
#   MAX_EXAMPLES    hypothesis examples per test (default 10, the setting of the issue's counts)
#   ARRAY_API_TESTS_COMMIT  the pinned suite commit (default below)
#   ARRAY_API_TESTS_VERSION the spec revision tested (the suite's default: the namespace's
#               __array_api_version__, "2024.12" for numfuse and NumPy 2.4 alike)
#   PYTHON      interpreter with numfuse's dependencies (default .venv/bin/python)
#   BUILD_DIR   the CMake build folder holding pyext/ (default build)
#
# The suite needs pytest, hypothesis and ndindex: `$PYTHON -m pip install -r SUITE_DIR/requirements.txt`.
# Counts and the known differences: docs/array_api.md. The project's own per-section tests
# (tests/python/test_array_api_*.py, run by `make test`) do not need the suite.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PINNED_COMMIT="${ARRAY_API_TESTS_COMMIT:-55fcc60179efa2680ddd6cd926ddf17b83530e2b}"
SUITE_DIR="${1:-$ROOT/../array-api-tests}"
[ $# -gt 0 ] && shift
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
XP="${XP:-numfuse}"
MAX_EXAMPLES="${MAX_EXAMPLES:-10}"

if [ ! -d "$SUITE_DIR/array_api_tests" ]; then
    echo "==> cloning array-api-tests at $PINNED_COMMIT into $SUITE_DIR"
    git clone --quiet https://github.com/data-apis/array-api-tests.git "$SUITE_DIR"
    git -C "$SUITE_DIR" checkout --quiet "$PINNED_COMMIT"
    git -C "$SUITE_DIR" submodule update --init --quiet
fi
if [ -d "$SUITE_DIR/.git" ]; then
    HEAD_COMMIT="$(git -C "$SUITE_DIR" rev-parse HEAD)"
    if [ "$HEAD_COMMIT" != "$PINNED_COMMIT" ]; then
        echo "warning: $SUITE_DIR is at $HEAD_COMMIT, not the pinned $PINNED_COMMIT;" \
             "counts are comparable only between runs of the same commit" >&2
    fi
fi
"$PYTHON" -c "import ndindex, hypothesis, pytest" 2>/dev/null || {
    echo "error: the suite needs ndindex, hypothesis and pytest:" \
         "$PYTHON -m pip install -r $SUITE_DIR/requirements.txt" >&2
    exit 2
}

export ARRAY_API_TESTS_MODULE="$XP"
export PYTHONPATH="$ROOT/python:$BUILD_DIR/pyext${PYTHONPATH:+:$PYTHONPATH}"
echo "==> ARRAY_API_TESTS_MODULE=$XP, --max-examples=$MAX_EXAMPLES, suite $SUITE_DIR"
cd "$SUITE_DIR"  # the suite's conftest.py (its options, skips and hypothesis profile) is here
exec "$PYTHON" -m pytest array_api_tests/ -q -p no:cacheprovider \
    --max-examples="$MAX_EXAMPLES" --disable-deadline -rN "$@"
