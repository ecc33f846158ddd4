// nats_kv_loadgen: KV workloads through nats.c's real KeyValue API, for side-by-side runs
// against nats-server -js and kvgate (tools/bench/nats_bench.py drives it). Not a test.
//
//   nats_kv_loadgen --url nats://127.0.0.1:4222 --mode put-sync --ops 20000 --clients 10
//   prints one line:  mode=put-sync ops=20000 secs=0.91 ops_per_sec=21978 p50_us=.. p99_us=..
//   nats_kv_loadgen --mode ping --ops 10000     # PING/PONG round trip: the floor under put-sync
//
// Modes: put-sync and get (--clients synchronous callers, one connection each), put-async
// (--window), watch-fanout (--watchers), watch-latency (--rate), list (--keys; fills a bucket,
// then times kvStore_Keys), keys (kvStore_Keys on an existing bucket of --keys keys), load (--keys;
// fills the bucket and exits, for memory per key), watch-replay (--filter; state sync of an
// existing bucket), hold-watchers (--watchers idle watchers until stdin closes), and two
// diagnostics: ping (core round trip) and put-request (a put as a bare core request, without
// nats.c's JetStream layer). --send-asap 1 makes nats.c write from the caller's thread.
#include <nats/nats.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
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
  int clients = 1;
  std::string filter;  // watch-replay: a key pattern ("" = every key)
  int64_t rate = 1000;
  int value_size = 16;
  int history = 1;    // bucket history (load: --passes writes of every key)
  bool file = false;  // --storage file: a file-storage bucket (persistence benchmarks)
  int passes = 1;
  bool send_asap = false;
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
    natsOptions* opts = nullptr;
    Check(natsOptions_Create(&opts), "options");
    Check(natsOptions_SetURL(opts, a.url.c_str()), "url");
    Check(natsOptions_SetSendAsap(opts, a.send_asap), "send asap");
    Check(natsConnection_Connect(&nc, opts), "connect");
    natsOptions_Destroy(opts);
    jsOptions o;
    jsOptions_Init(&o);
    o.Wait = 10000;
    if (max_pending > 0) o.PublishAsync.MaxPending = max_pending;
    // A full window waits for acks (200 ms by default, which a busy nats-server can exceed
    // while loading a million keys).
    o.PublishAsync.StallWait = 30000;
    Check(natsConnection_JetStream(&js, nc, &o), "jetstream");
    if (create) {
      kvConfig cfg;
      kvConfig_Init(&cfg);
      cfg.Bucket = a.bucket.c_str();
      cfg.History = a.history;
      cfg.StorageType = a.file ? js_FileStorage : js_MemoryStorage;
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

// Runs `body(client_index, client, ops_for_it, latencies)` on --clients threads, each with its
// own connection, and reports the total. One client measures round-trip latency; several
// measure what the server sustains for synchronous callers (redis-benchmark's -c, -P 1).
template <typename Body>
void SyncClients(const Args& a, Body body) {
  std::vector<std::vector<int64_t>> lats(static_cast<size_t>(a.clients));
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < a.clients; ++i) clients.push_back(std::make_unique<Client>(a, 0, false));
  std::vector<std::thread> threads;
  int64_t start = NowNs();
  for (int i = 0; i < a.clients; ++i) {
    int64_t n = a.ops / a.clients + (i < a.ops % a.clients ? 1 : 0);
    threads.emplace_back([&, i, n] {
      lats[static_cast<size_t>(i)].reserve(static_cast<size_t>(n));
      body(i, *clients[static_cast<size_t>(i)], n, lats[static_cast<size_t>(i)]);
    });
  }
  for (auto& t : threads) t.join();
  double secs = (NowNs() - start) / 1e9;
  std::vector<int64_t> all;
  for (auto& l : lats) all.insert(all.end(), l.begin(), l.end());
  Report(a, a.ops, secs, std::move(all), " clients=" + std::to_string(a.clients));
}

