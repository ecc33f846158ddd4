// File: translate/redis/set_cmds.cc
// Sets, as redis-server 7.0 answers them: SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP
// SRANDMEMBER SMOVE SSCAN (the algebra, SINTER SUNION SDIFF and their STORE forms, is in
// set_algebra_cmds.cc). Writes change the key's engine::SetValue in place (ctx.AwaitMutate: one
// revision per command that changed it; an emptied set deletes the key, as in Redis); reads look
// at the value the engine holds. An intset answers in numeric order, as Redis's does; a
// hashtable in insertion order (random in Redis).
//
//   SADD s b a 1  -> :3   (keyspace event "sadd"; now a hashtable)
//   SMEMBERS s    -> *3 b a 1  (RESP3: ~3)
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/collections/set_value.h"
#include "engine/store.h"
#include "protocols/resp/number.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/notifications.h"
#include "translate/redis/random.h"
#include "translate/redis/scan_args.h"
#include "translate/redis/set_access.h"

namespace kvgate::redis {
namespace {

using Bucket = engine::StoreBucket;
using engine::SetValue;
using engine::ValueType;

void SAddCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const size_t max = IntsetMax(ctx);
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kSet, {}, int64_t{0},
      [&](engine::Collection& c, int64_t& added) {
        auto& s = static_cast<SetValue&>(c);
        for (size_t i = 2; i < ctx.argc(); ++i) added += s.Add(ctx.arg(i), max) ? 1 : 0;
        return added > 0;
      },
      [](CommandContext& c, engine::WriteResult r, int64_t added) {
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        if (added > 0) c.Notify(kNotifySet, "sadd", c.arg(1));
        c.w.Integer(added);
      });
}

struct RemState {
  int64_t removed = 0;
  bool emptied = false;
};

void SRemCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kSet, {.create = false, .may_grow = false}, RemState{},
      [&](engine::Collection& c, RemState& st) {
        auto& s = static_cast<SetValue&>(c);
        for (size_t i = 2; i < ctx.argc() && s.size() > 0; ++i) {
          st.removed += s.Remove(ctx.arg(i)) ? 1 : 0;
        }
        st.emptied = s.size() == 0;
        return st.removed > 0;
      },
      [](CommandContext& c, engine::WriteResult r, RemState st) {
        if (r.errc() == engine::Errc::kNotFound) return c.w.Integer(0);
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        if (st.removed > 0) c.Notify(kNotifySet, "srem", c.arg(1));
        if (st.emptied) c.Notify(kNotifyGeneric, "del", c.arg(1));
        c.w.Integer(st.removed);
      });
}

void SMembersCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const SetValue* s = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &s)) return;
  ctx.w.SetHeader(s != nullptr ? s->size() : 0);
  if (s != nullptr) s->ForEach([&](std::string_view m) { ctx.w.Bulk(m); });
}

void SIsMemberCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const SetValue* s = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &s)) return;
  ctx.w.Integer(s != nullptr && s->Contains(ctx.arg(2)) ? 1 : 0);
}

void SMIsMemberCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const SetValue* s = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &s)) return;
  ctx.w.ArrayHeader(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    ctx.w.Integer(s != nullptr && s->Contains(ctx.arg(i)) ? 1 : 0);
  }
}

void SCardCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const SetValue* s = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &s)) return;
  ctx.w.Integer(s != nullptr ? static_cast<int64_t>(s->size()) : 0);
}

struct PopState {
  std::vector<std::string> popped;
  bool emptied = false;
};

