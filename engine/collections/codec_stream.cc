// File: engine/collections/codec_stream.cc
// Streams as bytes (engine/collection_codec.h; the format is in collection_codec.cc): every
// node with its entries, deleted ones included, so the node boundaries `~` trims, XINFO and
// MEMORY USAGE see come back where they were; the stream's IDs and counters; the consumer
// groups with their PELs and consumers.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/collections/stream_groups.h"
#include "engine/collections/stream_value.h"
#include "engine/detail/codec.h"

namespace kvgate::engine::detail {
namespace {

constexpr uint8_t kEntryDeleted = 1;
constexpr uint8_t kEntrySameFields = 2;  // the fields of the node's first entry: values only

// Smallest encodings, to refuse counts the bytes left cannot hold.
constexpr size_t kMinEntry = 3;  // flags, ms delta, seq (same fields, none of them)
constexpr size_t kMinNode = 1 + kMinEntry;
constexpr size_t kMinGroup = 6;     // name, last ID, entries_read, consumers, pending
constexpr size_t kMinConsumer = 2;  // name, seen time
constexpr size_t kMinNack = 5;      // ID, time, count, consumer

template <typename Fields>
bool SameFields(const StreamEntry& e, const Fields& master) {
  if (e.pairs != master.size()) return false;
  size_t i = 0;
  bool same = true;
  e.ForEach([&](std::string_view f, std::string_view) { same = same && f == master[i++]; });
  return same;
}

void EncodeGroups(const StreamGroups& groups, std::string* out) {
  PutVarint(out, groups.size());
  std::vector<std::string_view> names;  // a group's consumers, ascending: NACKs name an index
  for (const auto& [name, g] : groups.all()) {
    PutString(out, name);
    PutId(out, g.last_id());
    PutVarint(out, static_cast<uint64_t>(g.entries_read()) + 1);  // -1 (unknown) as 0
    PutVarint(out, g.consumers().size());
    names.clear();
    for (const auto& [cname, c] : g.consumers()) {
      PutString(out, cname);
      PutSigned(out, c.seen_time_ms);
      names.push_back(cname);
    }
    PutVarint(out, g.pel().size());
    StreamId prev;
    for (const auto& [id, nack] : g.pel()) {
      PutIdAfter(out, prev, id);
      PutSigned(out, nack.delivery_time_ms);
      PutVarint(out, nack.delivery_count);
      auto it = std::lower_bound(names.begin(), names.end(), std::string_view(nack.consumer));
      if (it != names.end() && *it == nack.consumer) {
        PutVarint(out, static_cast<uint64_t>(it - names.begin()));
      } else {  // not a consumer of the group (commands never leave one so; kept as found)
        PutVarint(out, names.size());
        PutString(out, nack.consumer);
      }
      prev = id;
    }
  }
}

// Names must ascend strictly: the maps' order, and no name twice.
bool ReadName(Reader& r, bool first, std::string_view* prev) {
  std::string_view name;
  if (!r.String(&name) || (!first && name <= *prev)) return false;
  *prev = name;
  return true;
}

bool DecodeGroup(Reader& r, StreamGroup* g) {
  uint64_t nconsumers = 0;
  if (!r.Count(&nconsumers, kMinConsumer)) return false;
  std::vector<std::string_view> names;
  std::vector<StreamConsumer*> consumers;  // map nodes: the pointers stay valid
  names.reserve(nconsumers);
  consumers.reserve(nconsumers);
  std::string_view name;
  for (uint64_t i = 0; i < nconsumers; ++i) {
    int64_t seen = 0;
    if (!ReadName(r, i == 0, &name) || !r.Signed(&seen)) return false;
    names.push_back(name);
    consumers.push_back(g->LookupOrCreate(name, seen).first);
  }
  uint64_t pending = 0;
  if (!r.Count(&pending, kMinNack)) return false;
  StreamId prev;
  for (uint64_t i = 0; i < pending; ++i) {
    StreamId id;
    StreamNack nack;
    uint64_t who = 0;
    if (!r.IdAfter(prev, i == 0, &id) || !r.Signed(&nack.delivery_time_ms) ||
        !r.Varint(&nack.delivery_count) || !r.Varint(&who) || who > nconsumers) {
      return false;
    }
    if (who < nconsumers) {
      nack.consumer = names[who];
      consumers[who]->pel.insert(id);
    } else {
      std::string_view orphan;  // the encoder names an existing consumer by its index
      if (!r.String(&orphan) || g->Lookup(orphan) != nullptr) return false;
      nack.consumer = orphan;
    }
    g->pel_for_load().emplace(id, std::move(nack));  // ascending: always new
    prev = id;
  }
  return true;
}

bool DecodeGroups(Reader& r, StreamValue* s) {
  uint64_t count = 0;
  if (!r.Count(&count, kMinGroup)) return false;
  std::string_view name;
  for (uint64_t i = 0; i < count; ++i) {
    StreamId last;
    uint64_t read_plus_one = 0;
    if (!ReadName(r, i == 0, &name) || !r.Id(&last) || !r.Varint(&read_plus_one)) return false;
    const auto entries_read = static_cast<int64_t>(read_plus_one - 1);
    if (entries_read < kInvalidEntriesRead) return false;
    StreamGroup* g = s->groups().Create(name, last, entries_read);
    if (g == nullptr || !DecodeGroup(r, g)) return false;
  }
  return true;
}

}  // namespace

void EncodeStream(const StreamValue& s, std::string* out) {
  PutVarint(out, s.node_count());
  StreamId prev;
  for (size_t i = 0; i < s.node_count(); ++i) {
    const StreamNodeView node = s.NodeAt(i);
    PutVarint(out, uint64_t{node.live} + node.deleted);
    bool opening = true;
    s.NodeEntries(i, [&](const StreamEntry& e, bool deleted) {
      const bool same = !opening && SameFields(e, node.master_fields);
      PutByte(out, (deleted ? kEntryDeleted : 0) | (same ? kEntrySameFields : 0));
      PutIdAfter(out, prev, e.id);
      if (!same) PutVarint(out, e.pairs);
      e.ForEach([&](std::string_view f, std::string_view v) {
        if (!same) PutString(out, f);
        PutString(out, v);
      });
      prev = e.id;
      opening = false;
    });
  }
  PutId(out, s.last_id());
  PutId(out, s.first_id());
  PutId(out, s.max_deleted_id());
  PutVarint(out, s.entries_added());
  EncodeGroups(s.groups(), out);
}

std::unique_ptr<StreamValue> DecodeStream(Reader& r) {
  uint64_t nodes = 0;
  if (!r.Count(&nodes, kMinNode)) return nullptr;
  auto s = std::make_unique<StreamValue>();
  StreamId prev;
  bool none = true;                    // no entry read yet: the first ID has no bound below
  std::vector<std::string_view> fv;    // field, value, ... (views into the input)
  std::vector<std::string_view> head;  // the node's first entry's fields
  for (uint64_t ni = 0; ni < nodes; ++ni) {
    uint64_t entries = 0;
    if (!r.Count(&entries, kMinEntry) || entries == 0) return nullptr;
    for (uint64_t ei = 0; ei < entries; ++ei) {
      uint8_t flags = 0;
      StreamId id;
      if (!r.Byte(&flags) || (flags & ~(kEntryDeleted | kEntrySameFields)) != 0 ||
          !r.IdAfter(prev, none, &id)) {
        return nullptr;
      }
      const bool same = (flags & kEntrySameFields) != 0;
      uint64_t pairs = head.size();
      if ((same && ei == 0) || (!same && !r.Count(&pairs, 2))) return nullptr;
      fv.clear();
      fv.reserve(pairs * 2);
      for (uint64_t k = 0; k < pairs; ++k) {
        std::string_view f, v;
        if (same) {
          f = head[k];
        } else if (!r.String(&f)) {
          return nullptr;
        }
        if (!r.String(&v)) return nullptr;
        fv.push_back(f);
        fv.push_back(v);
      }
      if (ei == 0) {
        head.clear();
        for (uint64_t k = 0; k < pairs; ++k) head.push_back(fv[2 * k]);
      } else if (!same) {
        // The encoder flags every entry whose fields are the head's.
        bool equal = pairs == head.size();
        for (uint64_t k = 0; equal && k < pairs; ++k) equal = fv[2 * k] == head[k];
        if (equal) return nullptr;
      }
      s->Append(id, fv, ei == 0);
      // The fill rule closed the node early: these entries never shared one.
      if (s->node_count() != ni + 1) return nullptr;
      if ((flags & kEntryDeleted) != 0) s->FlagLastDeleted();
      prev = id;
      none = false;
    }
  }
  StreamId last, first, max_deleted;
  uint64_t added = 0;
  if (!r.Id(&last) || !r.Id(&first) || !r.Id(&max_deleted) || !r.Varint(&added)) return nullptr;
  if (!none && last < prev) return nullptr;  // XADD's next ID must stay above every entry
  s->SetLastId(last);
  s->SetFirstId(first);
  s->SetMaxDeletedId(max_deleted);
  s->SetEntriesAdded(added);
  if (!DecodeGroups(r, s.get())) return nullptr;
  return s;
}

}  // namespace kvgate::engine::detail
