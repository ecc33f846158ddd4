// File: engine/clock.h
// Time source for the engine. The engine never reads the system clock itself: TTL, max_age,
// tombstone_ttl and entry timestamps all come from a Clock, so tests can inject a FakeClock.
//
//   SystemClock clock;            // production
//   Engine engine(clock);
//   tests: FakeClock clock(1'700'000'000'000'000'000); clock.AdvanceMs(1500); engine.Tick();
#pragma once

#include <cstdint>

namespace kvgate::engine {

// Nanoseconds since the Unix epoch (entry timestamps, NATS Nats-Time-Stamp).
using UnixNanos = int64_t;
// Milliseconds since the Unix epoch (expiry deadlines; Redis PEXPIREAT range needs ms, not ns).
using UnixMillis = int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixNanos NowNs() const = 0;
  UnixMillis NowMs() const {
    return NowNs() / 1'000'000;
  }
};

// Wall clock (CLOCK_REALTIME).
class SystemClock final : public Clock {
 public:
  UnixNanos NowNs() const override;
};

// Manually advanced clock for deterministic tests.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(UnixNanos start = 1'700'000'000'000'000'000) : now_(start) {
  }
  UnixNanos NowNs() const override {
    return now_;
  }
  void Set(UnixNanos now) {
    now_ = now;
  }
  void AdvanceNs(int64_t ns) {
    now_ += ns;
  }
  void AdvanceMs(int64_t ms) {
    now_ += ms * 1'000'000;
  }

 private:
  UnixNanos now_;
};

}  // namespace kvgate::engine