// SPOP key count: what Redis 7.0 pops for each count (spopWithCountCommand): all of it (in the
// order of a set built anew from it: numeric for integers), `count` random members, or, when
// few are to remain, the members left after drawing the remaining ones, which then form a set
// built anew (an intset again if they allow it).
void PopMany(SetValue& s, uint64_t count, size_t max, PopState& st) {
  const size_t size = s.size();
  if (count >= size) {
    SetValue fresh;
    const bool rebuild = !s.intset() && size <= max;  // an intset is in that order already
    if (rebuild) s.ForEach([&](std::string_view m) { fresh.Add(m, max); });
    (rebuild ? static_cast<const SetValue&>(fresh) : s).ForEach([&](std::string_view m) {
      st.popped.emplace_back(m);
    });
    s.Clear();
    st.emptied = true;
    return;
  }
  const uint64_t remaining = size - count;
  st.popped.reserve(count);
  if (remaining * 5 > count) {
    for (uint64_t i = 0; i < count; ++i) st.popped.push_back(s.PopRandom(RandomU64()));
    return;
  }
  std::vector<std::string> kept;
  kept.reserve(remaining);
  for (uint64_t i = 0; i < remaining; ++i) kept.push_back(s.PopRandom(RandomU64()));
  s.ForEach([&](std::string_view m) { st.popped.emplace_back(m); });
  s.Clear();
  for (const std::string& m : kept) s.Add(m, max);
}

void SPopCmd(CommandContext& ctx) {
  if (ctx.argc() > 3) return ctx.w.Error(kSyntaxError);
  const bool has_count = ctx.argc() == 3;
  int64_t count = 1;
  if (has_count && (!resp::ParseInt64(ctx.arg(2), &count) || count < 0)) {
    return ctx.w.Error(kNotPositive);
  }
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  if (count == 0) {  // Redis answers before touching the set: no event
    const SetValue* s = nullptr;
    if (!ReadCollection(ctx, *db, ctx.arg(1), &s)) return;
    return ctx.w.SetHeader(0);
  }
  const size_t max = IntsetMax(ctx);
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kSet, {.create = false, .may_grow = false}, PopState{},
      [&](engine::Collection& c, PopState& st) {
        auto& s = static_cast<SetValue&>(c);
        if (!has_count) {
          st.popped.push_back(s.PopRandom(RandomU64()));
          st.emptied = s.size() == 0;
        } else {
          PopMany(s, static_cast<uint64_t>(count), max, st);
        }
        return true;
      },
      [has_count](CommandContext& c, engine::WriteResult r, const PopState& st) {
        if (r.errc() == engine::Errc::kNotFound) {
          return has_count ? c.w.SetHeader(0) : c.w.Null();
        }
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        c.Notify(kNotifySet, "spop", c.arg(1));
        if (st.emptied) c.Notify(kNotifyGeneric, "del", c.arg(1));
        if (!has_count) return c.w.Bulk(st.popped.front());
        c.w.SetHeader(st.popped.size());
        for (const std::string& m : st.popped) c.w.Bulk(m);
      });
}

void SRandMemberCmd(CommandContext& ctx) {
  if (ctx.argc() > 3) return ctx.w.Error(kSyntaxError);
  const bool has_count = ctx.argc() == 3;
  int64_t count = 0;
  if (has_count && !ParseRandomCount(ctx, ctx.arg(2), &count)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const SetValue* s = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &s)) return;
  if (!has_count) {
    if (s == nullptr) return ctx.w.Null();
    return ctx.w.Bulk(s->Random(RandomU64()));
  }
  const uint64_t want = count < 0 ? static_cast<uint64_t>(-count) : static_cast<uint64_t>(count);
  if (s == nullptr || want == 0) return ctx.w.ArrayHeader(0);
  if (count < 0 || want == 1) {  // repetitions allowed
    if (want > kMaxRandomCount) return ctx.w.Error(kRandomCountTooLarge);
    ctx.w.ArrayHeader(want);
    for (uint64_t i = 0; i < want; ++i) ctx.w.Bulk(s->Random(RandomU64()));
    return;
  }
  if (want >= s->size()) {  // the whole set, in its order
    ctx.w.ArrayHeader(s->size());
    s->ForEach([&](std::string_view m) { ctx.w.Bulk(m); });
    return;
  }
  // Distinct members: a partial Fisher-Yates shuffle.
  std::vector<std::string> all;
  all.reserve(s->size());
  s->ForEach([&](std::string_view m) { all.emplace_back(m); });
  ctx.w.ArrayHeader(want);
  for (uint64_t i = 0; i < want; ++i) {
    std::swap(all[i], all[i + RandomU64() % (all.size() - i)]);
    ctx.w.Bulk(all[i]);
  }
}

