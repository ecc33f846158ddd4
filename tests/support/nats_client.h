// File: tests/support/nats_client.h
// A nats.c connection and JetStream context to a server under test (kvgate or nats-server), which
// owns the KV handles a test makes through it and destroys them before the connection.
//
//   kvgate::testing::NatsClient c(port);
//   kvStore* kv = nullptr;
//   REQUIRE(c.CreateBucket(&kv, "b", 5) == NATS_OK);   // memory storage, history 5
#pragma once

#include <nats/nats.h>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace kvgate::testing {

class NatsClient {
 public:
  // `options` (nats.c's JetStream defaults when null) sets e.g. publish windows and timeouts.
  explicit NatsClient(int port, jsOptions* options = nullptr) {
    std::string url = "nats://127.0.0.1:" + std::to_string(port);
    REQUIRE(natsConnection_ConnectTo(&nc_, url.c_str()) == NATS_OK);
    REQUIRE(natsConnection_JetStream(&js_, nc_, options) == NATS_OK);
  }
  ~NatsClient() {
    for (kvWatcher* w : watchers_) kvWatcher_Destroy(w);
    for (kvStore* kv : stores_) kvStore_Destroy(kv);
    jsCtx_Destroy(js_);
    natsConnection_Destroy(nc_);
  }
  NatsClient(const NatsClient&) = delete;
  NatsClient& operator=(const NatsClient&) = delete;

  natsConnection* nc() {
    return nc_;
  }
  jsCtx* js() {
    return js_;
  }
  // Creates a memory-storage bucket; on success *kv is owned by this client.
  natsStatus CreateBucket(kvStore** kv, const char* bucket, int history = 1) {
    kvConfig cfg;
    kvConfig_Init(&cfg);
    cfg.Bucket = bucket;
    cfg.History = static_cast<uint8_t>(history);
    cfg.StorageType = js_MemoryStorage;
    *kv = nullptr;
    natsStatus s = js_CreateKeyValue(kv, js_, &cfg);
    if (*kv != nullptr) stores_.push_back(*kv);
    return s;
  }
  // Hands a handle made directly with nats.c to this client.
  kvStore* Own(kvStore* kv) {
    stores_.push_back(kv);
    return kv;
  }
  kvWatcher* Own(kvWatcher* w) {
    watchers_.push_back(w);
    return w;
  }

 private:
  natsConnection* nc_ = nullptr;
  jsCtx* js_ = nullptr;
  std::vector<kvStore*> stores_;
  std::vector<kvWatcher*> watchers_;
};

// A key's value read with kvStore_Get (binary-safe), or "<status text>" when the get fails;
// *rev gets its revision.
inline std::string KvGet(kvStore* kv, const char* key, uint64_t* rev = nullptr) {
  kvEntry* e = nullptr;
  natsStatus s = kvStore_Get(&e, kv, key);
  if (s != NATS_OK) return "<" + std::string(natsStatus_GetText(s)) + ">";
  std::string v(static_cast<const char*>(kvEntry_Value(e)),
                static_cast<size_t>(kvEntry_ValueLen(e)));
  if (rev != nullptr) *rev = kvEntry_Revision(e);
  kvEntry_Destroy(e);
  return v;
}

}  // namespace kvgate::testing
