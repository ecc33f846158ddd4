// File: tests/integration/checkpoint_test.cc
// Checkpoints end to end (DESIGN.md "Persistence"): a real kvgate writes a base file and starts
// a new incr file on BGREWRITEAOF / BGSAVE / SAVE / save rules / auto-aof-rewrite, swaps its
// manifest, removes the old files, and comes back from base + incr after SIGTERM and kill -9,
// including a kill in the middle of a checkpoint while writes go on; Redis's replies and INFO
// fields; files a crash left behind are removed at startup; NATS history keeps its revisions.
//
//   TempDir d("data");  auto kv = StartKvgateIn(d.path, {"--appendonly", "yes"});
//   Call(kv->redis_port, {"BGREWRITEAOF"});  WaitInfo(kv->redis_port, "aof_rewrites:1");
#include <nats/nats.h>
#include <signal.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "gateway/manifest.h"
#include "integration/support/persistence_files.h"
#include "integration/support/process.h"
#include "integration/support/resp_client.h"
#include "tests/support/nats_client.h"

using kvgate::gateway::Manifest;
using kvgate::gateway::ManifestFile;
using kvgate::testing::Call;
using kvgate::testing::CheckRedis;
using kvgate::testing::DbSizeAfterLoading;
using kvgate::testing::EncodeCommand;
using kvgate::testing::Fill;
using kvgate::testing::RawConn;
using kvgate::testing::SeedRedis;
using kvgate::testing::StartKvgateIn;
using kvgate::testing::TempDir;
using kvgate::testing::WaitInfo;
using kvgate::testing::WaitInfoAtLeast;

namespace {

Manifest ReadDirManifest(const std::string& dir) {
  Manifest m;
  bool exists = false;
  std::string error;
  INFO(error);
  REQUIRE(kvgate::gateway::ReadManifest(dir, &m, &exists, &error));
  REQUIRE(exists);
  return m;
}

}  // namespace

TEST_CASE("checkpoint: BGREWRITEAOF writes a base, swaps the manifest, and the data comes back",
          "[integration][persistence][checkpoint]") {
  TempDir dir("data");
  {
    auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
    SeedRedis(kv->redis_port);
    const std::string first_incr = ReadDirManifest(dir.path).files.back().name;
    CHECK(Call(kv->redis_port, {"BGREWRITEAOF"}) ==
          "+Background append only file rewriting started\r\n");
    REQUIRE(WaitInfo(kv->redis_port, "aof_rewrites:1"));
    const Manifest m = ReadDirManifest(dir.path);
    REQUIRE(m.files.size() == 2);
    CHECK(m.files[0].kind == ManifestFile::Kind::kBase);
    CHECK(m.files[1].kind == ManifestFile::Kind::kIncr);
    CHECK(!std::filesystem::exists(dir.path + "/" + first_incr));  // no longer named: removed
    CHECK(std::filesystem::file_size(dir.path + "/" + m.files[0].name) > 0);
    const std::string info = Call(kv->redis_port, {"INFO", "persistence"});
    CHECK(info.find("aof_last_bgrewrite_status:ok") != std::string::npos);
    CHECK(info.find("aof_rewrite_in_progress:0") != std::string::npos);
    CHECK(info.find("aof_base_size:0\r\n") == std::string::npos);
    // Changes after the checkpoint go to the new incr file.
    CHECK(Call(kv->redis_port, {"SET", "after", "1"}) == "+OK\r\n");
    CHECK(Call(kv->redis_port, {"HSET", "h", "f3", "v3"}) == ":1\r\n");
    CHECK(Call(kv->redis_port, {"HDEL", "h", "f3"}) == ":1\r\n");
  }  // SIGTERM
  {
    auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
    CheckRedis(kv->redis_port, 1);
    CHECK(Call(kv->redis_port, {"GET", "after"}) == "$1\r\n1\r\n");
    // Twice more, then kill -9: base + incr of the last one are what comes back.
    CHECK(Call(kv->redis_port, {"BGREWRITEAOF"}).rfind("+Background", 0) == 0);
    REQUIRE(WaitInfo(kv->redis_port, "aof_rewrites:1"));
    CHECK(Call(kv->redis_port, {"SET", "late", "x"}) == "+OK\r\n");
    REQUIRE(::kill(kv->process->pid(), SIGKILL) == 0);
  }
  auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
  CheckRedis(kv->redis_port, 2);
  CHECK(Call(kv->redis_port, {"GET", "late"}) == "$1\r\nx\r\n");
  CHECK(ReadDirManifest(dir.path).files.size() == 2);
}

