// File: translate/redis/string_access.h
// How string commands (GET, APPEND, SETBIT, PFADD, ...) read the key they work on: its live
// value, kNotFound, or kWrongType once the key holds a collection (a hash, list, set or sorted
// set), which they answer with WRONGTYPE (errors.h kWrongType, ReplyEngineError).
//
//   auto e = GetStringKey(*db, key);
//   if (!e.ok() && e.errc() == engine::Errc::kWrongType) return ReplyEngineError(ctx.w, e.errc());
#pragma once

#include <string_view>

#include "engine/store.h"

namespace kvgate::redis {

inline engine::Result<engine::EntryView> GetStringKey(engine::StoreBucket& db,
                                                      std::string_view key) {
  engine::Result<engine::EntryView> e = db.Get(key);
  if (e.ok() && e->type != engine::ValueType::kString) return engine::Errc::kWrongType;
  return e;
}

}  // namespace kvgate::redis
