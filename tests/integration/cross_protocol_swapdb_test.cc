// SWAPDB seen from NATS (README "SWAPDB"): the engine swaps the two buckets' contents, so bucket
// db<N> keeps backing Redis database N for both protocols. A value written by either side before
// the swap is read by both from the other database after it; writes after it land where both
// sides look; consumers (KV watchers) of either bucket are removed, as for a replaced bucket,
// and a new watch sees the swapped contents.
#include <nats/nats.h>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "integration/support/process.h"
#include "integration/support/resp_client.h"
#include "tests/support/nats_client.h"

using kvgate::testing::RawConn;

namespace {

int ConsumerCount(jsCtx* js, const char* stream) {
  jsConsumerNamesList* list = nullptr;
  if (js_ConsumerNames(&list, js, stream, nullptr, nullptr) != NATS_OK) return 0;
  const int n = list->Count;
  jsConsumerNamesList_Destroy(list);
  return n;
}

// Keys of a new watch's initial part.
std::vector<std::string> WatchKeys(kvgate::testing::NatsClient& n, kvStore* kv) {
  kvWatcher* w = nullptr;
  REQUIRE(kvStore_WatchAll(&w, kv, nullptr) == NATS_OK);
  n.Own(w);
  std::vector<std::string> keys;
  for (;;) {
    kvEntry* e = nullptr;
    REQUIRE(kvWatcher_Next(&e, w, 3000) == NATS_OK);
    if (e == nullptr) break;  // end of the initial values
    keys.emplace_back(kvEntry_Key(e));
    kvEntry_Destroy(e);
  }
  return keys;
}

}  // namespace

TEST_CASE("SWAPDB swaps the buckets' contents for NATS clients too", "[integration][cross]") {
  auto kv = kvgate::testing::StartKvgate();
  RawConn r0(kv->redis_port);
  RawConn r1(kv->redis_port);
  kvgate::testing::NatsClient n(kv->nats_port);
  REQUIRE(r0.Call({"SET", "from.redis", "r0"}) == "+OK\r\n");
  REQUIRE(r1.Call({"SELECT", "1"}) == "+OK\r\n");
  REQUIRE(r1.Call({"SET", "in.db1", "r1"}) == "+OK\r\n");
  kvStore* db0 = nullptr;
  kvStore* db1 = nullptr;
  REQUIRE(js_KeyValue(&db0, n.js(), "db0") == NATS_OK);
  n.Own(db0);
  REQUIRE(js_KeyValue(&db1, n.js(), "db1") == NATS_OK);
  n.Own(db1);
  uint64_t rev = 0;
  REQUIRE(kvStore_PutString(&rev, db0, "from.nats", "n0") == NATS_OK);
  CHECK(WatchKeys(n, db0) == std::vector<std::string>{"from.redis", "from.nats"});
  CHECK(ConsumerCount(n.js(), "KV_db0") == 1);

  REQUIRE(r0.Call({"SWAPDB", "0", "1"}) == "+OK\r\n");
  // Both protocols read database 0 / bucket db0 as the former db1, and the other way round.
  CHECK(kvgate::testing::KvGet(db0, "in.db1") == "r1");
  CHECK(kvgate::testing::KvGet(db0, "from.redis") ==
        "<" + std::string(natsStatus_GetText(NATS_NOT_FOUND)) + ">");
  CHECK(kvgate::testing::KvGet(db1, "from.redis") == "r0");
  CHECK(kvgate::testing::KvGet(db1, "from.nats") == "n0");
  CHECK(r1.Call({"GET", "from.nats"}) == "$2\r\nn0\r\n");
  CHECK(r0.Call({"GET", "in.db1"}) == "$2\r\nr1\r\n");
  // Writes after the swap: each side reads the other's.
  REQUIRE(kvStore_PutString(&rev, db0, "after.nats", "n1") == NATS_OK);
  CHECK(r0.Call({"GET", "after.nats"}) == "$2\r\nn1\r\n");
  REQUIRE(r1.Call({"SET", "after.redis", "r2"}) == "+OK\r\n");
  CHECK(kvgate::testing::KvGet(db1, "after.redis") == "r2");
  // The watcher's consumer on db0 is gone, as for a replaced bucket; a new watch sees the swap.
  CHECK(ConsumerCount(n.js(), "KV_db0") == 0);
  CHECK(WatchKeys(n, db0) == std::vector<std::string>{"in.db1", "after.nats"});
}
