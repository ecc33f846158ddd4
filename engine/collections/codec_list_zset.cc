// File: engine/collections/codec_list_zset.cc
// Lists and sorted sets as bytes (engine/collection_codec.h; the format is in
// collection_codec.cc). A list is its elements head to tail (every list reports "quicklist");
// a sorted set its members in order with their scores' exact bits and its listpack/skiplist
// label.
#include <cmath>
#include <cstdint>

#include "engine/collections/list_value.h"
#include "engine/collections/zset_value.h"
#include "engine/detail/codec.h"

namespace kvgate::engine::detail {
namespace {

constexpr uint8_t kZSetListpack = 1;

}  // namespace

void EncodeList(const ListValue& l, std::string* out) {
  PutVarint(out, l.size());
  l.Walk(0, true, [&](std::string_view e) {
    PutString(out, e);
    return true;
  });
}

std::unique_ptr<ListValue> DecodeList(Reader& r) {
  uint64_t n = 0;
  if (!r.Count(&n, 1)) return nullptr;
  auto l = std::make_unique<ListValue>();
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view e;
    if (!r.String(&e)) return nullptr;
    l->PushBack(e);
  }
  return l;
}

void EncodeZSet(const ZSetValue& z, std::string* out) {
  PutByte(out, z.listpack() ? kZSetListpack : 0);
  PutVarint(out, z.size());
  for (const ZSetValue::Node* n = z.First(); n != nullptr; n = ZSetValue::Next(n)) {
    PutString(out, ZSetValue::MemberOf(n));
    PutDouble(out, ZSetValue::ScoreOf(n));
  }
}

std::unique_ptr<ZSetValue> DecodeZSet(Reader& r) {
  uint8_t flags = 0;
  uint64_t n = 0;
  if (!r.Byte(&flags) || (flags & ~kZSetListpack) != 0 || !r.Count(&n, 9)) return nullptr;
  auto z = std::make_unique<ZSetValue>();
  z->set_listpack((flags & kZSetListpack) != 0);
  std::string_view prev_member;
  double prev_score = 0;
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view m;
    double score = 0;
    if (!r.String(&m) || !r.Double(&score) || std::isnan(score)) return nullptr;
    // The skiplist's order, strictly: a member out of place or repeated was not written so.
    // -0.0 and 0.0 compare equal there, so their members decide, as in the skiplist.
    if (i > 0 && !(prev_score < score || (prev_score == score && prev_member < m))) {
      return nullptr;
    }
    if (!z->Set(m, score)) return nullptr;  // a member twice, at scores apart
    prev_member = m;
    prev_score = score;
  }
  return z;
}

}  // namespace kvgate::engine::detail
