// One engine, two protocols: hiredis (and raw RESP3 connections) and nats.c kvStore clients
// against the same kvgate. A write on one side is read, watched and notified on the other:
// data and revisions, deletes/purges/expiry, keyspace notifications, client-side caching
// invalidations, transactions as contiguous revision ranges, CAS conflicts from both sides, and
// Redis KV.WATCH resuming from a cursor or hitting CURSOREXPIRED after compaction.
#include <hiredis/hiredis.h>
#include <nats/nats.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "integration/support/process.h"
#include "integration/support/resp_client.h"
#include "tests/support/nats_client.h"

using kvgate::testing::EncodeCommand;
using kvgate::testing::RawConn;

namespace {

// ---- Redis side (hiredis, RESP2) ----

struct RedisReply {
  int type = 0;
  long long integer = 0;
  std::string str;
  std::vector<RedisReply> elements;
};

RedisReply Convert(const redisReply* r) {
  RedisReply out;
  if (r == nullptr) {
    out.type = -1;
    return out;
  }
  out.type = r->type;
  out.integer = r->integer;
  if (r->str != nullptr) out.str.assign(r->str, r->len);
  for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(Convert(r->element[i]));
  return out;
}

class Redis {
 public:
  explicit Redis(int port) : c_(redisConnect("127.0.0.1", port)) {
    REQUIRE(c_ != nullptr);
    REQUIRE(c_->err == 0);
  }
  ~Redis() {
    redisFree(c_);
  }
  RedisReply Cmd(const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<size_t> lens;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lens.push_back(a.size());
    }
    auto* r = static_cast<redisReply*>(
        redisCommandArgv(c_, static_cast<int>(args.size()), argv.data(), lens.data()));
    RedisReply out = Convert(r);
    if (r != nullptr) freeReplyObject(r);
    return out;
  }
  std::string Str(const std::vector<std::string>& args) {
    return Cmd(args).str;
  }
  long long Int(const std::vector<std::string>& args) {
    RedisReply r = Cmd(args);
    INFO("reply: " << r.str);
    REQUIRE(r.type == REDIS_REPLY_INTEGER);
    return r.integer;
  }
  // Next pushed reply (pub/sub message, KV.WATCH frame); type -1 after the timeout.
  RedisReply Next(int timeout_ms = 3000) {
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    redisSetTimeout(c_, tv);
    void* r = nullptr;
    RedisReply out;
    if (redisGetReply(c_, &r) == REDIS_OK && r != nullptr) {
      out = Convert(static_cast<redisReply*>(r));
      freeReplyObject(r);
    } else {
      out.type = -1;
      // A timeout leaves the context in error; reconnecting is not needed by the tests.
    }
    return out;
  }

 private:
  redisContext* c_;
};

// ---- NATS side (nats.c kvStore) ----

struct Ev {
  std::string key, op, value;
  uint64_t rev = 0;
  bool operator==(const Ev& o) const {
    return key == o.key && op == o.op && value == o.value && rev == o.rev;
  }
};

std::ostream& operator<<(std::ostream& os, const Ev& e) {
  return os << e.key << " " << e.op << " " << e.rev << " '" << e.value << "'";
}

std::string OpText(kvOperation op) {
  switch (op) {
    case kvOp_Put:
      return "PUT";
    case kvOp_Delete:
      return "DEL";
    case kvOp_Purge:
      return "PURGE";
    default:
      return "?";
  }
}

Ev ToEv(kvEntry* e) {
  Ev ev;
  ev.key = kvEntry_Key(e);
  ev.op = OpText(kvEntry_Operation(e));
  ev.rev = kvEntry_Revision(e);
  ev.value.assign(static_cast<const char*>(kvEntry_Value(e)),
                  static_cast<size_t>(kvEntry_ValueLen(e)));
  return ev;
}

