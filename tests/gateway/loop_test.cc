// Loop-level behaviour added for performance: the per-callback clock (LoopClock), the per-
// iteration read budget (a pipelining client cannot hand one iteration unbounded work), and
// busy polling (request-reply over one connection, with and without it, stays correct; a steady
// stream keeps the loop polling and the spin ends once the stream stops).
#include <catch2/catch.hpp>

#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "gateway/loop_clock.h"
#include "gateway/server.h"
#include "tests/support/loopback.h"
#include "tests/support/server_thread.h"

namespace {

using kvgate::protocols::InBuffer;
using kvgate::testing::ConnectLoopback;
using kvgate::testing::SendAll;
using kvgate::translate::Session;
using kvgate::translate::Transport;

// "n" -> "<count of requests so far>\n"; "t" -> "<clock ns> <clock ns>\n" (two reads);
// "i" -> "<loop iterations so far>\n", "s" -> "<busy-poll stand-downs so far>\n" (both read on the
// loop thread, so no race with the loop).
class CountSession : public Session {
 public:
  CountSession(Transport& t, const kvgate::engine::Clock& clock,
               const kvgate::testing::ServerThread& run)
      : t_(t), clock_(clock), run_(run) {
  }
  void OnBytes(InBuffer& in) override {
    for (;;) {
      std::string_view data = in.Data();
      size_t nl = data.find('\n');
      if (nl == std::string_view::npos) return;
      std::string line(data.substr(0, nl));
      in.Consume(nl + 1);
      ++count_;
      if (line == "n") {
        t_.Out().AppendUint(count_);
        t_.Out().Append('\n');
      } else if (line == "t") {
        t_.Out().AppendUint(static_cast<uint64_t>(clock_.NowNs()));
        t_.Out().Append(' ');
        t_.Out().AppendUint(static_cast<uint64_t>(clock_.NowNs()));
        t_.Out().Append('\n');
      } else if (line == "i") {
        t_.Out().AppendUint(run_.server().iteration());
        t_.Out().Append('\n');
      } else if (line == "s") {
        t_.Out().AppendUint(run_.server().busy_poll_standdowns());
        t_.Out().Append('\n');
      }
    }
  }
  void OnClose() override {
  }

 private:
  Transport& t_;
  const kvgate::engine::Clock& clock_;
  const kvgate::testing::ServerThread& run_;
  uint64_t count_ = 0;
};

class CountFront : public kvgate::translate::Front {
 public:
  // `run` may still be under construction: sessions only exist once its loop runs.
  CountFront(const kvgate::engine::Clock& clock, const kvgate::testing::ServerThread* run)
      : clock_(clock), run_(run) {
  }
  std::unique_ptr<Session> NewSession(Transport& t) override {
    return std::make_unique<CountSession>(t, clock_, *run_);
  }

 private:
  const kvgate::engine::Clock& clock_;
  const kvgate::testing::ServerThread* run_;
};

struct Harness {
  explicit Harness(kvgate::gateway::ServerOptions opts = {})
      : engine(clock), front(clock, &run), run(engine, front, opts, &clock) {
  }
  kvgate::gateway::LoopClock clock;
  kvgate::engine::Engine engine;
  CountFront front;
  kvgate::testing::ServerThread run;
};

// Reads until the data ends with `suffix`, EOF, or the timeout.
std::string ReadUntil(int fd, std::string_view suffix, int timeout_ms = 10000) {
  return kvgate::testing::ReadUntil(
      fd, [&](const std::string& got) { return got.ends_with(suffix); }, timeout_ms);
}

}  // namespace

