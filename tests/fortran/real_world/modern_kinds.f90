! Fortran 2008/2018 free-form source written for numfuse's tests: kind parameters that other
! modules take from this one (iso_fortran_env names, renamed and re-exported).
module nf_kinds
  use, intrinsic :: iso_fortran_env, only: wp => real64, ik => int32, int64
  implicit none
  private
  public :: wp, ik, int64, sp
  integer, parameter :: sp = kind(1.0)
end module nf_kinds
