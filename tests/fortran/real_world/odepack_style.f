C     ODEPACK-style fixed-form source, written for numfuse's tests (not taken from ODEPACK):
C     IMPLICIT DOUBLE PRECISION typing, DIMENSION statements, a COMMON block from an INCLUDE
C     file, a user subroutine F(NEQ, T, Y, YDOT), an ENTRY point returning the counters, and
C     work arrays hidden by f2py directives.
C
      SUBROUTINE RK4INT (F, NEQ, Y, T, TOUT, NSTEP, YDOT, YTMP, ACC)
      IMPLICIT DOUBLE PRECISION (A-H, O-Z)
      EXTERNAL F
      DIMENSION Y(NEQ), YDOT(NEQ), YTMP(NEQ), ACC(NEQ)
      INCLUDE 'rkcom.h'
Cf2py intent(in,out) y, t
Cf2py intent(hide) ydot, ytmp, acc
Cf2py integer intent(hide), depend(y) :: neq = len(y)
Cf2py integer optional, intent(in), check(nstep > 0) :: nstep = 100
C-----------------------------------------------------------------------
C Classical Runge-Kutta steps from T to TOUT.  NFE counts the calls of F.
C-----------------------------------------------------------------------
      H = (TOUT - T)/NSTEP
      DO 50 ISTEP = 1,NSTEP
        CALL F (NEQ, T, Y, YDOT)
        DO 10 I = 1,NEQ
          ACC(I) = YDOT(I)
 10       YTMP(I) = Y(I) + 0.5D0*H*YDOT(I)
        TH = T + 0.5D0*H
        CALL F (NEQ, TH, YTMP, YDOT)
        DO 20 I = 1,NEQ
          ACC(I) = ACC(I) + 2.0D0*YDOT(I)
 20       YTMP(I) = Y(I) + 0.5D0*H*YDOT(I)
        CALL F (NEQ, TH, YTMP, YDOT)
        DO 30 I = 1,NEQ
          ACC(I) = ACC(I) + 2.0D0*YDOT(I)
 30       YTMP(I) = Y(I) + H*YDOT(I)
        T1 = T + H
        CALL F (NEQ, T1, YTMP, YDOT)
        DO 40 I = 1,NEQ
 40       Y(I) = Y(I) + H*(ACC(I) + YDOT(I))/6.0D0
        T = T1
        NFE = NFE + 4
        NST = NST + 1
 50   CONTINUE
      HLAST = H
      RETURN
C
      ENTRY RKSTAT (NFEV, NSTEPS)
Cf2py intent(out) nfev, nsteps
      NFEV = NFE
      NSTEPS = NST
      RETURN
C----------------------- End of Subroutine RK4INT ----------------------
      END
      BLOCK DATA RKBD
      INCLUDE 'rkcom.h'
      DATA HLAST /0.0D0/, NFE /0/, NST /0/
      END
