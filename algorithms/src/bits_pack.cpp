// packbits / unpackbits: lane by lane along the axis (long lanes split across threads);
// contiguous bool/uint8 input packs 32 bytes per step (AVX2 movemask, chosen at run time) or
// eight (a 64-bit multiply), and unpacking writes a byte's eight bits as one word from a
// 256-entry table.
#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "numfuse/algorithms/bits.hpp"
#include "numfuse/algorithms/sort_kernels.hpp"  // load, for_blocks
#include "numfuse/algorithms/sort_lanes.hpp"
#include "numfuse/core/dtype.hpp"
#include "numfuse/core/error.hpp"

namespace numfuse::algorithms {

namespace {

// The bit that element k (0..7) of a byte's run takes.
constexpr int bit_of(int k, bool little) { return little ? k : 7 - k; }

// Byte k of the word unpacking byte b: the bit element k takes, as 0/1.
constexpr std::array<uint64_t, 256> spread_table(bool little) {
  std::array<uint64_t, 256> t{};
  for (int b = 0; b < 256; ++b) {
    for (int k = 0; k < 8; ++k) t[b] |= uint64_t((b >> bit_of(k, little)) & 1) << (8 * k);
  }
  return t;
}
constexpr std::array<uint64_t, 256> kSpreadBig = spread_table(false), kSpreadLittle = spread_table(true);

// 1 in each byte of `w` that is nonzero, 0 elsewhere.
inline uint64_t nonzero_bytes(uint64_t w) {
  constexpr uint64_t low7 = 0x7F7F7F7F7F7F7F7Full, high = 0x8080808080808080ull;
  return ((((w & low7) + low7) | w) & high) >> 7;
}

template <class T>
uint8_t pack_run(const std::byte* p, int64_t stride, int64_t count, bool little) {
  uint8_t byte = 0;
  for (int64_t k = 0; k < count; ++k) byte |= uint8_t(uint8_t(load<T>(p + k * stride) != T(0)) << bit_of(int(k), little));
  return byte;
}

#if defined(__x86_64__)
// Packed bytes [lo, hi) of a contiguous lane of 1-byte elements, 32 elements (four packed bytes)
// per step: a byte compare and movemask put element k at bit k; for big order a shuffle first
// reverses each run of eight. Returns where it stopped (before a partial 32-element run).
__attribute__((target("avx2"))) int64_t pack_bytes_avx2(const std::byte* src, int64_t n, uint8_t* dst, int64_t lo,
                                                          int64_t hi, bool little) {
  const __m256i zero = _mm256_setzero_si256();
  const __m256i reverse_runs = _mm256_setr_epi8(7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8,  //
                                                7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8);
  const int64_t end = std::min(hi, n / 8) & ~int64_t(3);
  int64_t j = lo;
  for (; j + 4 <= end; j += 4) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + 8 * j));
    if (!little) v = _mm256_shuffle_epi8(v, reverse_runs);
    const uint32_t zeros = uint32_t(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, zero)));
    const uint32_t bits = ~zeros;
    std::memcpy(dst + j, &bits, 4);
  }
  return j;
}

bool has_avx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}
#endif

// Packed bytes [lo, hi) of a contiguous lane of 1-byte elements; returns where it stopped
// (before a partial run of eight).
int64_t pack_contiguous_bytes(const std::byte* src, int64_t n, uint8_t* dst, int64_t lo, int64_t hi, bool little) {
  int64_t j = lo;
#if defined(__x86_64__)
  if (has_avx2()) j = pack_bytes_avx2(src, n, dst, lo, hi, little);
#endif
  const uint64_t gather = little ? 0x0102040810204080ull : 0x8040201008040201ull;
  for (; j < hi && 8 * j + 8 <= n; ++j) {  // eight 0/1 bytes times `gather`: the top byte
    uint64_t w;
    std::memcpy(&w, src + 8 * j, 8);
    dst[j] = uint8_t((nonzero_bytes(w) * gather) >> 56);
  }
  return j;
}

