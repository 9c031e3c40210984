#include <gtest/gtest.h>

#include "numfuse/core/error.hpp"
#include "numfuse/core/shape.hpp"

namespace numfuse {
namespace {

TEST(Shape, SizeAndOverflow) {
  EXPECT_EQ(shape_size({}), 1);
  EXPECT_EQ(shape_size({2, 3, 4}), 24);
  EXPECT_EQ(shape_size({2, 0, 4}), 0);
  EXPECT_THROW(shape_size({-1}), Error);
  EXPECT_THROW(shape_size({int64_t{1} << 40, int64_t{1} << 40}), Error);
  EXPECT_THROW(checked_nbytes({int64_t{1} << 61}, 8), Error);
}

TEST(Shape, ContiguousStrides) {
  EXPECT_EQ(c_strides({2, 3, 4}, 8), (Strides{96, 32, 8}));
  EXPECT_EQ(f_strides({2, 3, 4}, 8), (Strides{8, 16, 48}));
  EXPECT_TRUE(is_c_contiguous({2, 3}, {24, 8}, 8));
  EXPECT_FALSE(is_c_contiguous({2, 3}, {8, 16}, 8));
  EXPECT_TRUE(is_f_contiguous({2, 3}, {8, 16}, 8));
  // Length-1 dimensions do not constrain contiguity, empty arrays are contiguous.
  EXPECT_TRUE(is_c_contiguous({1, 3}, {12345, 8}, 8));
  EXPECT_TRUE(is_c_contiguous({0, 3}, {7, 7}, 8));
}

TEST(Shape, Broadcasting) {
  EXPECT_EQ(broadcast_shapes({{3, 1}, {4}}), (Shape{3, 4}));
  EXPECT_EQ(broadcast_shapes({{}, {2, 3}}), (Shape{2, 3}));
  EXPECT_EQ(broadcast_shapes({{0, 1}, {1, 5}}), (Shape{0, 5}));
  try {
    broadcast_shapes({{3}, {4}});
    FAIL() << "expected a broadcast error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Value);
    EXPECT_NE(std::string(e.what()).find("(3,) (4,)"), std::string::npos);
  }
}

TEST(Shape, NormalizeAxis) {
  EXPECT_EQ(normalize_axis(-1, 3), 2);
  EXPECT_EQ(normalize_axis(0, 1), 0);
  EXPECT_THROW(normalize_axis(3, 3), Error);
  EXPECT_THROW(normalize_axis(-4, 3), Error);
}

TEST(Shape, ByteExtentWithNegativeStrides) {
  ByteExtent e = byte_extent({3}, {-8}, 8);
  EXPECT_EQ(e.lo, -16);
  EXPECT_EQ(e.hi, 8);
  e = byte_extent({2, 0}, {8, 8}, 8);
  EXPECT_EQ(e.hi - e.lo, 0);
}

}  // namespace
}  // namespace numfuse
