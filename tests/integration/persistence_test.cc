// File: tests/integration/persistence_test.cc
// The data directory end to end (DESIGN.md "Persistence"): a real kvgate restarted on the same
// --dir (after SIGTERM and after kill -9) gives back Redis databases (appendonly yes) and NATS
// file buckets with their values, types, TTLs, revisions and history; memory buckets and
// appendonly-no databases do not come back; a torn tail is cut; a corrupt record refuses to
// start naming file and offset; --check-aof reports and --fix repairs.
//
//   TempDir d("data");
//   auto kv = StartKvgateIn(d.path, {"--appendonly", "yes"});  ...  kv.reset();  // restart
#include <nats/nats.h>
#include <signal.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "engine/redo.h"
#include "integration/support/persistence_files.h"
#include "integration/support/process.h"
#include "integration/support/resp_client.h"
#include "tests/support/nats_client.h"

using kvgate::testing::Call;
using kvgate::testing::CheckRedis;
using kvgate::testing::LogPath;
using kvgate::testing::RawConn;
using kvgate::testing::ReadFile;
using kvgate::testing::SeedRedis;
using kvgate::testing::StartKvgateIn;
using kvgate::testing::TempDir;
using kvgate::testing::WriteFile;

namespace {

kvStore* CreateFileBucket(kvgate::testing::NatsClient& nc, const char* name, int history,
                          jsStorageType storage = js_FileStorage) {
  kvConfig cfg;
  kvConfig_Init(&cfg);
  cfg.Bucket = name;
  cfg.History = static_cast<uint8_t>(history);
  cfg.StorageType = storage;
  kvStore* kv = nullptr;
  REQUIRE(js_CreateKeyValue(&kv, nc.js(), &cfg) == NATS_OK);
  return nc.Own(kv);
}

kvStore* BindBucket(kvgate::testing::NatsClient& nc, const char* name) {
  kvStore* kv = nullptr;
  natsStatus s = js_KeyValue(&kv, nc.js(), name);
  if (s != NATS_OK) return nullptr;
  return nc.Own(kv);
}

}  // namespace

TEST_CASE("persistence: Redis databases survive a restart with appendonly yes",
          "[integration][persistence]") {
  TempDir dir("data");
  {
    auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
    SeedRedis(kv->redis_port);
    CHECK(Call(kv->redis_port, {"CONFIG", "GET", "appendonly"}) ==
          "*2\r\n$10\r\nappendonly\r\n$3\r\nyes\r\n");
  }  // SIGTERM
  auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
  CheckRedis(kv->redis_port);
  const std::string info = Call(kv->redis_port, {"INFO", "persistence"});
  CHECK(info.find("aof_enabled:1") != std::string::npos);
  CHECK(info.find("aof_last_write_status:ok") != std::string::npos);
}

TEST_CASE("persistence: acknowledged writes survive kill -9 under every fsync policy",
          "[integration][persistence]") {
  for (const char* policy : {"always", "everysec", "no"}) {
    INFO("appendfsync " << policy);
    TempDir dir("data");
    {
      auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes", "--appendfsync", policy});
      SeedRedis(kv->redis_port);
      RawConn c(kv->redis_port);
      // A pipeline: every reply read back means its write was logged first.
      std::string batch;
      for (int i = 0; i < 200; ++i) {
        batch += kvgate::testing::EncodeCommand({"SET", "p" + std::to_string(i), "v"});
      }
      c.Send(batch);
      CHECK(c.ReadReplies(200).size() == 200 * 5);
      REQUIRE(::kill(kv->process->pid(), SIGKILL) == 0);
    }
    auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes", "--appendfsync", policy});
    CHECK(Call(kv->redis_port, {"GET", "s"}) == "$5\r\nhello\r\n");
    CHECK(Call(kv->redis_port, {"GET", "p199"}) == "$1\r\nv\r\n");
    CHECK(Call(kv->redis_port, {"DBSIZE"}) == ":207\r\n");
  }
}

