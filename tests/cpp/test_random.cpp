// The bit generator and samplers below the Python layer: determinism, seed mixing, bounds of
// Lemire's method at the edges of uint64, and samplers honoring strided outputs.
#include <gtest/gtest.h>

#include <set>

#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/core/random.hpp"
#include "numfuse/core/views.hpp"

namespace numfuse {
namespace {

TEST(BitGenerator, SameSeedSameStreamAndSeedsDiffer) {
  BitGenerator a({42}), b({42}), c({43}), d({42, 0});
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.next(), b.next());
  BitGenerator e({42});
  const uint64_t first = e.next();
  EXPECT_NE(first, c.next());
  EXPECT_NE(first, d.next());
}

TEST(BitGenerator, ZeroSeedGivesNonZeroState) {
  BitGenerator g(std::vector<uint64_t>{0});
  bool any = false;
  for (uint64_t w : g.state()) any |= w != 0;
  EXPECT_TRUE(any);
}

TEST(BitGenerator, BoundedStaysInRangeAtTheEdges) {
  BitGenerator g({7});
  for (uint64_t range : {uint64_t{0}, uint64_t{1}, uint64_t{6}, (uint64_t{1} << 63) + 5,
                         UINT64_MAX - 1, UINT64_MAX}) {
    for (int i = 0; i < 2000; ++i) EXPECT_LE(g.next_bounded(range), range);
  }
  std::set<uint64_t> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(g.next_bounded(2));
  EXPECT_EQ(seen.size(), 3u);  // all of 0, 1, 2 appear
}

TEST(BitGenerator, UnitFloatsAreHalfOpen) {
  BitGenerator g({1});
  for (int i = 0; i < 100000; ++i) {
    const double d = g.next_double();
    const float f = g.next_float();
    ASSERT_TRUE(d >= 0.0 && d < 1.0);
    ASSERT_TRUE(f >= 0.0f && f < 1.0f);
  }
}

TEST(Samplers, FillStridedViewsOnly) {
  BitGenerator g({3});
  Array base = Array::empty({6, 4}, DType::Int16);
  fill(base, scalar_array_int(-1, DType::Int16));
  Array view = basic_index(base, {IndexItem::slice(0, 6, 2), IndexItem::slice(3, INT64_MIN, -2)});
  fill_integers(g, view, static_cast<uint64_t>(int64_t{10}), 5);
  const auto* p = base.data_as<int16_t>();
  for (int r = 0; r < 6; ++r) {
    for (int c = 0; c < 4; ++c) {
      const bool selected = r % 2 == 0 && c % 2 == 1;
      if (selected) EXPECT_TRUE(p[r * 4 + c] >= 10 && p[r * 4 + c] <= 15);
      else EXPECT_EQ(p[r * 4 + c], -1);
    }
  }
}

TEST(Samplers, RejectWrongDtypesAndReadOnlyOutputs) {
  BitGenerator g({3});
  EXPECT_THROW(fill_random(g, Array::empty({3}, DType::Int32)), Error);
  EXPECT_THROW(fill_integers(g, Array::empty({3}, DType::Float64), 0, 1), Error);
  EXPECT_THROW(fill_random(g, Array::empty({3}, DType::Float64).as_readonly()), Error);
  Array loc = scalar_array(0.0, DType::Float64);
  Array bad_scale = Array::empty({2}, DType::Float64);
  EXPECT_THROW(fill_normal(g, Array::empty({3}, DType::Float64), loc, bad_scale), Error);  // no broadcast
}

}  // namespace
}  // namespace numfuse
