// Order statistics of lanes (median, percentile, quantile and their nan- versions) and
// partition/argpartition, all by selection (select.hpp), never by a full sort.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <vector>

#include "bin_partials.hpp"
#include "numfuse/algorithms/select.hpp"
#include "numfuse/algorithms/stats.hpp"
#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"

namespace numfuse::algorithms {

namespace {

// Lanes at least this long are selected from a sample-bracketed band instead of a full copy.
constexpr int64_t kSampledLane = int64_t{1} << 17;
constexpr int64_t kSampleSize = 32768;

template <class T>
struct Lane {
  const std::byte* base;
  int64_t stride;
  T operator[](int64_t i) const { return *reinterpret_cast<const T*>(base + i * stride); }
};

template <class T>
Lane<T> lane_of(const Array& a, int64_t row) {
  return {a.data() + row * a.strides()[0], a.strides()[1]};
}

// The lane's values (its numbers only, with skip_nan) into buf; returns the NaNs seen.
template <class T>
int64_t copy_lane(const Lane<T>& x, int64_t n, bool skip_nan, std::vector<T>& buf) {
  buf.resize(static_cast<size_t>(n));
  int64_t kept = 0, nans = 0;
  for (int64_t i = 0; i < n; ++i) {
    const T v = x[i];
    if (is_nan_value(v)) {
      ++nans;
      if (skip_nan) continue;
    }
    buf[kept++] = v;
  }
  buf.resize(static_cast<size_t>(kept));
  return nans;
}

// Requested ranks of one lane, sorted with their output slots.
struct RankRequest {
  std::vector<int64_t> sorted;  // ascending, distinct
  std::vector<int> slot_rank;   // output slot i reads sorted[slot_rank[i]]
};

RankRequest rank_request(const int64_t* ranks, int64_t k, int64_t valid) {
  RankRequest req;
  req.sorted.assign(ranks, ranks + k);
  for (int64_t r : req.sorted) {
    if (r < 0 || r >= valid) throw_index_error("order statistics: rank out of range");
  }
  std::sort(req.sorted.begin(), req.sorted.end());
  req.sorted.erase(std::unique(req.sorted.begin(), req.sorted.end()), req.sorted.end());
  req.slot_rank.resize(static_cast<size_t>(k));
  for (int64_t i = 0; i < k; ++i) {
    req.slot_rank[i] = static_cast<int>(std::lower_bound(req.sorted.begin(), req.sorted.end(), ranks[i]) - req.sorted.begin());
  }
  return req;
}

template <class T>
void fill_nan(T* out, int64_t k) {
  if constexpr (std::is_floating_point_v<T>) std::fill(out, out + k, std::numeric_limits<T>::quiet_NaN());
}

// Selects the requested ranks in buf (all of the lane's candidates) and writes them out.
template <class T>
void select_from_copy(std::vector<T>& buf, const int64_t* ranks, int64_t k, T* out) {
  if (buf.empty()) return fill_nan(out, k);  // an all-NaN lane with skip_nan: the caller reports NaN
  const RankRequest req = rank_request(ranks, k, static_cast<int64_t>(buf.size()));
  select_ranks(buf.data(), static_cast<int64_t>(buf.size()), req.sorted.data(), static_cast<int64_t>(req.sorted.size()));
  for (int64_t i = 0; i < k; ++i) out[i] = buf[req.sorted[req.slot_rank[i]]];
}

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

template <class T>
T lowest_value() {
  if constexpr (std::is_floating_point_v<T>) return -std::numeric_limits<T>::infinity();
  else return std::numeric_limits<T>::lowest();
}
template <class T>
T highest_value() {
  if constexpr (std::is_floating_point_v<T>) return std::numeric_limits<T>::infinity();
  else return std::numeric_limits<T>::max();
}

// Values between lo and hi (inclusive) surely hold the ranks [first_rank, last_rank] when the
// counts confirm it; the sample only chooses lo and hi, so any sample gives exact results.
template <class T>
struct Band {
  T lo, hi;
  double expected_fraction;  // of the values, from the sample (to size buffers)
};

// The bands sorted and overlapping ones merged: the classification below relies on sorted,
// disjoint bands (band edges need not grow with the rank near the ends of the range).
template <class T>
std::vector<Band<T>> disjoint_bands(std::vector<Band<T>> bands) {
  std::sort(bands.begin(), bands.end(), [](const Band<T>& a, const Band<T>& b) { return a.lo < b.lo; });
  std::vector<Band<T>> merged;
  for (const Band<T>& b : bands) {
    if (!merged.empty() && !(merged.back().hi < b.lo)) {
      merged.back().hi = std::max(merged.back().hi, b.hi);
      merged.back().expected_fraction += b.expected_fraction;
    } else {
      merged.push_back(b);
    }
  }
  return merged;
}

constexpr size_t kMaxBands = 8;

// One chunk's pass: per band, the numbers below it and the values inside it; and the NaNs.
template <class T>
struct Counted {
  std::array<int64_t, kMaxBands> below{};
  std::vector<std::vector<T>> inside;
  int64_t nans = 0;
};

// Branch-free per value (values below and above the median come in random order, a branch per
// comparison would mispredict half the time), the counters in registers (NB is a constant).
// Bands are sorted and disjoint: v is inside one exactly when more lower than upper bounds lie
// at or below it.
template <size_t NB, class T>
void classify_fixed(const Lane<T> lane, int64_t begin, int64_t end, const std::vector<Band<T>>& bands, Counted<T>& out) {
  T lo[NB], hi[NB];
  for (size_t b = 0; b < NB; ++b) {
    lo[b] = bands[b].lo;
    hi[b] = bands[b].hi;
  }
  int64_t below[NB] = {};
  int64_t nans = 0;
  out.inside.assign(NB, {});
  for (size_t b = 0; b < NB; ++b) out.inside[b].reserve(static_cast<size_t>(static_cast<double>(end - begin) * bands[b].expected_fraction * 1.5) + 64);
  for (int64_t i = begin; i < end; ++i) {
    const T v = lane[i];
    if (is_nan_value(v)) {
      ++nans;
      continue;
    }
    size_t at_or_above_lo = 0, above_hi = 0;
    for (size_t b = 0; b < NB; ++b) {
      below[b] += v < lo[b];
      at_or_above_lo += !(v < lo[b]);
      above_hi += hi[b] < v;
    }
    if (at_or_above_lo != above_hi) out.inside[above_hi].push_back(v);
  }
  for (size_t b = 0; b < NB; ++b) out.below[b] = below[b];
  out.nans = nans;
}

template <class T>
void classify_chunk(const Lane<T>& lane, int64_t begin, int64_t end, const std::vector<Band<T>>& bands, Counted<T>& out) {
  switch (bands.size()) {
    case 1: return classify_fixed<1>(lane, begin, end, bands, out);
    case 2: return classify_fixed<2>(lane, begin, end, bands, out);
    case 3: return classify_fixed<3>(lane, begin, end, bands, out);
    case 4: return classify_fixed<4>(lane, begin, end, bands, out);
    case 5: return classify_fixed<5>(lane, begin, end, bands, out);
    case 6: return classify_fixed<6>(lane, begin, end, bands, out);
    case 7: return classify_fixed<7>(lane, begin, end, bands, out);
    case 8: return classify_fixed<8>(lane, begin, end, bands, out);
    default: throw_value_error("order statistics: too many bands");
  }
}

// One long lane: a sorted sample brackets every requested rank in a band [lo, hi]; one threaded
// pass counts the values below each band and collects the values inside; the ranks are then
// selected within their band. A rank the bands missed falls back to selecting in a full copy.
template <class T>
int64_t sampled_lane(const Lane<T>& x, int64_t n, bool skip_nan, const int64_t* ranks, int64_t k, T* out) {
  std::vector<T> sample;
  sample.reserve(static_cast<size_t>(kSampleSize));
  uint64_t seed = 0x5eed;
  for (int64_t i = 0; i < kSampleSize; ++i) {
    const T v = x[static_cast<int64_t>(splitmix64(seed) % static_cast<uint64_t>(n))];
    if (!is_nan_value(v)) sample.push_back(v);
  }
  std::sort(sample.begin(), sample.end());
  const int64_t m = static_cast<int64_t>(sample.size());
  std::vector<int64_t> wanted(ranks, ranks + k);
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  std::vector<Band<T>> bands;
  if (m > 0) {
    const double est_valid = static_cast<double>(n) * static_cast<double>(m) / kSampleSize;
    for (int64_t r : wanted) {
      // The sample rank of the wanted value is about binomial: 3.5 standard deviations either
      // side miss it with probability ~5e-4 (then the exact fallback below runs).
      const double p = std::clamp(static_cast<double>(r) / std::max(est_valid, 1.0), 0.0, 1.0);
      const double delta = 3.5 * std::sqrt(static_cast<double>(m) * p * (1 - p)) + 8.0;
      const double pos = p * static_cast<double>(m);
      const int64_t lo_i = static_cast<int64_t>(std::floor(pos - delta)), hi_i = static_cast<int64_t>(std::ceil(pos + delta));
      bands.push_back({lo_i < 0 ? lowest_value<T>() : sample[lo_i], hi_i >= m ? highest_value<T>() : sample[hi_i],
                       static_cast<double>(std::min(hi_i, m) - std::max<int64_t>(lo_i, 0)) / static_cast<double>(m)});
    }
  }
  bands = disjoint_bands(std::move(bands));
  const size_t nb = bands.size();
  std::vector<T> buf;
  if (nb == 0 || nb > kMaxBands) {  // no usable sample, or too many bands to count in registers
    const int64_t nans = copy_lane(x, n, skip_nan, buf);
    if (!skip_nan && nans > 0) fill_nan(out, k);
    else select_from_copy(buf, ranks, k, out);
    return nans;
  }
  const int chunks = detail::fixed_chunks(n, int64_t{1} << 16, 64);
  std::vector<Counted<T>> parts(chunks);
  ufuncs::parallel_for(chunks, [&](int c) {
    classify_chunk(x, detail::chunk_begin(n, chunks, c), detail::chunk_begin(n, chunks, c + 1), bands, parts[c]);
  });
  int64_t nan_total = 0;
  for (const auto& p : parts) nan_total += p.nans;
  if (!skip_nan && nan_total > 0) {
    fill_nan(out, k);
    return nan_total;
  }
  // First rank and size of each band among the lane's numbers.
  std::vector<int64_t> band_first(nb, 0), band_size(nb, 0);
  for (size_t j = 0; j < nb; ++j) {
    for (const auto& p : parts) {
      band_first[j] += p.below[j];
      band_size[j] += static_cast<int64_t>(p.inside[j].size());
    }
  }
  std::vector<size_t> band_of(static_cast<size_t>(k));
  bool all_found = true;
  for (int64_t i = 0; i < k && all_found; ++i) {
    size_t j = 0;
    while (j < nb && !(ranks[i] >= band_first[j] && ranks[i] < band_first[j] + band_size[j])) ++j;
    band_of[i] = j;
    all_found = j < nb;
  }
  if (!all_found) {
    copy_lane(x, n, skip_nan, buf);
    select_from_copy(buf, ranks, k, out);
    return nan_total;
  }
  for (size_t j = 0; j < nb; ++j) {
    std::vector<int64_t> local;
    std::vector<int64_t> slots;
    for (int64_t i = 0; i < k; ++i) {
      if (band_of[i] == j) {
        local.push_back(ranks[i] - band_first[j]);
        slots.push_back(i);
      }
    }
    if (local.empty()) continue;
    buf.clear();
    for (const auto& p : parts) buf.insert(buf.end(), p.inside[j].begin(), p.inside[j].end());
    std::vector<T> picked(local.size());
    select_from_copy(buf, local.data(), static_cast<int64_t>(local.size()), picked.data());
    for (size_t s = 0; s < slots.size(); ++s) out[slots[s]] = picked[s];
  }
  return nan_total;
}

template <class Fn>
void visit_real(DType dtype, Fn&& fn) {
  if (is_complex(dtype)) throw_type_error("a must be an array of real numbers");
  // Booleans come as uint8 (the Python layer views them so): std::vector<bool> has no data().
  if (dtype == DType::Bool) throw_type_error("order statistics: pass booleans as uint8");
  visit_dtype(dtype, [&](auto v) {
    using T = decltype(v);
    if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) fn(T{});
  });
}

void check_lanes(const Array& lanes) {
  if (lanes.ndim() != 2) throw_value_error("order statistics: lanes must be 2-D");
}

}  // namespace

