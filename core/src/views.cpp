#include "numfuse/core/views.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "numfuse/core/error.hpp"
#include "numfuse/core/shape_limits.hpp"

namespace numfuse {

int64_t adjust_slice(int64_t length, int64_t& start, int64_t& stop, int64_t step) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  auto clamp = [&](int64_t v, bool is_start) {
    bool unbounded = is_start ? (step > 0 ? v == kMin : v == kMax) : (step > 0 ? v == kMax : v == kMin);
    if (unbounded) {
      if (is_start) return step > 0 ? int64_t{0} : length - 1;
      return step > 0 ? length : int64_t{-1};
    }
    if (v < 0) {
      v += length;
      if (v < 0) v = step < 0 ? -1 : 0;
    } else if (v >= length) {
      v = step < 0 ? length - 1 : length;
    }
    return v;
  };
  start = clamp(start, true);
  stop = clamp(stop, false);
  if (step < 0) return stop < start ? (start - stop - 1) / (-step) + 1 : 0;
  return start < stop ? (stop - start - 1) / step + 1 : 0;
}

Array basic_index(const Array& a, const std::vector<IndexItem>& index) {
  using K = IndexItem::Kind;
  int consumed = 0;
  int ellipses = 0;
  for (const auto& it : index) {
    if (it.kind == K::Integer || it.kind == K::Slice) ++consumed;
    if (it.kind == K::Ellipsis) ++ellipses;
  }
  if (ellipses > 1) throw_index_error("an index can only have a single ellipsis ('...')");
  if (consumed > a.ndim()) {
    throw_index_error("too many indices for array: array is " + std::to_string(a.ndim()) +
                      "-dimensional, but " + std::to_string(consumed) + " were indexed");
  }
  Shape shape;
  Strides strides;
  int64_t offset = a.offset();
  int dim = 0;
  auto take_rest = [&](int upto) {
    for (; dim < upto; ++dim) {
      shape.push_back(a.shape()[dim]);
      strides.push_back(a.strides()[dim]);
    }
  };
  for (const auto& it : index) {
    switch (it.kind) {
      case K::Ellipsis:
        take_rest(dim + (a.ndim() - consumed));
        break;
      case K::NewAxis:
        shape.push_back(1);
        strides.push_back(0);
        break;
      case K::Integer: {
        int64_t n = a.shape()[dim];
        int64_t i = it.index;
        if (i < -n || i >= n) {
          throw_index_error("index " + std::to_string(i) + " is out of bounds for axis " +
                            std::to_string(dim) + " with size " + std::to_string(n));
        }
        if (i < 0) i += n;
        offset += i * a.strides()[dim];
        ++dim;
        break;
      }
      case K::Slice: {
        int64_t start = it.start, stop = it.stop;
        int64_t len = adjust_slice(a.shape()[dim], start, stop, it.step);
        if (len > 0) offset += start * a.strides()[dim];
        shape.push_back(len);
        strides.push_back(a.strides()[dim] * it.step);
        ++dim;
        break;
      }
    }
  }
  take_rest(a.ndim());
  if (static_cast<int>(shape.size()) > kMaxDims) {
    throw_index_error("number of dimensions must be within [0, " + std::to_string(kMaxDims) + "]");
  }
  return a.with_layout(offset, std::move(shape), std::move(strides));
}

Array transpose(const Array& a, const std::vector<int>& axes) {
  const int nd = a.ndim();
  if (static_cast<int>(axes.size()) != nd) throw_value_error("axes don't match array");
  uint64_t seen = 0;  // a bit per axis (kMaxDims <= 64)
  Shape shape(nd);
  Strides strides(nd);
  for (int i = 0; i < nd; ++i) {
    int ax = normalize_axis(axes[i], nd);
    if (seen >> ax & 1) throw_value_error("repeated axis in transpose");
    seen |= uint64_t(1) << ax;
    shape[i] = a.shape()[ax];
    strides[i] = a.strides()[ax];
  }
  return a.with_layout(a.offset(), std::move(shape), std::move(strides));
}

Array transpose(const Array& a) {  // a.T: called per attribute read, so without an axes vector
  Shape shape(a.shape().rbegin(), a.shape().rend());
  Strides strides(a.strides().rbegin(), a.strides().rend());
  return a.with_layout(a.offset(), std::move(shape), std::move(strides));
}

namespace {

// NumPy's spelling of a requested shape in reshape errors: no spaces, the unknown dim "newaxis".
std::string requested_shape(const Shape& shape) {
  std::string out = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) out += ",";
    out += shape[i] < 0 ? std::string("newaxis") : std::to_string(shape[i]);
  }
  if (shape.size() == 1) out += ",";
  return out + ")";
}

}  // namespace

// As NumPy, any negative dimension asks for inference (not only -1).
Shape resolve_reshape(const Shape& from, Shape to) {
  check_ndim(to.size());
  int64_t size = shape_size(from);
  int unknown = -1;
  int64_t known = 1;
  bool overflow = false;
  for (size_t i = 0; i < to.size(); ++i) {
    if (to[i] < 0) {
      if (unknown >= 0) throw_value_error("can only specify one unknown dimension");
      unknown = static_cast<int>(i);
    } else if (__builtin_mul_overflow(known, to[i], &known)) {
      overflow = true;
    }
  }
  if (overflow) {
    throw_value_error("array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.");
  }
  auto mismatch = [&] {
    throw_value_error("cannot reshape array of size " + std::to_string(size) + " into shape " +
                      requested_shape(to));
  };
  if (unknown >= 0) {
    if (known == 0 || size % known != 0) mismatch();
    to[unknown] = size / known;
  } else if (known != size) {
    mismatch();
  }
  return to;
}

