c     QUADPACK-style fixed-form source, written for numfuse's tests (not taken from QUADPACK):
c     an external integrand, DATA tables continued over lines with '*' and '$' markers, a typed
c     function header split over two lines, sequence numbers in columns 73-80, a tab-formatted
c     line, IER error codes, and comment lines in every legal style.
C
*     ...........................................................................
!     a '!' comment in column 1
      subroutine qgauss(f,a,b,n,result,abserr,ier)                      QGS00010
c
c     composite 3-point gauss-legendre rule on n panels; abserr is the  QGS00020
c     difference to the composite 2-point rule. ier = 1 when n < 1.
c
      double precision f,a,b,result,abserr
      integer n,ier
      external f
      double precision x3(3),w3(3),x2,h,c,s3,s2,xm
      integer i,j
cf2py intent(out) result, abserr, ier
      data x3(1),x3(2),x3(3)/-0.7745966692414834d0,0.0d0,
     *     0.7745966692414834d0/
      data w3/0.5555555555555556d0,0.8888888888888889d0,
     $        0.5555555555555556d0/
      data x2/0.5773502691896258d0/
      ier = 0
      result = 0.0d0
      abserr = 0.0d0
      if(n.lt.1) go to 100
      h = (b-a)/n
      s2 = 0.0d0
      do 20 i = 1,n
        xm = a+(i-0.5d0)*h
        c = 0.5d0*h
        s3 = 0.0d0
        do 10 j = 1,3
          s3 = s3+w3(j)*f(xm+c*x3(j))
   10   continue
        result = result+c*s3
        s2 = s2+c*(f(xm-c*x2)+f(xm+c*x2))
   20 continue
	abserr = dabs(result-s2)
      return
  100 ier = 1
      return
      end
c
      double precision
     *function dlgwt(n,i)
c     the i-th weight of the n-point gauss-legendre rule (n = 2 or 3), -1 otherwise
      integer n,i
      dlgwt = -1.0d0
      if(n.eq.2 .and. i.ge.1 .and. i.le.2) dlgwt = 1.0d0
      if(n.ne.3 .or. i.lt.1 .or. i.gt.3) return
      dlgwt = 0.5555555555555556d0
      if(i.eq.2) dlgwt = 0.8888888888888889d0
      return
      end
c
      recursive subroutine qadapt(f,a,b,epsabs,depth,result,neval)
c     adaptive bisection on top of qgauss (recursive: a Fortran 90 prefix in fixed form)
      double precision f,a,b,epsabs,result
      integer depth,neval
      external f
      double precision r1,r2,e,em
      integer ier,n1,n2
Cf2py intent(out) result
Cf2py intent(out) neval
      call qgauss(f,a,b,1,result,e,ier)
      neval = 9
      if(e.le.epsabs .or. depth.le.0) return
      em = 0.5d0*(a+b)
      call qadapt(f,a,em,0.5d0*epsabs,depth-1,r1,n1)
      call qadapt(f,em,b,0.5d0*epsabs,depth-1,r2,n2)
      result = r1+r2
      neval = neval+n1+n2
      return
      end
