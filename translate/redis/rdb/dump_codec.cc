// File: translate/redis/rdb/dump_codec.cc
// DUMP payload encoding and decoding of engine values (dump_codec.h).
#include "translate/redis/rdb/dump_codec.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <memory>
#include <vector>

#include "engine/collections/hash_value.h"
#include "engine/collections/list_value.h"
#include "engine/collections/set_value.h"
#include "engine/collections/zset_value.h"
#include "protocols/rdb/listpack.h"
#include "protocols/rdb/rdb_format.h"
#include "translate/redis/rdb/stream_codec.h"

namespace kvgate::redis {
namespace {

using engine::HashValue;
using engine::ListValue;
using engine::SetValue;
using engine::ZSetValue;

// A listpack zset score as zzlInsertAt stores it: an integer when double2ll takes it, else
// d2string's "%.17g" ("inf", "-inf").
void AppendScore(rdb::ListpackBuilder* lp, double score) {
  constexpr double kHalf = static_cast<double>(std::numeric_limits<long long>::max() / 2);
  if (score >= -kHalf && score <= kHalf) {
    const auto ll = static_cast<long long>(score);
    if (static_cast<double>(ll) == score) return lp->AppendInteger(ll);
  }
  char buf[32];
  int n = 0;
  if (std::isinf(score)) {
    n = std::snprintf(buf, sizeof(buf), "%s", score < 0 ? "-inf" : "inf");
  } else {
    n = std::snprintf(buf, sizeof(buf), "%.17g", score);
  }
  lp->Append(std::string_view(buf, static_cast<size_t>(n)));
}

void EncodeHash(const HashValue& h, std::string* out) {
  if (h.listpack()) {
    out->push_back(static_cast<char>(rdb::kTypeHashListpack));
    return rdb::AppendString(out, HashListpack(h));
  }
  out->push_back(static_cast<char>(rdb::kTypeHash));
  rdb::AppendLen(out, h.size());
  h.table().ForEach([&](std::string_view f, std::string_view v) {
    rdb::AppendString(out, f);
    rdb::AppendString(out, v);
  });
}

void EncodeSet(const SetValue& s, std::string* out) {
  if (s.intset()) {
    out->push_back(static_cast<char>(rdb::kTypeSetIntset));
    return rdb::AppendString(out, rdb::EncodeIntset(s.ints(), s.intset_width()));
  }
  out->push_back(static_cast<char>(rdb::kTypeSet));
  rdb::AppendLen(out, s.size());
  s.ForEach([&](std::string_view m) { rdb::AppendString(out, m); });
}

void EncodeZSet(const ZSetValue& z, std::string* out) {
  if (z.listpack()) {
    out->push_back(static_cast<char>(rdb::kTypeZSetListpack));
    return rdb::AppendString(out, ZSetListpack(z));
  }
  // Redis writes a skiplist from the greatest member down (its load then prepends).
  out->push_back(static_cast<char>(rdb::kTypeZSet2));
  rdb::AppendLen(out, z.size());
  for (const auto* n = z.Last(); n != nullptr; n = ZSetValue::Prev(n)) {
    rdb::AppendString(out, ZSetValue::MemberOf(n));
    rdb::AppendBinaryDouble(out, ZSetValue::ScoreOf(n));
  }
}

// ---- decoding ----

// A count read from the payload: each element takes at least one byte, so a count larger
// than the bytes left is malformed (and is never used to reserve memory).
bool LoadCount(rdb::Reader& r, uint64_t* n) {
  return r.LoadLen(n) && *n > 0 && *n <= r.remaining();
}

bool DecodeHashPairs(rdb::Reader& r, const CollectionLimits& lim, HashValue* h) {
  uint64_t n = 0;
  if (!LoadCount(r, &n)) return false;
  std::string f;
  std::string v;
  for (uint64_t i = 0; i < n; ++i) {
    if (!r.LoadString(&f) || !r.LoadString(&v)) return false;
    if (!h->table().Set(f, v)) return false;  // duplicate field
    h->NoteWrite(f, v, lim.hash_max_listpack_entries, lim.hash_max_listpack_value);
  }
  return true;
}

// Hash listpack / ziplist blobs: field, value pairs; only the count decides the label.
bool DecodeHashBlob(const std::vector<rdb::BlobEntry>& e, const CollectionLimits& lim,
                    HashValue* h) {
  if (e.empty() || e.size() % 2 != 0) return false;
  for (size_t i = 0; i < e.size(); i += 2) {
    const std::string f = e[i].String();
    if (!h->table().Set(f, e[i + 1].String())) return false;
  }
  h->NoteWrite({}, {}, lim.hash_max_listpack_entries, std::numeric_limits<size_t>::max());
  return true;
}

bool DecodeSetMembers(rdb::Reader& r, const CollectionLimits& lim, SetValue* s) {
  uint64_t n = 0;
  if (!LoadCount(r, &n)) return false;
  // Redis makes a set of more than set-max-intset-entries a hashtable at once, so its order
  // is the payload's (cap 0: the first member converts).
  const size_t cap = n > lim.set_max_intset_entries ? 0 : lim.set_max_intset_entries;
  std::string m;
  for (uint64_t i = 0; i < n; ++i) {
    if (!r.LoadString(&m)) return false;
    if (!s->Add(m, cap)) return false;  // duplicate
  }
  return true;
}

bool DecodeIntset(std::string_view blob, const CollectionLimits& lim, SetValue* s) {
  std::vector<int64_t> ints;
  if (!rdb::ParseIntset(blob, &ints) || ints.empty()) return false;
  char buf[24];
  for (int64_t v : ints) {  // past set-max-intset-entries Add makes it a hashtable, as Redis
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
    s->Add(std::string_view(buf, static_cast<size_t>(end - buf)), lim.set_max_intset_entries);
  }
  s->set_intset_width(static_cast<uint8_t>(blob[0]));  // 2, 4 or 8 (ParseIntset checked)
  return true;
}

bool DecodeZSetPairs(rdb::Reader& r, bool binary, const CollectionLimits& lim, ZSetValue* z) {
  uint64_t n = 0;
  if (!LoadCount(r, &n)) return false;
  std::string m;
  for (uint64_t i = 0; i < n; ++i) {
    double score = 0;
    if (!r.LoadString(&m)) return false;
    if (!(binary ? r.LoadBinaryDouble(&score) : r.LoadTextDouble(&score))) return false;
    if (std::isnan(score) || !z->Set(m, score)) return false;
    z->NoteWrite(m, lim.zset_max_listpack_entries, lim.zset_max_listpack_value);
  }
  if (z->listpack()) z->ClearNegativeZeros();
  return true;
}

bool ParseBlobScore(const rdb::BlobEntry& e, double* out) {
  if (e.is_int) {
    *out = static_cast<double>(e.value);
    return true;
  }
  const std::string text(e.bytes);
  char* end = nullptr;
  *out = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size() && !std::isnan(*out);
}

bool DecodeZSetBlob(const std::vector<rdb::BlobEntry>& e, const CollectionLimits& lim,
                    ZSetValue* z) {
  if (e.empty() || e.size() % 2 != 0) return false;
  for (size_t i = 0; i < e.size(); i += 2) {
    double score = 0;
    if (!ParseBlobScore(e[i + 1], &score) || !z->Set(e[i].String(), score)) return false;
  }
  z->NoteWrite({}, lim.zset_max_listpack_entries, std::numeric_limits<size_t>::max());
  if (z->listpack()) z->ClearNegativeZeros();
  return true;
}

// Redis's QUICKLIST_NODE_CONTAINER_PLAIN (one element) and _PACKED (a listpack).
constexpr uint64_t kNodePlain = 1;
constexpr uint64_t kNodePacked = 2;

void AppendEntries(const std::vector<rdb::BlobEntry>& e, ListValue* l) {
  for (const rdb::BlobEntry& x : e) l->PushBack(x.String());
}

// RDB_TYPE_LIST (strings), _LIST_ZIPLIST (one ziplist), _LIST_QUICKLIST (ziplist nodes) and
// _LIST_QUICKLIST_2 (plain or listpack nodes). Empty nodes are skipped, as Redis does; an empty
// list is bad data.
bool DecodeList(rdb::Reader& r, uint8_t type, ListValue* l) {
  std::string blob;
  std::vector<rdb::BlobEntry> entries;
  if (type == rdb::kTypeListZiplist) {
    if (!r.LoadString(&blob) || !rdb::ParseZiplist(blob, &entries)) return false;
    AppendEntries(entries, l);
    return l->size() > 0;
  }
  uint64_t n = 0;
  if (!LoadCount(r, &n)) return false;
  for (uint64_t i = 0; i < n; ++i) {
    if (type == rdb::kTypeList) {
      if (!r.LoadString(&blob)) return false;
      l->PushBack(blob);
      continue;
    }
    uint64_t container = kNodePacked;
    if (type == rdb::kTypeListQuicklist2 && !r.LoadLen(&container)) return false;
    if (container != kNodePlain && container != kNodePacked) return false;
    if (!r.LoadString(&blob)) return false;
    if (container == kNodePlain) {
      l->PushBack(blob);
      continue;
    }
    entries.clear();
    const bool ok = type == rdb::kTypeListQuicklist ? rdb::ParseZiplist(blob, &entries)
                                                    : rdb::ParseListpack(blob, &entries);
    if (!ok) return false;
    AppendEntries(entries, l);
  }
  return l->size() > 0;
}

template <typename T>
std::unique_ptr<T> Make() {
  return std::make_unique<T>();
}

}  // namespace

std::string HashListpack(const HashValue& h) {
  rdb::ListpackBuilder lp;
  h.table().ForEach([&](std::string_view f, std::string_view v) {
    lp.Append(f);
    lp.Append(v);
  });
  return lp.Finish();
}

std::string ZSetListpack(const ZSetValue& z) {
  rdb::ListpackBuilder lp;
  for (const auto* n = z.First(); n != nullptr; n = ZSetValue::Next(n)) {
    lp.Append(ZSetValue::MemberOf(n));
    AppendScore(&lp, ZSetValue::ScoreOf(n));
  }
  return lp.Finish();
}

std::vector<std::string> ListNodes(const ListValue& l) {
  constexpr size_t kNodeBytes = 8192;  // list-max-listpack-size -2
  constexpr size_t kEstimateOverhead = 8;
  std::vector<std::string> nodes;
  rdb::ListpackBuilder lp;
  size_t count = 0;
  l.Walk(0, true, [&](std::string_view v) {
    if (count > 0 && lp.size() + v.size() + kEstimateOverhead > kNodeBytes) {
      nodes.push_back(lp.Finish());
      lp = rdb::ListpackBuilder();
      count = 0;
    }
    lp.Append(v);
    ++count;
    return true;
  });
  if (count > 0) nodes.push_back(lp.Finish());
  return nodes;
}

std::string EncodeDump(const engine::EntryView& e) {
  std::string out;
  switch (e.type) {
    case engine::ValueType::kString:
      out.push_back(static_cast<char>(rdb::kTypeString));
      rdb::AppendString(&out, e.value);
      break;
    case engine::ValueType::kHash:
      EncodeHash(static_cast<const HashValue&>(*e.object), &out);
      break;
    case engine::ValueType::kSet:
      EncodeSet(static_cast<const SetValue&>(*e.object), &out);
      break;
    case engine::ValueType::kZSet:
      EncodeZSet(static_cast<const ZSetValue&>(*e.object), &out);
      break;
    case engine::ValueType::kList: {
      const std::vector<std::string> nodes = ListNodes(static_cast<const ListValue&>(*e.object));
      out.push_back(static_cast<char>(rdb::kTypeListQuicklist2));
      rdb::AppendLen(&out, nodes.size());
      for (const std::string& node : nodes) {
        rdb::AppendLen(&out, kNodePacked);
        rdb::AppendString(&out, node);
      }
      break;
    }
    case engine::ValueType::kStream:
      EncodeStream(static_cast<const engine::StreamValue&>(*e.object), &out);
      break;
  }
  rdb::AppendFooter(&out);
  return out;
}

bool DecodeDump(std::string_view body, const CollectionLimits& lim, DecodedValue* out) {
  rdb::Reader r(body);
  uint8_t type = 0;
  if (!r.LoadByte(&type)) return false;
  std::string blob;
  std::vector<rdb::BlobEntry> entries;
  const bool blob_type = type == rdb::kTypeHashListpack || type == rdb::kTypeHashZiplist ||
                         type == rdb::kTypeSetIntset || type == rdb::kTypeZSetListpack ||
                         type == rdb::kTypeZSetZiplist;
  if (blob_type && !r.LoadString(&blob)) return false;
  const bool lp = type == rdb::kTypeHashListpack || type == rdb::kTypeZSetListpack;
  const bool zl = type == rdb::kTypeHashZiplist || type == rdb::kTypeZSetZiplist;
  if (lp && !rdb::ParseListpack(blob, &entries)) return false;
  if (zl && !rdb::ParseZiplist(blob, &entries)) return false;
  switch (type) {
    case rdb::kTypeString:
      out->type = engine::ValueType::kString;
      return r.LoadString(&out->bytes);
    case rdb::kTypeHash:
    case rdb::kTypeHashListpack:
    case rdb::kTypeHashZiplist: {
      auto h = Make<HashValue>();
      const bool ok = type == rdb::kTypeHash ? DecodeHashPairs(r, lim, h.get())
                                             : DecodeHashBlob(entries, lim, h.get());
      if (!ok) return false;
      out->type = engine::ValueType::kHash;
      out->object = engine::CollectionRef(std::move(h));
      return true;
    }
    case rdb::kTypeSet:
    case rdb::kTypeSetIntset: {
      auto s = Make<SetValue>();
      const bool ok = type == rdb::kTypeSet ? DecodeSetMembers(r, lim, s.get())
                                            : DecodeIntset(blob, lim, s.get());
      if (!ok) return false;
      out->type = engine::ValueType::kSet;
      out->object = engine::CollectionRef(std::move(s));
      return true;
    }
    case rdb::kTypeZSet:
    case rdb::kTypeZSet2:
    case rdb::kTypeZSetListpack:
    case rdb::kTypeZSetZiplist: {
      auto z = Make<ZSetValue>();
      const bool ok = blob_type ? DecodeZSetBlob(entries, lim, z.get())
                                : DecodeZSetPairs(r, type == rdb::kTypeZSet2, lim, z.get());
      if (!ok) return false;
      out->type = engine::ValueType::kZSet;
      out->object = engine::CollectionRef(std::move(z));
      return true;
    }
    case rdb::kTypeList:
    case rdb::kTypeListZiplist:
    case rdb::kTypeListQuicklist:
    case rdb::kTypeListQuicklist2: {
      auto l = Make<ListValue>();
      if (!DecodeList(r, type, l.get())) return false;
      out->type = engine::ValueType::kList;
      out->object = engine::CollectionRef(std::move(l));
      return true;
    }
    case rdb::kTypeStreamListpacks:
    case rdb::kTypeStreamListpacks2: {
      auto st = Make<engine::StreamValue>();
      if (!DecodeStream(r, type, st.get())) return false;
      out->type = engine::ValueType::kStream;
      out->object = engine::CollectionRef(std::move(st));
      return true;
    }
    default:
      return false;  // zipmap hashes, streams with consumer groups, modules
  }
}

}  // namespace kvgate::redis
