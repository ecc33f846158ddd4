// Gateway plumbing over real loopback sockets with a tiny line-echo front: pipelining, split
// reads, output back-pressure, close-after-flush, close-now, max_clients and shutdown.
#include <catch2/catch.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "engine/engine.h"
#include "gateway/server.h"
#include "tests/support/loopback.h"
#include "tests/support/server_thread.h"

namespace {

using kvgate::protocols::InBuffer;
using kvgate::testing::ConnectLoopback;
using kvgate::testing::SendAll;
using kvgate::translate::Session;
using kvgate::translate::Transport;

// Line protocol: "echo X" -> "X\n"; "big N" -> N bytes of 'x' + "\n"; "quit" -> "bye\n" then
// close after flush; "drop" -> close now; "id" -> connection id.
class LineSession : public Session {
 public:
  explicit LineSession(Transport& t) : t_(t) {
  }
  void OnOpen() override {
    t_.Out().Append("hello\n");
  }
  void OnBytes(InBuffer& in) override {
    while (true) {
      std::string_view data = in.Data();
      size_t nl = data.find('\n');
      if (nl == std::string_view::npos) return;
      std::string line(data.substr(0, nl));
      in.Consume(nl + 1);
      if (line.rfind("echo ", 0) == 0) {
        t_.Out().Append(line.substr(5));
        t_.Out().Append('\n');
      } else if (line.rfind("big ", 0) == 0) {
        size_t n = std::stoul(line.substr(4));
        std::string big(n, 'x');
        t_.Out().Append(big);
        t_.Out().Append('\n');
      } else if (line == "quit") {
        t_.Out().Append("bye\n");
        t_.CloseAfterFlush();
        return;
      } else if (line == "drop") {
        t_.CloseNow();
        return;
      } else if (line == "spin") {
        // Busy the loop for 30 ms, as a runaway command would.
        auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(30);
        while (std::chrono::steady_clock::now() < until) {
        }
        t_.Out().Append("spun\n");
      } else if (line == "id") {
        t_.Out().AppendUint(t_.Id());
        t_.Out().Append('\n');
      }
    }
  }
  void OnClose() override {
    ++closed;
  }
  static inline std::atomic<int> closed{0};

 private:
  Transport& t_;
};

class LineFront : public kvgate::translate::Front {
 public:
  std::unique_ptr<Session> NewSession(Transport& t) override {
    return std::make_unique<LineSession>(t);
  }
  std::string_view MaxClientsReply() const override {
    return "full\n";
  }
};

struct Harness {
  explicit Harness(kvgate::gateway::ServerOptions opts = {})
      : engine(clock), run(engine, front, opts) {
  }
  kvgate::engine::SystemClock clock;
  kvgate::engine::Engine engine;
  LineFront front;
  kvgate::testing::ServerThread run;
};

// Reads until `want` bytes arrived, EOF, or the timeout.
std::string ReadBytes(int fd, size_t want, int timeout_ms = 5000) {
  return kvgate::testing::ReadUntil(
      fd, [&](const std::string& got) { return got.size() >= want; }, timeout_ms);
}

bool PeerClosed(int fd, int timeout_ms = 5000) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, timeout_ms) <= 0) return false;
  char c;
  return recv(fd, &c, 1, 0) == 0;
}

}  // namespace

TEST_CASE("greeting, pipelined requests and split requests are answered in order", "[gateway]") {
  Harness h;
  int fd = ConnectLoopback(h.run.port());
  REQUIRE(ReadBytes(fd, 6) == "hello\n");
  SendAll(fd, "echo a\necho b\necho c\n");
  REQUIRE(ReadBytes(fd, 6) == "a\nb\nc\n");
  // One request split over several writes, even inside a token.
  SendAll(fd, "ec");
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  SendAll(fd, "ho sp");
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  SendAll(fd, "lit\n");
  REQUIRE(ReadBytes(fd, 6) == "split\n");
  close(fd);
}

TEST_CASE("large replies are delivered completely through partial writes", "[gateway]") {
  Harness h;
  int fd = ConnectLoopback(h.run.port());
  REQUIRE(ReadBytes(fd, 6) == "hello\n");
  SendAll(fd, "big 5000000\necho after\n");
  std::string got = ReadBytes(fd, 5000001 + 6, 10000);
  REQUIRE(got.size() == 5000001 + 6);
  REQUIRE(got.substr(5000001) == "after\n");
  REQUIRE(got.find_first_not_of('x') == 5000000);
  close(fd);
}

