// File: translate/redis/set_access.h
// What the set commands (set_cmds.cc, set_algebra_cmds.cc) share: the read of a key that must
// hold a set (WRONGTYPE otherwise) and the intset bound from the config.
//
//   const engine::SetValue* s = nullptr;
//   if (!ReadSet(ctx, *db, ctx.arg(1), &s)) return;   // replied WRONGTYPE
//   if (s == nullptr) ...                               // no such key: an empty set
#pragma once

#include <string_view>

#include "engine/collections/set_value.h"
#include "engine/store.h"
#include "translate/redis/command.h"
#include "translate/redis/errors.h"
#include "translate/redis/front.h"

namespace kvgate::redis {

// The set at `key`: nullptr when the key has no value; false after replying WRONGTYPE.
inline bool ReadSet(CommandContext& ctx, engine::StoreBucket& db, std::string_view key,
                    const engine::SetValue** out) {
  auto e = db.Get(key);
  *out = nullptr;
  if (!e.ok()) return true;
  if (e->type != engine::ValueType::kSet) {
    ctx.w.Error(kWrongType);
    return false;
  }
  *out = static_cast<const engine::SetValue*>(e->object);
  return true;
}

// set-max-intset-entries.
inline size_t IntsetMax(CommandContext& ctx) {
  return static_cast<size_t>(ctx.front.config().set_max_intset_entries);
}

}  // namespace kvgate::redis
