// File: gateway/redo_writer.h
// The redo log's I/O thread (DESIGN.md "Persistence"): the loop hands it batches of framed
// records; it appends them to the log file and, as the fsync policy says, fdatasyncs (always:
// once per round of batches it takes together: group commit; everysec: about once a second;
// no: never). When a round is written (and, for always, synced) it reports the highest batch
// number done through a uv_async, so the loop can release the output that waited for it. The
// loop never touches the file.
//
//   RedoWriter w(loop, FsyncPolicy::kEverySec, [&](uint64_t seq, int err) { ... });
//   w.Open(fd);
//   w.Submit(std::move(bytes));   // returns its batch number
//   w.Stop();                     // writes what is queued, syncs, joins
#pragma once

#include <uv.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace kvgate::gateway {

enum class FsyncPolicy : uint8_t { kAlways, kEverySec, kNo };

// Redis's names: "always", "everysec", "no". Parse returns false for anything else.
std::string_view FsyncPolicyName(FsyncPolicy policy);
bool ParseFsyncPolicy(std::string_view name, FsyncPolicy* policy);

class RedoWriter {
 public:
  // on_done(seq, error) runs on the loop thread: batches up to seq are written (synced for
  // always); error is 0 or the errno that stopped the writer (then nothing after the failed
  // batch is written, and seq is the last good one).
  RedoWriter(uv_loop_t* loop, FsyncPolicy policy, std::function<void(uint64_t, int)> on_done);
  ~RedoWriter();
  RedoWriter(const RedoWriter&) = delete;
  RedoWriter& operator=(const RedoWriter&) = delete;

  // Starts the thread. The log file at `path` (holding file_bytes) is opened for appending
  // when the first batch comes, created then if missing (the directory is synced so the new
  // name survives a power loss): a server whose buckets are all in memory writes no file.
  void Start(std::string path, std::string dir, uint64_t file_bytes);
  // Queues bytes; returns the batch number (1, 2, ...). Loop thread.
  uint64_t Submit(std::string bytes);
  // An empty buffer with the capacity of one written before (or a new one). Loop thread.
  std::string TakeBuffer();
  void SetPolicy(FsyncPolicy policy);
  FsyncPolicy policy() const {
    return policy_.load();
  }
  // Writes and syncs everything queued, stops the thread, closes the file. Loop thread.
  void Stop();
  // Reports finished batches now, without waiting for the loop to run the uv_async (a busy
  // script holds the loop). Loop thread.
  void Poll() {
    OnAsync(async_);
  }
  // Bytes the file holds (written so far), for INFO.
  uint64_t file_bytes() const {
    return file_bytes_.load();
  }
  // Seconds-resolution time of the last fdatasync that completed (0: none), for INFO.
  int64_t last_fsync_unix() const {
    return last_fsync_unix_.load();
  }
  uint64_t fsyncs() const {
    return fsyncs_.load();
  }

 private:
  void Run();
  // Writes one round; returns 0 or errno.
  int WriteAll(const std::vector<std::string>& round);
  int Sync();
  int OpenFile();
  void FollowLoopCpu();
  static void OnAsync(uv_async_t* handle);

  std::atomic<FsyncPolicy> policy_;
  std::function<void(uint64_t, int)> on_done_;
  // Heap-allocated: libuv frees a closed handle only in a later loop run, which may come
  // after this writer is gone.
  uv_async_t* async_ = nullptr;
  int fd_ = -1;
  std::string path_;
  std::string dir_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> queue_;  // guarded by mu_
  std::vector<std::string> spare_;  // guarded by mu_: written buffers to reuse
  uint64_t queued_seq_ = 0;         // guarded by mu_: last batch number handed out
  bool stopping_ = false;           // guarded by mu_
  std::atomic<uint64_t> done_seq_{0};
  std::atomic<int> error_{0};
  std::atomic<uint64_t> file_bytes_{0};
  std::atomic<int64_t> last_fsync_unix_{0};
  std::atomic<uint64_t> fsyncs_{0};
  uint64_t reported_seq_ = 0;  // loop thread
  int writer_cpu_ = -1;        // loop thread: the CPU the writer thread is bound to
  int reported_error_ = 0;     // loop thread
};

}  // namespace kvgate::gateway