TEST_CASE("a client that never reads stops being read, and others are unaffected", "[gateway]") {
  kvgate::gateway::ServerOptions opts;
  opts.output_high_water = 1 << 20;
  opts.output_low_water = 256 << 10;
  Harness h(opts);
  int slow = ConnectLoopback(h.run.port());
  REQUIRE(ReadBytes(slow, 6) == "hello\n");
  // Ask for far more output than socket buffers hold, without reading any of it.
  for (int i = 0; i < 40; ++i) SendAll(slow, "big 1000000\n");
  int fast = ConnectLoopback(h.run.port());
  REQUIRE(ReadBytes(fast, 6) == "hello\n");
  SendAll(fast, "echo still-served\n");
  REQUIRE(ReadBytes(fast, 13) == "still-served\n");
  // The slow client's replies are still intact once it reads.
  std::string got = ReadBytes(slow, 40 * 1000001, 20000);
  REQUIRE(got.size() == 40 * 1000001);
  close(slow);
  close(fast);
}

TEST_CASE("close after flush delivers the last reply; close now drops the connection",
          "[gateway]") {
  Harness h;
  int fd = ConnectLoopback(h.run.port());
  REQUIRE(ReadBytes(fd, 6) == "hello\n");
  SendAll(fd, "echo x\nquit\necho never\n");
  REQUIRE(ReadBytes(fd, 100, 2000) == "x\nbye\n");
  close(fd);

  int fd2 = ConnectLoopback(h.run.port());
  REQUIRE(ReadBytes(fd2, 6) == "hello\n");
  SendAll(fd2, "drop\n");
  REQUIRE(PeerClosed(fd2));
  close(fd2);
}

TEST_CASE("max_clients refuses extra connections with the front's message", "[gateway]") {
  kvgate::gateway::ServerOptions opts;
  opts.max_clients = 2;
  Harness h(opts);
  int a = ConnectLoopback(h.run.port());
  int b = ConnectLoopback(h.run.port());
  REQUIRE(ReadBytes(a, 6) == "hello\n");
  REQUIRE(ReadBytes(b, 6) == "hello\n");
  int c = ConnectLoopback(h.run.port());
  REQUIRE(ReadBytes(c, 100, 2000) == "full\n");
  REQUIRE(PeerClosed(c));
  close(c);
  close(a);
  // A slot frees up once a client leaves.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  int d = ConnectLoopback(h.run.port());
  REQUIRE(ReadBytes(d, 6) == "hello\n");
  close(b);
  close(d);
}

TEST_CASE("connection ids are unique and increasing", "[gateway]") {
  Harness h;
  int a = ConnectLoopback(h.run.port());
  int b = ConnectLoopback(h.run.port());
  REQUIRE(ReadBytes(a, 6) == "hello\n");
  REQUIRE(ReadBytes(b, 6) == "hello\n");
  SendAll(a, "id\n");
  SendAll(b, "id\n");
  uint64_t ia = std::stoull(ReadBytes(a, 2));
  uint64_t ib = std::stoull(ReadBytes(b, 2));
  REQUIRE(ia != ib);
  close(a);
  close(b);
}

TEST_CASE("shutdown closes open connections and their sessions", "[gateway]") {
  int before = LineSession::closed.load();
  {
    Harness h;
    int a = ConnectLoopback(h.run.port());
    REQUIRE(ReadBytes(a, 6) == "hello\n");
    h.run.Stop();
    REQUIRE(PeerClosed(a));
    close(a);
  }
  REQUIRE(LineSession::closed.load() == before + 1);
}

TEST_CASE("loop statistics record an iteration that kept the loop busy", "[gateway]") {
  uint64_t max_busy = 0;
  uint64_t over = 0;
  uint64_t iterations = 0;
  {
    Harness h;
    int fd = ConnectLoopback(h.run.port());
    REQUIRE(ReadBytes(fd, 6) == "hello\n");
    SendAll(fd, "echo quick\n");
    REQUIRE(ReadBytes(fd, 6) == "quick\n");
    SendAll(fd, "spin\n");
    REQUIRE(ReadBytes(fd, 5) == "spun\n");
    SendAll(fd, "echo after\n");  // one more iteration so the spin's iteration is measured
    REQUIRE(ReadBytes(fd, 6) == "after\n");
    close(fd);
    h.run.Stop();
    max_busy = h.run.server().loop_stats().max_busy_us;
    over = h.run.server().loop_stats().busy_over_10ms;
    iterations = h.run.server().loop_stats().iterations;
  }
  REQUIRE(iterations > 2);
  REQUIRE(over >= 1);
  REQUIRE(max_busy >= 30'000);
}
