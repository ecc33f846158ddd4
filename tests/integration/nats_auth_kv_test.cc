// A per-user read-only bucket, differential: with the permissions README's Security section
// documents, a reader can bind, get, list keys and watch a bucket but neither put nor delete,
// and a writer can do both; nats.c's kvStore API runs the same script against a real
// `nats-server -js -c FILE` and kvgate, and their transcripts must be identical.
#include <catch2/catch.hpp>

#include <nats/nats.h>

#include <string>
#include <vector>

#include "integration/support/nats_auth_env.h"

using kvgate::testing::AuthServers;
using kvgate::testing::Connect;
using kvgate::testing::UserPass;

namespace {

// README "Security" example: read-only and read-write users of bucket `cfg`.
constexpr const char* kAuth = R"({"authorization": {"users": [
  {"user": "admin", "password": "a"},
  {"user": "reader", "password": "r", "permissions": {
    "publish": {
      "allow": ["$JS.API.INFO", "$JS.API.STREAM.NAMES", "$JS.API.STREAM.INFO.KV_cfg", "$JS.API.STREAM.MSG.GET.KV_cfg",
                "$JS.API.DIRECT.GET.KV_cfg", "$JS.API.DIRECT.GET.KV_cfg.>",
                "$JS.API.CONSUMER.CREATE.KV_cfg", "$JS.API.CONSUMER.CREATE.KV_cfg.>",
                "$JS.API.CONSUMER.DELETE.KV_cfg.>", "$JS.API.CONSUMER.INFO.KV_cfg.>",
                "$JS.FC.KV_cfg.>"],
      "deny": ["$KV.cfg.>"]},
    "subscribe": {"allow": "_INBOX.>"}}},
  {"user": "writer", "password": "w", "permissions": {
    "publish": ["$JS.API.INFO", "$JS.API.STREAM.NAMES", "$JS.API.STREAM.INFO.KV_cfg", "$JS.API.STREAM.MSG.GET.KV_cfg",
                "$JS.API.DIRECT.GET.KV_cfg", "$JS.API.DIRECT.GET.KV_cfg.>",
                "$JS.API.CONSUMER.CREATE.KV_cfg", "$JS.API.CONSUMER.CREATE.KV_cfg.>",
                "$JS.API.CONSUMER.DELETE.KV_cfg.>", "$JS.API.CONSUMER.INFO.KV_cfg.>",
                "$JS.FC.KV_cfg.>", "$KV.cfg.>"],
    "subscribe": "_INBOX.>"}}]}})";

std::string StatusText(natsStatus s) {
  return s == NATS_OK ? "OK" : natsStatus_GetText(s);
}

