// File: engine/collections/set_value.h
// A Redis set, in the two encodings redis-server 7.0 shows (OBJECT ENCODING, member order):
// "intset" while every member is an integer in Redis's canonical form (string2ll: decimal
// int64, no '+', no leading zeros, no "-0") and there are at most set-max-intset-entries of
// them, kept sorted by value; else "hashtable" for good (a StrTable with empty values, in
// insertion order: Redis's order there is random). A set built anew (Clear, the STORE commands)
// starts as an intset again.
//
//   SetValue s;
//   s.Add("3", 512);  s.Add("1", 512);   // intset: ForEach visits "1", "3"
//   s.Add("a", 512);                      // hashtable from now on
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/collection.h"
#include "engine/collection_delta.h"
#include "engine/collections/str_table.h"

namespace kvgate::engine {

class SetValue final : public Collection {
 public:
  static constexpr ValueType kType = ValueType::kSet;

  SetValue() : Collection(kType) {
  }

  // Redis's integer test for members (string2ll): true and *out for a canonical int64.
  static bool ParseInteger(std::string_view s, int64_t* out);

  bool intset() const {
    return intset_;
  }
  // Adds `member`; true if it is new. The intset becomes a hashtable when the member is not
  // an integer or the size then exceeds max_intset_entries (Redis caps it at 2^30).
  bool Add(std::string_view member, size_t max_intset_entries);
  // True if `member` was there.
  bool Remove(std::string_view member);
  bool Contains(std::string_view member) const;
  // Visits every member, fn(std::string_view) (the view lives for the call only): an intset in
  // ascending numeric order, a hashtable in insertion order.
  template <typename F>
  void ForEach(F&& fn) const {
    if (intset_) {
      char buf[24];
      for (int64_t v : ints_) fn(Format(v, buf));
      return;
    }
    table_.ForEach([&](std::string_view m, std::string_view) { fn(m); });
  }
  // A uniformly random member (the set must not be empty); `random` drives the choice.
  std::string Random(uint64_t random) const;
  // Removes and returns a random member (the set must not be empty).
  std::string PopRandom(uint64_t random);
  // SSCAN: a hashtable is visited resumably (StrTable::Scan); an intset answers whole in one
  // call (cursor 0 back), as Redis does. fn(std::string_view) as for ForEach.
  template <typename F>
  uint64_t Scan(uint64_t cursor, size_t count, F&& fn) const {
    if (intset_) {
      ForEach(fn);
      return 0;
    }
    return table_.Scan(cursor, count, [&](std::string_view m, std::string_view) { fn(m); });
  }
  // Empties the set; it is an intset again (a set built anew: SPOP's rebuild).
  void Clear() {
    if (delta() != nullptr) delta::Put(delta(), delta::Op::kSetClear);
    ints_.clear();
    ints_.shrink_to_fit();
    table_.Clear();
    intset_ = true;
    width_ = 2;
  }
  // An intset's members, ascending (empty for a hashtable).
  const std::vector<int64_t>& ints() const {
    return ints_;
  }
  // Bytes per member of Redis's intset (2, 4 or 8): the widest any member ever needed, as
  // Redis upgrades an intset and never narrows it (DUMP writes this width).
  int intset_width() const {
    return width_;
  }
  // RESTORE of an intset keeps the payload's width (at least what the members need).
  void set_intset_width(int width) {
    if (width > width_) width_ = static_cast<uint8_t>(width);
  }

  size_t size() const override {
    return intset_ ? ints_.size() : table_.size();
  }
  uint64_t MemoryBytes() const override {
    return sizeof(*this) + ints_.capacity() * sizeof(int64_t) + table_.MemoryBytes();
  }
  std::string_view EncodingName() const override {
    return intset_ ? "intset" : "hashtable";
  }
  std::unique_ptr<Collection> Clone() const override {
    return std::make_unique<SetValue>(*this);
  }

 private:
  static std::string_view Format(int64_t v, char* buf);  // buf: 24 bytes
  static size_t IntsetCap(size_t max_intset_entries);
  void ConvertToTable();

  std::vector<int64_t> ints_;  // intset: sorted, distinct
  coll::StrTable table_;       // hashtable: members, empty values
  bool intset_ = true;
  uint8_t width_ = 2;
};

}  // namespace kvgate::engine
