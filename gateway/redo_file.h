// File: gateway/redo_file.h
// The file operations the data directory's readers and writers share (recovery, `--check-aof`,
// the manifest, the I/O thread): reading a file whole, writing a buffer whole, cutting a file
// at its last good record (durably: the truncation is synced) and syncing a directory.
//
//   std::string data;  if (!ReadWholeFile(fd, &data)) ...errno...
//   if (int err = WriteAll(fd, bytes); err != 0) ...
//   if (int err = CutFile(path, good_bytes); err != 0) ...
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kvgate::gateway {

// Reads everything `fd` holds; false with errno set on failure.
bool ReadWholeFile(int fd, std::string* out);
// Writes all of `bytes` to `fd` (retrying on EINTR); 0 or errno.
int WriteAll(int fd, std::string_view bytes);
// fsyncs the directory `dir` (a file created or renamed in it survives a power loss); 0 or errno.
int SyncDir(const std::string& dir);
// Truncates `path` to `size` bytes and fsyncs it; 0 or the errno of the failing step.
int CutFile(const std::string& path, uint64_t size);

}  // namespace kvgate::gateway
