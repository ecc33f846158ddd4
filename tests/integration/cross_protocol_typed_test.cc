// File: tests/integration/cross_protocol_typed_test.cc
// Keys holding Redis collections seen from NATS with nats.c (README "Typed keys on the NATS
// side"): a get answers a JSON rendering with a KV-Type header, a watch gets one short
// notification per change (the header, no body), a NATS put replaces the collection as Redis
// SET would, a NATS delete deletes it, and revisions agree on both sides.
#include <nats/nats.h>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "integration/support/process.h"
#include "integration/support/resp_client.h"
#include "tests/support/nats_client.h"

using kvgate::testing::RawConn;

namespace {

kvStore* Bind(kvgate::testing::NatsClient& n, const char* bucket) {
  kvStore* kv = nullptr;
  REQUIRE(js_KeyValue(&kv, n.js(), bucket) == NATS_OK);
  return n.Own(kv);
}

// The KV-Type header of the key's newest message (a direct get), or "" when it has none.
std::string TypeHeader(kvgate::testing::NatsClient& n, const char* subject) {
  natsMsg* m = nullptr;
  if (js_GetLastMsg(&m, n.js(), "KV_db0", subject, nullptr, nullptr) != NATS_OK) return "<none>";
  const char* v = nullptr;
  std::string out = natsMsgHeader_Get(m, "KV-Type", &v) == NATS_OK ? v : "";
  natsMsg_Destroy(m);
  return out;
}

}  // namespace

TEST_CASE("a Redis hash reads from NATS as JSON with its type; NATS writes replace it",
          "[integration][cross]") {
  auto kv = kvgate::testing::StartKvgate();
  {
    RawConn r(kv->redis_port);
    kvgate::testing::NatsClient n(kv->nats_port);
    REQUIRE(r.Call({"HSET", "user", "name", "ann", "age", "7"}) == ":2\r\n");
    kvStore* db0 = Bind(n, "db0");
    uint64_t rev = 0;
    CHECK(kvgate::testing::KvGet(db0, "user", &rev) == "{\"name\":\"ann\",\"age\":\"7\"}");
    CHECK(rev == 1);
    CHECK(TypeHeader(n, "$KV.db0.user") == "hash");
    // A watcher hears of each change at once, without the collection in the message.
    kvWatcher* w = nullptr;
    REQUIRE(kvStore_Watch(&w, db0, "user", nullptr) == NATS_OK);
    n.Own(w);
    kvEntry* e = nullptr;
    REQUIRE(kvWatcher_Next(&e, w, 3000) == NATS_OK);  // the current state
    REQUIRE(e != nullptr);
    CHECK(kvEntry_ValueLen(e) == 0);
    kvEntry_Destroy(e);
    REQUIRE(kvWatcher_Next(&e, w, 3000) == NATS_OK);  // end of the initial values
    CHECK(e == nullptr);
    REQUIRE(r.Call({"HINCRBY", "user", "age", "1"}) == ":8\r\n");
    REQUIRE(kvWatcher_Next(&e, w, 3000) == NATS_OK);
    REQUIRE(e != nullptr);
    CHECK(kvEntry_Revision(e) == 2);
    CHECK(kvEntry_Operation(e) == kvOp_Put);
    CHECK(kvEntry_ValueLen(e) == 0);
    kvEntry_Destroy(e);
    // A NATS put replaces the hash, as Redis SET would.
    uint64_t put_rev = 0;
    REQUIRE(kvStore_PutString(&put_rev, db0, "user", "plain") == NATS_OK);
    CHECK(put_rev == 3);
    CHECK(r.Call({"TYPE", "user"}) == "+string\r\n");
    CHECK(r.Call({"GET", "user"}) == "$5\r\nplain\r\n");
    CHECK(TypeHeader(n, "$KV.db0.user") == "");
    // A NATS delete deletes a hash.
    REQUIRE(r.Call({"HSET", "cart", "sku", "1"}) == ":1\r\n");
    REQUIRE(kvStore_Delete(db0, "cart") == NATS_OK);
    CHECK(r.Call({"EXISTS", "cart"}) == ":0\r\n");
    CHECK(r.Call({"HGETALL", "cart"}) == "*0\r\n");
  }
  nats_CloseAndWait(2000);
}

TEST_CASE("a Redis list reads from NATS as a JSON array with its type", "[integration][cross]") {
  auto kv = kvgate::testing::StartKvgate();
  {
    RawConn r(kv->redis_port);
    kvgate::testing::NatsClient n(kv->nats_port);
    REQUIRE(r.Call({"RPUSH", "queue", "b", "c"}) == ":2\r\n");
    REQUIRE(r.Call({"LPUSH", "queue", "a"}) == ":3\r\n");
    kvStore* db0 = Bind(n, "db0");
    uint64_t rev = 0;
    CHECK(kvgate::testing::KvGet(db0, "queue", &rev) == "[\"a\",\"b\",\"c\"]");
    CHECK(rev == 2);
    CHECK(TypeHeader(n, "$KV.db0.queue") == "list");
    // Each change is one revision; emptying the list deletes the key on both sides.
    REQUIRE(r.Call({"RPOP", "queue", "2"}) == "*2\r\n$1\r\nc\r\n$1\r\nb\r\n");
    CHECK(kvgate::testing::KvGet(db0, "queue", &rev) == "[\"a\"]");
    CHECK(rev == 3);
    REQUIRE(r.Call({"LPOP", "queue"}) == "$1\r\na\r\n");
    CHECK(r.Call({"EXISTS", "queue"}) == ":0\r\n");
    kvEntry* e = nullptr;
    CHECK(kvStore_Get(&e, db0, "queue") == NATS_NOT_FOUND);
    // A NATS put replaces a list, as Redis SET would.
    REQUIRE(r.Call({"RPUSH", "jobs", "x"}) == ":1\r\n");
    uint64_t put_rev = 0;
    REQUIRE(kvStore_PutString(&put_rev, db0, "jobs", "plain") == NATS_OK);
    CHECK(r.Call({"TYPE", "jobs"}) == "+string\r\n");
    CHECK(r.Call({"LLEN", "jobs"}).substr(0, 10) == "-WRONGTYPE");
  }
  nats_CloseAndWait(2000);
}
