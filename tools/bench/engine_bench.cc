// File: tools/bench/engine_bench.cc
// Engine micro-benchmark (not a test): put/get/delete ops/s and bytes per key at 1M keys
// (16-byte values, history 1), put cost with 10,000 idle watchers on other keys, active expiry
// sweep throughput, compaction (tombstone removal, flush) and the worst single-call latency of
// each phase (the loop must never block > 10 ms), and what the store interface costs over the
// engine's own calls (section "store": CPU per get/put, heap allocations per call). Build with
// the release flags:
//
//   cmake -S . -B build/h-engine-rel -G Ninja -DCMAKE_BUILD_TYPE=Release -DKVGATE_TESTS=OFF
//   cmake --build build/h-engine-rel --target engine_bench && build/h-engine-rel/tools/bench/engine_bench
//   engine_bench --keys 1000000 --value-size 16 --watchers 10000
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <new>
#include <random>
#include <string>
#include <vector>

#include "engine/collections/list_value.h"
#include "engine/engine.h"
#include "engine/local_store.h"

// Every heap allocation of the process, so the store section can show what a call allocates.
static size_t g_allocations = 0;

void* operator new(size_t n) {
  ++g_allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, size_t) noexcept {
  std::free(p);
}

namespace {

using kvgate::engine::Bucket;
using kvgate::engine::BucketConfig;
using kvgate::engine::Engine;
using kvgate::engine::FakeClock;
using kvgate::engine::KeyFilter;
using kvgate::engine::SystemClock;
using kvgate::engine::Watch;
using kvgate::engine::WatchOptions;
using kvgate::engine::WatchSink;
using kvgate::engine::WatchStart;
using kvgate::engine::WriteOptions;
using Clock = std::chrono::steady_clock;

struct Args {
  size_t keys = 1'000'000;
  size_t value_size = 16;
  size_t watchers = 10'000;
  std::string only;  // run one section: basic, watchers, expiry, compaction, store, lists
};

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Thread CPU seconds: "worst call" figures use it so that preemption on a shared machine does
// not masquerade as engine latency.
double CpuNow() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

uint64_t RssBytes() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long size = 0, resident = 0;
  int n = std::fscanf(f, "%lu %lu", &size, &resident);
  std::fclose(f);
  return n == 2 ? static_cast<uint64_t>(resident) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE))
                : 0;
}

// 16-byte keys like redis-benchmark's "key:000000000042".
std::string Key(size_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "key:%012zu", i);
  return buf;
}

// Times each call of fn(i) for i in [0, n): total seconds and the worst single call.
template <typename Fn>
void Measure(const char* name, size_t n, Fn&& fn) {
  double worst = 0;
  auto start = Clock::now();
  double prev = CpuNow();
  for (size_t i = 0; i < n; ++i) {
    fn(i);
    if ((i & 63) == 63 || i + 1 == n) {  // sample in groups to keep clock reads cheap
      double now = CpuNow();
      worst = std::max(worst, now - prev);
      prev = now;
    }
  }
  double total = Seconds(start, Clock::now());
  std::printf("%-34s %10.0f ops/s  %7.1f ns/op  worst 64-op group %5.2f ms CPU\n", name, n / total,
              total * 1e9 / n, worst * 1e3);
}

// Runs Tick until idle; prints total time, Tick count and the worst single Tick.
void DrainTicks(Engine& engine, const char* what, double call_ms) {
  size_t ticks = 0;
  double worst = 0;
  auto start = Clock::now();
  for (bool more = true; more; ++ticks) {
    double t = CpuNow();
    more = engine.Tick();
    worst = std::max(worst, CpuNow() - t);
  }
  std::printf(
      "%-30s call %.2f ms, then %.1f ms over %zu Ticks (budget %zu), worst Tick %.2f ms CPU\n",
      what, call_ms, Seconds(start, Clock::now()) * 1e3, ticks, engine.limits().tick_budget,
      worst * 1e3);
}

class NullSink : public WatchSink {
 public:
  void OnWatchReady(Watch&) override {
    ++ready;
  }
  size_t ready = 0;
};

