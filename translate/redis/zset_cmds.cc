// File: translate/redis/zset_cmds.cc
// Sorted sets, as redis-server 7.0 answers them: ZADD (NX XX GT LT CH INCR) ZINCRBY ZREM ZCARD
// ZSCORE ZMSCORE ZRANK ZREVRANK ZCOUNT ZLEXCOUNT ZPOPMIN ZPOPMAX ZMPOP ZRANDMEMBER ZSCAN. Ranges
// are in zset_range_cmds.cc, set algebra in zset_algebra_cmds.cc. Writes change the key's
// engine::ZSetValue in place (ctx.AwaitMutate: one revision per command that changed it; an
// emptied zset deletes the key, as in Redis).
//
//   ZADD z 1 a 2 b   -> :2   (keyspace event "zadd")
//   ZSCORE z a       -> $1 1  (RESP3: ,1)
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/collections/zset_value.h"
#include "engine/store.h"
#include "protocols/resp/number.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/notifications.h"
#include "translate/redis/random.h"
#include "translate/redis/scan_args.h"
#include "translate/redis/zset_common.h"

namespace kvgate::redis {
namespace {

using Bucket = engine::StoreBucket;
using engine::ValueType;
using Node = ZSetValue::Node;

struct AddFlags {
  bool nx = false, xx = false, gt = false, lt = false, ch = false, incr = false;
};

struct AddState {
  int32_t added = 0;
  int32_t updated = 0;
  int32_t processed = 0;
  bool nan = false;
  bool incr = false;
  bool ch = false;
  double score = 0;
};

// Redis zsetAdd for one pair; false when the result would be NaN.
bool AddOne(CommandContext& ctx, ZSetValue& z, const AddFlags& f, double score,
            std::string_view member, AddState& s) {
  if (auto cur = z.Score(member)) {
    if (f.nx) return true;
    if (f.incr) {
      score += *cur;
      if (std::isnan(score)) return false;
    }
    if ((f.lt && score >= *cur) || (f.gt && score <= *cur)) return true;
    s.score = score;
    ++s.processed;
    if (score != *cur) {
      SetMember(ctx, z, member, score);
      ++s.updated;
    }
    return true;
  }
  if (f.xx) return true;
  SetMember(ctx, z, member, score);
  s.score = score;
  ++s.added;
  ++s.processed;
  return true;
}

void ZAddGeneric(CommandContext& ctx, bool incr_cmd) {
  AddFlags f;
  f.incr = incr_cmd;
  size_t idx = 2;
  for (; idx < ctx.argc(); ++idx) {
    const std::string_view o = CString(ctx.arg(idx));
    if (EqualsIgnoreCase(o, "nx")) {
      f.nx = true;
    } else if (EqualsIgnoreCase(o, "xx")) {
      f.xx = true;
    } else if (EqualsIgnoreCase(o, "ch")) {
      f.ch = true;
    } else if (EqualsIgnoreCase(o, "incr")) {
      f.incr = true;
    } else if (EqualsIgnoreCase(o, "gt")) {
      f.gt = true;
    } else if (EqualsIgnoreCase(o, "lt")) {
      f.lt = true;
    } else {
      break;
    }
  }
  const size_t rest = ctx.argc() - idx;
  if (rest == 0 || rest % 2 != 0) return ctx.w.Error(kSyntaxError);
  if (f.nx && f.xx) {
    return ctx.w.Error("ERR XX and NX options at the same time are not compatible");
  }
  if ((f.gt && f.nx) || (f.lt && f.nx) || (f.gt && f.lt)) {
    return ctx.w.Error("ERR GT, LT, and/or NX options at the same time are not compatible");
  }
  if (f.incr && rest > 2) {
    return ctx.w.Error("ERR INCR option supports a single increment-element pair");
  }
  std::vector<double> scores(rest / 2);
  for (size_t j = 0; j < scores.size(); ++j) {
    if (!ParseScore(ctx.arg(idx + 2 * j), &scores[j])) return ctx.w.Error(kNotFloat);
  }
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  AddState init;
  init.incr = f.incr;
  init.ch = f.ch;
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kZSet, {.create = !f.xx}, init,
      [&](engine::Collection& c, AddState& s) {
        auto& z = static_cast<ZSetValue&>(c);
        for (size_t j = 0; j < scores.size(); ++j) {
          if (!AddOne(ctx, z, f, scores[j], ctx.arg(idx + 2 * j + 1), s)) {
            s.nan = true;
            break;
          }
        }
        return s.added + s.updated > 0;
      },
      [](CommandContext& c, engine::WriteResult r, AddState s) {
        if (!r.ok() && r.errc() != engine::Errc::kNotFound) return ReplyEngineError(c.w, r.errc());
        if (s.added + s.updated > 0) c.Notify(kNotifyZset, s.incr ? "zincr" : "zadd", c.arg(1));
        if (s.nan) return c.w.Error("ERR resulting score is not a number (NaN)");
        if (s.incr) {
          if (s.processed == 0) return c.w.Null();
          return c.w.Double(s.score);
        }
        c.w.Integer(s.ch ? s.added + s.updated : s.added);
      });
}

void ZAddCmd(CommandContext& ctx) {
  ZAddGeneric(ctx, false);
}

void ZIncrByCmd(CommandContext& ctx) {
  ZAddGeneric(ctx, true);
}

void ZRemCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kZSet, {.create = false, .may_grow = false}, RemovedState{},
      [&](engine::Collection& c, RemovedState& s) {
        auto& z = static_cast<ZSetValue&>(c);
        for (size_t i = 2; i < ctx.argc() && z.size() > 0; ++i) {
          s.deleted += z.Erase(ctx.arg(i)) ? 1 : 0;
        }
        s.emptied = z.size() == 0;
        return s.deleted > 0;
      },
      [](CommandContext& c, engine::WriteResult r, RemovedState s) {
        ReplyRemoved(c, r, s, "zrem");
      });
}

