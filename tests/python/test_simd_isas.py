"""Every instruction-set build of the elementwise kernels is tested, not only the widest one the
machine has: NUMFUSE_SIMD caps the choice (generic, sse4_2, avx2, avx512f, native), and the
op-table walk and the accuracy test run again in a fresh process under each build this CPU
supports. Unknown or unsupported values are a clear error at import."""
import os
import subprocess
import sys

import pytest

import numfuse as nf

HERE = os.path.dirname(__file__)
ORDER = ["generic", "sse4_2", "avx2", "avx512f"]
WIDEST = nf._core._simd_arch()  # what this CPU runs with no cap
SUPPORTED = ORDER[: ORDER.index(WIDEST) + 1]


def run_python(code, isa):
    env = dict(os.environ, NUMFUSE_SIMD=isa)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


@pytest.mark.parametrize("isa", SUPPORTED)
def test_op_table_walk_and_accuracy_under_each_supported_isa(isa):
    code = ("import sys, pytest, numfuse as nf\n"
            f"assert nf._core._simd_arch() == {isa!r}, nf._core._simd_arch()\n"
            "sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', '-W', 'ignore::RuntimeWarning', "
            f"{os.path.join(HERE, 'test_ufuncs_table.py')!r}, {os.path.join(HERE, 'test_ufuncs_accuracy.py')!r}]))")
    run = run_python(code, isa)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


@pytest.mark.parametrize("alias,isa", [("native", WIDEST), ("sse4.2", "sse4_2"), ("AVX2", "avx2")])
def test_aliases(alias, isa):
    if isa not in SUPPORTED:
        pytest.skip(f"this CPU lacks {isa}")
    run = run_python("import numfuse as nf; print(nf._core._simd_arch())", alias)
    assert run.returncode == 0 and run.stdout.strip() == isa, run.stderr[-2000:]


@pytest.mark.parametrize("value", ["avx9000", "sse2"] + [isa for isa in ORDER if isa not in SUPPORTED])
def test_unknown_or_unsupported_values_fail_at_import(value):
    run = run_python("import numfuse", value)
    assert run.returncode != 0
    assert "NUMFUSE_SIMD" in run.stderr, run.stderr[-2000:]
