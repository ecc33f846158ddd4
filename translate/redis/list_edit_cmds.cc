// File: translate/redis/list_edit_cmds.cc
// Lists, the commands that work inside a list or move between two, as redis-server 7.0 answers
// them: LSET LINSERT LREM LTRIM LPOS LMOVE RPOPLPUSH. The move step (MoveAndReply,
// list_access.h) is shared with BLMOVE.
//
//   LINSERT l BEFORE b x   -> :4   ("linsert"; -1 without the pivot, 0 without the key)
//   LMOVE a b LEFT RIGHT   -> $1 x  ("rpush" b, "lpop" a)
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

// What a move's continuations need, in one small value (a Completion's capture is bounded).
struct MoveState {
  std::string element;
  uint16_t src_arg = 0;
  uint16_t dst_arg = 0;
  bool from_left = false;
  bool to_left = false;
  bool emptied = false;
};

// The same key: pop and push in one change (the list never empties in between).
void RotateAndReply(CommandContext& ctx, Bucket& db, size_t key_arg, bool from_left, bool to_left) {
  ctx.AwaitMutate(
      db, ctx.arg(key_arg), ValueType::kList, {.create = false},
      MoveState{
          {}, static_cast<uint16_t>(key_arg), static_cast<uint16_t>(key_arg), from_left, to_left},
      [&](engine::Collection& c, MoveState& st) {
        auto& l = static_cast<ListValue&>(c);
        if (!(from_left ? l.PopFront(&st.element) : l.PopBack(&st.element))) return false;
        PushToList(l, to_left, st.element);
        return true;
      },
      [](CommandContext& c, engine::WriteResult r, const MoveState& st) {
        if (r.errc() == engine::Errc::kNotFound) return c.w.Null();
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        c.Notify(kNotifyList, PushEvent(st.to_left), c.arg(st.src_arg));
        c.Notify(kNotifyList, PopEvent(st.from_left), c.arg(st.src_arg));
        c.w.Bulk(st.element);
      });
}

}  // namespace

void MoveAndReply(CommandContext& ctx, Bucket& db, size_t src_arg, size_t dst_arg, bool from_left,
                  bool to_left) {
  const ListValue* src = nullptr;
  if (!ReadCollection(ctx, db, ctx.arg(src_arg), &src)) return;
  if (src == nullptr || src->size() == 0) return ctx.w.Null();
  const ListValue* dst = nullptr;
  if (!ReadCollection(ctx, db, ctx.arg(dst_arg), &dst)) return;
  if (ctx.arg(src_arg) == ctx.arg(dst_arg)) {
    return RotateAndReply(ctx, db, src_arg, from_left, to_left);
  }
  // The source's change is the one refused over maxmemory (may_grow); once it has popped, the
  // push must not be refused, or the element would be lost.
  ctx.AwaitMutate(
      db, ctx.arg(src_arg), ValueType::kList, {.create = false},
      MoveState{
          {}, static_cast<uint16_t>(src_arg), static_cast<uint16_t>(dst_arg), from_left, to_left},
      [&](engine::Collection& c, MoveState& st) {
        auto& l = static_cast<ListValue&>(c);
        if (!(from_left ? l.PopFront(&st.element) : l.PopBack(&st.element))) return false;
        st.emptied = l.size() == 0;
        return true;
      },
      [](CommandContext& c, engine::WriteResult r, MoveState& st) {
        if (r.errc() == engine::Errc::kNotFound) return c.w.Null();
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        Bucket* to = c.Db();
        if (to == nullptr) return;
        c.AwaitMutate(
            *to, c.arg(st.dst_arg), ValueType::kList, {.may_grow = false}, std::move(st),
            [](engine::Collection& coll, MoveState& s) {
              PushToList(static_cast<ListValue&>(coll), s.to_left, s.element);
              return true;
            },
            [](CommandContext& c2, engine::WriteResult r2, const MoveState& s) {
              if (!r2.ok()) return ReplyEngineError(c2.w, r2.errc());
              c2.Notify(kNotifyList, PushEvent(s.to_left), c2.arg(s.dst_arg));
              c2.Notify(kNotifyList, PopEvent(s.from_left), c2.arg(s.src_arg));
              if (s.emptied) c2.Notify(kNotifyGeneric, "del", c2.arg(s.src_arg));
              c2.w.Bulk(s.element);
            });
      });
}

