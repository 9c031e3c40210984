// The on-disk kernel cache: object files of native kernels under NUMFUSE_CACHE_DIR (default
// $XDG_CACHE_HOME/numfuse, else ~/.cache/numfuse; an empty NUMFUSE_CACHE_DIR turns it off), keyed
// by the kernel's serialisation + the CPU compiled for + the module ABI. An entry is written to a
// temporary file and renamed into place (concurrent processes never see half a file); an entry
// whose header, key or checksum does not match (truncated, corrupt, another version) is ignored
// and rewritten; a directory that cannot be written (read-only, full) just means no caching.
#pragma once

#include <optional>
#include <string>

namespace numfuse::jit::native {

std::optional<std::string> read_cached_object(const std::string& key);
void write_cached_object(const std::string& key, const std::string& object);

}  // namespace numfuse::jit::native
