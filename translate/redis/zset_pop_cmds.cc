// File: translate/redis/zset_pop_cmds.cc
// Sorted-set pops, as redis-server 7.0 answers them: ZPOPMIN ZPOPMAX ZMPOP and their blocking
// forms BZPOPMIN BZPOPMAX BZMPOP. A blocking pop that finds every key empty waits on them
// (ctx.BlockOnKeys) and is served from the key a change readied; inside EXEC it answers null at
// once, as on timeout.
//
//   ZPOPMIN z 2         -> [a, 1, b, 2]        (RESP3 with a count: [[a, 1], [b, 2]])
//   BZPOPMIN z1 z2 0    -> [z2, member, score] (waits while both are empty)
//   BZMPOP 1 1 z MIN    -> [z, [[member, score]]]
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/collections/zset_value.h"
#include "engine/store.h"
#include "protocols/resp/number.h"
#include "translate/redis/block_timeout.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/notifications.h"
#include "translate/redis/zset_common.h"

namespace kvgate::redis {
namespace {

using Bucket = engine::StoreBucket;
using engine::ValueType;
using Node = ZSetValue::Node;

// The reply shapes of the pop family.
enum class PopShape : uint8_t {
  kFlat,            // ZPOPMIN: [m1, s1, m2, s2]
  kPairs,           // ZPOPMIN with a count in RESP3: [[m1, s1], ...]
  kKeyPairs,        // ZMPOP, BZMPOP: [key, [[m1, s1], ...]]
  kKeyMemberScore,  // BZPOPMIN: [key, m, s]
};

struct Popped {
  std::string member;
  double score;
};

struct PopState {
  std::shared_ptr<std::vector<Popped>> out;
  bool emptied = false;
};

// Pops up to `count` from the zset at argument `key_arg` and replies in `shape`.
void PopFrom(CommandContext& ctx, size_t key_arg, bool max, int64_t count, PopShape shape) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  auto out = std::make_shared<std::vector<Popped>>();
  ctx.AwaitMutate(
      *db, ctx.arg(key_arg), ValueType::kZSet, {.create = false, .may_grow = false}, PopState{out},
      [&](engine::Collection& c, PopState& s) {
        auto& z = static_cast<ZSetValue&>(c);
        const auto want = static_cast<size_t>(std::min<int64_t>(count, z.size()));
        for (size_t i = 0; i < want; ++i) {
          const Node* n = max ? z.Last() : z.First();
          s.out->push_back({std::string(ZSetValue::MemberOf(n)), ZSetValue::ScoreOf(n)});
          z.Erase(s.out->back().member);
        }
        s.emptied = z.size() == 0;
        return want > 0;
      },
      [key_arg, max, shape](CommandContext& c, engine::WriteResult r, PopState s) {
        const auto& owned = s.out;
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        if (!owned->empty()) c.Notify(kNotifyZset, max ? "zpopmax" : "zpopmin", c.arg(key_arg));
        if (s.emptied) c.Notify(kNotifyGeneric, "del", c.arg(key_arg));
        if (shape == PopShape::kKeyMemberScore) {
          c.w.ArrayHeader(3);
          c.w.Bulk(c.arg(key_arg));
          c.w.Bulk(owned->front().member);
          return c.w.Double(owned->front().score);
        }
        if (shape == PopShape::kKeyPairs) {
          c.w.ArrayHeader(2);
          c.w.Bulk(c.arg(key_arg));
        }
        const bool nested = shape != PopShape::kFlat;
        c.w.ArrayHeader(nested ? owned->size() : owned->size() * 2);
        for (const Popped& p : *owned) {
          if (nested) c.w.ArrayHeader(2);
          c.w.Bulk(p.member);
          c.w.Double(p.score);
        }
      });
}

void ZPopGeneric(CommandContext& ctx, bool max) {
  if (ctx.argc() > 3) return ctx.w.Error(kSyntaxError);
  int64_t count = -1;
  if (ctx.argc() == 3) {
    if (!resp::ParseInt64(ctx.arg(2), &count) || count < 0) {
      return ctx.w.Error(kNotPositive);
    }
  }
  const PopShape shape = ctx.w.resp() >= 3 && count != -1 ? PopShape::kPairs : PopShape::kFlat;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const ZSetValue* z = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &z)) return;
  if (z == nullptr || count == 0) return ctx.w.ArrayHeader(0);
  PopFrom(ctx, 1, max, count == -1 ? 1 : count, shape);
}

