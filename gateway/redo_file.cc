// File: gateway/redo_file.cc
// Reading and cutting the redo log file (redo_file.h).
//
//   CutFile("/data/kvgate-redo.log", 4096);
#include "gateway/redo_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace kvgate::gateway {

bool ReadWholeFile(int fd, std::string* out) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return false;
  out->resize(static_cast<size_t>(st.st_size));
  size_t off = 0;
  while (off < out->size()) {
    const ssize_t n = ::pread(fd, out->data() + off, out->size() - off, static_cast<off_t>(off));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) {  // shorter than fstat said (cut meanwhile): what is there
      out->resize(off);
      return true;
    }
    off += static_cast<size_t>(n);
  }
  return true;
}

int CutFile(const std::string& path, uint64_t size) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  int err = 0;
  if (::ftruncate(fd, static_cast<off_t>(size)) != 0 || ::fsync(fd) != 0) err = errno;
  ::close(fd);
  return err;
}

}  // namespace kvgate::gateway
