// BusyPoll's decision on its own (no loop): when it never spins, that a steady stream of
// poll results makes it spin, and that pipelined reads shorten the spin. The loop-level
// behaviour is in loop_test.cc.
#include "gateway/busy_poll.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

namespace {

using kvgate::gateway::BusyPoll;
using kvgate::gateway::BusyPollOptions;

// Feeds `n` poll results about `gap` apart, one per loop iteration.
void Stream(BusyPoll& busy, int n, std::chrono::microseconds gap) {
  for (int i = 0; i < n; ++i) {
    busy.NoteIo();
    busy.EndIteration();
    std::this_thread::sleep_for(gap);
  }
}

}  // namespace

TEST_CASE("busy polling is off with a zero window", "[gateway]") {
  uint64_t standdowns = 0;
  BusyPoll busy({.window_us = 0}, &standdowns);
  Stream(busy, 300, std::chrono::microseconds(0));
  busy.NoteIo();
  CHECK_FALSE(busy.ShouldSpin(1));
  CHECK(standdowns == 0);
}

TEST_CASE("busy polling spins only once poll results come close together", "[gateway]") {
  uint64_t standdowns = 0;
  BusyPoll busy({.window_us = 2000, .yields_to_contention = false}, &standdowns);
  busy.NoteIo();
  CHECK_FALSE(busy.ShouldSpin(1));  // no history yet: the average gap starts "sparse"
  busy.EndIteration();
  // Gaps of ~100 us against a 2 ms window: the average falls below the window.
  Stream(busy, 400, std::chrono::microseconds(100));
  bool spun = false;
  for (int attempt = 0; attempt < 20 && !spun; ++attempt) {  // tolerate a preempted attempt
    busy.NoteIo();
    spun = busy.ShouldSpin(1);
    busy.EndIteration();
  }
  CHECK(spun);
  CHECK_FALSE(busy.ShouldSpin(10'001));  // above max_connections
  // The stream stopped: after more than the window the spin ends.
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK_FALSE(busy.ShouldSpin(1));
  CHECK(standdowns == 0);
}

TEST_CASE("busy polling bridges one gap, not four, while reads carry pipelined batches",
          "[gateway]") {
  // A wide window: only the gaps' length decides here, however slow the machine is.
  BusyPoll busy({.window_us = 100'000, .yields_to_contention = false}, nullptr);
  const auto stream = [&](int n, uint64_t per_read) {
    for (int i = 0; i < n; ++i) {
      busy.NoteIo();
      busy.NoteRequests(per_read);
      busy.EndIteration();
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
  };
  // Two average gaps after the last poll result: a single-request stream still spins (up to
  // four gaps), a pipelined one no longer does (one gap).
  const auto spins_two_gaps_later = [&] {
    busy.NoteIo();
    const uint64_t at = uv_hrtime();
    const bool spun = busy.ShouldSpin(1, at + 2 * busy.gap_ewma_ns());
    busy.EndIteration();
    return spun;
  };
  stream(400, 1);
  CHECK(spins_two_gaps_later());
  stream(100, 16);  // redis-benchmark -P 16
  CHECK_FALSE(spins_two_gaps_later());
  stream(10, 0);  // partial requests do not count
  CHECK_FALSE(spins_two_gaps_later());
  stream(100, 1);
  CHECK(spins_two_gaps_later());
}
