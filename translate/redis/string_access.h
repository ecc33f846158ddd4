// File: translate/redis/string_access.h
// How string commands (GET, APPEND, SETBIT, PFADD, ...) read the key they work on: its live
// value, kNotFound, or kWrongType once the key holds a collection (a hash, list, set or sorted
// set), which they answer with WRONGTYPE (errors.h kWrongType, ReplyEngineError).
//
//   auto e = GetStringKey(*db, key);
//   if (!e.ok() && e.errc() == engine::Errc::kWrongType) return ReplyEngineError(ctx.w, e.errc());
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/store.h"

namespace kvgate::redis {

struct CommandContext;

inline engine::Result<engine::EntryView> GetStringKey(engine::StoreBucket& db,
                                                      std::string_view key) {
  engine::Result<engine::EntryView> e = db.Get(key);
  if (e.ok() && e->type != engine::ValueType::kString) return engine::Errc::kWrongType;
  return e;
}

// For commands that read a missing key as "" (GETBIT, BITCOUNT, BITOP, LCS, ...): the value,
// empty when the key is missing (`*found` false); other errors (kWrongType) are returned.
inline engine::Result<std::string_view> GetStringOrEmpty(engine::StoreBucket& db,
                                                         std::string_view key,
                                                         bool* found = nullptr) {
  auto e = GetStringKey(db, key);
  if (found != nullptr) *found = e.ok();
  if (e.ok()) return e->value;
  if (e.errc() == engine::Errc::kNotFound) return std::string_view();
  return e.errc();
}

// Redis checkStringLength: a string of `size` + `append` bytes may not exceed proto-max-bulk-len.
// False after replying the error (string_cmds.cc).
bool CheckStringLength(CommandContext& ctx, uint64_t size, uint64_t append);

}  // namespace kvgate::redis
