// File: engine/collections/stream_id.h
// A stream entry ID, `ms-seq`, ordered as Redis orders them (milliseconds, then sequence).
//
//   StreamId id{1, 0};  id.Incr();  // 1-1
#pragma once

#include <compare>
#include <cstdint>

namespace kvgate::engine {

struct StreamId {
  uint64_t ms = 0;
  uint64_t seq = 0;
  friend auto operator<=>(const StreamId&, const StreamId&) = default;
  bool zero() const {
    return ms == 0 && seq == 0;
  }
  // The next / previous ID; false (and the ID unchanged) at the end of the range.
  bool Incr();
  bool Decr();
};

inline constexpr StreamId kMaxStreamId{UINT64_MAX, UINT64_MAX};

}  // namespace kvgate::engine