OrderStatistics order_statistics(const Array& lanes, const Array& ranks, bool skip_nan) {
  check_lanes(lanes);
  if (ranks.dtype() != DType::Int64 || ranks.ndim() != 2 ||
      (ranks.shape()[0] != 1 && ranks.shape()[0] != lanes.shape()[0])) {
    throw_value_error("order statistics: ranks must be int64 (lanes, k) or (1, k)");
  }
  const int64_t rows = lanes.shape()[0], n = lanes.shape()[1], k = ranks.shape()[1];
  const Array rank_rows = ranks.is_c_contiguous() ? ranks : copy(ranks);
  const int64_t rank_stride = ranks.shape()[0] == 1 ? 0 : k;
  const int64_t* rank_data = rank_rows.data_as<const int64_t>();
  OrderStatistics result{Array::empty(Shape{rows, k}, lanes.dtype()), Array::empty(Shape{rows}, DType::Int64)};
  int64_t* nan_counts = result.nan_counts.data_as<int64_t>();
  visit_real(lanes.dtype(), [&](auto v) {
    using T = decltype(v);
    T* out = result.values.template data_as<T>();
    if (n >= kSampledLane && rows <= 4) {
      for (int64_t r = 0; r < rows; ++r) {
        nan_counts[r] = sampled_lane(lane_of<T>(lanes, r), n, skip_nan, rank_data + r * rank_stride, k, out + r * k);
      }
      return;
    }
    const int tasks = static_cast<int>(std::clamp<int64_t>(rows * std::max<int64_t>(n, 1) / 65536, 1, 64));
    ufuncs::parallel_for(std::min<int64_t>(tasks, std::max<int64_t>(rows, 1)), [&](int t) {
      const int64_t parts = std::min<int64_t>(tasks, std::max<int64_t>(rows, 1));
      std::vector<T> buf;
      for (int64_t r = rows * t / parts; r < rows * (t + 1) / parts; ++r) {
        nan_counts[r] = copy_lane(lane_of<T>(lanes, r), n, skip_nan, buf);
        if (!skip_nan && nan_counts[r] > 0) fill_nan(out + r * k, k);
        else select_from_copy(buf, rank_data + r * rank_stride, k, out + r * k);
      }
    });
  });
  return result;
}

