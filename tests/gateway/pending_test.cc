// File: tests/gateway/pending_test.cc
// Commands that complete later, end to end over real sockets: the Redis front over a store that
// holds every change until the test releases it (tests/support/delayed_store.h). A client's
// pipelined commands wait behind its pending write and answer in order; other clients go on;
// a client that disconnects or is killed while waiting, and a shutdown with changes in flight,
// leave nothing behind (ASan checks the last part); WAIT times out through the loop; a blocking
// pop served by a write that answers later answers after it; XREADGROUP over several streams
// waits for each stream's read in turn. A NATS KV put is acknowledged only once the store has
// made it.
//
//   Setup s;                       // RedisFront over DelayedStore over LocalStore, on a thread
//   int fd = ConnectLoopback(s.run.port());
//   SendAll(fd, "SET k v\r\n");    // held until s.store.Release()
#include <catch2/catch.hpp>

#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "engine/engine.h"
#include "engine/local_store.h"
#include "gateway/loop_clock.h"
#include "tests/support/delayed_store.h"
#include "tests/support/loopback.h"
#include "tests/support/nats_client.h"
#include "tests/support/server_thread.h"
#include "translate/nats/nats_front.h"
#include "translate/redis/front.h"

namespace {

using kvgate::testing::ConnectLoopback;
using kvgate::testing::SendAll;

constexpr int64_t kHeld = int64_t{1} << 50;  // a delay no test outlives: only Release() answers

kvgate::gateway::ServerOptions FastTicks() {
  kvgate::gateway::ServerOptions o;
  o.engine_tick_ms = 2;  // the store's Tick notices Release() soon
  o.front_tick_ms = 5;
  return o;
}

struct Setup {
  Setup()
      : engine(clock),
        local(engine),
        store(local, clock, kHeld),
        front(store, {}),
        run(store, front, FastTicks(), &clock) {
  }
  kvgate::gateway::LoopClock clock;
  kvgate::engine::Engine engine;
  kvgate::engine::LocalStore local;
  kvgate::testing::DelayedStore store;
  kvgate::redis::RedisFront front;
  kvgate::testing::ServerThread run;
};

std::string ReadUntilEnds(int fd, std::string_view suffix) {
  return kvgate::testing::ReadUntil(
      fd, [&](const std::string& got) { return got.ends_with(suffix); }, 10'000);
}

// Waits until the store holds at least `n` changes (the loop thread has issued them).
void WaitQueued(Setup& s, size_t n) {
  for (int i = 0; i < 10'000 && s.store.queued() < n; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  REQUIRE(s.store.queued() >= n);
}

// Waits until the store has answered `n` changes in all.
void WaitAnswered(Setup& s, uint64_t n) {
  for (int i = 0; i < 10'000 && s.store.answered() < n; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  REQUIRE(s.store.answered() == n);
}

// True if bytes are waiting on the socket right now.
bool Readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, 0) > 0;
}

}  // namespace

TEST_CASE("a pending write holds its client's pipeline; replies keep request order",
          "[gateway][pending]") {
  Setup s;
  int fd = ConnectLoopback(s.run.port());
  SendAll(fd, "SET k v\r\nGET k\r\nINCR n\r\nPING\r\n");
  WaitQueued(s, 1);  // only the SET: GET, INCR and PING wait behind it
  CHECK(s.store.queued() == 1);
  CHECK_FALSE(Readable(fd));
  s.store.Release();
  WaitAnswered(s, 1);  // the SET was answered; INCR then queued and is held in turn
  WaitQueued(s, 1);
  s.store.Release();
  CHECK(ReadUntilEnds(fd, "+PONG\r\n") == "+OK\r\n$1\r\nv\r\n:1\r\n+PONG\r\n");
  close(fd);
}

TEST_CASE("another client goes on while one waits for the store", "[gateway][pending]") {
  Setup s;
  int a = ConnectLoopback(s.run.port());
  int b = ConnectLoopback(s.run.port());
  SendAll(a, "SET k v\r\nPING\r\n");
  WaitQueued(s, 1);
  // b is not held, and does not see a's write before the store has made it.
  SendAll(b, "PING\r\nGET k\r\n");
  CHECK(ReadUntilEnds(b, "$-1\r\n") == "+PONG\r\n$-1\r\n");
  CHECK_FALSE(Readable(a));
  s.store.Release();
  CHECK(ReadUntilEnds(a, "+PONG\r\n") == "+OK\r\n+PONG\r\n");
  SendAll(b, "GET k\r\n");
  CHECK(ReadUntilEnds(b, "$1\r\nv\r\n") == "$1\r\nv\r\n");
  close(a);
  close(b);
}

TEST_CASE("a transaction's writes complete later, its reply array in order", "[gateway][pending]") {
  Setup s;
  int fd = ConnectLoopback(s.run.port());
  SendAll(fd, "MULTI\r\nSET a 1\r\nINCR a\r\nGET a\r\nEXEC\r\nPING\r\n");
  // EXEC's array header goes out at once; its elements follow the store's answers.
  CHECK(ReadUntilEnds(fd, "*3\r\n") == "+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n*3\r\n");
  for (uint64_t i = 1; i <= 2; ++i) {  // SET, then INCR (issued only once SET has answered)
    WaitQueued(s, 1);
    CHECK(s.store.queued() == 1);
    s.store.Release();
    WaitAnswered(s, i);
  }
  CHECK(ReadUntilEnds(fd, "+PONG\r\n") == "+OK\r\n:2\r\n$1\r\n2\r\n+PONG\r\n");
  close(fd);
}

TEST_CASE("a client that disconnects or is killed while waiting is forgotten",
          "[gateway][pending]") {
  Setup s;
  int gone = ConnectLoopback(s.run.port());
  SendAll(gone, "SET g 1\r\nGET g\r\n");
  WaitQueued(s, 1);
  close(gone);  // the answer comes for a client that is no more

  int killed = ConnectLoopback(s.run.port());
  SendAll(killed, "CLIENT ID\r\n");
  std::string id = ReadUntilEnds(killed, "\r\n").substr(1);
  id.resize(id.size() - 2);
  SendAll(killed, "SET h 1\r\nPING\r\n");
  WaitQueued(s, 2);
  int admin = ConnectLoopback(s.run.port());
  SendAll(admin, "CLIENT KILL ID " + id + "\r\n");
  CHECK(ReadUntilEnds(admin, "\r\n") == ":1\r\n");
  CHECK(kvgate::testing::ReadUntil(
            killed, [](const std::string&) { return false; }, 10'000) == "");  // closed, silent
  s.store.Release();
  WaitAnswered(s, 2);
  // Both writes were made (they had been issued), and the server goes on.
  SendAll(admin, "MGET g h\r\nPING\r\n");
  CHECK(ReadUntilEnds(admin, "+PONG\r\n") == "*2\r\n$1\r\n1\r\n$1\r\n1\r\n+PONG\r\n");
  close(killed);
  close(admin);
}

TEST_CASE("shutdown with changes in flight releases them", "[gateway][pending]") {
  Setup s;
  int fd = ConnectLoopback(s.run.port());
  SendAll(fd, "SET k v\r\nGET k\r\n");
  WaitQueued(s, 1);
  s.run.Stop();  // connections close with the SET unanswered; nothing may leak or dangle
  CHECK(s.store.queued() == 1);
  close(fd);
}

TEST_CASE("WAIT times out through the loop and holds the pipeline until then",
          "[gateway][pending]") {
  Setup s;
  int fd = ConnectLoopback(s.run.port());
  int other = ConnectLoopback(s.run.port());
  SendAll(fd, "WAIT 1 30\r\nPING\r\n");
  SendAll(other, "PING\r\n");
  CHECK(ReadUntilEnds(other, "+PONG\r\n") == "+PONG\r\n");
  CHECK(ReadUntilEnds(fd, "+PONG\r\n") == ":0\r\n+PONG\r\n");
  close(fd);
  close(other);
}

TEST_CASE("a blocking pop is served by a write the store acknowledges later",
          "[gateway][pending]") {
  Setup s;
  int a = ConnectLoopback(s.run.port());
  int b = ConnectLoopback(s.run.port());
  SendAll(a, "BZPOPMIN z 0\r\nPING\r\n");
  SendAll(b, "PING\r\n");  // a has blocked once b is served (one loop)
  CHECK(ReadUntilEnds(b, "+PONG\r\n") == "+PONG\r\n");
  SendAll(b, "ZADD z 1 m\r\nZCARD z\r\n");
  WaitQueued(s, 2);  // b's ZADD and the pop serving a, both held
  CHECK_FALSE(Readable(a));
  CHECK_FALSE(Readable(b));
  s.store.Release();
  CHECK(ReadUntilEnds(a, "+PONG\r\n") == "*3\r\n$1\r\nz\r\n$1\r\nm\r\n$1\r\n1\r\n+PONG\r\n");
  CHECK(ReadUntilEnds(b, ":0\r\n") == ":1\r\n:0\r\n");
  close(a);
  close(b);
}

TEST_CASE("a NATS KV put is acknowledged once the store has made it", "[gateway][pending]") {
  kvgate::gateway::LoopClock clock;
  kvgate::engine::Engine engine(clock);
  kvgate::engine::LocalStore local(engine);
  kvgate::testing::DelayedStore store(local, clock, kHeld);
  kvgate::nats::NatsFront front(store, kvgate::nats::NatsConfig{});
  kvgate::testing::ServerThread run(store, front, FastTicks(), &clock);
  kvgate::testing::NatsClient writer(run.port());
  kvgate::testing::NatsClient reader(run.port());
  kvStore* kv = nullptr;
  REQUIRE(writer.CreateBucket(&kv, "held") == NATS_OK);  // bucket changes pass through
  kvStore* kv2 = nullptr;
  REQUIRE(js_KeyValue(&kv2, reader.js(), "held") == NATS_OK);
  reader.Own(kv2);

  uint64_t rev = 0;
  natsStatus put = NATS_ERR;
  std::thread t([&] { put = kvStore_PutString(&rev, kv, "k", "v"); });
  for (int i = 0; i < 10'000 && store.queued() < 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  REQUIRE(store.queued() == 1);
  kvEntry* e = nullptr;
  CHECK(kvStore_Get(&e, kv2, "k") == NATS_NOT_FOUND);  // not made yet, and the reader goes on
  store.Release();
  t.join();
  CHECK(put == NATS_OK);
  CHECK(rev == 1);
  REQUIRE(kvStore_Get(&e, kv2, "k") == NATS_OK);
  CHECK(std::string(kvEntry_ValueString(e)) == "v");
  kvEntry_Destroy(e);
}

TEST_CASE("a client flooding input behind a blocked command is bounded, then fully served",
          "[gateway][pending]") {
  Setup s;
  int fd = ConnectLoopback(s.run.port());
  int other = ConnectLoopback(s.run.port());
  SendAll(fd, "CLIENT ID\r\n");
  const std::string id_reply = ReadUntilEnds(fd, "\r\n");
  const std::string id = id_reply.substr(1, id_reply.size() - 3);
  SendAll(fd, "WAIT 1 0\r\n");
  // PINGs behind the WAIT: the server holds a bounded amount (1 MiB, then stops reading), so
  // the sender soon blocks: kernel socket buffers plus that bound, far below what is offered.
  const std::string chunk = [] {
    std::string c;
    for (int i = 0; i < 1024; ++i) c += "PING\r\n";
    return c;
  }();
  constexpr size_t kOffered = size_t{64} << 20;
  size_t sent = 0;
  auto last_progress = std::chrono::steady_clock::now();
  while (sent < kOffered &&
         std::chrono::steady_clock::now() - last_progress < std::chrono::milliseconds(500)) {
    const size_t off = sent % chunk.size();
    ssize_t n = send(fd, chunk.data() + off, chunk.size() - off, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      last_progress = std::chrono::steady_clock::now();
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  CHECK(sent < kOffered / 2);
  // The server goes on serving everyone else meanwhile.
  SendAll(other, "PING\r\n");
  CHECK(ReadUntilEnds(other, "+PONG\r\n") == "+PONG\r\n");
  SendAll(other, "CLIENT UNBLOCK " + id + "\r\n");
  CHECK(ReadUntilEnds(other, ":1\r\n") == ":1\r\n");
  // Complete the last PING (reading replies meanwhile: the server may be waiting for us to), so
  // every byte sent is a whole command.
  std::string got;
  char buf[65536];
  while (sent % 6 != 0) {
    const size_t off = sent % chunk.size();
    ssize_t n = send(fd, chunk.data() + off, 6 - off % 6, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) sent += static_cast<size_t>(n);
    ssize_t r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (r > 0) got.append(buf, static_cast<size_t>(r));
  }
  // Every held PING is answered, in order, after the WAIT's own reply.
  const size_t pings = sent / 6;
  const std::string want_tail = "+PONG\r\n";
  got += kvgate::testing::ReadUntil(
      fd,
      [&](const std::string& g) { return got.size() + g.size() >= 4 + pings * want_tail.size(); },
      60'000);
  REQUIRE(got.size() == 4 + pings * want_tail.size());
  CHECK(got.substr(0, 4) == ":0\r\n");
  size_t bad = 0;
  for (size_t i = 4; i < got.size(); i += want_tail.size()) {
    bad += got.compare(i, want_tail.size(), want_tail) != 0 ? 1 : 0;
  }
  CHECK(bad == 0);
  close(fd);
  close(other);
}

TEST_CASE("XREADGROUP over two streams and XCLAIM answer once each change is acknowledged",
          "[gateway][pending]") {
  Setup s;
  int a = ConnectLoopback(s.run.port());
  SendAll(a,
          "XADD x 1-1 f v\r\nXADD y 2-1 g w\r\nXGROUP CREATE x g 0\r\nXGROUP CREATE y g 0\r\n"
          "XREADGROUP GROUP g c STREAMS x y > >\r\nXCLAIM x g d 0 1-1 JUSTID\r\nPING\r\n");
  // Seven changes (each stream's read is one), one at a time: the pipeline waits behind each.
  for (uint64_t k = 1; k <= 7; ++k) {
    WaitQueued(s, 1);
    CHECK(s.store.queued() == 1);
    s.store.Release();
    WaitAnswered(s, k);
  }
  const std::string entries =
      "*2\r\n*2\r\n$1\r\nx\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n"
      "*2\r\n$1\r\ny\r\n*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\ng\r\n$1\r\nw\r\n";
  CHECK(ReadUntilEnds(a, "+PONG\r\n") ==
        "$3\r\n1-1\r\n$3\r\n2-1\r\n+OK\r\n+OK\r\n" + entries + "*1\r\n$3\r\n1-1\r\n+PONG\r\n");
  close(a);
}
