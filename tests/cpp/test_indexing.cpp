#include <gtest/gtest.h>

#include <cstring>
#include <numeric>

#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/core/indexing.hpp"
#include "numfuse/core/views.hpp"

namespace numfuse {
namespace {

Array iota(const Shape& shape, DType dtype = DType::Int64) {
  Array a = Array::empty(shape, DType::Int64);
  std::iota(a.data_as<int64_t>(), a.data_as<int64_t>() + a.size(), 0);
  return dtype == DType::Int64 ? a : astype(a, dtype);
}

Array int_array(std::vector<int64_t> values, DType dtype = DType::Int64) {
  Array a = Array::empty({static_cast<int64_t>(values.size())}, DType::Int64);
  std::memcpy(a.data(), values.data(), values.size() * sizeof(int64_t));
  return dtype == DType::Int64 ? a : astype(a, dtype);
}

// The values of any int64 array in C order.
std::vector<int64_t> values(const Array& a) {
  Array c = copy(a);
  return std::vector<int64_t>(c.data_as<int64_t>(), c.data_as<int64_t>() + c.size());
}

TEST(GatherBytes, ContiguousAndStridedSubArrays) {
  std::vector<int64_t> src(12);
  std::iota(src.begin(), src.end(), 0);
  auto* base = reinterpret_cast<const std::byte*>(src.data());
  // Rows 2 and 0 of a 3x4 matrix: contiguous sub-arrays, copied as blocks.
  std::vector<int64_t> out(8);
  std::vector<int64_t> rows{2 * 32, 0};
  gather_bytes(base, rows, {4}, {8}, 8, reinterpret_cast<std::byte*>(out.data()));
  EXPECT_EQ(out, (std::vector<int64_t>{8, 9, 10, 11, 0, 1, 2, 3}));
  // Columns 3 and 1: strided sub-arrays, copied element by element.
  std::vector<int64_t> cols{3 * 8, 1 * 8};
  std::vector<int64_t> out2(6);
  gather_bytes(base, cols, {3}, {32}, 8, reinterpret_cast<std::byte*>(out2.data()));
  EXPECT_EQ(out2, (std::vector<int64_t>{3, 7, 11, 1, 5, 9}));
}

TEST(ScatterBytes, RepeatedPositionKeepsLastWrite) {
  std::vector<int32_t> dst(4, 0);
  std::vector<int32_t> vals{10, 20, 30};
  std::vector<int64_t> at{4, 4, 12};
  scatter_bytes(reinterpret_cast<std::byte*>(dst.data()), at, {}, {}, 4,
                reinterpret_cast<const std::byte*>(vals.data()));
  EXPECT_EQ(dst, (std::vector<int32_t>{0, 20, 0, 30}));
}

TEST(IndexOffsets, NegativeIndicesAndBroadcasting) {
  Array a = iota({3, 4});
  FancyIndex idx{{0, 1}, {int_array({-1, 0}), int_array({2})}, {0, 1}, 0};
  IndexOffsets off = index_offsets(a, idx);
  EXPECT_EQ(off.shape, (Shape{2}));
  EXPECT_EQ(off.offsets, (std::vector<int64_t>{2 * 32 + 16, 16}));
}

TEST(IndexOffsets, OutOfBoundsNamesAxisAndSize) {
  Array a = iota({3, 4});
  FancyIndex idx{{1}, {int_array({4})}, {1}, 0};
  try {
    index_offsets(a, idx);
    FAIL() << "expected IndexError";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Index);
    EXPECT_STREQ(e.what(), "index 4 is out of bounds for axis 1 with size 4");
  }
}

TEST(IndexOffsets, ShapeMismatchIsIndexError) {
  Array a = iota({3, 4});
  FancyIndex idx{{0, 1}, {int_array({0, 1}), int_array({0, 1, 2})}, {0, 1}, 0};
  try {
    index_offsets(a, idx);
    FAIL() << "expected IndexError";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Index);
    EXPECT_NE(std::string(e.what()).find("(2,) (3,)"), std::string::npos);
  }
}