TEST_CASE("checkpoint: a kill -9 in the middle of one loses no acknowledged write",
          "[integration][persistence][checkpoint]") {
  TempDir dir("data");
  const int kKeys = 300'000;
  {
    auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
    Fill(kv->redis_port, kKeys, "old");
    RawConn c(kv->redis_port);
    // The checkpoint starts at the end of this pass; the writes after it go to the new incr
    // file while the image (300k keys: some hundred milliseconds of loop passes) is written.
    CHECK(c.Call({"BGREWRITEAOF"}) == "+Background append only file rewriting started\r\n");
    std::string batch;
    for (int i = 0; i < 500; ++i) {
      batch += EncodeCommand({"SET", "key:" + std::to_string(i * 7), "new"});
      batch += EncodeCommand({"DEL", "key:" + std::to_string(i * 7 + 1)});
    }
    c.Send(batch);
    REQUIRE(c.ReadReplies(1000, 20000).size() > 1000 * 4);
    REQUIRE(::kill(kv->process->pid(), SIGKILL) == 0);
  }
  // The kill came before the image was complete: the manifest names both incr files, no base
  // (the writes' replies waited for the switch to the new incr file, not for the image).
  const Manifest m = ReadDirManifest(dir.path);
  CHECK(m.base() == nullptr);
  CHECK(m.files.size() == 2);
  auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
  CHECK(DbSizeAfterLoading(kv->redis_port) == ":" + std::to_string(kKeys - 500) + "\r\n");
  CHECK(Call(kv->redis_port, {"GET", "key:7"}) == "$3\r\nnew\r\n");
  CHECK(Call(kv->redis_port, {"GET", "key:8"}) == "$-1\r\n");
  CHECK(Call(kv->redis_port, {"GET", "key:9"}) == "$3\r\nold\r\n");
  // No base file of the interrupted checkpoint is left behind.
  for (const auto& e : std::filesystem::directory_iterator(dir.path)) {
    CHECK(e.path().extension() != ".base");
  }
  // A checkpoint now completes, while the same kind of writes go on, and a kill -9 after it
  // keeps everything too.
  RawConn c(kv->redis_port);
  std::string batch = EncodeCommand({"BGREWRITEAOF"});
  for (int i = 0; i < 500; ++i)
    batch += EncodeCommand({"SET", "key:" + std::to_string(i * 7), "newer"});
  c.Send(batch);
  REQUIRE(c.ReadReplies(501, 20000).size() > 500 * 5);
  REQUIRE(WaitInfo(kv->redis_port, "aof_rewrites:1"));
  REQUIRE(::kill(kv->process->pid(), SIGKILL) == 0);
  kv.reset();
  kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
  CHECK(DbSizeAfterLoading(kv->redis_port) == ":" + std::to_string(kKeys - 500) + "\r\n");
  CHECK(Call(kv->redis_port, {"GET", "key:3493"}) == "$5\r\nnewer\r\n");
  CHECK(Call(kv->redis_port, {"GET", "key:3494"}) == "$-1\r\n");
  CHECK(ReadDirManifest(dir.path).base() != nullptr);
}

