// Limits and hostile input against a real kvgate over loopback: max clients, a client that never
// reads its replies, request-size limits from flags, the pub/sub output-buffer limit, and a
// flood of binary garbage. Each time: the protocol's own error (or Redis's close), bounded
// memory, and other connections unaffected.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <string>
#include <thread>

#include "integration/support/process.h"
#include "integration/support/resp_client.h"

using kvgate::testing::EncodeCommand;
using kvgate::testing::RawConn;

namespace {

int64_t RssBytes(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  }
  return -1;
}

void RequirePong(int port) {
  RawConn c(port);
  c.Send("PING\r\n");
  REQUIRE(c.ReadReplies(1) == "+PONG\r\n");
}

}  // namespace

TEST_CASE("maxclients refuses extra Redis clients with Redis's error",
          "[integration][redis][limits]") {
  auto kv = kvgate::testing::StartKvgate({"--maxclients", "3"});
  // StartKvgate's readiness probes are connections too; let kvgate see them close.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  RawConn a(kv->redis_port), b(kv->redis_port), c(kv->redis_port);
  for (RawConn* conn : {&a, &b, &c}) {
    conn->Send("PING\r\n");
    REQUIRE(conn->ReadReplies(1) == "+PONG\r\n");
  }
  RawConn d(kv->redis_port);
  REQUIRE(d.ReadUntilQuiet(300) == "-ERR max number of clients reached\r\n");
  REQUIRE(d.WaitClosed());
  // The NATS port shares the limit and answers in its own protocol.
  RawConn n(kv->nats_port);
  REQUIRE(n.ReadUntilQuiet(300) == "-ERR 'maximum connections exceeded'\r\n");
}

TEST_CASE("CONFIG SET maxclients changes the live limit; INFO counts the refused",
          "[integration][redis][limits]") {
  auto kv = kvgate::testing::StartKvgate({"--maxclients", "10"});
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // readiness probes closed
  RawConn admin(kv->redis_port);
  admin.Send(EncodeCommand({"CONFIG", "SET", "maxclients", "2"}));
  REQUIRE(admin.ReadReplies(1) == "+OK\r\n");
  RawConn second(kv->redis_port);
  second.Send("PING\r\n");
  REQUIRE(second.ReadReplies(1) == "+PONG\r\n");
  {
    RawConn third(kv->redis_port);
    REQUIRE(third.ReadUntilQuiet(300) == "-ERR max number of clients reached\r\n");
    REQUIRE(third.WaitClosed());
  }
  admin.Send(EncodeCommand({"INFO", "stats"}));
  CHECK(admin.ReadUntilQuiet(200).find("rejected_connections:1\r\n") != std::string::npos);
  admin.Send(EncodeCommand({"CONFIG", "SET", "maxclients", "3"}));
  REQUIRE(admin.ReadReplies(1) == "+OK\r\n");
  RawConn third(kv->redis_port);
  third.Send("PING\r\n");
  REQUIRE(third.ReadReplies(1) == "+PONG\r\n");
  // Lowering the limit below the open connections keeps them (as Redis) and refuses new ones.
  admin.Send(EncodeCommand({"CONFIG", "SET", "maxclients", "1"}));
  REQUIRE(admin.ReadReplies(1) == "+OK\r\n");
  second.Send("PING\r\n");
  REQUIRE(second.ReadReplies(1) == "+PONG\r\n");
  RawConn n(kv->nats_port);
  REQUIRE(n.ReadUntilQuiet(300) == "-ERR 'maximum connections exceeded'\r\n");
  admin.Send(EncodeCommand({"CONFIG", "RESETSTAT"}));
  REQUIRE(admin.ReadReplies(1) == "+OK\r\n");
  admin.Send(EncodeCommand({"INFO", "stats"}));
  CHECK(admin.ReadUntilQuiet(200).find("rejected_connections:0\r\n") != std::string::npos);
}

