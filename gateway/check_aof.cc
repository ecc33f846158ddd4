// File: gateway/check_aof.cc
// The --check-aof mode (check_aof.h): one redo log file, or every file a manifest lists.
//
//   kvgate --check-aof dir/kvgate-redo.log --fix
//   kvgate --check-aof dir/kvgate.manifest --fix      (or: --check-aof dir)
#include "gateway/check_aof.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include "engine/redo.h"
#include "gateway/manifest.h"
#include "gateway/redo_file.h"

namespace kvgate::gateway {
namespace {

struct FileScan {
  int error = 0;  // errno when the file could not be read
  engine::RedoScan scan;
  size_t size = 0;
};

// Reads and scans one redo file, printing "<path>: N good records in X of Y bytes" or why it
// cannot be read (nothing for a missing file when `missing_ok`).
FileScan ScanFile(const std::string& path, bool missing_ok) {
  FileScan f;
  std::string data;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || !ReadWholeFile(fd, &data)) {
    f.error = errno;
    if (fd >= 0) ::close(fd);
    if (!(missing_ok && f.error == ENOENT))
      std::printf("Cannot read %s: %s\n", path.c_str(), std::strerror(f.error));
    return f;
  }
  ::close(fd);
  f.scan = engine::ScanRedo(data, [](std::string_view, size_t) { return true; });
  f.size = data.size();
  std::printf("%s: %zu good records in %zu of %zu bytes\n", path.c_str(), f.scan.records,
              f.scan.good_bytes, f.size);
  return f;
}

const char* Damage(const engine::RedoScan& scan) {
  return scan.end == engine::RedoScan::End::kTornTail
             ? "an incomplete last record"
             : "a bad record (checksum or length) with more data after it";
}

// Cuts `path` at `size` bytes (its last good record), naming it `what` in the outcome.
int Cut(const std::string& path, size_t size, const std::string& what) {
  if (const int err = CutFile(path, size); err != 0) {
    std::printf("Failed to truncate %s: %s\n", path.c_str(), std::strerror(err));
    return 1;
  }
  std::printf("Successfully truncated %s to %zu bytes\n", what.c_str(), size);
  return 0;
}

// A single log file.
int CheckLog(const std::string& path, bool fix) {
  const FileScan f = ScanFile(path, /*missing_ok=*/false);
  if (f.error != 0) return 1;
  if (f.scan.end == engine::RedoScan::End::kClean) {
    std::printf("Redo log is valid\n");
    return 0;
  }
  std::printf("Redo log has %s at offset %zu (%zu bytes after it)\n", Damage(f.scan),
              f.scan.bad_offset, f.size - f.scan.good_bytes);
  if (!fix) {
    std::printf("Run again with --fix to cut the log at offset %zu\n", f.scan.good_bytes);
    return 1;
  }
  return Cut(path, f.scan.good_bytes, "the redo log");
}

// Every file `dir`'s manifest lists, in replay order. Only the last incr file may be cut: a
// damaged base or earlier incr file (or a missing one) fails even with --fix, and then nothing
// is cut. A missing last incr file is fine (the first write creates it).
int CheckManifest(const std::string& dir, bool fix) {
  Manifest m;
  bool exists = false;
  std::string error;
  const std::string manifest_path = dir + "/" + kManifestName;
  if (!ReadManifest(dir, &m, &exists, &error)) {
    std::printf("Bad manifest: %s\n", error.c_str());
    return 1;
  }
  if (!exists) {
    std::printf("Cannot read %s: %s\n", manifest_path.c_str(), std::strerror(ENOENT));
    return 1;
  }
  std::printf("%s: %zu files\n", manifest_path.c_str(), m.files.size());
  size_t unfixable = 0;
  std::string cut_path;  // the last incr file when it has a damaged tail
  size_t cut_at = 0;
  for (size_t i = 0; i < m.files.size(); ++i) {
    const bool last = i + 1 == m.files.size();
    const std::string path = dir + "/" + m.files[i].name;
    const FileScan f = ScanFile(path, /*missing_ok=*/last);
    if (f.error == ENOENT && last) {
      std::printf("%s: missing (the first write creates it)\n", path.c_str());
      continue;
    }
    if (f.error != 0) {
      ++unfixable;
      continue;
    }
    if (f.scan.end == engine::RedoScan::End::kClean) continue;
    if (!last) {
      std::printf("%s: bad record at offset %zu; only the last incr file can be cut\n",
                  path.c_str(), f.scan.bad_offset);
      ++unfixable;
      continue;
    }
    std::printf("%s: %s at offset %zu (%zu bytes after it)\n", path.c_str(), Damage(f.scan),
                f.scan.bad_offset, f.size - f.scan.good_bytes);
    cut_path = path;
    cut_at = f.scan.good_bytes;
  }
  if (unfixable != 0) {
    std::printf("Redo log is damaged in %zu file(s) that --fix cannot repair%s\n", unfixable,
                fix ? "; nothing was cut" : "");
    return 1;
  }
  if (cut_path.empty()) {
    std::printf("Redo log is valid\n");
    return 0;
  }
  if (!fix) {
    std::printf("Run again with --fix to cut %s at offset %zu\n", cut_path.c_str(), cut_at);
    return 1;
  }
  return Cut(cut_path, cut_at, cut_path);
}

}  // namespace

int RunCheckAof(const std::string& path, bool fix) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  const size_t slash = p.rfind('/');
  if (p.substr(slash == std::string::npos ? 0 : slash + 1) == kManifestName) {
    if (slash == std::string::npos) return CheckManifest(".", fix);
    return CheckManifest(slash == 0 ? "/" : p.substr(0, slash), fix);
  }
  struct stat st {};
  if (::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode) &&
      ::access((p + "/" + kManifestName).c_str(), F_OK) == 0)
    return CheckManifest(p, fix);
  return CheckLog(path, fix);
}

}  // namespace kvgate::gateway
