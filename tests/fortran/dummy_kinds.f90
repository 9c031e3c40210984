! Dummy arguments that need an explicit interface (assumed shape, OPTIONAL, VALUE, ALLOCATABLE,
! POINTER, TARGET, CONTIGUOUS, bind(c)). These are external procedures; the tests also wrap the same text
! inside a module, so every kind is checked both ways.

subroutine total(v, s)
  implicit none
  real(8), intent(in) :: v(:)
  real(8), intent(out) :: s
  s = sum(v)
end subroutine total

subroutine inc(a)
  implicit none
  real(8), intent(inout) :: a(:,:)
  integer :: i, j
  do j = 1, size(a, 2)
    do i = 1, size(a, 1)
      a(i, j) = a(i, j) + 10 * i + j
    end do
  end do
end subroutine inc

! OPTIONAL of every kind the wrapper passes: absent when Python gives None or nothing
subroutine opt_axpy(x, y, alpha, w, shift, negate, tag, mask)
  implicit none
  real(8), intent(in) :: x(:)
  real(8), intent(out) :: y(size(x))
  real(8), intent(in), optional :: alpha
  real(8), intent(in), optional :: w(*)
  real(8), intent(in), optional :: shift(:)
  logical, intent(in), optional :: negate
  character(len=*), intent(in), optional :: tag
  integer, intent(out) :: mask
  y = x
  mask = 0
  if (present(alpha)) then
    y = alpha * y
    mask = mask + 1
  end if
  if (present(w)) then
    y = y * w(1:size(x))
    mask = mask + 2
  end if
  if (present(shift)) then
    y = y + shift
    mask = mask + 4
  end if
  if (present(negate)) then
    if (negate) y = -y
    mask = mask + 8
  end if
  if (present(tag)) then
    mask = mask + 16 * len_trim(tag)
  end if
end subroutine opt_axpy

! VALUE: the routine gets copies and may change them
function vcombine(n, x, flag) result(r)
  implicit none
  integer, value :: n
  real(8), value :: x
  logical, value :: flag
  real(8) :: r
  n = n + 1
  x = x * n
  r = x
  if (flag) r = -r
end function vcombine

! ALLOCATABLE: allocated by Fortran and returned; given, reallocated and returned; only read
subroutine make_grid(m, n, g)
  implicit none
  integer, intent(in) :: m, n
  real(8), allocatable, intent(out) :: g(:,:)
  integer :: i, j
  if (m < 0) return
  allocate(g(m, n))
  do j = 1, n
    do i = 1, m
      g(i, j) = 10 * i + j
    end do
  end do
end subroutine make_grid

subroutine grow(a)
  implicit none
  integer, allocatable, intent(inout) :: a(:)
  if (allocated(a)) then
    a = [a, sum(a)]
  else
    allocate(a(1))
    a(1) = 1
  end if
end subroutine grow

subroutine alloc_sum(a, s)
  implicit none
  real(8), allocatable, intent(in) :: a(:,:)
  real(8), intent(out) :: s
  s = -1
  if (allocated(a)) s = sum(a(:, 1)) + 100 * size(a, 2)
end subroutine alloc_sum

! CONTIGUOUS: the caller makes a contiguous copy and copies it back; TARGET: pointers into it
subroutine contig_scale(a, f)
  implicit none
  real(8), contiguous, intent(inout) :: a(:)
  real(8), intent(in) :: f
  a = f * a
end subroutine contig_scale

subroutine target_last(a, s)
  implicit none
  real(8), target, intent(in) :: a(:)
  real(8), intent(out) :: s
  real(8), pointer :: p
  p => a(size(a))
  s = p
end subroutine target_last

! bind(c) with a label: the linker name is not the Fortran name
subroutine cscale(n, x, f) bind(c, name='nfw_dummy_kinds_cscale')
  use iso_c_binding, only: c_int, c_double
  implicit none
  integer(c_int), value :: n
  real(c_double), intent(inout) :: x(n)
  real(c_double), value :: f
  x = f * x
end subroutine cscale

! POINTER: associated with the caller's memory, re-pointed by the routine, or made by it
subroutine ptr_scale(p, f)
  implicit none
  real(8), pointer, intent(in) :: p(:,:)
  real(8), intent(in) :: f
  if (associated(p)) p = f * p
end subroutine ptr_scale

subroutine ptr_every_other(p, n)
  implicit none
  real(8), pointer :: p(:)
  integer, intent(out) :: n
  n = -1
  if (.not. associated(p)) return
  n = size(p)
  p(1) = lbound(p, 1)
  p => p(1::2)
end subroutine ptr_every_other

subroutine ptr_new(n, p)
  implicit none
  integer, intent(in) :: n
  real(8), pointer, intent(out) :: p(:)
  integer :: i
  nullify(p)
  if (n < 0) return
  allocate(p(n))
  p = [(10.0d0 * i, i = 1, n)]
end subroutine ptr_new

! a procedure argument beside an assumed-shape array: the interface declares it external
subroutine apply_fn(f, x, y)
  implicit none
  interface
    function f(t)
      real(8) :: f, t
    end function f
  end interface
  real(8), intent(in) :: x(:)
  real(8), intent(out) :: y(size(x))
  integer :: i
  do i = 1, size(x)
    y(i) = f(x(i))
  end do
end subroutine apply_fn

! an OPTIONAL procedure argument: None or omitted passes it absent
subroutine maybe_apply(x, y, f)
  implicit none
  real(8), intent(in) :: x(:)
  real(8), intent(out) :: y(size(x))
  interface
    function f(t)
      real(8), intent(in) :: t
      real(8) :: f
    end function f
  end interface
  optional :: f
  integer :: i
  y = -x
  if (.not. present(f)) return
  do i = 1, size(x)
    y(i) = f(x(i))
  end do
end subroutine maybe_apply
