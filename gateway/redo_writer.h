// File: gateway/redo_writer.h
// The redo log's I/O thread (DESIGN.md "Persistence"): the loop hands it batches of framed
// records; it appends them to the newest incr file (gateway/redo_dir.h) and, as the fsync
// policy says, fdatasyncs (always: once per round of batches it takes together: group commit;
// everysec: about once a second; no: never). When a round is written (and, for always, synced)
// it reports the highest batch number done through a uv_async, so the loop can release the
// output that waited for it. Rewrites are items in the same queue, so the switch to a new incr
// file falls exactly between two batches; the image's bytes follow, and the end swaps the
// manifest. The loop never touches a file.
//
//   RedoWriter w(loop, FsyncPolicy::kEverySec, on_done, on_rewrite_end);
//   w.Start(dir, manifest);
//   w.Submit(std::move(bytes));   // returns its batch number
//   w.BeginRewrite();  w.SubmitBase(image);  w.FinishRewrite();
//   w.Stop();                     // writes what is queued, syncs, joins
#pragma once

#include <uv.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "gateway/manifest.h"
#include "gateway/redo_dir.h"

namespace kvgate::gateway {

enum class FsyncPolicy : uint8_t { kAlways, kEverySec, kNo };

// Redis's names: "always", "everysec", "no". Parse returns false for anything else.
std::string_view FsyncPolicyName(FsyncPolicy policy);
bool ParseFsyncPolicy(std::string_view name, FsyncPolicy* policy);

class RedoWriter {
 public:
  // on_done(seq, error) runs on the loop thread: batches up to seq are written (synced for
  // always); error is 0 or the errno that stopped the writer (then nothing after the failed
  // batch is written, and seq is the last good one). on_rewrite_end(error) runs on the loop
  // thread when a rewrite is over: 0 when its manifest swap is done, else the errno that ended
  // it (the old files stand, and records go on being logged).
  RedoWriter(uv_loop_t* loop, FsyncPolicy policy, std::function<void(uint64_t, int)> on_done,
             std::function<void(int)> on_rewrite_end = {});
  ~RedoWriter();
  RedoWriter(const RedoWriter&) = delete;
  RedoWriter& operator=(const RedoWriter&) = delete;

  // Starts the thread on the data directory `dir` whose manifest recovery read (empty if it
  // had none). The first batch creates the incr file if there is none (a server whose
  // buckets are all in memory writes no file).
  void Start(std::string dir, Manifest manifest);
  // Queues bytes; returns the batch number (1, 2, ...). Loop thread.
  uint64_t Submit(std::string bytes);
  // appendfsync always, with nothing queued and the thread idle: writes and syncs `bytes` on
  // the calling (loop) thread, the barrier its replies wait for anyway, without handing the
  // batch to the thread and back (what redis-server does in beforeSleep). Returns false (and
  // does nothing) otherwise; else *seq is the batch's number and *error 0 or the errno that
  // stopped the log (then nothing is reported as durable). Loop thread.
  bool WriteNow(std::string_view bytes, uint64_t* seq, int* error);
  // A rewrite: batches submitted after this go to a new incr file; SubmitBase's bytes make the
  // new base; FinishRewrite swaps the manifest (AbortRewrite drops the base). Loop thread.
  void BeginRewrite();
  void SubmitBase(std::string bytes);
  void FinishRewrite();
  void AbortRewrite();
  // Image bytes handed over and not yet written (the loop holds back while this is large).
  uint64_t base_queued_bytes() const {
    return base_queued_bytes_.load();
  }
  // An empty buffer with the capacity of one written before (or a new one). Loop thread.
  std::string TakeBuffer();
  void SetPolicy(FsyncPolicy policy);
  FsyncPolicy policy() const {
    return policy_.load();
  }
  // Writes and syncs everything queued, stops the thread, closes the files. Loop thread.
  void Stop();
  // Reports finished batches now, without waiting for the loop to run the uv_async (a busy
  // script holds the loop). Loop thread.
  void Poll() {
    OnAsync(async_);
  }
  // Bytes of all redo files together and of the base, for INFO.
  uint64_t file_bytes() const {
    return dir_ ? dir_->total_bytes() : 0;
  }
  uint64_t base_bytes() const {
    return dir_ ? dir_->base_bytes() : 0;
  }
  // Seconds-resolution time of the last fdatasync that completed (0: none), for INFO.
  int64_t last_fsync_unix() const {
    return last_fsync_unix_.load();
  }
  uint64_t fsyncs() const {
    return fsyncs_.load();
  }

 private:
  struct Item {
    enum class Kind : uint8_t { kBatch, kBeginRewrite, kBase, kFinishRewrite, kAbortRewrite };
    Kind kind;
    std::string bytes;
  };

  void Run();
  // everysec: an fdatasync about once a second, off the I/O thread (as redis-server's bio
  // thread), so batches never wait behind one.
  void RunSyncer();
  // Carries out one round of items; returns 0 or the errno that stops the log.
  int Process(std::vector<Item>& round);
  void EndRewrite(int error);
  void Queue(Item item);
  int Sync();
  void FollowLoopCpu();
  static void OnAsync(uv_async_t* handle);

  std::atomic<FsyncPolicy> policy_;
  std::function<void(uint64_t, int)> on_done_;
  std::function<void(int)> on_rewrite_end_;
  // Heap-allocated: libuv frees a closed handle only in a later loop run, which may come
  // after this writer is gone.
  uv_async_t* async_ = nullptr;
  std::unique_ptr<RedoDir> dir_;  // used by the thread only (its sizes are atomics)
  std::thread thread_;
  std::thread syncer_;
  std::condition_variable syncer_cv_;  // with mu_: wakes the syncer to stop
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Item> queue_;         // guarded by mu_
  std::vector<std::string> spare_;  // guarded by mu_: written buffers to reuse
  uint64_t queued_seq_ = 0;         // guarded by mu_: last batch number handed out
  bool stopping_ = false;           // guarded by mu_
  bool thread_busy_ = false;        // guarded by mu_: the thread works on dir_ (else WriteNow may)
  std::atomic<uint64_t> done_seq_{0};
  std::atomic<int> error_{0};
  std::atomic<uint64_t> base_queued_bytes_{0};
  std::atomic<uint64_t> rewrites_ended_{0};
  std::atomic<int> rewrite_error_{0};
  std::atomic<int64_t> last_fsync_unix_{0};
  std::atomic<uint64_t> fsyncs_{0};
  uint64_t reported_seq_ = 0;       // loop thread
  uint64_t reported_rewrites_ = 0;  // loop thread
  int writer_cpu_ = -1;             // loop thread: the CPU the writer thread is bound to
  bool rewriting_ = false;          // loop thread: a rewrite is in progress (thread unbound)
  int reported_error_ = 0;          // loop thread
};

}  // namespace kvgate::gateway