TEST(IndexOffsets, FloatIndicesAreRefused) {
  Array a = iota({3});
  FancyIndex idx{{0}, {astype(int_array({0}), DType::Float64)}, {0}, 0};
  EXPECT_THROW(index_offsets(a, idx), Error);
}

TEST(Gather, PlacesIndexDimsLikeNumPy) {
  Array a = iota({2, 3, 4});
  // a[:, [2, 0]] -> shape (2, 2, 4), index dims kept in place (insert_at = 1).
  Array r = gather(a, FancyIndex{{1}, {int_array({2, 0}, DType::UInt8)}, {1}, 1});
  EXPECT_EQ(r.shape(), (Shape{2, 2, 4}));
  EXPECT_EQ(values(r), (std::vector<int64_t>{8, 9, 10, 11, 0, 1, 2, 3,
                                             20, 21, 22, 23, 12, 13, 14, 15}));
  // NumPy's layout: index dims first in memory, then moved into place.
  EXPECT_EQ(r.strides(), (Strides{32, 64, 8}));
  // a[[1, 0], :, [3, 3]] -> index dims go first: shape (2, 3).
  Array s = gather(a, FancyIndex{{0, 2}, {int_array({1, 0}), int_array({3, 3})}, {0, 2}, 0});
  EXPECT_EQ(s.shape(), (Shape{2, 3}));
  EXPECT_EQ(values(s), (std::vector<int64_t>{15, 19, 23, 3, 7, 11}));
}

TEST(Gather, WorksThroughNegativeStrides) {
  Array a = iota({6});
  Array rev = basic_index(a, {IndexItem::slice(INT64_MAX, INT64_MIN, -2)});  // 5, 3, 1
  Array r = gather(rev, FancyIndex{{0}, {int_array({0, 2, -1})}, {0}, 0});
  EXPECT_EQ(values(r), (std::vector<int64_t>{5, 1, 1}));
}

TEST(Scatter, BroadcastsAndCastsValues) {
  Array a = iota({3, 2});
  // a[[2, 0]] = 7.9 (float -> int truncates)
  scatter(a, FancyIndex{{0}, {int_array({2, 0})}, {0}, 0}, scalar_array(7.9, DType::Float64));
  EXPECT_EQ(values(a), (std::vector<int64_t>{7, 7, 2, 3, 7, 7}));
  // a[:, [1]] = [[10], [20], [30]]
  Array v = iota({3, 1});
  scatter(a, FancyIndex{{1}, {int_array({1})}, {1}, 1}, v);
  EXPECT_EQ(values(a), (std::vector<int64_t>{7, 0, 2, 1, 7, 2}));
}

TEST(Scatter, ValuesAliasingTheTargetAreReadFirst) {
  Array a = iota({4});
  // a[[1, 2, 3]] = a[0:3] must use the old values.
  Array src = basic_index(a, {IndexItem::slice(0, 3, 1)});
  scatter(a, FancyIndex{{0}, {int_array({1, 2, 3})}, {0}, 0}, src);
  EXPECT_EQ(values(a), (std::vector<int64_t>{0, 0, 1, 2}));
}

TEST(Scatter, RejectsReadOnlyAndBadValueShape) {
  Array a = iota({3});
  FancyIndex idx{{0}, {int_array({0, 1})}, {0}, 0};
  EXPECT_THROW(scatter(a.as_readonly(), idx, scalar_array_int(1, DType::Int64)), Error);
  try {
    scatter(a, idx, iota({3}));
    FAIL() << "expected ValueError";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Value);
    EXPECT_STREQ(e.what(),
                 "shape mismatch: value array of shape (3,) could not be broadcast to indexing "
                 "result of shape (2,)");
  }
}