TEST_CASE("persistence: appendonly no keeps Redis databases in memory only",
          "[integration][persistence]") {
  TempDir dir("data");
  {
    auto kv = StartKvgateIn(dir.path);
    CHECK(Call(kv->redis_port, {"SET", "s", "v"}) == "+OK\r\n");
  }
  auto kv = StartKvgateIn(dir.path);
  CHECK(Call(kv->redis_port, {"EXISTS", "s"}) == ":0\r\n");
  CHECK(!std::filesystem::exists(LogPath(dir.path)));  // nothing was ever logged
}

TEST_CASE("persistence: CONFIG SET appendonly yes makes the data durable from then on",
          "[integration][persistence]") {
  TempDir dir("data");
  {
    auto kv = StartKvgateIn(dir.path);
    CHECK(Call(kv->redis_port, {"SET", "before", "1"}) == "+OK\r\n");
    CHECK(Call(kv->redis_port, {"CONFIG", "SET", "appendonly", "yes"}) == "+OK\r\n");
    // As with redis-server, the data is durable once the rewrite this starts is done.
    REQUIRE(kvgate::testing::WaitInfo(kv->redis_port, "aof_rewrites:1"));
    CHECK(Call(kv->redis_port, {"SET", "after", "2"}) == "+OK\r\n");
    CHECK(Call(kv->redis_port, {"CONFIG", "SET", "appendfsync", "always"}) == "+OK\r\n");
    CHECK(Call(kv->redis_port, {"CONFIG", "GET", "appendfsync"}) ==
          "*2\r\n$11\r\nappendfsync\r\n$6\r\nalways\r\n");
    CHECK(Call(kv->redis_port, {"SET", "synced", "3"}) == "+OK\r\n");
    REQUIRE(::kill(kv->process->pid(), SIGKILL) == 0);
  }
  auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
  CHECK(Call(kv->redis_port, {"GET", "before"}) == "$1\r\n1\r\n");
  CHECK(Call(kv->redis_port, {"GET", "after"}) == "$1\r\n2\r\n");
  CHECK(Call(kv->redis_port, {"GET", "synced"}) == "$1\r\n3\r\n");
}