// Runs fn(zset or nullptr) after the key read, unless that replied (WRONGTYPE, engine error).
template <typename F>
void WithZSet(CommandContext& ctx, size_t key_arg, F&& fn) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const ZSetValue* z = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(key_arg), &z)) return;
  fn(z);
}

void ZCardCmd(CommandContext& ctx) {
  WithZSet(ctx, 1, [&](const ZSetValue* z) {
    ctx.w.Integer(z != nullptr ? static_cast<int64_t>(z->size()) : 0);
  });
}

void ZScoreCmd(CommandContext& ctx) {
  WithZSet(ctx, 1, [&](const ZSetValue* z) {
    auto s = z != nullptr ? z->Score(ctx.arg(2)) : std::nullopt;
    if (!s) return ctx.w.Null();
    ctx.w.Double(*s);
  });
}

void ZMScoreCmd(CommandContext& ctx) {
  WithZSet(ctx, 1, [&](const ZSetValue* z) {
    ctx.w.ArrayHeader(ctx.argc() - 2);
    for (size_t i = 2; i < ctx.argc(); ++i) {
      auto s = z != nullptr ? z->Score(ctx.arg(i)) : std::nullopt;
      if (s) {
        ctx.w.Double(*s);
      } else {
        ctx.w.Null();
      }
    }
  });
}

void ZRankGeneric(CommandContext& ctx, bool reverse) {
  WithZSet(ctx, 1, [&](const ZSetValue* z) {
    auto r = z != nullptr ? z->Rank(ctx.arg(2)) : std::nullopt;
    if (!r) return ctx.w.Null();
    ctx.w.Integer(static_cast<int64_t>(reverse ? z->size() - 1 - *r : *r));
  });
}

void ZRankCmd(CommandContext& ctx) {
  ZRankGeneric(ctx, false);
}

void ZRevRankCmd(CommandContext& ctx) {
  ZRankGeneric(ctx, true);
}

void ZCountCmd(CommandContext& ctx) {
  engine::ScoreRange r;
  if (!ParseScoreRange(ctx.arg(2), ctx.arg(3), &r)) return ctx.w.Error(kMinMaxNotFloat);
  WithZSet(ctx, 1, [&](const ZSetValue* z) {
    const Node* first = z != nullptr ? z->FirstInRange(r) : nullptr;
    if (first == nullptr) return ctx.w.Integer(0);
    const Node* last = z->LastInRange(r);
    const size_t a = *z->Rank(ZSetValue::MemberOf(first));
    const size_t b = *z->Rank(ZSetValue::MemberOf(last));
    ctx.w.Integer(static_cast<int64_t>(b - a + 1));
  });
}

