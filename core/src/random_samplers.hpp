// Scalar samplers over a bit generator (Pcg64 or Mt19937), each consuming the generator's words
// exactly as NumPy's distributions.c does, so that streams match NumPy's. Private to core.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

#include "random_ziggurat_tables.hpp"

namespace numfuse::sampler {

template <class Gen>
double standard_normal(Gen& gen);

// The rare part of the normal ziggurat (~1% of draws), out of line so that the common part
// inlines into the fill loops with the generator's state in registers.
template <class Gen>
[[gnu::noinline]] double standard_normal_rare(Gen& gen, int idx, uint64_t rabs, double x) {
  using namespace ziggurat;
  if (idx == 0) {  // the tail beyond r, by Marsaglia's exponential method
    for (;;) {
      // 1 - U keeps log away from 0.
      const double xx = -normal_inv_r * std::log1p(-gen.next_double());
      const double yy = -std::log1p(-gen.next_double());
      if (yy + yy > xx * xx) return ((rabs >> 8) & 1) ? -(normal_r + xx) : normal_r + xx;
    }
  }
  if ((normal_f64[idx - 1] - normal_f64[idx]) * gen.next_double() + normal_f64[idx] < std::exp(-0.5 * x * x)) {
    return x;
  }
  return standard_normal(gen);  // rejected: a fresh draw
}

// Generator.standard_normal: 256-layer ziggurat on one 64-bit word (8 bits layer, 1 bit sign,
// 52 bits position).
template <class Gen>
inline double standard_normal(Gen& gen) {
  using namespace ziggurat;
  uint64_t r = gen.next64();
  const int idx = static_cast<int>(r & 0xff);
  r >>= 8;
  const uint64_t rabs = (r >> 1) & 0x000fffffffffffffull;
  // The sign by flipping the sign bit: a branch on a random bit would mispredict half the time.
  const double x = std::bit_cast<double>(std::bit_cast<uint64_t>(static_cast<double>(rabs) * normal_w64[idx]) ^
                                         (r << 63));
  if (rabs < normal_k64[idx]) [[likely]] return x;
  return standard_normal_rare(gen, idx, rabs, x);
}

// float32 ziggurat on one 32-bit word (8 bits layer, 1 bit sign, 23 bits position).
template <class Gen>
float standard_normal_f(Gen& gen) {
  using namespace ziggurat;
  constexpr auto r_f = static_cast<float>(normal_r);
  constexpr auto inv_r_f = static_cast<float>(normal_inv_r);
  for (;;) {
    const uint32_t r = gen.next32();
    const int idx = static_cast<int>(r & 0xff);
    const uint32_t rabs = (r >> 9) & 0x0007fffffu;
    const float x = std::bit_cast<float>(std::bit_cast<uint32_t>(static_cast<float>(rabs) * normal_w32[idx]) ^
                                         ((r >> 8) << 31));
    if (rabs < normal_k32[idx]) return x;
    if (idx == 0) {
      for (;;) {
        const float xx = -inv_r_f * std::log1p(-gen.next_float());
        const float yy = -std::log1p(-gen.next_float());
        if (yy + yy > xx * xx) return ((rabs >> 8) & 1) ? -(r_f + xx) : r_f + xx;
      }
    }
    // NumPy compares in double: exp(-0.5 * x * x) promotes.
    if ((normal_f32[idx - 1] - normal_f32[idx]) * gen.next_float() + normal_f32[idx] < std::exp(-0.5 * x * x)) {
      return x;
    }
  }
}

template <class Gen>
double standard_exponential(Gen& gen);

template <class Gen>
[[gnu::noinline]] double standard_exponential_rare(Gen& gen, int idx, double x) {
  using namespace ziggurat;
  if (idx == 0) return exponential_r - std::log1p(-gen.next_double());  // the tail: r + Exp(1)
  if ((exponential_f64[idx - 1] - exponential_f64[idx]) * gen.next_double() + exponential_f64[idx] < std::exp(-x)) {
    return x;
  }
  return standard_exponential(gen);
}

// Generator.standard_exponential: ziggurat on one 64-bit word (3 bits dropped, 8 bits layer,
// 53 bits position).
template <class Gen>
inline double standard_exponential(Gen& gen) {
  using namespace ziggurat;
  uint64_t ri = gen.next64() >> 3;
  const int idx = static_cast<int>(ri & 0xff);
  ri >>= 8;
  const double x = static_cast<double>(ri) * exponential_w64[idx];
  if (ri < exponential_k64[idx]) [[likely]] return x;
  return standard_exponential_rare(gen, idx, x);
}

template <class Gen>
float standard_exponential_f(Gen& gen) {
  using namespace ziggurat;
  constexpr auto r_f = static_cast<float>(exponential_r);
  for (;;) {
    uint32_t ri = gen.next32() >> 1;
    const int idx = static_cast<int>(ri & 0xff);
    ri >>= 8;
    const float x = static_cast<float>(ri) * exponential_w32[idx];
    if (ri < exponential_k32[idx]) return x;
    if (idx == 0) return r_f - std::log1p(-gen.next_float());
    if ((exponential_f32[idx - 1] - exponential_f32[idx]) * gen.next_float() + exponential_f32[idx] < std::exp(-x)) {
      return x;
    }
  }
}

// The smallest all-ones mask covering `max`.
inline uint64_t mask_for(uint64_t max) {
  max |= max >> 1;
  max |= max >> 2;
  max |= max >> 4;
  max |= max >> 8;
  max |= max >> 16;
  return max | (max >> 32);
}

// Uniform on [0, max] by bitmask rejection, from a 32-bit word when max fits (NumPy's
// random_interval: shuffles and the legacy samplers).
template <class Gen>
uint64_t interval(Gen& gen, uint64_t max) {
  if (max == 0) return 0;
  const uint64_t mask = mask_for(max);
  uint64_t value;
  if (max <= 0xffffffffull) {
    while ((value = gen.next32() & mask) > max) {}
  } else {
    while ((value = gen.next64() & mask) > max) {}
  }
  return value;
}

// Lemire's multiply-and-reject ("Fast Random Integer Generation in an Interval", 2019) on words
// of W bits drawn by draw(): uniform on [0, range] for range < 2^W - 1.
template <class Word, class Wide, int Bits, class Draw>
Word lemire(Word range, Draw&& draw) {
  const Word range_excl = range + 1;
  Wide m = static_cast<Wide>(draw()) * range_excl;
  auto leftover = static_cast<Word>(m);
  if (leftover < range_excl) {
    const Word threshold = static_cast<Word>(static_cast<Word>(~range) % range_excl);  // 2^W mod range_excl
    while (leftover < threshold) {
      m = static_cast<Wide>(draw()) * range_excl;
      leftover = static_cast<Word>(m);
    }
  }
  return static_cast<Word>(m >> Bits);
}

// Generator's random_bounded_uint64 (one value; no buffering): Lemire on 32-bit words when the
// range fits, else on 64-bit words.
template <class Gen>
uint64_t bounded_uint64(Gen& gen, uint64_t range) {
  if (range == 0) return 0;
  if (range <= 0xffffffffull) {
    if (range == 0xffffffffull) return gen.next32();
    return lemire<uint32_t, uint64_t, 32>(static_cast<uint32_t>(range), [&] { return gen.next32(); });
  }
  if (range == ~0ull) return gen.next64();
  return lemire<uint64_t, unsigned __int128, 64>(range, [&] { return gen.next64(); });
}

// Marsaglia & Tsang's gamma ("A simple method for generating gamma variables", 2000) for
// shape >= 1; for shape < 1 Johnk-type rejection from U^(1/shape) against an exponential.
template <class Gen>
double standard_gamma(Gen& gen, double shape) {
  if (shape == 1.0) return standard_exponential(gen);
  if (shape == 0.0) return 0.0;
  if (shape < 1.0) {
    for (;;) {
      const double u = gen.next_double();
      const double v = standard_exponential(gen);
      if (u <= 1.0 - shape) {
        const double x = std::pow(u, 1.0 / shape);
        if (x <= v) return x;
      } else {
        const double y = -std::log((1 - u) / shape);
        const double x = std::pow(1.0 - shape + shape * y, 1.0 / shape);
        if (x <= v + y) return x;
      }
    }
  }
  const double b = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9 * b);
  for (;;) {
    double x, v;
    do {
      x = standard_normal(gen);
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = gen.next_double();
    if (u < 1.0 - 0.0331 * (x * x) * (x * x)) return b * v;
    if (std::log(u) < 0.5 * x * x + b * (1.0 - v + std::log(v))) return b * v;
  }
}

// Beta: Johnk's algorithm when both parameters are <= 1, else a ratio of gammas.
template <class Gen>
double beta(Gen& gen, double a, double b) {
  if (a <= 1.0 && b <= 1.0) {
    for (;;) {
      const double u = gen.next_double();
      const double v = gen.next_double();
      const double x = std::pow(u, 1.0 / a);
      const double y = std::pow(v, 1.0 / b);
      const double xpy = x + y;
      if (xpy <= 1.0 && xpy > 0.0) {
        if (x + y > 0) return x / xpy;
        double log_x = std::log(u) / a, log_y = std::log(v) / b;  // both underflowed: in logs
        const double log_m = log_x > log_y ? log_x : log_y;
        log_x -= log_m;
        log_y -= log_m;
        return std::exp(log_x - std::log(std::exp(log_x) + std::exp(log_y)));
      }
    }
  }
  const double ga = standard_gamma(gen, a);
  const double gb = standard_gamma(gen, b);
  return ga / (ga + gb);
}

// log Gamma(x) (Zhang & Jin, "Computation of Special Functions", 1996): NumPy's random_loggam.
inline double loggam(double x) {
  static constexpr double a[10] = {8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04,
                                   -5.952380952380952e-04, 8.417508417508418e-04, -1.917526917526918e-03,
                                   6.410256410256410e-03, -2.955065359477124e-02, 1.796443723688307e-01,
                                   -1.39243221690590e+00};
  if (x == 1.0 || x == 2.0) return 0.0;
  double x0 = x;
  int64_t n = 0;
  if (x <= 7.0) {
    n = static_cast<int64_t>(7 - x);
    x0 = x + static_cast<double>(n);
  }
  const double x2 = 1.0 / (x0 * x0);
  double gl0 = a[9];
  for (int k = 8; k >= 0; --k) gl0 = gl0 * x2 + a[k];
  double gl = gl0 / x0 + 0.5 * std::log(2 * M_PI) + (x0 - 0.5) * std::log(x0) - x0;
  if (x <= 7.0) {
    for (int64_t k = 1; k <= n; ++k) {
      gl -= std::log(x0 - 1.0);
      x0 -= 1.0;
    }
  }
  return gl;
}

// Poisson: multiplication of uniforms for lam < 10, else Hoermann's PTRS (transformed rejection,
// Insurance: Mathematics and Economics 12, 1993).
template <class Gen>
int64_t poisson(Gen& gen, double lam) {
  if (lam == 0) return 0;
  if (lam < 10) {
    const double enlam = std::exp(-lam);
    int64_t x = 0;
    double prod = 1.0;
    for (;;) {
      prod *= gen.next_double();
      if (prod <= enlam) return x;
      ++x;
    }
  }
  const double slam = std::sqrt(lam), loglam = std::log(lam);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const double u = gen.next_double() - 0.5;
    const double v = gen.next_double();
    const double us = 0.5 - std::fabs(u);
    const auto k = static_cast<int64_t>(std::floor((2 * a / us + b) * u + lam + 0.43));
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b) <=
        -lam + static_cast<double>(k) * loglam - loggam(static_cast<double>(k + 1))) {
      return k;
    }
  }
}

