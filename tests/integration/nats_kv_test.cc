// Differential end-to-end test of the NATS KV front with a real client library: the same
// nats.c (libnats 3.4.1) kvStore scripts run against a real `nats-server -js` started here and
// against kvgate; their transcripts (values, revisions, operations, error statuses and texts,
// watch sequences) must be identical. A few expectations are also asserted on their own so the
// test fails if both servers changed behaviour.
#include <catch2/catch.hpp>

#include <nats/nats.h>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "integration/support/process.h"
#include "tests/support/nats_client.h"

// libnats 3.4.1 leaks a small allocation per kvStore_PurgeDeletes call (its internal
// watcher); it happens identically against nats-server, so it is the client library's, not
// the server under test's.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libnats.so\n";
}

namespace {

constexpr int64_t kWatchTimeoutMs = 3000;

// One connection + JetStream context + transcript for a server.
class KvSession : public kvgate::testing::NatsClient {
 public:
  explicit KvSession(int port) : NatsClient(port) {
  }

  void Log(const std::string& line) {
    transcript.push_back(line);
  }
  // "OK" or the status text ("Not Found", "Error", ...) plus, for NATS_ERR, the last error.
  std::string Status(natsStatus s) {
    if (s == NATS_OK) return "OK";
    std::string out = natsStatus_GetText(s);
    if (s == NATS_ERR) {
      natsStatus ignored;
      const char* last = nats_GetLastError(&ignored);
      if (last != nullptr) out += std::string(" (") + last + ")";
    }
    return out;
  }
  kvStore* Create(const char* bucket, int history) {
    kvStore* kv = nullptr;
    natsStatus s = CreateBucket(&kv, bucket, history);
    Log(std::string("create bucket ") + bucket + ": " + Status(s));
    return kv;
  }
  void Put(kvStore* kv, const char* key, const char* value) {
    uint64_t rev = 0;
    natsStatus s = kvStore_PutString(&rev, kv, key, value);
    Log(std::string("put ") + key + "=" + value + ": " + Status(s) + " rev " + std::to_string(rev));
  }
  void Get(kvStore* kv, const char* key, uint64_t revision = 0) {
    kvEntry* e = nullptr;
    natsStatus s =
        revision == 0 ? kvStore_Get(&e, kv, key) : kvStore_GetRevision(&e, kv, key, revision);
    std::string line =
        std::string("get ") + key + "@" + std::to_string(revision) + ": " + Status(s);
    if (e != nullptr) {
      line += " " + Describe(e);
      kvEntry_Destroy(e);
    }
    Log(line);
  }
  static std::string Describe(kvEntry* e) {
    static const char* kOps[] = {"?", "PUT", "DEL", "PURGE"};
    std::string v(static_cast<const char*>(kvEntry_Value(e)), kvEntry_ValueLen(e));
    return std::string(kvEntry_Key(e)) + "=" + v + " rev " + std::to_string(kvEntry_Revision(e)) +
           " " + kOps[kvEntry_Operation(e)] + " created>0:" + (kvEntry_Created(e) > 0 ? "y" : "n");
  }

