// File: tests/engine/collection_test.cc
// Contract cases for keys holding collections (engine/collection.h): Mutate changes the
// collection in place as one revision per change, leaves nothing behind when nothing changed,
// answers kWrongType / kNotFound, deletes an emptied collection, keeps the TTL and no history;
// PutObject and sharing (copy on write); watchers and change listeners see typed entries; memory
// follows the collection and returns to where it was once the key is gone.
//
//   be.bucket()->Mutate("h", ValueType::kHash, {}, [](Collection& c) {
//     return static_cast<HashValue&>(c).table().Set("f", "v"); });
#include <catch2/catch.hpp>

#include <string>

#include "engine/collections/hash_value.h"
#include "tests/engine/support/backend.h"

namespace kvgate::engine::testing {
namespace {

// HSET-like change: sets the field, reports a change.
Result<Revision> HSet(SyncBucket* b, std::string_view key, std::string_view f, std::string_view v) {
  return b->Mutate(key, ValueType::kHash, {}, [&](Collection& c) {
    static_cast<HashValue&>(c).table().Set(f, v);
    return true;
  });
}

const HashValue* HashAt(SyncBucket* b, std::string_view key) {
  Result<EntryView> e = b->Get(key);
  if (!e.ok() || e->type != ValueType::kHash) return nullptr;
  return static_cast<const HashValue*>(e->object);
}

TEST_CASE("Mutate makes a collection and changes it in place, one revision per change",
          "[engine][collections]") {
  BucketConfig c;
  c.history = 5;
  Backend be(c);
  SyncBucket* b = be.bucket();
  REQUIRE(HSet(b, "h", "a", "1").ok());
  Result<Revision> r2 = HSet(b, "h", "b", "2");
  REQUIRE(r2.ok());
  CHECK(*r2 == 2);
  Result<EntryView> e = b->Get("h");
  REQUIRE(e.ok());
  CHECK(e->type == ValueType::kHash);
  CHECK(e->value.empty());
  CHECK(e->revision == 2);
  CHECK(HashAt(b, "h")->size() == 2);
  // A collection keeps no history: the older revision is superseded, not retained.
  CHECK(b->History("h").size() == 1);
  CHECK(b->GetStatus().entries == 1);
  // Nothing changed: no revision.
  Result<Revision> none = b->Mutate("h", ValueType::kHash, {}, [](Collection&) { return false; });
  REQUIRE(none.ok());
  CHECK(*none == 0);
  CHECK(b->LastRevision() == 2);
  // Made and not changed: nothing at all.
  REQUIRE(b->Mutate("new", ValueType::kHash, {}, [](Collection&) { return false; }).ok());
  CHECK_FALSE(b->Get("new").ok());
  CHECK(b->GetStatus().keys == 1);
}

TEST_CASE("Mutate answers kWrongType and kNotFound without calling the change",
          "[engine][collections]") {
  Backend be;
  SyncBucket* b = be.bucket();
  be.Put("s", "string");
  REQUIRE(HSet(b, "h", "f", "v").ok());
  bool called = false;
  auto mark = [&](Collection&) {
    called = true;
    return true;
  };
  CHECK(b->Mutate("s", ValueType::kHash, {}, mark).errc() == Errc::kWrongType);
  CHECK(b->Mutate("h", ValueType::kList, {}, mark).errc() == Errc::kWrongType);
  CHECK(b->Mutate("absent", ValueType::kHash, {.create = false}, mark).errc() == Errc::kNotFound);
  CHECK_FALSE(called);
  // A string Put replaces a collection, as Redis SET does.
  REQUIRE(b->Put("h", "now a string", {}).ok());
  CHECK(b->Get("h")->type == ValueType::kString);
  CHECK(b->Get("h")->value == "now a string");
}

TEST_CASE("an emptied collection deletes its key; the TTL stays while it lives",
          "[engine][collections]") {
  Backend be;
  SyncBucket* b = be.bucket();
  REQUIRE(HSet(b, "h", "f", "v").ok());
  REQUIRE(b->SetExpiry("h", be.NowMs() + 10'000).ok());
  REQUIRE(HSet(b, "h", "g", "w").ok());
  CHECK(b->Get("h")->expires_at_ms == be.NowMs() + 10'000);
  Result<Revision> d = b->Mutate("h", ValueType::kHash, {}, [](Collection& c) {
    auto& t = static_cast<HashValue&>(c).table();
    t.Erase("f");
    t.Erase("g");
    return true;
  });
  REQUIRE(d.ok());
  CHECK_FALSE(b->Get("h").ok());
  Result<EntryView> latest = b->GetLatest("h");
  REQUIRE(latest.ok());
  CHECK(latest->op == Op::kDelete);
  CHECK(latest->revision == *d);
  CHECK(b->GetStatus().live_keys == 0);
}

TEST_CASE("a shared collection is copied before it changes", "[engine][collections]") {
  Backend be;
  SyncBucket* b = be.bucket();
  REQUIRE(HSet(b, "a", "f", "1").ok());
  // RENAME/COPY style: the same collection put under a second key.
  Result<EntryView> e = b->Get("a");
  REQUIRE(e.ok());
  CollectionRef shared(const_cast<Collection*>(e->object));
  REQUIRE(b->PutObject("b", shared.get(), {}).ok());
  shared = CollectionRef();
  CHECK(b->Get("a")->object == b->Get("b")->object);
  REQUIRE(HSet(b, "b", "f", "2").ok());
  CHECK(HashAt(b, "a")->table().Find("f") == "1");
  CHECK(HashAt(b, "b")->table().Find("f") == "2");
  CHECK(b->Get("a")->object != b->Get("b")->object);
  // An empty collection cannot be put.
  CollectionRef empty(NewCollection(ValueType::kHash));
  CHECK(b->PutObject("c", empty.get(), {}).errc() == Errc::kInvalidArgument);
}

TEST_CASE("watchers and listeners see typed entries", "[engine][collections]") {
  Backend be;
  SyncBucket* b = be.bucket();
  WatchOptions o;
  auto w = be.StartWatch(o);
  REQUIRE(w.ok());
  REQUIRE(HSet(b, "h", "f", "v").ok());
  std::vector<Event> first = EntriesOf(Backend::Drain(**w));
  REQUIRE(HSet(b, "h", "g", "w").ok());
  std::vector<Event> second = EntriesOf(Backend::Drain(**w));
  REQUIRE(first.size() == 1);
  REQUIRE(second.size() == 1);
  CHECK(first[0].key == "h");
  CHECK(second[0].revision == 2);
  CHECK(second[0].value.empty());
}

TEST_CASE("memory follows a collection and returns once its key is gone",
          "[engine][collections][memory]") {
  Backend be;
  SyncBucket* b = be.bucket();
  const uint64_t before = be.store().MemoryUsed();
  for (int i = 0; i < 2000; ++i) {
    REQUIRE(HSet(b, "h", "field:" + std::to_string(i), "value:" + std::to_string(i)).ok());
  }
  const uint64_t full = be.store().MemoryUsed();
  CHECK(full > before + 2000 * 24);
  CHECK(b->GetStatus().bytes >= HashAt(b, "h")->MemoryBytes());
  REQUIRE(b->Purge("h", {}).ok());
  (void)b->Compact(0);
  be.RunTicks();
  // The marker and index slots may remain; the collection's bytes are gone.
  CHECK(be.store().MemoryUsed() < before + 1024);
}

TEST_CASE("over the memory limit a collection may shrink but not grow", "[engine][collections]") {
  Engine::Limits limits;
  limits.max_memory_bytes = 256 * 1024;
  Backend be({}, limits);
  SyncBucket* b = be.bucket();
  Errc last = Errc::kOk;
  for (int i = 0; i < 100000 && last == Errc::kOk; ++i) {
    last = HSet(b, "h", "field:" + std::to_string(i), std::string(100, 'v')).errc();
  }
  REQUIRE(last == Errc::kOutOfMemory);
  CHECK(be.store().MemoryUsed() <= limits.max_memory_bytes + 4096);
  CHECK(HSet(b, "h", "one-more", "v").errc() == Errc::kOutOfMemory);
  CHECK(HSet(b, "other", "f", "v").errc() == Errc::kOutOfMemory);
  Result<Revision> shrink =
      b->Mutate("h", ValueType::kHash, {.create = false, .may_grow = false},
                [](Collection& c) { return static_cast<HashValue&>(c).table().Erase("field:0"); });
  REQUIRE(shrink.ok());
  CHECK(*shrink > 0);
}

}  // namespace
}  // namespace kvgate::engine::testing
