// File: tests/engine/collection_codec_stream_test.cc
// The collection codec (engine/collection_codec.h) for streams: nodes come back with their
// boundaries, deleted entries and listpack sizes (so later `~` trims and XINFO agree), with the
// stream's IDs and counters and its consumer groups (PELs, consumers, seen times); empty
// streams with groups; a randomized history; malformed bytes refused; truncations and flipped
// bytes never crash.
//
//   auto back = RoundTrip(s);  CHECK(Describe(*back) == Describe(s));
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "engine/collections/stream_groups.h"
#include "engine/collections/stream_value.h"
#include "engine/detail/codec.h"
#include "support/codec_checks.h"

namespace kvgate::engine {
namespace {

using codec_test::CheckFlips;
using codec_test::CheckTruncations;
using codec_test::Encode;
using codec_test::RoundTrip;

std::string Id(StreamId id) {
  return std::to_string(id.ms) + "-" + std::to_string(id.seq);
}

// Everything a command can see of a stream, as text.
std::string Describe(const StreamValue& s) {
  std::string d = "len " + std::to_string(s.size()) + " last " + Id(s.last_id()) + " first " +
                  Id(s.first_id()) + " maxdel " + Id(s.max_deleted_id()) + " added " +
                  std::to_string(s.entries_added()) + "\n";
  for (size_t i = 0; i < s.node_count(); ++i) {
    const StreamNodeView n = s.NodeAt(i);
    d += "node " + Id(n.master) + " live " + std::to_string(n.live) + " deleted " +
         std::to_string(n.deleted) + " lp " + std::to_string(n.lp_bytes) + " fields";
    for (const std::string& f : n.master_fields) d += " " + f;
    d += "\n";
    s.NodeEntries(i, [&](const StreamEntry& e, bool deleted) {
      d += "  " + Id(e.id) + (deleted ? " (deleted)" : "");
      e.ForEach([&](std::string_view f, std::string_view v) {
        d += " " + std::string(f) + "=" + std::string(v);
      });
      d += "\n";
    });
  }
  for (const auto& [name, g] : s.groups().all()) {
    d += "group " + name + " last " + Id(g.last_id()) + " read " +
         std::to_string(g.entries_read()) + "\n";
    for (const auto& [cname, c] : g.consumers()) {
      d += "  consumer " + cname + " seen " + std::to_string(c.seen_time_ms) + " pel";
      for (StreamId id : c.pel) d += " " + Id(id);
      d += "\n";
    }
    for (const auto& [id, nack] : g.pel()) {
      d += "  nack " + Id(id) + " " + std::to_string(nack.delivery_time_ms) + " x" +
           std::to_string(nack.delivery_count) + " " + nack.consumer + "\n";
    }
  }
  return d;
}

void Add(StreamValue& s, StreamId id, std::vector<std::string> fv) {
  std::vector<std::string_view> views(fv.begin(), fv.end());
  s.Append(id, views);
}

// The round trip, the text, and the entries' bytes exactly (only the groups' PEL chunks may
// be laid out differently: they fill up on load).
std::unique_ptr<StreamValue> Check(const StreamValue& s, bool sweep = true) {
  auto back = RoundTrip(s);
  CHECK(Describe(*back) == Describe(s));
  CHECK(back->MemoryBytes() - back->groups().MemoryBytes() ==
        s.MemoryBytes() - s.groups().MemoryBytes());
  if (sweep) {
    CheckTruncations(ValueType::kStream, Encode(s));
    CheckFlips(ValueType::kStream, Encode(s));
  }
  return back;
}

TEST_CASE("an empty stream keeps its IDs and groups", "[engine][codec]") {
  StreamValue s;
  Check(s);
  Add(s, {5, 1}, {"f", "v"});
  REQUIRE(s.Delete({5, 1}));
  s.SetLastId({9, 0});
  StreamGroup* g = s.groups().Create("g", {5, 1}, kInvalidEntriesRead);
  g->LookupOrCreate("idle", -42);
  REQUIRE(s.size() == 0);
  auto back = Check(s);
  CHECK(back->last_id() == StreamId{9, 0});
  CHECK(back->max_deleted_id() == StreamId{5, 1});
  CHECK(back->node_count() == 0);
}

TEST_CASE("stream nodes come back with their boundaries and deleted entries", "[engine][codec]") {
  StreamValue s;
  for (uint64_t i = 1; i <= 250; ++i) {
    if (i % 7 == 0) {
      Add(s, {i, 0}, {"other", std::to_string(i), "x", ""});  // not the node's fields
    } else {
      Add(s, {i, 0}, {"f", std::to_string(i * 1000)});
    }
  }
  Add(s, {251, 0}, {"big", std::string(5000, 'b')});  // the bytes rule closes nodes too
  Add(s, {251, 1}, {"f", "after"});
  Add(s, {251, 2}, {});  // no pairs
  for (uint64_t i = 3; i <= 250; i += 5) REQUIRE(s.Delete({i, 0}));
  REQUIRE(s.node_count() >= 4);
  auto back = Check(s, false);
  CheckTruncations(ValueType::kStream, Encode(s), 7);

  // Later changes land alike: the nodes are the same, so appends and `~` trims agree.
  for (StreamValue* x : {&s, back.get()}) {
    Add(*x, {300, 0}, {"f", "new"});
    x->Trim({StreamTrim::By::kMaxLen, true, 120, {}, 0});
  }
  CHECK(Describe(*back) == Describe(s));
}

TEST_CASE("trimmed streams keep a node with no live entry", "[engine][codec]") {
  StreamValue s;
  for (uint64_t i = 1; i <= 150; ++i) Add(s, {i, 0}, {"f", "v"});
  SECTION("exact MAXLEN flags entries inside the first node") {
    s.Trim({StreamTrim::By::kMaxLen, false, 120, {}, 0});
    REQUIRE(s.NodeAt(0).deleted == 30);
    Check(s, false);
  }
  SECTION("MINID past a node's live entries leaves it empty") {
    REQUIRE(s.Delete({100, 0}));
    s.Trim({StreamTrim::By::kMinId, false, 0, {100, 0}, 0});
    REQUIRE(s.NodeAt(0).live == 0);
    REQUIRE(s.node_count() == 2);
    auto back = Check(s, false);
    CHECK(back->NodeAt(0).live == 0);
    CHECK(back->first_id() == StreamId{101, 0});
  }
  SECTION("approximate trims drop whole nodes") {
    s.Trim({StreamTrim::By::kMaxLen, true, 60, {}, 0});  // would split the first node
    REQUIRE(s.size() == 150);
    s.Trim({StreamTrim::By::kMaxLen, true, 50, {}, 0});
    REQUIRE(s.size() == 50);
    Check(s, false);
  }
}

TEST_CASE("consumer groups come back with PELs and consumers", "[engine][codec]") {
  StreamValue s;
  for (uint64_t i = 1; i <= 300; ++i) Add(s, {1000 + i, i % 3}, {"f", std::to_string(i)});
  StreamGroup* a = s.groups().Create("alpha", {1100, 1}, 100);
  StreamGroup* b = s.groups().Create("beta", {}, kInvalidEntriesRead);
  s.groups().Create("empty", kMaxStreamId, 300);
  a->LookupOrCreate("carol", 10);
  a->LookupOrCreate("bob", -5);
  a->LookupOrCreate("nobody", 7);
  for (uint64_t i = 1; i <= 200; ++i) a->Deliver({1000 + i, i % 3}, i % 2 ? "bob" : "carol", 50);
  a->Redeliver({1003, 0}, a->Pending({1003, 0}), 60);
  a->Redeliver({1003, 0}, a->Pending({1003, 0}), 61);
  a->Claim({1004, 1}, "bob", false, 70);
  a->Claim({5000, 0}, "carol", true, 80);  // XCLAIM FORCE of an ID the stream lacks
  for (uint64_t i = 10; i <= 50; ++i) a->Ack({1000 + i, i % 3});
  b->LookupOrCreate("solo", 1);
  b->Deliver({1001, 1}, "solo", 2);
  b->LookupOrCreate("gone", 3);
  b->Deliver({1002, 2}, "gone", 4);
  REQUIRE(b->DeleteConsumer("gone") == 1);
  // A NACK naming no consumer: commands never leave one, the codec keeps it as found.
  b->pel_for_load().emplace({1003, 0}, StreamNack{9, 2, "ghost"});
  auto back = Check(s, false);
  CHECK(back->groups().Find("alpha")->Lookup("bob")->pel.size() ==
        s.groups().Find("alpha")->Lookup("bob")->pel.size());
  CheckTruncations(ValueType::kStream, Encode(s), 3);

  StreamValue small;
  Add(small, {1, 0}, {"f", "v"});
  Add(small, {2, 0}, {"f", "w", "g", "x"});
  StreamGroup* g = small.groups().Create("g", {2, 0}, 2);
  g->LookupOrCreate("c", 100);
  g->Deliver({1, 0}, "c", 101);
  g->Deliver({2, 0}, "c", 102);
  small.groups().Create("h", {}, 0)->pel_for_load().emplace({1, 0}, StreamNack{1, 1, "x"});
  Check(small);
}

TEST_CASE("a random stream history round-trips at every step", "[engine][codec]") {
  std::mt19937_64 rng(7);
  StreamValue s;
  uint64_t ms = 1;
  int64_t now = 0;
  for (int step = 0; step < 400; ++step) {
    const uint64_t op = rng() % 10;
    ++now;
    if (op < 5) {
      const uint64_t n = rng() % 4;
      std::vector<std::string> fv;
      for (uint64_t k = 0; k < n; ++k) {
        fv.push_back(rng() % 4 ? "f" + std::to_string(k) : "g");
        fv.push_back(std::string(rng() % 300, 'v'));
      }
      ms += rng() % 3;
      Add(s, {ms, static_cast<uint64_t>(step)}, fv);
    } else if (op == 5 && s.size() > 0) {
      StreamEntry e;
      REQUIRE(s.First(&e));
      s.Delete(rng() % 2 ? e.id : s.last_id());
    } else if (op == 6) {
      s.Trim({StreamTrim::By::kMaxLen, rng() % 2 == 0, rng() % 80, {}, 0});
    } else if (op == 7) {
      const std::string name = "g" + std::to_string(rng() % 3);
      if (s.groups().Find(name) == nullptr) s.groups().Create(name, {}, 0);
    } else if (op >= 8 && !s.groups().empty()) {
      StreamGroup& g = *s.groups().Find(std::as_const(s).groups().all().begin()->first);
      const std::string c = "c" + std::to_string(rng() % 3);
      g.LookupOrCreate(c, now);
      StreamId from = g.last_id();
      if (from.Incr()) {
        s.Range(from, kMaxStreamId, false, 3, [&](const StreamEntry& e) {
          g.SetLastDelivered(e.id, g.entries_read() + 1);
          g.Deliver(e.id, c, now);
          return true;
        });
      }
      if (!g.pel().empty() && rng() % 2) g.Ack(g.pel().begin()->first);
    }
    auto back = RoundTrip(s);
    REQUIRE(Describe(*back) == Describe(s));
  }
}

// Stream bytes built by hand from the codec's own writers.
struct Builder {
  std::string out{"\x01"};
  Builder& V(uint64_t v) {
    detail::PutVarint(&out, v);
    return *this;
  }
  Builder& S(std::string_view v) {
    detail::PutString(&out, v);
    return *this;
  }
  // An entry with its fields: flags, ms delta, seq, pairs, field, value, ...
  Builder& Full(uint64_t dms, uint64_t seq, std::initializer_list<const char*> fv,
                uint8_t flags = 0) {
    detail::PutByte(&out, flags);
    V(dms).V(seq).V(fv.size() / 2);
    for (const char* x : fv) S(x);
    return *this;
  }
  // An entry with the fields of its node's first entry: values only.
  Builder& Same(uint64_t dms, uint64_t seq, std::initializer_list<const char*> values) {
    detail::PutByte(&out, 2);
    V(dms).V(seq);
    for (const char* x : values) S(x);
    return *this;
  }
  // last, first, max-deleted IDs, entries-added.
  Builder& Tail(uint64_t last_ms) {
    return V(last_ms).V(0).V(0).V(0).V(0).V(0).V(0);
  }
  bool Decodes() const {
    return DecodeCollection(ValueType::kStream, out) != nullptr;
  }
};

TEST_CASE("malformed stream bytes are refused", "[engine][codec]") {
  // One node (count, then entries): 1-0 {f: a}, 2-0 {f: b}; no groups.
  CHECK(Builder().V(1).V(2).Full(1, 0, {"f", "a"}).Same(1, 0, {"b"}).Tail(2).V(0).Decodes());
  CHECK_FALSE(Builder().V(1).V(0).Tail(0).V(0).Decodes());  // a node without entries
  CHECK_FALSE(Builder().V(1).V(1).Same(1, 0, {"a"}).Tail(1).V(0).Decodes());  // first: fields
  CHECK_FALSE(Builder().V(1).V(1).Full(1, 0, {}, 4).Tail(1).V(0).Decodes());  // flag bits
  // The second entry has the head's fields but does not say so.
  CHECK_FALSE(
      Builder().V(1).V(2).Full(1, 0, {"f", "a"}).Full(1, 0, {"f", "b"}).Tail(2).V(0).Decodes());
  CHECK(Builder().V(1).V(2).Full(1, 0, {"f", "a"}).Full(1, 0, {"g", "b"}).Tail(2).V(0).Decodes());
  // IDs must ascend: 1-5 then 1-5.
  CHECK_FALSE(Builder().V(1).V(2).Full(1, 5, {}).Same(0, 5, {}).Tail(2).V(0).Decodes());
  CHECK(Builder().V(1).V(2).Full(1, 5, {}).Same(0, 6, {}).Tail(2).V(0).Decodes());
  CHECK_FALSE(Builder().V(1).V(1).Full(5, 0, {}).Tail(4).V(0).Decodes());  // last ID low
  CHECK(Builder().V(1).V(1).Full(5, 0, {}, 1).Tail(5).V(0).Decodes());     // one deleted entry
  // 101 entries in one node: the fill rule would have opened a second one.
  Builder full;
  full.V(1).V(101).Full(1, 0, {});
  for (int i = 0; i < 100; ++i) full.Same(1, 0, {});
  CHECK_FALSE(full.Tail(101).V(0).Decodes());

  // Groups on an empty stream: name, last ID, entries_read + 1, consumers, pending.
  auto groups = [](auto fn) {
    Builder b;
    b.V(0).Tail(0);
    fn(b);
    return b.Decodes();
  };
  CHECK_FALSE(groups([](Builder& b) { b.V(1).S("g").V(0).V(0).V(0).V(1).S("c").V(0).V(1); }));
  CHECK(groups([](Builder& b) {
    b.V(1).S("g").V(0).V(0).V(0).V(1).S("c").V(0).V(1).V(1).V(0).V(0).V(1).V(0);
  }));
  CHECK_FALSE(groups([](Builder& b) {  // consumer index past the consumers
    b.V(1).S("g").V(0).V(0).V(0).V(1).S("c").V(0).V(1).V(1).V(0).V(0).V(1).V(2);
  }));
  CHECK_FALSE(groups([](Builder& b) {  // an "orphan" that is a consumer
    b.V(1).S("g").V(0).V(0).V(0).V(1).S("c").V(0).V(1).V(1).V(0).V(0).V(1).V(1).S("c");
  }));
  CHECK(groups([](Builder& b) {
    b.V(1).S("g").V(0).V(0).V(0).V(1).S("c").V(0).V(1).V(1).V(0).V(0).V(1).V(1).S("d");
  }));
  auto two = [&](const char* first, const char* second) {
    return groups([&](Builder& b) {
      b.V(2).S(first).V(0).V(0).V(0).V(0).V(0).S(second).V(0).V(0).V(0).V(0).V(0);
    });
  };
  CHECK(two("g", "h"));
  CHECK_FALSE(two("g", "g"));          // a name twice
  CHECK_FALSE(two("h", "g"));          // out of order
  CHECK_FALSE(groups([](Builder& b) {  // entries_read below -1
    b.V(1).S("g").V(0).V(0).V(UINT64_MAX).V(0).V(0);
  }));
  CHECK(groups([](Builder& b) { b.V(1).S("g").V(0).V(0).V(uint64_t{1} << 63).V(0).V(0); }));
  CHECK_FALSE(groups([](Builder& b) {  // consumers out of order
    b.V(1).S("g").V(0).V(0).V(0).V(2).S("d").V(0).S("c").V(0).V(0);
  }));
}

}  // namespace
}  // namespace kvgate::engine