TEST(Nonzero, CoordinatesInCOrderForEveryKind) {
  Array a = astype(iota({2, 3}), DType::Float32);
  // Make a transposed (non-contiguous) view: elements 0..5 as a 3x2.
  Array t = transpose(a);
  std::vector<Array> nz = nonzero(t);
  ASSERT_EQ(nz.size(), 2u);
  // t = [[0, 3], [1, 4], [2, 5]]: non-zero at (0,1), (1,0), (1,1), (2,0), (2,1).
  EXPECT_EQ(values(nz[0]), (std::vector<int64_t>{0, 1, 1, 2, 2}));
  EXPECT_EQ(values(nz[1]), (std::vector<int64_t>{1, 0, 1, 0, 1}));
  EXPECT_EQ(count_nonzero(t), 5);
  EXPECT_EQ(count_nonzero(astype(iota({4}), DType::Bool)), 3);
  EXPECT_EQ(count_nonzero(astype(iota({4}), DType::Complex128)), 3);
  EXPECT_THROW(nonzero(scalar_array_int(1, DType::Int64)), Error);
}

TEST(Nonzero, EmptyAndAllZero) {
  std::vector<Array> nz = nonzero(iota({0, 3}));
  ASSERT_EQ(nz.size(), 2u);
  EXPECT_EQ(nz[0].size(), 0);
  Array zeros = astype(iota({1}), DType::Bool);  // [False]
  EXPECT_EQ(nonzero(zeros)[0].size(), 0);
}

}  // namespace
}  // namespace numfuse

namespace numfuse {
namespace {

Array bool_array(std::vector<int> bits, const Shape& shape) {
  Array m = Array::empty(shape, DType::Bool);
  for (size_t i = 0; i < bits.size(); ++i) m.data_as<uint8_t>()[i] = static_cast<uint8_t>(bits[i]);
  return m;
}

TEST(MaskGather, SelectsInCOrderThroughAnyLayout) {
  Array a = transpose(iota({3, 2}));  // [[0, 2, 4], [1, 3, 5]]
  Array mask = transpose(bool_array({1, 0, 0, 1, 1, 1}, {3, 2}));  // [[1, 0, 1], [0, 1, 1]]
  Array r = mask_gather(a, mask);
  EXPECT_EQ(r.shape(), (Shape{4}));
  EXPECT_EQ(values(r), (std::vector<int64_t>{0, 4, 3, 5}));
  EXPECT_EQ(mask_gather(a, bool_array({0, 0, 0, 0, 0, 0}, {2, 3})).size(), 0);
}

TEST(MaskScatter, BroadcastsOneValueOrTakesOnePerTrueEntry) {
  Array a = iota({2, 3});
  Array mask = bool_array({1, 0, 1, 0, 0, 1}, {2, 3});
  mask_scatter(a, mask, scalar_array(-1.5, DType::Float64));  // cast: -1.5 -> -1
  EXPECT_EQ(values(a), (std::vector<int64_t>{-1, 1, -1, 3, 4, -1}));
  mask_scatter(a, mask, int_array({7, 8, 9}));
  EXPECT_EQ(values(a), (std::vector<int64_t>{7, 1, 8, 3, 4, 9}));
  mask_scatter(a, bool_array({1, 1, 1, 1, 1, 1}, {2, 3}), scalar_array_int(0, DType::Int64));
  EXPECT_EQ(values(a), (std::vector<int64_t>(6, 0)));
}

TEST(MaskScatter, ValuesAliasingTheTargetAreReadFirst) {
  Array a = iota({4});
  Array mask = bool_array({0, 1, 1, 1}, {4});
  mask_scatter(a, mask, basic_index(a, {IndexItem::slice(0, 3, 1)}));
  EXPECT_EQ(values(a), (std::vector<int64_t>{0, 0, 1, 2}));
}

TEST(MaskScatter, RejectsWrongValueCountsShapesAndReadOnly) {
  Array a = iota({4});
  Array mask = bool_array({1, 1, 0, 1}, {4});
  EXPECT_THROW(mask_scatter(a, mask, int_array({1, 2})), Error);                 // 2 for 3
  EXPECT_THROW(mask_scatter(a, mask, iota({3, 1})), Error);                      // 2-d values
  EXPECT_THROW(mask_scatter(a.as_readonly(), mask, int_array({1})), Error);
  EXPECT_THROW(mask_gather(a, bool_array({1, 0}, {2})), Error);                  // mask shape
  EXPECT_THROW(mask_gather(a, iota({4})), Error);                                // not boolean
}

}  // namespace
}  // namespace numfuse
