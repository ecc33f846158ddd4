// File: gateway/persistence.h
// The data directory on the loop's side (DESIGN.md "Persistence"): recovery of the redo log
// before the listeners open, the RedoBuffer the engine logs into, the end-of-pass hand-off of
// each pass's records to the I/O thread (RedoWriter), and releasing held output when a batch
// is durable. A write or fsync error refuses further writes to file buckets
// (Engine::RefuseWrites) and closes the connections whose output waited for the failed batch,
// so nothing it held is ever reported as done.
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

#include "engine/engine.h"
#include "engine/redo.h"
#include "gateway/redo_writer.h"
#include "gateway/server.h"
#include "translate/persistence_control.h"

namespace kvgate::gateway {

struct PersistenceOptions {
  std::string dir = ".";
  FsyncPolicy fsync = FsyncPolicy::kEverySec;
};

// The redo log's file name inside the data directory.
inline constexpr const char* kRedoFileName = "kvgate-redo.log";

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
  // Hands what is still pending to the I/O thread, waits for it and stops logging.
  void Stop();

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
  const RecoveryStats& recovery() const {
    return recovery_;
  }
  std::string path() const;
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
  // Opens the log for appending, starts the I/O thread and the engine's logging.
  void Start();
  // Replays records for about `budget_ns`; false when the replay is over (done or failed).
  bool ReplaySlice(uint64_t budget_ns, std::string* error);
  // The end of the log was reached: cut a torn tail or report corruption.
  bool FinishReplay(const engine::RedoScan& scan, std::string* error);
  static void OnLoadIdle(uv_idle_t* handle);
  void CloseLoadIdle();

  Server& server_;
  engine::Engine& engine_;
  PersistenceOptions options_;
  engine::RedoBuffer redo_;
  std::unique_ptr<RedoWriter> writer_;
  RecoveryStats recovery_;
  uint64_t file_bytes_at_start_ = 0;
  int write_error_ = 0;
  bool stopping_ = false;
  // Loading state: the log's bytes and the offset replayed so far.
  std::string load_data_;
  size_t load_pos_ = 0;
  bool loading_ = false;
  bool load_failed_ = false;
  int64_t load_start_unix_ = 0;
  uint64_t load_start_ns_ = 0;
  std::function<void()> on_loaded_;
  uv_idle_t* load_idle_ = nullptr;  // heap: closed asynchronously
};

}  // namespace kvgate::gateway
