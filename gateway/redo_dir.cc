// File: gateway/redo_dir.cc
// The I/O thread's data directory: incr appends, rewrites and the manifest swap (redo_dir.h).
//
//   RedoDir d(dir, manifest);  d.AppendIncr(bytes);  d.BeginRewrite();  d.FinishRewrite();
#include "gateway/redo_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "gateway/redo_file.h"

namespace kvgate::gateway {

namespace {

uint64_t FileSize(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

// Starts writeback of what was appended since the last call once it is this much: the fsync
// that comes later (the everysec tick, the switch of a rewrite, the end of a base) then finds
// little left to write and does not hold the batches behind it for long (Redis's
// aof-rewrite-incremental-fsync, without waiting).
constexpr uint64_t kWritebackStep = 4ull << 20;

void StartWriteback(int fd, uint64_t size, uint64_t* started) {
  if (size - *started < kWritebackStep) return;
  (void)::sync_file_range(fd, static_cast<off_t>(*started), static_cast<off_t>(size - *started),
                          SYNC_FILE_RANGE_WRITE);
  *started = size;
}

void CloseFd(int* fd) {
  if (*fd >= 0) ::close(*fd);
  *fd = -1;
}

}  // namespace

RedoDir::RedoDir(std::string dir, Manifest manifest)
    : dir_(std::move(dir)), manifest_(std::move(manifest)) {
  uint64_t total = 0;
  for (const ManifestFile& f : manifest_.files) total += FileSize(dir_ + "/" + f.name);
  total_bytes_ = total;
  if (const ManifestFile* b = manifest_.base(); b != nullptr) {
    base_bytes_ = FileSize(dir_ + "/" + b->name);
  }
}

RedoDir::~RedoDir() {
  if (finisher_.joinable()) finisher_.join();
  AbortRewrite();
  std::lock_guard<std::mutex> lock(fd_mu_);
  CloseFd(&incr_fd_);
}

int RedoDir::OpenIncr(const std::string& name, bool create_new) {
  const std::string path = dir_ + "/" + name;
  const int flags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | (create_new ? O_TRUNC : 0);
  const int fd = ::open(path.c_str(), flags, 0644);
  if (fd < 0) return -errno;
  return fd;
}

int RedoDir::AppendIncr(std::string_view bytes) {
  if (incr_fd_ < 0) {
    if (!manifest_.files.empty()) {
      // The manifest's newest incr file (made when the manifest was, or missing if the crash
      // came first: then it is made now, and the directory synced so its name survives).
      const int fd = OpenIncr(manifest_.files.back().name, false);
      if (fd < 0) return -fd;
      {
        std::lock_guard<std::mutex> lock(fd_mu_);
        incr_fd_ = fd;
      }
      struct stat st {};
      if (::fstat(fd, &st) != 0) return errno;
      incr_bytes_ = incr_writeback_ = static_cast<uint64_t>(st.st_size);
      if (st.st_size == 0) {
        if (const int err = SyncDir(dir_); err != 0) return err;
      }
    } else {
      // The first record ever: a new incr file, named by a new manifest.
      Manifest m = manifest_;
      const uint64_t seq = m.NextSeq();
      m.files.push_back({ManifestFile::Kind::kIncr, seq, IncrFileName(seq)});
      const int fd = OpenIncr(m.files.back().name, true);
      if (fd < 0) return -fd;
      if (const int err = WriteManifest(dir_, m); err != 0) {
        ::close(fd);
        ::unlink((dir_ + "/" + m.files.back().name).c_str());
        return err;
      }
      {
        std::lock_guard<std::mutex> lock(fd_mu_);
        incr_fd_ = fd;
      }
      incr_bytes_ = incr_writeback_ = 0;
      std::lock_guard<std::mutex> lock(manifest_mu_);
      manifest_ = std::move(m);
    }
  }
  if (const int err = WriteAll(incr_fd_, bytes); err != 0) return err;
  total_bytes_ += bytes.size();
  incr_bytes_ += bytes.size();
  appended_ += bytes.size();
  StartWriteback(incr_fd_, incr_bytes_, &incr_writeback_);
  unsynced_ = true;
  return 0;
}

int RedoDir::SyncIncr() {
  if (incr_fd_ < 0 || !unsynced_) return 0;
  if (::fdatasync(incr_fd_) != 0) return errno;
  unsynced_ = false;
  return 0;
}

int RedoDir::SyncIncrInBackground() {
  int fd = -1;
  uint64_t upto = 0;
  {
    std::lock_guard<std::mutex> lock(fd_mu_);
    upto = appended_.load();
    if (incr_fd_ < 0 || upto == background_synced_.load()) return 0;
    // Its own descriptor of the same file: the I/O thread may close or switch its own.
    fd = ::fcntl(incr_fd_, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) return errno;
  }
  const int err = ::fdatasync(fd) != 0 ? errno : 0;
  ::close(fd);
  if (err == 0) background_synced_ = upto;
  return err;
}

int RedoDir::BeginRewrite() {
  // What the old incr file holds is complete and durable before records go elsewhere.
  if (const int err = SyncIncr(); err != 0) return err;
  if (finisher_.joinable()) finisher_.join();
  Manifest m = manifest_;
  const uint64_t seq = m.NextSeq();
  m.files.push_back({ManifestFile::Kind::kIncr, seq, IncrFileName(seq)});
  const ManifestFile base{ManifestFile::Kind::kBase, seq, BaseFileName(seq)};
  const std::string incr_path = dir_ + "/" + m.files.back().name;
  const std::string base_path = dir_ + "/" + base.name;
  const int fd = OpenIncr(m.files.back().name, true);
  if (fd < 0) return -fd;
  const int bfd = ::open(base_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int err = bfd < 0 ? errno : WriteManifest(dir_, m);
  if (err != 0) {
    ::close(fd);
    if (bfd >= 0) ::close(bfd);
    ::unlink(incr_path.c_str());
    ::unlink(base_path.c_str());
    return err;
  }
  {
    std::lock_guard<std::mutex> lock(fd_mu_);
    CloseFd(&incr_fd_);
    incr_fd_ = fd;
  }
  incr_bytes_ = incr_writeback_ = 0;
  older_bytes_ = total_bytes_.load();  // every file before the new incr: the rewrite drops them
  {
    std::lock_guard<std::mutex> lock(manifest_mu_);
    manifest_ = std::move(m);
  }
  base_fd_ = bfd;
  base_file_ = base;
  rewrite_base_bytes_ = base_writeback_ = 0;
  return 0;
}

int RedoDir::AppendBase(std::string_view bytes) {
  if (base_fd_ < 0) return EBADF;
  if (const int err = WriteAll(base_fd_, bytes); err != 0) return err;
  rewrite_base_bytes_ += bytes.size();
  StartWriteback(base_fd_, rewrite_base_bytes_, &base_writeback_);
  return 0;
}

void RedoDir::FinishRewrite(std::function<void(int)> done) {
  if (base_fd_ < 0) return done(EBADF);
  if (finisher_.joinable()) finisher_.join();  // the previous rewrite's, long over
  // The base's fdatasync waits for tens of megabytes to reach the disk: on a thread of its own,
  // so the batches appended meanwhile (their replies wait for them) do not wait behind it.
  const int fd = std::exchange(base_fd_, -1);
  Manifest m;
  {
    std::lock_guard<std::mutex> lock(manifest_mu_);
    m.files = {base_file_, manifest_.files.back()};
  }
  finisher_ = std::thread([this, fd, m = std::move(m), done = std::move(done)]() mutable {
    int err = ::fdatasync(fd) != 0 ? errno : 0;
    ::close(fd);
    if (err == 0) err = WriteManifest(dir_, m);
    if (err != 0) {
      ::unlink((dir_ + "/" + m.files.front().name).c_str());
      return done(err);
    }
    Manifest old;
    {
      std::lock_guard<std::mutex> lock(manifest_mu_);
      old = std::exchange(manifest_, m);
    }
    // The old base and incr files are no longer named: nothing needs them.
    for (const ManifestFile& f : old.files) {
      if (std::find(m.files.begin(), m.files.end(), f) == m.files.end()) {
        ::unlink((dir_ + "/" + f.name).c_str());
      }
    }
    base_bytes_ = rewrite_base_bytes_;
    total_bytes_ += rewrite_base_bytes_;
    total_bytes_ -= older_bytes_;
    done(0);
  });
}

void RedoDir::AbortRewrite() {
  if (base_fd_ < 0) return;
  CloseFd(&base_fd_);
  ::unlink((dir_ + "/" + base_file_.name).c_str());
}

}  // namespace kvgate::gateway
