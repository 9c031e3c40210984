#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numeric>

#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/core/views.hpp"

namespace numfuse {
namespace {

template <class T>
Array iota(const Shape& shape) {
  Array a = Array::empty(shape, dtype_of<T>::value);
  std::iota(a.data_as<T>(), a.data_as<T>() + a.size(), T(0));
  return a;
}

TEST(Copy, TransposedCopyIsCContiguousWithSameValues) {
  Array a = iota<double>({3, 4});
  Array c = copy(transpose(a));
  EXPECT_TRUE(c.is_c_contiguous());
  EXPECT_EQ(c.shape(), (Shape{4, 3}));
  EXPECT_EQ(c.data_as<double>()[1], 4.0);  // element [0, 1] of a.T is a[1, 0]
}

TEST(Copy, BroadcastsAndCasts) {
  Array dst = Array::empty({2, 3}, DType::Float32);
  copy_into(dst, iota<int16_t>({3}));
  const float* d = dst.data_as<float>();
  EXPECT_EQ(d[3], 0.0f);
  EXPECT_EQ(d[5], 2.0f);
  EXPECT_THROW(copy_into(dst, iota<int16_t>({2})), Error);
}

TEST(Copy, OverlappingShiftedCopyMatchesNumpy) {
  // a[1:] = a[:-1] must read the old values (NumPy semantics), not smear a[0].
  Array a = iota<int64_t>({6});
  constexpr int64_t kOpen = std::numeric_limits<int64_t>::max();
  Array dst = basic_index(a, {IndexItem::slice(1, kOpen, 1)});
  Array src = basic_index(a, {IndexItem::slice(0, -1, 1)});
  copy_into(dst, src);
  const int64_t* p = a.data_as<int64_t>();
  for (int i = 1; i < 6; ++i) EXPECT_EQ(p[i], i - 1);
}

TEST(Copy, ReadOnlyDestinationThrows) {
  Array a = iota<double>({3});
  EXPECT_THROW(copy_into(a.as_readonly(), a), Error);
}

TEST(Cast, SpecialValues) {
  Array f = Array::empty({4}, DType::Float64);
  double* p = f.data_as<double>();
  p[0] = -2.7; p[1] = NAN; p[2] = 1e300; p[3] = 255.9;
  Array i = astype(f, DType::Int64);
  EXPECT_EQ(i.data_as<int64_t>()[0], -2);
  EXPECT_EQ(i.data_as<int64_t>()[1], std::numeric_limits<int64_t>::min());
  EXPECT_EQ(i.data_as<int64_t>()[2], std::numeric_limits<int64_t>::min());
  Array u8 = astype(f, DType::UInt8);
  EXPECT_EQ(u8.data_as<uint8_t>()[3], 255);
  Array b = astype(f, DType::Bool);
  EXPECT_TRUE(b.data_as<bool>()[1]) << "NaN is truthy";
  Array z = scalar_array({1.5, -2.0}, DType::Complex64);
  EXPECT_EQ(astype(z, DType::Float32).data_as<float>()[0], 1.5f) << "complex -> real keeps the real part";
}

}  // namespace
}  // namespace numfuse
