// Real Redis tools against kvgate: redis-cli (one-shot, scripted, --pipe of 100,000 keys,
// --scan), redis-benchmark (plain and pipelined), and a hiredis client.
#include <catch2/catch.hpp>

#include <hiredis/hiredis.h>

#include <chrono>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "integration/support/process.h"

using kvgate::testing::RunCommand;

namespace {

std::vector<std::string> Cli(int port, std::vector<std::string> args) {
  std::vector<std::string> argv = {"redis-cli", "-p", std::to_string(port)};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

std::string CliOut(int port, std::vector<std::string> args, const std::string& input = "") {
  std::string out;
  int rc = RunCommand(Cli(port, std::move(args)), &out, input);
  REQUIRE(rc == 0);
  return out;
}

}  // namespace

TEST_CASE("redis-cli one-shot and scripted commands", "[integration][redis]") {
  auto kv = kvgate::testing::StartKvgate();
  int port = kv->redis_port;
  REQUIRE(CliOut(port, {"PING"}) == "PONG\n");
  REQUIRE(CliOut(port, {"SET", "greeting", "hello world"}) == "OK\n");
  REQUIRE(CliOut(port, {"GET", "greeting"}) == "hello world\n");
  REQUIRE(CliOut(port, {"INCRBY", "n", "5"}) == "5\n");
  REQUIRE(CliOut(port, {"GET", "missing"}) == "\n");
  // Errors are printed and the exit status stays 0, as with redis-server.
  REQUIRE(CliOut(port, {"NOSUCH"}).find("ERR unknown command 'NOSUCH'") != std::string::npos);
  // A script on stdin, one command per line.
  std::string out = CliOut(port, {}, "SET a 1\nINCR a\nGET a\nDEL a\nEXISTS a\n");
  REQUIRE(out == "OK\n2\n2\n1\n0\n");
  // -r repeats, -x takes the last argument from stdin.
  REQUIRE(CliOut(port, {"-r", "3", "INCR", "rep"}) == "1\n2\n3\n");
  REQUIRE(CliOut(port, {"-x", "SET", "fromstdin"}, "payload") == "OK\n");
  REQUIRE(CliOut(port, {"GET", "fromstdin"}) == "payload\n");
  // RESP3 via -3.
  REQUIRE(CliOut(port, {"-3", "GET", "greeting"}) == "hello world\n");
}

TEST_CASE("redis-cli --pipe loads 100,000 keys and --scan finds them all", "[integration][redis]") {
  auto kv = kvgate::testing::StartKvgate();
  int port = kv->redis_port;
  std::string input;
  for (int i = 0; i < 100000; ++i) {
    std::string key = "pipe:" + std::to_string(i);
    std::string val = "v" + std::to_string(i);
    input += "*3\r\n$3\r\nSET\r\n$" + std::to_string(key.size()) + "\r\n" + key + "\r\n$" +
             std::to_string(val.size()) + "\r\n" + val + "\r\n";
  }
  std::string out;
  REQUIRE(RunCommand(Cli(port, {"--pipe"}), &out, input) == 0);
  INFO(out);
  REQUIRE(out.find("errors: 0, replies: 100000") != std::string::npos);
  REQUIRE(CliOut(port, {"DBSIZE"}) == "100000\n");
  REQUIRE(CliOut(port, {"GET", "pipe:99999"}) == "v99999\n");

  std::string scanned = CliOut(port, {"--scan", "--pattern", "pipe:*"});
  std::set<std::string> keys;
  std::istringstream lines(scanned);
  for (std::string line; std::getline(lines, line);) keys.insert(line);
  REQUIRE(keys.size() == 100000);
  REQUIRE(keys.count("pipe:0") == 1);
  REQUIRE(keys.count("pipe:54321") == 1);
}

TEST_CASE("redis-benchmark runs set,get,incr,mset with no errors", "[integration][redis]") {
  auto kv = kvgate::testing::StartKvgate();
  std::string port = std::to_string(kv->redis_port);
  for (const char* pipeline : {"1", "16"}) {
    std::string out;
    int rc = RunCommand({"redis-benchmark", "-p", port, "-t", "set,get,incr,mset", "-n", "20000",
                         "-q", "-P", pipeline},
                        &out, "", 300000);
    INFO("pipeline " << pipeline << "\n" << out);
    REQUIRE(rc == 0);
    for (const char* test : {"SET:", "GET:", "INCR:", "MSET (10 keys):"}) {
      REQUIRE(out.find(test) != std::string::npos);
    }
    REQUIRE(out.find("WARNING") == std::string::npos);
    REQUIRE(out.find("rror") == std::string::npos);
  }
  // The counters prove the commands really ran: INCR ran 20,000 times per pipeline setting.
  std::string out;
  REQUIRE(RunCommand({"redis-cli", "-p", port, "GET", "counter:__rand_int__"}, &out) == 0);
  REQUIRE(out == "40000\n");
}

TEST_CASE("hiredis client: replies, binary values and pipelining", "[integration][redis]") {
  auto kv = kvgate::testing::StartKvgate();
  redisContext* c = redisConnect("127.0.0.1", kv->redis_port);
  REQUIRE(c != nullptr);
  REQUIRE(c->err == 0);
  std::string binary("a\0b\r\nc", 6);
  auto* r = static_cast<redisReply*>(
      redisCommand(c, "SET %b %b", binary.data(), binary.size(), binary.data(), binary.size()));
  REQUIRE(r->type == REDIS_REPLY_STATUS);
  REQUIRE(std::string(r->str) == "OK");
  freeReplyObject(r);
  r = static_cast<redisReply*>(redisCommand(c, "GET %b", binary.data(), binary.size()));
  REQUIRE(r->type == REDIS_REPLY_STRING);
  REQUIRE(std::string(r->str, r->len) == binary);
  freeReplyObject(r);
  for (int i = 0; i < 1000; ++i) redisAppendCommand(c, "INCR pipelined");
  for (int i = 1; i <= 1000; ++i) {
    void* reply = nullptr;
    REQUIRE(redisGetReply(c, &reply) == REDIS_OK);
    auto* rr = static_cast<redisReply*>(reply);
    REQUIRE(rr->type == REDIS_REPLY_INTEGER);
    REQUIRE(rr->integer == i);
    freeReplyObject(rr);
  }
  redisFree(c);
}

TEST_CASE("bad keyspace-event classes are refused at start; good ones (n too) work",
          "[integration][redis]") {
  std::string out;
  CHECK(RunCommand({kvgate::testing::KvgateBinary(), "--notify-keyspace-events", "KEq",
                    "--redis-port", "0", "--nats-port", "0"},
                   &out, "", 10000) != 0);
  CHECK(out.find("invalid event class") != std::string::npos);
  auto kv = kvgate::testing::StartKvgate({"--notify-keyspace-events", "KEAn"});
  CHECK(CliOut(kv->redis_port, {"CONFIG", "GET", "notify-keyspace-events"}) ==
        "notify-keyspace-events\nAKE\n");  // Redis's display form omits n next to A
  // redis-cli in subscribe mode prints each message until it is stopped.
  kvgate::testing::Process sub(Cli(kv->redis_port, {"--csv", "SUBSCRIBE", "__keyevent@0__:new"}),
                               kv->dir + "/sub.log");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(CliOut(kv->redis_port, {"SET", "born", "1"}) == "OK\n");
  CHECK(CliOut(kv->redis_port, {"SET", "born", "2"}) == "OK\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::string log = sub.ReadLog();
  INFO(log);
  CHECK(log.find("\"message\",\"__keyevent@0__:new\",\"born\"") != std::string::npos);
  CHECK(log.find("born") == log.rfind("born"));  // the overwrite is not "new"
}