class Nats : public kvgate::testing::NatsClient {
 public:
  explicit Nats(int port) : NatsClient(port) {
  }
  kvStore* Bind(const char* bucket) {
    kvStore* kv = nullptr;
    REQUIRE(js_KeyValue(&kv, js(), bucket) == NATS_OK);
    return Own(kv);
  }
  kvStore* Create(const char* bucket, int history = 1) {
    kvStore* kv = nullptr;
    REQUIRE(CreateBucket(&kv, bucket, history) == NATS_OK);
    return kv;
  }
  // A watcher whose initial part has been consumed (returns what it held).
  kvWatcher* WatchAll(kvStore* kv, std::vector<Ev>* initial = nullptr) {
    kvWatcher* w = nullptr;
    REQUIRE(kvStore_WatchAll(&w, kv, nullptr) == NATS_OK);
    Own(w);
    for (;;) {
      kvEntry* e = nullptr;
      REQUIRE(kvWatcher_Next(&e, w, 3000) == NATS_OK);
      if (e == nullptr) break;  // nats.c: end of the initial values
      if (initial != nullptr) initial->push_back(ToEv(e));
      kvEntry_Destroy(e);
    }
    return w;
  }
  static std::vector<Ev> Collect(kvWatcher* w, size_t count, int64_t timeout_ms = 3000) {
    std::vector<Ev> out;
    while (out.size() < count) {
      kvEntry* e = nullptr;
      if (kvWatcher_Next(&e, w, timeout_ms) != NATS_OK) break;
      if (e == nullptr) continue;
      out.push_back(ToEv(e));
      kvEntry_Destroy(e);
    }
    return out;
  }
  static bool Quiet(kvWatcher* w, int64_t ms = 300) {
    kvEntry* e = nullptr;
    natsStatus s = kvWatcher_Next(&e, w, ms);
    if (e != nullptr) kvEntry_Destroy(e);
    return s == NATS_TIMEOUT;
  }
};

using kvgate::testing::KvGet;

uint64_t Put(kvStore* kv, const char* key, const char* value) {
  uint64_t rev = 0;
  REQUIRE(kvStore_PutString(&rev, kv, key, value) == NATS_OK);
  return rev;
}

std::vector<std::string> Keys(kvStore* kv) {
  kvKeysList list;
  std::vector<std::string> out;
  if (kvStore_Keys(&list, kv, nullptr) != NATS_OK) return out;
  for (int i = 0; i < list.Count; ++i) out.emplace_back(list.Keys[i]);
  kvKeysList_Destroy(&list);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> StreamNames(jsCtx* js) {
  jsStreamNamesList* list = nullptr;
  std::vector<std::string> out;
  if (js_StreamNames(&list, js, nullptr, nullptr) != NATS_OK) return out;
  for (int i = 0; i < list->Count; ++i) out.emplace_back(list->List[i]);
  jsStreamNamesList_Destroy(list);
  return out;
}

// [value, revision, op] of a KV.GET reply.
uint64_t KvRevision(Redis& r, const std::string& key) {
  RedisReply e = r.Cmd({"KV.GET", key});
  REQUIRE(e.type == REDIS_REPLY_ARRAY);
  REQUIRE(e.elements.size() == 3);
  return static_cast<uint64_t>(e.elements[1].integer);
}

}  // namespace

