// File: tests/engine/model_test.cc
// Randomized differential test: long random sequences of writes, CAS writes, tombstone
// compaction and history changes, checked step by step against a trivially correct model
// (per-key deque of entries), plus a replay watch whose consumer must converge to the model.
// Exercises the storage internals (node re-layout, revision-log holes/compaction/merging,
// keyspace growth and shrink) far beyond the hand-written cases.
//
//   Model m(3);  m.Append("k", Op::kPut, "v", rev);
//   CompareAll(be, m);
#include <catch2/catch.hpp>

#include <deque>
#include <map>
#include <random>

#include "tests/engine/support/backend.h"

namespace kvgate::engine::testing {
namespace {

struct MEntry {
  Revision rev;
  Op op;
  std::string value;
};

struct Model {
  uint32_t history = 1;
  Revision last = 0;
  std::map<std::string, std::deque<MEntry>> keys;

  Revision Current(const std::string& k) const {
    auto it = keys.find(k);
    return it == keys.end() ? 0 : it->second.back().rev;
  }
  bool Live(const std::string& k) const {
    auto it = keys.find(k);
    return it != keys.end() && it->second.back().op == Op::kPut;
  }
  void Append(const std::string& k, Op op, const std::string& v) {
    auto& d = keys[k];
    if (op == Op::kPurge) d.clear();
    d.push_back({++last, op, v});
    while (d.size() > history) d.pop_front();
  }
  void Trim() {
    for (auto& [k, d] : keys) {
      while (d.size() > history) d.pop_front();
    }
  }
  uint64_t RemoveTombstoned() {
    uint64_t n = 0;
    for (auto it = keys.begin(); it != keys.end();) {
      if (it->second.back().op != Op::kPut) {
        n += it->second.size();
        it = keys.erase(it);
      } else {
        ++it;
      }
    }
    return n;
  }
};

void CompareAll(Backend& be, const Model& m) {
  SyncBucket* b = be.bucket();
  uint64_t entries = 0;
  uint64_t live = 0;
  for (const auto& [k, d] : m.keys) {
    entries += d.size();
    live += d.back().op == Op::kPut;
    std::vector<EntryView> h = b->History(k);
    REQUIRE(h.size() == d.size());
    for (size_t i = 0; i < d.size(); ++i) {
      REQUIRE(h[i].revision == d[i].rev);
      REQUIRE(h[i].op == d[i].op);
      REQUIRE(h[i].value == d[i].value);
      REQUIRE(h[i].key == k);
    }
    Result<EntryView> g = b->Get(k);
    REQUIRE(g.ok() == (d.back().op == Op::kPut));
  }
  BucketStatus s = b->GetStatus();
  REQUIRE(s.entries == entries);
  REQUIRE(s.keys == m.keys.size());
  REQUIRE(s.live_keys == live);
  REQUIRE(s.last_revision == m.last);
  std::vector<std::string> scanned = be.ScanAll(37);
  REQUIRE(scanned.size() == live);
}

TEST_CASE("random operations match a reference model", "[engine]") {
  for (uint32_t history : {1u, 3u}) {
    for (uint32_t seed : {1u, 2u, 3u}) {
      DYNAMIC_SECTION("history " << history << " seed " << seed) {
        BucketConfig c;
        c.history = history;
        Backend be(c);
        SyncBucket* b = be.bucket();
        Model m;
        m.history = history;
        std::mt19937 rng(seed);
        auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
        // A replay watch, polled at random, whose consumer must end up equal to the model.
        WatchOptions wo;
        wo.start = WatchStart::kAllHistory;
        wo.max_queue = 1'000'000;
        auto w = be.StartWatch(wo);
        REQUIRE(w.ok());
        std::map<std::string, std::string> consumer;
        auto poll = [&](size_t n) {
          (*w)->Poll(n, [&](const WatchEvent& ev) {
            if (ev.kind != WatchEvent::Kind::kEntry) return;
            if (ev.entry.op == Op::kPut) {
              consumer[std::string(ev.entry.key)] = std::string(ev.entry.value);
            } else {
              consumer.erase(std::string(ev.entry.key));
            }
          });
        };
        int nkeys = 300;
        for (int step = 0; step < 20'000; ++step) {
          std::string k = "k" + std::to_string(pick(nkeys));
          std::string v(static_cast<size_t>(pick(4) == 0 ? pick(300) : pick(20)),
                        static_cast<char>('a' + step % 26));
          int op = pick(100);
          if (op < 40) {
            REQUIRE(b->Put(k, v, {}).ok());
            m.Append(k, Op::kPut, v);
          } else if (op < 50) {
            Result<Revision> r = b->Create(k, v, {});
            if (m.Live(k)) {
              REQUIRE(r.errc() == Errc::kAlreadyExists);
              REQUIRE(r.detail() == m.Current(k));
            } else {
              REQUIRE(r.ok());
              m.Append(k, Op::kPut, v);
            }
          } else if (op < 62) {
            Revision expect = pick(2) == 0 ? m.Current(k) : m.Current(k) + 1;
            Result<Revision> r = b->Update(k, v, expect, {});
            if (expect == m.Current(k)) {
              REQUIRE(r.ok());
              m.Append(k, Op::kPut, v);
            } else {
              REQUIRE(r.errc() == Errc::kWrongRevision);
              REQUIRE(r.detail() == m.Current(k));
            }
          } else if (op < 75) {
            REQUIRE(b->Delete(k, {}).ok());
            m.Append(k, Op::kDelete, "");
          } else if (op < 82) {
            WriteOptions o;
            o.expected_revision = m.Current(k);
            REQUIRE(b->Purge(k, o).ok());
            m.Append(k, Op::kPurge, "");
          } else if (op < 83) {
            REQUIRE(b->RemoveTombstones(0) == m.RemoveTombstoned());
          } else if (op < 84 && step % 5 == 0) {
            nkeys = nkeys == 300 ? 3000 : 300;  // grow and shrink the keyspace
          } else {
            poll(static_cast<size_t>(pick(20)));
          }
          if (step % 3000 == 0) CompareAll(be, m);
          if ((*w)->State() != Errc::kOk) {
            // A tombstone removal may legitimately expire the replay; restart from scratch.
            REQUIRE((*w)->State() == Errc::kCursorExpired);
            w = be.StartWatch(wo);
            REQUIRE(w.ok());
            consumer.clear();
          }
        }
        CompareAll(be, m);
        while ((*w)->HasEvents()) poll(1000);
        std::map<std::string, std::string> truth;
        for (const auto& [k, d] : m.keys) {
          if (d.back().op == Op::kPut) truth[k] = d.back().value;
        }
        REQUIRE(consumer == truth);
        for (Revision r = 1; r <= m.last; r += 97) {
          bool retained = false;
          for (const auto& [k, d] : m.keys) {
            for (const MEntry& e : d) retained |= e.rev == r;
          }
          REQUIRE(b->GetByRevision(r).ok() == retained);
        }
      }
    }
  }
}

}  // namespace
}  // namespace kvgate::engine::testing