Array partition_lanes(const Array& lanes, const std::vector<int64_t>& ranks, bool arg) {
  check_lanes(lanes);
  const int64_t rows = lanes.shape()[0], n = lanes.shape()[1];
  for (size_t i = 0; i < ranks.size(); ++i) {
    if (ranks[i] < 0 || ranks[i] >= n || (i > 0 && ranks[i] <= ranks[i - 1])) {
      throw_value_error("partition: ranks must be sorted, distinct and in range");
    }
  }
  Array out = Array::empty(Shape{rows, n}, arg ? DType::Int64 : lanes.dtype());
  visit_real(lanes.dtype(), [&](auto v) {
    using T = decltype(v);
    const int parts = static_cast<int>(std::clamp<int64_t>(rows * std::max<int64_t>(n, 1) / 65536, 1, 64));
    const int tasks = static_cast<int>(std::min<int64_t>(parts, std::max<int64_t>(rows, 1)));
    ufuncs::parallel_for(tasks, [&](int t) {
      std::vector<T> buf;
      for (int64_t r = rows * t / tasks; r < rows * (t + 1) / tasks; ++r) {
        const Lane<T> x = lane_of<T>(lanes, r);
        if (!arg) {
          T* row = out.template data_as<T>() + r * n;
          for (int64_t i = 0; i < n; ++i) row[i] = x[i];
          select_ranks(row, n, ranks.data(), static_cast<int64_t>(ranks.size()));
          continue;
        }
        copy_lane(x, n, false, buf);
        int64_t* row = out.template data_as<int64_t>() + r * n;
        std::iota(row, row + n, int64_t{0});
        const T* values = buf.data();
        select_ranks(row, n, ranks.data(), static_cast<int64_t>(ranks.size()),
                     [values](int64_t a, int64_t b) { return nan_last_less(values[a], values[b]); });
      }
    });
  });
  return out;
}

}  // namespace numfuse::algorithms