TEST_CASE("Redis databases and NATS buckets are the same data with one revision sequence",
          "[integration][cross]") {
  auto kv = kvgate::testing::StartKvgate({"--db-bucket", "1=app"});
  {
    Redis r(kv->redis_port);
    Nats n(kv->nats_port);
    REQUIRE(r.Str({"SET", "greeting", "hello"}) == "OK");
    const uint64_t r1 = KvRevision(r, "greeting");
    kvStore* db0 = n.Bind("db0");  // the bucket backing Redis database 0
    uint64_t rev = 0;
    CHECK(KvGet(db0, "greeting", &rev) == "hello");
    CHECK(rev == r1);
    const uint64_t r2 = Put(db0, "color", "blue");
    CHECK(r2 == r1 + 1);  // one sequence, whichever protocol wrote
    CHECK(r.Str({"GET", "color"}) == "blue");
    CHECK(KvRevision(r, "color") == r2);
    // Redis-only keys (not valid NATS keys) work from Redis and stay invisible to NATS.
    REQUIRE(r.Str({"SET", "user:1 name", "ann"}) == "OK");
    CHECK(r.Str({"GET", "user:1 name"}) == "ann");
    CHECK(r.Int({"EXISTS", "user:1 name"}) == 1);
    CHECK(r.Cmd({"KEYS", "*"}).elements.size() == 3);
    CHECK(Keys(db0) == std::vector<std::string>{"color", "greeting"});
    // `nats kv ls` lists the Redis databases' buckets.
    auto streams = StreamNames(n.js());
    CHECK(std::find(streams.begin(), streams.end(), "KV_db0") != streams.end());
    // A bucket created by NATS, mapped to database 1 in configuration (--db-bucket 1=app).
    kvStore* app = n.Create("app", 5);
    Put(app, "mode", "dark");
    CHECK(r.Str({"SELECT", "1"}) == "OK");
    CHECK(r.Str({"GET", "mode"}) == "dark");
    CHECK(r.Str({"SET", "mode", "light"}) == "OK");
    CHECK(KvGet(app, "mode") == "light");
    // Any other bucket is one KV.USE away.
    kvStore* cfg = n.Create("cfg", 3);
    Put(cfg, "theme", "solar");
    CHECK(r.Str({"KV.USE", "cfg"}) == "OK");
    CHECK(r.Str({"GET", "theme"}) == "solar");
    CHECK(r.Str({"SET", "font", "mono"}) == "OK");
    CHECK(KvGet(cfg, "font") == "mono");
    RedisReply buckets = r.Cmd({"KV.BUCKETS"});
    REQUIRE(buckets.elements.size() == 3);
    CHECK(buckets.elements[0].str == "app");
    CHECK(buckets.elements[1].str == "cfg");
    CHECK(buckets.elements[2].str == "db0");
    // Redis DEL is a tombstone NATS clients see; `nats kv create` over it succeeds.
    CHECK(r.Str({"SELECT", "0"}) == "OK");
    CHECK(r.Int({"DEL", "greeting"}) == 1);
    CHECK(KvGet(db0, "greeting") == "<" + std::string(natsStatus_GetText(NATS_NOT_FOUND)) + ">");
    kvEntryList hist;
    REQUIRE(kvStore_History(&hist, db0, "greeting", nullptr) == NATS_OK);
    REQUIRE(hist.Count >= 1);
    CHECK(kvEntry_Operation(hist.Entries[hist.Count - 1]) == kvOp_Delete);
    kvEntryList_Destroy(&hist);
    uint64_t created = 0;
    CHECK(kvStore_CreateString(&created, db0, "greeting", "again") == NATS_OK);
    CHECK(created > r2);
    CHECK(r.Str({"GET", "greeting"}) == "again");
  }
  nats_CloseAndWait(2000);
}

