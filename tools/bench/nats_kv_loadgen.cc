// nats_kv_loadgen: KV workloads through nats.c's real KeyValue API, for side-by-side runs
// against nats-server -js and kvgate (tools/bench/nats_bench.py drives it). Not a test.
//
//   nats_kv_loadgen --url nats://127.0.0.1:4222 --mode put-sync --ops 20000
//   prints one line:  mode=put-sync ops=20000 secs=0.91 ops_per_sec=21978 p50_us=.. p99_us=..
//
// Modes: put-sync, put-async (--window), get, watch-fanout (--watchers), watch-latency
// (--rate), list (--keys), load (--keys; fills the bucket and exits, for memory per key).
#include <nats/nats.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Args {
  std::string url = "nats://127.0.0.1:4222";
  std::string mode = "put-sync";
  std::string bucket = "bench";
  int64_t ops = 20000;
  int64_t keys = 100000;
  int64_t window = 256;
  int watchers = 10;
  int64_t rate = 1000;
  int value_size = 16;
};

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void Check(natsStatus s, const char* what) {
  if (s != NATS_OK) {
    std::fprintf(stderr, "%s: %s (%s)\n", what, natsStatus_GetText(s), nats_GetLastError(&s));
    std::exit(2);
  }
}

struct Client {
  natsConnection* nc = nullptr;
  jsCtx* js = nullptr;
  kvStore* kv = nullptr;
  Client(const Args& a, int64_t max_pending, bool create) {
    Check(natsConnection_ConnectTo(&nc, a.url.c_str()), "connect");
    jsOptions o;
    jsOptions_Init(&o);
    o.Wait = 10000;
    if (max_pending > 0) o.PublishAsync.MaxPending = max_pending;
    Check(natsConnection_JetStream(&js, nc, &o), "jetstream");
    if (create) {
      kvConfig cfg;
      kvConfig_Init(&cfg);
      cfg.Bucket = a.bucket.c_str();
      cfg.History = 1;
      cfg.StorageType = js_MemoryStorage;
      Check(js_CreateKeyValue(&kv, js, &cfg), "create bucket");
    } else {
      Check(js_KeyValue(&kv, js, a.bucket.c_str()), "bind bucket");
    }
  }
  ~Client() {
    kvStore_Destroy(kv);
    jsCtx_Destroy(js);
    natsConnection_Destroy(nc);
  }
};

std::string Key(int64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "key.%07lld", static_cast<long long>(i));
  return buf;
}

std::string Value(int size, int64_t stamp) {
  std::string v(static_cast<size_t>(std::max(size, 20)), 'v');
  std::snprintf(v.data(), v.size(), "%019lld", static_cast<long long>(stamp));
  v[19] = 'v';
  return v.substr(0, static_cast<size_t>(std::max(size, 20)));
}

void Report(const Args& a, int64_t ops, double secs, std::vector<int64_t> lat_ns,
            const std::string& extra = "") {
  std::printf("mode=%s ops=%lld secs=%.3f ops_per_sec=%.0f", a.mode.c_str(),
              static_cast<long long>(ops), secs, ops / secs);
  if (!lat_ns.empty()) {
    std::sort(lat_ns.begin(), lat_ns.end());
    auto pct = [&](double p) {
      return lat_ns[std::min(lat_ns.size() - 1, static_cast<size_t>(p * lat_ns.size()))] / 1000.0;
    };
    std::printf(" p50_us=%.1f p99_us=%.1f", pct(0.50), pct(0.99));
  }
  std::printf("%s\n", extra.c_str());
  std::fflush(stdout);
}

void AsyncFill(Client& c, const Args& a, int64_t n, bool stamped) {
  std::string subj_prefix = "$KV." + a.bucket + ".";
  for (int64_t i = 0; i < n; ++i) {
    std::string v = stamped ? Value(a.value_size, NowNs()) : std::string(a.value_size, 'x');
    std::string subj = subj_prefix + Key(i % a.keys);
    Check(js_PublishAsync(c.js, subj.c_str(), v.data(), static_cast<int>(v.size()), nullptr),
          "publish async");
  }
  jsPubOptions po;
  jsPubOptions_Init(&po);
  po.MaxWait = 60000;
  Check(js_PublishAsyncComplete(c.js, &po), "publish async complete");
}

void PutSync(const Args& a) {
  Client c(a, 0, true);
  std::vector<int64_t> lat;
  lat.reserve(static_cast<size_t>(a.ops));
  std::string v(static_cast<size_t>(a.value_size), 'x');
  int64_t start = NowNs();
  for (int64_t i = 0; i < a.ops; ++i) {
    uint64_t rev = 0;
    int64_t t0 = NowNs();
    Check(kvStore_Put(&rev, c.kv, Key(i % a.keys).c_str(), v.data(), static_cast<int>(v.size())),
          "put");
    lat.push_back(NowNs() - t0);
  }
  Report(a, a.ops, (NowNs() - start) / 1e9, std::move(lat));
}

void PutAsync(const Args& a) {
  Client c(a, a.window, true);
  int64_t start = NowNs();
  AsyncFill(c, a, a.ops, false);
  Report(a, a.ops, (NowNs() - start) / 1e9, {});
}