namespace {

void LMoveCmd(CommandContext& ctx) {
  bool from_left = false;
  bool to_left = false;
  if (!ParseListEnd(ctx.arg(3), &from_left) || !ParseListEnd(ctx.arg(4), &to_left)) {
    return ctx.w.Error(kSyntaxError);
  }
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  MoveAndReply(ctx, *db, 1, 2, from_left, to_left);
}

void RPopLPushCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  MoveAndReply(ctx, *db, 1, 2, false, true);
}

// LSET key index element: the key first (ERR no such key), then the index.
void LSetCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const ListValue* l = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &l)) return;
  if (l == nullptr) return ctx.w.Error(kNoSuchKey);
  int64_t index = 0;
  if (!resp::ParseInt64(ctx.arg(2), &index)) return ctx.w.Error(kNotInteger);
  const auto len = static_cast<int64_t>(l->size());
  if (index < 0) index += len;
  if (index < 0 || index >= len) return ctx.w.Error("ERR index out of range");
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kList, {.create = false}, 0,
      [&](engine::Collection& c, int&) {
        static_cast<ListValue&>(c).Set(static_cast<size_t>(index), ctx.arg(3));
        return true;
      },
      [](CommandContext& c, engine::WriteResult r, int) {
        if (r.errc() == engine::Errc::kNotFound) return c.w.Error(kNoSuchKey);
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        c.Notify(kNotifyList, "lset", c.arg(1));
        c.w.Ok();
      });
}

// LINSERT key BEFORE|AFTER pivot element: the new length, -1 without the pivot, 0 without the
// key.
void LInsertCmd(CommandContext& ctx) {
  const std::string_view where = CString(ctx.arg(2));
  const bool after = EqualsIgnoreCase(where, "after");
  if (!after && !EqualsIgnoreCase(where, "before")) return ctx.w.Error(kSyntaxError);
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kList, {.create = false}, int64_t{-1},
      [&](engine::Collection& c, int64_t& len) {
        auto& l = static_cast<ListValue&>(c);
        size_t at = 0;
        bool found = false;
        l.Walk(0, true, [&](std::string_view e) {
          if (e == ctx.arg(3)) return !(found = true);
          ++at;
          return true;
        });
        if (!found) return false;
        l.Insert(after ? at + 1 : at, ctx.arg(4));
        len = static_cast<int64_t>(l.size());
        return true;
      },
      [](CommandContext& c, engine::WriteResult r, int64_t len) {
        if (r.errc() == engine::Errc::kNotFound) return c.w.Integer(0);
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        if (len > 0) c.Notify(kNotifyList, "linsert", c.arg(1));
        c.w.Integer(len);
      });
}

struct RemState {
  int64_t removed = 0;
  bool emptied = false;
};

// LREM key count element: the count first.
void LRemCmd(CommandContext& ctx) {
  int64_t count = 0;
  if (!resp::ParseInt64(ctx.arg(2), &count)) return ctx.w.Error(kNotInteger);
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kList, {.create = false, .may_grow = false}, RemState{},
      [&](engine::Collection& c, RemState& st) {
        auto& l = static_cast<ListValue&>(c);
        st.removed = static_cast<int64_t>(l.Remove(ctx.arg(3), count));
        st.emptied = l.size() == 0;
        return st.removed > 0;
      },
      [](CommandContext& c, engine::WriteResult r, RemState st) {
        if (r.errc() == engine::Errc::kNotFound) return c.w.Integer(0);
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        if (st.removed > 0) c.Notify(kNotifyList, "lrem", c.arg(1));
        if (st.emptied) c.Notify(kNotifyGeneric, "del", c.arg(1));
        c.w.Integer(st.removed);
      });
}