// Packed bytes [lo, hi) of one lane (element stride `stride`, packed byte stride `dst_stride`).
template <class T>
void pack_lane(const std::byte* src, int64_t stride, int64_t n, std::byte* dst, int64_t dst_stride, int64_t lo,
               int64_t hi, bool little) {
  int64_t j = lo;
  if constexpr (sizeof(T) == 1) {
    if (stride == 1 && dst_stride == 1) j = pack_contiguous_bytes(src, n, reinterpret_cast<uint8_t*>(dst), lo, hi, little);
  }
  for (; j < hi; ++j) {
    const int64_t count = std::min<int64_t>(8, n - 8 * j);
    dst[j * dst_stride] = std::byte(pack_run<T>(src + 8 * j * stride, stride, count, little));
  }
}

// Bits [lo, hi) of one unpacked lane (hi <= 8 * n; the caller zero-fills the rest): whole bytes
// of a contiguous output as one 8-byte word each.
void unpack_lane(const std::byte* src, int64_t stride, std::byte* dst, int64_t dst_stride, int64_t lo, int64_t hi,
                 bool little) {
  const auto& table = little ? kSpreadLittle : kSpreadBig;
  int64_t bit = lo;
  if (dst_stride == 1 && lo % 8 == 0) {
    for (int64_t j = lo / 8; j < hi / 8; ++j) std::memcpy(dst + 8 * j, &table[std::to_integer<uint8_t>(src[j * stride])], 8);
    bit = hi / 8 * 8;
  }
  for (; bit < hi; ++bit) {
    const uint64_t word = table[std::to_integer<uint8_t>(src[(bit / 8) * stride])];
    dst[bit * dst_stride] = std::byte(uint8_t(word >> (8 * (bit % 8))));
  }
}

Shape with_length(Shape shape, int axis, int64_t length) {
  shape[axis] = length;
  return shape;
}

}  // namespace

Array packbits(const Array& a, int axis, bool little) {
  const int64_t n = a.shape()[axis], bytes = (n + 7) / 8;
  Array out = Array::empty(with_length(a.shape(), axis, bytes), DType::UInt8);
  const LaneLayout in = lanes_of(a, axis), to = lanes_of(out, axis);
  const std::byte* src = a.data();
  std::byte* dst = out.data();
  visit_dtype(a.dtype(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (!std::is_integral_v<T>) {
      throw_type_error("Expected an input array of integer or boolean data type");
    } else {
      for_lane_ranges(in.count, n, [&](int64_t first, int64_t last, bool threaded) {
        for (int64_t lane = first; lane < last; ++lane) {
          for_blocks(bytes, threaded, [&](int64_t lo, int64_t hi) {
            pack_lane<T>(src + in.offset(lane), in.stride, n, dst + to.offset(lane), to.stride, lo, hi, little);
          });
        }
      });
    }
  });
  return out;
}

Array unpackbits(const Array& a, int axis, int64_t bits, bool little) {
  if (a.dtype() != DType::UInt8) throw_type_error("Expected an input array of unsigned byte data type");
  if (bits < 0) throw_value_error("-count larger than number of elements");
  const int64_t available = std::min(bits, 8 * a.shape()[axis]);
  Array out = Array::empty(with_length(a.shape(), axis, bits), DType::UInt8);
  const LaneLayout in = lanes_of(a, axis), to = lanes_of(out, axis);
  const std::byte* src = a.data();
  std::byte* dst = out.data();
  for_lane_ranges(to.count, bits, [&](int64_t first, int64_t last, bool threaded) {
    for (int64_t lane = first; lane < last; ++lane) {
      std::byte* lane_dst = dst + to.offset(lane);
      for_blocks(available / 8, threaded, [&](int64_t lo, int64_t hi) {  // whole bytes, split by byte
        unpack_lane(src + in.offset(lane), in.stride, lane_dst, to.stride, 8 * lo, 8 * hi, little);
      });
      unpack_lane(src + in.offset(lane), in.stride, lane_dst, to.stride, available / 8 * 8, available, little);
      for (int64_t bit = available; bit < bits; ++bit) lane_dst[bit * to.stride] = std::byte(0);
    }
  });
  return out;
}

}  // namespace numfuse::algorithms
