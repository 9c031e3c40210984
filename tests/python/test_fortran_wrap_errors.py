"""Errors inside and around a wrapped call are Python exceptions, never an abort (issue 11 #1, the
Fortran runtime part; issue 12 §4: messages name the argument and the problem).

tests/fortran/runtime_errors.f90 is built with -fcheck=bounds. STOP / ERROR STOP / bounds errors /
failed ALLOCATE / CALL ABORT would end the process in libgfortran; the extension turns them into
RuntimeError (MemoryError for allocation), and the module stays usable afterwards.
"""
import numpy as np
import pytest

import numfuse as nf
from fortran_wrap_util import CORPUS, FORTRAN_TEST_MARKS, build_with_cli

pytestmark = FORTRAN_TEST_MARKS


@pytest.fixture(scope="module")
def rt(tmp_path_factory):
    out = tmp_path_factory.mktemp("rterr")
    mod, _ = build_with_cli("rterr", [CORPUS / "runtime_errors.f90"], out, extra=["--f90flags=-fcheck=bounds"])
    return mod


@pytest.mark.parametrize("mode, i, exc, says", [
    (1, 0, RuntimeError, r"halt\(\): Fortran STOP 3$"),
    (2, 0, RuntimeError, r"halt\(\): Fortran ERROR STOP bad input$"),
    (3, 7, RuntimeError, r"runtime_errors.f90: Index '7' of dimension 1 of array 'x' above upper bound of 3"),
    (4, 0, RuntimeError, r"halt\(\): Fortran STOP$"),
    (5, 0, RuntimeError, r"halt\(\): Fortran ABORT$"),
])
def test_fortran_runtime_errors_raise(rt, mode, i, exc, says):
    x = np.zeros(3)
    with pytest.raises(exc, match=says):
        rt.halt(mode, i, x)
    rt.halt(0, 0, x)   # still usable: the next call runs normally
    np.testing.assert_array_equal(x, np.ones(3))


def test_failed_allocate_is_memory_error(rt):
    with pytest.raises(MemoryError, match="alloc_huge"):
        rt.alloc_huge(2**58)   # 2 EiB: malloc fails
    assert rt.alloc_huge(10) == 1.0


def test_callback_exception_wins_over_the_fortran_error_it_caused(rt):
    def f(t):
        raise KeyError("from the callback")
    with pytest.raises(KeyError, match="from the callback"):
        rt.cb_then_stop(f)
    with pytest.raises(RuntimeError, match="callback gave no value"):
        rt.cb_then_stop(lambda t: 0.0)
    assert rt.cb_then_stop(lambda t: 2.0 * t) == 2.0


def test_errors_in_threads_stay_in_their_thread(rt):
    from concurrent.futures import ThreadPoolExecutor

    def work(k):
        x = np.zeros(3)
        if k % 2:
            with pytest.raises(RuntimeError, match="ERROR STOP"):
                rt.halt(2, 0, x)
            return -1.0
        rt.halt(0, 0, x)
        return x.sum()
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(work, range(16)))
    assert results == [3.0 if k % 2 == 0 else -1.0 for k in range(16)]


# -- errors before the call name the argument and the problem -----------------------------------------
def test_failed_check_names_the_check_and_argument(rt):
    with pytest.raises(rt.error, match=r"^\(n <= len\(x\)\) failed for 1st argument n: first_n:n=5 \(shape\(x\)=\(3,\)\)$"):
        rt.first_n(5, np.arange(3.0))
    assert rt.first_n(3, np.arange(4.0)) == 3.0


@pytest.mark.parametrize("a, says", [
    (np.broadcast_to(np.zeros((2, 1), order="F"), (2, 3)), r"'a'.*read-only"),
    (np.zeros((2, 3), dtype=np.float32), r"'a'.*wrong dtype"),
    (np.zeros((2, 3)), r"'a'.*C-ordered"),
    (np.zeros((4, 6), order="F")[::2, ::2], r"'a'.*not contiguous"),
    (nf.zeros((2, 3)), r"'a'.*C-ordered"),
])
def test_inout_array_problems_name_the_argument(rt, a, says):
    with pytest.raises(ValueError, match=says):
        rt.grid_inc(a)


def test_declared_size_mismatch_names_the_argument(rt):
    a = np.zeros((2, 3), order="F")
    with pytest.raises(rt.error, match=r"^\(shape\(a, 0\) == m\) failed for 1st keyword m: grid_inc:m=3 \(shape\(a\)=\(2, 3\)\)$"):
        rt.grid_inc(a, m=3)
