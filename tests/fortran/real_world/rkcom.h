c     rkcom.h: the counters of odepack_style.f (an INCLUDE file, as ODEPACK's common blocks)
      integer nfe, nst
      double precision hlast
      common /rkcom/ hlast, nfe, nst
