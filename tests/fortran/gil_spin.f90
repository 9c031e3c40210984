! Spins until another thread writes flag(1) /= 0, or `cap` turns have passed; returns the turns
! taken. Another Python thread can write the flag only while this call has released the GIL.
subroutine spinflag(n, flag, cap, spins)
  integer, intent(in) :: n, cap
  double precision, intent(inout) :: flag(n)
  integer, intent(out) :: spins
  volatile :: flag
  flag(1) = 0
  spins = 0
  do while (flag(1) == 0 .and. spins < cap)
    spins = spins + 1
  end do
end subroutine
