// File: tests/engine/collection_delta_test.cc
// Collection deltas (engine/collection_delta.h): every mutator of a hash, set, list and sorted
// set, recorded on one collection and applied to a copy of its state before, gives the same
// collection (same image bytes: contents, order, encoding); malformed operations are refused.
//
//   Check(list, [](ListValue& l) { l.Trim(1, 2); });
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/collection_codec.h"
#include "engine/collection_delta.h"
#include "engine/collections/hash_value.h"
#include "engine/collections/list_value.h"
#include "engine/collections/set_value.h"
#include "engine/collections/stream_value.h"
#include "engine/collections/zset_value.h"

namespace kvgate::engine {
namespace {

std::string Image(const Collection& c) {
  std::string out;
  EncodeCollection(c, &out);
  return out;
}

// Applies `change` to `c` while recording, replays the record on a copy of c's state before,
// and requires both to end equal. Returns the operations.
template <typename T>
std::string Check(T& c, const std::function<void(T&)>& change) {
  std::unique_ptr<Collection> before = c.Clone();
  std::string ops;
  c.set_delta(&ops);
  change(c);
  c.set_delta(nullptr);
  REQUIRE(ApplyCollectionDelta(*before, ops));
  CHECK(Image(*before) == Image(c));
  CHECK(before->EncodingName() == c.EncodingName());
  return ops;
}

TEST_CASE("collection deltas: every list mutator replays exactly", "[delta]") {
  ListValue l;
  for (int i = 0; i < 3000; ++i) l.PushBack("element-" + std::to_string(i % 97));
  Check<ListValue>(l, [](ListValue& x) { x.PushFront("front"); });
  Check<ListValue>(l, [](ListValue& x) { x.PushBack("back"); });
  Check<ListValue>(l, [](ListValue& x) {
    std::string out;
    x.PopFront(&out);
    x.PopBack(&out);
  });
  Check<ListValue>(l, [](ListValue& x) { x.Set(1500, "a much longer replacement value"); });
  Check<ListValue>(l, [](ListValue& x) { x.Insert(700, "inserted"); });
  Check<ListValue>(l, [](ListValue& x) { CHECK(x.Remove("element-5", 0) > 0); });
  Check<ListValue>(l, [](ListValue& x) { CHECK(x.Remove("element-6", -2) == 2); });
  Check<ListValue>(l, [](ListValue& x) { CHECK(x.Remove("element-7", 3) == 3); });
  const std::string ops = Check<ListValue>(l, [](ListValue& x) { x.Trim(1000, 999); });
  CHECK(ops.size() < 16);  // one operation, not the popped elements
}

TEST_CASE("collection deltas: hash, set and sorted set mutators replay exactly", "[delta]") {
  HashValue h;
  Check<HashValue>(h, [](HashValue& x) {
    for (int i = 0; i < 50; ++i) x.Set("f" + std::to_string(i), "v");
    x.Erase("f3");
    x.Insert("f4", "not set");
    x.Insert("new", "set");
    x.NoteWrite("f1", std::string(100, 'v'), 128, 64);  // the listpack label goes
  });
  CHECK(h.EncodingName() == "hashtable");

  SetValue s;
  Check<SetValue>(s, [](SetValue& x) {
    for (int i = 0; i < 20; ++i) x.Add(std::to_string(i * 1000), 512);
    x.Remove("2000");
  });
  CHECK(s.intset());
  Check<SetValue>(s, [](SetValue& x) { x.Add("word", 512); });  // becomes a hashtable
  CHECK(!s.intset());
  Check<SetValue>(s, [](SetValue& x) {
    for (int i = 0; i < 5; ++i) (void)x.PopRandom(static_cast<uint64_t>(i) * 7919);
  });
  Check<SetValue>(s, [](SetValue& x) {
    x.Clear();
    x.Add("1", 512);
  });

  ZSetValue z;
  Check<ZSetValue>(z, [](ZSetValue& x) {
    for (int i = 0; i < 200; ++i) x.Set("m" + std::to_string(i), i % 7);
    x.Set("m5", -0.0);
    x.ClearNegativeZeros();
    x.Erase("m9");
    x.Set("m10", 1e300);
    x.NoteWrite("m10", 128, 64);  // 200 > 128: skiplist
  });
  CHECK(z.EncodingName() == "skiplist");
  Check<ZSetValue>(z, [](ZSetValue& x) { x.set_listpack(true); });
}

TEST_CASE("collection deltas: stream appends, deletes, trims and IDs replay exactly", "[delta]") {
  StreamValue s;
  uint64_t ms = 1;
  auto add = [&](StreamValue& x, int n) {
    for (int i = 0; i < n; ++i) {
      const std::string v = "value-" + std::to_string(ms);
      std::string_view fv[] = {"field", v};
      x.Append({ms++, 0}, fv);
    }
  };
  Check<StreamValue>(s, [&](StreamValue& x) { add(x, 450); });  // several nodes
  Check<StreamValue>(s, [&](StreamValue& x) {
    CHECK(x.Delete({10, 0}));
    CHECK(x.Delete({1, 0}));
  });
  Check<StreamValue>(s, [&](StreamValue& x) {
    StreamTrim t;
    t.by = StreamTrim::By::kMaxLen;
    t.approx = true;
    t.maxlen = 300;
    CHECK(x.Trim(t) > 0);  // whole nodes only, as Redis's ~
  });
  Check<StreamValue>(s, [&](StreamValue& x) {
    StreamTrim t;
    t.by = StreamTrim::By::kMinId;
    t.minid = {300, 0};
    x.Trim(t);
  });
  Check<StreamValue>(s, [&](StreamValue& x) {
    x.SetLastId({100000, 5});
    x.SetEntriesAdded(99999);
    x.SetMaxDeletedId({299, 0});
  });
}

TEST_CASE("collection deltas: consumer group changes replay exactly, in a few bytes each",
          "[delta]") {
  StreamValue s;
  for (uint64_t i = 1; i <= 2000; ++i) {
    const std::string v = "value-" + std::to_string(i);
    s.Append({i, 0}, std::vector<std::string_view>{"f", v}, false);
  }
  Check<StreamValue>(s, [](StreamValue& x) {
    REQUIRE(x.groups().Create("g1", {0, 0}, 0) != nullptr);
    REQUIRE(x.groups().Create("g2", {5, 0}, kInvalidEntriesRead) != nullptr);
  });
  Check<StreamValue>(s, [](StreamValue& x) {
    StreamGroup* g = x.groups().Find("g1");
    auto [alice, created] = g->LookupOrCreate("alice", 1000);
    CHECK(created);
    g->Touch("alice", alice, 1500);
    g->LookupOrCreate("bob", 1100);
    for (uint64_t i = 1; i <= 10; ++i) {
      g->SetLastDelivered({i, 0}, static_cast<int64_t>(i));
      g->Deliver({i, 0}, i % 2 == 0 ? "alice" : "bob", 2000 + static_cast<int64_t>(i));
    }
  });
  // An XACK, a redelivery, a claim with a forced NACK, XCLAIM's fields: each a small record.
  const std::string ack = Check<StreamValue>(s, [](StreamValue& x) {
    CHECK(x.groups().Find("g1")->Ack({4, 0}));
  });
  CHECK(ack.size() < 32);
  Check<StreamValue>(s, [](StreamValue& x) {
    StreamGroup* g = x.groups().Find("g1");
    g->Redeliver({2, 0}, g->Pending({2, 0}), 3000);
    StreamNack* n = g->Claim({3, 0}, "alice", false, 3100);
    REQUIRE(n != nullptr);
    g->SetNack({3, 0}, n, 777, 9);
    REQUIRE(g->Claim({50, 0}, "bob", true, 3200) != nullptr);  // XCLAIM FORCE
    g->Deliver({6, 0}, "bob", 3300);  // pending already: moved to bob, counted from 1
  });
  Check<StreamValue>(s, [](StreamValue& x) {
    StreamGroup* g = x.groups().Find("g1");
    CHECK(g->DeleteConsumer("alice") > 0);
    CHECK(x.groups().Destroy("g2"));
    x.groups().Find("g1")->SetLastDelivered({1, 0}, kInvalidEntriesRead);  // XGROUP SETID
  });
  const StreamGroup* g = std::as_const(s).groups().Find("g1");
  REQUIRE(g != nullptr);
  CHECK(g->consumers().size() == 1);
  CHECK(g->pel().size() > 0);
  CHECK(std::as_const(s).groups().Find("g2") == nullptr);
  // Nothing is recorded without a buffer (memory buckets).
  s.groups().Find("g1")->Ack({1, 0});
  CHECK(s.delta() == nullptr);
}

TEST_CASE("collection deltas: group operations that do not fit the state are refused", "[delta]") {
  StreamValue s;
  std::string ops;
  delta::Put(&ops, delta::Op::kNackDelete, "nogroup");
  detail::PutId(&ops, {1, 0});
  CHECK(!ApplyCollectionDelta(s, ops));
  ops.clear();
  delta::Put(&ops, delta::Op::kGroupDestroy, "nogroup");
  CHECK(!ApplyCollectionDelta(s, ops));
  ops.clear();
  delta::Put(&ops, delta::Op::kGroupPut, "g");
  detail::PutId(&ops, {1, 0});
  detail::PutSigned(&ops, -7);  // below "unknown"
  CHECK(!ApplyCollectionDelta(s, ops));
}

TEST_CASE("collection deltas: malformed operations are refused", "[delta]") {
  ListValue l;
  l.PushBack("a");
  std::string ops;
  delta::Put(&ops, delta::Op::kListSet, uint64_t{5}, "x");  // index out of range
  CHECK(!ApplyCollectionDelta(l, ops));
  ops.clear();
  delta::Put(&ops, delta::Op::kHashSet, "f", "v");  // a hash operation on a list
  CHECK(!ApplyCollectionDelta(l, ops));
  CHECK(!ApplyCollectionDelta(l, std::string(1, '\xff')));
  ZSetValue z;
  ops.clear();
  delta::PutScore(&ops, "m", std::nan(""));
  CHECK(!ApplyCollectionDelta(z, ops));
  // Every truncation of a valid record is refused or applies a prefix, never crashes.
  ops.clear();
  delta::Put(&ops, delta::Op::kListPushBack, "value");
  delta::Put(&ops, delta::Op::kListTrim, uint64_t{0}, uint64_t{1});
  for (size_t n = 0; n < ops.size(); ++n) {
    ListValue fresh;
    fresh.PushBack("a");
    (void)ApplyCollectionDelta(fresh, std::string_view(ops).substr(0, n));
  }
}

}  // namespace
}  // namespace kvgate::engine
