// File: tests/integration/persistence_functions_test.cc
// FUNCTION libraries live with the data, as Redis keeps them in its AOF and RDB: with the
// databases as file buckets, LOAD/DELETE/RESTORE/FLUSH survive a kill -9 and a checkpoint;
// without persistence a restart forgets them, as redis-server without AOF or RDB does.
#include <signal.h>
#include <catch2/catch.hpp>

#include <string>

#include "integration/support/persistence_files.h"
#include "integration/support/process.h"
#include "integration/support/resp_client.h"

using kvgate::testing::DbSizeAfterLoading;
using kvgate::testing::RawConn;
using kvgate::testing::StartKvgateIn;
using kvgate::testing::TempDir;
using kvgate::testing::WaitInfo;
using kvgate::testing::WaitInfoAtLeast;

namespace {

std::string Library(const std::string& name, const std::string& result) {
  return "#!lua name=" + name + "\nredis.register_function('" + name +
         "_f', function(keys, args) return '" + result + "' end)";
}

}  // namespace

TEST_CASE("persistence: FUNCTION libraries come back after kill -9 and after a checkpoint",
          "[integration][persistence]") {
  TempDir dir("data");
  const std::vector<std::string> args = {"--appendonly", "yes", "--appendfsync", "always"};
  std::string listed;
  {
    auto kv = StartKvgateIn(dir.path, args);
    RawConn c(kv->redis_port);
    CHECK(c.Call({"FUNCTION", "LOAD", Library("one", "1")}) == "$3\r\none\r\n");
    CHECK(c.Call({"FUNCTION", "LOAD", Library("two", "2")}) == "$3\r\ntwo\r\n");
    CHECK(c.Call({"FUNCTION", "LOAD", Library("gone", "x")}) == "$4\r\ngone\r\n");
    CHECK(c.Call({"FUNCTION", "DELETE", "gone"}) == "+OK\r\n");
    CHECK(c.Call({"FUNCTION", "LOAD", "REPLACE", Library("two", "22")}) == "$3\r\ntwo\r\n");
    CHECK(c.Call({"SET", "k", "v"}) == "+OK\r\n");
    listed = c.Call({"FUNCTION", "LIST", "WITHCODE"});
    REQUIRE(::kill(kv->process->pid(), SIGKILL) == 0);
  }
  {
    auto kv = StartKvgateIn(dir.path, args);
    CHECK(DbSizeAfterLoading(kv->redis_port) == ":1\r\n");
    RawConn c(kv->redis_port);
    CHECK(c.Call({"FUNCTION", "LIST", "WITHCODE"}) == listed);
    CHECK(c.Call({"FCALL", "two_f", "0"}) == "$2\r\n22\r\n");
    // A checkpoint's base holds them too, then a RESTORE ... FLUSH replaces them.
    const std::string dump = c.Call({"FUNCTION", "DUMP"});
    REQUIRE(c.Call({"BGREWRITEAOF"}).rfind("+", 0) == 0);
    REQUIRE(WaitInfoAtLeast(kv->redis_port, "aof_rewrites", 1));
    REQUIRE(WaitInfo(kv->redis_port, "aof_rewrite_in_progress:0"));
    REQUIRE(::kill(kv->process->pid(), SIGKILL) == 0);
  }
  {
    auto kv = StartKvgateIn(dir.path, args);
    CHECK(DbSizeAfterLoading(kv->redis_port) == ":1\r\n");
    RawConn c(kv->redis_port);
    CHECK(c.Call({"FUNCTION", "LIST", "WITHCODE"}) == listed);
    CHECK(c.Call({"FUNCTION", "FLUSH"}) == "+OK\r\n");
    CHECK(c.Call({"FUNCTION", "LOAD", Library("three", "3")}) == "$5\r\nthree\r\n");
    REQUIRE(::kill(kv->process->pid(), SIGKILL) == 0);
  }
  auto kv = StartKvgateIn(dir.path, args);
  CHECK(DbSizeAfterLoading(kv->redis_port) == ":1\r\n");
  RawConn c(kv->redis_port);
  CHECK(c.Call({"FCALL", "three_f", "0"}) == "$1\r\n3\r\n");
  CHECK(c.Call({"FCALL", "one_f", "0"}) == "-ERR Function not found\r\n");
}

TEST_CASE("persistence: without a log a restart forgets FUNCTION libraries as redis-server does",
          "[integration][persistence]") {
  TempDir dir("data");
  {
    auto kv = StartKvgateIn(dir.path, {"--appendonly", "no"});
    RawConn c(kv->redis_port);
    CHECK(c.Call({"FUNCTION", "LOAD", Library("one", "1")}) == "$3\r\none\r\n");
  }
  auto kv = StartKvgateIn(dir.path, {"--appendonly", "no"});
  RawConn c(kv->redis_port);
  CHECK(c.Call({"FUNCTION", "LIST"}) == "*0\r\n");
  // Turned on while running: the libraries go into the log with the databases.
  CHECK(c.Call({"FUNCTION", "LOAD", Library("two", "2")}) == "$3\r\ntwo\r\n");
  CHECK(c.Call({"CONFIG", "SET", "appendonly", "yes"}) == "+OK\r\n");
  REQUIRE(::kill(kv->process->pid(), SIGKILL) == 0);
  kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
  CHECK(DbSizeAfterLoading(kv->redis_port) == ":0\r\n");
  RawConn again(kv->redis_port);
  CHECK(again.Call({"FCALL", "two_f", "0"}) == "$1\r\n2\r\n");
}
