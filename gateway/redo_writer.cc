// File: gateway/redo_writer.cc
// The redo log's I/O thread (redo_writer.h).
//
//   RedoWriter w(loop, FsyncPolicy::kAlways, on_done);  w.Start(fd, size);  w.Submit(bytes);
#include "gateway/redo_writer.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

#include "gateway/log.h"

namespace kvgate::gateway {

std::string_view FsyncPolicyName(FsyncPolicy policy) {
  switch (policy) {
    case FsyncPolicy::kAlways:
      return "always";
    case FsyncPolicy::kEverySec:
      return "everysec";
    case FsyncPolicy::kNo:
      return "no";
  }
  return "everysec";
}

bool ParseFsyncPolicy(std::string_view name, FsyncPolicy* policy) {
  for (FsyncPolicy p : {FsyncPolicy::kAlways, FsyncPolicy::kEverySec, FsyncPolicy::kNo}) {
    if (name == FsyncPolicyName(p)) {
      *policy = p;
      return true;
    }
  }
  return false;
}

RedoWriter::RedoWriter(uv_loop_t* loop, FsyncPolicy policy,
                       std::function<void(uint64_t, int)> on_done)
    : policy_(policy), on_done_(std::move(on_done)) {
  async_ = new uv_async_t{};
  async_->data = this;
  uv_async_init(loop, async_, OnAsync);
  // It must not keep the loop alive: a SIGTERM ends the loop, and Stop() reports the rest.
  uv_unref(reinterpret_cast<uv_handle_t*>(async_));
}

RedoWriter::~RedoWriter() {
  Stop();
  async_->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(async_),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_async_t*>(h); });
}

void RedoWriter::Start(std::string path, std::string dir, uint64_t file_bytes) {
  path_ = std::move(path);
  dir_ = std::move(dir);
  file_bytes_ = file_bytes;
  thread_ = std::thread([this] { Run(); });
}

std::string RedoWriter::TakeBuffer() {
  std::lock_guard<std::mutex> lock(mu_);
  if (spare_.empty()) return {};
  std::string b = std::move(spare_.back());
  spare_.pop_back();
  return b;
}

void RedoWriter::FollowLoopCpu() {
  // The writer runs on the CPU the loop runs on: handing a batch over is then a switch on one
  // CPU rather than waking another (an inter-processor interrupt, slow in a VM), and the loop
  // waits for the batch anyway. Measured: +10% SET -P 1, 2x NATS sync puts on 2 vCPUs.
  const int cpu = sched_getcpu();
  if (cpu < 0 || cpu == writer_cpu_ || cpu >= CPU_SETSIZE) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (pthread_setaffinity_np(thread_.native_handle(), sizeof set, &set) == 0) writer_cpu_ = cpu;
}

uint64_t RedoWriter::Submit(std::string bytes) {
  FollowLoopCpu();
  uint64_t seq;
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(bytes));
    seq = ++queued_seq_;
  }
  cv_.notify_one();
  return seq;
}

void RedoWriter::SetPolicy(FsyncPolicy policy) {
  policy_ = policy;
  cv_.notify_one();
}

void RedoWriter::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  OnAsync(async_);  // report the last rounds now: the loop may not run again
}

int RedoWriter::OpenFile() {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) return errno;
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return errno;
  if (st.st_size == 0) {
    const int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return errno;
    const int rc = ::fsync(dfd);
    const int err = errno;
    ::close(dfd);
    if (rc != 0) return err;
  }
  return 0;
}

int RedoWriter::WriteAll(const std::vector<std::string>& round) {
  if (fd_ < 0) {
    if (const int err = OpenFile(); err != 0) return err;
  }
  for (const std::string& bytes : round) {
    size_t off = 0;
    while (off < bytes.size()) {
      const ssize_t n = ::write(fd_, bytes.data() + off, bytes.size() - off);
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno;
      }
      off += static_cast<size_t>(n);
      file_bytes_ += static_cast<uint64_t>(n);
    }
  }
  return 0;
}

int RedoWriter::Sync() {
  if (::fdatasync(fd_) != 0) return errno;
  last_fsync_unix_ = static_cast<int64_t>(std::time(nullptr));
  ++fsyncs_;
  return 0;
}

void RedoWriter::Run() {
  using Clock = std::chrono::steady_clock;
  Clock::time_point last_sync = Clock::now();
  bool unsynced = false;
  std::vector<std::string> round;
  for (;;) {
    uint64_t seq;
    bool stopping;
    {
      std::unique_lock<std::mutex> lock(mu_);
      // everysec wakes at least once a second to sync what the last second wrote.
      cv_.wait_for(lock, std::chrono::milliseconds(250),
                   [&] { return !queue_.empty() || stopping_; });
      round.swap(queue_);
      seq = queued_seq_;
      stopping = stopping_;
    }
    const FsyncPolicy policy = policy_.load();
    int err = error_.load();
    if (err == 0 && !round.empty()) {
      err = WriteAll(round);
      unsynced = true;
    }
    if (err == 0 && unsynced) {
      const bool due =
          policy == FsyncPolicy::kAlways || stopping ||
          (policy == FsyncPolicy::kEverySec && Clock::now() - last_sync >= std::chrono::seconds(1));
      if (due) {
        err = Sync();
        last_sync = Clock::now();
        unsynced = false;
      }
    }
    const bool wrote = !round.empty();
    {
      // The written buffers go back to the loop for reuse (no allocation per batch, and no
      // freeing on this thread of memory the loop allocated).
      std::lock_guard<std::mutex> lock(mu_);
      for (std::string& b : round) {
        if (spare_.size() < 4 && b.capacity() <= (4u << 20)) {
          b.clear();
          spare_.push_back(std::move(b));
        }
      }
    }
    round.clear();
    if (err != 0 && error_.load() == 0) {
      error_ = err;
      KVGATE_LOG(kError, "redo log: %s; writes to file buckets are refused from now on",
                 std::strerror(err));
    }
    if (err == 0) done_seq_ = seq;
    if (wrote || err != 0) uv_async_send(async_);
    if (stopping) return;
  }
}

void RedoWriter::OnAsync(uv_async_t* handle) {
  auto* self = static_cast<RedoWriter*>(handle->data);
  if (self == nullptr) return;
  const uint64_t seq = self->done_seq_.load();
  const int err = self->error_.load();
  if (seq == self->reported_seq_ && err == self->reported_error_) return;
  self->reported_seq_ = seq;
  self->reported_error_ = err;
  self->on_done_(seq, err);
}

}  // namespace kvgate::gateway
