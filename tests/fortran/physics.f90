! Fortran 90+ corpus for numfuse.fortran_wrap: module variables, parameters, allocatable arrays,
! a derived type, characters, complex, logical, assumed-shape arrays, callbacks with interfaces.
module physics
  implicit none
  integer, parameter :: dp = selected_real_kind(15, 307)
  real(dp), parameter :: pi = 3.141592653589793_dp
  real(dp) :: gravity = 9.81_dp
  integer :: counter = 0
  logical :: verbose = .false.
  character(len=16) :: label = 'default'
  real(dp) :: table(3, 2)
  real(dp), allocatable :: field(:, :)
  integer, allocatable :: ids(:)

  type :: particle
     real(dp) :: mass = 1.0_dp
     real(dp) :: pos(3) = 0.0_dp
     integer :: id = 0
     logical :: active = .true.
  end type particle

  abstract interface
     function scalar_fn(x) result(y)
       import :: dp
       real(dp), intent(in) :: x
       real(dp) :: y
     end function scalar_fn
     subroutine vector_fn(n, x, fx)
       import :: dp
       integer, intent(in) :: n
       real(dp), intent(in) :: x(n)
       real(dp), intent(out) :: fx(n)
     end subroutine vector_fn
  end interface

contains

  subroutine scale_inplace(a, s)
    ! assumed shape: any strides, no copy
    real(dp), intent(inout) :: a(:, :)
    real(dp), intent(in) :: s
    a = a * s
    counter = counter + 1
  end subroutine scale_inplace

  function total(v) result(t)
    real(dp), intent(in) :: v(:)
    real(dp) :: t
    t = sum(v)
  end function total

  subroutine rotate(z, theta, w)
    complex(dp), intent(in) :: z(:)
    real(dp), intent(in) :: theta
    complex(dp), intent(out) :: w(size(z))
    w = z * exp(cmplx(0.0_dp, theta, kind=dp))
  end subroutine rotate

  subroutine csum(n, z, s)
    integer, intent(in) :: n
    complex(kind=4), intent(in) :: z(n)
    complex(kind=4), intent(out) :: s
    s = sum(z)
  end subroutine csum

  logical function is_positive(x)
    real(dp), intent(in) :: x
    is_positive = x > 0
  end function is_positive

  subroutine greet(name, greeting)
    character(len=*), intent(in) :: name
    character(len=32), intent(out) :: greeting
    greeting = 'Hello, ' // trim(name) // '!'
  end subroutine greet

  subroutine upper(s)
    character(len=*), intent(inout) :: s
    integer :: i
    do i = 1, len(s)
       if (s(i:i) >= 'a' .and. s(i:i) <= 'z') s(i:i) = achar(iachar(s(i:i)) - 32)
    end do
  end subroutine upper

  function integrate(f, a, b, n) result(r)
    ! trapezoid rule of a Python callable
    procedure(scalar_fn) :: f
    real(dp), intent(in) :: a, b
    integer, intent(in) :: n
    real(dp) :: r, h
    integer :: i
    h = (b - a) / n
    r = 0.5_dp * (f(a) + f(b))
    do i = 1, n - 1
       r = r + f(a + i * h)
    end do
    r = r * h
  end function integrate

  subroutine apply_vector(f, x, y)
    procedure(vector_fn) :: f
    real(dp), intent(in) :: x(:)
    real(dp), intent(out) :: y(size(x))
    call f(size(x), x, y)
  end subroutine apply_vector

  subroutine count_calls(f, n, calls)
    ! calls f n times: the per-call overhead of a callback
    procedure(scalar_fn) :: f
    integer, intent(in) :: n
    integer, intent(out) :: calls
    real(dp) :: acc
    integer :: i
    acc = 0
    calls = 0
    do i = 1, n
       acc = acc + f(real(i, dp))
       calls = calls + 1
    end do
  end subroutine count_calls

  subroutine fill_field(n, m)
    integer, intent(in) :: n, m
    integer :: i, j
    if (allocated(field)) deallocate(field)
    allocate(field(n, m))
    do j = 1, m
       do i = 1, n
          field(i, j) = 10 * i + j
       end do
    end do
  end subroutine fill_field

  function field_sum() result(s)
    real(dp) :: s
    s = -1
    if (allocated(field)) s = sum(field)
  end function field_sum

  function kinetic(p, v) result(e)
    type(particle), intent(in) :: p
    real(dp), intent(in) :: v
    real(dp) :: e
    e = 0.5_dp * p%mass * v * v
  end function kinetic

  subroutine move(p, dx)
    type(particle), intent(inout) :: p
    real(dp), intent(in) :: dx(3)
    p%pos = p%pos + dx
    p%id = p%id + 1
  end subroutine move

  function make_particle(mass, id) result(p)
    real(dp), intent(in) :: mass
    integer, intent(in) :: id
    type(particle) :: p
    p%mass = mass
    p%id = id
    p%active = .false.
  end function make_particle

  subroutine with_pointer(p)
    ! a pointer scalar: not supported (pointer arrays are), skipped with a warning
    real(dp), pointer :: p
    p = 0
  end subroutine with_pointer
end module physics
