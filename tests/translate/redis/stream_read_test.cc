// File: tests/translate/redis/stream_read_test.cc
// XREAD BLOCK in process, on a fake clock: served by another client's XADD (oldest waiter
// first, `$` resolved when it blocked), after EXEC and after a script, no waiting inside MULTI,
// BLOCK refused in a script, exact timeouts (RESP2 and RESP3 nulls), CLIENT UNBLOCK, a value
// of another type that does not serve, RESP3's map, and a client that goes away forgotten.
// Byte-for-byte replies against redis-server are in
// tests/integration/redis_stream_read_differential_test.cc.
//
//   h.Cmd(c, {"XREAD", "BLOCK", "0", "STREAMS", "s", "$"});   // "" until another client XADDs
#include <catch2/catch.hpp>

#include <string>

#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

// XREAD's RESP2 reply for one stream holding one entry.
std::string ReadOne(std::string_view key, std::string_view id, std::string_view f,
                    std::string_view v) {
  return Arr(1) + Arr(2) + Bulk(key) + Arr(1) + XEntry(id, f, v);
}

TEST_CASE("XREAD BLOCK is served by another client's XADD, oldest waiter first",
          "[redis][streams][blocking]") {
  RedisHarness h;
  auto& a = h.Connect();
  auto& b = h.Connect();
  auto& w = h.Connect();
  CHECK(h.Cmd(w, {"XADD", "s", "1-1", "f", "old"}) == Bulk("1-1"));
  CHECK(h.Cmd(a, {"XREAD", "BLOCK", "0", "STREAMS", "s", "$"}) == "");
  CHECK(h.Cmd(b, {"XREAD", "BLOCK", "0", "STREAMS", "other", "s", "$", "$"}) == "");
  CHECK(h.Cmd(w, {"XADD", "s", "2-1", "f", "new"}) == Bulk("2-1"));
  CHECK(h.Take(a) == ReadOne("s", "2-1", "f", "new"));
  CHECK(h.Take(b) == ReadOne("s", "2-1", "f", "new"));
  CHECK(h.front().blocked().empty());
  // Within EXEC the waiter is served after the whole transaction.
  CHECK(h.Cmd(a, {"XREAD", "COUNT", "5", "BLOCK", "0", "STREAMS", "s", "2-1"}) == "");
  CHECK(h.Cmd(w, {"MULTI"}) == kOk);
  CHECK(h.Cmd(w, {"XADD", "s", "3-1", "f", "x"}) == Simple("QUEUED"));
  CHECK(h.Cmd(w, {"XADD", "s", "3-2", "f", "y"}) == Simple("QUEUED"));
  CHECK(h.Cmd(w, {"EXEC"}) == Arr(2) + Bulk("3-1") + Bulk("3-2"));
  CHECK(h.Take(a) ==
        Arr(1) + Arr(2) + Bulk("s") + Arr(2) + XEntry("3-1", "f", "x") + XEntry("3-2", "f", "y"));
  // A script's XADD serves it after the script.
  CHECK(h.Cmd(a, {"XREAD", "BLOCK", "0", "STREAMS", "s", "$"}) == "");
  CHECK(h.Cmd(w, {"EVAL", "return redis.call('XADD', KEYS[1], '4-1', 'f', 'z')", "1", "s"}) ==
        Bulk("4-1"));
  CHECK(h.Take(a) == ReadOne("s", "4-1", "f", "z"));
  // Inside MULTI XREAD BLOCK answers at once; in a script BLOCK is refused.
  CHECK(h.Cmd(w, {"MULTI"}) == kOk);
  CHECK(h.Cmd(w, {"XREAD", "BLOCK", "0", "STREAMS", "s", "$"}) == Simple("QUEUED"));
  CHECK(h.Cmd(w, {"EXEC"}) == Arr(1) + "*-1\r\n");
  CHECK(h.Cmd(w, {"EVAL", "return redis.call('xread', 'BLOCK', '0', 'STREAMS', 's', '$')", "0"})
            .find("xread command is not allowed with BLOCK option from scripts") !=
        std::string::npos);
}

TEST_CASE("XREAD BLOCK times out, is unblocked, and forgets a client that goes",
          "[redis][streams][blocking]") {
  RedisHarness h;
  auto& c = h.Connect();
  auto& other = h.Connect();
  CHECK(h.Send(c, Encode({"XREAD", "BLOCK", "1500", "STREAMS", "s", "0"}) + Encode({"PING"})) ==
        "");
  h.Advance(1499);
  CHECK(h.Take(c) == "");
  h.Advance(1);
  CHECK(h.Take(c) == "*-1\r\n+PONG\r\n");
  h.Cmd(c, {"HELLO", "3"});
  CHECK(h.Cmd(c, {"XREAD", "BLOCK", "10", "STREAMS", "s", "0"}) == "");
  h.Advance(10);
  CHECK(h.Take(c) == kNull3);
  const std::string id = h.Cmd(c, {"CLIENT", "ID"}).substr(1);
  CHECK(h.Cmd(c, {"XREAD", "BLOCK", "0", "STREAMS", "s", "0"}) == "");
  CHECK(h.Cmd(other, {"CLIENT", "UNBLOCK", id.substr(0, id.size() - 2)}) == Int(1));
  CHECK(h.Take(c) == kNull3);
  CHECK(h.Cmd(c, {"XREAD", "BLOCK", "0", "STREAMS", "s", "0"}) == "");
  CHECK(h.Cmd(other, {"CLIENT", "UNBLOCK", id.substr(0, id.size() - 2), "ERROR"}) == Int(1));
  CHECK(h.Take(c) == "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n");
  // A non-stream value at the key leaves it waiting; a stream entry serves it (RESP3: a map).
  CHECK(h.Cmd(c, {"XREAD", "BLOCK", "0", "STREAMS", "s", "0"}) == "");
  CHECK(h.Cmd(other, {"SET", "s", "v"}) == kOk);
  CHECK(h.Take(c) == "");
  CHECK(h.Cmd(other, {"DEL", "s"}) == Int(1));
  CHECK(h.Cmd(other, {"XADD", "s", "1-1", "f", "v"}) == Bulk("1-1"));
  CHECK(h.Take(c) == "%1\r\n" + Bulk("s") + Arr(1) + XEntry("1-1", "f", "v"));
  auto& gone = h.Connect();
  CHECK(h.Cmd(gone, {"XREAD", "BLOCK", "0", "STREAMS", "s", "$"}) == "");
  h.Close(gone);
  CHECK(h.front().blocked().empty());
  CHECK(h.Cmd(other, {"XADD", "s", "2-1", "f", "v"}) == Bulk("2-1"));
}

}  // namespace
}  // namespace kvgate::redis::testing
