c     MINPACK-style fixed-form source, written for numfuse's tests (not taken from MINPACK):
c     a typed function header split over two lines, a user subroutine fcn(m,n,x,fvec,iflag)
c     called with the routine's own arrays, a work array hidden by f2py directives, the
c     leading dimension of an output computed from another argument, and machine constants
c     in a PARAMETER statement.
c
      double precision
     *function enorm(n,x)
      integer n
      double precision x(n)
c     euclidean norm, scaled against overflow as minpack's authors do
      integer i
      double precision scale,sum,zero,one
      parameter (zero=0.0d0,one=1.0d0)
      scale = zero
      do 10 i = 1, n
         scale = dmax1(scale,dabs(x(i)))
   10 continue
      enorm = zero
      if (scale .eq. zero) return
      sum = zero
      do 20 i = 1, n
         sum = sum + (x(i)/scale)**2
   20 continue
      enorm = scale*dsqrt(sum)
      return
c
c     last card of function enorm.
c
      end
      subroutine fdjac2(fcn,m,n,x,fvec,fjac,ldfjac,iflag,epsfcn,wa)
      integer m,n,ldfjac,iflag
      double precision epsfcn
      double precision x(n),fvec(m),fjac(ldfjac,n),wa(m)
      external fcn
Cf2py intent(out) fjac
Cf2py intent(in,out) iflag
Cf2py intent(hide,cache) wa
Cf2py depend(m) wa
Cf2py integer intent(hide), depend(m) :: ldfjac = m
Cf2py depend(ldfjac,n) fjac
Cf2py check(len(fvec)>=m) fvec
c     forward-difference approximation of the m by n jacobian of fcn at x
      integer i,j
      double precision eps,epsmch,h,temp,zero
      parameter (zero=0.0d0, epsmch=2.22044604926d-16)
      eps = dsqrt(dmax1(epsfcn,epsmch))
      do 20 j = 1, n
         temp = x(j)
         h = eps*dabs(temp)
         if (h .eq. zero) h = eps
         x(j) = temp + h
         call fcn(m,n,x,wa,iflag)
         if (iflag .lt. 0) go to 30
         x(j) = temp
         do 10 i = 1, m
            fjac(i,j) = (wa(i) - fvec(i))/h
   10       continue
   20    continue
   30 continue
      return
      end
      subroutine qrsolv(n,r,ldr,diag,qtb,x,sdiag)
      integer n,ldr
      double precision r(ldr,n),diag(n),qtb(n),x(n),sdiag(n)
Cf2py intent(in,out) r
Cf2py intent(out) x, sdiag
c     solves (R^T R + D^2) x = R^T qtb for upper triangular r by normal equations (a test
c     routine with minpack's argument conventions, not minpack's algorithm)
      integer i,j,k
      double precision a(10,10),b(10),s
      do 30 j = 1, n
         do 20 i = 1, n
            s = 0.0d0
            do 10 k = 1, min(i,j)
               s = s + r(k,i)*r(k,j)
   10       continue
            a(i,j) = s
   20    continue
         a(j,j) = a(j,j) + diag(j)**2
         s = 0.0d0
         do 25 k = 1, j
            s = s + r(k,j)*qtb(k)
   25    continue
         b(j) = s
   30 continue
c     gaussian elimination without pivoting (a is symmetric positive definite)
      do 50 k = 1, n
         do 40 i = k+1, n
            s = a(i,k)/a(k,k)
            do 35 j = k, n
               a(i,j) = a(i,j) - s*a(k,j)
   35       continue
            b(i) = b(i) - s*b(k)
   40    continue
   50 continue
      do 70 i = n, 1, -1
         s = b(i)
         do 60 j = i+1, n
            s = s - a(i,j)*x(j)
   60    continue
         x(i) = s/a(i,i)
         sdiag(i) = a(i,i)
   70 continue
      return
      end