TEST_CASE("every mutation and expiry reaches NATS watchers and Redis keyspace notifications",
          "[integration][cross]") {
  auto kv = kvgate::testing::StartKvgate();
  {
    Redis r(kv->redis_port);
    Redis sub(kv->redis_port);
    Nats n(kv->nats_port);
    REQUIRE(r.Str({"CONFIG", "SET", "notify-keyspace-events", "KEA"}) == "OK");
    REQUIRE(sub.Cmd({"PSUBSCRIBE", "__keyevent@0__:*"}).type == REDIS_REPLY_ARRAY);
    REQUIRE(r.Str({"PING"}) == "PONG");  // creates nothing; db0 is created on first write
    REQUIRE(r.Str({"SET", "seed", "0"}) == "OK");
    kvStore* db0 = n.Bind("db0");
    kvWatcher* w = n.WatchAll(db0);
    auto event = [&](const std::string& want_event, const std::string& want_key) {
      RedisReply m = sub.Next();
      INFO("waiting for " << want_event << " " << want_key);
      REQUIRE(m.elements.size() == 4);
      CHECK(m.elements[2].str == "__keyevent@0__:" + want_event);
      CHECK(m.elements[3].str == want_key);
    };
    event("set", "seed");
    // Redis writes -> NATS watcher.
    REQUIRE(r.Str({"SET", "a", "1"}) == "OK");
    const uint64_t ra = KvRevision(r, "a");
    event("set", "a");
    CHECK(Nats::Collect(w, 1) == std::vector<Ev>{{"a", "PUT", "1", ra}});
    // NATS writes -> Redis keyspace notifications.
    const uint64_t rb = Put(db0, "b", "2");
    event("set", "b");
    REQUIRE(kvStore_Delete(db0, "b") == NATS_OK);
    event("del", "b");
    CHECK(Nats::Collect(w, 2) == std::vector<Ev>{{"b", "PUT", "2", rb}, {"b", "DEL", "", rb + 1}});
    // Redis KV.PURGE and DEL.
    const long long purged = r.Int({"KV.PURGE", "a"});
    event("del", "a");
    CHECK(Nats::Collect(w, 1) ==
          std::vector<Ev>{{"a", "PURGE", "", static_cast<uint64_t>(purged)}});
    // Redis expiry is a Purge marker for NATS watchers and "expired" for Redis subscribers.
    REQUIRE(r.Str({"SET", "t", "v", "PX", "300"}) == "OK");
    const uint64_t rt = KvRevision(r, "t");
    event("set", "t");
    event("expire", "t");
    auto got = Nats::Collect(w, 2, 5000);
    REQUIRE(got.size() == 2);
    CHECK(got[0] == Ev{"t", "PUT", "v", rt});
    CHECK(got[1].key == "t");
    CHECK(got[1].op == "PURGE");
    CHECK(got[1].rev == rt + 1);
    event("expired", "t");
    // Redis EXPIRE works on a key NATS wrote.
    Put(db0, "c", "3");
    event("set", "c");
    CHECK(r.Int({"EXPIRE", "c", "100"}) == 1);
    event("expire", "c");
    CHECK(r.Int({"TTL", "c"}) == 100);
    Nats::Collect(w, 1);
    // A NATS per-message TTL (Nats-TTL header) shows as Redis TTL/PTTL.
    natsMsg* msg = nullptr;
    REQUIRE(natsMsg_Create(&msg, "$KV.db0.ttl", nullptr, "x", 1) == NATS_OK);
    REQUIRE(natsMsgHeader_Set(msg, "Nats-TTL", "90s") == NATS_OK);
    jsPubAck* ack = nullptr;
    jsErrCode jerr = static_cast<jsErrCode>(0);
    CHECK(js_PublishMsg(&ack, n.js(), msg, nullptr, &jerr) == NATS_OK);
    jsPubAck_Destroy(ack);
    natsMsg_Destroy(msg);
    event("set", "ttl");
    const long long pttl = r.Int({"PTTL", "ttl"});
    CHECK(pttl > 85'000);
    CHECK(pttl <= 90'000);
    CHECK(Nats::Quiet(w, 100) == false);  // the put itself
    // Class n: a NATS put that brings a key to life fires "new" before "set", as Redis does.
    REQUIRE(r.Str({"CONFIG", "SET", "notify-keyspace-events", "KEAn"}) == "OK");
    Put(db0, "fresh", "1");
    event("new", "fresh");
    event("set", "fresh");
    Put(db0, "fresh", "2");
    event("set", "fresh");
    REQUIRE(kvStore_Delete(db0, "fresh") == NATS_OK);
    event("del", "fresh");
    Put(db0, "fresh", "3");  // over its tombstone: alive again
    event("new", "fresh");
    event("set", "fresh");
    Nats::Collect(w, 4);
  }
  nats_CloseAndWait(2000);
}

TEST_CASE("MULTI/EXEC commits one contiguous revision range that NATS watchers see in order",
          "[integration][cross]") {
  auto kv = kvgate::testing::StartKvgate();
  {
    Redis r(kv->redis_port);
    Nats n(kv->nats_port);
    REQUIRE(r.Str({"SET", "n", "10"}) == "OK");
    REQUIRE(r.Str({"SET", "old", "gone soon"}) == "OK");
    kvStore* db0 = n.Bind("db0");
    kvWatcher* w = n.WatchAll(db0);
    REQUIRE(r.Str({"MULTI"}) == "OK");
    REQUIRE(r.Str({"SET", "x", "1"}) == "QUEUED");
    REQUIRE(r.Str({"SET", "y", "2"}) == "QUEUED");
    // A NATS write while the transaction is queued lands before it, not inside it.
    const uint64_t rz = Put(db0, "z", "nats");
    // (Distinct keys: with history 1, an entry overwritten before a watcher was sent it is
    // skipped, as nats-server's per-subject limit drops it.)
    REQUIRE(r.Str({"DEL", "old"}) == "QUEUED");
    REQUIRE(r.Str({"INCR", "n"}) == "QUEUED");
    RedisReply exec = r.Cmd({"EXEC"});
    REQUIRE(exec.elements.size() == 4);
    CHECK(exec.elements[3].integer == 11);
    CHECK(Nats::Collect(w, 5) == std::vector<Ev>{{"z", "PUT", "nats", rz},
                                                 {"x", "PUT", "1", rz + 1},
                                                 {"y", "PUT", "2", rz + 2},
                                                 {"old", "DEL", "", rz + 3},
                                                 {"n", "PUT", "11", rz + 4}});
    // WATCH aborts EXEC when a NATS client changed the key.
    REQUIRE(r.Str({"WATCH", "y"}) == "OK");
    Put(db0, "y", "changed by nats");
    REQUIRE(r.Str({"MULTI"}) == "OK");
    REQUIRE(r.Str({"SET", "y", "mine"}) == "QUEUED");
    CHECK(r.Cmd({"EXEC"}).type == REDIS_REPLY_NIL);
    CHECK(r.Str({"GET", "y"}) == "changed by nats");
  }
  nats_CloseAndWait(2000);
}

TEST_CASE("CAS conflicts from both sides on the same key", "[integration][cross]") {
  auto kv = kvgate::testing::StartKvgate();
  {
    Redis r(kv->redis_port);
    Nats n(kv->nats_port);
    REQUIRE(r.Str({"SET", "k", "v1"}) == "OK");
    const uint64_t r1 = KvRevision(r, "k");
    kvStore* db0 = n.Bind("db0");
    uint64_t r2 = 0;
    REQUIRE(kvStore_UpdateString(&r2, db0, "k", "v2", r1) == NATS_OK);  // NATS wins the race
    CHECK(r.Cmd({"KV.UPDATE", "k", "v3", std::to_string(r1)}).str ==
          "WRONGREVISION " + std::to_string(r2) + " the key is at revision " + std::to_string(r2));
    CHECK(r.Int({"KV.UPDATE", "k", "v3", std::to_string(r2)}) == static_cast<long long>(r2 + 1));
    uint64_t stale = 0;
    natsStatus s = kvStore_UpdateString(&stale, db0, "k", "v4", r2);  // Redis won this one
    CHECK(s != NATS_OK);
    const char* last = nats_GetLastError(nullptr);
    CHECK(std::string(last != nullptr ? last : "").find("wrong last sequence") !=
          std::string::npos);
    // ETags and digests are revisions and values both sides agree on.
    CHECK(r.Int({"GETETAG", "k"}) == static_cast<long long>(r2 + 1));
    RedisReply skipped = r.Cmd({"EXECIFMATCH", std::to_string(r2), "SET", "k", "v5"});
    REQUIRE(skipped.elements.size() == 2);
    CHECK(skipped.elements[0].str == "v3");
    RedisReply ran = r.Cmd({"EXECIFMATCH", std::to_string(r2 + 1), "SET", "k", "v5"});
    REQUIRE(ran.elements.size() == 2);
    CHECK(ran.elements[0].type == REDIS_REPLY_NIL);
    uint64_t rev = 0;
    CHECK(KvGet(db0, "k", &rev) == "v5");
    CHECK(static_cast<long long>(rev) == ran.elements[1].integer);
    CHECK(r.Cmd({"SET", "k", "v6", "IFEQ", "v3"}).type == REDIS_REPLY_NIL);
    CHECK(r.Str({"SET", "k", "v6", "IFDEQ", r.Str({"DIGEST", "k"})}) == "OK");
    uint64_t created = 0;
    CHECK(kvStore_CreateString(&created, db0, "k", "dup") != NATS_OK);
    CHECK(r.Cmd({"KV.CREATE", "k", "dup"}).str.rfind("EXISTS ", 0) == 0);
  }
  nats_CloseAndWait(2000);
}

TEST_CASE("KV.WATCH resumes from a cursor with the delta only, CURSOREXPIRED after compaction",
          "[integration][cross]") {
  auto kv = kvgate::testing::StartKvgate();
  {
    Redis r(kv->redis_port);
    Nats n(kv->nats_port);
    REQUIRE(r.Str({"SET", "seed", "0"}) == "OK");
    kvStore* db0 = n.Bind("db0");
    Put(db0, "a", "1");
    Put(db0, "b", "2");
    long long cursor = 0;
    {
      Redis w(kv->redis_port);
      REQUIRE(w.Str({"KV.WATCH", "*"}) == "OK");
      for (;;) {  // the initial values, then the end-of-initial frame with the cursor
        RedisReply f = w.Next();
        REQUIRE(f.type == REDIS_REPLY_ARRAY);
        if (f.elements[0].str == "kv-synced") {
          cursor = f.elements[1].integer;
          break;
        }
        CHECK(f.elements[0].str == "kv");
      }
    }
    CHECK(cursor == 3);
    const uint64_t rc = Put(db0, "c", "3");
    const uint64_t ra = Put(db0, "a", "10");
    {
      Redis w(kv->redis_port);
      REQUIRE(w.Str({"KV.WATCH", "*", "AFTER", std::to_string(cursor)}) == "OK");
      RedisReply f1 = w.Next(), f2 = w.Next(), f3 = w.Next();
      REQUIRE(f1.elements.size() == 5);
      CHECK(f1.elements[1].str == "c");
      CHECK(f1.elements[3].integer == static_cast<long long>(rc));
      REQUIRE(f2.elements.size() == 5);
      CHECK(f2.elements[1].str == "a");
      CHECK(f2.elements[4].str == "10");
      CHECK(f2.elements[3].integer == static_cast<long long>(ra));
      REQUIRE(f3.elements.size() == 2);
      CHECK(f3.elements[0].str == "kv-synced");
      // Live changes from NATS keep coming on the same stream.
      const uint64_t rd = Put(db0, "d", "4");
      RedisReply live = w.Next();
      REQUIRE(live.elements.size() == 5);
      CHECK(live.elements[1].str == "d");
      CHECK(live.elements[3].integer == static_cast<long long>(rd));
    }
    // Delete c (a tombstone is c's last trace) and compact it away: a client whose cursor is
    // before it cannot converge by replaying, and is told so instead of getting a silent gap.
    REQUIRE(kvStore_Delete(db0, "c") == NATS_OK);
    const uint64_t tomb = KvRevision(r, "c");
    CHECK(r.Int({"KV.COMPACT", std::to_string(tomb)}) > 0);
    Redis w(kv->redis_port);
    RedisReply err = w.Cmd({"KV.WATCH", "*", "AFTER", std::to_string(cursor)});
    CHECK(err.type == REDIS_REPLY_ERROR);
    CHECK(err.str.rfind("CURSOREXPIRED " + std::to_string(tomb) + " ", 0) == 0);
    // Re-listing (the default snapshot) works and gives the new cursor.
    REQUIRE(w.Str({"KV.WATCH", "*"}) == "OK");
    long long fresh = 0;
    for (;;) {
      RedisReply f = w.Next();
      REQUIRE(f.type == REDIS_REPLY_ARRAY);
      if (f.elements[0].str == "kv-synced") {
        fresh = f.elements[1].integer;
        break;
      }
    }
    CHECK(fresh >= static_cast<long long>(tomb));
  }
  nats_CloseAndWait(2000);
}

TEST_CASE("client-side caching invalidations caused by NATS writes, flushes and expiry",
          "[integration][cross]") {
  auto kv = kvgate::testing::StartKvgate();
  {
    Redis r(kv->redis_port);
    Nats n(kv->nats_port);
    REQUIRE(r.Str({"SET", "k", "v"}) == "OK");
    kvStore* db0 = n.Bind("db0");
    // RESP3: `>2 invalidate [k]` pushes on the tracking connection itself.
    RawConn t(kv->redis_port);
    t.Send(EncodeCommand({"HELLO", "3"}));
    t.ReadReplies(1);
    t.Send(EncodeCommand({"CLIENT", "TRACKING", "ON"}) + EncodeCommand({"GET", "k"}));
    CHECK(t.ReadReplies(2) == "+OK\r\n$1\r\nv\r\n");
    Put(db0, "k", "from nats");
    CHECK(t.ReadReplies(1) == ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n");
    // RESP2: invalidations redirected to a connection subscribed to __redis__:invalidate.
    Redis inv(kv->redis_port);
    const long long inv_id = inv.Int({"CLIENT", "ID"});
    REQUIRE(inv.Cmd({"SUBSCRIBE", "__redis__:invalidate"}).type == REDIS_REPLY_ARRAY);
    Redis a(kv->redis_port);
    REQUIRE(a.Str({"CLIENT", "TRACKING", "ON", "REDIRECT", std::to_string(inv_id)}) == "OK");
    a.Cmd({"GET", "k2"});
    Put(db0, "k2", "x");
    RedisReply m = inv.Next();
    REQUIRE(m.elements.size() == 3);
    CHECK(m.elements[0].str == "message");
    CHECK(m.elements[1].str == "__redis__:invalidate");
    REQUIRE(m.elements[2].elements.size() == 1);
    CHECK(m.elements[2].elements[0].str == "k2");
    a.Cmd({"GET", "k2"});
    REQUIRE(kvStore_Delete(db0, "k2") == NATS_OK);
    CHECK(inv.Next().elements[2].elements[0].str == "k2");
    // A NATS stream purge empties the bucket: "everything is invalid" (a null).
    t.Send(EncodeCommand({"GET", "k"}));
    t.ReadReplies(1);
    REQUIRE(js_PurgeStream(n.js(), "KV_db0", nullptr, nullptr) == NATS_OK);
    CHECK(t.ReadReplies(1) == ">2\r\n$10\r\ninvalidate\r\n_\r\n");
    CHECK(inv.Next().elements[2].type == REDIS_REPLY_NIL);
    // Expiry invalidates too.
    REQUIRE(r.Str({"SET", "e", "v", "PX", "200"}) == "OK");
    t.Send(EncodeCommand({"GET", "e"}));
    CHECK(t.ReadReplies(1) == "$1\r\nv\r\n");
    CHECK(t.ReadReplies(1, 3000) == ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\ne\r\n");
    // BCAST: one batch per prefix for NATS writes as for Redis ones.
    RawConn b(kv->redis_port);
    b.Send(EncodeCommand({"HELLO", "3"}));
    b.ReadReplies(1);
    b.Send(EncodeCommand({"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "user."}));
    CHECK(b.ReadReplies(1) == "+OK\r\n");
    Put(db0, "user.1", "ann");
    Put(db0, "order.1", "x");
    CHECK(b.ReadReplies(1) == ">2\r\n$10\r\ninvalidate\r\n*1\r\n$6\r\nuser.1\r\n");
    CHECK(b.ReadUntilQuiet(200).empty());
  }
  nats_CloseAndWait(2000);
}

TEST_CASE("a Redis set reads from NATS as a JSON array of its members", "[integration][cross]") {
  auto kv = kvgate::testing::StartKvgate();
  {
    Redis r(kv->redis_port);
    Nats n(kv->nats_port);
    REQUIRE(r.Int({"SADD", "tags", "3", "1", "2"}) == 3);
    kvStore* db0 = n.Bind("db0");
    uint64_t rev = 0;
    CHECK(KvGet(db0, "tags", &rev) == "[\"1\",\"2\",\"3\"]");  // an intset: numeric order
    CHECK(rev == KvRevision(r, "tags"));
    REQUIRE(r.Int({"SADD", "tags", "x\"y"}) == 1);
    CHECK(KvGet(db0, "tags", &rev) == "[\"1\",\"2\",\"3\",\"x\\\"y\"]");
    REQUIRE(r.Int({"SREM", "tags", "1", "2", "3", "x\"y"}) == 4);
    CHECK(r.Int({"EXISTS", "tags"}) == 0);
  }
  nats_CloseAndWait(2000);
}