void BenchBasic(const Args& a) {
  std::printf("\n== put/get/delete, %zu keys, %zu-byte values, history 1 ==\n", a.keys,
              a.value_size);
  SystemClock clock;
  Engine engine(clock);
  Bucket* b = *engine.CreateBucket("bench", BucketConfig{});
  std::vector<std::string> keys(a.keys);
  for (size_t i = 0; i < a.keys; ++i) keys[i] = Key(i);
  std::string value(a.value_size, 'v');
  uint64_t rss0 = RssBytes();
  uint64_t mem0 = engine.MemoryUsed();
  Measure("put (insert new keys)", a.keys, [&](size_t i) { (void)b->Put(keys[i], value, {}); });
  uint64_t rss1 = RssBytes();
  std::printf("bytes/key: RSS growth %.1f, Engine::MemoryUsed %.1f\n",
              static_cast<double>(rss1 - rss0) / a.keys,
              static_cast<double>(engine.MemoryUsed() - mem0) / a.keys);
  std::mt19937_64 rng(42);
  std::vector<uint32_t> order(a.keys);
  for (size_t i = 0; i < a.keys; ++i) order[i] = static_cast<uint32_t>(rng() % a.keys);
  size_t hits = 0;
  Measure("get (random existing keys)", a.keys,
          [&](size_t i) { hits += b->Get(keys[order[i]]).ok(); });
  Measure("put (overwrite random keys)", a.keys,
          [&](size_t i) { (void)b->Put(keys[order[i]], value, {}); });
  std::printf("bytes/key after overwrites: MemoryUsed %.1f, RSS %.1f\n",
              static_cast<double>(engine.MemoryUsed() - mem0) / a.keys,
              static_cast<double>(RssBytes() - rss0) / a.keys);
  Measure("delete (tombstone every key)", a.keys, [&](size_t i) { (void)b->Delete(keys[i], {}); });
  auto t0 = Clock::now();
  (void)b->RemoveTombstones(0);
  double call_ms = Seconds(t0, Clock::now()) * 1e3;
  DrainTicks(engine, "RemoveTombstones(0)", call_ms);
  std::printf("(hits %zu)\n", hits);
}

// Median of a small sample (sorted copy).
double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

std::vector<std::unique_ptr<Watch>> IdleWatchers(Bucket* b, size_t n, WatchSink* sink) {
  std::vector<std::unique_ptr<Watch>> ws;
  ws.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    WatchOptions o;
    o.start = WatchStart::kNewOnly;
    o.filters = {KeyFilter::Exact("idle." + std::to_string(i))};
    ws.push_back(std::move(*b->StartWatch(o, sink)));
  }
  return ws;
}

// Puts to other keys with and without idle exact-key watchers: 7 alternating rounds (which side
// goes first alternates too), thread CPU time, medians. Overwrites run on one preloaded bucket
// (watchers added and removed between rounds); inserts of new keys use a fresh engine a round.
void BenchWatchers(const Args& a) {
  size_t n = std::min<size_t>(a.keys, 1'000'000);
  constexpr int kRounds = 7;
  std::printf("\n== put cost with %zu idle exact-key watchers on other keys (%zu keys) ==\n",
              a.watchers, n);
  std::vector<std::string> keys(n);
  for (size_t i = 0; i < n; ++i) keys[i] = Key(i);
  std::string value(a.value_size, 'v');
  NullSink sink;
  {
    SystemClock clock;
    Engine engine(clock);
    Bucket* b = *engine.CreateBucket("bench", BucketConfig{});
    for (size_t i = 0; i < n; ++i) (void)b->Put(keys[i], value, {});
    std::mt19937_64 rng(7);
    std::vector<uint32_t> order(n);
    for (size_t i = 0; i < n; ++i) order[i] = static_cast<uint32_t>(rng() % n);
    uint64_t mem0 = engine.MemoryUsed();
    uint64_t rss0 = RssBytes();
    {
      auto ws = IdleWatchers(b, a.watchers, &sink);
      std::printf("%zu watchers: MemoryUsed %.1f MB, RSS growth %.1f MB\n", a.watchers,
                  (engine.MemoryUsed() - mem0) / 1e6, (RssBytes() - rss0) / 1e6);
    }
    std::vector<double> with_s, without_s;
    for (int round = 0; round < kRounds; ++round) {
      for (int side = 0; side < 2; ++side) {
        bool watchers = (side == 0) == (round % 2 == 0);
        std::vector<std::unique_ptr<Watch>> ws;
        if (watchers) ws = IdleWatchers(b, a.watchers, &sink);
        double t = CpuNow();
        for (size_t i = 0; i < n; ++i) (void)b->Put(keys[order[i]], value, {});
        (watchers ? with_s : without_s).push_back(CpuNow() - t);
      }
    }
    double with = Median(with_s), without = Median(without_s);
    std::printf("overwrite, no watchers  %10.0f ops/s CPU (median of %d)\n", n / without, kRounds);
    std::printf("overwrite, %zu watchers %10.0f ops/s CPU (median of %d), slowdown %+.1f%%\n",
                a.watchers, n / with, kRounds, (with / without - 1) * 100);
  }
  std::vector<double> with_s, without_s;
  for (int round = 0; round < kRounds; ++round) {
    for (int side = 0; side < 2; ++side) {
      bool watchers = (side == 0) == (round % 2 == 0);
      SystemClock clock;
      Engine engine(clock);
      Bucket* b = *engine.CreateBucket("bench", BucketConfig{});
      std::vector<std::unique_ptr<Watch>> ws;
      if (watchers) ws = IdleWatchers(b, a.watchers, &sink);
      double t = CpuNow();
      for (size_t i = 0; i < n; ++i) (void)b->Put(keys[i], value, {});
      (watchers ? with_s : without_s).push_back(CpuNow() - t);
    }
  }
  double with = Median(with_s), without = Median(without_s);
  std::printf("insert, no watchers     %10.0f ops/s CPU (median of %d)\n", n / without, kRounds);
  std::printf("insert, %zu watchers    %10.0f ops/s CPU (median of %d), slowdown %+.1f%%\n",
              a.watchers, n / with, kRounds, (with / without - 1) * 100);
}

