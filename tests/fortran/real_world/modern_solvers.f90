! Fortran 2008/2018 free-form source written for numfuse's tests: kinds from another module
! (`use nf_kinds, only: wp, ik, i8 => int64`), an abstract interface with procedure(iface)
! dummies, private helpers after CONTAINS, error stop, block, associate, do concurrent,
! bind(c) with a VALUE dummy, elemental/recursive/pure prefixes, and a separate module
! procedure whose body lives in a submodule (modern_submodule.f90).
module nf_solvers
  use nf_kinds, only: wp, ik, i8 => int64
  implicit none
  private
  public :: bisect, newton_sqrt, vec_stats, scaled_sum, cumulative, fib, cross_count, halve, &
            solver_version, unary_fn

  abstract interface
    function unary_fn(x) result(y)
      import :: wp
      real(wp), intent(in) :: x
      real(wp) :: y
    end function unary_fn
  end interface

  interface
    module function cross_count(x, level) result(n)
      real(wp), intent(in) :: x(:)
      real(wp), intent(in) :: level
      integer(ik) :: n
    end function cross_count
  end interface

  integer(ik), parameter :: max_iter = 200
  real(wp), public :: tolerance = 1.0e-12_wp

contains

  function bisect(f, a, b, iters) result(root)
    procedure(unary_fn) :: f
    real(wp), intent(in) :: a, b
    integer(ik), intent(out) :: iters
    real(wp) :: root
    real(wp) :: lo, hi, mid
    lo = a; hi = b
    if (sign_of(f(lo)) == sign_of(f(hi))) error stop "bisect: no sign change"
    iters = 0
    do while (hi - lo > tolerance .and. iters < max_iter)
      mid = 0.5_wp * (lo + hi)
      if (sign_of(f(mid)) == sign_of(f(lo))) then; lo = mid; else; hi = mid; end if
      iters = iters + 1
    end do
    root = 0.5_wp * (lo + hi)
  end function bisect

  pure integer function sign_of(x)
    ! a private helper: not part of the module's interface
    real(wp), intent(in) :: x
    sign_of = merge(1, -1, x >= 0)
  end function sign_of

  elemental function halve(x) result(y)
    real(wp), intent(in) :: x
    real(wp) :: y
    y = 0.5_wp * x
  end function halve

  subroutine newton_sqrt(a, x, steps)
    real(wp), intent(in) :: a
    real(wp), intent(out) :: x
    integer(ik), intent(out) :: steps
    x = max(a, 1.0_wp)
    steps = 0
    newton: block
      real(wp) :: delta
      integer :: k
      do k = 1, 100
        delta = (x * x - a) / (2 * x)
        x = x - delta
        steps = steps + 1
        if (abs(delta) < 1e-15_wp * x) exit newton
      end do
    end block newton
  end subroutine newton_sqrt

  subroutine vec_stats(x, mean, spread)
    real(wp), intent(in) :: x(:)
    real(wp), intent(out) :: mean, spread
    associate (n => size(x))
      mean = sum(x) / n
      spread = sqrt(sum((x - mean)**2) / max(n - 1, 1))
    end associate
  end subroutine vec_stats

  subroutine scaled_sum(n, x, scale, total) bind(c, name="nf_scaled_sum")
    use, intrinsic :: iso_c_binding, only: c_int, c_double
    integer(c_int), value :: n
    real(c_double), intent(in) :: x(n)
    real(c_double), intent(in) :: scale
    real(c_double), intent(out) :: total
    total = scale * sum(x)
  end subroutine scaled_sum

  subroutine cumulative(x, c)
    real(wp), intent(in) :: x(:)
    real(wp), intent(out) :: c(size(x))
    integer :: i
    real(wp) :: s
    s = 0
    do i = 1, size(x)
      s = s + x(i)
      c(i) = s
    end do
    do concurrent (i = 1:size(x), c(i) /= c(i))
      error stop 1
    end do
  end subroutine cumulative

  recursive function fib(n) result(r)
    integer(i8), intent(in) :: n
    integer(i8) :: r
    if (n < 2) then
      r = n
    else
      r = fib(n - 1) + fib(n - 2)
    end if
  end function fib

  integer(ik) function solver_version()
    solver_version = 3
  end function solver_version
end module nf_solvers
