// File: protocols/rdb/listpack.h
// The compact blobs inside RDB payloads: listpacks (listpack.c; small hashes and sorted sets,
// list nodes), intsets (intset.c; small integer sets) and, for payloads from older servers,
// ziplists (ziplist.c). Builders produce exactly redis-server's bytes; parsers validate every
// field (Redis's deep integrity check) and fail on any inconsistency instead of trusting it.
//
//   ListpackBuilder b;
//   b.Append("field");  b.Append("12");    // "12" is stored as an integer, as Redis does
//   std::string blob = b.Finish();
//   std::vector<BlobEntry> entries;
//   ParseListpack(blob, &entries);          // {"field"}, {12}
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kvgate::rdb {

// One element of a listpack or ziplist: an integer or a view of bytes inside the blob.
struct BlobEntry {
  bool is_int = false;
  int64_t value = 0;
  std::string_view bytes;

  // The element as Redis hands it out (an integer as its decimal text).
  std::string String() const;
};

class ListpackBuilder {
 public:
  // A string element, stored as an integer when it is one in canonical form (lpInsertString).
  void Append(std::string_view s);
  void AppendInteger(int64_t v);
  // The listpack: header (total bytes, element count capped at 65535), entries, terminator.
  std::string Finish() const;
  // Bytes Finish() will return.
  size_t size() const {
    return 6 + entries_.size() + 1;
  }

 private:
  void AppendEntry(std::string_view encoded);

  std::string entries_;
  size_t count_ = 0;
};

// Parses a whole listpack; false if any byte disagrees with the format.
bool ParseListpack(std::string_view blob, std::vector<BlobEntry>* out);
// Parses a whole ziplist (RDB_TYPE_*_ZIPLIST of RDB versions before 10).
bool ParseZiplist(std::string_view blob, std::vector<BlobEntry>* out);

// An intset of sorted distinct values, `width` bytes each (2, 4 or 8: at least what the
// values need; Redis never narrows an intset after a wide value has left it).
std::string EncodeIntset(std::span<const int64_t> sorted, int width);
// The narrowest intset width holding v.
int IntsetWidthFor(int64_t v);
// Parses an intset; false unless it is well formed with ascending distinct values.
bool ParseIntset(std::string_view blob, std::vector<int64_t>* out);

}  // namespace kvgate::rdb
