C Dimensions linear in an argument: f2py makes the argument optional, solved from the array's
C extent, and checks the array against the dimension when the two do not fit.
      SUBROUTINE PAIRS(N, X, S)
      INTEGER N, I
      DOUBLE PRECISION X(2*N), S
Cf2py intent(out) s
      S = 0
      DO 10 I = 1, 2*N
         S = S + I*X(I)
   10 CONTINUE
      END

      SUBROUTINE EDGES(N, X, S)
      INTEGER N, I
      DOUBLE PRECISION X(N+1), S
Cf2py intent(out) s
      S = 0
      DO 10 I = 1, N+1
         S = S + I*X(I)
   10 CONTINUE
      END

      SUBROUTINE INNER(N, X, S)
      INTEGER N, I
      DOUBLE PRECISION X(N-1), S
Cf2py intent(out) s
      S = 0
      DO 10 I = 1, N-1
         S = S + I*X(I)
   10 CONTINUE
      END

      SUBROUTINE STRIDE3(N, X, S)
      INTEGER N, I
      DOUBLE PRECISION X(3*N-2), S
Cf2py intent(out) s
      S = 0
      DO 10 I = 1, 3*N-2
         S = S + I*X(I)
   10 CONTINUE
      END

      SUBROUTINE GRID(M, N, A, S)
      INTEGER M, N, I, J
      DOUBLE PRECISION A(2*M+1, N), S
Cf2py intent(out) s
      S = 0
      DO 20 J = 1, N
      DO 10 I = 1, 2*M+1
         S = S + (I+10*J)*A(I, J)
   10 CONTINUE
   20 CONTINUE
      END
