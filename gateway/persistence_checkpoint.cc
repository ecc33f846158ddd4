// File: gateway/persistence_checkpoint.cc
// Checkpoints on the loop's side (persistence.h, DESIGN.md "Persistence"): BGSAVE,
// BGREWRITEAOF, SAVE, the save rules and auto-aof-rewrite start one at the end of a loop pass;
// the I/O thread switches to a new incr file before any later batch, and the engine's image
// (Engine::BeginImage) is written a ~1 ms slice per pass into the new base file while clients
// go on; when it is complete the thread syncs it and swaps the manifest to {base, incr}.
//
//   persistence.StartCheckpoint(false);   // BGREWRITEAOF; EndPass does the rest
#include <chrono>
#include <ctime>
#include <thread>

#include "gateway/log.h"
#include "gateway/persistence.h"

namespace kvgate::gateway {

namespace {

// Walking time per slice: short enough that no client waits noticeably behind it. While
// clients keep the loop busy, slices take at most a quarter of its time (the rest is theirs);
// when it has nothing else to do, they follow each other.
constexpr uint64_t kWalkSliceNs = 1'000'000;
constexpr uint64_t kBusyShareDivisor = 4;
// Image bytes gathered before they go to the I/O thread, and how far it may fall behind.
constexpr size_t kImageChunkBytes = 1u << 20;
constexpr uint64_t kImageBacklogBytes = 64ull << 20;
// After a failed checkpoint, automatic ones wait this long before trying again (Redis's
// CONFIG_BGSAVE_RETRY_DELAY).
constexpr int64_t kRetryDelaySeconds = 5;

}  // namespace

translate::CheckpointStart Persistence::StartCheckpoint(bool schedule) {
  if (checkpoint_ == Checkpoint::kIdle && !checkpoint_requested_) {
    checkpoint_requested_ = true;
    return translate::CheckpointStart::kStarted;
  }
  if (!schedule) return translate::CheckpointStart::kInProgress;
  checkpoint_scheduled_ = true;
  return translate::CheckpointStart::kScheduled;
}

void Persistence::Save(engine::WriteDone done) {
  if (!writer_ || write_error_ != 0 || stopping_) {
    std::move(done)(engine::WriteResult(engine::Errc::kStorageFailed));
    return;
  }
  // Answered by a checkpoint that starts after this call, so it covers every change so far.
  save_waiters_next_.push_back(std::move(done));
  WantCheckpointAfterNow();
}

void Persistence::WantCheckpointAfterNow() {
  if (checkpoint_ == Checkpoint::kIdle) {
    checkpoint_requested_ = true;
  } else {
    checkpoint_scheduled_ = true;  // the running one began before now
  }
}

void Persistence::SetAutoRewrite(int64_t percentage, uint64_t min_size) {
  options_.auto_rewrite_percentage = percentage;
  options_.auto_rewrite_min_size = min_size;
}

void Persistence::SetSaveRules(std::vector<translate::SaveRule> rules) {
  options_.save_rules = std::move(rules);
}

void Persistence::CheckpointStep() {
  if (!writer_ || stopping_) return;
  // A bucket became a file bucket: it is durable once a checkpoint that began after it is done.
  if (engine_.TakeImageRequest()) WantCheckpointAfterNow();
  switch (checkpoint_) {
    case Checkpoint::kWalking:
      WalkSlice();
      return;
    case Checkpoint::kFinishing:
      return;
    case Checkpoint::kIdle:
      if (checkpoint_requested_ || CheckpointDue()) BeginCheckpoint();
      return;
  }
}

bool Persistence::CheckpointDue() {
  // Called every loop pass: cheap checks first, the clock only when a rule could apply.
  const uint64_t size = writer_->file_bytes();
  const int64_t pct = options_.auto_rewrite_percentage;
  // auto-aof-rewrite: the files grew by the percentage since the last checkpoint (or start).
  const uint64_t base = size_after_last_checkpoint_ == 0 ? 1 : size_after_last_checkpoint_;
  const bool by_size = pct > 0 && size >= options_.auto_rewrite_min_size && size >= base &&
                       (size - base) * 100 / base >= static_cast<uint64_t>(pct);
  bool by_rules = false;
  if (!options_.save_rules.empty()) {
    // save rules, looked at about ten times a second.
    const uint64_t now_ms = uv_now(server_.loop());
    by_rules = now_ms - last_save_check_ms_ >= 100;
    if (by_rules) last_save_check_ms_ = now_ms;
  }
  if (!by_size && !by_rules) return false;
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  if (!last_checkpoint_ok_ && now - last_checkpoint_try_unix_ < kRetryDelaySeconds) return false;
  if (by_size) return true;
  const uint64_t changes = redo_.records - records_at_last_save_;
  for (const translate::SaveRule& r : options_.save_rules) {
    if (changes >= static_cast<uint64_t>(r.changes) && now - last_save_unix_ >= r.seconds) {
      return true;
    }
  }
  return false;
}

void Persistence::BeginCheckpoint() {
  checkpoint_requested_ = false;
  // The records of this pass so far belong before the switch: they go to the old incr file.
  if (!redo_.bytes.empty()) Submit();
  writer_->BeginRewrite();
  image_.bytes.clear();
  engine_.BeginImage(&image_);
  checkpoint_ = Checkpoint::kWalking;
  checkpoint_start_ns_ = uv_hrtime();
  records_at_checkpoint_start_ = redo_.records;
  save_waiters_.swap(save_waiters_next_);
  save_waiters_next_.clear();
  if (walk_idle_ == nullptr) {
    walk_idle_ = new uv_idle_t{};
    uv_idle_init(server_.loop(), walk_idle_);
    uv_unref(reinterpret_cast<uv_handle_t*>(walk_idle_));
  }
  // The loop must keep turning while the image is written, with or without clients.
  uv_idle_start(walk_idle_, [](uv_idle_t*) {});
  KVGATE_LOG(kInfo, "checkpoint started (files %llu bytes)",
             static_cast<unsigned long long>(writer_->file_bytes()));
  WalkSlice();
}

void Persistence::WalkSlice() {
  if (writer_->base_queued_bytes() > kImageBacklogBytes) return;  // the disk is behind
  const uint64_t start = uv_hrtime();
  const bool clients = server_.reads() != reads_at_last_slice_;
  if (clients && start < next_slice_ns_) return;
  const uint64_t until = start + kWalkSliceNs;
  bool done = false;
  do {
    done = engine_.ContinueImage(256);
  } while (!done && uv_hrtime() < until);
  const uint64_t end = uv_hrtime();
  next_slice_ns_ = end + (end - start) * (kBusyShareDivisor - 1);
  reads_at_last_slice_ = server_.reads();
  if (done || image_.bytes.size() >= kImageChunkBytes) {
    writer_->SubmitBase(std::move(image_.bytes));
    image_.bytes = std::string();
  }
  if (!done) return;
  writer_->FinishRewrite();
  checkpoint_ = Checkpoint::kFinishing;
  uv_idle_stop(walk_idle_);
}

void Persistence::FinishCheckpointNow() {
  if (write_error_ != 0) return EndCheckpointWalk();
  if (engine_.TakeImageRequest()) checkpoint_scheduled_ = true;
  if (checkpoint_ == Checkpoint::kFinishing && checkpoint_scheduled_) {
    // Another is due (a bucket became a file bucket after this one began): let this one end.
    while (checkpoint_ == Checkpoint::kFinishing && write_error_ == 0) {
      writer_->Poll();
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  if (checkpoint_ == Checkpoint::kIdle && (checkpoint_requested_ || checkpoint_scheduled_)) {
    checkpoint_scheduled_ = false;
    BeginCheckpoint();
  }
  if (checkpoint_ != Checkpoint::kWalking) return;
  while (!engine_.ContinueImage(1u << 20)) {
  }
  writer_->SubmitBase(std::move(image_.bytes));
  image_.bytes = std::string();
  writer_->FinishRewrite();
  checkpoint_ = Checkpoint::kFinishing;
  if (walk_idle_ != nullptr) uv_idle_stop(walk_idle_);
}

void Persistence::EndCheckpointWalk() {
  if (checkpoint_ != Checkpoint::kWalking) return;
  engine_.AbortImage();
  writer_->AbortRewrite();
  OnCheckpointEnd(ECANCELED);
}

void Persistence::OnCheckpointEnd(int error) {
  if (checkpoint_ == Checkpoint::kIdle) return;
  if (checkpoint_ == Checkpoint::kWalking) engine_.AbortImage();  // the thread gave up on it
  if (walk_idle_ != nullptr) uv_idle_stop(walk_idle_);
  image_.bytes = std::string();
  checkpoint_ = Checkpoint::kIdle;
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  last_checkpoint_seconds_ =
      static_cast<int64_t>((uv_hrtime() - checkpoint_start_ns_) / 1'000'000'000);
  last_checkpoint_ok_ = error == 0;
  checkpoint_failures_in_a_row_ = error == 0 ? 0 : checkpoint_failures_in_a_row_ + 1;
  last_checkpoint_try_unix_ = now;
  if (error == 0) {
    ++checkpoints_done_;
    last_save_unix_ = now;
    records_at_last_save_ = records_at_checkpoint_start_;
    size_after_last_checkpoint_ = writer_ ? writer_->file_bytes() : 0;
    KVGATE_LOG(kInfo, "checkpoint done: base %llu bytes, files %llu bytes",
               static_cast<unsigned long long>(writer_ ? writer_->base_bytes() : 0),
               static_cast<unsigned long long>(size_after_last_checkpoint_));
  }
  std::vector<engine::WriteDone> waiters;
  waiters.swap(save_waiters_);
  for (engine::WriteDone& done : waiters) {
    std::move(done)(error == 0 ? engine::WriteResult(uint64_t{0})
                               : engine::WriteResult(engine::Errc::kStorageFailed));
  }
  if (checkpoint_scheduled_) {
    checkpoint_scheduled_ = false;
    checkpoint_requested_ = true;
  }
}

}  // namespace kvgate::gateway
