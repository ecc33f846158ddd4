// File: translate/persistence_control.h
// What a front may see and change of the data directory's redo log (Redis INFO persistence,
// CONFIG SET appendfsync). The gateway implements it; fronts hold a pointer that may be null
// (a server without persistence, in-process tests).
//
//   PersistenceInfo i = control->Info();   // aof_last_write_status, aof_current_size, ...
//   control->SetFsync("always");           // CONFIG SET appendfsync always
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

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
};

}  // namespace kvgate::translate