void BenchExpiry(const Args& a) {
  std::printf("\n== active expiry sweep: %zu keys with TTL ==\n", a.keys);
  FakeClock clock;
  Engine engine(clock);
  Bucket* b = *engine.CreateBucket("bench", BucketConfig{});
  std::string value(a.value_size, 'v');
  // The worst group shows growth costs: the expiry heap must not copy itself in one Put.
  Measure("put with TTL (insert new keys)", a.keys, [&](size_t i) {
    WriteOptions o;
    o.expire_at_ms = clock.NowMs() + 1000 + static_cast<int64_t>(i % 1000);
    (void)b->Put(Key(i), value, o);
  });
  clock.AdvanceMs(5000);
  DrainTicks(engine, "per-key TTL sweep", 0);
  std::printf("expired: %" PRIu64 " keys left live\n", b->LiveKeyCount());
  BucketConfig c;
  c.tombstone_ttl_ns = 1'000'000'000;
  (void)engine.UpdateBucket("bench", c);
  clock.AdvanceMs(2000);
  DrainTicks(engine, "tombstone_ttl sweep", 0);
  std::printf("markers left: %" PRIu64 "\n", b->GetStatus().keys);
}

void BenchCompaction(const Args& a) {
  std::printf("\n== compaction: history 5, %zu keys x 5 revisions ==\n", a.keys / 5);
  SystemClock clock;
  Engine engine(clock);
  BucketConfig c;
  c.history = 5;
  Bucket* b = *engine.CreateBucket("bench", c);
  std::string value(a.value_size, 'v');
  size_t n = a.keys / 5;
  uint64_t mem0 = engine.MemoryUsed();
  uint64_t mem1 = 0;
  for (int round = 0; round < 5; ++round) {
    for (size_t i = 0; i < n; ++i) (void)b->Put(Key(i), value, {});
    if (round == 0) mem1 = engine.MemoryUsed();
  }
  std::printf("bytes/key with 1 revision %.1f; each extra retained revision +%.1f bytes\n",
              static_cast<double>(mem1 - mem0) / n,
              static_cast<double>(engine.MemoryUsed() - mem1) / (4.0 * n));
  auto t = Clock::now();
  c.history = 1;
  (void)engine.UpdateBucket("bench", c);
  DrainTicks(engine, "history 5 -> 1", Seconds(t, Clock::now()) * 1e3);
  t = Clock::now();
  (void)b->Compact(b->LastRevision());
  DrainTicks(engine, "Compact(last)", Seconds(t, Clock::now()) * 1e3);
  t = Clock::now();
  (void)b->Flush();
  DrainTicks(engine, "Flush (lazy free)", Seconds(t, Clock::now()) * 1e3);
}

