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
#include "protocols/ascii.h"
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

// The arguments of ZMPOP / LMPOP (and their blocking forms): numkeys at `numkeys_at`, that many
// keys, one of two keywords (`first`: second = false), then [COUNT n].
struct MPopArgs {
  size_t keys_begin = 0;  // the keys are args [keys_begin, keys_end)
  size_t keys_end = 0;
  bool second = false;
  int64_t count = 1;
};

// False after replying Redis 7.0's error (numkeys and COUNT have their own texts).
inline bool ParseMPopArgs(CommandContext& ctx, size_t numkeys_at, std::string_view first,
                          std::string_view second, MPopArgs* out) {
  int64_t numkeys = 0;
  if (!resp::ParseInt64(ctx.arg(numkeys_at), &numkeys) || numkeys < 1) {
    ctx.w.Error("ERR numkeys should be greater than 0");
    return false;
  }
  if (static_cast<uint64_t>(numkeys) >= ctx.argc() - numkeys_at - 1) {
    ctx.w.Error(kSyntaxError);
    return false;
  }
  out->keys_begin = numkeys_at + 1;
  out->keys_end = out->keys_begin + static_cast<size_t>(numkeys);
  const std::string_view w = CString(ctx.arg(out->keys_end));
  out->second = protocols::EqualsIgnoreCase(w, second);
  if (!out->second && !protocols::EqualsIgnoreCase(w, first)) {
    ctx.w.Error(kSyntaxError);
    return false;
  }
  int64_t count = -1;
  for (size_t j = out->keys_end + 1; j < ctx.argc(); ++j) {
    if (count == -1 && protocols::EqualsIgnoreCase(CString(ctx.arg(j)), "count") &&
        j + 1 < ctx.argc()) {
      ++j;
      if (!resp::ParseInt64(ctx.arg(j), &count) || count < 1) {
        ctx.w.Error("ERR count should be greater than 0");
        return false;
      }
    } else {
      ctx.w.Error(kSyntaxError);
      return false;
    }
  }
  out->count = count == -1 ? 1 : count;
  return true;
}

}  // namespace kvgate::redis
