#include <gtest/gtest.h>

#include <numeric>

#include "numfuse/core/error.hpp"
#include "numfuse/core/views.hpp"

namespace numfuse {
namespace {

constexpr int64_t kOpen = std::numeric_limits<int64_t>::max();
constexpr int64_t kOpenNeg = std::numeric_limits<int64_t>::min();

Array iota(const Shape& shape) {
  Array a = Array::empty(shape, DType::Int64);
  std::iota(a.data_as<int64_t>(), a.data_as<int64_t>() + a.size(), 0);
  return a;
}

int64_t at(const Array& a, std::initializer_list<int64_t> idx) {
  const std::byte* p = a.data();
  size_t d = 0;
  for (int64_t i : idx) p += i * a.strides()[d++];
  return *reinterpret_cast<const int64_t*>(p);
}

TEST(AdjustSlice, MatchesPythonSliceIndices) {
  int64_t start = kOpenNeg, stop = kOpen;
  EXPECT_EQ(adjust_slice(10, start, stop, 1), 10);
  start = kOpen; stop = kOpenNeg;
  EXPECT_EQ(adjust_slice(10, start, stop, -1), 10);
  EXPECT_EQ(start, 9);
  start = -3; stop = 100;
  EXPECT_EQ(adjust_slice(10, start, stop, 2), 2);  // 7, 9
  start = 5; stop = 2;
  EXPECT_EQ(adjust_slice(10, start, stop, 1), 0);
}

TEST(BasicIndex, SlicesIntegersNewAxisEllipsis) {
  Array a = iota({4, 5});
  Array v = basic_index(a, {IndexItem::slice(kOpen, kOpenNeg, -2), IndexItem::integer(-1)});
  ASSERT_EQ(v.shape(), (Shape{2}));
  EXPECT_EQ(at(v, {0}), 19);
  EXPECT_EQ(at(v, {1}), 9);
  EXPECT_EQ(v.buffer(), a.buffer()) << "a view shares the buffer";

  Array w = basic_index(a, {IndexItem::ellipsis(), IndexItem::new_axis(), IndexItem::integer(2)});
  EXPECT_EQ(w.shape(), (Shape{4, 1}));
  EXPECT_EQ(at(w, {3, 0}), 17);
}

TEST(BasicIndex, Errors) {
  Array a = iota({3});
  EXPECT_THROW(basic_index(a, {IndexItem::integer(3)}), Error);
  EXPECT_THROW(basic_index(a, {IndexItem::integer(0), IndexItem::integer(0)}), Error);
  EXPECT_THROW(basic_index(a, {IndexItem::ellipsis(), IndexItem::ellipsis()}), Error);
}

TEST(Reshape, ViewWhenNumpyGivesOne) {
  Array a = iota({4, 6});
  auto r = reshape_view(a, {2, -1, 3});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->shape(), (Shape{2, 4, 3}));
  // A column slice of a C array can merge its leading axes but not its last ones.
  Array cols = basic_index(a, {IndexItem::slice(kOpenNeg, kOpen, 1), IndexItem::slice(0, 4, 1)});
  EXPECT_FALSE(reshape_view(cols, {16}).has_value());
  auto split = reshape_view(cols, {2, 2, 4});
  ASSERT_TRUE(split);
  EXPECT_EQ(at(*split, {1, 1, 3}), 21);
  // The transpose of a C array reshapes to a view only when the order is preserved.
  EXPECT_FALSE(reshape_view(transpose(a), {24}).has_value());
  EXPECT_THROW(reshape_view(a, {5, -1}), Error);
  EXPECT_THROW(reshape_view(a, {-1, -1}), Error);
}

TEST(BroadcastTo, ZeroStridesAndReadOnly) {
  Array a = iota({3, 1});
  Array b = broadcast_to(a, {2, 3, 4});
  EXPECT_EQ(b.strides(), (Strides{0, 8, 0}));
  EXPECT_FALSE(b.writeable());
  EXPECT_EQ(at(b, {1, 2, 3}), 2);
  EXPECT_THROW(broadcast_to(a, {2, 4}), Error);
  EXPECT_THROW(broadcast_to(a, {3}), Error) << "fewer dimensions than the source";
}

TEST(SqueezeExpand, RoundTrip) {
  Array a = iota({1, 3, 1});
  EXPECT_EQ(squeeze(a, {}, true).shape(), (Shape{3}));
  EXPECT_EQ(squeeze(a, {-1}, false).shape(), (Shape{1, 3}));
  EXPECT_THROW(squeeze(a, {1}, false), Error);
  EXPECT_EQ(expand_dims(iota({3}), {0, -1}).shape(), (Shape{1, 3, 1}));
}

TEST(Transpose, PermutesShapeAndStrides) {
  Array a = iota({2, 3, 4});
  Array t = transpose(a, {2, 0, 1});
  EXPECT_EQ(t.shape(), (Shape{4, 2, 3}));
  EXPECT_EQ(at(t, {3, 1, 2}), at(a, {1, 2, 3}));
  EXPECT_THROW(transpose(a, {0, 0, 1}), Error);
}

}  // namespace
}  // namespace numfuse
