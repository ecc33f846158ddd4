// File: gateway/loop_clock.h
// An engine::Clock that reads the wall clock at most once per libuv callback, as Redis
// snapshots the time per command instead of per access (the engine used to read it twice per
// write: ~6% of a Redis SET profile). The Server and its connections invalidate it at the start
// of every callback (a read batch, a write completion, a timer, the pre-poll pass), so all the
// work of one callback sees one instant and no read ever sees a time taken before the loop slept.
//
//   gateway::LoopClock clock;
//   engine::Engine engine(clock);          // engine reads: clock_gettime once, then cached
//   server.AttachClock(&clock);            // callbacks call server.InvalidateClock()
#pragma once

#include "engine/clock.h"

namespace kvgate::gateway {

class LoopClock final : public engine::Clock {
 public:
  engine::UnixNanos NowNs() const override {
    if (!valid_) {
      cached_ = system_.NowNs();
      valid_ = true;
    }
    return cached_;
  }
  // The next NowNs() reads the system clock again.
  void Invalidate() {
    valid_ = false;
  }

 private:
  engine::SystemClock system_;
  mutable engine::UnixNanos cached_ = 0;
  mutable bool valid_ = false;
};

}  // namespace kvgate::gateway
