// matmul: shapes and batching here; the per-matrix work goes to BLAS (gemm/gemv) or to
// matmul_loop. Operands BLAS can read as they are (C/F-contiguous, transposed, row or column
// slices) are passed with transpose flags and leading dimensions; others are copied once.
#include "numfuse/linalg/matmul.hpp"

#include <algorithm>
#include <climits>
#include <complex>
#include <cstring>
#include <string>

#include "blas_table.hpp"
#include "matmul_loop.hpp"
#include "small_gemm.hpp"
#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/jit/lazy.hpp"
#include "numfuse/linalg/blas_layout.hpp"
#include "numfuse/linalg/threads.hpp"
#include "numfuse/ufuncs/parallel.hpp"

namespace numfuse::linalg {

namespace {

// Below this many multiply-adds a BLAS call costs more than the arithmetic.
constexpr int64_t kSmallProduct = 512;

bool is_blas_dtype(DType d) {
  return d == DType::Float32 || d == DType::Float64 || d == DType::Complex64 ||
         d == DType::Complex128;
}

// One operand's view of the batch: its strides aligned (right-justified) to the result's batch
// shape, zero where it is broadcast.
Strides batch_strides(const Array& x, const Shape& batch) {
  Strides s(batch.size(), 0);
  const int own = x.ndim() - 2;
  for (int d = 0; d < own; ++d) {
    if (x.shape()[d] != 1) s[batch.size() - own + d] = x.strides()[d];
  }
  return s;
}

// Calls fn(a_offset, b_offset, batch_index) for batch elements [first, last) in C order.
template <class Fn>
void for_batch_range(const Shape& batch, const Strides& sa, const Strides& sb, int64_t first, int64_t last,
                     Fn& fn) {
  const int nd = static_cast<int>(batch.size());
  std::vector<int64_t> idx(nd, 0);
  int64_t oa = 0, ob = 0;
  int64_t rest = first;
  for (int d = nd - 1; d >= 0; --d) {
    idx[d] = rest % batch[d];
    rest /= batch[d];
    oa += idx[d] * sa[d];
    ob += idx[d] * sb[d];
  }
  for (int64_t i = first; i < last; ++i) {
    fn(oa, ob, i);
    for (int d = nd - 1; d >= 0; --d) {
      oa += sa[d];
      ob += sb[d];
      if (++idx[d] < batch[d]) break;
      oa -= sa[d] * batch[d];
      ob -= sb[d] * batch[d];
      idx[d] = 0;
    }
  }
}

// A batch of at least this many multiply-adds in all is split across numfuse's threads (NumPy
// runs batches on one): 2^17 is ~15 us of one core's work, a few times a task's start-up cost.
constexpr int64_t kParallelBatchWork = int64_t{1} << 17;

// Calls fn(a_offset, b_offset, batch_index) for every batch element: in C order, or, when
// `may_thread` and the batch is large, in ranges on the parallel runner (each element's result
// is its own, so the thread count never shows). fn must not throw when threaded.
template <class Fn>
void for_each_batch(const Shape& batch, const Strides& sa, const Strides& sb, int64_t work_each, bool may_thread,
                    Fn&& fn) {
  const int64_t count = shape_size(batch);
  const int threads = may_thread ? ufuncs::parallel_threads() : 1;
  if (threads <= 1 || count < 2 || count * work_each < kParallelBatchWork) {
    for_batch_range(batch, sa, sb, 0, count, fn);
    return;
  }
  const int tasks = static_cast<int>(std::min<int64_t>(count, 4 * threads));
  ufuncs::parallel_for(tasks, [&](int t) { for_batch_range(batch, sa, sb, count * t / tasks, count * (t + 1) / tasks, fn); });
}

// True when a's batch axes continue its rows with one stride, so the whole stack is one tall
// (batch*m x k) row-major matrix: then a single gemm replaces the batch loop.
bool batch_folds_into_rows(const Array& a, const Shape& batch, int64_t ld) {
  const int nd = a.ndim();
  const int own = nd - 2;
  if (own != static_cast<int>(batch.size())) return false;
  int64_t expected = a.shape()[nd - 2] * ld * a.itemsize();
  for (int d = own - 1; d >= 0; --d) {
    if (a.shape()[d] != batch[d]) return false;
    if (a.shape()[d] != 1 && a.strides()[d] != expected) return false;
    expected *= a.shape()[d];
  }
  return true;
}

// The small-matrix kernel fits real products with every dimension at most kSmallGemmMaxSide
// and few enough multiply-adds (small_gemm.hpp) whose b has contiguous rows. (A long k or n
// with a tiny other side stays with BLAS: the kernel's scalar column tail would be slow.)
constexpr int64_t kSmallGemmMaxSide = 128;

template <class T>
bool small_gemm_fits(int64_t m, int64_t n, int64_t k, bool b_transposed) {
  const int64_t max_product =
      blas_threads() > 1 ? kSmallGemmMaxProductThreaded : kSmallGemmMaxProduct;
  return std::is_floating_point_v<T> && !b_transposed && m <= kSmallGemmMaxSide &&
         n <= kSmallGemmMaxSide && k <= kSmallGemmMaxSide && m * n * k <= max_product;
}

void check_blas_range(int64_t v) {
  if (v > INT_MAX) throw Error(ErrorKind::Value, "matmul: dimension too large for BLAS (32-bit)");
}

// small_gemm for real T with a's layout from BLAS's analysis; false where it does not run.
template <class T>
bool small_gemm_real(int64_t m, int64_t n, int64_t k, const T* a, const BlasOperand& la,
                     const T* b, int64_t ldb, T* c) {
  if constexpr (std::is_floating_point_v<T>) {
    const int64_t a_row = la.transposed ? 1 : la.ld, a_col = la.transposed ? la.ld : 1;
    return small_gemm<T>(m, n, k, a, a_row, a_col, b, ldb, c);
  } else {
    return false;
  }
}

template <class T>
void blas_product(Array a, Array b, Array& out, const Shape& batch) {
  const int nd_a = a.ndim(), nd_b = b.ndim();
  const int64_t m = a.shape()[nd_a - 2], k = a.shape()[nd_a - 1], n = b.shape()[nd_b - 1];
  for (int64_t v : {m, n, k}) check_blas_range(v);
  auto analyze = [](const Array& x) {
    const int nd = x.ndim();
    return analyze_blas_operand(x.shape()[nd - 2], x.shape()[nd - 1], x.strides()[nd - 2],
                                x.strides()[nd - 1], x.itemsize());
  };
  BlasOperand la = analyze(a), lb = analyze(b);
  if (!la.usable) { a = copy(a); la = analyze(a); }
  if (!lb.usable) { b = copy(b); lb = analyze(b); }
  const Strides sa = batch_strides(a, batch), sb = batch_strides(b, batch);
  const bool b_shared = std::all_of(sb.begin(), sb.end(), [](int64_t s) { return s == 0; });
  T* c = out.data_as<T>();
  const auto ta = la.transposed ? CblasTrans : CblasNoTrans;
  const auto tb = lb.transposed ? CblasTrans : CblasNoTrans;

  if (shape_size(batch) > 1 && b_shared && !la.transposed && n > 1 &&
      batch_folds_into_rows(a, batch, la.ld)) {
    const int64_t rows = shape_size(batch) * m;
    check_blas_range(rows);
    Gemm<T>::call(ta, tb, static_cast<int>(rows), static_cast<int>(n), static_cast<int>(k),
                  a.data_as<T>(), static_cast<int>(la.ld), b.data_as<T>(), static_cast<int>(lb.ld),
                  c, static_cast<int>(n));
    return;
  }
  const int64_t a_col = a.strides()[nd_a - 1] / a.itemsize();
  const int64_t b_row = b.strides()[nd_b - 2] / b.itemsize();
  const bool use_small = small_gemm_fits<T>(m, n, k, lb.transposed);
  const bool column = n == 1 && b_row > 0 && (k == 1 || b_row <= INT_MAX);
  const bool row = m == 1 && a_col > 0 && (k == 1 || a_col <= INT_MAX);
  // Only the small kernel's products are split across threads (BLAS runs its own).
  const bool may_thread = use_small && small_gemm_available() && !column && !row;
  for_each_batch(batch, sa, sb, m * n * k, may_thread, [&](int64_t oa, int64_t ob, int64_t i) {
    const T* pa = reinterpret_cast<const T*>(a.data() + oa);
    const T* pb = reinterpret_cast<const T*>(b.data() + ob);
    T* pc = c + i * m * n;
    if (column) {
      // Matrix times column: y = op(A) x, with x read in place through its stride.
      const int incx = static_cast<int>(k == 1 ? 1 : b_row);
      if (la.transposed) Gemv<T>::call(CblasTrans, int(k), int(m), pa, int(la.ld), pb, incx, pc, 1);
      else Gemv<T>::call(CblasNoTrans, int(m), int(k), pa, int(la.ld), pb, incx, pc, 1);
    } else if (row) {
      // Row times matrix: y = op(B)^T x.
      const int incx = static_cast<int>(k == 1 ? 1 : a_col);
      if (lb.transposed) Gemv<T>::call(CblasNoTrans, int(n), int(k), pb, int(lb.ld), pa, incx, pc, 1);
      else Gemv<T>::call(CblasTrans, int(k), int(n), pb, int(lb.ld), pa, incx, pc, 1);
    } else if (!(use_small && small_gemm_real(m, n, k, pa, la, pb, lb.ld, pc))) {
      Gemm<T>::call(ta, tb, int(m), int(n), int(k), pa, int(la.ld), pb, int(lb.ld), pc, int(n));
    }
  });
}

void loop_product(const Array& a, const Array& b, Array& out, const Shape& batch) {
  const int nd_a = a.ndim(), nd_b = b.ndim();
  const int64_t m = a.shape()[nd_a - 2], k = a.shape()[nd_a - 1], n = b.shape()[nd_b - 1];
  const Strides sa = batch_strides(a, batch), sb = batch_strides(b, batch);
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* c = out.data_as<T>();
    for_each_batch(batch, sa, sb, m * n * k, true, [&](int64_t oa, int64_t ob, int64_t i) {
      matmul_loop<T>(a.data() + oa, a.strides()[nd_a - 2], a.strides()[nd_a - 1], b.data() + ob,
                     b.strides()[nd_b - 2], b.strides()[nd_b - 1], c + i * m * n, m, n, k);
    });
  });
}

