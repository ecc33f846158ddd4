// File: gateway/persistence.h
// The data directory on the loop's side (DESIGN.md "Persistence"): recovery of the redo log
// before the listeners open, the RedoBuffer the engine logs into, the end-of-pass hand-off of
// each pass's records to the I/O thread (RedoWriter), and releasing held output when a batch
// is durable. A write or fsync error refuses further writes to file buckets
// (Engine::RefuseWrites) and closes the connections whose output waited for the failed batch,
// so nothing it held is ever reported as done.
//
//   Persistence p(server, engine, {.dir = "/var/lib/kvgate", .fsync = FsyncPolicy::kAlways});
//   if (!p.Recover(&err) || !p.Start(&err)) { log(err); return 1; }
//   server.Run();
//   p.Stop();
#pragma once

#include <cstdint>
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

  // Replays the log of the data directory into the engine (creating the directory if it is
  // missing). A torn last record is cut off and logged; a bad record with data after it, or
  // one that does not apply, fails with a message naming the file and offset.
  bool Recover(std::string* error);
  // Opens the log for appending, starts the I/O thread and the engine's logging.
  bool Start(std::string* error);
  // Hands what is still pending to the I/O thread, waits for it and stops logging.
  void Stop();

  void SetFsync(FsyncPolicy policy);
  // translate::PersistenceControl
  translate::PersistenceInfo Info() const override;
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
  void OnDurable(uint64_t seq, int error);

  Server& server_;
  engine::Engine& engine_;
  PersistenceOptions options_;
  engine::RedoBuffer redo_;
  std::unique_ptr<RedoWriter> writer_;
  RecoveryStats recovery_;
  uint64_t file_bytes_at_start_ = 0;
  int write_error_ = 0;
};

}  // namespace kvgate::gateway