TEST_CASE("checkpoint: BGSAVE, SAVE, LASTSAVE and INFO persistence as Redis answers them",
          "[integration][persistence][checkpoint]") {
  TempDir dir("data");
  auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
  const int port = kv->redis_port;
  const std::string started_at = Call(port, {"LASTSAVE"});
  CHECK(Call(port, {"SET", "a", "1"}) == "+OK\r\n");
  CHECK(Call(port, {"BGSAVE", "now"}) == "-ERR syntax error\r\n");
  RawConn c(port);
  // One pipeline: the first starts a checkpoint (at the end of the pass), the rest find it.
  c.Send(EncodeCommand({"BGSAVE"}) + EncodeCommand({"BGSAVE"}) + EncodeCommand({"BGREWRITEAOF"}) +
         EncodeCommand({"BGSAVE", "SCHEDULE"}));
  CHECK(c.ReadReplies(4) ==
        "+Background saving started\r\n"
        "-ERR Background save already in progress\r\n"
        "-ERR Background append only file rewriting already in progress\r\n"
        "+Background saving scheduled\r\n");
  REQUIRE(WaitInfo(port, "rdb_saves:2"));  // the scheduled one ran after the first
  // Inside EXEC both are scheduled, as redis-server 7.0 answers (they run after it).
  c.Send(EncodeCommand({"MULTI"}) + EncodeCommand({"BGSAVE"}) + EncodeCommand({"BGREWRITEAOF"}) +
         EncodeCommand({"EXEC"}));
  CHECK(c.ReadReplies(4) ==
        "+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n+Background saving scheduled\r\n"
        "+Background append only file rewriting scheduled\r\n");
  REQUIRE(WaitInfo(port, "rdb_saves:3"));
  REQUIRE(WaitInfo(port, "aof_rewrite_in_progress:0"));
  CHECK(c.Call({"SAVE"}) == "+OK\r\n");
  const std::string info = c.Call({"INFO", "persistence"});
  CHECK(info.find("rdb_saves:4\r\n") != std::string::npos);
  CHECK(info.find("rdb_changes_since_last_save:0\r\n") != std::string::npos);
  CHECK(info.find("rdb_last_bgsave_status:ok\r\n") != std::string::npos);
  CHECK(info.find("rdb_bgsave_in_progress:0\r\n") != std::string::npos);
  CHECK(info.find("aof_rewrites:4\r\n") != std::string::npos);
  CHECK(info.find("aof_rewrite_scheduled:0\r\n") != std::string::npos);
  CHECK(info.find("rdb_last_bgsave_time_sec:-1\r\n") == std::string::npos);
  const std::string last = c.Call({"LASTSAVE"});
  CHECK(last >= started_at);  // same length (":<10 digits>"), so text order is number order
  CHECK(c.Call({"GET", "a"}) == "$1\r\n1\r\n");
  CHECK(c.Call({"SET", "b", "2"}) == "+OK\r\n");
  CHECK(c.Call({"INFO", "persistence"}).find("rdb_changes_since_last_save:1\r\n") !=
        std::string::npos);
  // Only the newest base and its incr file are left.
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path)) {
    files += e.path().filename().string().rfind("kvgate-redo.", 0) == 0 ? 1 : 0;
  }
  CHECK(files == 2);
}

