// File: gateway/redo_writer.cc
// The redo log's I/O thread (redo_writer.h).
//
//   RedoWriter w(loop, FsyncPolicy::kAlways, on_done);  w.Start(dir, manifest);  w.Submit(bytes);
#include "gateway/redo_writer.h"

#include <pthread.h>
#include <sched.h>
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
                       std::function<void(uint64_t, int)> on_done,
                       std::function<void(int)> on_rewrite_end)
    : policy_(policy), on_done_(std::move(on_done)), on_rewrite_end_(std::move(on_rewrite_end)) {
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

void RedoWriter::Start(std::string dir, Manifest manifest) {
  dir_ = std::make_unique<RedoDir>(std::move(dir), std::move(manifest));
  thread_ = std::thread([this] { Run(); });
  syncer_ = std::thread([this] { RunSyncer(); });
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
  // While an image is written the thread has megabytes to write: bound to the loop's CPU it
  // would take that CPU from the loop for whole time slices (10 ms stalls measured at 1M keys).
  // It runs wherever the scheduler puts it until the rewrite is over.
  if (rewriting_) {
    if (writer_cpu_ != -1) {
      cpu_set_t all;
      if (sched_getaffinity(0, sizeof all, &all) == 0 &&
          pthread_setaffinity_np(thread_.native_handle(), sizeof all, &all) == 0) {
        writer_cpu_ = -1;
      }
    }
    return;
  }
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
    queue_.push_back({Item::Kind::kBatch, std::move(bytes)});
    seq = ++queued_seq_;
  }
  cv_.notify_one();
  return seq;
}

bool RedoWriter::WriteNow(std::string_view bytes, uint64_t* seq, int* error) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!queue_.empty() || thread_busy_ || stopping_ || policy_.load() != FsyncPolicy::kAlways) {
    return false;
  }
  *seq = ++queued_seq_;
  int err = error_.load();
  if (err == 0) err = dir_->AppendIncr(bytes);
  if (err == 0) err = Sync();
  if (err == 0) {
    done_seq_ = *seq;
    reported_seq_ = *seq;  // the caller reports it
  } else if (error_.load() == 0) {
    error_ = err;
    reported_error_ = err;
    KVGATE_LOG(kError, "redo log: %s; writes to file buckets are refused from now on",
               std::strerror(err));
  }
  *error = err;
  return true;
}

void RedoWriter::Queue(Item item) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(item));
  }
  cv_.notify_one();
}

void RedoWriter::BeginRewrite() {
  rewriting_ = true;
  FollowLoopCpu();
  Queue({Item::Kind::kBeginRewrite, {}});
}

void RedoWriter::SubmitBase(std::string bytes) {
  base_queued_bytes_ += bytes.size();
  Queue({Item::Kind::kBase, std::move(bytes)});
}

void RedoWriter::FinishRewrite() {
  Queue({Item::Kind::kFinishRewrite, {}});
}

void RedoWriter::AbortRewrite() {
  rewriting_ = false;
  Queue({Item::Kind::kAbortRewrite, {}});
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
  syncer_cv_.notify_one();
  thread_.join();
  syncer_.join();
  dir_.reset();     // closes the files (a rewrite not finished leaves no base behind)
  OnAsync(async_);  // report the last rounds now: the loop may not run again
}

int RedoWriter::Sync() {
  if (const int err = dir_->SyncIncr(); err != 0) return err;
  last_fsync_unix_ = static_cast<int64_t>(std::time(nullptr));
  ++fsyncs_;
  return 0;
}

void RedoWriter::EndRewrite(int error) {
  rewrite_error_ = error;
  ++rewrites_ended_;
  if (error != 0) {
    KVGATE_LOG(kWarning, "redo log rewrite failed: %s (the old files stand)", std::strerror(error));
  }
}

int RedoWriter::Process(std::vector<Item>& round) {
  for (Item& item : round) {
    switch (item.kind) {
      case Item::Kind::kBatch:
        if (const int err = dir_->AppendIncr(item.bytes); err != 0) return err;
        break;
      case Item::Kind::kBeginRewrite:
        if (const int err = dir_->BeginRewrite(); err != 0) EndRewrite(err);
        break;
      case Item::Kind::kBase:
        base_queued_bytes_ -= item.bytes.size();
        // A rewrite that failed already ignores the rest of its image.
        if (!dir_->rewriting()) break;
        if (const int err = dir_->AppendBase(item.bytes); err != 0) {
          dir_->AbortRewrite();
          EndRewrite(err);
        }
        std::string().swap(item.bytes);  // image buffers are not recycled
        break;
      case Item::Kind::kFinishRewrite:
        if (dir_->rewriting()) {
          dir_->FinishRewrite([this](int err) {
            EndRewrite(err);
            uv_async_send(async_);
          });
        }
        break;
      case Item::Kind::kAbortRewrite:
        dir_->AbortRewrite();
        break;
    }
  }
  return 0;
}

void RedoWriter::RunSyncer() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (syncer_cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_; })) return;
    }
    if (policy_.load() != FsyncPolicy::kEverySec || error_.load() != 0) continue;
    const int err = dir_->SyncIncrInBackground();
    if (err == 0) {
      last_fsync_unix_ = static_cast<int64_t>(std::time(nullptr));
      ++fsyncs_;
      continue;
    }
    int none = 0;
    if (error_.compare_exchange_strong(none, err)) {
      KVGATE_LOG(kError, "redo log: fdatasync: %s; writes to file buckets are refused from now on",
                 std::strerror(err));
      uv_async_send(async_);
    }
  }
}

void RedoWriter::Run() {
  std::vector<Item> round;
  for (;;) {
    uint64_t seq;
    bool stopping;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      round.swap(queue_);
      seq = queued_seq_;
      stopping = stopping_;
      thread_busy_ = true;
    }
    const FsyncPolicy policy = policy_.load();
    const uint64_t ended = rewrites_ended_.load();
    int err = error_.load();
    if (err == 0 && !round.empty()) err = Process(round);
    // always: the round is covered by one fdatasync (group commit); a stop syncs what is left.
    // everysec is the syncer's (RunSyncer).
    if (err == 0 && dir_->unsynced() && (policy == FsyncPolicy::kAlways || stopping)) {
      err = Sync();
    }
    const bool wrote = !round.empty();
    {
      // The written batches go back to the loop for reuse (no allocation per batch, and no
      // freeing on this thread of memory the loop allocated).
      std::lock_guard<std::mutex> lock(mu_);
      thread_busy_ = false;
      for (Item& item : round) {
        std::string& b = item.bytes;
        if (item.kind == Item::Kind::kBatch && spare_.size() < 4 && b.capacity() <= (4u << 20)) {
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
    if (wrote || err != 0 || rewrites_ended_.load() != ended) uv_async_send(async_);
    if (stopping) return;
  }
}

void RedoWriter::OnAsync(uv_async_t* handle) {
  auto* self = static_cast<RedoWriter*>(handle->data);
  if (self == nullptr) return;
  const uint64_t ended = self->rewrites_ended_.load();
  if (ended != self->reported_rewrites_) {
    self->reported_rewrites_ = ended;
    self->rewriting_ = false;
    if (self->on_rewrite_end_) self->on_rewrite_end_(self->rewrite_error_.load());
  }
  const uint64_t seq = self->done_seq_.load();
  const int err = self->error_.load();
  if (seq == self->reported_seq_ && err == self->reported_error_) return;
  self->reported_seq_ = seq;
  self->reported_error_ = err;
  self->on_done_(seq, err);
}

}  // namespace kvgate::gateway