// NumPy's _attempt_nocopy_reshape (C order): groups of old axes that are contiguous among
// themselves map onto groups of new axes with the same element count.
std::optional<Array> reshape_view(const Array& a, Shape shape) {
  Shape newshape = resolve_reshape(a.shape(), std::move(shape));
  const int isz = a.itemsize();
  if (a.size() == 0 || a.is_c_contiguous()) {
    return a.with_layout(a.offset(), newshape, c_strides(newshape, isz));
  }
  Shape olddims;
  Strides oldstrides;
  for (int i = 0; i < a.ndim(); ++i) {
    if (a.shape()[i] != 1) {
      olddims.push_back(a.shape()[i]);
      oldstrides.push_back(a.strides()[i]);
    }
  }
  const int oldnd = static_cast<int>(olddims.size());
  const int newnd = static_cast<int>(newshape.size());
  Strides newstrides(newnd, 0);
  int oi = 0, oj = 1, ni = 0, nj = 1;
  while (ni < newnd && oi < oldnd) {
    int64_t np_ = newshape[ni];
    int64_t op = olddims[oi];
    while (np_ != op) {
      if (np_ < op) np_ *= newshape[nj++];
      else op *= olddims[oj++];
    }
    for (int ok = oi; ok < oj - 1; ++ok) {
      if (oldstrides[ok] != olddims[ok + 1] * oldstrides[ok + 1]) return std::nullopt;
    }
    newstrides[nj - 1] = oldstrides[oj - 1];
    for (int nk = nj - 1; nk > ni; --nk) newstrides[nk - 1] = newstrides[nk] * newshape[nk];
    ni = nj++;
    oi = oj++;
  }
  // Trailing new dimensions of length 1 get the stride of the last element.
  int64_t last = ni >= 1 ? newstrides[ni - 1] : isz;
  for (int nk = ni; nk < newnd; ++nk) newstrides[nk] = last;
  return a.with_layout(a.offset(), newshape, newstrides);
}

Array broadcast_to(const Array& a, const Shape& shape) {
  const int nd = static_cast<int>(shape.size());
  auto compact = [](const Shape& s) {  // NumPy prints "(2,3)  and" in this message
    std::string out = "(";
    for (size_t i = 0; i < s.size(); ++i) {
      if (i) out += ',';
      out += std::to_string(s[i]);
    }
    return out + (s.size() == 1 ? ",)" : ")");
  };
  auto fail = [&] {
    throw_value_error("operands could not be broadcast together with remapped shapes [original->remapped]: " +
                      compact(a.shape()) + "  and requested shape " + compact(shape));
  };
  if (nd < a.ndim()) throw_value_error("input operand has more dimensions than allowed by the axis remapping");
  for (int64_t d : shape) if (d < 0) throw_value_error("all elements of broadcast shape must be non-negative");
  Strides strides(nd, 0);
  int lead = nd - a.ndim();
  for (int i = 0; i < a.ndim(); ++i) {
    int64_t have = a.shape()[i], want = shape[lead + i];
    if (have == want) strides[lead + i] = a.strides()[i];
    else if (have == 1) strides[lead + i] = 0;
    else fail();
  }
  return a.with_layout(a.offset(), shape, strides).as_readonly();
}

Array squeeze(const Array& a, const std::vector<int64_t>& axes, bool all) {
  std::vector<bool> drop(a.ndim(), false);
  if (all) {
    for (int i = 0; i < a.ndim(); ++i) drop[i] = a.shape()[i] == 1;
  } else {
    for (int64_t ax : axes) {
      int i = normalize_axis(ax, a.ndim());
      if (drop[i]) throw_value_error("duplicate value in 'axis'");
      if (a.shape()[i] != 1) {
        throw_value_error("cannot select an axis to squeeze out which has size not equal to one");
      }
      drop[i] = true;
    }
  }
  Shape shape;
  Strides strides;
  for (int i = 0; i < a.ndim(); ++i) {
    if (!drop[i]) {
      shape.push_back(a.shape()[i]);
      strides.push_back(a.strides()[i]);
    }
  }
  return a.with_layout(a.offset(), std::move(shape), std::move(strides));
}

Array expand_dims(const Array& a, const std::vector<int64_t>& axes) {
  const int nd = a.ndim() + static_cast<int>(axes.size());
  std::vector<bool> is_new(nd, false);
  for (int64_t ax : axes) {
    int i = normalize_axis(ax, nd);
    if (is_new[i]) throw_value_error("repeated axis");
    is_new[i] = true;
  }
  Shape shape;
  Strides strides;
  int src = 0;
  for (int i = 0; i < nd; ++i) {
    if (is_new[i]) {
      shape.push_back(1);
      strides.push_back(0);
    } else {
      shape.push_back(a.shape()[src]);
      strides.push_back(a.strides()[src]);
      ++src;
    }
  }
  return a.with_layout(a.offset(), std::move(shape), std::move(strides));
}

}  // namespace numfuse
