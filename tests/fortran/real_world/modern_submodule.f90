! The body of nf_solvers' separate module procedure (Fortran 2008 submodule), written for
! numfuse's tests.
submodule (nf_solvers) nf_solvers_impl
  implicit none
contains
  module function cross_count(x, level) result(n)
    real(wp), intent(in) :: x(:)
    real(wp), intent(in) :: level
    integer(ik) :: n
    integer :: i
    n = 0
    do i = 2, size(x)
      if ((x(i - 1) - level) * (x(i) - level) < 0) n = n + 1
    end do
  end function cross_count
end submodule nf_solvers_impl
