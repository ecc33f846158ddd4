// File: engine/collections/stream_lag.cc
// Consumer group counters (stream_lag.h), the rules of Redis 7.0's t_stream.c.
#include "engine/collections/stream_lag.h"

namespace kvgate::engine {

bool StreamRangeHasTombstones(const StreamValue& s, StreamId start, StreamId end) {
  const StreamId max_deleted = s.max_deleted_id();
  if (s.size() == 0 || max_deleted.zero()) return false;
  if (s.first_id() > max_deleted) return false;  // the last tombstone is before the first entry
  return start <= max_deleted && max_deleted <= end;
}

int64_t StreamDistanceFromFirstEver(const StreamValue& s, StreamId id) {
  const auto added = static_cast<int64_t>(s.entries_added());
  if (added == 0) return 0;
  if (s.size() == 0 && id <= s.last_id()) return added;
  if (id == s.last_id()) return added;
  if (id > s.last_id()) return kInvalidEntriesRead;  // a future ID
  const StreamId max_deleted = s.max_deleted_id();
  if (max_deleted.zero() || max_deleted < s.first_id()) {  // no fragmentation ahead
    const auto length = static_cast<int64_t>(s.size());
    if (id < s.first_id()) return added - length;
    if (id == s.first_id()) return added - length + 1;
  }
  return kInvalidEntriesRead;
}

std::optional<int64_t> StreamGroupLag(const StreamValue& s, const StreamGroup& g) {
  const auto added = static_cast<int64_t>(s.entries_added());
  if (added == 0) return 0;
  if (g.entries_read() != kInvalidEntriesRead && !StreamRangeHasTombstones(s, g.last_id())) {
    return added - g.entries_read();
  }
  const int64_t read = StreamDistanceFromFirstEver(s, g.last_id());
  if (read == kInvalidEntriesRead) return std::nullopt;
  return added - read;
}

int64_t StreamEntriesReadAfter(const StreamValue& s, const StreamGroup& g, StreamId id) {
  if (g.entries_read() != kInvalidEntriesRead && !StreamRangeHasTombstones(s, id)) {
    return g.entries_read() + 1;
  }
  if (s.entries_added() != 0) return StreamDistanceFromFirstEver(s, id);
  return g.entries_read();
}

}  // namespace kvgate::engine
