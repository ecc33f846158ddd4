// File: tests/translate/redis/client_pause_test.cc
// CLIENT PAUSE / UNPAUSE (translate/redis/client_pause.h): which commands each mode postpones,
// the postponed client's pipeline held in order, release in the order clients were postponed
// (at UNPAUSE or the pause's end), the stricter and later pause winning, expiry paused with the
// clients, and clients that go away while postponed (texts as redis-server 7.0.15 answers).
//
//   RedisHarness h;  auto& c = h.Connect();
//   h.Cmd(admin, {"CLIENT", "PAUSE", "1000", "WRITE"});
//   CHECK(h.Cmd(c, {"SET", "k", "v"}) == "");   // held until UNPAUSE or 1000 ms
#include <catch2/catch.hpp>

#include <string>

#include "tests/translate/redis/support/fake_transport.h"
#include "tests/translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

bool Has(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_CASE("CLIENT PAUSE validates its arguments", "[redis][pause]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"CLIENT", "PAUSE", "abc"}) ==
        "-ERR timeout is not an integer or out of range\r\n");
  CHECK(h.Cmd(c, {"CLIENT", "PAUSE", "1.5"}) ==
        "-ERR timeout is not an integer or out of range\r\n");
  CHECK(h.Cmd(c, {"CLIENT", "PAUSE", "-1"}) == "-ERR timeout is negative\r\n");
  CHECK(h.Cmd(c, {"CLIENT", "PAUSE", "100", "foo"}) ==
        "-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n");
  CHECK(h.Cmd(c, {"CLIENT", "PAUSE", "abc", "foo"}) ==
        "-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n");
  CHECK(h.Cmd(c, {"CLIENT", "PAUSE", "10", "write", "x"}) ==
        "-ERR unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP.\r\n");
  CHECK(h.Cmd(c, {"CLIENT", "PAUSE"}) ==
        "-ERR wrong number of arguments for 'client|pause' command\r\n");
  CHECK(h.Cmd(c, {"CLIENT", "UNPAUSE", "x"}) ==
        "-ERR wrong number of arguments for 'client|unpause' command\r\n");
  CHECK(h.Cmd(c, {"CLIENT", "UNPAUSE"}) == "+OK\r\n");  // nothing paused: still OK
  CHECK(h.Cmd(c, {"SET", "k", "v"}) == "+OK\r\n");      // the rejected pauses paused nothing
}

