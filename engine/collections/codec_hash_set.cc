// File: engine/collections/codec_hash_set.cc
// Hashes and sets as bytes (engine/collection_codec.h; the format is in collection_codec.cc).
// A hash keeps its insertion order and its listpack/hashtable label; a set its encoding: an
// intset with its width, or a hashtable in insertion order (what SMEMBERS and SSCAN show).
#include <charconv>
#include <cstddef>
#include <cstdint>

#include "engine/collections/hash_value.h"
#include "engine/collections/set_value.h"
#include "engine/detail/codec.h"

namespace kvgate::engine::detail {
namespace {

constexpr uint8_t kHashListpack = 1;
constexpr uint8_t kSetIntset = 0;
constexpr uint8_t kSetHashtable = 1;

}  // namespace

void EncodeHash(const HashValue& h, std::string* out) {
  PutByte(out, h.listpack() ? kHashListpack : 0);
  PutVarint(out, h.size());
  h.table().ForEach([&](std::string_view f, std::string_view v) {
    PutString(out, f);
    PutString(out, v);
  });
}

std::unique_ptr<HashValue> DecodeHash(Reader& r) {
  uint8_t flags = 0;
  uint64_t n = 0;
  if (!r.Byte(&flags) || (flags & ~kHashListpack) != 0 || !r.Count(&n, 2)) return nullptr;
  auto h = std::make_unique<HashValue>();
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view f, v;
    if (!r.String(&f) || !r.String(&v) || !h->table().Insert(f, v)) return nullptr;
  }
  // The label only ever goes from listpack to hashtable: a write over a zero value limit
  // takes it there, whatever the contents.
  if ((flags & kHashListpack) == 0) h->NoteWrite("-", {}, SIZE_MAX, 0);
  return h;
}

void EncodeSet(const SetValue& s, std::string* out) {
  if (s.intset()) {
    PutByte(out, kSetIntset);
    PutByte(out, static_cast<uint8_t>(s.intset_width()));
    PutVarint(out, s.ints().size());
    for (int64_t v : s.ints()) PutSigned(out, v);
    return;
  }
  PutByte(out, kSetHashtable);
  PutVarint(out, s.size());
  s.ForEach([&](std::string_view m) { PutString(out, m); });
}

namespace {

std::unique_ptr<SetValue> DecodeIntset(Reader& r) {
  uint8_t width = 0;
  uint64_t n = 0;
  if (!r.Byte(&width) || (width != 2 && width != 4 && width != 8) || !r.Count(&n, 1)) {
    return nullptr;
  }
  auto s = std::make_unique<SetValue>();
  char buf[24];
  int64_t prev = 0;
  for (uint64_t i = 0; i < n; ++i) {
    int64_t v = 0;
    if (!r.Signed(&v) || (i > 0 && v <= prev)) return nullptr;  // ascending, distinct
    const auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
    s->Add(std::string_view(buf, static_cast<size_t>(end - buf)), SIZE_MAX);
    prev = v;
  }
  s->set_intset_width(width);
  // Still an intset (Redis caps one at 2^30 members), at the width written: no narrower than
  // its members need, since Redis never narrows one.
  if (!s->intset() || s->intset_width() != width) return nullptr;
  return s;
}

std::unique_ptr<SetValue> DecodeHashtableSet(Reader& r) {
  uint64_t n = 0;
  if (!r.Count(&n, 1)) return nullptr;
  auto s = std::make_unique<SetValue>();
  // An intset limit of 0 converts on the first add, integer or not; members keep their order.
  std::string_view m;
  if (n == 0) {  // a hashtable that lost its members: one comes and goes
    s->Add("0", 0);
    s->Remove("0");
  }
  for (uint64_t i = 0; i < n; ++i) {
    if (!r.String(&m) || !s->Add(m, 0)) return nullptr;  // a repeated member
  }
  return s;
}

}  // namespace

std::unique_ptr<SetValue> DecodeSet(Reader& r) {
  uint8_t encoding = 0;
  if (!r.Byte(&encoding)) return nullptr;
  if (encoding == kSetIntset) return DecodeIntset(r);
  if (encoding == kSetHashtable) return DecodeHashtableSet(r);
  return nullptr;
}

}  // namespace kvgate::engine::detail
