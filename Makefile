# Two entry points for a fresh machine: `make demo` and `make test`. Both install what is
# missing (Debian packages, the .venv), build, then run. Every step is idempotent.
VENV      ?= .venv
PY        := $(VENV)/bin/python
BUILD_DIR ?= build
ASAN_DIR  ?= build-asan
JOBS      ?= $(shell nproc)
PYPATH    := PYTHONPATH=$(CURDIR)/python:$(CURDIR)/$(BUILD_DIR)/pyext

.PHONY: all setup system-deps venv configure build test test-cpp test-python demo bench test-asan fuzz clean

all: build

system-deps:
	@bash scripts/install_system_deps.sh

$(VENV)/.deps-stamp: requirements-dev.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.deps-stamp

setup: system-deps venv

$(BUILD_DIR)/build.ninja: CMakeLists.txt | setup
	$(VENV)/bin/cmake -S . -B $(BUILD_DIR) -G Ninja \
	  -DPython_EXECUTABLE=$(CURDIR)/$(PY) \
	  -Dpybind11_DIR=$$($(PY) -m pybind11 --cmakedir)

configure: $(BUILD_DIR)/build.ninja

build: setup configure
	$(VENV)/bin/cmake --build $(BUILD_DIR) -j $(JOBS)

test-cpp: build
	cd $(BUILD_DIR) && ../$(VENV)/bin/ctest --output-on-failure -j $(JOBS)

test-python: build
	$(PYPATH) $(PY) -m pytest -q tests/python

test: test-cpp test-python

demo: build
	$(PYPATH) $(PY) examples/demo.py

$(VENV)/.bench-stamp: requirements-bench.txt $(VENV)/.deps-stamp
	$(PY) -m pip install -q -r requirements-bench.txt
	@touch $@

# bench: writes bench/report/ (README.md + PNG plots): run.py's rows, a fused-expression size sweep,
# the tables of the other bench scripts and the C++ benchmarks. BENCH_ARGS=--quick for a short run.
bench: build $(VENV)/.bench-stamp
	$(PYPATH) $(PY) bench/python/report.py $(BENCH_ARGS)

# fuzz: the fuzz targets of tests/fuzz (.npy loading against np.load, the lazy graph against an
# eager NumPy replay) for NUMFUSE_FUZZ_SECONDS (default 600) from seed NUMFUSE_FUZZ_START, in
# crash-isolated chunks; a failure or crash is reported with its seed. `make test` runs a fixed
# seed budget of the same targets (tests/python/test_fuzz.py).
fuzz: build
	$(PYPATH) $(PY) tests/fuzz/run.py

# test-asan: the C++ tests and the Python suite against an ASan+UBSan build of the engine and the
# extension in $(ASAN_DIR). CPython itself is not instrumented, so the sanitizer runtimes of the
# compiler CMake chose are preloaded, and leak detection is off (CPython keeps objects until exit).
# NUMFUSE_SANITIZED=1 lets tests/python/conftest.py skip what cannot run sanitized (marker no_sanitizer).
# allocator_may_return_null: a huge malloc fails as in libc (tests check the MemoryError), not abort.
# --capture=sys: a sanitizer report goes to fd 2, which pytest's fd capture would lose when it aborts.
ASAN_CXX     = $$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' $(ASAN_DIR)/CMakeCache.txt)
ASAN_PRELOAD = $$($(ASAN_CXX) -print-file-name=libasan.so):$$($(ASAN_CXX) -print-file-name=libubsan.so)
ASAN_ENV     = LD_PRELOAD=$(ASAN_PRELOAD) NUMFUSE_SANITIZED=1 \
  ASAN_OPTIONS=detect_leaks=0:halt_on_error=1:abort_on_error=1:allocator_may_return_null=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  PYTHONPATH=$(CURDIR)/python:$(CURDIR)/$(ASAN_DIR)/pyext

test-asan: setup
	$(VENV)/bin/cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug \
	  -DPython_EXECUTABLE=$(CURDIR)/$(PY) -Dpybind11_DIR=$$($(PY) -m pybind11 --cmakedir) \
	  -DNUMFUSE_SANITIZE=ON -DNUMFUSE_BUILD_PYTHON=ON -DNUMFUSE_BUILD_BENCH=OFF
	$(VENV)/bin/cmake --build $(ASAN_DIR) -j $(JOBS)
	cd $(ASAN_DIR) && ../$(VENV)/bin/ctest --output-on-failure -j $(JOBS)
	$(ASAN_ENV) $(PY) -m pytest -q -p no:cacheprovider --capture=sys tests/python

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR)
