C     Routines for f2py's intent(copy), intent(overwrite), intent(aux), intent(inplace),
C     intent(out=name), note(...), optional callbacks, logical results and check(): the
C     signature file f2py_intents.pyf describes them; test_fortran_wrap_f2py_intents.py builds
C     both with numfuse.fortran_wrap and numpy.f2py and compares them.
      SUBROUTINE SCALEC(N, X, A, S)
C     X = A*X in place (the wrapper decides whether the caller sees it); S = sum of the new X
      INTEGER N, I
      DOUBLE PRECISION X(N), A, S
      S = 0.0D0
      DO 10 I = 1, N
         X(I) = A*X(I)
         S = S + X(I)
   10 CONTINUE
      END

      SUBROUTINE NEGATE(M, N, A)
C     A = -A for an M x N matrix
      INTEGER M, N, I, J
      DOUBLE PRECISION A(M, N)
      DO 20 J = 1, N
         DO 10 I = 1, M
            A(I, J) = -A(I, J)
   10    CONTINUE
   20 CONTINUE
      END

      SUBROUTINE TWICE(N, X, M, Y)
C     Y(1:N) = X, Y(N+1:2N) = 2*X: M = 2*N is given by an auxiliary variable
      INTEGER N, M, I
      DOUBLE PRECISION X(N), Y(M)
      DO 10 I = 1, N
         Y(I) = X(I)
         Y(N + I) = 2*X(I)
   10 CONTINUE
      END

      SUBROUTINE BUMP(N, X)
C     X = X + 1, in place
      INTEGER N, I
      REAL X(N)
      DO 10 I = 1, N
         X(I) = X(I) + 1.0
   10 CONTINUE
      END

      SUBROUTINE SIGNS(N, X, ANYNEG, NNEG)
C     logical and integer outputs
      INTEGER N, NNEG, I
      DOUBLE PRECISION X(N)
      LOGICAL ANYNEG
      NNEG = 0
      DO 10 I = 1, N
         IF (X(I) .LT. 0) NNEG = NNEG + 1
   10 CONTINUE
      ANYNEG = NNEG .GT. 0
      END

      LOGICAL FUNCTION ISPOS(X)
      DOUBLE PRECISION X
      ISPOS = X .GT. 0
      END

      SUBROUTINE OPTCB(F, N, X, Y)
C     Y = F(X) elementwise when F is given, else Y = X
      EXTERNAL F
      DOUBLE PRECISION F
      INTEGER N, I
      DOUBLE PRECISION X(N), Y(N)
      DO 10 I = 1, N
         Y(I) = F(X(I))
   10 CONTINUE
      END

      SUBROUTINE WINDOW(N, X, LO, HI, S)
C     S = sum of X(LO:HI), with checks on the bounds
      INTEGER N, LO, HI, I
      DOUBLE PRECISION X(N), S
      S = 0.0D0
      DO 10 I = LO, HI
         S = S + X(I)
   10 CONTINUE
      END