void ZPopMinCmd(CommandContext& ctx) {
  ZPopGeneric(ctx, false);
}

void ZPopMaxCmd(CommandContext& ctx) {
  ZPopGeneric(ctx, true);
}

// ---- BZPOPMIN / BZPOPMAX key [key ...] timeout ----

template <bool kMax>
bool ServeBZPop(CommandContext& ctx, const std::string_view* ready) {
  if (ready == nullptr) {
    ctx.w.NullArray();
    return true;
  }
  PopFrom(ctx, ReadyKeyArg(ctx, 1, ctx.argc() - 1, *ready), kMax, 1, PopShape::kKeyMemberScore);
  return true;
}

template <bool kMax>
void BZPopCmd(CommandContext& ctx) {
  int64_t deadline = 0;
  if (!ParseBlockTimeout(ctx, ctx.arg(ctx.argc() - 1), &deadline)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const size_t last_key = ctx.argc() - 1;
  for (size_t k = 1; k < last_key; ++k) {
    const ZSetValue* z = nullptr;
    if (!ReadCollection(ctx, *db, ctx.arg(k), &z)) return;
    if (z != nullptr) return PopFrom(ctx, k, kMax, 1, PopShape::kKeyMemberScore);
  }
  if (!ctx.may_block()) return ctx.w.NullArray();
  ctx.BlockOnKeys(ctx.args.subspan(1, last_key - 1), ValueType::kZSet, deadline, ServeBZPop<kMax>);
}

// ---- ZMPOP numkeys key [key ...] MIN|MAX [COUNT count], BZMPOP timeout numkeys ... ----

// Pops from the first non-empty key; false if all are empty (nothing replied) or after an error.
bool PopFirstNonEmpty(CommandContext& ctx, const MPopArgs& a, bool* replied) {
  *replied = true;
  Bucket* db = ctx.Db();
  if (db == nullptr) return false;
  for (size_t k = a.keys_begin; k < a.keys_end; ++k) {
    const ZSetValue* z = nullptr;
    if (!ReadCollection(ctx, *db, ctx.arg(k), &z)) return false;
    if (z != nullptr) {
      PopFrom(ctx, k, a.second, a.count, PopShape::kKeyPairs);
      return true;
    }
  }
  *replied = false;
  return false;
}

void ZMPopCmd(CommandContext& ctx) {
  MPopArgs a;
  if (!ParseMPopArgs(ctx, 1, "min", "max", &a)) return;
  bool replied = false;
  if (!PopFirstNonEmpty(ctx, a, &replied) && !replied) ctx.w.NullArray();
}

bool ServeBZMPop(CommandContext& ctx, const std::string_view* ready) {
  if (ready == nullptr) {
    ctx.w.NullArray();
    return true;
  }
  MPopArgs a;
  if (!ParseMPopArgs(ctx, 2, "min", "max", &a)) return true;  // parsed before it waited
  PopFrom(ctx, ReadyKeyArg(ctx, a.keys_begin, a.keys_end, *ready), a.second, a.count,
          PopShape::kKeyPairs);
  return true;
}

void BZMPopCmd(CommandContext& ctx) {
  MPopArgs a;
  if (!ParseMPopArgs(ctx, 2, "min", "max", &a)) return;
  int64_t deadline = 0;
  if (!ParseBlockTimeout(ctx, ctx.arg(1), &deadline)) return;
  bool replied = false;
  if (PopFirstNonEmpty(ctx, a, &replied) || replied) return;
  if (!ctx.may_block()) return ctx.w.NullArray();
  ctx.BlockOnKeys(ctx.args.subspan(a.keys_begin, a.keys_end - a.keys_begin), ValueType::kZSet,
                  deadline, ServeBZMPop);
}

constexpr uint32_t kWF = kWrite | kFast;

constexpr CommandSpec kCommands[] = {
    {"zpopmin", -2, kWF, ZPopMinCmd, 1, 1, 1},
    {"zpopmax", -2, kWF, ZPopMaxCmd, 1, 1, 1},
    {"zmpop", -4, kWrite, ZMPopCmd, 0, 0, 0},
    {"bzpopmin", -3, kWF | kBlocking | kNoScript, BZPopCmd<false>, 1, -2, 1},
    {"bzpopmax", -3, kWF | kBlocking | kNoScript, BZPopCmd<true>, 1, -2, 1},
    {"bzmpop", -5, kWrite | kBlocking, BZMPopCmd, 0, 0, 0},
};

}  // namespace

std::span<const CommandSpec> ZSetPopCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
