// File: gateway/cpu_contention.h
// Tells whether the calling thread keeps waiting for a CPU, from its run-queue delay in
// /proc/thread-self/schedstat. Busy polling pays only while the loop thread has a CPU to itself:
// when it keeps waiting for one (clients or other programs want the CPUs), a spin takes their
// time. Single-threaded: create and use it on the loop thread ("thread-self" is the opener).
//
//   CpuContention contention;
//   if (contention.SampleDue(now_ns) && contention.Sample(now_ns)) ++standdowns;
//   if (contention.Contended(now_ns)) return false;  // do not spin
#pragma once

#include <cstdint>

namespace kvgate::gateway {

class CpuContention {
 public:
  CpuContention() = default;
  ~CpuContention();
  CpuContention(const CpuContention&) = delete;
  CpuContention& operator=(const CpuContention&) = delete;

  // True once the current sampling window (at least kWindowNs) has elapsed.
  bool SampleDue(uint64_t now_ns) const {
    return now_ns - window_start_ns_ >= kWindowNs;
  }
  // Reads the thread's run-queue delay and closes the window. Returns true if the thread now
  // counts as contended (a stand-down begins). Without schedstat it never counts as contended.
  bool Sample(uint64_t now_ns);
  // True during a stand-down.
  bool Contended(uint64_t now_ns) const {
    return now_ns < contended_until_ns_;
  }

  // Two windows in which the thread waited for a CPU more than a third of the time count as
  // contended. Measured on 2 vCPUs: ~2% of the time with redis-benchmark (one thread) and a
  // spinning kvgate; up to ~18% with one nats.c client (two threads), where the spin doubles its
  // puts; ~50% with ten nats.c clients (twenty threads), where spinning cost 20% of their puts.
  static constexpr uint64_t kWindowNs = 50'000'000;
  static constexpr uint64_t kWindowToMaxRunDelay = 3;
  // Once contended, no spin for this long: a loop that sleeps waits less for a CPU than one that
  // spins, so the next window alone would flip back and forth.
  static constexpr uint64_t kBackoffNs = 8 * kWindowNs;

 private:
  uint64_t window_start_ns_ = 0;
  uint64_t last_run_delay_ns_ = 0;
  int schedstat_fd_ = -2;                // -2: not opened yet; -1: unavailable
  uint64_t contended_until_ns_ = 0;      // no spin before this time
  uint64_t last_window_delay_ns_ = 0;    // run-queue wait in the previous window
  uint64_t last_window_elapsed_ns_ = 0;  // and that window's length
};

}  // namespace kvgate::gateway
