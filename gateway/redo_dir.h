// File: gateway/redo_dir.h
// The data directory's redo files as the I/O thread writes them (DESIGN.md "Persistence"): the
// manifest (gateway/manifest.h) names at most one base file (a checkpoint image) and the incr
// files appended since. Records go to the newest incr file, created with its manifest entry
// when the first record comes. A rewrite switches to a new incr file at its start (the manifest
// then names old files + the new one, so a crash at any moment replays everything), writes the
// image to a new base file, and at the end swaps the manifest to {new base, new incr} and
// removes the files it no longer names. Only the I/O thread uses it (sizes are atomics), and
// the finisher thread a rewrite's end starts.
//
//   RedoDir d("/var/lib/kvgate", manifest);
//   d.AppendIncr(bytes);  d.SyncIncr();
//   d.BeginRewrite();  d.AppendBase(image);  d.FinishRewrite();
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "gateway/manifest.h"

namespace kvgate::gateway {

class RedoDir {
 public:
  // `manifest`: what recovery found (empty when the directory holds none yet).
  RedoDir(std::string dir, Manifest manifest);
  ~RedoDir();
  RedoDir(const RedoDir&) = delete;
  RedoDir& operator=(const RedoDir&) = delete;

  // Appends to the newest incr file (making one first, and the manifest naming it, if there is
  // none). 0 or errno.
  int AppendIncr(std::string_view bytes);
  // fdatasync of the newest incr file if anything was appended since the last one. 0 or errno.
  int SyncIncr();
  // The everysec sync, from a thread of its own (the I/O thread goes on appending meanwhile):
  // fdatasync of a duplicate of the newest incr file's descriptor if it grew since the last
  // one. 0 or errno.
  int SyncIncrInBackground();
  bool unsynced() const {
    return unsynced_;
  }

  // A rewrite (the manifest's next generation): records appended from now on go to a new incr
  // file, named in the manifest before this returns, and the image goes to a new base file. On
  // failure (errno returned) records keep going to the old incr file and there is no rewrite.
  int BeginRewrite();
  // Appends image bytes to the base being written. 0 or errno.
  int AppendBase(std::string_view bytes);
  // On a thread of its own: syncs the base, swaps the manifest to {base, newest incr}, removes
  // the files it no longer names, then done(0), or done(errno) with the old manifest standing
  // and the base file removed. Incr appends go on meanwhile.
  void FinishRewrite(std::function<void(int)> done);
  // Drops the base being written (the manifest keeps naming the old files and the new incr).
  void AbortRewrite();
  bool rewriting() const {
    return base_fd_ >= 0;
  }

  // Bytes of the base file and of all files together (INFO aof_base_size, aof_current_size).
  uint64_t base_bytes() const {
    return base_bytes_.load();
  }
  uint64_t total_bytes() const {
    return total_bytes_.load();
  }

 private:
  // An fd for appending to DIR/name (emptied first if create_new), or -errno.
  int OpenIncr(const std::string& name, bool create_new);

  std::string dir_;
  std::mutex manifest_mu_;  // the finisher thread swaps manifest_
  Manifest manifest_;
  std::thread finisher_;
  uint64_t older_bytes_ = 0;  // total_bytes_ of the files before a rewrite's new incr
  std::mutex fd_mu_;          // incr_fd_ changes under it (SyncIncrInBackground duplicates it)
  int incr_fd_ = -1;
  std::atomic<uint64_t> appended_{0};           // bytes appended to incr files, ever
  std::atomic<uint64_t> background_synced_{0};  // ... of which SyncIncrInBackground covered
  uint64_t incr_bytes_ = 0;                     // the newest incr file's size
  uint64_t incr_writeback_ = 0;  // ... of which writeback was started (StartWriteback)
  bool unsynced_ = false;
  int base_fd_ = -1;
  ManifestFile base_file_{};
  uint64_t rewrite_base_bytes_ = 0;
  uint64_t base_writeback_ = 0;
  std::atomic<uint64_t> base_bytes_{0};
  std::atomic<uint64_t> total_bytes_{0};
};

}  // namespace kvgate::gateway