// LTRIM key start stop: Redis signals the key and fires "ltrim" even when nothing goes, so
// this always makes a revision (WATCH sees it).
void LTrimCmd(CommandContext& ctx) {
  int64_t start = 0;
  int64_t stop = 0;
  if (!ParseListRange(ctx, &start, &stop)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kList, {.create = false, .may_grow = false}, false,
      [&](engine::Collection& c, bool& emptied) {
        auto& l = static_cast<ListValue&>(c);
        const auto len = static_cast<int64_t>(l.size());
        int64_t s = start;
        int64_t e = stop;
        if (ClampListRange(len, &s, &e)) {
          l.Trim(static_cast<size_t>(s), static_cast<size_t>(len - e - 1));
        } else {
          l.Trim(static_cast<size_t>(len), 0);
        }
        emptied = l.size() == 0;
        return true;
      },
      [](CommandContext& c, engine::WriteResult r, bool emptied) {
        if (r.errc() == engine::Errc::kNotFound) return c.w.Ok();
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        c.Notify(kNotifyList, "ltrim", c.arg(1));
        if (emptied) c.Notify(kNotifyGeneric, "del", c.arg(1));
        c.w.Ok();
      });
}

struct LPosArgs {
  int64_t rank = 1;
  int64_t count = -1;  // -1: no COUNT (one index or null)
  int64_t maxlen = 0;  // 0: no bound
};

bool ParseLPosArgs(CommandContext& ctx, LPosArgs* a) {
  for (size_t j = 3; j < ctx.argc(); ++j) {
    const std::string_view opt = CString(ctx.arg(j));
    const bool more = j + 1 < ctx.argc();
    if (EqualsIgnoreCase(opt, "rank") && more) {
      if (!resp::ParseInt64(ctx.arg(++j), &a->rank)) return ctx.w.Error(kNotInteger), false;
      if (a->rank == 0) {
        ctx.w.Error(
            "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
            "or use negative to start from the end of the list");
        return false;
      }
    } else if (EqualsIgnoreCase(opt, "count") && more) {
      if (!resp::ParseInt64(ctx.arg(++j), &a->count) || a->count < 0) {
        return ctx.w.Error("ERR COUNT can't be negative"), false;
      }
    } else if (EqualsIgnoreCase(opt, "maxlen") && more) {
      if (!resp::ParseInt64(ctx.arg(++j), &a->maxlen) || a->maxlen < 0) {
        return ctx.w.Error("ERR MAXLEN can't be negative"), false;
      }
    } else {
      return ctx.w.Error(kSyntaxError), false;
    }
  }
  return true;
}

// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]. A negative rank walks from
// the tail; Redis negates it in a long, so RANK -9223372036854775808 stays negative there and
// every match qualifies: the same here.
void LPosCmd(CommandContext& ctx) {
  LPosArgs a;
  if (!ParseLPosArgs(ctx, &a)) return;
  const bool forward = a.rank > 0;
  const int64_t rank = forward || a.rank == INT64_MIN ? a.rank : -a.rank;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const ListValue* l = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &l)) return;
  std::vector<int64_t> found;
  if (l != nullptr && l->size() > 0) {
    const size_t len = l->size();
    int64_t matches = 0;
    uint64_t step = 0;
    l->Walk(forward ? 0 : len - 1, forward, [&](std::string_view e) {
      if (a.maxlen != 0 && step >= static_cast<uint64_t>(a.maxlen)) return false;
      if (e == ctx.arg(2) && ++matches >= rank) {
        found.push_back(static_cast<int64_t>(forward ? step : len - 1 - step));
        if (a.count == -1) return false;
        // matches - rank + 1 wraps as Redis's long arithmetic does for the extreme rank.
        const auto taken =
            static_cast<int64_t>(static_cast<uint64_t>(matches) - static_cast<uint64_t>(rank) + 1);
        if (a.count != 0 && taken >= a.count) return false;
      }
      ++step;
      return true;
    });
  }
  if (a.count != -1) {
    ctx.w.ArrayHeader(found.size());
    for (int64_t i : found) ctx.w.Integer(i);
    return;
  }
  if (found.empty()) return ctx.w.Null();
  ctx.w.Integer(found.front());
}

constexpr CommandSpec kCommands[] = {
    {"lset", 4, kWrite, LSetCmd, 1, 1, 1},           {"linsert", 5, kWrite, LInsertCmd, 1, 1, 1},
    {"lrem", 4, kWrite, LRemCmd, 1, 1, 1},           {"ltrim", 4, kWrite, LTrimCmd, 1, 1, 1},
    {"lpos", -3, kReadOnly, LPosCmd, 1, 1, 1},       {"lmove", 5, kWrite, LMoveCmd, 1, 2, 1},
    {"rpoplpush", 3, kWrite, RPopLPushCmd, 1, 2, 1},
};

}  // namespace

std::span<const CommandSpec> ListEditCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
