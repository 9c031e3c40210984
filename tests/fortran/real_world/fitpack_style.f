c     FITPACK-style fixed-form source, written for numfuse's tests (not taken from FITPACK):
c     evaluation of a spline of degree k from its knots t(n) and coefficients c(n), by de
c     Boor's recurrence, with FITPACK's argument conventions (t,n,c,k,x,y,m,e,ier) and a
c     definite integral through a work array.
      subroutine bsplev(t,n,c,k,x,y,m,e,ier)
      integer n,k,m,e,ier
      real*8 t(n),c(n),x(m),y(m)
      integer i,j,l,r
      real*8 d(6),arg,alpha,tb,te
      ier = 10
      if (m.lt.1 .or. k.lt.0 .or. k.gt.5 .or. n.lt.2*k+2) return
      ier = 0
      tb = t(k+1)
      te = t(n-k)
      l = k+1
      do 50 i = 1, m
         arg = x(i)
         if (arg.lt.tb .or. arg.gt.te) then
            if (e.eq.1) then
               y(i) = 0.0d0
               go to 50
            else if (e.eq.2) then
               ier = 1
               return
            end if
            arg = min(max(arg,tb),te)
         end if
c        the knot interval t(l) <= arg < t(l+1), k+1 <= l <= n-k-1
         l = k+1
   10    if (arg.ge.t(l+1) .and. l.lt.n-k-1) then
            l = l+1
            go to 10
         end if
         do 20 j = 0, k
            d(j+1) = c(l-k+j)
   20    continue
         do 40 r = 1, k
            do 30 j = k, r, -1
               alpha = (arg - t(l-k+j)) / (t(l+1+j-r) - t(l-k+j))
               d(j+1) = (1.0d0-alpha)*d(j) + alpha*d(j+1)
   30       continue
   40    continue
         y(i) = d(k+1)
   50 continue
      return
      end
      real*8 function bsplin(t,n,c,k,a,b,wrk)
      integer n,k
      real*8 t(n),c(n),a,b,wrk(n)
c     integral from a to b by the composite midpoint rule on 200 cells (wrk: a work array)
      integer i,ier
      real*8 h
      bsplin = 0.0d0
      h = (b-a)/200.0d0
      do 10 i = 1, 200
         wrk(1) = a + (i-0.5d0)*h
         call bsplev(t,n,c,k,wrk(1),wrk(2),1,0,ier)
         bsplin = bsplin + wrk(2)*h
   10 continue
      return
      end
