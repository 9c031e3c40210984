"""When a wrapped call hands the GIL over: a call over large arrays releases it (other Python
threads run during it), a small call keeps it, as f2py's calls do (handing it over would cost more
than the call). Checked with a routine that spins until another thread writes its flag array."""
import threading

import numpy as np
import pytest

from fortran_wrap_util import CORPUS, FORTRAN_TEST_MARKS, build_with_cli

pytestmark = FORTRAN_TEST_MARKS

CAP = 50_000_000  # turns: well under a second of spinning


@pytest.fixture(scope="module")
def spin(tmp_path_factory):
    module, _ = build_with_cli("gilspin", [CORPUS / "gil_spin.f90"], tmp_path_factory.mktemp("gil"))
    return module.spinflag


def spins_while_flag_is_written(spinflag, n):
    """The turns spinflag took while this thread kept writing its flag (it clears it on entry)."""
    flag = np.zeros(n)
    result = {}
    worker = threading.Thread(target=lambda: result.setdefault("spins", spinflag(flag, CAP)))
    worker.start()
    while worker.is_alive():
        flag[0] = 1.0  # Python code: runs only while the call has released the GIL
        worker.join(0.0005)
    return result["spins"]


def test_large_call_releases_the_gil(spin):
    assert spins_while_flag_is_written(spin, 1 << 14) < CAP  # 128 KiB: the writer got through


def test_small_call_keeps_the_gil(spin):
    assert spins_while_flag_is_written(spin, 4) == CAP  # 32 bytes: nobody ran during the call
