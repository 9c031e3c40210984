// Text input in pieces: a memory-mapped file, cuts at line starts, and the batch runner that
// parses the pieces in parallel. The cuts depend only on the text, so results never depend on
// the thread count.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "numfuse/algorithms/text_tokenize.hpp"

namespace numfuse::algorithms::text {

// A whole file mapped read-only (an empty file maps nothing).
class MappedFile {
 public:
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  const char* begin() const { return data_; }
  const char* end() const { return data_ + size_; }

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
};

// The start of the line after the first `lines` lines of [begin, end) (end if fewer).
const char* skip_lines(const char* begin, const char* end, int64_t lines);

// Cuts [begin, end) into pieces of about `target_bytes`, each starting at a line start that is not
// inside quotes: the boundaries, begin first and end last.
std::vector<const char*> split_at_lines(const Dialect& dialect, const char* begin, const char* end,
                                        int64_t target_bytes);

// parse(c) for every piece c in [0, pieces), a batch of pieces at a time on the parallel runner;
// after each batch, more(pieces_done) says whether to go on (false: stop early).
void parse_in_batches(int pieces, const std::function<void(int)>& parse, const std::function<bool(int)>& more);

// parse(c) for every piece c in [0, pieces) on the parallel runner in one go, for callers with
// nothing to do between batches (no batch ends waiting for its slowest piece); parse returns
// false when its piece failed, and pieces after a failed one are then skipped. Returns how many
// pieces to look at: up to and including the first failed one, or all.
int parse_until_failure(int pieces, const std::function<bool(int)>& parse);

}  // namespace numfuse::algorithms::text
