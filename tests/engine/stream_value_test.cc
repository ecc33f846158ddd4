// File: tests/engine/stream_value_test.cc
// StreamValue, the Redis stream: appends across node boundaries (Redis's 100-entry and
// 4096-byte listpack rules), ranges both ways with bounds and counts, deletes (a node goes with
// its last live entry), exact and approximate trims by length and by ID, IDs' successor and
// predecessor, Clone, memory counted; a randomized check against a std::map.
//
//   StreamValue s;  s.Append({1, 0}, fv);  s.Range({}, kMaxStreamId, false, 0, fn);
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "engine/collection.h"
#include "engine/collections/stream_value.h"

namespace kvgate::engine {
namespace {

void Add(StreamValue& s, uint64_t ms, uint64_t seq, std::string_view f = "f",
         std::string_view v = "v") {
  const std::string_view fv[] = {f, v};
  s.Append({ms, seq}, fv);
}

std::vector<uint64_t> Ms(const StreamValue& s, StreamId start = {}, StreamId end = kMaxStreamId,
                         bool rev = false, size_t count = 0) {
  std::vector<uint64_t> out;
  s.Range(start, end, rev, count, [&](const StreamEntry& e) {
    out.push_back(e.id.ms);
    return true;
  });
  return out;
}

TEST_CASE("stream IDs step to their successor and predecessor", "[engine][streams]") {
  StreamId id{1, UINT64_MAX};
  CHECK(id.Incr());
  CHECK(id == StreamId{2, 0});
  CHECK(id.Decr());
  CHECK(id == StreamId{1, UINT64_MAX});
  StreamId max = kMaxStreamId;
  CHECK_FALSE(max.Incr());
  StreamId zero;
  CHECK_FALSE(zero.Decr());
  CHECK(StreamId{1, 5} < StreamId{2, 0});
}

TEST_CASE("a stream appends and reads ranges both ways", "[engine][streams]") {
  StreamValue s;
  CHECK(s.size() == 0);
  CHECK_FALSE(s.RemovedWhenEmpty());
  for (uint64_t i = 1; i <= 250; ++i) Add(s, i, 0);
  CHECK(s.size() == 250);
  CHECK(s.node_count() == 3);  // 100 entries a node
  CHECK(s.last_id() == StreamId{250, 0});
  CHECK(s.first_id() == StreamId{1, 0});
  CHECK(s.entries_added() == 250);
  CHECK(Ms(s, {99, 0}, {102, 0}) == std::vector<uint64_t>{99, 100, 101, 102});
  CHECK(Ms(s, {99, 0}, {102, 0}, true) == std::vector<uint64_t>{102, 101, 100, 99});
  CHECK(Ms(s, {0, 0}, kMaxStreamId, false, 2) == std::vector<uint64_t>{1, 2});
  CHECK(Ms(s, {0, 0}, kMaxStreamId, true, 2) == std::vector<uint64_t>{250, 249});
  CHECK(Ms(s, {300, 0}, kMaxStreamId).empty());
  CHECK(Ms(s, {5, 1}, {5, 9}).empty());
  StreamEntry e;
  REQUIRE(s.Last(&e));
  CHECK(e.id == StreamId{250, 0});
  std::string pairs;
  e.ForEach([&](std::string_view f, std::string_view v) {
    pairs += std::string(f) + "=" + std::string(v);
  });
  CHECK(pairs == "f=v");
}

TEST_CASE("a node closes where Redis's listpack reaches 4096 bytes", "[engine][streams]") {
  StreamValue s;
  const std::string big(1000, 'x');
  for (uint64_t i = 1; i <= 8; ++i) Add(s, i, 0, "f", big);
  // Each entry adds about 1005 listpack bytes: four fit under 4096 with the header.
  CHECK(s.node_count() == 2);
  CHECK(s.NodeAt(0).live == 4);
  StreamValue one;
  const std::string huge(5000, 'y');
  Add(one, 1, 0, "f", huge);  // a single entry larger than a node gets a node of its own
  Add(one, 2, 0);
  CHECK(one.node_count() == 2);
}

TEST_CASE("deletes flag entries and drop a node with its last live entry", "[engine][streams]") {
  StreamValue s;
  for (uint64_t i = 1; i <= 150; ++i) Add(s, i, 0);
  CHECK(s.Delete({1, 0}));
  CHECK_FALSE(s.Delete({1, 0}));
  CHECK_FALSE(s.Delete({1000, 0}));
  CHECK(s.first_id() == StreamId{2, 0});
  CHECK(s.max_deleted_id() == StreamId{1, 0});
  CHECK(s.NodeAt(0).deleted == 1);
  for (uint64_t i = 2; i <= 100; ++i) CHECK(s.Delete({i, 0}));
  CHECK(s.node_count() == 1);
  CHECK(s.size() == 50);
  CHECK(s.first_id() == StreamId{101, 0});
  for (uint64_t i = 101; i <= 150; ++i) CHECK(s.Delete({i, 0}));
  CHECK(s.size() == 0);
  CHECK(s.node_count() == 0);
  CHECK(s.first_id() == StreamId{});
  CHECK(s.last_id() == StreamId{150, 0});  // the last ID outlives the entries
}

TEST_CASE("trims remove from the head, whole nodes only when approximate", "[engine][streams]") {
  auto make = [] {
    StreamValue s;
    for (uint64_t i = 1; i <= 250; ++i) Add(s, i, 0);
    return s;
  };
  StreamValue a = make();
  CHECK(a.Trim({StreamTrim::By::kMaxLen, true, 180, {}, 10000}) == 0);  // would split a node
  CHECK(a.Trim({StreamTrim::By::kMaxLen, true, 150, {}, 10000}) == 100);
  CHECK(a.size() == 150);
  StreamValue b = make();
  CHECK(b.Trim({StreamTrim::By::kMaxLen, false, 180, {}, 0}) == 70);
  CHECK(b.size() == 180);
  CHECK(b.first_id() == StreamId{71, 0});
  CHECK(b.node_count() == 3);  // the first node keeps its flagged entries
  StreamValue c = make();
  CHECK(c.Trim({StreamTrim::By::kMinId, false, 0, {120, 0}, 0}) == 119);
  CHECK(Ms(c, {}, kMaxStreamId, false, 1) == std::vector<uint64_t>{120});
  StreamValue d = make();
  CHECK(d.Trim({StreamTrim::By::kMinId, true, 0, {250, 0}, 100}) == 100);  // LIMIT 100
  CHECK(d.size() == 150);
  CHECK(d.Trim({StreamTrim::By::kMaxLen, false, 0, {}, 0}) == 150);
  CHECK(d.size() == 0);
  CHECK(d.first_id() == StreamId{});
}

TEST_CASE("a cloned stream changes alone; memory follows the entries", "[engine][streams]") {
  StreamValue s;
  const uint64_t empty = s.MemoryBytes();
  for (uint64_t i = 1; i <= 300; ++i) Add(s, i, 0);
  CHECK(s.MemoryBytes() > empty + 300 * 2);
  auto copy = s.Clone();
  auto& t = static_cast<StreamValue&>(*copy);
  Add(t, 301, 0);
  CHECK(t.size() == 301);
  CHECK(s.size() == 300);
  s.Trim({StreamTrim::By::kMaxLen, false, 0, {}, 0});
  CHECK(s.MemoryBytes() == empty);
  CHECK(NewCollection(ValueType::kStream)->EncodingName() == "stream");
  CHECK(TypeName(ValueType::kStream) == "stream");
}

TEST_CASE("a stream agrees with a map under random appends, deletes and trims",
          "[engine][streams]") {
  std::mt19937 rng(7);
  StreamValue s;
  std::map<StreamId, std::string> model;
  uint64_t ms = 0;
  for (int step = 0; step < 20000; ++step) {
    const int op = static_cast<int>(rng() % 10);
    if (op < 7) {
      ms += rng() % 3;
      const StreamId id = {ms, s.last_id().ms == ms ? s.last_id().seq + 1 : 0};
      const std::string v(rng() % 200, 'a');
      Add(s, id.ms, id.seq, "f", v);
      model[id] = v;
    } else if (op < 9 && !model.empty()) {
      auto it = model.begin();
      std::advance(it, static_cast<long>(rng() % model.size()));
      CHECK(s.Delete(it->first));
      model.erase(it);
    } else {
      const uint64_t keep = rng() % 500;
      s.Trim({StreamTrim::By::kMaxLen, false, keep, {}, 0});
      while (model.size() > keep) model.erase(model.begin());
    }
    REQUIRE(s.size() == model.size());
  }
  std::vector<StreamId> got;
  s.Range({}, kMaxStreamId, false, 0, [&](const StreamEntry& e) {
    got.push_back(e.id);
    return true;
  });
  std::vector<StreamId> want;
  for (const auto& [id, v] : model) want.push_back(id);
  CHECK(got == want);
  if (!model.empty()) CHECK(s.first_id() == model.begin()->first);
}

}  // namespace
}  // namespace kvgate::engine