TEST_CASE("CLIENT PAUSE WRITE holds writes and what follows them; reads go on", "[redis][pause]") {
  RedisHarness h;
  auto& admin = h.Connect();
  auto& a = h.Connect();
  auto& b = h.Connect();
  CHECK(h.Cmd(admin, {"SET", "k", "v0"}) == "+OK\r\n");
  CHECK(h.Cmd(admin, {"CLIENT", "PAUSE", "100000", "WRITE"}) == "+OK\r\n");
  // A read answers; a write and everything pipelined behind it waits.
  CHECK(h.Send(a, Encode({"GET", "k"}) + Encode({"SET", "k", "a"}) + Encode({"GET", "k"})) ==
        "$2\r\nv0\r\n");
  CHECK(h.Cmd(b, {"PUBLISH", "ch", "m"}) == "");  // may replicate: held too
  CHECK(h.Cmd(admin, {"GET", "k"}) == "$2\r\nv0\r\n");
  CHECK(h.Cmd(admin, {"WAIT", "0", "0"}) == Int(0));
  CHECK(h.Cmd(admin, {"SET", "k", "admin"}) == "");  // the pausing client is paused too
  h.Advance(99'000);
  CHECK(h.Take(a) == "");
  CHECK(h.Cmd(b, {"ECHO", "x"}) == "");  // b is held behind its PUBLISH
  auto& d = h.Connect();
  CHECK(Has(h.Cmd(d, {"INFO", "clients"}), "blocked_clients:3\r\n"));
  CHECK(Has(h.Cmd(d, {"CLIENT", "LIST"}), " flags=b "));
  // A postponed client is not blocked in a way CLIENT UNBLOCK may end.
  CHECK(h.Cmd(d, {"CLIENT", "UNBLOCK", "2"}) == Int(0));
  CHECK(h.Cmd(d, {"CLIENT", "UNPAUSE"}) == "+OK\r\n");
  // Released in the order they were postponed, each with its whole pipeline.
  CHECK(h.Take(a) == "+OK\r\n$1\r\na\r\n");
  CHECK(h.Take(b) == Int(0) + "$1\r\nx\r\n");
  CHECK(h.Take(admin) == "+OK\r\n");
  CHECK(h.Cmd(d, {"GET", "k"}) == "$5\r\nadmin\r\n");
  CHECK(Has(h.Cmd(d, {"INFO", "clients"}), "blocked_clients:0\r\n"));
}

TEST_CASE("CLIENT PAUSE WRITE and transactions", "[redis][pause]") {
  RedisHarness h;
  auto& admin = h.Connect();
  auto& c = h.Connect();
  SECTION("a write is held before it is queued") {
    CHECK(h.Cmd(admin, {"CLIENT", "PAUSE", "100000", "WRITE"}) == "+OK\r\n");
    CHECK(h.Cmd(c, {"MULTI"}) == "+OK\r\n");
    CHECK(h.Cmd(c, {"SET", "k", "1"}) == "");
    CHECK(h.Send(c, Encode({"GET", "k"}) + Encode({"EXEC"})) == "");
    CHECK(Has(h.Cmd(admin, {"CLIENT", "LIST"}), " flags=xb "));
    CHECK(h.Cmd(admin, {"CLIENT", "UNPAUSE"}) == "+OK\r\n");
    CHECK(h.Take(c) == "+QUEUED\r\n+QUEUED\r\n*2\r\n+OK\r\n$1\r\n1\r\n");
  }
  SECTION("a read-only transaction runs") {
    CHECK(h.Cmd(admin, {"CLIENT", "PAUSE", "100000", "WRITE"}) == "+OK\r\n");
    CHECK(h.Send(c, Encode({"MULTI"}) + Encode({"PING"}) + Encode({"EXEC"})) ==
          "+OK\r\n+QUEUED\r\n*1\r\n+PONG\r\n");
  }
  SECTION("EXEC of a transaction that queued a write is held") {
    CHECK(h.Send(c, Encode({"MULTI"}) + Encode({"SET", "k", "1"})) == "+OK\r\n+QUEUED\r\n");
    CHECK(h.Cmd(admin, {"CLIENT", "PAUSE", "100000", "WRITE"}) == "+OK\r\n");
    CHECK(h.Cmd(c, {"EXEC"}) == "");
    CHECK(h.Cmd(admin, {"GET", "k"}) == "$-1\r\n");
    CHECK(h.Cmd(admin, {"CLIENT", "UNPAUSE"}) == "+OK\r\n");
    CHECK(h.Take(c) == "*1\r\n+OK\r\n");
  }
  SECTION("a pause inside EXEC lets the rest of the transaction run") {
    CHECK(h.Send(c, Encode({"MULTI"}) + Encode({"CLIENT", "PAUSE", "100000", "WRITE"}) +
                        Encode({"SET", "k", "1"}) + Encode({"EXEC"})) ==
          "+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n+OK\r\n+OK\r\n");
    CHECK(h.Cmd(c, {"SET", "k", "2"}) == "");
    CHECK(h.Cmd(admin, {"CLIENT", "UNPAUSE"}) == "+OK\r\n");
    CHECK(h.Take(c) == "+OK\r\n");
  }
}

TEST_CASE("CLIENT PAUSE ALL holds every command until its end, UNPAUSE included",
          "[redis][pause]") {
  RedisHarness h;
  auto& admin = h.Connect();
  auto& a = h.Connect();
  auto& b = h.Connect();
  CHECK(h.Cmd(admin, {"CLIENT", "PAUSE", "300"}) == "+OK\r\n");  // ALL is the default
  CHECK(h.Cmd(a, {"GET", "k"}) == "");
  CHECK(h.Cmd(b, {"CLIENT", "UNPAUSE"}) == "");
  CHECK(h.Cmd(admin, {"PING"}) == "");
  h.Advance(300);  // the end itself: still paused (the pause ends once its end has passed)
  CHECK(h.Take(a) == "");
  h.Advance(1);
  CHECK(h.Take(a) == "$-1\r\n");
  CHECK(h.Take(b) == "+OK\r\n");
  CHECK(h.Take(admin) == "+PONG\r\n");
}

TEST_CASE("a new pause never weakens the one in force", "[redis][pause]") {
  RedisHarness h;
  auto& admin = h.Connect();
  auto& c = h.Connect();
  SECTION("an earlier, weaker pause does not shorten or relax it") {
    CHECK(h.Send(admin, Encode({"CLIENT", "PAUSE", "200", "ALL"}) +
                            Encode({"CLIENT", "PAUSE", "10", "WRITE"})) == "+OK\r\n");
    // The second pause is itself held by the first.
    h.Advance(201);
    CHECK(h.Take(admin) == "+OK\r\n");
    CHECK(h.Cmd(c, {"GET", "k"}) == "$-1\r\n");  // WRITE for 10 ms more, from 201
  }
  SECTION("a stricter pause applies until the later end") {
    CHECK(h.Cmd(admin, {"CLIENT", "PAUSE", "100", "WRITE"}) == "+OK\r\n");
    CHECK(h.Cmd(admin, {"CLIENT", "PAUSE", "10", "ALL"}) == "+OK\r\n");
    h.Advance(50);
    CHECK(h.Cmd(c, {"GET", "k"}) == "");
    h.Advance(51);
    CHECK(h.Take(c) == "$-1\r\n");
  }
  SECTION("a timeout past the end of time pauses until UNPAUSE") {
    CHECK(h.Cmd(admin, {"CLIENT", "PAUSE", "9223372036854775807", "WRITE"}) == "+OK\r\n");
    CHECK(h.Cmd(c, {"SET", "k", "v"}) == "");
    h.Advance(365LL * 24 * 3600 * 1000);
    CHECK(h.Take(c) == "");
    CHECK(h.Cmd(admin, {"CLIENT", "UNPAUSE"}) == "+OK\r\n");
    CHECK(h.Take(c) == "+OK\r\n");
  }
}

TEST_CASE("nothing expires while clients are paused", "[redis][pause]") {
  RedisHarness h;
  auto& admin = h.Connect();
  auto& sub = h.Connect();
  CHECK(h.Cmd(admin, {"CONFIG", "SET", "notify-keyspace-events", "Ex"}) == "+OK\r\n");
  CHECK(h.Cmd(sub, {"SUBSCRIBE", "__keyevent@0__:expired"}) != "");
  CHECK(h.Cmd(admin, {"SET", "e", "v", "PX", "50"}) == "+OK\r\n");
  CHECK(h.Cmd(admin, {"CLIENT", "PAUSE", "100000", "WRITE"}) == "+OK\r\n");
  h.Advance(100);
  h.store().Tick();  // active expiry: nothing to do while paused
  h.Pump();
  CHECK(h.Cmd(admin, {"GET", "e"}) == "$-1\r\n");
  CHECK(h.Cmd(admin, {"EXISTS", "e"}) == Int(0));
  CHECK(h.Cmd(admin, {"DBSIZE"}) == Int(1));  // expired but kept, as in Redis
  CHECK(h.Take(sub) == "");
  CHECK(h.Cmd(admin, {"CLIENT", "UNPAUSE"}) == "+OK\r\n");
  CHECK(h.Cmd(admin, {"GET", "e"}) == "$-1\r\n");
  CHECK(h.Cmd(admin, {"DBSIZE"}) == Int(0));
  CHECK(Has(h.Take(sub), "expired"));
}

TEST_CASE("a client that goes away while postponed is dropped; the others are released",
          "[redis][pause]") {
  RedisHarness h;
  auto& admin = h.Connect();
  auto& gone = h.Connect();
  auto& c = h.Connect();
  CHECK(h.Cmd(admin, {"CLIENT", "PAUSE", "100000", "WRITE"}) == "+OK\r\n");
  CHECK(h.Cmd(gone, {"SET", "k", "gone"}) == "");
  CHECK(h.Cmd(c, {"INCR", "n"}) == "");
  h.Close(gone);
  CHECK(Has(h.Cmd(admin, {"INFO", "clients"}), "blocked_clients:1\r\n"));
  CHECK(h.Cmd(admin, {"CLIENT", "UNPAUSE"}) == "+OK\r\n");
  CHECK(h.Take(c) == Int(1));
  CHECK(h.Cmd(admin, {"GET", "k"}) == "$-1\r\n");
}

}  // namespace
}  // namespace kvgate::redis::testing