  std::vector<std::string> transcript;
};

using Script = std::function<void(KvSession&)>;

// Runs the script against nats-server and kvgate; returns kvgate's transcript after checking
// that both are equal.
std::vector<std::string> Differential(const Script& script) {
  auto ref = kvgate::testing::StartNatsServer();
  REQUIRE(ref != nullptr);
  auto kv = kvgate::testing::StartKvgate();
  std::vector<std::string> expected, actual;
  {
    KvSession s(ref->port);
    script(s);
    expected = s.transcript;
  }
  {
    KvSession s(kv->nats_port);
    script(s);
    actual = s.transcript;
  }
  // Every libnats object is destroyed: release the library (the next connection re-opens it).
  // Best effort: after kvStore_PurgeDeletes, libnats 3.4.1 keeps an internal reference (see the
  // suppression below) and this times out, against either server.
  nats_CloseAndWait(2000);
  if (std::getenv("KVGATE_KV_TRANSCRIPT") != nullptr) {
    for (const auto& line : actual) std::fprintf(stderr, "| %s\n", line.c_str());
  }
  for (size_t i = 0; i < std::max(expected.size(), actual.size()); ++i) {
    INFO("step " << i);
    CHECK((i < expected.size() ? expected[i] : "<none>") ==
          (i < actual.size() ? actual[i] : "<none>"));
  }
  return actual;
}

bool Contains(const std::vector<std::string>& t, const std::string& line) {
  return std::find(t.begin(), t.end(), line) != t.end();
}

bool ContainsText(const std::vector<std::string>& t, const std::string& prefix,
                  const std::string& text) {
  for (const auto& line : t) {
    if (line.rfind(prefix, 0) == 0 && line.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("nats.c KV: bucket create, status, bind, delete", "[integration][nats]") {
  auto t = Differential([](KvSession& s) {
    kvStore* kv = s.Create("cfg", 5);
    REQUIRE(kv != nullptr);
    s.Create("cfg", 5);  // identical re-create: idempotent
    s.Put(kv, "a", "1");
    kvStatus* st = nullptr;
    natsStatus rc = kvStore_Status(&st, kv);
    s.Log("status: " + s.Status(rc));
    if (st != nullptr) {
      s.Log(std::string("status bucket ") + kvStatus_Bucket(st) + " values " +
            std::to_string(kvStatus_Values(st)) + " history " +
            std::to_string(kvStatus_History(st)) + " ttl " + std::to_string(kvStatus_TTL(st)));
      kvStatus_Destroy(st);
    }
    kvStore* bound = nullptr;
    rc = js_KeyValue(&bound, s.js(), "cfg");
    s.Log("bind: " + s.Status(rc));
    kvStore_Destroy(bound);
    s.Log("delete bucket: " + s.Status(js_DeleteKeyValue(s.js(), "cfg")));
    bound = nullptr;
    s.Log("bind deleted: " + s.Status(js_KeyValue(&bound, s.js(), "cfg")));
    kvStore_Destroy(bound);
    s.Log("delete again: " + s.Status(js_DeleteKeyValue(s.js(), "cfg")));
  });
  CHECK(Contains(t, "status bucket cfg values 1 history 5 ttl 0"));
  CHECK(Contains(t, "bind deleted: Not Found"));
}

TEST_CASE("nats.c KV: put, get, get by revision, create, update, delete, purge",
          "[integration][nats]") {
  auto t = Differential([](KvSession& s) {
    kvStore* kv = s.Create("ops", 10);
    REQUIRE(kv != nullptr);
    s.Put(kv, "color", "blue");
    s.Put(kv, "color", "red");
    s.Get(kv, "color");
    s.Get(kv, "color", 1);
    s.Get(kv, "color", 99);
    s.Get(kv, "missing");
    uint64_t rev = 0;
    s.Log("create new: " + s.Status(kvStore_CreateString(&rev, kv, "fresh", "x")) + " rev " +
          std::to_string(rev));
    rev = 0;
    s.Log("create existing: " + s.Status(kvStore_CreateString(&rev, kv, "fresh", "y")));
    s.Log("update stale: " + s.Status(kvStore_UpdateString(&rev, kv, "color", "green", 1)));
    rev = 0;
    s.Log("update ok: " + s.Status(kvStore_UpdateString(&rev, kv, "color", "green", 2)) + " rev " +
          std::to_string(rev));
    s.Log("delete: " + s.Status(kvStore_Delete(kv, "fresh")));
    s.Get(kv, "fresh");
    rev = 0;
    s.Log("create after delete: " + s.Status(kvStore_CreateString(&rev, kv, "fresh", "z")) +
          " rev " + std::to_string(rev));
    s.Get(kv, "fresh");
    s.Log("purge: " + s.Status(kvStore_Purge(kv, "color", nullptr)));
    s.Get(kv, "color");
    kvEntryList list = {};
    s.Log("history purged: " + s.Status(kvStore_History(&list, kv, "color", nullptr)) + " n " +
          std::to_string(list.Count));
    for (int i = 0; i < list.Count; ++i) s.Log("  " + KvSession::Describe(list.Entries[i]));
    kvEntryList_Destroy(&list);
  });
  CHECK(Contains(t, "get color@0: OK color=red rev 2 PUT created>0:y"));
  CHECK(ContainsText(t, "create existing: Error", "wrong last sequence: 3"));
  CHECK(ContainsText(t, "update stale: Error", "wrong last sequence: 2"));
  CHECK(Contains(t, "get fresh@0: OK fresh=z rev 6 PUT created>0:y"));
  CHECK(Contains(t, "  color= rev 7 PURGE created>0:y"));
}

TEST_CASE("nats.c KV: keys and history", "[integration][nats]") {
  auto t = Differential([](KvSession& s) {
    kvStore* kv = s.Create("hist", 5);
    REQUIRE(kv != nullptr);
    kvKeysList keys = {};
    s.Log("keys empty: " + s.Status(kvStore_Keys(&keys, kv, nullptr)) + " n " +
          std::to_string(keys.Count));
    kvKeysList_Destroy(&keys);
    for (const char* k : {"k1", "k2", "dir.a", "dir.b", "k3"}) s.Put(kv, k, "v");
    s.Put(kv, "k1", "v2");
    s.Put(kv, "k1", "v3");
    s.Log("delete k2: " + s.Status(kvStore_Delete(kv, "k2")));
    keys = {};
    s.Log("keys: " + s.Status(kvStore_Keys(&keys, kv, nullptr)));
    std::vector<std::string> names;
    for (int i = 0; i < keys.Count; ++i) names.push_back(keys.Keys[i]);
    std::sort(names.begin(), names.end());
    for (const auto& n : names) s.Log("  key " + n);
    kvKeysList_Destroy(&keys);
    kvEntryList list = {};
    s.Log("history k1: " + s.Status(kvStore_History(&list, kv, "k1", nullptr)));
    for (int i = 0; i < list.Count; ++i) s.Log("  " + KvSession::Describe(list.Entries[i]));
    kvEntryList_Destroy(&list);
    list = {};
    s.Log("history none: " + s.Status(kvStore_History(&list, kv, "nope", nullptr)));
    kvEntryList_Destroy(&list);
  });
  CHECK(Contains(t, "keys empty: OK n 0"));
  CHECK(Contains(t, "  key dir.a"));
  CHECK(!Contains(t, "  key k2"));
  CHECK(Contains(t, "  k1=v3 rev 7 PUT created>0:y"));
}

TEST_CASE("nats.c KV: watch and watch-all with live updates", "[integration][nats]") {
  auto t = Differential([](KvSession& s) {
    kvStore* kv = s.Create("w", 5);
    REQUIRE(kv != nullptr);
    s.Put(kv, "dir.a", "1");
    s.Put(kv, "other", "2");
    s.Put(kv, "dir.b", "3");
    s.Put(kv, "dir.a", "4");
    auto drain = [&](kvWatcher* w, const std::string& name, int live) {
      // Initial values, then the NULL marker, then `live` updates.
      int nulls = 0;
      for (int i = 0; i < 20; ++i) {
        kvEntry* e = nullptr;
        natsStatus rc = kvWatcher_Next(&e, w, kWatchTimeoutMs);
        if (rc != NATS_OK) {
          s.Log(name + " next: " + s.Status(rc));
          break;
        }
        if (e == nullptr) {
          s.Log(name + " <initial values done>");
          if (++nulls == 1 && live == 0) break;
          if (nulls == 1) {
            s.Put(kv, "dir.c", "5");
            s.Log("delete dir.b: " + s.Status(kvStore_Delete(kv, "dir.b")));
            s.Put(kv, "other", "6");
          }
          continue;
        }
        s.Log(name + " " + KvSession::Describe(e));
        kvEntry_Destroy(e);
        if (nulls == 1 && --live == 0) break;
      }
    };
    kvWatcher* w = nullptr;
    s.Log("watch dir.*: " + s.Status(kvStore_Watch(&w, kv, "dir.*", nullptr)));
    if (w != nullptr) {
      drain(w, "dir.*", 2);
      kvWatcher_Destroy(w);
    }
    w = nullptr;
    s.Log("watch all: " + s.Status(kvStore_WatchAll(&w, kv, nullptr)));
    if (w != nullptr) {
      drain(w, "all", 0);
      kvWatcher_Destroy(w);
    }
    kvWatchOptions o;
    kvWatchOptions_Init(&o);
    o.IncludeHistory = true;
    w = nullptr;
    s.Log("watch history: " + s.Status(kvStore_Watch(&w, kv, "dir.a", &o)));
    if (w != nullptr) {
      drain(w, "hist", 0);
      kvWatcher_Destroy(w);
    }
  });
  CHECK(Contains(t, "dir.* <initial values done>"));
  CHECK(Contains(t, "dir.* dir.c=5 rev 5 PUT created>0:y"));
  CHECK(Contains(t, "dir.* dir.b= rev 6 DEL created>0:y"));
}

TEST_CASE("nats.c KV: purge deletes", "[integration][nats]") {
  auto t = Differential([](KvSession& s) {
    kvStore* kv = s.Create("pd", 5);
    REQUIRE(kv != nullptr);
    s.Put(kv, "a", "1");
    s.Put(kv, "b", "2");
    s.Log("delete a: " + s.Status(kvStore_Delete(kv, "a")));
    s.Log("purge b: " + s.Status(kvStore_Purge(kv, "b", nullptr)));
    s.Put(kv, "c", "3");
    kvPurgeOptions po;
    kvPurgeOptions_Init(&po);
    po.DeleteMarkersOlderThan = -1;  // remove markers regardless of age
    s.Log("purge deletes: " + s.Status(kvStore_PurgeDeletes(kv, &po)));
    for (const char* k : {"a", "b"}) {
      kvEntryList list = {};
      s.Log(std::string("history ") + k + ": " + s.Status(kvStore_History(&list, kv, k, nullptr)) +
            " n " + std::to_string(list.Count));
      kvEntryList_Destroy(&list);
    }
    s.Get(kv, "c");
    kvStatus* st = nullptr;
    if (kvStore_Status(&st, kv) == NATS_OK) {
      s.Log("values " + std::to_string(kvStatus_Values(st)));
      kvStatus_Destroy(st);
    }
  });
  CHECK(Contains(t, "history a: Not Found n 0"));
  CHECK(Contains(t, "values 1"));
}

TEST_CASE("nats.c KV: a quiet watcher survives idle heartbeats without resets",
          "[integration][nats]") {
  // nats.c checks liveness every 2 x idle_heartbeat (5 s) and re-creates the consumer when
  // nothing arrived or Nats-Last-Consumer does not match; a reset leaves a second consumer on
  // the stream. After 12 quiet seconds there must still be exactly one, and updates flow.
  auto t = Differential([](KvSession& s) {
    kvStore* kv = s.Create("quiet", 5);
    REQUIRE(kv != nullptr);
    s.Put(kv, "a", "1");
    kvWatcher* w = nullptr;
    s.Log("watch: " + s.Status(kvStore_WatchAll(&w, kv, nullptr)));
    REQUIRE(w != nullptr);
    kvEntry* e = nullptr;
    s.Log("first: " + s.Status(kvWatcher_Next(&e, w, kWatchTimeoutMs)));
    if (e != nullptr) kvEntry_Destroy(e);
    e = nullptr;
    s.Log("marker: " + s.Status(kvWatcher_Next(&e, w, kWatchTimeoutMs)) +
          (e == nullptr ? " null" : " entry"));
    if (e != nullptr) kvEntry_Destroy(e);
    e = nullptr;
    s.Log("idle: " + s.Status(kvWatcher_Next(&e, w, 12'000)));
    if (e != nullptr) kvEntry_Destroy(e);
    jsStreamInfo* si = nullptr;
    if (js_GetStreamInfo(&si, s.js(), "KV_quiet", nullptr, nullptr) == NATS_OK) {
      s.Log("consumers " + std::to_string(si->State.Consumers));
      jsStreamInfo_Destroy(si);
    }
    s.Put(kv, "a", "2");
    e = nullptr;
    natsStatus rc = kvWatcher_Next(&e, w, kWatchTimeoutMs);
    s.Log("update: " + s.Status(rc) + (e != nullptr ? " " + KvSession::Describe(e) : ""));
    if (e != nullptr) {
      s.Log("delta " + std::to_string(kvEntry_Delta(e)));
      kvEntry_Destroy(e);
    }
    kvWatcher_Destroy(w);
  });
  CHECK(Contains(t, "idle: Timeout"));
  CHECK(Contains(t, "consumers 1"));
  CHECK(Contains(t, "update: OK a=2 rev 2 PUT created>0:y"));
}