TEST_CASE("checkpoint: auto-aof-rewrite starts one when the files have grown",
          "[integration][persistence][checkpoint]") {
  TempDir dir("data");
  auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes", "--auto-aof-rewrite-min-size", "256kb",
                                     "--auto-aof-rewrite-percentage", "100"});
  const int port = kv->redis_port;
  CHECK(Call(port, {"CONFIG", "GET", "auto-aof-rewrite-*"}) ==
        "*4\r\n$27\r\nauto-aof-rewrite-percentage\r\n$3\r\n100\r\n"
        "$25\r\nauto-aof-rewrite-min-size\r\n$6\r\n262144\r\n");
  // 100 keys overwritten again and again: the log grows, the data does not. The writes stop
  // once a rewrite has begun, so what follows it in the new incr file stays small however long
  // the base's fsync takes.
  RawConn c(port);
  bool started = false;
  int round = 0;
  for (; round < 80 && !started; ++round) {
    std::string batch;
    for (int i = 0; i < 100; ++i) {
      batch += EncodeCommand({"SET", "k" + std::to_string(i), std::string(100, 'a' + round % 26)});
    }
    c.Send(batch);
    REQUIRE(c.ReadReplies(100).size() == 100 * 5);
    const std::string progress = c.Call({"INFO", "persistence"});
    started = progress.find("aof_rewrite_in_progress:1") != std::string::npos ||
              progress.find("aof_rewrites:0\r\n") == std::string::npos;
  }
  REQUIRE(started);
  CHECK(round > 10);  // not before the files reached the minimum size
  REQUIRE(WaitInfoAtLeast(port, "aof_rewrites", 1));
  REQUIRE(WaitInfo(port, "aof_rewrite_in_progress:0"));
  const std::string info = c.Call({"INFO", "persistence"});
  const size_t at = info.find("aof_current_size:");
  REQUIRE(at != std::string::npos);
  CHECK(std::stoull(info.substr(at + 17)) < 256u * 1024);  // rewritten: about the live data
  CHECK(c.Call({"CONFIG", "SET", "auto-aof-rewrite-percentage", "0"}) == "+OK\r\n");
  CHECK(c.Call({"CONFIG", "SET", "auto-aof-rewrite-min-size", "1mb"}) == "+OK\r\n");
  CHECK(c.Call({"CONFIG", "GET", "auto-aof-rewrite-min-size"}) ==
        "*2\r\n$25\r\nauto-aof-rewrite-min-size\r\n$7\r\n1048576\r\n");
  CHECK(c.Call({"CONFIG", "SET", "auto-aof-rewrite-percentage", "-1"}).rfind("-ERR", 0) == 0);
  kv.reset();
  kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
  CHECK(DbSizeAfterLoading(kv->redis_port) == ":100\r\n");
  CHECK(Call(kv->redis_port, {"GET", "k5"}) ==
        "$100\r\n" + std::string(100, static_cast<char>('a' + (round - 1) % 26)) + "\r\n");
}

TEST_CASE("checkpoint: save rules make the databases file buckets and checkpoint them",
          "[integration][persistence][checkpoint]") {
  TempDir dir("data");
  {
    auto kv = StartKvgateIn(dir.path, {"--save", "1 1"});  // appendonly stays no
    const int port = kv->redis_port;
    CHECK(Call(port, {"CONFIG", "GET", "save"}) == "*2\r\n$4\r\nsave\r\n$3\r\n1 1\r\n");
    CHECK(Call(port, {"SET", "k", "v"}) == "+OK\r\n");
    REQUIRE(WaitInfoAtLeast(port, "rdb_saves", 1));
    CHECK(Call(port, {"CONFIG", "SET", "save", "abc"}) ==
          "-ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save "
          "parameters\r\n");
    CHECK(Call(port, {"CONFIG", "SET", "save", "3600  1 300 100"}) == "+OK\r\n");
    CHECK(Call(port, {"CONFIG", "GET", "save"}) == "*2\r\n$4\r\nsave\r\n$14\r\n3600 1 300 100\r\n");
  }
  auto kv = StartKvgateIn(dir.path, {"--save", "3600 1"});
  CHECK(Call(kv->redis_port, {"GET", "k"}) == "$1\r\nv\r\n");
}

TEST_CASE("checkpoint: files a crash left behind are removed at startup",
          "[integration][persistence][checkpoint]") {
  TempDir dir("data");
  {
    auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
    CHECK(Call(kv->redis_port, {"SET", "k", "v"}) == "+OK\r\n");
  }
  // A base an interrupted checkpoint was writing, and a manifest that was never renamed.
  kvgate::testing::WriteFile(dir.path + "/kvgate-redo.9.base", "half an image");
  kvgate::testing::WriteFile(dir.path + "/kvgate.manifest.tmp", "kvgate-manifest 1\n");
  auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
  CHECK(Call(kv->redis_port, {"GET", "k"}) == "$1\r\nv\r\n");
  CHECK(!std::filesystem::exists(dir.path + "/kvgate-redo.9.base"));
  CHECK(!std::filesystem::exists(dir.path + "/kvgate.manifest.tmp"));
  CHECK(kv->process->ReadLog().find("not named by the manifest") != std::string::npos);
}

