! Errors inside a wrapped call that libgfortran would end the process for (STOP, ERROR STOP,
! failed ALLOCATE, bounds checks of -fcheck=bounds, CALL ABORT), a callback that raises, and a
! check() that fails: each must reach Python as an exception.

subroutine halt(mode, i, x)
  implicit none
  integer, intent(in) :: mode, i
  real(8), intent(inout) :: x(3)
  select case (mode)
  case (1)
    stop 3
  case (2)
    error stop "bad input"
  case (3)
    x(i) = -1          ! out of bounds for i > 3 (built with -fcheck=bounds)
  case (4)
    stop
  case (5)
    call abort()
  case default
    x = x + 1
  end select
end subroutine halt

subroutine alloc_huge(n, s)
  implicit none
  integer(8), intent(in) :: n
  real(8), intent(out) :: s
  real(8), allocatable :: big(:)
  allocate(big(n))     ! no stat=: a failure is an error of the Fortran runtime
  big(1) = 1
  s = big(1)
end subroutine alloc_huge

! the callback's value decides: a callback that raised leaves 0, which this treats as fatal
subroutine cb_then_stop(f, x)
  implicit none
  external f
  real(8) :: f
  real(8), intent(out) :: x
  x = f(1.0d0)
  if (x == 0) error stop "callback gave no value"
end subroutine cb_then_stop

subroutine first_n(n, x, s)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: x(*)
  real(8), intent(out) :: s
!f2py check(n <= len(x)) n
!f2py depend(x) n
  s = sum(x(1:n))
end subroutine first_n

subroutine grid_inc(m, n, a)
  implicit none
  integer, intent(in) :: m, n
  real(8), intent(inout) :: a(m, n)
  a = a + 1
end subroutine grid_inc
