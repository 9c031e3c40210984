// The bit generators and samplers below the Python layer: NumPy's known answers for SeedSequence,
// PCG64 and MT19937 (the Python tests compare everything else with NumPy directly), PCG64's
// jump-ahead, the threaded fill agreeing with the sequential one, and output checks.
#include <gtest/gtest.h>

#include "numfuse/core/copy.hpp"
#include "numfuse/core/error.hpp"
#include "numfuse/core/random.hpp"
#include "numfuse/core/views.hpp"

namespace numfuse {
namespace {

Pcg64 numpy_pcg64(uint32_t seed) {  // PCG64(SeedSequence(seed)) as NumPy builds it
  const std::vector<uint32_t> words = seed_sequence_generate(seed_sequence_pool({seed}, 4), 8);
  std::vector<uint64_t> seed_words(4);
  for (int i = 0; i < 4; ++i) seed_words[i] = words[2 * i] | (uint64_t{words[2 * i + 1]} << 32);
  return Pcg64(seed_words);
}

TEST(Pcg64, MatchesNumpysFirstWords) {
  // np.random.PCG64(12345).random_raw(3) with NumPy 2.x.
  Pcg64 g = numpy_pcg64(12345);
  EXPECT_EQ(g.next64(), 4193609425186963869ull);
  EXPECT_EQ(g.next64(), 5843160025838961886ull);
  EXPECT_EQ(g.next64(), 14708796524633321433ull);
}

TEST(Pcg64, AdvanceEqualsStepping) {
  Pcg64 stepped = numpy_pcg64(7), jumped = numpy_pcg64(7);
  for (int i = 0; i < 1000; ++i) stepped.next64();
  jumped.advance(1000);
  EXPECT_EQ(stepped.next64(), jumped.next64());
}

TEST(Pcg64, HalfWordsComeLowFirst) {
  Pcg64 whole = numpy_pcg64(3), halves = numpy_pcg64(3);
  const uint64_t word = whole.next64();
  EXPECT_EQ(halves.next32(), static_cast<uint32_t>(word));
  EXPECT_EQ(halves.next32(), static_cast<uint32_t>(word >> 32));
}

TEST(Pcg64, InterleavedFillEqualsOneWordAtATime) {
  for (int64_t n : {0, 1, 3, 4, 5, 1001}) {
    Pcg64 lanes = numpy_pcg64(5), single = numpy_pcg64(5);
    std::vector<double> filled(static_cast<size_t>(n));
    lanes.fill_doubles(filled.data(), n);
    for (int64_t i = 0; i < n; ++i) ASSERT_EQ(filled[i], single.next_double()) << n << " " << i;
    EXPECT_EQ(lanes.next64(), single.next64());
  }
}

TEST(Mt19937, MatchesTheReferenceOutput) {
  Mt19937 g(5489);  // Matsumoto & Nishimura's default seed: first output 3499211612
  EXPECT_EQ(g.next32(), 3499211612u);
  Mt19937 a(1);
  a.seed_array({0x123, 0x234, 0x345, 0x456});  // mt19937ar.c's init_by_array test: 1067595299 first
  EXPECT_EQ(a.next32(), 1067595299u);
}

TEST(Samplers, ThreadedRandomFillEqualsSequential) {
  auto run_inline = [](int tasks, void (*task)(void*, int), void* context) {
    for (int t = tasks - 1; t >= 0; --t) task(context, t);  // any order must give the same values
  };
  const int64_t n = (int64_t{1} << 19) + 5;
  Array split = Array::empty({n}, DType::Float64), plain = Array::empty({n}, DType::Float64);
  Pcg64 a = numpy_pcg64(9), b = numpy_pcg64(9);
  fill_random(a, split, run_inline);
  fill_random(b, plain, nullptr);
  for (int64_t i = 0; i < n; ++i) ASSERT_EQ(split.data_as<double>()[i], plain.data_as<double>()[i]);
  EXPECT_EQ(a.next64(), b.next64());
}

TEST(Samplers, RejectWrongDtypesReadOnlyAndStridedOutputs) {
  Pcg64 g = numpy_pcg64(3);
  EXPECT_THROW(fill_random(g, Array::empty({3}, DType::Int32)), Error);
  EXPECT_THROW(fill_integers(g, Array::empty({3}, DType::Float64), 0, 1, false), Error);
  EXPECT_THROW(fill_random(g, Array::empty({3}, DType::Float64).as_readonly()), Error);
  Array base = Array::empty({6, 4}, DType::Float64);
  EXPECT_THROW(fill_random(g, basic_index(base, {IndexItem::slice(0, 6, 2)})), Error);
  Array loc = scalar_array(0.0, DType::Float64);
  Array bad_scale = Array::empty({2}, DType::Float64);
  EXPECT_THROW(fill_normal(g, Array::empty({3}, DType::Float64), loc, bad_scale), Error);  // no broadcast
}

}  // namespace
}  // namespace numfuse