// Tiny real products (m*n*k <= kSmallProduct) go to the small kernel too where it takes them
// (b's rows contiguous, not a matrix-vector product): it has no BLAS call cost and is vectorized
// for AVX2, where matmul_loop is compiled for the baseline CPU (2000 x (8x8) float64: 1.5x
// NumPy's time through matmul_loop).
bool tiny_product_for_small_kernel(const Array& b, int64_t m, int64_t n) {
  return !is_complex(b.dtype()) && m > 1 && n > 1 && b.strides()[b.ndim() - 1] == b.itemsize() &&
         small_gemm_available();
}

std::string dims_text(const Shape& s) { return shape_repr(s); }

// Products of at least this many multiply-adds are recorded lazily; smaller ones (the small
// kernel's range and a bit more) run at once, where recording would be a noticeable part.
constexpr int64_t kLazyProduct = int64_t{1} << 20;

// a @ b (2-D, a BLAS dtype) as a pending node whose rows BLAS makes when it is evaluated
// (jit::produced): an elementwise expression reading it, `maximum(a @ b + bias, 0)`, then runs
// over each panel of rows right after the panel is made, while it is in cache. The operands'
// pending work runs now (the product's value is fixed at this line), and layouts BLAS cannot
// take are copied once now rather than once per panel.
Array lazy_product(Array a, Array b, DType result, int64_t m, int64_t n, int64_t k) {
  auto blas_ready = [](const Array& x) {
    return analyze_blas_operand(x.shape()[0], x.shape()[1], x.strides()[0], x.strides()[1],
                                x.itemsize()).usable;
  };
  if (blas_ready(a)) a.data(); else a = copy(a);
  if (blas_ready(b)) b.data(); else b = copy(b);
  auto rows = [a, b](int64_t first, int64_t end, Array& out) {
    const Array a_rows = a.with_layout(a.offset() + first * a.strides()[0], {end - first, a.shape()[1]},
                                       a.strides());
    visit_dtype(out.dtype(), [&](auto tag) {
      using T = decltype(tag);
      if constexpr (std::is_floating_point_v<T> || std::is_same_v<T, std::complex<float>> ||
                    std::is_same_v<T, std::complex<double>>) {
        blas_product<T>(a_rows, b, out, Shape{});
      }
    });
  };
  // A panel's gemm repacks all of b and runs on fewer rows: measured on 2 cores, panels of 4096
  // rows paid off for k = 64 (200000x64 @ 64x256 + epilogue: 131 -> 108 ms) and did not for
  // k = 256 (100000x256 @ 256x256: 192 vs 190-220 ms), so panels need at least 32k rows.
  return jit::produced({m, n}, result, std::move(rows), /*min_panel_rows=*/32 * k, {a, b});
}

}  // namespace

