c     Sources for mvn_style.pyf (written for numfuse's tests, in the style of the Fortran behind
c     a multivariate-normal signature file): box probabilities of independent normals and a
c     midpoint cubature of a user function over a box.
      subroutine boxprb(d, lower, upper, means, sd, value, inform)
      integer d, inform, i
      double precision lower(d), upper(d), means(d), sd(d), value
      double precision zl, zu, r2
      r2 = sqrt(2.0d0)
      value = 1.0d0
      inform = 0
      do 10 i = 1, d
         if (sd(i) .le. 0.0d0) then
            inform = i
            return
         end if
         zl = (lower(i) - means(i))/(sd(i)*r2)
         zu = (upper(i) - means(i))/(sd(i)*r2)
         value = value*0.5d0*(erf(zu) - erf(zl))
   10 continue
      end
      subroutine cubatr(f, d, lower, upper, n, value)
      external f
      double precision f
      integer d, n, i, k, idx(8), total
      double precision lower(d), upper(d), value, x(8), vol
      value = 0.0d0
      vol = 1.0d0
      do 10 k = 1, d
         idx(k) = 0
         vol = vol*(upper(k) - lower(k))/n
   10 continue
      total = n**d
      do 30 i = 1, total
         do 20 k = 1, d
            x(k) = lower(k) + (idx(k) + 0.5d0)*(upper(k) - lower(k))/n
   20    continue
         value = value + f(d, x)
c        odometer step over the n**d cells
         k = 1
   25    idx(k) = idx(k) + 1
         if (idx(k) .eq. n .and. k .lt. d) then
            idx(k) = 0
            k = k + 1
            go to 25
         end if
   30 continue
      value = value*vol
      end
      subroutine stdize(d, x, means, sd, z)
      integer d, i
      double precision x(d), means(d), sd(d), z(d)
      do 10 i = 1, d
         z(i) = (x(i) - means(i))/sd(i)
   10 continue
      end
