// The NATS front at a size where the engine's bounded-work paths take over, driven by nats.c
// against an in-process gateway: a watch or key listing with a wildcard or prefix filter on a
// bucket larger than one counting slice (the consumer create is answered once the incremental
// count is done, and the client still sees every key and the end of the initial values), and
// many idle watchers (each consumer is visited by the periodic tick in slices).
#include <nats/nats.h>
#include <catch2/catch.hpp>

#include <string>
#include <thread>

#include "engine/engine.h"
#include "gateway/loop_clock.h"
#include "gateway/server.h"
#include "tests/support/nats_client.h"
#include "tests/support/server_thread.h"
#include "translate/nats/nats_front.h"

namespace {

struct NatsHarness {
  NatsHarness()
      : engine(clock),
        store(engine),
        front(store, kvgate::nats::NatsConfig{}),
        run(store, front, {}, &clock) {
  }
  kvgate::gateway::LoopClock clock;
  kvgate::engine::Engine engine;
  kvgate::engine::LocalStore store;
  kvgate::nats::NatsFront front;
  kvgate::testing::ServerThread run;
};

// A client with a long JetStream wait and a deep async-publish window, and the bucket "big".
class Kv : public kvgate::testing::NatsClient {
 public:
  explicit Kv(int port) : NatsClient(port, Options()) {
    REQUIRE(CreateBucket(&kv, "big") == NATS_OK);
  }
  kvStore* kv = nullptr;

 private:
  // nats.c copies the options; one set serves every client.
  static jsOptions* Options() {
    static jsOptions o = [] {
      jsOptions opts;
      jsOptions_Init(&opts);
      opts.Wait = 20000;
      opts.PublishAsync.MaxPending = 1024;
      opts.PublishAsync.StallWait = 20000;
      return opts;
    }();
    return &o;
  }
};

// Drains a watcher's initial values (until the NULL entry); returns how many arrived.
int DrainInitial(kvWatcher* w) {
  int n = 0;
  for (;;) {
    kvEntry* e = nullptr;
    REQUIRE(kvWatcher_Next(&e, w, 20000) == NATS_OK);
    if (e == nullptr) return n;
    kvEntry_Destroy(e);
    ++n;
  }
}

}  // namespace

TEST_CASE("nats.c: filtered watches on a bucket larger than one counting slice", "[gateway]") {
  NatsHarness h;
  Kv c(h.run.port());
  // 25,000 keys a.N and 25,000 keys b.N: 50,000 revisions, several counting slices.
  for (int i = 0; i < 25'000; ++i) {
    for (const char* p : {"$KV.big.a.", "$KV.big.b."}) {
      std::string subj = p + std::to_string(i);
      REQUIRE(js_PublishAsync(c.js(), subj.c_str(), "v", 1, nullptr) == NATS_OK);
    }
  }
  jsPubOptions po;
  jsPubOptions_Init(&po);
  po.MaxWait = 30000;
  REQUIRE(js_PublishAsyncComplete(c.js(), &po) == NATS_OK);

  kvWatchOptions wo;
  kvWatchOptions_Init(&wo);
  for (const char* filter : {"a.*", "b.>"}) {
    kvWatcher* w = nullptr;
    REQUIRE(kvStore_Watch(&w, c.kv, filter, &wo) == NATS_OK);
    CHECK(DrainInitial(w) == 25'000);
    // Live updates follow the initial values.
    std::string key = std::string(filter).substr(0, 2) + "live";
    uint64_t rev = 0;
    REQUIRE(kvStore_PutString(&rev, c.kv, key.c_str(), "x") == NATS_OK);
    kvEntry* e = nullptr;
    REQUIRE(kvWatcher_Next(&e, w, 5000) == NATS_OK);
    REQUIRE(e != nullptr);
    CHECK(std::string(kvEntry_Key(e)) == key);
    kvEntry_Destroy(e);
    kvWatcher_Destroy(w);
  }
  // A filter matching nothing ends its (empty) initial part at once.
  kvWatcher* none = nullptr;
  REQUIRE(kvStore_Watch(&none, c.kv, "c.*", &wo) == NATS_OK);
  CHECK(DrainInitial(none) == 0);
  kvWatcher_Destroy(none);

  kvKeysList keys;
  REQUIRE(kvStore_Keys(&keys, c.kv, nullptr) == NATS_OK);
  CHECK(keys.Count == 50'002);
  kvKeysList_Destroy(&keys);
}

TEST_CASE("nats.c: 2,000 idle watchers, then a write to one of them is delivered", "[gateway]") {
  NatsHarness h;
  Kv c(h.run.port());
  kvWatchOptions wo;
  kvWatchOptions_Init(&wo);
  std::vector<kvWatcher*> ws;
  for (int i = 0; i < 2000; ++i) {
    kvWatcher* w = nullptr;
    std::string key = "idle." + std::to_string(i);
    REQUIRE(kvStore_Watch(&w, c.kv, key.c_str(), &wo) == NATS_OK);
    CHECK(DrainInitial(w) == 0);
    ws.push_back(w);
  }
  // More than one Tick slice of consumers: all stay alive (no GC, no resets) through ticks.
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  uint64_t rev = 0;
  REQUIRE(kvStore_PutString(&rev, c.kv, "idle.1999", "x") == NATS_OK);
  kvEntry* e = nullptr;
  REQUIRE(kvWatcher_Next(&e, ws.back(), 5000) == NATS_OK);
  REQUIRE(e != nullptr);
  CHECK(std::string(kvEntry_ValueString(e)) == "x");
  kvEntry_Destroy(e);
  for (kvWatcher* w : ws) kvWatcher_Destroy(w);
}