void PutSync(const Args& a) {
  Client creator(a, 0, true);
  std::string v(static_cast<size_t>(a.value_size), 'x');
  SyncClients(a, [&](int ci, Client& c, int64_t n, std::vector<int64_t>& lat) {
    for (int64_t i = 0; i < n; ++i) {
      uint64_t rev = 0;
      int64_t t0 = NowNs();
      Check(kvStore_Put(&rev, c.kv, Key((i * a.clients + ci) % a.keys).c_str(), v.data(),
                        static_cast<int>(v.size())),
            "put");
      lat.push_back(NowNs() - t0);
    }
  });
}

// Core-protocol round trip (PING/PONG through natsConnection_Flush): the floor under every
// synchronous KV figure, the part of each round trip that is client and kernel, not server.
void Ping(const Args& a) {
  Client c(a, 0, true);
  std::vector<int64_t> lat;
  lat.reserve(static_cast<size_t>(a.ops));
  int64_t start = NowNs();
  for (int64_t i = 0; i < a.ops; ++i) {
    int64_t t0 = NowNs();
    Check(natsConnection_Flush(c.nc), "flush");
    lat.push_back(NowNs() - t0);
  }
  Report(a, a.ops, (NowNs() - start) / 1e9, std::move(lat));
}

// A KV put as a bare core request (PUB $KV.<bucket>.<key> with a reply inbox, PubAck back),
// without nats.c's JetStream layer: separates client-library cost from server cost.
void PutRequest(const Args& a) {
  Client c(a, 0, true);
  std::vector<int64_t> lat;
  lat.reserve(static_cast<size_t>(a.ops));
  std::string v(static_cast<size_t>(a.value_size), 'x');
  std::string prefix = "$KV." + a.bucket + ".";
  int64_t start = NowNs();
  for (int64_t i = 0; i < a.ops; ++i) {
    natsMsg* reply = nullptr;
    std::string subj = prefix + Key(i % a.keys);
    int64_t t0 = NowNs();
    Check(natsConnection_Request(&reply, c.nc, subj.c_str(), v.data(), static_cast<int>(v.size()),
                                 10000),
          "request");
    lat.push_back(NowNs() - t0);
    natsMsg_Destroy(reply);
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
  Client creator(a, a.window, true);
  int64_t prefill = std::min(a.keys, a.ops);
  AsyncFill(creator, a, prefill, false);
  SyncClients(a, [&](int ci, Client& c, int64_t n, std::vector<int64_t>& lat) {
    for (int64_t i = 0; i < n; ++i) {
      kvEntry* e = nullptr;
      int64_t t0 = NowNs();
      Check(kvStore_Get(&e, c.kv, Key((i * a.clients + ci) % prefill).c_str()), "get");
      lat.push_back(NowNs() - t0);
      kvEntry_Destroy(e);
    }
  });
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

// Lists the keys (kvStore_Keys); `fill` first writes --keys keys into a new bucket.
void List(const Args& a, bool fill) {
  Client c(a, a.window, fill);
  if (fill) AsyncFill(c, a, a.keys, false);
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

// Replays the bucket through a watcher (latest value per key, nats.c's state sync) until the
// initial part ends: --filter "" watches every key, a pattern ("key.*") takes the engine's
// filtered path. The stall scenario runs it against a bucket of 1M keys.
void WatchReplay(const Args& a) {
  Client c(a, 0, false);
  kvWatcher* w = nullptr;
  kvWatchOptions wo;
  kvWatchOptions_Init(&wo);
  int64_t start = NowNs();
  if (a.filter.empty()) {
    Check(kvStore_WatchAll(&w, c.kv, &wo), "watch all");
  } else {
    Check(kvStore_Watch(&w, c.kv, a.filter.c_str(), &wo), "watch");
  }
  int64_t n = 0;
  for (;;) {
    kvEntry* e = nullptr;
    Check(kvWatcher_Next(&e, w, 60000), "watch next");
    if (e == nullptr) break;  // end of the initial values
    kvEntry_Destroy(e);
    ++n;
  }
  double secs = (NowNs() - start) / 1e9;
  kvWatcher_Destroy(w);
  Report(a, n, secs, {}, " replayed=" + std::to_string(n));
}

// Holds --watchers idle watchers on keys "idle.<i>" (nobody writes them), 1,000 per connection,
// prints "ready" and waits for stdin to close: the scale check measures the server's RSS and
// put throughput to other keys while they exist.
void HoldWatchers(const Args& a) {
  Client creator(a, 0, true);
  std::vector<std::unique_ptr<Client>> conns;
  std::vector<kvWatcher*> ws;
  kvWatchOptions wo;
  kvWatchOptions_Init(&wo);
  for (int i = 0; i < a.watchers; ++i) {
    if (i % 1000 == 0) conns.push_back(std::make_unique<Client>(a, 0, false));
    kvWatcher* w = nullptr;
    std::string key = "idle." + std::to_string(i);
    Check(kvStore_Watch(&w, conns.back()->kv, key.c_str(), &wo), "watch");
    kvEntry* e = nullptr;
    Check(kvWatcher_Next(&e, w, 10000), "watch init");  // NULL: no initial values
    kvEntry_Destroy(e);
    ws.push_back(w);
  }
  std::printf("ready watchers=%d\n", a.watchers);
  std::fflush(stdout);
  char buf[256];
  while (std::fread(buf, 1, sizeof buf, stdin) > 0) {
  }
  for (kvWatcher* w : ws) kvWatcher_Destroy(w);
}

void Load(const Args& a) {
  Client c(a, a.window, true);
  int64_t start = NowNs();
  AsyncFill(c, a, a.keys * a.passes, false);
  Report(a, a.keys * a.passes, (NowNs() - start) / 1e9, {});
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    std::string v = argv[i + 1];
    if (k == "--url")
      a.url = v;
    else if (k == "--mode")
      a.mode = v;
    else if (k == "--bucket")
      a.bucket = v;
    else if (k == "--ops")
      a.ops = std::atoll(v.c_str());
    else if (k == "--keys")
      a.keys = std::atoll(v.c_str());
    else if (k == "--window")
      a.window = std::atoll(v.c_str());
    else if (k == "--watchers")
      a.watchers = std::atoi(v.c_str());
    else if (k == "--history")
      a.history = std::atoi(v.c_str());
    else if (k == "--storage")
      a.file = v == "file";
    else if (k == "--passes")
      a.passes = std::max(1, std::atoi(v.c_str()));
    else if (k == "--clients")
      a.clients = std::max(1, std::atoi(v.c_str()));
    else if (k == "--filter")
      a.filter = v;
    else if (k == "--rate")
      a.rate = std::atoll(v.c_str());
    else if (k == "--value-size")
      a.value_size = std::atoi(v.c_str());
    else if (k == "--send-asap")
      a.send_asap = std::atoi(v.c_str()) != 0;
    else {
      std::fprintf(stderr, "unknown flag %s\n", k.c_str());
      return 1;
    }
  }
  if (a.mode == "put-sync")
    PutSync(a);
  else if (a.mode == "put-async")
    PutAsync(a);
  else if (a.mode == "ping")
    Ping(a);
  else if (a.mode == "put-request")
    PutRequest(a);
  else if (a.mode == "get")
    Get(a);
  else if (a.mode == "watch-fanout")
    Watch(a, a.watchers, false);
  else if (a.mode == "watch-latency")
    Watch(a, 1, true);
  else if (a.mode == "list")
    List(a, true);
  else if (a.mode == "keys")
    List(a, false);
  else if (a.mode == "load")
    Load(a);
  else if (a.mode == "watch-replay")
    WatchReplay(a);
  else if (a.mode == "hold-watchers")
    HoldWatchers(a);
  else {
    std::fprintf(stderr, "unknown mode %s\n", a.mode.c_str());
    return 1;
  }
  nats_Close();
  return 0;
}
