// File: translate/redis/set_access.h
// What the set commands (set_cmds.cc, set_algebra_cmds.cc) share: the read of a key that must
// hold a set (collection_access.h ReadCollection) and the intset bound from the config.
//
//   const engine::SetValue* s = nullptr;
//   if (!ReadCollection(ctx, *db, ctx.arg(1), &s)) return;   // replied WRONGTYPE
//   size_t max = IntsetMax(ctx);
#pragma once

#include <string_view>

#include "engine/collections/set_value.h"
#include "engine/store.h"
#include "translate/redis/collection_access.h"
#include "translate/redis/command.h"
#include "translate/redis/errors.h"
#include "translate/redis/front.h"

namespace kvgate::redis {

// set-max-intset-entries.
inline size_t IntsetMax(CommandContext& ctx) {
  return static_cast<size_t>(ctx.front.config().set_max_intset_entries);
}

}  // namespace kvgate::redis