TEST_CASE("a client that never reads its replies cannot grow memory",
          "[integration][redis][limits]") {
  auto kv = kvgate::testing::StartKvgate();
  {
    RawConn setup(kv->redis_port);
    setup.Send(EncodeCommand({"SET", "big", std::string(1 << 20, 'x')}));
    REQUIRE(setup.ReadReplies(1) == "+OK\r\n");
  }
  int64_t before = RssBytes(kv->process->pid());
  RawConn hog(kv->redis_port);
  // 512 MiB of replies requested, none read.
  std::string get = EncodeCommand({"GET", "big"});
  std::string batch;
  for (int i = 0; i < 64; ++i) batch += get;
  for (int i = 0; i < 8; ++i) hog.Send(batch);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  // Other clients are served while the hog is stuck.
  RequirePong(kv->redis_port);
  int64_t growth = RssBytes(kv->process->pid()) - before;
  INFO("RSS growth " << growth);
  REQUIRE(growth < 96LL * 1024 * 1024);
  REQUIRE(kv->process->running());
  // Nothing was lost: once the client reads, every one of the 512 replies arrives, in order.
  std::string reply = "$1048576\r\n" + std::string(1 << 20, 'x') + "\r\n";
  size_t complete = 0;
  while (complete < 512) {
    std::string got = hog.ReadReplies(16, 20000);
    REQUIRE(!got.empty());
    REQUIRE(got.size() % reply.size() == 0);
    REQUIRE(got.substr(0, reply.size()) == reply);
    complete += got.size() / reply.size();
  }
  REQUIRE(complete == 512);
}

TEST_CASE("proto-max-bulk-len and client-query-buffer-limit come from flags",
          "[integration][redis][limits]") {
  auto kv = kvgate::testing::StartKvgate(
      {"--proto-max-bulk-len", "1kb", "--client-query-buffer-limit", "64kb"});
  {
    RawConn c(kv->redis_port);
    c.Send("*2\r\n$4\r\nECHO\r\n$2000\r\n");
    REQUIRE(c.ReadUntilQuiet(300) == "-ERR Protocol error: invalid bulk length\r\n");
    REQUIRE(c.WaitClosed());
  }
  {
    RawConn c(kv->redis_port);
    c.Send(EncodeCommand({"ECHO", std::string(1000, 'e')}));
    REQUIRE(c.ReadReplies(1).size() == 1000 + 9);
    // A request that keeps growing past the query buffer limit is dropped (Redis closes
    // without a reply).
    c.Send("*300\r\n");
    for (int i = 0; i < 200; ++i) c.Send("$900\r\n" + std::string(900, 'q') + "\r\n");
    REQUIRE(c.WaitClosed(3000));
  }
  RequirePong(kv->redis_port);
  // CONFIG SET changes the live limit (Redis accepts >= 1 MiB there).
  RawConn admin(kv->redis_port);
  admin.Send(EncodeCommand({"CONFIG", "SET", "proto-max-bulk-len", "2097152"}));
  REQUIRE(admin.ReadReplies(1) == "+OK\r\n");
  admin.Send(EncodeCommand({"ECHO", std::string(30000, 'e')}));
  REQUIRE(admin.ReadReplies(1).size() == 30000 + 10);
}

TEST_CASE("a pub/sub subscriber over its output-buffer limit is disconnected",
          "[integration][redis][limits]") {
  auto kv = kvgate::testing::StartKvgate();
  RawConn admin(kv->redis_port);
  admin.Send(EncodeCommand({"CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 0 0"}));
  REQUIRE(admin.ReadReplies(1) == "+OK\r\n");
  RawConn sub(kv->redis_port);
  sub.Send(EncodeCommand({"SUBSCRIBE", "news"}));
  REQUIRE(sub.ReadReplies(1).find("subscribe") != std::string::npos);
  // The subscriber stops reading; the publisher floods 64 MiB.
  RawConn pub(kv->redis_port);
  std::string msg = EncodeCommand({"PUBLISH", "news", std::string(64 * 1024, 'n')});
  for (int i = 0; i < 1024; ++i) {
    pub.Send(msg);
    if (i % 64 == 63) pub.ReadReplies(64, 10000);
  }
  // Replies drop to 0 receivers once the subscriber has been cut off.
  pub.Send(EncodeCommand({"PUBLISH", "news", "after"}));
  REQUIRE(pub.ReadReplies(1) == ":0\r\n");
  REQUIRE(sub.WaitClosed(5000));
  RequirePong(kv->redis_port);
}

TEST_CASE("binary garbage gets a protocol error and harms no one", "[integration][redis][limits]") {
  auto kv = kvgate::testing::StartKvgate();
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 20; ++round) {
    RawConn c(kv->redis_port);
    std::string junk(1 << 16, '\0');
    for (auto& ch : junk) ch = static_cast<char>(byte(rng));
    c.Send(junk);
    c.ReadUntilQuiet(100);
  }
  REQUIRE(kv->process->running());
  RequirePong(kv->redis_port);
}