TEST_CASE("checkpoint: NATS history and revisions come back from base + incr",
          "[integration][persistence][checkpoint]") {
  TempDir dir("data");
  uint64_t last = 0;
  {
    auto kv = StartKvgateIn(dir.path, {});
    kvgate::testing::NatsClient nc(kv->nats_port);
    kvConfig cfg;
    kvConfig_Init(&cfg);
    cfg.Bucket = "files";
    cfg.History = 3;
    cfg.StorageType = js_FileStorage;
    kvStore* kvs = nullptr;
    REQUIRE(js_CreateKeyValue(&kvs, nc.js(), &cfg) == NATS_OK);
    nc.Own(kvs);
    for (const char* v : {"1", "2", "3", "4"})
      REQUIRE(kvStore_PutString(&last, kvs, "a", v) == NATS_OK);
    REQUIRE(kvStore_Delete(kvs, "gone") == NATS_OK);
    CHECK(Call(kv->redis_port, {"BGREWRITEAOF"}).rfind("+Background", 0) == 0);
    REQUIRE(WaitInfo(kv->redis_port, "aof_rewrites:1"));
    REQUIRE(kvStore_PutString(&last, kvs, "b", "x") == NATS_OK);
  }
  auto kv = StartKvgateIn(dir.path, {});
  kvgate::testing::NatsClient nc(kv->nats_port);
  kvStore* kvs = nullptr;
  REQUIRE(js_KeyValue(&kvs, nc.js(), "files") == NATS_OK);
  nc.Own(kvs);
  kvEntryList history;
  REQUIRE(kvStore_History(&history, kvs, "a", nullptr) == NATS_OK);
  REQUIRE(history.Count == 3);  // history 3 kept
  CHECK(kvEntry_Revision(history.Entries[0]) == 2);
  CHECK(std::string(kvEntry_ValueString(history.Entries[2])) == "4");
  kvEntryList_Destroy(&history);
  uint64_t rev = 0;
  REQUIRE(kvStore_PutString(&rev, kvs, "c", "y") == NATS_OK);
  CHECK(rev == last + 1);  // revisions go on, never reused
}

TEST_CASE("checkpoint: a failing rewrite keeps the old files, counts its failures, then recovers",
          "[integration][persistence][checkpoint]") {
  TempDir dir("data");
  auto kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
  const int port = kv->redis_port;
  RawConn c(port);
  CHECK(c.Call({"SET", "a", "1"}) == "+OK\r\n");
  // The next base file's name taken by a directory: its creation fails (EISDIR).
  const std::string blocker = dir.path + "/kvgate-redo.2.base";
  std::filesystem::create_directory(blocker);
  for (int attempt = 1; attempt <= 2; ++attempt) {
    REQUIRE(c.Call({"BGREWRITEAOF"}).rfind("+", 0) == 0);
    REQUIRE(WaitInfo(port, "aof_rewrites_consecutive_failures:" + std::to_string(attempt)));
    CHECK(c.Call({"INFO", "persistence"}).find("aof_last_bgrewrite_status:err") !=
          std::string::npos);
    CHECK(c.Call({"SET", "k" + std::to_string(attempt), "v"}) == "+OK\r\n");  // writes go on
  }
  std::filesystem::remove(blocker);
  REQUIRE(c.Call({"BGREWRITEAOF"}).rfind("+", 0) == 0);
  REQUIRE(WaitInfo(port, "aof_rewrites_consecutive_failures:0"));
  CHECK(c.Call({"INFO", "persistence"}).find("aof_last_bgrewrite_status:ok") != std::string::npos);
  REQUIRE(::kill(kv->process->pid(), SIGKILL) == 0);
  kv = StartKvgateIn(dir.path, {"--appendonly", "yes"});
  CHECK(DbSizeAfterLoading(kv->redis_port) == ":3\r\n");
}