struct MoveState {
  bool removed = false;
  bool emptied = false;
};

// SMOVE src dst member: Redis checks both types before changing anything, then removes from
// src ("srem", and "del" if emptied) and adds to dst ("sadd" if new there): two revisions.
void SMoveCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const SetValue* src = nullptr;
  const SetValue* dst = nullptr;
  {
    auto e = db->Get(ctx.arg(1));
    if (!e.ok()) return ctx.w.Integer(0);  // no source: 0, whatever dst holds
  }
  if (!ReadCollection(ctx, *db, ctx.arg(1), &src) || !ReadCollection(ctx, *db, ctx.arg(2), &dst))
    return;
  if (ctx.arg(1) == ctx.arg(2)) return ctx.w.Integer(src->Contains(ctx.arg(3)) ? 1 : 0);
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kSet, {.create = false, .may_grow = false}, MoveState{},
      [&](engine::Collection& c, MoveState& st) {
        auto& s = static_cast<SetValue&>(c);
        st.removed = s.Remove(ctx.arg(3));
        st.emptied = s.size() == 0;
        return st.removed;
      },
      [](CommandContext& c, engine::WriteResult r, MoveState st) {
        if (r.errc() == engine::Errc::kNotFound) return c.w.Integer(0);
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        if (!st.removed) return c.w.Integer(0);
        c.Notify(kNotifySet, "srem", c.arg(1));
        if (st.emptied) c.Notify(kNotifyGeneric, "del", c.arg(1));
        Bucket* to = c.Db();
        if (to == nullptr) return;
        const size_t max = IntsetMax(c);
        c.AwaitMutate(
            *to, c.arg(2), ValueType::kSet, {}, false,
            [&](engine::Collection& coll, bool& added) {
              added = static_cast<SetValue&>(coll).Add(c.arg(3), max);
              return added;
            },
            [](CommandContext& c2, engine::WriteResult r2, bool added) {
              if (!r2.ok()) return ReplyEngineError(c2.w, r2.errc());
              if (added) c2.Notify(kNotifySet, "sadd", c2.arg(2));
              c2.w.Integer(1);
            });
      });
}

void SScanCmd(CommandContext& ctx) {
  uint64_t cursor = 0;
  if (!ParseScanCursor(ctx.arg(2), &cursor)) return ctx.w.Error(kInvalidCursor);
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const SetValue* s = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &s)) return;
  if (s == nullptr) return WriteScanHeader(ctx.w, 0, 0);  // Redis: options not even parsed
  ScanArgs a;
  if (!ParseScanArgs(ctx, 2, /*allow_type=*/false, &a)) return;
  std::vector<std::string> found;
  const uint64_t next = s->Scan(a.cursor, static_cast<size_t>(a.count), [&](std::string_view m) {
    if (a.Matches(m)) found.emplace_back(m);
  });
  WriteScanHeader(ctx.w, next, found.size());
  for (const std::string& m : found) ctx.w.Bulk(m);
}

constexpr uint32_t kWF = kWrite | kFast;
constexpr uint32_t kRF = kReadOnly | kFast;

constexpr CommandSpec kCommands[] = {
    {"sadd", -3, kWF, SAddCmd, 1, 1, 1},
    {"srem", -3, kWF, SRemCmd, 1, 1, 1},
    {"smembers", 2, kReadOnly, SMembersCmd, 1, 1, 1},
    {"sismember", 3, kRF, SIsMemberCmd, 1, 1, 1},
    {"smismember", -3, kRF, SMIsMemberCmd, 1, 1, 1},
    {"scard", 2, kRF, SCardCmd, 1, 1, 1},
    {"spop", -2, kWF, SPopCmd, 1, 1, 1},
    {"srandmember", -2, kReadOnly, SRandMemberCmd, 1, 1, 1},
    {"smove", 4, kWF, SMoveCmd, 1, 2, 1},
    {"sscan", -3, kReadOnly, SScanCmd, 1, 1, 1},
};

}  // namespace

std::span<const CommandSpec> SetCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
