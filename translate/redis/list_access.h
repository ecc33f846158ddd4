// File: translate/redis/list_access.h
// What the list commands (list_cmds.cc, list_edit_cmds.cc) and the blocking pops built on them
// share: pushing and popping at either end, the keyspace event names, and two whole steps with
// their replies and events, a pop (LPOP RPOP LMPOP, BLPOP ...) and a move (LMOVE RPOPLPUSH,
// BLMOVE), so a blocked client woken later runs exactly the code a non-blocking one does.
//
//   std::vector<std::string> got;
//   PopFromList(list, /*left=*/true, 3, &got);           // up to 3 from the head
//   PopAndReply(ctx, *db, 1, true, 1, PopReply::kElement); // LPOP key: "$3 abc", "lpop"
//   MoveAndReply(ctx, *db, 1, 2, false, true);             // RPOPLPUSH src dst
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/collections/list_value.h"
#include "engine/store.h"
#include "protocols/resp/number.h"
#include "translate/redis/collection_access.h"
#include "translate/redis/command.h"
#include "translate/redis/errors.h"

namespace kvgate::redis {

// Pops up to `count` elements from the head (left) or the tail of `l`, appending them to *out
// in the order popped; true if it popped anything.
inline bool PopFromList(engine::ListValue& l, bool left, size_t count,
                        std::vector<std::string>* out) {
  const size_t n = std::min(count, l.size());
  out->reserve(out->size() + n);
  for (size_t i = 0; i < n; ++i) {
    out->emplace_back();
    if (left) {
      l.PopFront(&out->back());
    } else {
      l.PopBack(&out->back());
    }
  }
  return n > 0;
}

// Pushes `v` at the head (left) or the tail of `l`.
inline void PushToList(engine::ListValue& l, bool left, std::string_view v) {
  if (left) {
    l.PushFront(v);
  } else {
    l.PushBack(v);
  }
}

// The keyspace events of a pop and a push at that end.
inline std::string_view PopEvent(bool left) {
  return left ? "lpop" : "rpop";
}
inline std::string_view PushEvent(bool left) {
  return left ? "lpush" : "rpush";
}

// How a pop answers (Redis 7.0): LPOP key -> element; LPOP key count -> [elements];
// LMPOP / BLMPOP -> [key, [elements]]; BLPOP / BRPOP -> [key, element]. A key with nothing to
// pop answers the shape's null: $-1 for kElement, *-1 for the others (RESP3: _).
enum class PopReply : uint8_t { kElement, kElements, kKeyElements, kKeyElement };

// Pops up to `count` (>= 1) elements from the list at ctx.arg(key_arg) in `db` (the caller has
// checked that the key holds a list or nothing: a string there answers WRONGTYPE) and replies in
// `shape`. Events: "lpop"/"rpop", then "del" if the list emptied (the key is gone). A shrinking
// change: allowed over maxmemory.
void PopAndReply(CommandContext& ctx, engine::StoreBucket& db, size_t key_arg, bool left,
                 size_t count, PopReply shape);

// LMPOP / BLPOP / BLMPOP without waiting: pops from the first of the keys at args
// [begin, end) that holds elements and replies in `shape`. False with nothing replied when none
// does; true once it replied (the pop, WRONGTYPE at an earlier key, or an engine error).
bool PopFirstNonEmpty(CommandContext& ctx, size_t begin, size_t end, bool left, size_t count,
                      PopReply shape);

// LMOVE ctx.arg(src_arg) ctx.arg(dst_arg): pops one element from the source's head (from_left)
// or tail and pushes it at the destination's head (to_left) or tail, replying the element; a
// source without elements answers null and changes nothing; WRONGTYPE if either key holds
// another type (checked before anything changes). Events as Redis: "lpush"/"rpush" on the
// destination, then "lpop"/"rpop" on the source, then "del" if it emptied. The same key
// rotates in one change. Refused over maxmemory (Redis: denyoom) before anything moves.
void MoveAndReply(CommandContext& ctx, engine::StoreBucket& db, size_t src_arg, size_t dst_arg,
                  bool from_left, bool to_left);

// LRANGE / LTRIM's start and stop, read before the key; false after replying.
inline bool ParseListRange(CommandContext& ctx, int64_t* start, int64_t* stop) {
  if (!resp::ParseInt64(ctx.arg(2), start) || !resp::ParseInt64(ctx.arg(3), stop)) {
    ctx.w.Error(kNotInteger);
    return false;
  }
  return true;
}

// Redis's range rule over a list of `len`: negative indexes count from the tail, start is
// clamped at 0 and stop at the last element; false when nothing is in range.
inline bool ClampListRange(int64_t len, int64_t* start, int64_t* stop) {
  if (*start < 0) *start += len;
  if (*stop < 0) *stop += len;
  if (*start < 0) *start = 0;
  if (*start > *stop || *start >= len) return false;
  if (*stop >= len) *stop = len - 1;
  return true;
}

// LEFT / RIGHT (LMOVE, BLMOVE, LMPOP): true and *left, or false for anything else.
inline bool ParseListEnd(std::string_view arg, bool* left) {
  const std::string_view w = CString(arg);
  if (protocols::EqualsIgnoreCase(w, "left")) {
    *left = true;
    return true;
  }
  if (protocols::EqualsIgnoreCase(w, "right")) {
    *left = false;
    return true;
  }
  return false;
}

}  // namespace kvgate::redis
