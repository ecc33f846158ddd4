// File: tests/engine/internals_test.cc
// Randomized checks of the engine's two index structures against std containers: the revision
// log (dense/sparse chunks, holes, compaction, merging, interpolation search) and the keyspace
// (open addressing with incremental resize and shrink), and the expiry heap (chunked storage,
// incremental rebuild). Engine-internal, tagged [internals].
//
//   RevLog log(&mem);  log.Append(1, e);  log.Find(1) == e;
//   Keyspace ks(&mem); ks.Insert(n, Keyspace::Hash(n->key()));
#include <catch2/catch.hpp>

#include <iterator>
#include <map>
#include <random>
#include <set>
#include <utility>

#include "engine/detail/deadline_heap.h"
#include "engine/detail/entry.h"
#include "engine/detail/keyspace.h"
#include "engine/detail/rev_log.h"

namespace kvgate::engine::detail {
namespace {

EntryBase* Fake(Revision r) {
  return reinterpret_cast<EntryBase*>(static_cast<uintptr_t>(r * 16));
}

TEST_CASE("RevLog matches an ordered map under random appends, removals and moves",
          "[engine][internals]") {
  for (uint32_t seed : {7u, 8u, 9u}) {
    MemoryCounter mem;
    {
      RevLog log(&mem);
      std::map<Revision, EntryBase*> model;
      std::mt19937_64 rng(seed);
      Revision next = 1;
      for (int step = 0; step < 200'000; ++step) {
        uint64_t op = rng() % 100;
        if (op < 45 || model.empty()) {
          next += (rng() % 20 == 0) ? rng() % 100'000 : 1;  // occasional revision gaps
          log.Append(next, Fake(next));
          model[next] = Fake(next);
          ++next;
        } else if (op < 90) {
          // Remove mostly old entries (like history 1 overwrites), sometimes recent ones.
          auto it = model.begin();
          std::advance(it, static_cast<long>(rng() % std::min<size_t>(model.size(), 5000)));
          if (rng() % 4 == 0) it = std::prev(model.end());
          log.Remove(it->first);
          model.erase(it);
        } else if (op < 95) {
          auto it = model.begin();
          std::advance(it, static_cast<long>(rng() % std::min<size_t>(model.size(), 100)));
          it->second = Fake(it->first + 1);
          log.Set(it->first, it->second);
        } else {
          Revision probe = rng() % (next + 2);
          auto it = model.find(probe);
          REQUIRE(log.Find(probe) == (it == model.end() ? nullptr : it->second));
        }
        if (step % 20'000 == 0 || step == 199'999) {
          REQUIRE(log.live() == model.size());
          REQUIRE(log.First() == (model.empty() ? 0 : model.begin()->first));
          REQUIRE(log.Last() == (model.empty() ? 0 : model.rbegin()->first));
          std::vector<Revision> seen;
          Revision from = 1;
          do {  // bounded visits must resume exactly where they stopped
            from = log.Visit(from, 100, [&](Revision r, EntryBase* e) {
              REQUIRE(e == model[r]);
              seen.push_back(r);
              return true;
            });
          } while (from != 0);
          REQUIRE(seen.size() == model.size());
          REQUIRE(std::equal(seen.begin(), seen.end(), model.begin(),
                             [](Revision r, const auto& kv) { return r == kv.first; }));
          for (int k = 0; k < 50; ++k) {
            Revision from_rev = rng() % (next + 1);
            uint64_t expect =
                static_cast<uint64_t>(std::distance(model.lower_bound(from_rev), model.end()));
            REQUIRE(log.CountFrom(from_rev) == expect);
          }
        }
      }
      log.Clear();
    }
    CHECK(mem.bytes == 0);
  }
}

TEST_CASE("Keyspace matches a set under growth, churn and shrink", "[engine][internals]") {
  MemoryCounter mem;
  {
    Keyspace ks(&mem);
    std::map<std::string, KeyNode*> model;
    std::mt19937_64 rng(3);
    auto key = [](uint64_t i) { return "k" + std::to_string(i); };
    for (int phase = 0; phase < 3; ++phase) {
      uint64_t range = phase == 1 ? 100'000 : 1'000;
      for (int step = 0; step < 150'000; ++step) {
        std::string k = key(rng() % range);
        uint64_t h = Keyspace::Hash(k);
        KeyNode* found = ks.Find(k, h);
        auto it = model.find(k);
        REQUIRE(found == (it == model.end() ? nullptr : it->second));
        if (found == nullptr && rng() % 3 != 0) {
          KeyNode* n = NewKeyNode(k, "v", "", false, &mem);
          ks.Insert(n, h);
          model[k] = n;
        } else if (found != nullptr && rng() % 2 == 0) {
          ks.Erase(found, h);
          FreeEntry(found, &mem);
          model.erase(it);
        } else if (found != nullptr) {
          KeyNode* moved = RewriteKeyNode(found, std::string(rng() % 64, 'x'), "", false, &mem);
          if (moved != found) ks.Replace(found, moved, h);
          model[k] = moved;
        }
        if (step % 1000 == 0) ks.Step(64);
      }
      REQUIRE(ks.size() == model.size());
      size_t visited = 0;
      ks.ForEach([&](KeyNode* n) {
        ++visited;
        REQUIRE(model.at(std::string(n->key())) == n);
      });
      REQUIRE(visited == model.size());
      if (!model.empty()) REQUIRE(ks.Random(rng()) != nullptr);
    }
    // Drop everything through the lazy-free path.
    std::unique_ptr<Keyspace> dead = ks.Detach();
    CHECK(ks.size() == 0);
    CHECK(ks.Find("k1", Keyspace::Hash("k1")) == nullptr);
    while (dead->FreeSome(1000)) {
    }
  }
  CHECK(mem.bytes == 0);
}

TEST_CASE("DeadlineHeap pops in (deadline, revision) order across chunks and rebuilds",
          "[engine][internals]") {
  MemoryCounter mem;
  {
    DeadlineHeap heap(&mem);
    std::multiset<std::pair<int64_t, Revision>> model;
    std::mt19937_64 rng(11);
    Revision next = 1;
    auto pop_check = [&] {
      REQUIRE(!model.empty());
      auto want = *model.begin();
      CHECK(heap.top().deadline == want.first);
      CHECK(heap.top().revision == want.second);
      auto got = heap.Pop();
      CHECK(std::make_pair(got.deadline, got.revision) == want);
      model.erase(model.begin());
    };
    // Grow well past several 4096-item chunks, with pops interleaved.
    for (int step = 0; step < 60'000; ++step) {
      if (rng() % 4 == 0 && !model.empty()) {
        pop_check();
      } else {
        int64_t deadline = static_cast<int64_t>(rng() % 5000);
        heap.Push(deadline, next);
        model.insert({deadline, next++});
      }
      CHECK(heap.size() == model.size());
    }
    CHECK(mem.bytes >= model.size() * sizeof(DeadlineHeap::Item));
    // Mark most items stale, rebuild incrementally while popping: the kept ones stay ordered.
    for (size_t i = 0; i < model.size(); ++i) heap.MarkStale();
    REQUIRE(heap.WantsRebuild());
    heap.StartRebuild();
    auto keep = [](const DeadlineHeap::Item& it) { return it.revision % 3 == 0; };
    for (auto it = model.begin(); it != model.end();) {
      it = keep({it->first, it->second}) ? std::next(it) : model.erase(it);
    }
    while (heap.rebuilding()) heap.RebuildStep(1000, keep);
    while (!model.empty()) pop_check();
    CHECK(heap.empty());
    // Shrinking gives chunks back.
    CHECK(mem.bytes < 3 * 4096 * sizeof(DeadlineHeap::Item));
    heap.Clear();
  }
  CHECK(mem.bytes == 0);
}

}  // namespace
}  // namespace kvgate::engine::detail