// The store interface against the engine's own calls, on one preloaded bucket: random gets and
// overwriting puts, 7 alternating rounds of thread CPU time (medians), and the heap allocations
// each path makes per call.
void BenchStore(const Args& a) {
  std::printf("\n== store interface overhead: %zu keys, %zu-byte values ==\n", a.keys,
              a.value_size);
  SystemClock clock;
  Engine engine(clock);
  kvgate::engine::LocalStore store(engine);
  Bucket* b = *engine.CreateBucket("bench", BucketConfig{});
  kvgate::engine::BucketRef ref = store.FindBucket("bench");
  std::vector<std::string> keys(a.keys);
  for (size_t i = 0; i < a.keys; ++i) keys[i] = Key(i);
  std::string value(a.value_size, 'v');
  for (size_t i = 0; i < a.keys; ++i) (void)b->Put(keys[i], value, {});
  std::mt19937_64 rng(7);
  std::vector<uint32_t> order(a.keys);
  for (size_t i = 0; i < a.keys; ++i) order[i] = static_cast<uint32_t>(rng() % a.keys);
  size_t hits = 0;
  uint64_t revs = 0;
  struct Path {
    const char* name;
    std::function<void(size_t)> op;
    std::vector<double> cpu;
    size_t allocations = 0;
  };
  std::vector<Path> paths;
  auto add = [&](const char* name, std::function<void(size_t)> op) {
    paths.push_back(Path{name, std::move(op), {}, 0});
  };
  add("get, engine Bucket", [&](size_t i) { hits += b->Get(keys[order[i]]).ok(); });
  add("get, store interface", [&](size_t i) { hits += ref->Get(keys[order[i]]).ok(); });
  add("put, engine Bucket", [&](size_t i) { revs += *b->Put(keys[order[i]], value, {}); });
  add("put, store interface", [&](size_t i) {
    ref->Write(kvgate::engine::WriteRequest::Put(keys[order[i]], value),
               [&revs](kvgate::engine::WriteResult r) { revs += *r; });
  });
  constexpr int kRounds = 7;
  for (int round = 0; round < kRounds; ++round) {
    for (size_t k = 0; k < paths.size(); ++k) {
      // Alternate which path of each pair goes first.
      Path& p = paths[(round % 2 == 0) ? k : (k ^ 1)];
      const size_t alloc0 = g_allocations;
      const double t0 = CpuNow();
      for (size_t i = 0; i < a.keys; ++i) p.op(i);
      p.cpu.push_back(CpuNow() - t0);
      p.allocations += g_allocations - alloc0;
    }
  }
  for (size_t k = 0; k < paths.size(); k += 2) {
    const double direct = Median(paths[k].cpu), via = Median(paths[k + 1].cpu);
    for (size_t j = k; j < k + 2; ++j) {
      std::printf("%-24s %7.1f ns/op CPU (median of %d), %.3f heap allocations/op\n", paths[j].name,
                  Median(paths[j].cpu) * 1e9 / a.keys, kRounds,
                  static_cast<double>(paths[j].allocations) / (a.keys * kRounds));
    }
    std::printf("  store interface vs engine: %+.1f%%\n", (via / direct - 1) * 100);
  }
  std::printf("(hits %zu, revisions %" PRIu64 ")\n", hits, revs);
}

// Lists: an LPUSH followed by an RPOP (two Mutates, two revisions) on a 10-element list and on
// a 1,000,000-element one cost the same: both ends touch one chunk whatever the length.
void BenchLists(const Args& a) {
  using kvgate::engine::Collection;
  using kvgate::engine::ListValue;
  using kvgate::engine::ValueType;
  std::printf("\n== lists: LPUSH + RPOP on a 10- and a 1,000,000-element list ==\n");
  SystemClock clock;
  Engine engine(clock);
  Bucket* b = *engine.CreateBucket("bench", BucketConfig{});
  const std::string value(a.value_size, 'v');
  auto fill = [&](const char* key, size_t n) {
    (void)b->Mutate(key, ValueType::kList, {}, [&](Collection& c) {
      for (size_t i = 0; i < n; ++i) static_cast<ListValue&>(c).PushBack(value);
      return true;
    });
  };
  fill("small", 10);
  fill("big", 1'000'000);
  const size_t ops = std::max<size_t>(a.keys, 100'000);
  std::string out;
  for (const char* key : {"small", "big", "small", "big"}) {
    const std::string name = std::string("lpush+rpop, ") + key;
    Measure(name.c_str(), ops, [&](size_t) {
      (void)b->Mutate(key, ValueType::kList, {}, [&](Collection& c) {
        static_cast<ListValue&>(c).PushFront(value);
        return true;
      });
      (void)b->Mutate(key, ValueType::kList, {.create = false, .may_grow = false},
                      [&](Collection& c) { return static_cast<ListValue&>(c).PopBack(&out); });
    });
  }
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  std::string cmdline;
  for (int i = 0; i < argc; ++i) {
    cmdline += (i ? " " : "");
    cmdline += argv[i];
  }
  for (int i = 1; i + 1 < argc; i += 2) {
    size_t v = std::strtoull(argv[i + 1], nullptr, 10);
    if (std::strcmp(argv[i], "--only") == 0) {
      a.only = argv[i + 1];
    } else if (std::strcmp(argv[i], "--keys") == 0) {
      a.keys = v;
    } else if (std::strcmp(argv[i], "--value-size") == 0) {
      a.value_size = v;
    } else if (std::strcmp(argv[i], "--watchers") == 0) {
      a.watchers = v;
    } else {
      std::fprintf(stderr,
                   "usage: %s [--keys N] [--value-size B] [--watchers W] [--only SECTION]\n",
                   argv[0]);
      return 2;
    }
  }
  std::printf("command: %s\n", cmdline.c_str());
  auto want = [&](const char* section) { return a.only.empty() || a.only == section; };
  if (want("basic")) BenchBasic(a);
  if (want("watchers")) BenchWatchers(a);
  if (want("expiry")) BenchExpiry(a);
  if (want("compaction")) BenchCompaction(a);
  if (want("store")) BenchStore(a);
  if (want("lists")) BenchLists(a);
  return 0;
}