TEST_CASE("persistence: CONFIG SET appendonly yes on a big database does not stop the server",
          "[integration][persistence]") {
  // Its image is a checkpoint written in slices: until that is done the database is not
  // durable yet (a kill -9 then loses it whole, as redis-server before its AOF rewrite ends),
  // and after it every key is.
  for (const bool wait : {false, true}) {
    INFO((wait ? "kill -9 after the checkpoint" : "kill -9 at once"));
    TempDir dir("data");
    {
      auto kv = StartKvgateIn(dir.path);
      kvgate::testing::Fill(kv->redis_port, 300'000, "v");
      RawConn c(kv->redis_port);
      CHECK(c.Call({"CONFIG", "SET", "appendonly", "yes"}) == "+OK\r\n");
      if (wait) REQUIRE(kvgate::testing::WaitInfo(kv->redis_port, "aof_rewrites:1"));
      CHECK(c.Call({"SET", "last", "1"}) == "+OK\r\n");
      REQUIRE(::kill(kv->process->pid(), SIGKILL) == 0);
    }
    auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
    CHECK(kvgate::testing::DbSizeAfterLoading(kv->redis_port) == (wait ? ":300001\r\n" : ":0\r\n"));
  }
}

TEST_CASE(
    "persistence: NATS file buckets come back with revisions and history; memory ones "
    "do not",
    "[integration][persistence][nats]") {
  TempDir dir("data");
  uint64_t last = 0;
  {
    auto kv = StartKvgateIn(dir.path);
    kvgate::testing::NatsClient nc(kv->nats_port);
    kvStore* file = CreateFileBucket(nc, "files", 5);
    kvStore* mem = CreateFileBucket(nc, "mem", 1, js_MemoryStorage);
    uint64_t rev = 0;
    REQUIRE(kvStore_PutString(&rev, file, "a", "1") == NATS_OK);
    REQUIRE(kvStore_PutString(&rev, file, "a", "2") == NATS_OK);
    REQUIRE(kvStore_PutString(&rev, file, "b", "x") == NATS_OK);
    REQUIRE(kvStore_Delete(file, "b") == NATS_OK);
    REQUIRE(kvStore_PutString(&rev, file, "c", "y") == NATS_OK);
    last = rev;
    REQUIRE(kvStore_PutString(&rev, mem, "m", "1") == NATS_OK);
    REQUIRE(::kill(kv->process->pid(), SIGKILL) == 0);
  }
  auto kv = StartKvgateIn(dir.path);
  kvgate::testing::NatsClient nc(kv->nats_port);
  kvStore* file = BindBucket(nc, "files");
  REQUIRE(file != nullptr);
  CHECK(BindBucket(nc, "mem") == nullptr);
  uint64_t rev = 0;
  CHECK(kvgate::testing::KvGet(file, "a", &rev) == "2");
  CHECK(rev == 2);
  CHECK(kvgate::testing::KvGet(file, "c", &rev) == "y");
  CHECK(rev == last);
  kvEntryList history;
  REQUIRE(kvStore_History(&history, file, "a", nullptr) == NATS_OK);
  CHECK(history.Count == 2);
  kvEntryList_Destroy(&history);
  kvEntry* e = nullptr;
  CHECK(kvStore_Get(&e, file, "b") == NATS_NOT_FOUND);
  // A revision is never reused.
  REQUIRE(kvStore_PutString(&rev, file, "d", "z") == NATS_OK);
  CHECK(rev == last + 1);
  jsStreamInfo* si = nullptr;
  REQUIRE(js_GetStreamInfo(&si, nc.js(), "KV_files", nullptr, nullptr) == NATS_OK);
  CHECK(si->Config->Storage == js_FileStorage);
  jsStreamInfo_Destroy(si);
}

TEST_CASE("persistence: a torn last record is cut off; the rest loads",
          "[integration][persistence]") {
  TempDir dir("data");
  {
    auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
    CHECK(Call(kv->redis_port, {"SET", "k", "v"}) == "+OK\r\n");
  }
  const std::string good = ReadFile(LogPath(dir.path));
  REQUIRE(!good.empty());
  WriteFile(LogPath(dir.path), good + std::string("\x30\x00\x00\x00partial", 11));
  {
    auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
    CHECK(Call(kv->redis_port, {"GET", "k"}) == "$1\r\nv\r\n");
    CHECK(Call(kv->redis_port, {"SET", "k2", "v2"}) == "+OK\r\n");
    CHECK(kv->process->ReadLog().find("torn last record") != std::string::npos);
  }
  auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
  CHECK(Call(kv->redis_port, {"GET", "k2"}) == "$2\r\nv2\r\n");
}

TEST_CASE("persistence: a corrupt record refuses to start; --check-aof --fix repairs",
          "[integration][persistence]") {
  TempDir dir("data");
  {
    auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
    for (int i = 0; i < 20; ++i) {
      CHECK(Call(kv->redis_port, {"SET", "k" + std::to_string(i), "v"}) == "+OK\r\n");
    }
  }
  const std::string path = LogPath(dir.path);
  std::string bytes = ReadFile(path);
  const size_t mid = bytes.size() / 2;
  bytes[mid] = static_cast<char>(bytes[mid] ^ 0x5a);
  WriteFile(path, bytes);
  std::string out;
  const std::string bin = kvgate::testing::KvgateBinary();
  // It opens its port, finds the damage while replaying, and exits.
  const std::string port = std::to_string(kvgate::testing::FreePort());
  CHECK(kvgate::testing::RunCommand({bin, "--dir", dir.path, "--appendonly", "yes", "--bind",
                                     "127.0.0.1", "--redis-port", port, "--nats-port", "0"},
                                    &out, "", 20000) == 1);
  CHECK(out.find(path) != std::string::npos);
  CHECK(out.find("offset") != std::string::npos);
  CHECK(kvgate::testing::RunCommand({bin, "--check-aof", path}, &out) == 1);
  CHECK(out.find("bad record") != std::string::npos);
  CHECK(kvgate::testing::RunCommand({bin, "--check-aof", path, "--fix"}, &out) == 0);
  CHECK(kvgate::testing::RunCommand({bin, "--check-aof", path}, &out) == 0);
  auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
  CHECK(Call(kv->redis_port, {"GET", "k0"}) == "$1\r\nv\r\n");  // the records before it stay
}

TEST_CASE("persistence: clients get -LOADING and JetStream 10008 while the log is replayed",
          "[integration][persistence]") {
  TempDir dir("data");
  {
    // A log big enough that its replay spans many loop iterations, written by an engine.
    kvgate::engine::FakeClock clock;
    kvgate::engine::Engine e(clock);
    kvgate::engine::RedoBuffer redo;
    e.SetRedo(&redo);
    kvgate::engine::BucketConfig c;
    c.storage = kvgate::engine::Storage::kFile;
    kvgate::engine::Bucket* b = *e.CreateBucket("db0", c);
    for (int i = 0; i < 400'000; ++i) (void)b->Put("key:" + std::to_string(i), "value", {});
    WriteFile(LogPath(dir.path), redo.bytes);
  }
  auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
  RawConn c(kv->redis_port);
  const std::string first = c.Call({"GET", "key:7"});
  CHECK(first == "-LOADING Redis is loading the dataset in memory\r\n");
  CHECK(c.Call({"INFO", "persistence"}).find("loading:1") != std::string::npos);
  {
    kvgate::testing::NatsClient nc(kv->nats_port);
    kvStore* kvs = nullptr;
    CHECK(js_KeyValue(&kvs, nc.js(), "db0") != NATS_OK);  // JetStream is not there yet
    if (kvs != nullptr) kvStore_Destroy(kvs);
  }
  std::string reply = first;
  for (int i = 0; i < 600 && reply != "$5\r\nvalue\r\n"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    reply = c.Call({"GET", "key:7"});
  }
  CHECK(reply == "$5\r\nvalue\r\n");
  CHECK(c.Call({"DBSIZE"}) == ":400000\r\n");
  CHECK(c.Call({"INFO", "persistence"}).find("loading:0") != std::string::npos);
}

TEST_CASE("persistence: a failing log write is never acknowledged; writes are refused after",
          "[integration][persistence]") {
  TempDir dir("data");
  // Every write to /dev/full fails with ENOSPC: a disk that has filled up.
  std::filesystem::create_symlink("/dev/full", LogPath(dir.path));
  auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes", "--appendfsync", "always"});
  {
    RawConn c(kv->redis_port);
    c.Send(kvgate::testing::EncodeCommand({"SET", "k", "v"}));
    // No +OK: the connection whose reply waited for the failed batch is closed.
    CHECK(c.ReadReplies(1, 5000).empty());
    CHECK(c.WaitClosed(5000));
  }
  RawConn c(kv->redis_port);
  CHECK(c.Call({"SET", "k2", "v"}).rfind("-MISCONF Errors writing to the AOF file", 0) == 0);
  CHECK(c.Call({"HSET", "h", "f", "v"}).rfind("-MISCONF", 0) == 0);
  CHECK(c.Call({"INFO", "persistence"}).find("aof_last_write_status:err") != std::string::npos);
  CHECK(c.Call({"PING"}) == "+PONG\r\n");  // reads and other commands still work
  CHECK(kv->process->ReadLog().find("No space left on device") != std::string::npos);
  // NATS file buckets refuse writes with JetStream's storage error.
  kvgate::testing::NatsClient nc(kv->nats_port);
  kvConfig cfg;
  kvConfig_Init(&cfg);
  cfg.Bucket = "f";
  cfg.StorageType = js_MemoryStorage;  // a memory bucket still takes writes
  kvStore* mem = nullptr;
  REQUIRE(js_CreateKeyValue(&mem, nc.js(), &cfg) == NATS_OK);
  nc.Own(mem);
  uint64_t rev = 0;
  CHECK(kvStore_PutString(&rev, mem, "a", "1") == NATS_OK);
}

TEST_CASE("persistence: a power loss under appendfsync always keeps every acknowledged write",
          "[integration][persistence]") {
  // What an fsync covered is the log's size when the reply came (one client, in order). A
  // power loss keeps at least that: cut the log there, add what a crash leaves behind (garbage,
  // half a record), and every write acknowledged before the cut must come back.
  TempDir dir("data");
  std::vector<uintmax_t> acked_size;
  {
    auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes", "--appendfsync", "always"});
    RawConn c(kv->redis_port);
    for (int i = 0; i < 40; ++i) {
      REQUIRE(c.Call({"SET", "k" + std::to_string(i), std::string(i * 10, 'v')}) == "+OK\r\n");
      acked_size.push_back(std::filesystem::file_size(LogPath(dir.path)));
    }
    REQUIRE(::kill(kv->process->pid(), SIGKILL) == 0);
  }
  const std::string full = ReadFile(LogPath(dir.path));
  for (int cut : {0, 7, 23, 39}) {
    INFO("cut after the write of k" << cut);
    const std::string tails[] = {std::string("\x13\x37garbage", 9), full.substr(acked_size[cut], 9),
                                 std::string(64, '\0')};
    for (const std::string& tail : tails) {
      WriteFile(LogPath(dir.path), full.substr(0, acked_size[cut]) + tail);
      auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
      RawConn c(kv->redis_port);
      std::string reply;
      for (int i = 0; i < 200 && (reply = c.Call({"DBSIZE"})).rfind("-LOADING", 0) == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      CHECK(reply == ":" + std::to_string(cut + 1) + "\r\n");
      CHECK(c.Call({"STRLEN", "k" + std::to_string(cut)}) ==
            ":" + std::to_string(cut * 10) + "\r\n");
    }
  }
}

TEST_CASE("persistence: streams and consumer groups come back exactly (XINFO STREAM FULL)",
          "[integration][persistence]") {
  TempDir dir("data");
  std::string before;
  std::string hash_before;
  {
    auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes", "--appendfsync", "always"});
    RawConn c(kv->redis_port);
    for (int i = 1; i <= 300; ++i) {
      REQUIRE(c.Call({"XADD", "s", "MAXLEN", "~", "250", std::to_string(i) + "-1", "f",
                      "v" + std::to_string(i)})
                  .rfind("$", 0) == 0);
    }
    CHECK(c.Call({"XDEL", "s", "200-1", "201-1"}) == ":2\r\n");
    REQUIRE(c.Call({"XGROUP", "CREATE", "s", "g", "0"}) == "+OK\r\n");
    REQUIRE(c.Call({"XREADGROUP", "GROUP", "g", "alice", "COUNT", "5", "STREAMS", "s", ">"})
                .rfind("*1", 0) == 0);
    CHECK(c.Call({"XACK", "s", "g", "100-1"}).rfind(":", 0) == 0);
    CHECK(c.Call({"XTRIM", "s", "MINID", "120"}).rfind(":", 0) == 0);
    REQUIRE(c.Call({"XADD", "s", "*", "after", "trim"}).rfind("$", 0) == 0);
    CHECK(c.Call({"HSET", "h", "a", "1", "b", "2"}) == ":2\r\n");
    CHECK(c.Call({"HDEL", "h", "a"}) == ":1\r\n");
    before = c.Call({"XINFO", "STREAM", "s", "FULL"});
    hash_before = c.Call({"HGETALL", "h"});
    REQUIRE(::kill(kv->process->pid(), SIGKILL) == 0);
  }
  auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
  RawConn c(kv->redis_port);
  std::string after = c.Call({"XINFO", "STREAM", "s", "FULL"});
  for (int i = 0; i < 200 && after.rfind("-LOADING", 0) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    after = c.Call({"XINFO", "STREAM", "s", "FULL"});
  }
  CHECK(after == before);
  CHECK(c.Call({"HGETALL", "h"}) == hash_before);
}
