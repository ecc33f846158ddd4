// File: engine/collections/list_value.h
// A Redis list: a deque of chunks, each a packed run of elements (listpack-like: a length
// before each element and its entry size after it, so a chunk reads in both directions). Pushes
// and pops at either end touch one chunk only: O(1) whatever the length, and no operation copies
// the whole list. An index is found by walking chunk counts from the nearer end (O(n / chunk)),
// then within one chunk. Chunks hold up to kChunkBytes (Redis's list-max-listpack-size -2 is
// 8 KiB nodes); a chunk an end has left behind is shrunk to its exact size, so memory stays
// close to Redis's quicklist.
//
// OBJECT ENCODING is "quicklist" at every size: redis-server 7.0 makes every list a quicklist
// (the small "listpack" list encoding came with 7.2).
//
//   ListValue l;
//   l.PushBack("b");  l.PushFront("a");      // a b
//   std::string x;  l.PopBack(&x);           // x == "b"
//   l.Walk(0, true, [](std::string_view e) { ...; return true; });
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>

#include "engine/collection.h"
#include "engine/function_ref.h"

namespace kvgate::engine {

class ListValue final : public Collection {
 public:
  static constexpr ValueType kType = ValueType::kList;
  // A chunk's packed bytes before a push opens a new one (one larger element gets its own).
  static constexpr uint32_t kChunkBytes = 8192;

  ListValue() : Collection(kType) {
  }
  ListValue(const ListValue& other);
  ListValue& operator=(const ListValue&) = delete;
  ~ListValue() override;

  void PushFront(std::string_view v);
  void PushBack(std::string_view v);
  // Remove the first / last element into *out (nullptr: dropped); false when empty.
  bool PopFront(std::string* out);
  bool PopBack(std::string* out);
  // Element `i` (< size()); the view lives until the next change.
  std::string_view At(size_t i) const;
  // Replaces element `i` (< size()).
  void Set(size_t i, std::string_view v);
  // Inserts `v` so that it becomes element `i` (<= size()).
  void Insert(size_t i, std::string_view v);
  // LREM: removes elements equal to `v`, at most |count| of them (0: all), from the head when
  // count >= 0, from the tail when negative. Returns how many went.
  size_t Remove(std::string_view v, int64_t count);
  // Drops `front` elements from the head and `back` from the tail (LTRIM); at most size().
  void Trim(size_t front, size_t back);
  // Visits elements from index `start` (< size()) towards the tail (forward) or the head; fn
  // returns false to stop. The view lives for the call only.
  void Walk(size_t start, bool forward, FunctionRef<bool(std::string_view)> fn) const;

  size_t size() const override {
    return count_;
  }
  uint64_t MemoryBytes() const override {
    return sizeof(*this) + alloc_bytes_ + chunks_.size() * sizeof(Chunk);
  }
  std::string_view EncodingName() const override {
    return "quicklist";
  }
  std::unique_ptr<Collection> Clone() const override {
    return std::make_unique<ListValue>(*this);
  }

  // Chunks held (tests, benchmarks).
  size_t chunk_count() const {
    return chunks_.size();
  }

 private:
  struct Chunk {
    char* buf = nullptr;  // cap bytes; the entries are [begin, end)
    uint32_t cap = 0;
    uint32_t begin = 0;
    uint32_t end = 0;
    uint32_t count = 0;
    uint32_t used() const {
      return end - begin;
    }
  };
  // Where an element is: its chunk and the offset of its entry in the chunk's buffer.
  struct Pos {
    size_t chunk;
    uint32_t off;
  };

  Pos Locate(size_t i) const;
  // Room for `need` more bytes at the chunk's front or back (reallocates, keeping headroom).
  void Reserve(Chunk& c, uint32_t need, bool front);
  void Resize(Chunk& c, uint32_t cap, uint32_t at);  // moves the entries to offset `at`
  void Shrink(Chunk& c);                             // exact size: a chunk the ends left
  void FreeChunk(Chunk& c);
  // Replaces chunk `ci` by chunks packed from `parts` (views that may point into it).
  template <typename Parts>
  void Repack(size_t ci, const Parts& parts);

  std::deque<Chunk> chunks_;
  size_t count_ = 0;
  uint64_t alloc_bytes_ = 0;  // sum of the chunks' cap
};

}  // namespace kvgate::engine
