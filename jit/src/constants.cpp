// Scalars written in expressions (`2*a`, `b + 1`) as cached read-only 0-d arrays. A hot loop
// records the same few constants op after op; a fresh buffer and leaf node for each would cost
// more than recording the op itself.
#include <array>
#include <cstring>

#include "numfuse/jit/graph.hpp"
#include "numfuse/jit/lazy.hpp"

namespace numfuse::jit {

namespace {

struct ConstantEntry {
  DType dtype = DType::Bool;
  std::array<std::byte, 16> bytes{};
  Array array;
  NodePtr leaf;  // keeps the leaf alive, so input_node() finds it in the buffer's cache
};

constexpr size_t kConstantSlots = 32;

size_t slot_of(DType dtype, const std::byte* bytes, size_t n) {
  uint64_t h = 1469598103934665603ull ^ static_cast<uint64_t>(dtype);  // FNV-1a
  for (size_t i = 0; i < n; ++i) h = (h ^ static_cast<uint8_t>(bytes[i])) * 1099511628211ull;
  return static_cast<size_t>(h % kConstantSlots);
}

}  // namespace

Array constant(DType dtype, const void* value) {
  // Per thread: no lock, and arrays handed out are immutable, so sharing them across threads
  // later is safe.
  thread_local std::array<ConstantEntry, kConstantSlots> table;
  const size_t n = static_cast<size_t>(itemsize(dtype));
  const auto* bytes = static_cast<const std::byte*>(value);
  ConstantEntry& e = table[slot_of(dtype, bytes, n)];
  // Bitwise equality: 0.0 and -0.0, or two NaN payloads, are different constants.
  if (e.leaf && e.dtype == dtype && std::memcmp(e.bytes.data(), bytes, n) == 0) return e.array;
  Array fresh = Array::empty({}, dtype);
  std::memcpy(fresh.data(), bytes, n);
  e.dtype = dtype;
  e.bytes = {};
  std::memcpy(e.bytes.data(), bytes, n);
  e.array = Array(fresh.buffer(), 0, {}, {}, dtype, /*writeable=*/false);
  e.leaf = input_node(e.array);
  return e.array;
}

}  // namespace numfuse::jit
