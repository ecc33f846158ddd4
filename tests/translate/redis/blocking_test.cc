// File: tests/translate/redis/blocking_test.cc
// Blocking pops in process, on a fake clock: exact deadlines, clients that go away while they
// wait (nothing is popped for them), a key waited on twice by one client, databases kept apart,
// a served client's pipeline blocking again, the keyspace events of a served pop, WATCH seeing
// it, and the registry left empty afterwards. Byte-for-byte replies against redis-server are in
// tests/integration/redis_blocking_differential_test.cc.
//
//   RedisHarness h;  auto& c = h.Connect();
//   h.Cmd(c, {"BZPOPMIN", "z", "0"});   // "" until another client adds to z
#include <catch2/catch.hpp>

#include <string>

#include "tests/translate/redis/support/fake_transport.h"
#include "tests/translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

std::string Popped(std::string_view key, std::string_view member, std::string_view score) {
  return Arr(3) + Bulk(key) + Bulk(member) + Bulk(score);
}

TEST_CASE("a blocking pop times out at its deadline", "[redis][blocking]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Send(c, Encode({"BZPOPMIN", "z", "1.5"}) + Encode({"PING"})) == "");
  h.Advance(1499);
  CHECK(h.Take(c) == "");
  h.Advance(1);
  CHECK(h.Take(c) == "*-1\r\n+PONG\r\n");
  CHECK(h.Cmd(c, {"BZMPOP", "0.001", "1", "z", "MIN"}) == "");
  h.Advance(1);
  CHECK(h.Take(c) == "*-1\r\n");
  CHECK(h.front().blocked().empty());
}

TEST_CASE("a client that goes away while it waits is not served", "[redis][blocking]") {
  RedisHarness h;
  auto& gone = h.Connect();
  auto& killed = h.Connect();
  auto& c = h.Connect();
  CHECK(h.Cmd(gone, {"BZPOPMIN", "z", "0"}) == "");
  const std::string id = h.Cmd(killed, {"CLIENT", "ID"}).substr(1, 1);
  CHECK(h.Cmd(killed, {"BZPOPMAX", "z", "10"}) == "");
  h.Close(gone);
  CHECK(h.Cmd(c, {"CLIENT", "KILL", "ID", id}) == Int(1));
  CHECK(h.front().blocked().empty());
  CHECK(h.Cmd(c, {"ZADD", "z", "1", "a"}) == Int(1));
  CHECK(h.Cmd(c, {"ZCARD", "z"}) == Int(1));
  h.Advance(20'000);
  CHECK(h.Cmd(c, {"INFO", "clients"}).find("blocked_clients:0\r\n") != std::string::npos);
}

TEST_CASE("a key named twice is waited on once, and databases are apart", "[redis][blocking]") {
  RedisHarness h;
  auto& c = h.Connect();
  auto& other = h.Connect();
  CHECK(h.Cmd(c, {"SELECT", "1"}) == "+OK\r\n");
  CHECK(h.Cmd(c, {"BZPOPMIN", "z", "z", "0"}) == "");
  CHECK(h.Cmd(other, {"ZADD", "z", "1", "a"}) == Int(1));  // database 0
  CHECK(h.Take(c) == "");
  CHECK(h.Cmd(other, {"SELECT", "1"}) == "+OK\r\n");
  CHECK(h.Cmd(other, {"ZADD", "z", "2", "b", "3", "c"}) == Int(2));
  CHECK(h.Take(c) == Popped("z", "b", "2"));
  CHECK(h.Cmd(other, {"ZCARD", "z"}) == Int(1));
  CHECK(h.front().blocked().empty());
}

TEST_CASE("a served client's pipeline runs on and may wait again", "[redis][blocking]") {
  RedisHarness h;
  auto& c = h.Connect();
  auto& other = h.Connect();
  CHECK(h.Send(c, Encode({"BZPOPMIN", "z", "0"}) + Encode({"BZPOPMIN", "z", "0"}) +
                      Encode({"BZPOPMIN", "z", "0"}) + Encode({"ECHO", "done"})) == "");
  CHECK(h.Cmd(other, {"ZADD", "z", "1", "a", "2", "b"}) == Int(2));
  CHECK(h.Take(c) == Popped("z", "a", "1") + Popped("z", "b", "2"));
  CHECK(h.Cmd(other, {"CLIENT", "LIST"}).find(" flags=b ") != std::string::npos);
  CHECK(h.Cmd(other, {"ZADD", "z", "3", "c"}) == Int(1));
  CHECK(h.Take(c) == Popped("z", "c", "3") + Bulk("done"));
  CHECK(h.front().blocked().empty());
}

TEST_CASE("a served pop fires its keyspace events and touches watchers", "[redis][blocking]") {
  RedisHarness h;
  auto& c = h.Connect();
  auto& pusher = h.Connect();
  auto& sub = h.Connect();
  auto& watcher = h.Connect();
  CHECK(h.Cmd(pusher, {"CONFIG", "SET", "notify-keyspace-events", "KEA"}) == "+OK\r\n");
  CHECK(h.Cmd(sub, {"PSUBSCRIBE", "__keyevent@0__:*"}) == Sub("psubscribe", "__keyevent@0__:*", 1));
  CHECK(h.Cmd(c, {"BZPOPMAX", "z", "0"}) == "");
  CHECK(h.Cmd(watcher, {"ZADD", "w", "1", "x"}) == Int(1));
  CHECK(h.Cmd(watcher, {"WATCH", "z"}) == "+OK\r\n");
  CHECK(h.Cmd(watcher, {"MULTI"}) == "+OK\r\n");
  CHECK(h.Cmd(watcher, {"PING"}) == "+QUEUED\r\n");
  CHECK(h.Cmd(pusher, {"ZADD", "z", "1", "a"}) == Int(1));
  CHECK(h.Take(c) == Popped("z", "a", "1"));
  const std::string events = h.Take(sub);
  const size_t zadd = events.find("__keyevent@0__:zadd");
  const size_t pop = events.find("__keyevent@0__:zpopmax");
  const size_t del = events.find("__keyevent@0__:del");
  CHECK(zadd != std::string::npos);
  CHECK(pop != std::string::npos);
  CHECK(del != std::string::npos);
  CHECK(zadd < pop);
  CHECK(pop < del);
  CHECK(h.Cmd(watcher, {"EXEC"}) == "*-1\r\n");
}

TEST_CASE("a string or set at the key leaves the client waiting", "[redis][blocking]") {
  RedisHarness h;
  auto& c = h.Connect();
  auto& other = h.Connect();
  CHECK(h.Cmd(c, {"BZPOPMIN", "k", "0"}) == "");
  CHECK(h.Cmd(other, {"SET", "k", "v"}) == "+OK\r\n");
  CHECK(h.Cmd(other, {"DEL", "k"}) == Int(1));
  CHECK(h.Cmd(other, {"SADD", "k", "m"}) == Int(1));
  CHECK(h.Take(c) == "");
  CHECK(h.Cmd(other, {"DEL", "k"}) == Int(1));
  CHECK(h.Cmd(other, {"ZADD", "k", "4", "m"}) == Int(1));
  CHECK(h.Take(c) == Popped("k", "m", "4"));
}

}  // namespace
}  // namespace kvgate::redis::testing
