// File: engine/collection_codec.cc
// The collection codec's entry points (collection_codec.h): the version byte and the dispatch
// to the per-type codecs (collections/codec_*.cc). The format, version 1:
//
//   value    := u8 version (1), payload of the type, nothing after it
//   varint   := LEB128, minimal, at most 64 bits;  signed := zigzag varint
//   str      := varint length, bytes;  f64 := the IEEE-754 bits, 8 bytes little endian
//   id       := varint ms, varint seq
//   id-after := varint (ms - previous ms), varint seq   (strictly ascending runs)
//   hash     := u8 flags (1: listpack label), varint n, n x (str field, str value), in order
//   set      := u8 0 (intset), u8 width (2|4|8), varint n, n x signed, ascending
//             | u8 1 (hashtable), varint n, n x str, in insertion order
//   list     := varint n, n x str, head to tail
//   zset     := u8 flags (1: listpack label), varint n, n x (str member, f64 score), in
//               (score, member) order; no NaN
//   stream   := varint nodes, nodes x node, id last, id first, id max-deleted,
//               varint entries-added, varint groups, groups x group
//   node     := varint n (> 0), n x entry (the first opens the node, the rest must fit it)
//   entry    := u8 flags (1: deleted, 2: same fields as the node's first entry), id-after,
//               [varint pairs, pairs x str field unless 2], pairs x str value
//   group    := str name, id last, varint (entries_read + 1), varint consumers,
//               consumers x (str name, signed seen-ms), varint pending, pending x nack
//   nack     := id-after, signed delivery-ms, varint count, varint consumer index
//               (== consumers: a consumer that does not exist, str name follows)
//
// Names (groups, consumers) are ascending bytewise, as the maps iterate. A consumer's own PEL
// is the set of NACKs naming it, so it is rebuilt from them, not stored twice.
#include "engine/collection_codec.h"

#include "engine/collections/hash_value.h"
#include "engine/collections/list_value.h"
#include "engine/collections/set_value.h"
#include "engine/collections/stream_value.h"
#include "engine/collections/zset_value.h"
#include "engine/detail/codec.h"

namespace kvgate::engine {
namespace {

constexpr uint8_t kFormatVersion = 1;

}  // namespace

void EncodeCollection(const Collection& c, std::string* out) {
  detail::PutByte(out, kFormatVersion);
  switch (c.type()) {
    case ValueType::kHash:
      return detail::EncodeHash(static_cast<const HashValue&>(c), out);
    case ValueType::kSet:
      return detail::EncodeSet(static_cast<const SetValue&>(c), out);
    case ValueType::kList:
      return detail::EncodeList(static_cast<const ListValue&>(c), out);
    case ValueType::kZSet:
      return detail::EncodeZSet(static_cast<const ZSetValue&>(c), out);
    case ValueType::kStream:
      return detail::EncodeStream(static_cast<const StreamValue&>(c), out);
    case ValueType::kString:
      break;  // not a collection: nothing a Collection can be
  }
}

std::unique_ptr<Collection> DecodeCollection(ValueType type, std::string_view bytes) {
  detail::Reader r(bytes);
  uint8_t version = 0;
  if (!r.Byte(&version) || version != kFormatVersion) return nullptr;
  std::unique_ptr<Collection> c;
  switch (type) {
    case ValueType::kHash:
      c = detail::DecodeHash(r);
      break;
    case ValueType::kSet:
      c = detail::DecodeSet(r);
      break;
    case ValueType::kList:
      c = detail::DecodeList(r);
      break;
    case ValueType::kZSet:
      c = detail::DecodeZSet(r);
      break;
    case ValueType::kStream:
      c = detail::DecodeStream(r);
      break;
    case ValueType::kString:
      break;
  }
  if (c == nullptr || !r.done()) return nullptr;  // trailing bytes: not what was written
  return c;
}

}  // namespace kvgate::engine
