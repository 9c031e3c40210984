! procedure(iface) dummies whose abstract interface lives in a module, used by an external
! routine and by a module procedure; one of them OPTIONAL.
module fn_kinds
  implicit none
  abstract interface
    function real_fn(t) result(y)
      real(8), intent(in) :: t
      real(8) :: y
    end function real_fn
  end interface
contains
  function integrate(f, a, b, n) result(s)
    procedure(real_fn) :: f
    real(8), intent(in) :: a, b
    integer, intent(in) :: n
    real(8) :: s, h
    integer :: i
    h = (b - a) / n
    s = 0.5d0 * (f(a) + f(b))
    do i = 1, n - 1
      s = s + f(a + i * h)
    end do
    s = s * h
  end function integrate
end module fn_kinds

subroutine tabulate(x, y, f)
  use fn_kinds, only: real_fn
  implicit none
  real(8), intent(in) :: x(:)
  real(8), intent(out) :: y(size(x))
  procedure(real_fn), optional :: f
  integer :: i
  y = x
  if (present(f)) then
    do i = 1, size(x)
      y(i) = f(x(i))
    end do
  end if
end subroutine tabulate
