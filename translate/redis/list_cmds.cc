// File: translate/redis/list_cmds.cc
// Lists, as redis-server 7.0 answers them: pushes (LPUSH RPUSH LPUSHX RPUSHX), pops (LPOP RPOP
// with a count, LMPOP) and reads (LLEN LRANGE LINDEX); the edits in the middle and the moves are
// in list_edit_cmds.cc. Writes change the key's engine::ListValue in place (ctx.AwaitMutate: one
// revision per command that changed it; an emptied list deletes the key, as in Redis). The pop
// step (PopAndReply, list_access.h) is shared with the blocking pops.
//
//   RPUSH l a b c   -> :3   (keyspace event "rpush")
//   LPOP l 2        -> *2 a b   ("lpop")
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/collections/list_value.h"
#include "engine/store.h"
#include "protocols/resp/number.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/list_access.h"
#include "translate/redis/notifications.h"

namespace kvgate::redis {

using Bucket = engine::StoreBucket;
using engine::ListValue;
using engine::ValueType;

namespace {

// What a pop's continuation needs, in one small value (a Completion's capture is bounded).
struct PopState {
  std::vector<std::string> popped;
  uint32_t key_arg = 0;
  bool left = false;
  PopReply shape = PopReply::kElement;
  bool emptied = false;
};

void ReplyNothing(resp::ReplyWriter& w, PopReply shape) {
  if (shape == PopReply::kElement) return w.Null();
  w.NullArray();
}

}  // namespace

void PopAndReply(CommandContext& ctx, Bucket& db, size_t key_arg, bool left, size_t count,
                 PopReply shape) {
  ctx.AwaitMutate(
      db, ctx.arg(key_arg), ValueType::kList, {.create = false, .may_grow = false},
      PopState{{}, static_cast<uint32_t>(key_arg), left, shape},
      [&](engine::Collection& c, PopState& st) {
        auto& l = static_cast<ListValue&>(c);
        PopFromList(l, left, count, &st.popped);
        st.emptied = l.size() == 0;
        return !st.popped.empty();
      },
      [](CommandContext& c, engine::WriteResult r, const PopState& st) {
        if (r.errc() == engine::Errc::kNotFound) return ReplyNothing(c.w, st.shape);
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        if (st.popped.empty()) return ReplyNothing(c.w, st.shape);
        const std::string_view key = c.arg(st.key_arg);
        c.Notify(kNotifyList, PopEvent(st.left), key);
        if (st.emptied) c.Notify(kNotifyGeneric, "del", key);
        switch (st.shape) {
          case PopReply::kElement:
            return c.w.Bulk(st.popped.front());
          case PopReply::kKeyElement:
            c.w.ArrayHeader(2);
            c.w.Bulk(key);
            return c.w.Bulk(st.popped.front());
          case PopReply::kKeyElements:
            c.w.ArrayHeader(2);
            c.w.Bulk(key);
            break;
          case PopReply::kElements:
            break;
        }
        c.w.ArrayHeader(st.popped.size());
        for (const std::string& e : st.popped) c.w.Bulk(e);
      });
}

bool PopFirstNonEmpty(CommandContext& ctx, size_t begin, size_t end, bool left, size_t count,
                      PopReply shape) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return true;
  for (size_t k = begin; k < end; ++k) {
    const ListValue* l = nullptr;
    if (!ReadCollection(ctx, *db, ctx.arg(k), &l)) return true;
    if (l != nullptr && l->size() > 0) {
      PopAndReply(ctx, *db, k, left, count, shape);
      return true;
    }
  }
  return false;
}

namespace {

// LPUSH RPUSH (create) and LPUSHX RPUSHX (existing lists only): the length after.
void PushGeneric(CommandContext& ctx, bool left, bool existing_only) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kList, {.create = !existing_only}, int64_t{0},
      [&](engine::Collection& c, int64_t& len) {
        auto& l = static_cast<ListValue&>(c);
        for (size_t i = 2; i < ctx.argc(); ++i) PushToList(l, left, ctx.arg(i));
        len = static_cast<int64_t>(l.size());
        return true;
      },
      [left](CommandContext& c, engine::WriteResult r, int64_t len) {
        if (r.errc() == engine::Errc::kNotFound) return c.w.Integer(0);
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        c.Notify(kNotifyList, PushEvent(left), c.arg(1));
        c.w.Integer(len);
      });
}