Array matmul(const Array& a_in, const Array& b_in, DType result) {
  for (int i = 0; i < 2; ++i) {
    const Array& x = i == 0 ? a_in : b_in;
    if (x.ndim() == 0) {
      throw_value_error("matmul: Input operand " + std::to_string(i) +
                        " does not have enough dimensions (has 0, gufunc core with signature "
                        "(n?,k),(k,m?)->(n?,m?) requires 1)");
    }
  }
  Array a = a_in.dtype() == result ? a_in : astype(a_in, result, MemoryOrder::C);
  Array b = b_in.dtype() == result ? b_in : astype(b_in, result, MemoryOrder::C);
  const bool a_vector = a.ndim() == 1, b_vector = b.ndim() == 1;
  // 1-D promotion as views: (k,) -> (1, k) on the left, (k, 1) on the right.
  if (a_vector) a = a.with_layout(a.offset(), {1, a.shape()[0]}, {0, a.strides()[0]});
  if (b_vector) b = b.with_layout(b.offset(), {b.shape()[0], 1}, {b.strides()[0], 0});
  const int nd_a = a.ndim(), nd_b = b.ndim();
  const int64_t m = a.shape()[nd_a - 2], k = a.shape()[nd_a - 1];
  const int64_t kb = b.shape()[nd_b - 2], n = b.shape()[nd_b - 1];
  if (k != kb) {
    throw_value_error("matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc "
                      "signature (n?,k),(k,m?)->(n?,m?) (size " + std::to_string(kb) +
                      " is different from " + std::to_string(k) + "); operand shapes " +
                      dims_text(a_in.shape()) + " and " + dims_text(b_in.shape()));
  }
  const Shape batch = broadcast_shapes({Shape(a.shape().begin(), a.shape().end() - 2),
                                        Shape(b.shape().begin(), b.shape().end() - 2)});
  if (nd_a == 2 && nd_b == 2 && !a_vector && !b_vector && is_blas_dtype(result) &&
      m * n * k >= kLazyProduct && jit::lazy_enabled()) {
    return lazy_product(a, b, result, m, n, k);
  }
  Shape full = batch;
  full.push_back(m);
  full.push_back(n);
  Array out = Array::empty(full, result);
  if (out.size() > 0) {
    if (k == 0) {
      std::memset(out.data(), 0, static_cast<size_t>(out.nbytes()));
    } else if (is_blas_dtype(result) &&
               (is_complex(result) || m * n * k > kSmallProduct || tiny_product_for_small_kernel(b, m, n))) {
      visit_dtype(result, [&](auto tag) {
        using T = decltype(tag);
        if constexpr (std::is_floating_point_v<T> || std::is_same_v<T, std::complex<float>> ||
                      std::is_same_v<T, std::complex<double>>) {
          blas_product<T>(a, b, out, batch);
        }
      });
    } else {
      loop_product(a, b, out, batch);
    }
  }
  if (!a_vector && !b_vector) return out;
  Shape shape = batch;
  if (!a_vector) shape.push_back(m);
  if (!b_vector) shape.push_back(n);
  return out.with_layout(out.offset(), shape, c_strides(shape, out.itemsize()));
}

}  // namespace numfuse::linalg
