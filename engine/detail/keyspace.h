// File: engine/detail/keyspace.h
// key -> KeyNode* index of one bucket: an open-addressing table of pointers with a parallel array
// of 1-byte control tags (7 hash bits), XXH3 hashes, probed 8 control bytes at a time with
// portable SWAR matching (SwissTable's scheme without SIMD). About 9 bytes per slot, no per-key
// allocation (std::unordered_map costs ~40 more bytes per key). Growth is incremental:
// a resize allocates the new table and migrates a few old slots per mutation (and per Step from
// Engine::Tick), so no call ever rehashes a million keys at once.
//
//   Keyspace ks(&mem);
//   uint64_t h = Keyspace::Hash("k");
//   if (ks.Find("k", h) == nullptr) ks.Insert(node, h);
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "engine/detail/entry.h"

namespace kvgate::engine::detail {

class Keyspace {
 public:
  explicit Keyspace(MemoryCounter* mem);
  ~Keyspace();
  Keyspace(const Keyspace&) = delete;
  Keyspace& operator=(const Keyspace&) = delete;

  static uint64_t Hash(std::string_view key);

  KeyNode* Find(std::string_view key, uint64_t hash) const;
  // `node`'s key must be absent.
  void Insert(KeyNode* node, uint64_t hash);
  // Re-points the slot holding `old_node` (same key) to `new_node`.
  void Replace(const KeyNode* old_node, KeyNode* new_node, uint64_t hash);
  void Erase(const KeyNode* node, uint64_t hash);
  // Forgets every node (does not free them).
  void Clear();
  // Hands every node (and the tables) to a new Keyspace and leaves this one empty: O(1), so a
  // flush can drop a million keys and free them later in bounded slices (FreeSome).
  std::unique_ptr<Keyspace> Detach();
  // Frees up to `budget` nodes (with their history chains). Returns true while nodes remain.
  bool FreeSome(size_t budget);

  size_t size() const {
    return size_;
  }
  // Some node, chosen from a random slot onwards (nullptr when empty).
  KeyNode* Random(uint64_t random) const;
  // Visits every node; fn must not mutate the keyspace.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (const Table* t : {&cur_, &old_}) {
      for (size_t i = 0; i < t->cap; ++i) {
        if (IsFull(t->ctrl[i])) fn(t->slots[i]);
      }
    }
  }
  // Migrates up to `budget` slots of an in-progress resize. Returns true if work remains.
  bool Step(size_t budget);

 private:
  struct Table {
    uint8_t* ctrl = nullptr;  // cap + kGroup bytes: the tail mirrors the first kGroup
    KeyNode** slots = nullptr;
    size_t cap = 0;   // power of two, or 0
    size_t used = 0;  // full slots
    size_t dead = 0;  // tombstone slots
  };
  static constexpr uint8_t kEmpty = 0x80;
  static constexpr uint8_t kDead = 0xFE;
  static constexpr size_t kGroup = 8;
  static void SetCtrl(Table* t, size_t i, uint8_t c) {
    t->ctrl[i] = c;
    if (i < kGroup) t->ctrl[t->cap + i] = c;
  }
  static bool IsFull(uint8_t c) {
    return c < 0x80;
  }
  static uint8_t Tag(uint64_t h) {
    return static_cast<uint8_t>(h & 0x7F);
  }

  void Alloc(Table* t, size_t cap);
  void Free(Table* t);
  // Slot index of `node` (by identity) or of `key` (by value) in t; cap when absent.
  size_t FindSlot(const Table& t, std::string_view key, const KeyNode* node, uint64_t h) const;
  void InsertInto(Table* t, KeyNode* node, uint64_t h);
  void EraseAt(Table* t, size_t i);
  void MaybeGrow();

  MemoryCounter* mem_;
  Table cur_;
  Table old_;            // non-empty while a resize is migrating
  size_t migrate_ = 0;   // next old_ slot to migrate
  size_t free_pos_ = 0;  // FreeSome progress (slots of cur_ then old_)
  size_t size_ = 0;
};

}  // namespace kvgate::engine::detail
