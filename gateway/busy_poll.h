// File: gateway/busy_poll.h
// Adaptive busy polling: decides, once per loop iteration, whether the loop should poll again
// without sleeping. While poll results have been arriving less than `window_us` apart on average,
// keep polling for up to four average gaps (at most window_us) after the last one. On a VM,
// waking a sleeping CPU is paid by the *client*: its send() runs the wake-up and the
// inter-processor interrupt, ~10% of redis-benchmark's CPU at -P 1 with 50 clients, and that
// client is the bottleneck. A steady stream keeps the loop awake; idle connections or a trickle
// let it sleep as before. No spin while the loop thread keeps waiting for a CPU (CpuContention).
// While reads carry pipelined batches (more than 1.5 requests per read on average) the spin
// bridges one typical gap instead of four: a pipelining client is throughput-bound, and a long
// spin there only burns the CPU it shares with the server (redis-benchmark -P 16: CPU per op
// 0.72-0.90x redis-server's with it, 0.92-1.0x without), while no spin at all lets its send()
// pay for waking the loop (PING -P 16 at 0.86x redis-server's ops/s instead of 0.92x).
//
//   BusyPoll busy({.window_us = 200}, &stats.busy_poll_standdowns);
//   busy.NoteIo();                                  // in read/accept callbacks
//   if (busy.ShouldSpin(connections)) keep_polling();  // in the prepare callback, then:
//   busy.EndIteration();
#pragma once

#include <uv.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "gateway/cpu_contention.h"

namespace kvgate::gateway {

struct BusyPollOptions {
  uint64_t window_us = 0;           // 0 = never spin
  size_t max_connections = 10'000;  // no spin with more connections open than this
  // Stand down while the loop thread keeps waiting for a CPU (off only in tests that need a
  // spin on a machine busy with other tests).
  bool yields_to_contention = true;
};

class BusyPoll {
 public:
  // `standdowns` (may be null) counts the times spinning paused because of CPU contention.
  BusyPoll(const BusyPollOptions& options, uint64_t* standdowns)
      : options_(options), standdowns_(standdowns) {
  }

  // Called by read/accept callbacks. Only the first of a loop iteration counts: the spin
  // decision is about how long the loop waits between poll results, not the spacing of reads
  // handled in one batch.
  void NoteIo() {
    if (options_.window_us == 0 || io_this_iteration_) return;
    io_this_iteration_ = true;
    NoteGap(uv_hrtime());
  }
  // True while a spin is worth it; called before the loop polls, with the open connections and
  // the time now (uv_hrtime; the prepare hook has read it already: a spinning loop runs this
  // every iteration, where each clock read is a measurable share of its CPU).
  bool ShouldSpin(size_t connections, uint64_t now_ns);
  bool ShouldSpin(size_t connections) {
    return ShouldSpin(connections, uv_hrtime());
  }
  // Called after each read with the requests it carried (0: a partial request, not counted).
  void NoteRequests(uint64_t n) {
    if (options_.window_us == 0 || n == 0) return;
    const uint64_t sample = std::min<uint64_t>(n, 64) * kPerReadScale;
    requests_per_read_ = requests_per_read_ - requests_per_read_ / 8 + sample / 8;
  }
  // The average gap between poll results (tests).
  uint64_t gap_ewma_ns() const {
    return io_gap_ewma_ns_;
  }
  // Called once per iteration after the spin decision: the next NoteIo starts a new gap.
  void EndIteration() {
    io_this_iteration_ = false;
  }

 private:
  static constexpr uint64_t kPerReadScale = 16;  // requests_per_read_ is fixed point, x16
  void NoteGap(uint64_t now_ns);

  BusyPollOptions options_;
  uint64_t* standdowns_;
  CpuContention contention_;
  uint64_t last_io_ns_ = 0;                      // last counted read/accept
  uint64_t io_gap_ewma_ns_ = ~uint64_t{0} >> 8;  // starts "sparse": no spin until reads are close
  bool io_this_iteration_ = false;               // NoteIo has run since EndIteration
  uint64_t requests_per_read_ = kPerReadScale;   // EWMA (1/8), x16; starts at one per read
};

}  // namespace kvgate::gateway
