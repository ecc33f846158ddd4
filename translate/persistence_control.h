// File: translate/persistence_control.h
// What a front may see and change of the data directory's redo log (Redis INFO persistence,
// CONFIG SET appendfsync / save / auto-aof-rewrite-*, BGSAVE, BGREWRITEAOF, SAVE). The gateway
// implements it; fronts hold a pointer that may be null (a server without persistence,
// in-process tests). A checkpoint writes a new base file (an image of every file bucket) and
// starts a new incr file: Redis's snapshot and its AOF rewrite are the same thing here.
//
//   PersistenceInfo i = control->Info();   // aof_last_write_status, aof_current_size, ...
//   control->SetFsync("always");           // CONFIG SET appendfsync always
//   control->StartCheckpoint(false);       // BGREWRITEAOF
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/store.h"

namespace kvgate::translate {

struct PersistenceInfo {
  std::string dir;
  std::string fsync;        // "always", "everysec" or "no"
  int write_error = 0;      // errno that stopped the log (0: none)
  uint64_t log_bytes = 0;   // bytes the log file holds
  uint64_t base_bytes = 0;  // bytes it held at startup (after recovery)
  uint64_t changes = 0;     // records logged since startup
  uint64_t fsyncs = 0;      // fdatasyncs done since startup
  int64_t last_fsync_unix = 0;
  uint64_t recovered_records = 0;
  double recovery_seconds = 0;
  bool loading = false;
  uint64_t loading_bytes_total = 0;  // size of the log being replayed
  uint64_t loading_bytes_done = 0;   // replayed so far
  int64_t loading_start_unix = 0;
  // Checkpoints (base + incr rewrite).
  bool checkpoint_in_progress = false;
  bool checkpoint_scheduled = false;
  uint64_t checkpoints = 0;  // completed since startup
  bool last_checkpoint_ok = true;
  uint64_t checkpoint_failures_in_a_row = 0;  // aof_rewrites_consecutive_failures
  int64_t last_checkpoint_seconds = -1;       // how long the last one took (-1: none yet)
  int64_t current_checkpoint_seconds = -1;
  int64_t last_save_unix = 0;       // the last completed checkpoint (or startup)
  uint64_t changes_since_save = 0;  // records logged since the last checkpoint began
};

// `save <seconds> <changes>`: a checkpoint when at least `changes` changes were logged and at
// least `seconds` passed since the last one.
struct SaveRule {
  int64_t seconds = 0;
  int64_t changes = 0;
};

enum class CheckpointStart : uint8_t {
  kStarted,
  kScheduled,   // one is running; another follows it
  kInProgress,  // one is running (and none was scheduled)
};

class PersistenceControl {
 public:
  virtual ~PersistenceControl() = default;
  virtual PersistenceInfo Info() const = 0;
  // The data directory is being replayed: commands that read or change data are refused
  // (Redis -LOADING, JetStream 503 10008) until it is done.
  virtual bool loading() const = 0;
  // "always", "everysec" or "no"; false for anything else.
  virtual bool SetFsync(std::string_view policy) = 0;
  // BGSAVE / BGREWRITEAOF: starts a checkpoint at the end of this loop pass. While one runs,
  // `schedule` queues another after it (BGSAVE SCHEDULE).
  virtual CheckpointStart StartCheckpoint(bool schedule) = 0;
  // SAVE: a checkpoint whose end answers `done` (an error when it failed or none could start).
  virtual void Save(engine::WriteDone done) = 0;
  // auto-aof-rewrite-percentage / -min-size: a checkpoint when the files grew by `percentage`
  // since the last one and are at least `min_size` bytes (percentage 0: never).
  virtual void SetAutoRewrite(int64_t percentage, uint64_t min_size) = 0;
  virtual void SetSaveRules(std::vector<SaveRule> rules) = 0;
};

}  // namespace kvgate::translate