void ZLexCountCmd(CommandContext& ctx) {
  engine::LexRange r;
  if (!ParseLexRange(ctx.arg(2), ctx.arg(3), &r)) return ctx.w.Error(kLexRangeInvalid);
  WithZSet(ctx, 1, [&](const ZSetValue* z) {
    const Node* first = z != nullptr ? z->FirstInRange(r) : nullptr;
    if (first == nullptr) return ctx.w.Integer(0);
    int64_t n = 0;
    if (z->listpack()) {  // Redis's listpack counts forward while members stay below max
      for (const Node* x = first; x != nullptr && ZSetValue::LteMax(r, ZSetValue::MemberOf(x));
           x = ZSetValue::Next(x)) {
        ++n;
      }
      return ctx.w.Integer(n);
    }
    const Node* last = z->LastInRange(r);
    const size_t a = *z->Rank(ZSetValue::MemberOf(first));
    const size_t b = *z->Rank(ZSetValue::MemberOf(last));
    ctx.w.Integer(b >= a ? static_cast<int64_t>(b - a + 1) : 0);
  });
}

// ---- pops ----

struct Popped {
  std::string member;
  double score;
};

struct PopState {
  std::shared_ptr<std::vector<Popped>> out;
  bool emptied = false;
};

// Pops up to `count` from the zset at `key_arg` and replies: a flat or nested array of member
// and score, after [key, ...] for ZMPOP.
void PopFrom(CommandContext& ctx, size_t key_arg, bool max, int64_t count, bool nested,
             bool emit_key) {
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
      [key_arg, max, nested, emit_key](CommandContext& c, engine::WriteResult r, PopState s) {
        const auto& owned = s.out;
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        if (!owned->empty()) c.Notify(kNotifyZset, max ? "zpopmax" : "zpopmin", c.arg(key_arg));
        if (s.emptied) c.Notify(kNotifyGeneric, "del", c.arg(key_arg));
        if (emit_key) {
          c.w.ArrayHeader(2);
          c.w.Bulk(c.arg(key_arg));
        }
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
  const bool nested = ctx.w.resp() >= 3 && count != -1;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const ZSetValue* z = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &z)) return;
  if (z == nullptr || count == 0) return ctx.w.ArrayHeader(0);
  PopFrom(ctx, 1, max, count == -1 ? 1 : count, nested, false);
}

void ZPopMinCmd(CommandContext& ctx) {
  ZPopGeneric(ctx, false);
}

void ZPopMaxCmd(CommandContext& ctx) {
  ZPopGeneric(ctx, true);
}

void ZMPopCmd(CommandContext& ctx) {
  MPopArgs a;
  if (!ParseMPopArgs(ctx, 1, "min", "max", &a)) return;
  const bool max = a.second;
  const int64_t count = a.count;
  const size_t where = a.keys_end;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  for (size_t k = 2; k < where; ++k) {
    const ZSetValue* z = nullptr;
    if (!ReadCollection(ctx, *db, ctx.arg(k), &z)) return;
    if (z != nullptr) return PopFrom(ctx, k, max, count, true, true);
  }
  ctx.w.NullArray();
}

// ---- ZRANDMEMBER ----

void ZRandMemberCmd(CommandContext& ctx) {
  int64_t count = 0;
  const bool has_count = ctx.argc() >= 3;
  if (has_count) {
    if (!ParseRandomCount(ctx, ctx.arg(2), &count)) return;
  }
  if (ctx.argc() > 4 || (ctx.argc() == 4 && !EqualsIgnoreCase(CString(ctx.arg(3)), "withscores"))) {
    return ctx.w.Error(kSyntaxError);
  }
  const bool withscores = ctx.argc() == 4;
  if (withscores && (count < -(INT64_MAX / 2) || count > INT64_MAX / 2)) {
    return ctx.w.Error("ERR value is out of range");
  }
  WithZSet(ctx, 1, [&](const ZSetValue* z) {
    if (!has_count) {
      if (z == nullptr) return ctx.w.Null();
      return ctx.w.Bulk(ZSetValue::MemberOf(z->AtRank(RandomU64() % z->size())));
    }
    const uint64_t want = count < 0 ? static_cast<uint64_t>(-count) : static_cast<uint64_t>(count);
    if (z == nullptr || want == 0) return ctx.w.ArrayHeader(0);
    if (count > 0 && want >= z->size()) {  // the whole zset, from the top (Redis's iterator)
      WriteScoredHeader(ctx, z->size(), withscores);
      for (const Node* n = z->Last(); n != nullptr; n = ZSetValue::Prev(n)) {
        WriteScored(ctx, ZSetValue::MemberOf(n), ZSetValue::ScoreOf(n), withscores);
      }
      return;
    }
    if (want > kMaxRandomCount) return ctx.w.Error(kRandomCountTooLarge);
    WriteScoredHeader(ctx, want, withscores);
    if (count < 0) {  // repetitions allowed
      for (uint64_t i = 0; i < want; ++i) {
        const Node* n = z->AtRank(RandomU64() % z->size());
        WriteScored(ctx, ZSetValue::MemberOf(n), ZSetValue::ScoreOf(n), withscores);
      }
      return;
    }
    std::vector<const Node*> all;  // distinct: a partial Fisher-Yates shuffle
    all.reserve(z->size());
    for (const Node* n = z->First(); n != nullptr; n = ZSetValue::Next(n)) all.push_back(n);
    for (uint64_t i = 0; i < want; ++i) {
      std::swap(all[i], all[i + RandomU64() % (all.size() - i)]);
      WriteScored(ctx, ZSetValue::MemberOf(all[i]), ZSetValue::ScoreOf(all[i]), withscores);
    }
  });
}

