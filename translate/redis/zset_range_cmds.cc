// File: translate/redis/zset_range_cmds.cc
// Sorted-set ranges, as redis-server 7.0 answers them: ZRANGE (BYSCORE BYLEX REV LIMIT
// WITHSCORES) ZRANGESTORE ZRANGEBYSCORE ZREVRANGEBYSCORE ZRANGEBYLEX ZREVRANGEBYLEX ZREVRANGE,
// and ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREMRANGEBYLEX. One parser serves every range form
// (Redis zrangeGenericCommand): the options allowed depend on the command; the range is read
// by rank, score or lex, walked forward or backward, then written or stored.
//
//   ZRANGE z (1 +inf BYSCORE LIMIT 0 2 WITHSCORES   -> *4 a 1.5 b 2
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/collections/zset_value.h"
#include "engine/store.h"
#include "protocols/resp/number.h"
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

enum class By : uint8_t { kAuto, kRank, kScore, kLex };
enum class Dir : uint8_t { kAuto, kForward, kReverse };

struct RangeSpec {
  By by = By::kAuto;
  bool reverse = false;
  bool withscores = false;
  int64_t offset = 0;
  int64_t limit = -1;
  int64_t start = 0;
  int64_t end = 0;
  engine::ScoreRange score;
  engine::LexRange lex;
};

// Redis zrangeGenericCommand's parse: options after <key> <min> <max> at `key_arg`.
bool ParseRange(CommandContext& ctx, size_t key_arg, bool store, By by, Dir dir, RangeSpec* s) {
  for (size_t j = key_arg + 3; j < ctx.argc(); ++j) {
    const size_t left = ctx.argc() - j - 1;
    const std::string_view o = CString(ctx.arg(j));
    if (!store && EqualsIgnoreCase(o, "withscores")) {
      s->withscores = true;
    } else if (EqualsIgnoreCase(o, "limit") && left >= 2) {
      if (!resp::ParseInt64(ctx.arg(j + 1), &s->offset) ||
          !resp::ParseInt64(ctx.arg(j + 2), &s->limit)) {
        ctx.w.Error(kNotInteger);
        return false;
      }
      j += 2;
    } else if (dir == Dir::kAuto && EqualsIgnoreCase(o, "rev")) {
      dir = Dir::kReverse;
    } else if (by == By::kAuto && EqualsIgnoreCase(o, "bylex")) {
      by = By::kLex;
    } else if (by == By::kAuto && EqualsIgnoreCase(o, "byscore")) {
      by = By::kScore;
    } else {
      ctx.w.Error(kSyntaxError);
      return false;
    }
  }
  if (by == By::kAuto) by = By::kRank;
  s->by = by;
  s->reverse = dir == Dir::kReverse;
  if (s->limit != -1 && by == By::kRank) {
    ctx.w.Error(
        "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
    return false;
  }
  if (s->withscores && by == By::kLex) {
    ctx.w.Error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
    return false;
  }
  size_t min = key_arg + 1;
  size_t max = key_arg + 2;
  if (s->reverse && by != By::kRank) std::swap(min, max);
  switch (by) {
    case By::kAuto:
    case By::kRank:
      if (!resp::ParseInt64(ctx.arg(min), &s->start) || !resp::ParseInt64(ctx.arg(max), &s->end)) {
        ctx.w.Error(kNotInteger);
        return false;
      }
      break;
    case By::kScore:
      if (!ParseScoreRange(ctx.arg(min), ctx.arg(max), &s->score)) {
        ctx.w.Error(kMinMaxNotFloat);
        return false;
      }
      break;
    case By::kLex:
      if (!ParseLexRange(ctx.arg(min), ctx.arg(max), &s->lex)) {
        ctx.w.Error(kLexRangeInvalid);
        return false;
      }
      break;
  }
  return true;
}

// Visits the range's nodes in order: fn(node).
template <typename F>
void ForRange(const ZSetValue& z, const RangeSpec& s, F&& fn) {
  const auto step = [&](const Node* n) {
    return s.reverse ? ZSetValue::Prev(n) : ZSetValue::Next(n);
  };
  if (s.by == By::kRank) {
    const auto llen = static_cast<int64_t>(z.size());
    int64_t start = s.start < 0 ? llen + s.start : s.start;
    int64_t end = s.end < 0 ? llen + s.end : s.end;
    start = std::max<int64_t>(start, 0);
    if (start > end || start >= llen) return;
    end = std::min(end, llen - 1);
    const Node* n = z.AtRank(static_cast<size_t>(s.reverse ? llen - 1 - start : start));
    for (int64_t i = start; i <= end && n != nullptr; ++i, n = step(n)) fn(n);
    return;
  }
  if (s.offset > 0 && static_cast<uint64_t>(s.offset) >= z.size()) return;
  const Node* n = nullptr;
  if (s.by == By::kScore) {
    n = s.reverse ? z.LastInRange(s.score) : z.FirstInRange(s.score);
  } else {
    n = s.reverse ? z.LastInRange(s.lex) : z.FirstInRange(s.lex);
  }
  // A negative offset skips everything (Redis's `while (offset--)`); a negative limit is none.
  // Counted unsigned: decrementing INT64_MIN would overflow.
  if (s.offset < 0) return;
  for (uint64_t off = static_cast<uint64_t>(s.offset); n != nullptr && off != 0; --off) n = step(n);
  uint64_t left = s.limit < 0 ? UINT64_MAX : static_cast<uint64_t>(s.limit);
  for (; n != nullptr && left != 0; --left, n = step(n)) {
    if (s.by == By::kScore) {
      const double sc = ZSetValue::ScoreOf(n);
      if (s.reverse ? !ZSetValue::GteMin(s.score, sc) : !ZSetValue::LteMax(s.score, sc)) break;
    } else {
      const std::string_view m = ZSetValue::MemberOf(n);
      if (s.reverse ? !ZSetValue::GteMin(s.lex, m) : !ZSetValue::LteMax(s.lex, m)) break;
    }
    fn(n);
  }
}

void RangeGeneric(CommandContext& ctx, size_t key_arg, bool store, By by, Dir dir) {
  RangeSpec s;
  if (!ParseRange(ctx, key_arg, store, by, dir, &s)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const ZSetValue* z = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(key_arg), &z)) return;
  if (store) {
    engine::CollectionRef out(engine::NewCollection(ValueType::kZSet));
    auto& dst = static_cast<ZSetValue&>(*out);
    if (z != nullptr) {
      ForRange(*z, s, [&](const Node* n) {
        SetMember(ctx, dst, ZSetValue::MemberOf(n), ZSetValue::ScoreOf(n));
      });
    }
    return StoreZSet(ctx, 1, std::move(out), "zrangestore");
  }
  if (z == nullptr) return ctx.w.ArrayHeader(0);
  std::vector<const Node*> found;
  ForRange(*z, s, [&](const Node* n) { found.push_back(n); });
  WriteScoredHeader(ctx, found.size(), s.withscores);
  for (const Node* n : found) {
    WriteScored(ctx, ZSetValue::MemberOf(n), ZSetValue::ScoreOf(n), s.withscores);
  }
}

