// File: gateway/check_aof.cc
// The --check-aof mode (check_aof.h).
//
//   kvgate --check-aof dir/kvgate-redo.log --fix
#include "gateway/check_aof.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include "engine/redo.h"
#include "gateway/redo_file.h"

namespace kvgate::gateway {

int RunCheckAof(const std::string& path, bool fix) {
  std::string data;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || !ReadWholeFile(fd, &data)) {
    std::printf("Cannot read %s: %s\n", path.c_str(), std::strerror(errno));
    if (fd >= 0) ::close(fd);
    return 1;
  }
  ::close(fd);
  const engine::RedoScan scan =
      engine::ScanRedo(data, [](std::string_view, size_t) { return true; });
  std::printf("%s: %zu good records in %zu of %zu bytes\n", path.c_str(), scan.records,
              scan.good_bytes, data.size());
  if (scan.end == engine::RedoScan::End::kClean) {
    std::printf("Redo log is valid\n");
    return 0;
  }
  const char* what = scan.end == engine::RedoScan::End::kTornTail
                         ? "an incomplete last record"
                         : "a bad record (checksum or length) with more data after it";
  std::printf("Redo log has %s at offset %zu (%zu bytes after it)\n", what, scan.bad_offset,
              data.size() - scan.good_bytes);
  if (!fix) {
    std::printf("Run again with --fix to cut the log at offset %zu\n", scan.good_bytes);
    return 1;
  }
  if (const int err = CutFile(path, scan.good_bytes); err != 0) {
    std::printf("Failed to truncate %s: %s\n", path.c_str(), std::strerror(err));
    return 1;
  }
  std::printf("Successfully truncated the redo log to %zu bytes\n", scan.good_bytes);
  return 0;
}

}  // namespace kvgate::gateway
