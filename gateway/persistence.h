// File: gateway/persistence.h
// The data directory on the loop's side (DESIGN.md "Persistence"): recovery of the redo files
// its manifest names, the RedoBuffer the engine logs into, the end-of-pass hand-off of each
// pass's records to the I/O thread (RedoWriter), releasing held output when a batch is
// durable, and checkpoints (persistence_checkpoint.cc: the engine's image written in slices
// per loop pass into a new base file while records go to a new incr file). A write or fsync
// error refuses further writes to file buckets (Engine::RefuseWrites) and closes the
// connections whose output waited for the failed batch, so nothing it held is ever reported
// as done.
//
//   Persistence p(server, engine, {.dir = "/var/lib/kvgate", .fsync = FsyncPolicy::kAlways});
//   if (!p.BeginLoading(&err)) { log(err); return 1; }   // then open the listeners
//   server.Run();          // replays in slices (clients get -LOADING), then logs changes
//   p.Stop();
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/redo.h"
#include "gateway/manifest.h"
#include "gateway/redo_writer.h"
#include "gateway/server.h"
#include "translate/persistence_control.h"

namespace kvgate::gateway {

struct PersistenceOptions {
  std::string dir = ".";
  FsyncPolicy fsync = FsyncPolicy::kEverySec;
  int64_t auto_rewrite_percentage = 100;
  uint64_t auto_rewrite_min_size = 64ull << 20;
  std::vector<translate::SaveRule> save_rules;
};

struct RecoveryStats {
  uint64_t records = 0;
  uint64_t bytes = 0;
  uint64_t cut_bytes = 0;  // a torn tail that was cut off
  double seconds = 0;
};

class Persistence final : public translate::PersistenceControl {
 public:
  Persistence(Server& server, engine::Engine& engine, PersistenceOptions options);
  ~Persistence() override;
  Persistence(const Persistence&) = delete;
  Persistence& operator=(const Persistence&) = delete;

  // Reads the log of the data directory (creating the directory if it is missing) and
  // starts replaying it into the engine in slices of a few milliseconds per loop iteration,
  // while fronts refuse data commands (loading()) and the store gets no Tick. When the replay
  // is done, logging starts and `on_loaded` runs. A torn last record is cut off and logged; a
  // bad record with data after it, or one that does not apply, is logged with the file name
  // and offset and stops the server (load_failed()).
  bool BeginLoading(std::string* error, std::function<void()> on_loaded = {});
  bool load_failed() const {
    return load_failed_;
  }
  // Hands what is still pending to the I/O thread (drop_pending: drops it instead: SHUTDOWN
  // NOSAVE inside a busy script, whose changes were never acknowledged), waits for the thread
  // and stops logging.
  void Stop(bool drop_pending = false);

  void SetFsync(FsyncPolicy policy);
  // translate::PersistenceControl
  translate::PersistenceInfo Info() const override;
  bool loading() const override {
    return loading_;
  }
  bool SetFsync(std::string_view policy) override;
  const PersistenceOptions& options() const {
    return options_;
  }
  translate::CheckpointStart StartCheckpoint(bool schedule) override;
  void Save(engine::WriteDone done) override;
  void SetAutoRewrite(int64_t percentage, uint64_t min_size) override;
  void SetSaveRules(std::vector<translate::SaveRule> rules) override;
  const RecoveryStats& recovery() const {
    return recovery_;
  }
  // 0 or the errno that stopped the log.
  int write_error() const {
    return write_error_;
  }
  const RedoWriter* writer() const {
    return writer_.get();
  }
  uint64_t records_logged() const {
    return redo_.records;
  }

 private:
  void EndPass();
  void Submit();
  void OnDurable(uint64_t seq, int error);
  // Starts the I/O thread on the data directory and the engine's logging.
  void Start();
  // Reads the next file to replay into load_data_; false with *error when it cannot.
  bool LoadNextFile(std::string* error);
  // Replays records for about `budget_ns`; false when the replay is over (done or failed).
  bool ReplaySlice(uint64_t budget_ns, std::string* error);
  // The end of a file was reached: only the last one may have a torn tail (cut off); a bad
  // record anywhere else is corruption.
  bool FinishFile(const engine::RedoScan& scan, std::string* error);
  void FinishReplay();
  // Checkpoints (persistence_checkpoint.cc), run from EndPass.
  void CheckpointStep();
  // A checkpoint must begin after this moment: requested now, or scheduled after the running one.
  void WantCheckpointAfterNow();
  bool CheckpointDue();
  void BeginCheckpoint();
  void WalkSlice();
  void OnCheckpointEnd(int error);
  void EndCheckpointWalk();
  // Stopping: the image in progress (and one a pending bucket asks for) is written at once.
  void FinishCheckpointNow();
  static void OnLoadIdle(uv_idle_t* handle);
  void CloseLoadIdle();

  Server& server_;
  engine::Engine& engine_;
  PersistenceOptions options_;
  engine::RedoBuffer redo_;
  std::unique_ptr<RedoWriter> writer_;
  RecoveryStats recovery_;
  Manifest manifest_;  // as recovery found it
  // Checkpoints.
  enum class Checkpoint : uint8_t { kIdle, kWalking, kFinishing };
  Checkpoint checkpoint_ = Checkpoint::kIdle;
  bool checkpoint_requested_ = false;  // start one at the end of this pass
  bool checkpoint_scheduled_ = false;  // start another when this one ends
  engine::RedoBuffer image_;
  std::vector<engine::WriteDone> save_waiters_;       // SAVEs the running checkpoint answers
  std::vector<engine::WriteDone> save_waiters_next_;  // SAVEs for the next one to start
  uv_idle_t* walk_idle_ = nullptr;  // heap: closed asynchronously; keeps the loop turning
  uint64_t checkpoint_start_ns_ = 0;
  uint64_t next_slice_ns_ = 0;  // while clients keep the loop busy, no slice before it
  uint64_t reads_at_last_slice_ = 0;
  uint64_t records_at_checkpoint_start_ = 0;
  uint64_t records_at_last_save_ = 0;
  int64_t last_save_unix_ = 0;
  uint64_t last_save_check_ms_ = 0;
  uint64_t size_after_last_checkpoint_ = 0;
  uint64_t checkpoints_done_ = 0;
  bool last_checkpoint_ok_ = true;
  uint64_t checkpoint_failures_in_a_row_ = 0;
  int64_t last_checkpoint_seconds_ = -1;
  int64_t last_checkpoint_try_unix_ = 0;
  int write_error_ = 0;
  bool stopping_ = false;
  // Loading state: the files to replay, the one being replayed (its bytes, the offset replayed
  // so far) and the bytes of those done.
  std::vector<std::string> load_files_;
  size_t load_index_ = 0;
  std::string load_path_;
  std::string load_data_;
  size_t load_pos_ = 0;
  uint64_t load_total_bytes_ = 0;
  uint64_t load_done_bytes_ = 0;
  bool loading_ = false;
  bool load_failed_ = false;
  int64_t load_start_unix_ = 0;
  uint64_t load_start_ns_ = 0;
  std::function<void()> on_loaded_;
  uv_idle_t* load_idle_ = nullptr;  // heap: closed asynchronously
};

}  // namespace kvgate::gateway
