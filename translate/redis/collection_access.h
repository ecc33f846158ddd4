// File: translate/redis/collection_access.h
// The read every collection command starts with: the collection a key holds, nullptr when the
// key has no value, or WRONGTYPE replied when it holds another type (a string included).
//
//   const engine::HashValue* h = nullptr;
//   if (!ReadCollection(ctx, *db, ctx.arg(1), &h)) return;   // replied WRONGTYPE
//   if (h == nullptr) ...                                      // no such key: empty
#pragma once

#include <string_view>

#include "engine/store.h"
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

}  // namespace kvgate::redis
