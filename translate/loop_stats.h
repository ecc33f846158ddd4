// File: translate/loop_stats.h
// How long the event loop was busy per iteration (time not spent waiting for I/O), measured by
// the gateway. A front may report it (Redis INFO) so benchmarks can check the loop never stalls.
//
//   LoopStats stats;                   // owned by gateway::Server
//   front.AttachLoopStats(&stats);     // a front reads it, e.g. for INFO
//   stats.Reset();                     // CONFIG RESETSTAT, SIGUSR1 reports
#pragma once

#include <cstdint>

namespace kvgate::translate {

struct LoopStats {
  uint64_t iterations = 0;
  uint64_t max_busy_us = 0;     // longest iteration since the last Reset
  uint64_t busy_over_10ms = 0;  // iterations busy for more than 10 ms since the last Reset
  uint64_t total_busy_us = 0;
  uint64_t busy_poll_standdowns = 0;  // times busy polling paused because the loop waited for a CPU
  // Starts a new measurement period; the running totals (iterations, total_busy_us) stay.
  void Reset() {
    max_busy_us = 0;
    busy_over_10ms = 0;
    busy_poll_standdowns = 0;
  }
};

}  // namespace kvgate::translate
