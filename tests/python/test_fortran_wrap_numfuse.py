"""numfuse arrays through a wrapped Fortran routine: numfuse's C API path (numfuse_capi.h).

No copies (Fortran writes the caller's own memory), pending lazy work evaluated first, and the
no-silent-copy refusals; plus ndarray._layout(), the same information for ctypes/cffi users.
"""
import numpy as np
import pytest

import numfuse as nf
from fortran_wrap_util import FORTRAN_TEST_MARKS, build_with_cli

pytestmark = FORTRAN_TEST_MARKS

SOURCE = """
subroutine scale(n, x, f)
  integer n
  double precision x(n), f
  !f2py intent(inout) x
  x = x * f
end subroutine

subroutine fill(m, n, a)
  integer m, n
  double precision a(m, n)
  !f2py intent(inout) a
  a(1, 2) = 5.0d0
end subroutine

subroutine total(n, x, s)
  integer n
  double precision x(n), s
  !f2py intent(out) s
  s = sum(x)
end subroutine

subroutine table(n, y)
  integer n, i
  double precision y(n, 2)
  !f2py intent(out) y
  do i = 1, n
    y(i, 1) = i
    y(i, 2) = -i
  end do
end subroutine

module strided
contains
  subroutine ascale(x, f)
    double precision, intent(inout) :: x(:)
    double precision, intent(in) :: f
    x = x * f
  end subroutine
end module
"""


@pytest.fixture(scope="module")
def mod(tmp_path_factory):
    out = tmp_path_factory.mktemp("nfin")
    (out / "nfin.f90").write_text(SOURCE)
    return build_with_cli("nfin", [out / "nfin.f90"], out)[0]


def pending(a):
    return nf._core._is_pending(a)


def test_inout_writes_through_the_callers_numfuse_array(mod):
    x = nf.asarray(np.arange(5.0))
    address = x._data_address
    assert mod.scale(x, 3.0) is None
    assert x._data_address == address
    np.testing.assert_array_equal(np.asarray(x), 3 * np.arange(5.0))


def test_inout_2d_fortran_ordered_numfuse_array(mod):
    a = nf.zeros((2, 3), order="F")
    mod.fill(a)
    expected = np.zeros((2, 3))
    expected[0, 1] = 5.0
    np.testing.assert_array_equal(np.asarray(a), expected)


def test_assumed_shape_inout_on_a_strided_numfuse_view(mod):
    x = nf.asarray(np.arange(8.0))
    mod.strided.ascale(x[::2], 10.0)
    expected = np.arange(8.0)
    expected[::2] *= 10
    np.testing.assert_array_equal(np.asarray(x), expected)


@pytest.mark.parametrize("make, reason", [
    (lambda: nf.zeros((2, 3)), "C-ordered"),
    (lambda: nf.zeros((2, 3), order="F").astype(np.float32, order="F"), "wrong dtype"),
    (lambda: nf.zeros((4, 6), order="F")[::2, ::2], "not contiguous"),
])
def test_inout_numfuse_array_that_would_need_a_copy_raises(mod, make, reason):
    a = make()
    before = np.asarray(a).copy()
    with pytest.raises(ValueError, match="'a'") as info:
        mod.fill(a)
    assert reason in str(info.value)
    np.testing.assert_array_equal(np.asarray(a), before)


def test_inout_read_only_numfuse_array_raises(mod):
    base = np.arange(4.0)
    base.flags.writeable = False
    x = nf.asarray(base)
    assert not x._writeable
    with pytest.raises(ValueError, match="'x'.*read-only"):
        mod.scale(x, 2.0)
    np.testing.assert_array_equal(base, np.arange(4.0))


def test_intent_in_numfuse_array_of_another_dtype_is_converted(mod):
    x = nf.asarray(np.arange(4, dtype=np.int32))
    assert mod.total(x) == 6.0


def test_pending_lazy_input_is_evaluated_before_the_call(mod):
    x = nf.asarray(np.arange(6.0))
    y = x * 2 + 1
    assert pending(y)
    assert mod.total(y) == (np.arange(6.0) * 2 + 1).sum()


def test_pending_lazy_inout_is_evaluated_then_written(mod):
    x = nf.asarray(np.arange(4.0))
    y = x + 1
    assert pending(y)
    mod.scale(y, 3.0)
    np.testing.assert_array_equal(np.asarray(y), 3 * (np.arange(4.0) + 1))
    np.testing.assert_array_equal(np.asarray(x), np.arange(4.0))


def test_pending_in_place_update_is_applied_before_the_call(mod):
    x = nf.asarray(np.arange(4.0))
    x += 1
    mod.scale(x, 2.0)
    np.testing.assert_array_equal(np.asarray(x), 2 * (np.arange(4.0) + 1))


def test_pending_reader_of_an_inout_argument_sees_the_old_values(mod):
    x = nf.asarray(np.arange(4.0))
    reader = x + 10           # reads the whole of x
    view_reader = x[1:] * 2   # reads x through a view of the same memory
    assert pending(reader) and pending(view_reader)
    mod.scale(x, 3.0)
    np.testing.assert_array_equal(np.asarray(x), 3 * np.arange(4.0))
    np.testing.assert_array_equal(np.asarray(reader), np.arange(4.0) + 10)
    np.testing.assert_array_equal(np.asarray(view_reader), np.arange(1.0, 4.0) * 2)


def test_returned_array_is_fortran_ordered_numfuse_and_converts_without_copy(mod):
    y = mod.table(3)
    assert isinstance(y, nf.ndarray)
    assert y.shape == (3, 2) and y.dtype == np.float64 and y._f_contiguous
    as_numpy = np.asarray(y)
    assert as_numpy.__array_interface__["data"][0] == y._data_address
    np.testing.assert_array_equal(as_numpy, [[1, -1], [2, -2], [3, -3]])
    with pytest.raises(ValueError, match="negative dimension"):
        mod.table(-1)


def test_layout_describes_the_memory():
    base = np.arange(12.0).reshape(3, 4)
    a = nf.asarray(base)[::2, 1:]
    address, kind, itemsize, ndim, shape, strides, writeable = a._layout()
    view = np.asarray(a)
    assert address == view.__array_interface__["data"][0]
    assert (kind, itemsize, ndim, shape, strides, writeable) == ("f", 8, 2, (2, 3), view.strides, True)
    assert nf.asarray(np.zeros(3, np.int16))._layout()[1:3] == ("i", 2)
    assert nf.asarray(np.zeros(3, np.complex64))._layout()[1:3] == ("c", 8)


def test_layout_runs_pending_work_and_for_write_runs_readers():
    x = nf.asarray(np.arange(4.0))
    y = x + 1
    assert pending(y)
    y._layout()
    assert not pending(y)
    reader = x * 2
    x._layout()
    assert pending(reader)    # reading x needs nothing from its readers
    x._layout(for_write=True)
    assert not pending(reader)