// ZSCAN: a listpack answers in one call (Redis); a skiplist walks ranks. The cursor is the next
// rank under the zset's unlink count (bits 40..62): when members were removed or moved since,
// the scan starts over (repeats are allowed, misses are not).
constexpr int kCursorEpochShift = 40;
constexpr uint64_t kCursorPosMask = (uint64_t{1} << kCursorEpochShift) - 1;
constexpr uint64_t kCursorEpochMask = (uint64_t{1} << 23) - 1;

void ZScanCmd(CommandContext& ctx) {
  uint64_t cursor = 0;
  if (!ParseScanCursor(ctx.arg(2), &cursor)) return ctx.w.Error(kInvalidCursor);
  WithZSet(ctx, 1, [&](const ZSetValue* z) {
    // Redis answers a missing key before it reads the options.
    if (z == nullptr) return WriteScanHeader(ctx.w, 0, 0);
    ScanArgs a;
    if (!ParseScanArgs(ctx, 2, /*allow_type=*/false, &a)) return;
    std::vector<const Node*> found;
    uint64_t next = 0;
    if (z != nullptr) {
      const bool all = z->listpack();
      const uint64_t epoch = z->unlinks() & kCursorEpochMask;
      uint64_t pos = a.cursor & kCursorPosMask;
      if (all || (a.cursor >> kCursorEpochShift) != epoch) pos = 0;
      const Node* n = pos < z->size() ? z->AtRank(pos) : nullptr;
      for (uint64_t seen = 0; n != nullptr && (all || seen < static_cast<uint64_t>(a.count));
           n = ZSetValue::Next(n), ++seen, ++pos) {
        if (a.Matches(ZSetValue::MemberOf(n))) found.push_back(n);
      }
      next = n != nullptr ? (epoch << kCursorEpochShift) | pos : 0;
    }
    WriteScanHeader(ctx.w, next, found.size() * 2);
    for (const Node* n : found) {
      ctx.w.Bulk(ZSetValue::MemberOf(n));
      ctx.w.Bulk(ScoreText(ZSetValue::ScoreOf(n), z->listpack()));
    }
  });
}

constexpr uint32_t kWF = kWrite | kFast;
constexpr uint32_t kRF = kReadOnly | kFast;

constexpr CommandSpec kCommands[] = {
    {"zadd", -4, kWF, ZAddCmd, 1, 1, 1},
    {"zincrby", 4, kWF, ZIncrByCmd, 1, 1, 1},
    {"zrem", -3, kWF, ZRemCmd, 1, 1, 1},
    {"zcard", 2, kRF, ZCardCmd, 1, 1, 1},
    {"zscore", 3, kRF, ZScoreCmd, 1, 1, 1},
    {"zmscore", -3, kRF, ZMScoreCmd, 1, 1, 1},
    {"zrank", 3, kRF, ZRankCmd, 1, 1, 1},
    {"zrevrank", 3, kRF, ZRevRankCmd, 1, 1, 1},
    {"zcount", 4, kRF, ZCountCmd, 1, 1, 1},
    {"zlexcount", 4, kRF, ZLexCountCmd, 1, 1, 1},
    {"zpopmin", -2, kWF, ZPopMinCmd, 1, 1, 1},
    {"zpopmax", -2, kWF, ZPopMaxCmd, 1, 1, 1},
    {"zmpop", -4, kWrite, ZMPopCmd, 0, 0, 0},
    {"zrandmember", -2, kReadOnly, ZRandMemberCmd, 1, 1, 1},
    {"zscan", -3, kReadOnly, ZScanCmd, 1, 1, 1},
};

}  // namespace

std::span<const CommandSpec> ZSetCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