void Get(const Args& a) {
  Client c(a, a.window, true);
  int64_t prefill = std::min(a.keys, a.ops);
  AsyncFill(c, a, prefill, false);
  std::vector<int64_t> lat;
  lat.reserve(static_cast<size_t>(a.ops));
  int64_t start = NowNs();
  for (int64_t i = 0; i < a.ops; ++i) {
    kvEntry* e = nullptr;
    int64_t t0 = NowNs();
    Check(kvStore_Get(&e, c.kv, Key(i % prefill).c_str()), "get");
    lat.push_back(NowNs() - t0);
    kvEntry_Destroy(e);
  }
  Report(a, a.ops, (NowNs() - start) / 1e9, std::move(lat));
}

// Watchers each on their own connection; the putter publishes stamped values; receipt latency
// = receive time - stamp (same host, steady clock).
void Watch(const Args& a, int watchers, bool paced) {
  Client writer(a, a.window, true);
  std::atomic<int64_t> received{0};
  std::atomic<int> ready{0};
  std::vector<std::vector<int64_t>> lats(static_cast<size_t>(watchers));
  std::vector<std::thread> threads;
  std::atomic<bool> stop{false};
  for (int w = 0; w < watchers; ++w) {
    threads.emplace_back([&, w] {
      Client c(a, 0, false);
      kvWatcher* watcher = nullptr;
      kvWatchOptions wo;
      kvWatchOptions_Init(&wo);
      Check(kvStore_WatchAll(&watcher, c.kv, &wo), "watch");
      ready++;
      auto& lat = lats[static_cast<size_t>(w)];
      while (!stop) {
        kvEntry* e = nullptr;
        natsStatus s = kvWatcher_Next(&e, watcher, 200);
        if (s == NATS_TIMEOUT) continue;
        Check(s, "watch next");
        if (e == nullptr) continue;
        int64_t now = NowNs();
        const char* val = static_cast<const char*>(kvEntry_Value(e));
        if (kvEntry_ValueLen(e) >= 19) lat.push_back(now - std::strtoll(val, nullptr, 10));
        kvEntry_Destroy(e);
        received++;
      }
      kvWatcher_Destroy(watcher);
    });
  }
  while (ready < watchers) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  int64_t expected = a.ops * watchers;
  int64_t start = NowNs();
  if (paced) {
    int64_t interval = 1'000'000'000 / std::max<int64_t>(1, a.rate);
    for (int64_t i = 0; i < a.ops; ++i) {
      int64_t due = start + i * interval;
      while (NowNs() < due) std::this_thread::sleep_for(std::chrono::microseconds(50));
      std::string v = Value(a.value_size, NowNs());
      uint64_t rev;
      Check(kvStore_Put(&rev, writer.kv, Key(i % a.keys).c_str(), v.data(),
                        static_cast<int>(v.size())),
            "put");
    }
  } else {
    AsyncFill(writer, a, a.ops, true);
  }
  int64_t deadline = NowNs() + 60'000'000'000LL;
  while (received < expected && NowNs() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  double secs = (NowNs() - start) / 1e9;
  stop = true;
  for (auto& t : threads) t.join();
  std::vector<int64_t> all;
  for (auto& l : lats) all.insert(all.end(), l.begin(), l.end());
  Report(a, received, secs, std::move(all),
         " expected=" + std::to_string(expected) + " watchers=" + std::to_string(watchers));
}

void List(const Args& a) {
  Client c(a, a.window, true);
  AsyncFill(c, a, a.keys, false);
  int64_t start = NowNs();
  kvKeysList keys;
  Check(kvStore_Keys(&keys, c.kv, nullptr), "keys");
  double secs = (NowNs() - start) / 1e9;
  int64_t n = keys.Count;
  kvKeysList_Destroy(&keys);
  Report(a, n, secs, {}, " listed=" + std::to_string(n));
  if (n != a.keys) {
    std::fprintf(stderr, "listed %lld keys, expected %lld\n", static_cast<long long>(n),
                 static_cast<long long>(a.keys));
    std::exit(3);
  }
}

void Load(const Args& a) {
  Client c(a, a.window, true);
  int64_t start = NowNs();
  Args b = a;
  AsyncFill(c, b, a.keys, false);
  Report(a, a.keys, (NowNs() - start) / 1e9, {});
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    std::string v = argv[i + 1];
    if (k == "--url") a.url = v;
    else if (k == "--mode") a.mode = v;
    else if (k == "--bucket") a.bucket = v;
    else if (k == "--ops") a.ops = std::atoll(v.c_str());
    else if (k == "--keys") a.keys = std::atoll(v.c_str());
    else if (k == "--window") a.window = std::atoll(v.c_str());
    else if (k == "--watchers") a.watchers = std::atoi(v.c_str());
    else if (k == "--rate") a.rate = std::atoll(v.c_str());
    else if (k == "--value-size") a.value_size = std::atoi(v.c_str());
    else {
      std::fprintf(stderr, "unknown flag %s\n", k.c_str());
      return 1;
    }
  }
  if (a.mode == "put-sync") PutSync(a);
  else if (a.mode == "put-async") PutAsync(a);
  else if (a.mode == "get") Get(a);
  else if (a.mode == "watch-fanout") Watch(a, a.watchers, false);
  else if (a.mode == "watch-latency") Watch(a, 1, true);
  else if (a.mode == "list") List(a);
  else if (a.mode == "load") Load(a);
  else {
    std::fprintf(stderr, "unknown mode %s\n", a.mode.c_str());
    return 1;
  }
  nats_Close();
  return 0;
}
