C     Fortran 77 corpus for numfuse.fortran_wrap: leading dimensions, hidden dimension
C     arguments, f2py directives, an external function, integer/real/complex kinds, COMMON.
      SUBROUTINE DMATVEC(M, N, A, LDA, X, Y)
C     Y = A*X for the leading M-by-N part of A(LDA,*)
      INTEGER M, N, LDA
      DOUBLE PRECISION A(LDA,*), X(N), Y(M)
Cf2py intent(out) y
Cf2py depend(m) y
      INTEGER I, J
      DO 20 I = 1, M
         Y(I) = 0.0D0
         DO 10 J = 1, N
            Y(I) = Y(I) + A(I,J)*X(J)
   10    CONTINUE
   20 CONTINUE
      END

      SUBROUTINE DAXPY2(N, DA, DX, DY)
C     DY = DA*DX + DY, in place
      INTEGER N
      DOUBLE PRECISION DA, DX(N), DY(N)
Cf2py intent(inout) dy
      INTEGER I
      DO 10 I = 1, N
         DY(I) = DY(I) + DA*DX(I)
   10 CONTINUE
      END

      DOUBLE PRECISION FUNCTION DNRM2S(N, X)
      INTEGER N
      DOUBLE PRECISION X(N)
      INTEGER I
      DNRM2S = 0.0D0
      DO 10 I = 1, N
         DNRM2S = DNRM2S + X(I)*X(I)
   10 CONTINUE
      DNRM2S = SQRT(DNRM2S)
      END

      DOUBLE PRECISION FUNCTION SIMPSON(F, A, B, N)
C     Composite Simpson rule of the external function F on [A,B], N even
      EXTERNAL F
      DOUBLE PRECISION F, A, B, X, H, S
      INTEGER N, I
Cf2py integer optional, intent(in) :: n = 100
Cf2py check(n > 0 .and. mod(n, 2) == 0) n
      H = (B - A)/N
      S = F(A) + F(B)
      DO 10 I = 1, N - 1
         X = A + I*H
         IF (MOD(I, 2) .EQ. 1) THEN
            S = S + 4.0D0*F(X)
         ELSE
            S = S + 2.0D0*F(X)
         END IF
   10 CONTINUE
      SIMPSON = S*H/3.0D0
      END

      SUBROUTINE KINDS(I1, I2, I4, I8, R4, R8, C8, C16, FLAG,
     &                 O1, O2, O4, O8, OR4, OR8, OC8, OC16, OFLAG)
C     Each output is the input doubled (logical: negated)
      INTEGER*1 I1, O1
      INTEGER*2 I2, O2
      INTEGER*4 I4, O4
      INTEGER*8 I8, O8
      REAL*4 R4, OR4
      REAL*8 R8, OR8
      COMPLEX*8 C8, OC8
      COMPLEX*16 C16, OC16
      LOGICAL FLAG, OFLAG
Cf2py intent(out) o1, o2, o4, o8, or4, or8, oc8, oc16, oflag
      O1 = 2*I1
      O2 = 2*I2
      O4 = 2*I4
      O8 = 2*I8
      OR4 = 2*R4
      OR8 = 2*R8
      OC8 = 2*C8
      OC16 = 2*C16
      OFLAG = .NOT. FLAG
      END

      SUBROUTINE CUMSUM(N, X, S, TOTAL)
      INTEGER N
      REAL X(N), S(N), TOTAL
Cf2py intent(out) s, total
      INTEGER I
      TOTAL = 0.0
      DO 10 I = 1, N
         TOTAL = TOTAL + X(I)
         S(I) = TOTAL
   10 CONTINUE
      END

      SUBROUTINE SETPAR(A, N)
C     Fills the COMMON block /PARAMS/
      DOUBLE PRECISION A, ALPHA, COEFFS(3)
      INTEGER N, NSTEPS
      COMMON /PARAMS/ ALPHA, NSTEPS, COEFFS
      ALPHA = A
      NSTEPS = N
      COEFFS(1) = A
      COEFFS(2) = 2*A
      COEFFS(3) = 3*A
      END

      DOUBLE PRECISION FUNCTION USEPAR(X)
      DOUBLE PRECISION X, ALPHA, COEFFS(3)
      INTEGER NSTEPS
      COMMON /PARAMS/ ALPHA, NSTEPS, COEFFS
      USEPAR = ALPHA*X + NSTEPS + COEFFS(1) + COEFFS(2) + COEFFS(3)
      END

      SUBROUTINE NAMES(N, WORDS)
C     A character array argument: not supported, skipped with a warning
      INTEGER N
      CHARACTER*8 WORDS(N)
      WORDS(1) = 'skipped'
      END
