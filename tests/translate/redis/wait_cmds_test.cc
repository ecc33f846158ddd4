// File: tests/translate/redis/wait_cmds_test.cc
// WAIT and CLIENT UNBLOCK, the first commands that complete later: the waiting client's pipeline
// is held in order, other clients go on, deadlines, CLIENT UNBLOCK, MULTI, and clients that go
// away while waiting (texts as redis-server 7.0.15 answers them).
//
//   RedisHarness h;  auto& c = h.Connect();
//   h.Send(c, Encode({"WAIT", "1", "100"}));   // "" until 100 ms have passed
#include <catch2/catch.hpp>

#include <string>

#include "tests/translate/redis/support/fake_transport.h"
#include "tests/translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

TEST_CASE("WAIT validates its arguments and answers at once without replicas to wait for",
          "[redis][wait]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"WAIT", "0", "0"}) == Int(0));
  CHECK(h.Cmd(c, {"WAIT", "-1", "10"}) == Int(0));
  CHECK(h.Cmd(c, {"WAIT", "a", "1"}) == "-ERR value is not an integer or out of range\r\n");
  CHECK(h.Cmd(c, {"WAIT", "1", "a"}) == "-ERR timeout is not an integer or out of range\r\n");
  CHECK(h.Cmd(c, {"WAIT", "1", "-1"}) == "-ERR timeout is negative\r\n");
  CHECK(h.Cmd(c, {"WAIT", "1"}) == "-ERR wrong number of arguments for 'wait' command\r\n");
}

TEST_CASE("WAIT holds the client's pipeline until its timeout, in order", "[redis][wait]") {
  RedisHarness h;
  auto& c = h.Connect();
  auto& other = h.Connect();
  CHECK(h.Send(c, Encode({"WAIT", "1", "100"}) + Encode({"SET", "k", "v"}) +
                      Encode({"GET", "k"})) == "");
  // The SET after WAIT has not run: another client does not see it, and is not held.
  CHECK(h.Cmd(other, {"GET", "k"}) == "$-1\r\n");
  CHECK(h.Cmd(other, {"PING"}) == "+PONG\r\n");
  h.Advance(99);
  CHECK(h.Take(c) == "");
  h.Advance(1);
  CHECK(h.Take(c) == Int(0) + "+OK\r\n$1\r\nv\r\n");
  CHECK(h.Cmd(other, {"GET", "k"}) == "$1\r\nv\r\n");
}

TEST_CASE("input that arrives while a command waits runs after it", "[redis][wait]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"WAIT", "1", "50"}) == "");
  CHECK(h.Send(c, Encode({"PING"})) == "");
  CHECK(h.Send(c, Encode({"ECHO", "x"})) == "");
  h.Advance(50);
  CHECK(h.Take(c) == Int(0) + "+PONG\r\n$1\r\nx\r\n");
  CHECK(h.Cmd(c, {"PING"}) == "+PONG\r\n");
}

TEST_CASE("WAIT with timeout 0 blocks until CLIENT UNBLOCK", "[redis][wait]") {
  RedisHarness h;
  auto& c = h.Connect();
  auto& admin = h.Connect();
  const std::string id = h.Cmd(c, {"CLIENT", "ID"}).substr(1, 1);
  CHECK(h.Cmd(c, {"WAIT", "3", "0"}) == "");
  h.Advance(3'600'000);
  CHECK(h.Take(c) == "");
  CHECK(h.Cmd(admin, {"CLIENT", "LIST", "ID", id}).find(" flags=b ") != std::string::npos);
  CHECK(h.Cmd(admin, {"INFO", "clients"}).find("blocked_clients:1\r\n") != std::string::npos);
  CHECK(h.Cmd(admin, {"CLIENT", "UNBLOCK", id}) == Int(1));
  CHECK(h.Cmd(admin, {"CLIENT", "UNBLOCK", id}) == Int(0));  // no longer blocked
  CHECK(h.Take(c) == Int(0));
  CHECK(h.Cmd(admin, {"INFO", "clients"}).find("blocked_clients:0\r\n") != std::string::npos);
  CHECK(h.Cmd(admin, {"CLIENT", "LIST", "ID", id}).find(" flags=N ") != std::string::npos);
}

TEST_CASE("CLIENT UNBLOCK ERROR, bad arguments, and clients that are not blocked",
          "[redis][wait]") {
  RedisHarness h;
  auto& c = h.Connect();
  auto& admin = h.Connect();
  const std::string id = h.Cmd(c, {"CLIENT", "ID"}).substr(1, 1);
  CHECK(h.Cmd(admin, {"CLIENT", "UNBLOCK", id}) == Int(0));
  CHECK(h.Cmd(admin, {"CLIENT", "UNBLOCK", "99"}) == Int(0));
  CHECK(h.Cmd(admin, {"CLIENT", "UNBLOCK", "-5"}) == Int(0));
  CHECK(h.Cmd(admin, {"CLIENT", "UNBLOCK", "abc"}) ==
        "-ERR value is not an integer or out of range\r\n");
  CHECK(h.Cmd(admin, {"CLIENT", "UNBLOCK", id, "foo"}) ==
        "-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n");
  CHECK(h.Send(c, Encode({"WAIT", "1", "1000"}) + Encode({"PING"})) == "");
  CHECK(h.Cmd(admin, {"CLIENT", "UNBLOCK", id, "ERROR"}) == Int(1));
  CHECK(h.Take(c) == "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n+PONG\r\n");
  h.Advance(1000);  // the old deadline wakes nothing
  CHECK(h.Take(c) == "");
}

TEST_CASE("WAIT inside MULTI answers at once", "[redis][wait]") {
  RedisHarness h;
  auto& c = h.Connect();
  CHECK(h.Cmd(c, {"MULTI"}) == "+OK\r\n");
  CHECK(h.Cmd(c, {"WAIT", "1", "0"}) == "+QUEUED\r\n");
  CHECK(h.Cmd(c, {"PING"}) == "+QUEUED\r\n");
  CHECK(h.Cmd(c, {"EXEC"}) == "*2\r\n" + Int(0) + "+PONG\r\n");
}

TEST_CASE("a client that goes away while waiting is forgotten", "[redis][wait]") {
  RedisHarness h;
  auto& c = h.Connect();
  auto& killed = h.Connect();
  auto& admin = h.Connect();
  CHECK(h.Send(c, Encode({"WAIT", "1", "100"}) + Encode({"PING"})) == "");
  h.Close(c);
  const std::string id = h.Cmd(killed, {"CLIENT", "ID"}).substr(1, 1);
  CHECK(h.Cmd(killed, {"WAIT", "1", "0"}) == "");
  CHECK(h.Cmd(admin, {"CLIENT", "KILL", "ID", id}) == Int(1));
  CHECK(killed.closed);
  h.Advance(200);
  CHECK(h.Cmd(admin, {"INFO", "clients"}).find("blocked_clients:0\r\n") != std::string::npos);
  CHECK(h.Cmd(admin, {"PING"}) == "+PONG\r\n");
}

}  // namespace
}  // namespace kvgate::redis::testing
