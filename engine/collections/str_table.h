// File: engine/collections/str_table.h
// An insertion-ordered table of string keys with string values, compact enough for the Redis
// types' memory bar: each entry is one allocation [u32 key len][u32 value len][key][value], the
// order is a vector of entry pointers (holes left by erases are compacted away once they are
// half the vector), and lookup goes through an open-addressing index of 32-bit positions.
// Iteration follows insertion order, an update keeps the entry's place: the order redis-server
// shows for small hashes (listpack). Hashes and sets are built on it.
//
//   StrTable t;
//   t.Set("f", "v");                 // true: new
//   t.Find("f");                     // "v"
//   t.ForEach([](std::string_view k, std::string_view v) { ... });
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

namespace kvgate::engine::coll {

class StrTable {
 public:
  StrTable() = default;
  StrTable(const StrTable& other);
  StrTable& operator=(const StrTable&) = delete;
  ~StrTable();

  size_t size() const {
    return live_;
  }
  std::optional<std::string_view> Find(std::string_view key) const;
  bool Contains(std::string_view key) const {
    return FindPos(key) != kNone;
  }
  // Sets key to value; true if the key is new (appended at the end of the order).
  bool Set(std::string_view key, std::string_view value);
  // Inserts only if absent; true if inserted.
  bool Insert(std::string_view key, std::string_view value);
  bool Erase(std::string_view key);
  void Clear();

  // Visits every entry in order: fn(key, value).
  template <typename F>
  void ForEach(F&& fn) const {
    for (const char* e : order_) {
      if (e != nullptr) fn(KeyOf(e), ValueOf(e));
    }
  }
  // A uniformly random entry (the table must not be empty); `random` drives the choice.
  std::pair<std::string_view, std::string_view> Random(uint64_t random) const;
  // Resumable iteration (Redis HSCAN/SSCAN): visits about `count` entries from `cursor` (0 to
  // start) and returns the next cursor, 0 when done. Entries present for the whole iteration
  // are visited at least once (a compaction meanwhile restarts it: repeats are allowed).
  template <typename F>
  uint64_t Scan(uint64_t cursor, size_t count, F&& fn) const {
    uint64_t pos = cursor & kCursorPosMask;
    if (cursor != 0 && (cursor >> kCursorEpochShift) != (epoch_ & kCursorEpochMask)) pos = 0;
    size_t seen = 0;
    while (pos < order_.size() && seen < count) {
      if (const char* e = order_[pos]; e != nullptr) {
        fn(KeyOf(e), ValueOf(e));
        ++seen;
      }
      ++pos;
    }
    if (pos >= order_.size()) return 0;
    return ((epoch_ & kCursorEpochMask) << kCursorEpochShift) | pos;
  }
  // Heap bytes held (entries, order, index).
  uint64_t MemoryBytes() const {
    return bytes_ + order_.capacity() * sizeof(char*) + index_.capacity() * sizeof(uint32_t);
  }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  static constexpr uint32_t kEmpty = 0;             // index slot never used
  static constexpr uint32_t kDeleted = UINT32_MAX;  // index slot of an erased entry
  static constexpr int kCursorEpochShift = 40;
  static constexpr uint64_t kCursorPosMask = (uint64_t{1} << kCursorEpochShift) - 1;
  static constexpr uint64_t kCursorEpochMask = (uint64_t{1} << 23) - 1;
  static constexpr size_t kLinearMax = 8;  // up to this many entries: no index, linear search

  static uint32_t KeyLen(const char* e) {
    uint32_t n;
    std::memcpy(&n, e, 4);
    return n;
  }
  static uint32_t ValueLen(const char* e) {
    uint32_t n;
    std::memcpy(&n, e + 4, 4);
    return n;
  }
  static std::string_view KeyOf(const char* e) {
    return {e + 8, KeyLen(e)};
  }
  static std::string_view ValueOf(const char* e) {
    return {e + 8 + KeyLen(e), ValueLen(e)};
  }
  char* NewEntry(std::string_view key, std::string_view value);
  void FreeEntry(char* e);
  // Position in order_ of the key, or kNone.
  uint32_t FindPos(std::string_view key) const;
  void IndexInsert(uint64_t hash, uint32_t pos);
  void Rebuild();  // index_ over order_ (compacted first), at twice the live entries
  void Compact();

  std::vector<char*> order_;     // entries in order; nullptr: erased
  std::vector<uint32_t> index_;  // open addressing: pos + 1, kEmpty, or kDeleted
  size_t live_ = 0;
  size_t index_used_ = 0;  // slots not kEmpty (live + deleted)
  uint64_t bytes_ = 0;     // entry allocations
  uint64_t epoch_ = 0;     // compactions so far (scan cursors)
};

}  // namespace kvgate::engine::coll
