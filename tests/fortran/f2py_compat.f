C     Routines that numpy.f2py and numfuse.fortran_wrap both wrap: test_fortran_wrap_f2py.py
C     builds this file with both and compares docstrings, signatures, callbacks and results.
      SUBROUTINE SOLVE(FCN, N, X, FVEC, IFLAG)
C     MINPACK style: the callback computes FVEC from X (def fcn(x, iflag): return fvec)
      EXTERNAL FCN
      INTEGER N, IFLAG
      DOUBLE PRECISION X(N), FVEC(N)
Cf2py intent(out) fvec
      CALL FCN(N, X, FVEC, IFLAG)
      END

      SUBROUTINE APPLY2(F, G, N, X, Y, SCALE)
C     Two callbacks; Y is in,out: F may fill it in place or return it, G updates it
      EXTERNAL F, G
      INTEGER N
      DOUBLE PRECISION X(N), Y(N), SCALE
Cf2py intent(in,out) y
Cf2py double precision optional, intent(in) :: scale = 1.0
      CALL F(N, X, Y)
      CALL G(N, Y)
      Y(1) = Y(1) * SCALE
      END

      DOUBLE PRECISION FUNCTION TRAPZ(F, A, B, N)
C     QUADPACK style: a function callback
      EXTERNAL F
      DOUBLE PRECISION F, A, B, H, X, S
      INTEGER N, I
Cf2py integer optional, intent(in) :: n = 64
      H = (B - A) / N
      S = 0
      DO 10 I = 0, N
         X = A + I*H
         S = S + F(X)
   10 CONTINUE
      X = A
      S = S - 0.5D0 * F(X)
      X = B
      S = S - 0.5D0 * F(X)
      TRAPZ = S * H
      END

      SUBROUTINE RHS(F, NEQ, T, Y, YDOT)
C     ODEPACK style: def f(t, y): return ydot
      EXTERNAL F
      INTEGER NEQ
      DOUBLE PRECISION T, Y(NEQ), YDOT(NEQ)
Cf2py intent(out) ydot
      CALL F(NEQ, T, Y, YDOT)
      END

      SUBROUTINE DGEMVT(M, N, A, LDA, X, Y)
C     Y = transpose(A(1:N,1:M)) * X: a leading dimension and hidden sizes
      INTEGER M, N, LDA, I, J
      DOUBLE PRECISION A(LDA,*), X(N), Y(M)
Cf2py intent(out) y
Cf2py depend(m) y
      DO 20 J = 1, M
         Y(J) = 0.0D0
         DO 10 I = 1, N
            Y(J) = Y(J) + X(I)*A(I,J)
   10    CONTINUE
   20 CONTINUE
      END

      SUBROUTINE DSCAL2(N, DA, DX, DY)
C     DY = DA*DY - DX, in place
      INTEGER N, I
      DOUBLE PRECISION DA, DX(N), DY(N)
Cf2py intent(inout) dy
      DO 10 I = 1, N
         DY(I) = DA*DY(I) - DX(I)
   10 CONTINUE
      END

      SUBROUTINE STATS(N, X, S, TOTAL, K)
      INTEGER N, I, K
      REAL X(N), S(N), TOTAL
Cf2py intent(out) s, total
Cf2py intent(in,out) k
      TOTAL = 0.0
      DO 10 I = 1, N
         TOTAL = TOTAL + X(I)
         S(I) = TOTAL
   10 CONTINUE
      K = K + N
      END

      SUBROUTINE SCAL(I8, R4, C16, I2, O8, OR4, OC16)
      INTEGER*8 I8, O8
      INTEGER*2 I2
      REAL*4 R4, OR4
      COMPLEX*16 C16, OC16
Cf2py intent(out) o8, or4, oc16
      O8 = 2*I8 + I2
      OR4 = 2*R4
      OC16 = 2*C16
      END

      SUBROUTINE WORKQ(N, X, LWORK, W, R)
      INTEGER N, LWORK, I
      DOUBLE PRECISION X(N), W(LWORK), R
C     (typed directives: with untyped ones f2py allocates W with one element and the routine
C     writes past it)
Cf2py integer intent(hide), depend(n) :: lwork = 2*n
Cf2py double precision intent(hide), dimension(lwork), depend(lwork) :: w
Cf2py intent(out) r
Cf2py check(n > 1) n
      R = 0
      DO 10 I = 1, N
         W(I) = X(I)
         W(N + I) = X(I)*X(I)
         R = R + W(N + I) - W(I)
   10 CONTINUE
      END

      SUBROUTINE SETCOM(A, N)
C     Fills the COMMON block /PARAMS/ (a module attribute in both wrappers)
      DOUBLE PRECISION A, ALPHA, COEFFS(3)
      INTEGER N, NSTEPS
      COMMON /PARAMS/ ALPHA, NSTEPS, COEFFS
      ALPHA = A
      NSTEPS = N
      COEFFS(1) = A
      COEFFS(2) = 2*A
      COEFFS(3) = 3*A
      END
