// File: tests/engine/sorted_chunks_test.cc
// SortedChunkMap / SortedChunkSet (engine/collections/sorted_chunks.h) against std::map and
// std::set under random inserts, erases and lookups (splits, emptied chunks, appends past the
// largest key, inserts before the smallest), plus copies and the erase-then-lower_bound loop
// the stream commands use.
#include "engine/collections/sorted_chunks.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <vector>

namespace kvgate::engine {
namespace {

template <typename M>
std::vector<std::pair<uint64_t, int>> Items(const M& m) {
  std::vector<std::pair<uint64_t, int>> out;
  for (const auto& [k, v] : m) out.emplace_back(k, v);
  return out;
}

TEST_CASE("SortedChunkMap matches std::map under random changes", "[engine][streams]") {
  std::mt19937_64 rng(7);
  for (uint64_t range : {uint64_t{50}, uint64_t{1000}, uint64_t{100000}}) {
    SortedChunkMap<uint64_t, int> m;
    std::map<uint64_t, int> ref;
    for (int step = 0; step < 20000; ++step) {
      const uint64_t k = rng() % range;
      switch (rng() % 4) {
        case 0:
        case 1: {
          auto [it, inserted] = m.try_emplace(k);
          const bool ref_inserted = ref.try_emplace(k, 0).second;
          REQUIRE(inserted == ref_inserted);
          REQUIRE(it->first == k);
          it->second = step;
          ref[k] = step;
          break;
        }
        case 2:
          REQUIRE(m.erase(k) == ref.erase(k));
          break;
        default: {
          auto it = m.lower_bound(k);
          auto rit = ref.lower_bound(k);
          REQUIRE((it == m.end()) == (rit == ref.end()));
          if (rit != ref.end()) REQUIRE(it->first == rit->first);
          REQUIRE(m.count(k) == ref.count(k));
        }
      }
      REQUIRE(m.size() == ref.size());
    }
    CHECK(Items(m) == Items(ref));
    if (!ref.empty()) CHECK(m.back().first == ref.rbegin()->first);
    const SortedChunkMap<uint64_t, int> copy = m;
    CHECK(Items(copy) == Items(ref));
  }
}

TEST_CASE("SortedChunkMap appends in key order into full chunks and empties cleanly",
          "[engine][streams]") {
  SortedChunkMap<uint64_t, int> m;
  for (uint64_t k = 1; k <= 1000; ++k) REQUIRE(m.emplace(k, static_cast<int>(k)).second);
  CHECK(m.size() == 1000);
  CHECK_FALSE(m.emplace(500, 0).second);
  CHECK(m.find(500)->second == 500);
  CHECK(m.find(0) == m.end());
  CHECK(m.find(1001) == m.end());
  // The erase loop of XAUTOCLAIM: erase, then continue from the key.
  size_t visited = 0;
  for (auto it = m.lower_bound(0); it != m.end(); ++visited) {
    const uint64_t k = it->first;
    if (k % 3 == 0) {
      m.erase(k);
      it = m.lower_bound(k);
    } else {
      ++it;
    }
  }
  CHECK(visited == 1000);
  CHECK(m.size() == 1000 - 333);
  for (uint64_t k = 1; k <= 1000; ++k) m.erase(k);
  CHECK(m.empty());
  CHECK(m.begin() == m.end());
  CHECK(m.try_emplace(3).second);  // usable again after the last chunk went
  CHECK(m.begin()->first == 3);
}

TEST_CASE("SortedChunkSet matches std::set", "[engine][streams]") {
  std::mt19937_64 rng(11);
  SortedChunkSet<uint64_t> s;
  std::set<uint64_t> ref;
  for (int step = 0; step < 20000; ++step) {
    const uint64_t k = rng() % 3000;
    if (rng() % 3 != 0) {
      REQUIRE(s.insert(k) == ref.insert(k).second);
    } else {
      REQUIRE(s.erase(k) == ref.erase(k));
    }
  }
  CHECK(std::vector<uint64_t>(s.begin(), s.end()) == std::vector<uint64_t>(ref.begin(), ref.end()));
}

}  // namespace
}  // namespace kvgate::engine
