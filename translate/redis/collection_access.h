// File: translate/redis/collection_access.h
// The read every collection command starts with: the collection a key holds, nullptr when the
// key has no value, or WRONGTYPE replied when it holds another type (a string included).
//
//   const engine::HashValue* h = nullptr;
//   if (!ReadCollection(ctx, *db, ctx.arg(1), &h)) return;   // replied WRONGTYPE
//   if (h == nullptr) ...                                      // no such key: empty
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/store.h"
#include "protocols/resp/number.h"
#include "translate/redis/command.h"
#include "translate/redis/errors.h"

namespace kvgate::redis {

// T is a collection class naming its type as T::kType (engine/collections/*.h).
template <typename T>
bool ReadCollection(CommandContext& ctx, engine::StoreBucket& db, std::string_view key,
                    const T** out) {
  auto e = db.Get(key);
  *out = nullptr;
  if (!e.ok()) return true;
  if (e->type != T::kType) {
    ctx.w.Error(kWrongType);
    return false;
  }
  *out = static_cast<const T*>(e->object);
  return true;
}

// Elements one random pick (HRANDFIELD, SRANDMEMBER, ZRANDMEMBER) may return: Redis has no
// bound (a huge count makes it build a reply until memory or the output limit runs out);
// kvgate answers kRandomCountTooLarge beyond this.
inline constexpr uint64_t kMaxRandomCount = 10'000'000;
inline constexpr std::string_view kRandomCountTooLarge = "ERR count is too large";

// The count of a random pick, in Redis's range -LONG_MAX..LONG_MAX; false after replying.
inline bool ParseRandomCount(CommandContext& ctx, std::string_view arg, int64_t* out) {
  if (!resp::ParseInt64(arg, out)) {
    ctx.w.Error(kNotInteger);
    return false;
  }
  if (*out == INT64_MIN) {
    ctx.w.Error(
        "ERR value is out of range, value must between -9223372036854775807 and "
        "9223372036854775807");
    return false;
  }
  return true;
}

}  // namespace kvgate::redis
