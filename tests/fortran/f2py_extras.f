C     f2py features beyond the plain signatures, built by numfuse.fortran_wrap and by numpy.f2py
C     (tests/python/test_fortran_wrap_f2py_extras.py compares them).
C
C     Declared dimensions against arrays of other sizes and ranks (f2py reshapes size-1 axes).
      SUBROUTINE FIXED3(X, S)
      DOUBLE PRECISION X(3), S
Cf2py intent(out) s
      S = X(1) + 10D0 * X(2) + 100D0 * X(3)
      END

      SUBROUTINE VECN(N, X, S)
      INTEGER N, I
      DOUBLE PRECISION X(N), S
Cf2py intent(out) s
      S = 0D0
      DO 10 I = 1, N
         S = S + I * X(I)
   10 CONTINUE
      END

      SUBROUTINE MATMN(M, N, A, S)
      INTEGER M, N, I, J
      DOUBLE PRECISION A(M, N), S
Cf2py intent(out) s
      S = 0D0
      DO 20 J = 1, N
         DO 10 I = 1, M
            S = S + (I + 10 * J) * A(I, J)
   10    CONTINUE
   20 CONTINUE
      END

      SUBROUTINE MATFIX(A, S)
      DOUBLE PRECISION A(2, 3), S
Cf2py intent(out) s
      S = A(1,1) + 2*A(2,1) + 3*A(1,2) + 4*A(2,2) + 5*A(1,3) + 6*A(2,3)
      END

      SUBROUTINE BUMP3(X)
      DOUBLE PRECISION X(3)
Cf2py intent(inout) x
      X(1) = X(1) + 1D0
      X(3) = X(3) + 3D0
      END

C     intent(callback): EXTERNAL procedures the code calls by name, not arguments. TWICE calls
C     PING only through NOTIFY, so PING comes from the module attribute `ping`.
      SUBROUTINE TWICE()
      CALL NOTIFY()
      CALL NOTIFY()
      END

      SUBROUTINE NOTIFY()
Cf2py intent(callback, hide) ping
      EXTERNAL PING
      CALL PING()
      END

C     Called without parentheses: a callback argument and one called by name
      SUBROUTINE RUNG(G)
      EXTERNAL G
      CALL G
      END

      SUBROUTINE TICK2()
Cf2py intent(callback, hide) tick
      EXTERNAL TICK
      CALL TICK
      IF (.TRUE.) CALL TICK
      END

      SUBROUTINE MIDSUM(A, B, N, S)
C     midpoint rule of FUN over (A, B): FUN is a Python argument after the Fortran ones
Cf2py intent(callback) fun
      EXTERNAL FUN
      DOUBLE PRECISION FUN
      INTEGER N, I
      DOUBLE PRECISION A, B, S, H, X
Cf2py intent(out) s
      H = (B - A) / N
      S = 0D0
      DO 10 I = 0, N - 1
         X = A + (I + 0.5D0) * H
         S = S + H * FUN(X)
   10 CONTINUE
      END

C     A routine whose _cpointer another routine's callback argument takes (no Python between)
      SUBROUTINE DOUBLEIT(V)
      DOUBLE PRECISION V
      V = 2D0 * V
      END

      SUBROUTINE APPLYSUB(G, X, N)
      EXTERNAL G
      INTEGER N, I
      DOUBLE PRECISION X(N)
Cf2py intent(in,out) x
      DO 10 I = 1, N
         CALL G(X(I))
   10 CONTINUE
      END

      DOUBLE PRECISION FUNCTION CUBE(X)
      DOUBLE PRECISION X
      CUBE = X * X * X
      END

      SUBROUTINE TABUL(F, X, N, Y)
      EXTERNAL F
      DOUBLE PRECISION F
      INTEGER N, I
      DOUBLE PRECISION X(N), Y(N)
Cf2py intent(out) y
      DO 10 I = 1, N
         Y(I) = F(X(I))
   10 CONTINUE
      END

C     threadsafe: the wrapper releases the GIL around the call (f2py: Py_BEGIN_ALLOW_THREADS)
      SUBROUTINE HARMON(N, S)
Cf2py threadsafe
      INTEGER N, I
      DOUBLE PRECISION S
Cf2py intent(out) s
      S = 0D0
      DO 10 I = 1, N
         S = S + 1D0 / I
   10 CONTINUE
      END

      SUBROUTINE TSAPPLY(G, N, S)
C     threadsafe with a callback: the callback takes the GIL back (f2py's would run without it)
Cf2py threadsafe
      EXTERNAL G
      DOUBLE PRECISION G
      INTEGER N, I
      DOUBLE PRECISION S, T
Cf2py intent(out) s
      S = 0D0
      DO 10 I = 1, N
         T = I
         S = S + G(T)
   10 CONTINUE
      END
