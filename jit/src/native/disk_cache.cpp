#include "disk_cache.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace numfuse::jit::native {

namespace {

constexpr char kMagic[8] = {'N', 'F', 'K', 'O', 'B', 'J', '0', '1'};

uint64_t fnv1a(const char* data, size_t size) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < size; ++i) {
    h ^= static_cast<unsigned char>(data[i]);
    h *= 1099511628211ull;
  }
  return h;
}

std::filesystem::path cache_directory() {
  if (const char* dir = std::getenv("NUMFUSE_CACHE_DIR")) return dir;  // "" turns caching off
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::filesystem::path(xdg) / "numfuse";
  if (const char* home = std::getenv("HOME"); home && *home) return std::filesystem::path(home) / ".cache" / "numfuse";
  return {};
}

std::filesystem::path entry_path(const std::filesystem::path& dir, const std::string& key) {
  char name[32];
  std::snprintf(name, sizeof name, "%016llx.nfk", static_cast<unsigned long long>(fnv1a(key.data(), key.size())));
  return dir / name;
}

void put_u64(std::string& s, uint64_t v) {
  for (int b = 0; b < 8; ++b) s.push_back(static_cast<char>((v >> (8 * b)) & 0xff));
}

bool get_u64(const std::string& s, size_t& at, uint64_t& v) {
  if (s.size() < at + 8) return false;
  v = 0;
  for (int b = 0; b < 8; ++b) v |= static_cast<uint64_t>(static_cast<unsigned char>(s[at + b])) << (8 * b);
  at += 8;
  return true;
}

}  // namespace

std::optional<std::string> read_cached_object(const std::string& key) {
  const std::filesystem::path dir = cache_directory();
  if (dir.empty()) return std::nullopt;
  std::ifstream in(entry_path(dir, key), std::ios::binary);
  if (!in) return std::nullopt;
  const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t at = sizeof kMagic;
  uint64_t key_size = 0, object_size = 0, checksum = 0;
  if (file.size() < at || std::memcmp(file.data(), kMagic, sizeof kMagic) != 0) return std::nullopt;
  if (!get_u64(file, at, key_size) || file.size() - at < key_size) return std::nullopt;
  if (file.compare(at, key_size, key) != 0 || key_size != key.size()) return std::nullopt;  // another kernel
  at += key_size;
  if (!get_u64(file, at, object_size) || !get_u64(file, at, checksum)) return std::nullopt;
  if (file.size() - at != object_size) return std::nullopt;  // truncated or padded
  if (fnv1a(file.data() + at, object_size) != checksum) return std::nullopt;  // corrupt
  return file.substr(at);
}

void write_cached_object(const std::string& key, const std::string& object) {
  const std::filesystem::path dir = cache_directory();
  if (dir.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return;
  std::string file(kMagic, sizeof kMagic);
  put_u64(file, key.size());
  file += key;
  put_u64(file, object.size());
  put_u64(file, fnv1a(object.data(), object.size()));
  file += object;
  static std::atomic<int> counter{0};
  const std::filesystem::path target = entry_path(dir, key);
  std::filesystem::path temporary = target;
  temporary += "." + std::to_string(getpid()) + "." + std::to_string(counter++) + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return;
    out.write(file.data(), static_cast<std::streamsize>(file.size()));
    out.flush();
    if (!out) {  // a full disk
      out.close();
      std::filesystem::remove(temporary, ec);
      return;
    }
  }
  std::filesystem::rename(temporary, target, ec);
  if (ec) std::filesystem::remove(temporary, ec);
}

}  // namespace numfuse::jit::native
