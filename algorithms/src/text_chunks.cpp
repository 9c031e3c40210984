// MappedFile, line cuts and the batch runner of text_chunks.hpp.
#include "numfuse/algorithms/text_chunks.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

#include "numfuse/core/error.hpp"
#include "numfuse/ufuncs/parallel.hpp"

namespace numfuse::algorithms::text {

MappedFile::MappedFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(ErrorKind::Runtime, path + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    throw Error(ErrorKind::Runtime, path + ": " + std::strerror(err));
  }
  size_ = static_cast<size_t>(st.st_size);
  if (size_ > 0) {
    void* map = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    const int err = errno;
    ::close(fd);
    if (map == MAP_FAILED) throw Error(ErrorKind::Runtime, path + ": " + std::strerror(err));
    ::madvise(map, size_, MADV_WILLNEED);
    data_ = static_cast<const char*>(map);
  } else {
    ::close(fd);
  }
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
}

const char* skip_lines(const char* begin, const char* end, int64_t lines) {
  for (int64_t i = 0; i < lines && begin != end; ++i) begin = next_line_start(begin, end);
  return begin;
}

std::vector<const char*> split_at_lines(const Dialect& dialect, const char* begin, const char* end,
                                        int64_t target_bytes) {
  std::vector<const char*> cuts{begin};
  for (const char* p = begin; end - p > target_bytes;) {
    const char* nl = static_cast<const char*>(std::memchr(p + target_bytes, '\n', static_cast<size_t>(end - p - target_bytes)));
    if (nl == nullptr || nl + 1 == end) break;
    p = nl + 1;
    cuts.push_back(p);
  }
  cuts.push_back(end);
  if (dialect.quote == 0) return cuts;
  // Newlines inside quotes are text: if the text holds the quote character anywhere (looked for
  // in parallel), only a tokenizer knows which line starts are real.
  const int pieces = static_cast<int>(cuts.size()) - 1;
  std::vector<char> has_quote(static_cast<size_t>(pieces));
  ufuncs::parallel_for(pieces, [&](int i) {
    has_quote[i] = std::memchr(cuts[i], dialect.quote, static_cast<size_t>(cuts[i + 1] - cuts[i])) != nullptr;
  });
  if (std::find(has_quote.begin(), has_quote.end(), 1) == has_quote.end()) return cuts;
  cuts.assign(1, begin);
  LineTokenizer lines(dialect, begin, end);
  while (lines.next_line()) {
    if (lines.position() - cuts.back() >= target_bytes && lines.position() != end) cuts.push_back(lines.position());
  }
  cuts.push_back(end);
  return cuts;
}

void parse_in_batches(int pieces, const std::function<void(int)>& parse, const std::function<bool(int)>& more) {
  // A few pieces per thread in the first batch (an early stop or a first report comes soon),
  // twice as many in each next one up to 16 per thread: every batch ends in a wait for its
  // slowest piece, and 4 per thread made 20 such waits in a 160 MB file.
  const int threads = std::max(1, ufuncs::parallel_threads());
  int batch = 4 * threads;
  for (int done = 0; done < pieces; batch = std::min(2 * batch, 16 * threads)) {
    const int count = std::min(batch, pieces - done);
    ufuncs::parallel_for(count, [&](int t) { parse(done + t); });
    done += count;
    if (!more(done)) return;
  }
}

int parse_until_failure(int pieces, const std::function<bool(int)>& parse) {
  std::atomic<int> first_failed{pieces};
  ufuncs::parallel_for(pieces, [&](int i) {
    if (i > first_failed.load(std::memory_order_relaxed) || parse(i)) return;
    int seen = first_failed.load();
    while (i < seen && !first_failed.compare_exchange_weak(seen, i)) {
      // seen now holds the current value: retry while this piece is still the earliest failure
    }
  });
  const int failed = first_failed.load();
  return failed == pieces ? pieces : failed + 1;
}

}  // namespace numfuse::algorithms::text