void ZRangeCmd(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, By::kAuto, Dir::kAuto);
}
void ZRangeStoreCmd(CommandContext& ctx) {
  RangeGeneric(ctx, 2, true, By::kAuto, Dir::kAuto);
}
void ZRevRangeCmd(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, By::kRank, Dir::kReverse);
}
void ZRangeByScoreCmd(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, By::kScore, Dir::kForward);
}
void ZRevRangeByScoreCmd(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, By::kScore, Dir::kReverse);
}
void ZRangeByLexCmd(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, By::kLex, Dir::kForward);
}
void ZRevRangeByLexCmd(CommandContext& ctx) {
  RangeGeneric(ctx, 1, false, By::kLex, Dir::kReverse);
}

// ---- ZREMRANGEBY* ----

void RemRangeGeneric(CommandContext& ctx, By by) {
  RangeSpec s;
  s.by = by;
  if (by == By::kRank) {
    if (!resp::ParseInt64(ctx.arg(2), &s.start) || !resp::ParseInt64(ctx.arg(3), &s.end)) {
      return ctx.w.Error(kNotInteger);
    }
  } else if (by == By::kScore) {
    if (!ParseScoreRange(ctx.arg(2), ctx.arg(3), &s.score)) return ctx.w.Error(kMinMaxNotFloat);
  } else if (!ParseLexRange(ctx.arg(2), ctx.arg(3), &s.lex)) {
    return ctx.w.Error(kLexRangeInvalid);
  }
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const std::string_view event = by == By::kRank    ? "zremrangebyrank"
                                 : by == By::kScore ? "zremrangebyscore"
                                                    : "zremrangebylex";
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kZSet, {.create = false, .may_grow = false}, RemovedState{},
      [&](engine::Collection& c, RemovedState& st) {
        auto& z = static_cast<ZSetValue&>(c);
        std::vector<std::string> doomed;
        ForRange(z, s, [&](const Node* n) { doomed.emplace_back(ZSetValue::MemberOf(n)); });
        for (const std::string& m : doomed) z.Erase(m);
        st.deleted = static_cast<int64_t>(doomed.size());
        st.emptied = z.size() == 0;
        return st.deleted > 0;
      },
      [event](CommandContext& c, engine::WriteResult r, RemovedState st) {
        ReplyRemoved(c, r, st, event);
      });
}

void ZRemRangeByRankCmd(CommandContext& ctx) {
  RemRangeGeneric(ctx, By::kRank);
}
void ZRemRangeByScoreCmd(CommandContext& ctx) {
  RemRangeGeneric(ctx, By::kScore);
}
void ZRemRangeByLexCmd(CommandContext& ctx) {
  RemRangeGeneric(ctx, By::kLex);
}

constexpr CommandSpec kCommands[] = {
    {"zrange", -4, kReadOnly, ZRangeCmd, 1, 1, 1},
    {"zrangestore", -5, kWrite, ZRangeStoreCmd, 1, 2, 1},
    {"zrevrange", -4, kReadOnly, ZRevRangeCmd, 1, 1, 1},
    {"zrangebyscore", -4, kReadOnly, ZRangeByScoreCmd, 1, 1, 1},
    {"zrevrangebyscore", -4, kReadOnly, ZRevRangeByScoreCmd, 1, 1, 1},
    {"zrangebylex", -4, kReadOnly, ZRangeByLexCmd, 1, 1, 1},
    {"zrevrangebylex", -4, kReadOnly, ZRevRangeByLexCmd, 1, 1, 1},
    {"zremrangebyrank", 4, kWrite, ZRemRangeByRankCmd, 1, 1, 1},
    {"zremrangebyscore", 4, kWrite, ZRemRangeByScoreCmd, 1, 1, 1},
    {"zremrangebylex", 4, kWrite, ZRemRangeByLexCmd, 1, 1, 1},
};

}  // namespace

std::span<const CommandSpec> ZSetRangeCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