// Binomial by inversion (n p <= 30): walk the CDF from 0, restarting past a bound.
template <class Gen>
int64_t binomial_inversion(Gen& gen, int64_t n, double p) {
  const double q = 1.0 - p;
  const double qn = std::exp(static_cast<double>(n) * std::log(q));
  const double np = static_cast<double>(n) * p;
  const auto bound = static_cast<int64_t>(std::min(static_cast<double>(n), np + 10.0 * std::sqrt(np * q + 1)));
  int64_t x = 0;
  double px = qn;
  double u = gen.next_double();
  while (u > px) {
    ++x;
    if (x > bound) {
      x = 0;
      px = qn;
      u = gen.next_double();
    } else {
      u -= px;
      px = (static_cast<double>(n - x + 1) * p * px) / (static_cast<double>(x) * q);
    }
  }
  return x;
}

// Binomial by BTPE (Kachitvichyanukul & Schmeiser, "Binomial random variate generation", 1988):
// a triangle, two parallelograms and two exponential tails over the mode; squeezes, then
// Stirling's series for the final acceptance test.
template <class Gen>
int64_t binomial_btpe(Gen& gen, int64_t n, double p) {
  const double dn = static_cast<double>(n);
  const double r = std::min(p, 1.0 - p);
  const double q = 1.0 - r;
  const double fm = dn * r + r;
  const auto m = static_cast<int64_t>(std::floor(fm));
  const double dm = static_cast<double>(m);
  const double p1 = std::floor(2.195 * std::sqrt(dn * r * q) - 4.6 * q) + 0.5;
  const double xm = dm + 0.5;
  const double xl = xm - p1;
  const double xr = xm + p1;
  const double c = 0.134 + 20.5 / (15.3 + dm);
  double a = (fm - xl) / (fm - xl * r);
  const double laml = a * (1.0 + a / 2.0);
  a = (xr - fm) / (xr * q);
  const double lamr = a * (1.0 + a / 2.0);
  const double p2 = p1 * (1.0 + 2.0 * c);
  const double p3 = p2 + c / laml;
  const double p4 = p3 + c / lamr;
  const double nrq = dn * r * q;
  // Whether a candidate y with its scaled v lies under f(y) / f(m).
  auto accept = [&](int64_t y, double v) {
    const int64_t k = y > m ? y - m : m - y;
    if (k <= 20 || static_cast<double>(k) >= nrq / 2.0 - 1) {  // the ratio by recursion
      const double s = r / q;
      const double as = s * (dn + 1);
      double f = 1.0;
      if (m < y) {
        for (int64_t i = m + 1; i <= y; ++i) f *= (as / static_cast<double>(i) - s);
      } else if (m > y) {
        for (int64_t i = y + 1; i <= m; ++i) f /= (as / static_cast<double>(i) - s);
      }
      return v <= f;
    }
    const double dk = static_cast<double>(k);
    const double rho = (dk / nrq) * ((dk * (dk / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5);
    const double t = -dk * dk / (2 * nrq);
    const double log_v = std::log(v);
    if (log_v < t - rho) return true;  // squeezes
    if (log_v > t + rho) return false;
    const double x1 = static_cast<double>(y + 1), f1 = dm + 1, z = dn + 1 - dm, w = dn - static_cast<double>(y) + 1;
    auto stirling = [](double v1) {
      const double v2 = v1 * v1;
      return (13680. - (462. - (132. - (99. - 140. / v2) / v2) / v2) / v2) / v1 / 166320.;
    };
    return !(log_v > xm * std::log(f1 / x1) + (dn - dm + 0.5) * std::log(z / w) +
                         static_cast<double>(y - m) * std::log(w * r / (x1 * q)) + stirling(f1) + stirling(z) +
                         stirling(x1) + stirling(w));
  };
  for (;;) {
    const double u = gen.next_double() * p4;
    double v = gen.next_double();
    int64_t y;
    if (u <= p1) {  // the triangle: accepted outright
      y = static_cast<int64_t>(std::floor(xm - p1 * v + u));
      return p > 0.5 ? n - y : y;
    }
    if (u <= p2) {  // the parallelograms
      const double x = xl + (u - p1) / c;
      v = v * c + 1.0 - std::fabs(dm - x + 0.5) / p1;
      if (v > 1.0) continue;
      y = static_cast<int64_t>(std::floor(x));
    } else if (u <= p3) {  // the left tail
      y = static_cast<int64_t>(std::floor(xl + std::log(v) / laml));
      if (y < 0 || v == 0.0) continue;
      v = v * (u - p2) * laml;
    } else {  // the right tail
      y = static_cast<int64_t>(std::floor(xr - std::log(v) / lamr));
      if (y > n || v == 0.0) continue;
      v = v * (u - p3) * lamr;
    }
    if (accept(y, v)) return p > 0.5 ? n - y : y;
  }
}

template <class Gen>
int64_t binomial(Gen& gen, int64_t n, double p) {
  if (n == 0 || p == 0.0) return 0;
  if (p <= 0.5) {
    return p * static_cast<double>(n) <= 30.0 ? binomial_inversion(gen, n, p) : binomial_btpe(gen, n, p);
  }
  const double q = 1.0 - p;
  return n - (q * static_cast<double>(n) <= 30.0 ? binomial_inversion(gen, n, q) : binomial_btpe(gen, n, q));
}

}  // namespace numfuse::sampler
