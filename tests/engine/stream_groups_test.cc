// File: tests/engine/stream_groups_test.cc
// Consumer groups in the engine: groups and consumers by name, the PEL kept in step between a
// group and its consumers through deliveries, redeliveries, claims, acknowledgements and
// consumer removal; the read counter and lag rules of Redis 7.0 (exact, estimated at the
// stream's edges, unknown past a deletion); Clone copies the groups.
//
//   StreamGroup* g = s.groups().Create("g", {}, 0);  g->Deliver(id, "alice", now);
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "engine/collections/stream_groups.h"
#include "engine/collections/stream_lag.h"
#include "engine/collections/stream_value.h"

namespace kvgate::engine {
namespace {

void Add(StreamValue& s, uint64_t ms) {
  const std::string_view fv[] = {"f", "v"};
  s.Append({ms, 0}, fv);
}

// Appends 1-0 .. n-0 as XADD does (the counter of entries ever added follows).
StreamValue Stream(uint64_t n) {
  StreamValue s;
  for (uint64_t i = 1; i <= n; ++i) Add(s, i);
  return s;
}

TEST_CASE("groups are created once and destroyed by name", "[engine][streams]") {
  StreamGroups groups;
  StreamGroup* g = groups.Create("workers", {3, 0}, 2);
  REQUIRE(g != nullptr);
  CHECK(g->last_id() == StreamId{3, 0});
  CHECK(g->entries_read() == 2);
  CHECK(groups.Create("workers", {}, 0) == nullptr);
  CHECK(groups.Create("others", {}, kInvalidEntriesRead) != nullptr);
  std::string order;
  for (const auto& [name, group] : groups.all()) order += name + ",";
  CHECK(order == "others,workers,");
  CHECK(groups.Destroy("workers"));
  CHECK_FALSE(groups.Destroy("workers"));
  CHECK(groups.Find("workers") == nullptr);
  CHECK(groups.size() == 1);
}

TEST_CASE("consumers are created on first use and keep their seen time", "[engine][streams]") {
  StreamGroup g({}, 0);
  auto [alice, created] = g.LookupOrCreate("alice", 100);
  CHECK(created);
  CHECK(alice->seen_time_ms == 100);
  auto [again, created_again] = g.LookupOrCreate("alice", 200);
  CHECK_FALSE(created_again);
  CHECK(again == alice);
  CHECK(alice->seen_time_ms == 100);
  g.Touch("alice", alice, 300);
  CHECK(g.Lookup("alice")->seen_time_ms == 300);
  CHECK(g.Lookup("bob") == nullptr);
}

TEST_CASE("deliveries, acks and claims keep group and consumer PELs in step", "[engine][streams]") {
  StreamGroup g({}, 0);
  g.LookupOrCreate("alice", 0);
  g.LookupOrCreate("bob", 0);
  g.Deliver({1, 0}, "alice", 10);
  g.Deliver({2, 0}, "alice", 10);
  REQUIRE(g.pel().size() == 2);
  CHECK(g.Lookup("alice")->pel.size() == 2);

  SECTION("a second delivery of a pending entry reassigns it and restarts its count") {
    g.Redeliver({1, 0}, g.Pending({1, 0}), 20);
    CHECK(g.Pending({1, 0})->delivery_count == 2);
    g.Deliver({1, 0}, "bob", 30);
    const StreamNack* nack = g.Pending({1, 0});
    CHECK(nack->consumer == "bob");
    CHECK(nack->delivery_count == 1);
    CHECK(nack->delivery_time_ms == 30);
    CHECK(g.Lookup("alice")->pel.count({1, 0}) == 0);
    CHECK(g.Lookup("bob")->pel.count({1, 0}) == 1);
  }
  SECTION("an ack removes the entry from both lists once") {
    CHECK(g.Ack({2, 0}));
    CHECK_FALSE(g.Ack({2, 0}));
    CHECK(g.pel().size() == 1);
    CHECK(g.Lookup("alice")->pel.size() == 1);
  }
  SECTION("a claim moves an entry; FORCE creates one that was not pending") {
    CHECK(g.Claim({9, 0}, "bob", false, 40) == nullptr);
    StreamNack* moved = g.Claim({2, 0}, "bob", false, 40);
    REQUIRE(moved != nullptr);
    CHECK(moved->consumer == "bob");
    CHECK(g.Lookup("alice")->pel.count({2, 0}) == 0);
    CHECK(g.Lookup("bob")->pel.count({2, 0}) == 1);
    StreamNack* forced = g.Claim({9, 0}, "bob", true, 40);
    REQUIRE(forced != nullptr);
    CHECK(forced->delivery_count == 1);
    CHECK(g.pel().size() == 3);
  }
  SECTION("removing a consumer drops its pending entries from the group") {
    g.Deliver({3, 0}, "bob", 10);
    CHECK(g.DeleteConsumer("alice") == 2);
    CHECK(g.DeleteConsumer("alice") == -1);
    CHECK(g.pel().size() == 1);
    CHECK(g.pel().begin()->first == StreamId{3, 0});
  }
}

TEST_CASE("a group's counter and lag follow Redis's rules", "[engine][streams]") {
  SECTION("an empty stream that never had entries has no lag") {
    StreamValue s;
    StreamGroup* g = s.groups().Create("g", {}, kInvalidEntriesRead);
    CHECK(StreamGroupLag(s, *g) == 0);
  }
  SECTION("a group created at 0-0 without a counter lags by the whole stream") {
    StreamValue s = Stream(5);
    StreamGroup* g = s.groups().Create("g", {}, kInvalidEntriesRead);
    CHECK(StreamGroupLag(s, *g) == 5);
    // The first read estimates the counter from the stream's first entry.
    CHECK(StreamEntriesReadAfter(s, *g, {1, 0}) == 1);
    g->SetLastDelivered({1, 0}, 1);
    CHECK(StreamEntriesReadAfter(s, *g, {2, 0}) == 2);
    g->SetLastDelivered({2, 0}, 2);
    CHECK(StreamGroupLag(s, *g) == 3);
  }
  SECTION("a group set into the middle without a counter has an unknown lag") {
    StreamValue s = Stream(5);
    StreamGroup* g = s.groups().Create("g", {3, 0}, kInvalidEntriesRead);
    CHECK_FALSE(StreamGroupLag(s, *g).has_value());
    g->SetLastDelivered({5, 0}, kInvalidEntriesRead);  // the last ID: exact
    CHECK(StreamGroupLag(s, *g) == 0);
  }
  SECTION("a deletion ahead of the group makes its counter unknown") {
    StreamValue s = Stream(5);
    StreamGroup* g = s.groups().Create("g", {}, 0);
    REQUIRE(s.Delete({3, 0}));
    CHECK(StreamRangeHasTombstones(s, {0, 0}));
    CHECK_FALSE(StreamRangeHasTombstones(s, {4, 0}));
    CHECK_FALSE(StreamGroupLag(s, *g).has_value());
    CHECK(StreamDistanceFromFirstEver(s, {5, 0}) == 5);
    CHECK(StreamDistanceFromFirstEver(s, {6, 0}) == kInvalidEntriesRead);
  }
}

TEST_CASE("cloning a stream copies its groups", "[engine][streams]") {
  StreamValue s = Stream(2);
  StreamGroup* g = s.groups().Create("g", {}, 0);
  g->LookupOrCreate("alice", 1);
  g->Deliver({1, 0}, "alice", 1);
  auto copy = s.Clone();
  auto* cs = static_cast<StreamValue*>(copy.get());
  REQUIRE(cs->groups().Find("g") != nullptr);
  CHECK(cs->groups().Find("g")->pel().size() == 1);
  g->Ack({1, 0});
  CHECK(cs->groups().Find("g")->pel().size() == 1);
  CHECK(s.MemoryBytes() > StreamValue().MemoryBytes());
}

}  // namespace
}  // namespace kvgate::engine
