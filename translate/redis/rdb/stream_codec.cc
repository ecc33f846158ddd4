// File: translate/redis/rdb/stream_codec.cc
// Stream payloads (stream_codec.h), as t_stream.c lays out its listpacks and rdb.c saves them.
#include "translate/redis/rdb/stream_codec.h"

#include <set>
#include <string_view>
#include <utility>

#include "engine/collections/stream_groups.h"
#include "engine/collections/stream_lag.h"
#include "protocols/rdb/listpack.h"

namespace kvgate::redis {
namespace {

using engine::StreamEntry;
using engine::StreamId;
using engine::StreamValue;

constexpr int64_t kFlagDeleted = 1;
constexpr int64_t kFlagSameFields = 2;

bool SameFields(const StreamEntry& e, std::span<const std::string> master) {
  if (e.pairs != master.size()) return false;
  size_t i = 0;
  bool same = true;
  e.ForEach([&](std::string_view f, std::string_view) { same = same && f == master[i++]; });
  return same;
}

StreamId DecodeNodeKey(std::string_view k) {
  StreamId id;
  for (size_t b = 0; b < 8; ++b) {
    id.ms = id.ms << 8 | static_cast<uint8_t>(k[b]);
    id.seq = id.seq << 8 | static_cast<uint8_t>(k[8 + b]);
  }
  return id;
}

// A listpack cursor that fails past the end or on a string where an integer belongs.
struct Cursor {
  const std::vector<rdb::BlobEntry>& e;
  size_t i = 0;
  bool Int(int64_t* out) {
    if (i >= e.size() || !e[i].is_int) return false;
    *out = e[i++].value;
    return true;
  }
  bool Str(std::string* out) {
    if (i >= e.size()) return false;
    *out = e[i++].String();
    return true;
  }
};

// One node's entries appended to `s` (its first opening a node); deleted ones are deleted
// after. False on any inconsistency.
bool DecodeNode(std::string_view key, std::string_view blob, StreamValue* s) {
  std::vector<rdb::BlobEntry> entries;
  if (key.size() != 16 || !rdb::ParseListpack(blob, &entries)) return false;
  const StreamId master = DecodeNodeKey(key);
  Cursor c{entries};
  int64_t live = 0, deleted = 0, nmaster = 0, zero = -1;
  if (!c.Int(&live) || !c.Int(&deleted) || !c.Int(&nmaster) || live <= 0 || deleted < 0 ||
      nmaster < 0 || static_cast<size_t>(nmaster) > entries.size()) {
    return false;
  }
  std::vector<std::string> fields(static_cast<size_t>(nmaster));
  for (std::string& f : fields) {
    if (!c.Str(&f)) return false;
  }
  if (!c.Int(&zero) || zero != 0) return false;
  std::vector<StreamId> to_delete;
  int64_t seen = 0;
  while (c.i < entries.size()) {
    int64_t flags = 0, dms = 0, dseq = 0, n = nmaster, pieces = 0;
    if (!c.Int(&flags) || !c.Int(&dms) || !c.Int(&dseq)) return false;
    const bool same = (flags & kFlagSameFields) != 0;
    if (!same && (!c.Int(&n) || n < 0 || static_cast<size_t>(n) > entries.size())) return false;
    std::vector<std::string> fv(static_cast<size_t>(n) * 2);
    for (size_t k = 0; k < static_cast<size_t>(n); ++k) {
      if (same) {
        fv[2 * k] = fields[k];
      } else if (!c.Str(&fv[2 * k])) {
        return false;
      }
      if (!c.Str(&fv[2 * k + 1])) return false;
    }
    if (!c.Int(&pieces) || pieces != n + 3 + (same ? 0 : n + 1)) return false;
    const StreamId id{master.ms + static_cast<uint64_t>(dms),
                      master.seq + static_cast<uint64_t>(dseq)};
    if (s->entries_added() > 0 && id <= s->last_id()) return false;
    std::vector<std::string_view> views(fv.begin(), fv.end());
    s->Append(id, views, seen == 0);
    if (seen == 0 && id != master) return false;
    if ((flags & kFlagDeleted) != 0) to_delete.push_back(id);
    ++seen;
  }
  if (seen != live + deleted || static_cast<int64_t>(to_delete.size()) != deleted) return false;
  for (StreamId id : to_delete) s->Delete(id);
  return true;
}

}  // namespace

std::string StreamNodeKey(StreamId id) {
  std::string k(16, '\0');
  for (size_t b = 0; b < 8; ++b) {
    k[b] = static_cast<char>(id.ms >> (56 - 8 * b));
    k[8 + b] = static_cast<char>(id.seq >> (56 - 8 * b));
  }
  return k;
}

std::string StreamNodeListpack(const StreamValue& s, size_t i) {
  const engine::StreamNodeView node = s.NodeAt(i);
  rdb::ListpackBuilder lp;
  lp.AppendInteger(node.live);
  lp.AppendInteger(node.deleted);
  lp.AppendInteger(static_cast<int64_t>(node.master_fields.size()));
  for (const std::string& f : node.master_fields) lp.Append(f);
  lp.AppendInteger(0);
  s.NodeEntries(i, [&](const StreamEntry& e, bool deleted) {
    const bool same = SameFields(e, node.master_fields);
    lp.AppendInteger((deleted ? kFlagDeleted : 0) | (same ? kFlagSameFields : 0));
    lp.AppendInteger(static_cast<int64_t>(e.id.ms - node.master.ms));
    lp.AppendInteger(static_cast<int64_t>(e.id.seq - node.master.seq));
    const auto n = static_cast<int64_t>(e.pairs);
    if (!same) lp.AppendInteger(n);
    e.ForEach([&](std::string_view f, std::string_view v) {
      if (!same) lp.Append(f);
      lp.Append(v);
    });
    lp.AppendInteger(n + 3 + (same ? 0 : n + 1));
  });
  return lp.Finish();
}

// One node per prefix that is the root, a key, a branching point or a child of one: the runs
// between them are compressed into one node each, as rax.c does.
uint64_t StreamRaxNodes(const StreamValue& s) {
  std::set<std::string> starts = {std::string()};
  std::string prev;
  for (size_t i = 0; i < s.node_count(); ++i) {
    std::string key = StreamNodeKey(s.NodeAt(i).master);
    if (i > 0) {
      size_t lcp = 0;
      while (lcp < key.size() && key[lcp] == prev[lcp]) ++lcp;
      starts.insert(key.substr(0, lcp));
      starts.insert(prev.substr(0, lcp + 1));
      starts.insert(key.substr(0, lcp + 1));
    }
    starts.insert(key);
    prev = std::move(key);
  }
  return starts.size();
}

namespace {

// A PEL ID as the radix tree keys it: 128 bits, big endian.
void AppendRawId(std::string* out, StreamId id) {
  out->append(StreamNodeKey(id));
}

// rdbSaveObject's groups: name, last ID, entries_read (-1 as the 64-bit length it casts to),
// the PEL with delivery times and counts, then each consumer with its seen time and its IDs.
void EncodeGroups(const engine::StreamGroups& groups, std::string* out) {
  rdb::AppendLen(out, groups.size());
  for (const auto& [name, g] : groups.all()) {
    rdb::AppendString(out, name);
    rdb::AppendLen(out, g.last_id().ms);
    rdb::AppendLen(out, g.last_id().seq);
    rdb::AppendLen(out, static_cast<uint64_t>(g.entries_read()));
    rdb::AppendLen(out, g.pel().size());
    for (const auto& [id, nack] : g.pel()) {
      AppendRawId(out, id);
      rdb::AppendMillisecondTime(out, nack.delivery_time_ms);
      rdb::AppendLen(out, nack.delivery_count);
    }
    rdb::AppendLen(out, g.consumers().size());
    for (const auto& [cname, c] : g.consumers()) {
      rdb::AppendString(out, cname);
      rdb::AppendMillisecondTime(out, c.seen_time_ms);
      rdb::AppendLen(out, c.pel.size());
      for (StreamId id : c.pel) AppendRawId(out, id);
    }
  }
}

// rdbLoadObject's groups. Stricter than Redis where Redis would keep an inconsistent group:
// every pending entry must belong to exactly one consumer (Redis checks that only with deep
// sanitization, and lets a second consumer take an entry silently).
bool DecodeGroups(rdb::Reader& r, uint8_t type, StreamValue* out) {
  uint64_t count = 0;
  if (!r.LoadLen(&count)) return false;
  std::string name;
  for (uint64_t gi = 0; gi < count; ++gi) {
    StreamId last;
    if (!r.LoadString(&name) || !r.LoadLen(&last.ms) || !r.LoadLen(&last.seq)) return false;
    int64_t entries_read = engine::kInvalidEntriesRead;
    if (type == rdb::kTypeStreamListpacks2) {
      uint64_t raw = 0;
      if (!r.LoadLen(&raw)) return false;
      entries_read = static_cast<int64_t>(raw);
      if (entries_read < engine::kInvalidEntriesRead) return false;
    } else {
      entries_read = engine::StreamDistanceFromFirstEver(*out, last);
    }
    engine::StreamGroup* g = out->groups().Create(name, last, entries_read);
    if (g == nullptr) return false;  // a duplicated group name
    uint64_t pel = 0;
    if (!r.LoadLen(&pel)) return false;
    for (uint64_t i = 0; i < pel; ++i) {
      std::string_view raw;
      engine::StreamNack nack;
      if (!r.LoadRaw(16, &raw) || !r.LoadMillisecondTime(&nack.delivery_time_ms) ||
          !r.LoadLen(&nack.delivery_count)) {
        return false;
      }
      if (!g->pel_for_load().emplace(DecodeNodeKey(raw), std::move(nack)).second) return false;
    }
    uint64_t consumers = 0;
    if (!r.LoadLen(&consumers)) return false;
    std::set<StreamId> owned;
    for (uint64_t ci = 0; ci < consumers; ++ci) {
      int64_t seen = 0;
      if (!r.LoadString(&name) || !r.LoadMillisecondTime(&seen)) return false;
      auto [c, created] = g->LookupOrCreate(name, seen);
      if (!created) return false;  // a duplicated consumer
      uint64_t ids = 0;
      if (!r.LoadLen(&ids)) return false;
      for (uint64_t i = 0; i < ids; ++i) {
        std::string_view raw;
        if (!r.LoadRaw(16, &raw)) return false;
        const StreamId id = DecodeNodeKey(raw);
        engine::StreamNack* nack = g->Pending(id);
        if (nack == nullptr || !owned.insert(id).second) return false;
        c->pel.insert(id);
        nack->consumer = name;
      }
    }
    if (owned.size() != g->pel().size()) return false;  // a pending entry without a consumer
  }
  return true;
}

}  // namespace

void EncodeStream(const StreamValue& s, std::string* out) {
  out->push_back(static_cast<char>(rdb::kTypeStreamListpacks2));
  rdb::AppendLen(out, s.node_count());
  for (size_t i = 0; i < s.node_count(); ++i) {
    rdb::AppendString(out, StreamNodeKey(s.NodeAt(i).master));
    rdb::AppendString(out, StreamNodeListpack(s, i));
  }
  rdb::AppendLen(out, s.size());
  for (StreamId id : {s.last_id(), s.first_id(), s.max_deleted_id()}) {
    rdb::AppendLen(out, id.ms);
    rdb::AppendLen(out, id.seq);
  }
  rdb::AppendLen(out, s.entries_added());
  EncodeGroups(s.groups(), out);
}

bool DecodeStream(rdb::Reader& r, uint8_t type, StreamValue* out) {
  uint64_t nodes = 0;
  if (!r.LoadLen(&nodes)) return false;
  std::string key, blob;
  for (uint64_t i = 0; i < nodes; ++i) {
    if (!r.LoadString(&key) || !r.LoadString(&blob) || !DecodeNode(key, blob, out)) return false;
  }
  uint64_t length = 0;
  StreamId last, first, max_deleted;
  if (!r.LoadLen(&length) || !r.LoadLen(&last.ms) || !r.LoadLen(&last.seq)) return false;
  uint64_t added = length;
  engine::StreamEntry e;
  if (out->First(&e)) first = e.id;
  if (type == rdb::kTypeStreamListpacks2 &&
      (!r.LoadLen(&first.ms) || !r.LoadLen(&first.seq) || !r.LoadLen(&max_deleted.ms) ||
       !r.LoadLen(&max_deleted.seq) || !r.LoadLen(&added))) {
    return false;
  }
  if (length != out->size()) return false;
  if (out->Last(&e) && last < e.id) return false;
  out->SetLastId(last);
  out->SetFirstId(first);
  out->SetMaxDeletedId(max_deleted);
  out->SetEntriesAdded(added);
  return DecodeGroups(r, type, out);
}

}  // namespace kvgate::redis
