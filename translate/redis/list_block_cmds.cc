// File: translate/redis/list_block_cmds.cc
// Blocking list pops, as redis-server 7.0 answers them: BLPOP BRPOP BLMPOP BLMOVE BRPOPLPUSH.
// A key with elements is served at once by the same code as LPOP / LMPOP / LMOVE
// (list_access.h); when every key is empty the client waits on them (ctx.BlockOnKeys) and is
// served from the key a change readied, oldest waiter first; inside EXEC it answers null at
// once, as on timeout.
//
//   BLPOP a b 0                     -> [b, x] once another client pushes x onto b
//   BLMOVE src dst RIGHT LEFT 0.5   -> the element moved, or null after half a second
#include <cstdint>
#include <span>
#include <string_view>

#include "engine/collections/list_value.h"
#include "engine/store.h"
#include "translate/redis/block_timeout.h"
#include "translate/redis/collection_access.h"
#include "translate/redis/command.h"
#include "translate/redis/errors.h"
#include "translate/redis/list_access.h"

namespace kvgate::redis {
namespace {

using Bucket = engine::StoreBucket;
using engine::ListValue;
using engine::ValueType;

// ---- BLPOP / BRPOP key [key ...] timeout ----

template <bool kLeft>
bool ServeBPop(CommandContext& ctx, const std::string_view* ready) {
  if (ready == nullptr) {
    ctx.w.NullArray();
    return true;
  }
  Bucket* db = ctx.Db();
  if (db == nullptr) return true;
  PopAndReply(ctx, *db, ReadyKeyArg(ctx, 1, ctx.argc() - 1, *ready), kLeft, 1,
              PopReply::kKeyElement);
  return true;
}

template <bool kLeft>
void BPopCmd(CommandContext& ctx) {
  int64_t deadline = 0;
  if (!ParseBlockTimeout(ctx, ctx.arg(ctx.argc() - 1), &deadline)) return;
  const size_t end = ctx.argc() - 1;
  if (PopFirstNonEmpty(ctx, 1, end, kLeft, 1, PopReply::kKeyElement)) return;
  if (!ctx.may_block()) return ctx.w.NullArray();
  ctx.BlockOnKeys(ctx.args.subspan(1, end - 1), ValueType::kList, deadline, ServeBPop<kLeft>);
}

// ---- BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count] ----

bool ServeBLMPop(CommandContext& ctx, const std::string_view* ready) {
  if (ready == nullptr) {
    ctx.w.NullArray();
    return true;
  }
  MPopArgs a;
  if (!ParseMPopArgs(ctx, 2, "left", "right", &a)) return true;  // parsed before it waited
  Bucket* db = ctx.Db();
  if (db == nullptr) return true;
  PopAndReply(ctx, *db, ReadyKeyArg(ctx, a.keys_begin, a.keys_end, *ready), !a.second,
              static_cast<size_t>(a.count), PopReply::kKeyElements);
  return true;
}

void BLMPopCmd(CommandContext& ctx) {
  MPopArgs a;
  if (!ParseMPopArgs(ctx, 2, "left", "right", &a)) return;
  int64_t deadline = 0;
  if (!ParseBlockTimeout(ctx, ctx.arg(1), &deadline)) return;
  if (PopFirstNonEmpty(ctx, a.keys_begin, a.keys_end, !a.second, static_cast<size_t>(a.count),
                       PopReply::kKeyElements)) {
    return;
  }
  if (!ctx.may_block()) return ctx.w.NullArray();
  ctx.BlockOnKeys(ctx.args.subspan(a.keys_begin, a.keys_end - a.keys_begin), ValueType::kList,
                  deadline, ServeBLMPop);
}

// ---- BLMOVE src dst LEFT|RIGHT LEFT|RIGHT timeout, BRPOPLPUSH src dst timeout ----

// The two ends: BRPOPLPUSH is BLMOVE src dst RIGHT LEFT.
void MoveEnds(const CommandContext& ctx, bool* from_left, bool* to_left) {
  *from_left = false;
  *to_left = true;
  if (ctx.argc() == 6) {
    ParseListEnd(ctx.arg(3), from_left);
    ParseListEnd(ctx.arg(4), to_left);
  }
}

bool ServeBLMove(CommandContext& ctx, const std::string_view* ready) {
  if (ready == nullptr) {
    // Redis 7.0 answers every list block's timeout with a null array, BLMOVE's too (inside
    // MULTI it answers a null bulk).
    ctx.w.NullArray();
    return true;
  }
  Bucket* db = ctx.Db();
  if (db == nullptr) return true;
  bool from_left = false, to_left = true;
  MoveEnds(ctx, &from_left, &to_left);
  // A destination of another type answers WRONGTYPE and moves nothing, as Redis 7.0 does.
  MoveAndReply(ctx, *db, 1, 2, from_left, to_left);
  return true;
}

// After the ends and the timeout are parsed: moves at once, or waits on the source.
void BLMoveGeneric(CommandContext& ctx, bool from_left, bool to_left, int64_t deadline) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const ListValue* l = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &l)) return;
  if (l != nullptr && l->size() > 0) return MoveAndReply(ctx, *db, 1, 2, from_left, to_left);
  if (!ctx.may_block()) return ctx.w.Null();
  ctx.BlockOnKeys(ctx.args.subspan(1, 1), ValueType::kList, deadline, ServeBLMove);
}

void BLMoveCmd(CommandContext& ctx) {
  bool from_left = false, to_left = false;
  if (!ParseListEnd(ctx.arg(3), &from_left) || !ParseListEnd(ctx.arg(4), &to_left)) {
    return ctx.w.Error(kSyntaxError);
  }
  int64_t deadline = 0;
  if (!ParseBlockTimeout(ctx, ctx.arg(5), &deadline)) return;
  BLMoveGeneric(ctx, from_left, to_left, deadline);
}

void BRPopLPushCmd(CommandContext& ctx) {
  int64_t deadline = 0;
  if (!ParseBlockTimeout(ctx, ctx.arg(3), &deadline)) return;
  BLMoveGeneric(ctx, false, true, deadline);
}

// Redis 7.0 marks the older blocking pops noscript, not BLMPOP.
constexpr uint32_t kWB = kWrite | kBlocking;
constexpr uint32_t kWBN = kWB | kNoScript;

constexpr CommandSpec kCommands[] = {
    {"blpop", -3, kWBN, BPopCmd<true>, 1, -2, 1},    {"brpop", -3, kWBN, BPopCmd<false>, 1, -2, 1},
    {"blmpop", -5, kWB, BLMPopCmd, 0, 0, 0},         {"blmove", 6, kWBN, BLMoveCmd, 1, 2, 1},
    {"brpoplpush", 4, kWBN, BRPopLPushCmd, 1, 2, 1},
};

}  // namespace

std::span<const CommandSpec> ListBlockCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