TEST_CASE("LoopClock reads the system clock once until invalidated", "[gateway]") {
  kvgate::gateway::LoopClock clock;
  kvgate::engine::UnixNanos a = clock.NowNs();
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  CHECK(clock.NowNs() == a);
  clock.Invalidate();
  kvgate::engine::UnixNanos b = clock.NowNs();
  CHECK(b >= a + 2'000'000);
  kvgate::engine::SystemClock system;
  CHECK(std::llabs(system.NowNs() - b) < 1'000'000'000);
}

TEST_CASE("every read callback sees one instant, a later one sees a later instant", "[gateway]") {
  Harness h;
  int fd = ConnectLoopback(h.run.port());
  SendAll(fd, "t\n");
  std::string first = ReadUntil(fd, "\n");
  auto space = first.find(' ');
  REQUIRE(space != std::string::npos);
  CHECK(first.substr(0, space) == first.substr(space + 1, first.size() - space - 2));
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  SendAll(fd, "t\n");
  std::string second = ReadUntil(fd, "\n");
  CHECK(std::stoull(second) >= std::stoull(first) + 5'000'000);
  close(fd);
}

TEST_CASE("a pipelined burst far beyond one iteration's read budget is served completely",
          "[gateway]") {
  for (uint64_t busy_poll : {uint64_t{0}, uint64_t{200}}) {
    kvgate::gateway::ServerOptions opts;
    opts.busy_poll_us = busy_poll;
    Harness h(opts);
    int fd = ConnectLoopback(h.run.port());
    // 300,000 requests (~2.3 MB) in one go; only the last one answers.
    std::string burst;
    for (int i = 0; i < 300'000; ++i) burst += "x\n";
    burst += "n\n";
    std::thread writer([&] { SendAll(fd, burst); });
    CHECK(ReadUntil(fd, "300001\n") == "300001\n");
    writer.join();
    // Request-reply round trips afterwards (the busy-poll path) stay in order.
    for (int i = 0; i < 200; ++i) {
      SendAll(fd, "n\n");
      REQUIRE(ReadUntil(fd, "\n") == std::to_string(300'002 + i) + "\n");
    }
    close(fd);
  }
}

namespace {

// Loop iterations reported by the "i" command.
uint64_t Iterations(int fd) {
  SendAll(fd, "i\n");
  return std::stoull(ReadUntil(fd, "\n"));
}

// Busy-poll stand-downs reported by the "s" command.
uint64_t Standdowns(int fd) {
  SendAll(fd, "s\n");
  return std::stoull(ReadUntil(fd, "\n"));
}

}  // namespace

TEST_CASE("busy polling keeps the loop polling during a request stream and stops after it",
          "[gateway]") {
  // A 2 ms window: loopback round trips are far quicker even on a loaded machine, so the spin
  // engages for certain; without busy polling each round trip is about one iteration.
  constexpr int kRoundTrips = 2000;
  for (uint64_t busy_poll : {uint64_t{0}, uint64_t{2000}}) {
    CAPTURE(busy_poll);
    kvgate::gateway::ServerOptions opts;
    opts.busy_poll_us = busy_poll;
    opts.busy_poll_yields_to_contention = false;  // other tests may be running alongside
    Harness h(opts);
    int fd = ConnectLoopback(h.run.port());
    uint64_t before = Iterations(fd);
    for (int i = 0; i < kRoundTrips; ++i) {
      SendAll(fd, "n\n");
      REQUIRE(ReadUntil(fd, "\n") == std::to_string(i + 2) + "\n");
    }
    uint64_t during = Iterations(fd) - before;
    if (busy_poll == 0) {
      CHECK(during < 2 * kRoundTrips + 100);  // one wake-up per request, plus timer ticks
    } else {
      CHECK(during > 3 * kRoundTrips);  // polled again and again between requests
    }
    // Idle for half a second: a spin that never ended would run tens of thousands of
    // iterations; a finished one leaves the timer ticks and at most one 2 ms window of polls.
    uint64_t idle_start = Iterations(fd);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CHECK(Iterations(fd) - idle_start < 5000);
    close(fd);
  }
}

TEST_CASE("busy polling stands down while the loop thread has to share its CPU", "[gateway]") {
  // The loop thread and three busy threads pinned to one CPU: the loop keeps waiting for it, so
  // a spin would only take time from the others and the loop must sleep between requests.
  constexpr int kRoundTrips = 500;
  kvgate::gateway::ServerOptions opts;
  opts.busy_poll_us = 2000;
  Harness h(opts);
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(0, &one);
  REQUIRE(pthread_setaffinity_np(h.run.native_handle(), sizeof one, &one) == 0);
  struct Hogs {
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    ~Hogs() {
      stop = true;
      for (auto& t : threads) t.join();
    }
  } hogs;
  for (int i = 0; i < 3; ++i) {
    hogs.threads.emplace_back([&] {
      while (!hogs.stop.load(std::memory_order_relaxed)) {
      }
    });
    REQUIRE(pthread_setaffinity_np(hogs.threads.back().native_handle(), sizeof one, &one) == 0);
  }
  int fd = ConnectLoopback(h.run.port());
  // A steady stream for half a second: long enough for several 50 ms contention samples.
  int sent = 0;
  auto warm_until = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  while (std::chrono::steady_clock::now() < warm_until) {
    SendAll(fd, "n\n");
    REQUIRE(ReadUntil(fd, "\n") == std::to_string(++sent) + "\n");
  }
  uint64_t before = Iterations(fd);
  for (int i = 0; i < kRoundTrips; ++i) {
    SendAll(fd, "n\n");
    REQUIRE(ReadUntil(fd, "\n") == std::to_string(sent + i + 2) + "\n");
  }
  uint64_t during = Iterations(fd) - before;
  CHECK(during < 2 * kRoundTrips + 100);
  CHECK(Standdowns(fd) > 0);  // and it says why (INFO stats: kvgate_busy_poll_standdowns)
  close(fd);
}
