*> \brief \b TRISLV solves a tridiagonal system (LAPACK-style source written for numfuse's
*> tests, after the conventions of LAPACK's reference sources, not taken from them).
*
*  Definition:
*  ===========
*
*       SUBROUTINE TRISLV( N, NRHS, DL, D, DU, B, LDB, INFO )
*
*       .. Scalar Arguments ..
*       INTEGER            INFO, LDB, N, NRHS
*       ..
*       .. Array Arguments ..
*       DOUBLE PRECISION   B( LDB, * ), D( * ), DL( * ), DU( * )
*       ..
*
      SUBROUTINE TRISLV( N, NRHS, DL, D, DU, B, LDB, INFO )
*
*  -- numfuse test suite --
*
*     .. Scalar Arguments ..
      INTEGER            INFO, LDB, N, NRHS
*     ..
*     .. Array Arguments ..
      DOUBLE PRECISION   B( LDB, * ), D( * ), DL( * ), DU( * )
Cf2py intent(in,out) dl, d, du, b
Cf2py intent(out) info
*     ..
*
*  =====================================================================
*
*     .. Parameters ..
      DOUBLE PRECISION   ZERO
      PARAMETER          ( ZERO = 0.0D+0 )
*     ..
*     .. Local Scalars ..
      INTEGER            I, J
      DOUBLE PRECISION   FACT
*     ..
*     .. Intrinsic Functions ..
      INTRINSIC          MAX
*     ..
*     .. External Subroutines ..
      EXTERNAL           XERBL2
*     ..
*     .. Executable Statements ..
*
      INFO = 0
      IF( N.LT.0 ) THEN
         INFO = -1
      ELSE IF( NRHS.LT.0 ) THEN
         INFO = -2
      ELSE IF( LDB.LT.MAX( 1, N ) ) THEN
         INFO = -7
      END IF
      IF( INFO.NE.0 ) THEN
         CALL XERBL2( 'TRISLV', -INFO )
         RETURN
      END IF
*
      IF( N.EQ.0 )
     $   RETURN
*
*     Forward elimination without pivoting (diagonally dominant systems)
*
      DO 20 I = 1, N - 1
         IF( D( I ).EQ.ZERO ) THEN
            INFO = I
            RETURN
         END IF
         FACT = DL( I ) / D( I )
         D( I+1 ) = D( I+1 ) - FACT*DU( I )
         DO 10 J = 1, NRHS
            B( I+1, J ) = B( I+1, J ) - FACT*B( I, J )
   10    CONTINUE
         DL( I ) = FACT
   20 CONTINUE
      IF( D( N ).EQ.ZERO ) THEN
         INFO = N
         RETURN
      END IF
*
*     Back solve with the upper bidiagonal factor
*
      DO 40 J = 1, NRHS
         B( N, J ) = B( N, J ) / D( N )
         DO 30 I = N - 1, 1, -1
            B( I, J ) = ( B( I, J )-DU( I )*B( I+1, J ) ) / D( I )
   30    CONTINUE
   40 CONTINUE
      RETURN
*
*     End of TRISLV
*
      END
*
      SUBROUTINE XERBL2( SRNAME, INFO )
*     .. Scalar Arguments ..
      CHARACTER*(*)      SRNAME
      INTEGER            INFO
*     ..
      WRITE( *, FMT = 9999 )SRNAME, INFO
*
 9999 FORMAT( ' ** On entry to ', A, ' parameter number ', I2, ' had ',
     $      'an illegal value' )
      RETURN
      END