// One user's KV handle on a server.
class KvUser {
 public:
  KvUser(int port, const char* user, const char* pass)
      : conn_(Connect(port, UserPass(user, pass))) {
    REQUIRE(conn_.status == NATS_OK);
    jsOptions o;
    jsOptions_Init(&o);
    o.Wait = 1000;  // a denied request is dropped: its caller times out
    REQUIRE(natsConnection_JetStream(&js_, conn_.nc, &o) == NATS_OK);
  }
  ~KvUser() {
    if (kv_ != nullptr) kvStore_Destroy(kv_);
    jsCtx_Destroy(js_);
  }
  std::string Create() {
    kvConfig cfg;
    kvConfig_Init(&cfg);
    cfg.Bucket = "cfg";
    cfg.History = 5;
    cfg.StorageType = js_MemoryStorage;
    return StatusText(js_CreateKeyValue(&kv_, js_, &cfg));
  }
  std::string Bind() {
    return StatusText(js_KeyValue(&kv_, js_, "cfg"));
  }
  std::string Put(const char* key, const char* value) {
    uint64_t rev = 0;
    natsStatus s = kvStore_PutString(&rev, kv_, key, value);
    return StatusText(s) + (s == NATS_OK ? " rev " + std::to_string(rev) : "");
  }
  std::string Get(const char* key) {
    kvEntry* e = nullptr;
    natsStatus s = kvStore_Get(&e, kv_, key);
    if (s != NATS_OK) return StatusText(s);
    std::string out =
        std::string(kvEntry_ValueString(e)) + " rev " + std::to_string(kvEntry_Revision(e));
    kvEntry_Destroy(e);
    return out;
  }
  std::string Delete(const char* key) {
    return StatusText(kvStore_Delete(kv_, key));
  }
  std::string Keys() {
    kvKeysList keys{};
    natsStatus s = kvStore_Keys(&keys, kv_, nullptr);
    std::string out = StatusText(s);
    for (int i = 0; i < keys.Count; ++i) out += std::string(" ") + keys.Keys[i];
    kvKeysList_Destroy(&keys);
    return out;
  }
  // The initial values a watch of everything delivers, up to its end-of-initial marker.
  std::string Watch() {
    kvWatcher* w = nullptr;
    natsStatus s = kvStore_WatchAll(&w, kv_, nullptr);
    std::string out = "watch " + StatusText(s);
    for (int i = 0; s == NATS_OK && i < 10; ++i) {
      kvEntry* e = nullptr;
      natsStatus n = kvWatcher_Next(&e, w, 3000);
      if (n != NATS_OK) {
        out += " next " + StatusText(n);
        break;
      }
      if (e == nullptr) {
        out += " <end of initial values>";
        break;
      }
      out += std::string(" ") + kvEntry_Key(e) + "=" + kvEntry_ValueString(e);
      kvEntry_Destroy(e);
    }
    if (w != nullptr) kvWatcher_Destroy(w);
    return out;
  }
  // The connection's last asynchronous error (-ERR) text.
  std::string LastError() {
    const char* err = nullptr;
    natsConnection_GetLastError(conn_.nc, &err);
    return err != nullptr ? err : "";
  }

 private:
  kvgate::testing::ConnectOutcome conn_;
  jsCtx* js_ = nullptr;
  kvStore* kv_ = nullptr;
};

std::vector<std::string> Script(int port) {
  std::vector<std::string> t;
  KvUser admin(port, "admin", "a");
  t.push_back("admin create: " + admin.Create());
  t.push_back("admin put: " + admin.Put("color", "blue"));

  KvUser reader(port, "reader", "r");
  t.push_back("reader bind: " + reader.Bind());
  t.push_back("reader get: " + reader.Get("color"));
  t.push_back("reader keys: " + reader.Keys());
  t.push_back("reader " + reader.Watch());
  t.push_back("reader put: " + reader.Put("color", "red"));
  t.push_back("reader error: " + reader.LastError());
  t.push_back("reader delete: " + reader.Delete("color"));
  t.push_back("reader get again: " + reader.Get("color"));

  KvUser writer(port, "writer", "w");
  t.push_back("writer bind: " + writer.Bind());
  t.push_back("writer put: " + writer.Put("shape", "round"));
  t.push_back("writer get: " + writer.Get("shape"));
  t.push_back("writer delete: " + writer.Delete("color"));
  t.push_back("writer error: " + writer.LastError());
  t.push_back("reader sees: " + reader.Get("shape") + " / " + reader.Get("color"));
  t.push_back("reader keys after: " + reader.Keys());
  return t;
}

}  // namespace

TEST_CASE("nats auth: a read-only and a read-write bucket user", "[nats][auth][kv]") {
  AuthServers s(kAuth);
  std::vector<std::string> ref = Script(s.ref->port);
  std::vector<std::string> kv = Script(s.kv->nats_port);
  CHECK(kv == ref);
  // On their own, so that a change in both servers fails too.
  REQUIRE(kv.size() == 17);
  CHECK(kv[2] == "reader bind: OK");
  CHECK(kv[3] == "reader get: blue rev 1");
  CHECK(kv[4] == "reader keys: OK color");
  CHECK(kv[5] == "reader watch OK color=blue <end of initial values>");
  CHECK(kv[6] == "reader put: Timeout");  // the PUB was dropped with an -ERR: no PubAck
  CHECK(kv[7] == "reader error: Permissions Violation for Publish to \"$KV.cfg.color\"");
  CHECK(kv[8] == "reader delete: Timeout");
  CHECK(kv[9] == "reader get again: blue rev 1");
  CHECK(kv[11] == "writer put: OK rev 2");
  CHECK(kv[13] == "writer delete: OK");
}
