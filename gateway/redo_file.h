// File: gateway/redo_file.h
// The two file operations recovery and `--check-aof` share on the redo log: reading it whole
// and cutting it at the last good record (durably: the truncation is synced).
//
//   std::string data;  if (!ReadWholeFile(fd, &data)) ...errno...
//   if (int err = CutFile(path, good_bytes); err != 0) ...
#pragma once

#include <cstdint>
#include <string>

namespace kvgate::gateway {

// Reads everything `fd` holds; false with errno set on failure.
bool ReadWholeFile(int fd, std::string* out);
// Truncates `path` to `size` bytes and fsyncs it; 0 or the errno of the failing step.
int CutFile(const std::string& path, uint64_t size);

}  // namespace kvgate::gateway