void LPushCmd(CommandContext& ctx) {
  PushGeneric(ctx, true, false);
}
void RPushCmd(CommandContext& ctx) {
  PushGeneric(ctx, false, false);
}
void LPushXCmd(CommandContext& ctx) {
  PushGeneric(ctx, true, true);
}
void RPushXCmd(CommandContext& ctx) {
  PushGeneric(ctx, false, true);
}

// LPOP / RPOP key [count]: the count is read first, then the key (a missing one answers null,
// an array null with a count); a count of 0 answers an empty array without changing anything.
void PopGeneric(CommandContext& ctx, bool left) {
  if (ctx.argc() > 3) return ReplyArity(ctx.w, ctx.spec->name);
  const bool has_count = ctx.argc() == 3;
  int64_t count = 1;
  if (has_count && (!resp::ParseInt64(ctx.arg(2), &count) || count < 0)) {
    return ctx.w.Error(kNotPositive);
  }
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const ListValue* l = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &l)) return;
  if (l == nullptr) return has_count ? ctx.w.NullArray() : ctx.w.Null();
  if (count == 0) return ctx.w.ArrayHeader(0);
  PopAndReply(ctx, *db, 1, left, static_cast<size_t>(count),
              has_count ? PopReply::kElements : PopReply::kElement);
}

void LPopCmd(CommandContext& ctx) {
  PopGeneric(ctx, true);
}
void RPopCmd(CommandContext& ctx) {
  PopGeneric(ctx, false);
}

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: the first key holding a list.
void LMPopCmd(CommandContext& ctx) {
  MPopArgs a;
  if (!ParseMPopArgs(ctx, 1, "left", "right", &a)) return;
  if (PopFirstNonEmpty(ctx, a.keys_begin, a.keys_end, !a.second, static_cast<size_t>(a.count),
                       PopReply::kKeyElements)) {
    return;
  }
  ctx.w.NullArray();
}

void LLenCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const ListValue* l = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &l)) return;
  ctx.w.Integer(l != nullptr ? static_cast<int64_t>(l->size()) : 0);
}

// LRANGE key start stop: both indexes are read before the key.
void LRangeCmd(CommandContext& ctx) {
  int64_t start = 0;
  int64_t stop = 0;
  if (!ParseListRange(ctx, &start, &stop)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const ListValue* l = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &l)) return;
  if (l == nullptr) return ctx.w.ArrayHeader(0);
  if (!ClampListRange(static_cast<int64_t>(l->size()), &start, &stop)) {
    return ctx.w.ArrayHeader(0);
  }
  size_t left = static_cast<size_t>(stop - start + 1);
  ctx.w.ArrayHeader(left);
  l->Walk(static_cast<size_t>(start), true, [&](std::string_view e) {
    ctx.w.Bulk(e);
    return --left > 0;
  });
}

// LINDEX key index: the key first (missing: null), then the index.
void LIndexCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const ListValue* l = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &l)) return;
  if (l == nullptr) return ctx.w.Null();
  int64_t index = 0;
  if (!resp::ParseInt64(ctx.arg(2), &index)) return ctx.w.Error(kNotInteger);
  const auto len = static_cast<int64_t>(l->size());
  if (index < 0) index += len;
  if (index < 0 || index >= len) return ctx.w.Null();
  ctx.w.Bulk(l->At(static_cast<size_t>(index)));
}

constexpr uint32_t kWF = kWrite | kFast;
constexpr uint32_t kRF = kReadOnly | kFast;

constexpr CommandSpec kCommands[] = {
    {"lpush", -3, kWF, LPushCmd, 1, 1, 1},        {"rpush", -3, kWF, RPushCmd, 1, 1, 1},
    {"lpushx", -3, kWF, LPushXCmd, 1, 1, 1},      {"rpushx", -3, kWF, RPushXCmd, 1, 1, 1},
    {"lpop", -2, kWF, LPopCmd, 1, 1, 1},          {"rpop", -2, kWF, RPopCmd, 1, 1, 1},
    {"lmpop", -4, kWrite, LMPopCmd, 0, 0, 0},     {"llen", 2, kRF, LLenCmd, 1, 1, 1},
    {"lrange", 4, kReadOnly, LRangeCmd, 1, 1, 1}, {"lindex", 3, kReadOnly, LIndexCmd, 1, 1, 1},
};

}  // namespace

std::span<const CommandSpec> ListCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
