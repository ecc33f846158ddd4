// File: engine/collections/stream_lag.h
// A consumer group's logical read counter and lag, as Redis 7.0 derives them (t_stream.c:
// streamRangeHasTombstones, streamEstimateDistanceFromFirstEverEntry, streamReplyWithCGLag):
// the counter is exact while no deleted entry lies ahead of the group, estimated from the
// stream's entries_added and length at the stream's edges, and unknown (-1) otherwise.
//
//   int64_t read = StreamDistanceFromFirstEver(s, id);  // -1: unknown
//   std::optional<int64_t> lag = StreamGroupLag(s, group);  // nullopt: XINFO replies nil
#pragma once

#include <cstdint>
#include <optional>

#include "engine/collections/stream_groups.h"
#include "engine/collections/stream_value.h"

namespace kvgate::engine {

// True if an entry with an ID in [start, end] was deleted (only the highest deleted ID is
// known, so this is Redis's conservative answer).
bool StreamRangeHasTombstones(const StreamValue& s, StreamId start, StreamId end = kMaxStreamId);
// The number of entries from the first ever added up to `id`, or kInvalidEntriesRead.
int64_t StreamDistanceFromFirstEver(const StreamValue& s, StreamId id);
// Entries not yet delivered to the group; nullopt when unknown.
std::optional<int64_t> StreamGroupLag(const StreamValue& s, const StreamGroup& g);
// XREADGROUP delivered `id` (above the group's last ID): the group's new read counter.
int64_t StreamEntriesReadAfter(const StreamValue& s, const StreamGroup& g, StreamId id);

}  // namespace kvgate::engine
