// File: translate/redis/stream_cmds.cc
// Streams, as redis-server 7.0 answers them: XADD (IDs *, ms-*, explicit; NOMKSTREAM; MAXLEN /
// MINID with = or ~ and LIMIT), XLEN, XRANGE / XREVRANGE (- +, exclusive "(" bounds, COUNT,
// incomplete IDs), XDEL, XTRIM and XSETID. Writes change the key's engine::StreamValue in place
// (ctx.AwaitMutate: one revision per command that changed it); an emptied stream stays, as in
// Redis. XREAD is in stream_read_cmds.cc, XINFO in stream_info_cmds.cc.
//
//   XADD s 1-1 f v         -> "1-1"   (keyspace event "xadd")
//   XRANGE s - + COUNT 1   -> *1 [1-1, [f, v]]
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/collections/stream_value.h"
#include "engine/store.h"
#include "protocols/ascii.h"
#include "protocols/resp/number.h"
#include "translate/redis/collection_access.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/notifications.h"
#include "translate/redis/stream_access.h"

namespace kvgate::redis {

using Bucket = engine::StoreBucket;
using engine::StreamId;
using engine::StreamValue;
using engine::ValueType;

namespace {

// Redis keeps a stream's elements below a listpack's 1 GiB (STREAM_LISTPACK_MAX_SIZE).
constexpr uint64_t kMaxElementsBytes = uint64_t{1} << 30;

enum class AddError : uint8_t { kNone, kExhausted, kNotGreater, kTooLarge };

struct AddState {
  StreamId id;
  uint64_t trimmed = 0;
  AddError error = AddError::kNone;
};

// streamAppendItem's ID rule: `*` takes the clock (or the last ID's successor), ms-* the next
// sequence of that millisecond, an explicit ID must exceed the last one.
AddError NextId(const StreamValue& s, const StreamAddArgs& a, int64_t now_ms, StreamId* out) {
  const StreamId last = s.last_id();
  if (last == engine::kMaxStreamId) return AddError::kExhausted;
  StreamId id;
  if (!a.id_given) {
    const auto ms = static_cast<uint64_t>(now_ms);
    id = ms > last.ms ? StreamId{ms, 0} : last;
    if (ms <= last.ms) id.Incr();
  } else if (a.seq_given) {
    id = a.id;
  } else if (last.ms == a.id.ms) {
    if (last.seq == UINT64_MAX) return AddError::kNotGreater;
    id = StreamId{last.ms, last.seq + 1};
  } else {
    id = a.id;
  }
  if (id <= last) return AddError::kNotGreater;
  *out = id;
  return AddError::kNone;
}

// XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value ...
void XAddCmd(CommandContext& ctx) {
  StreamAddArgs a;
  if (!ParseStreamAddArgs(ctx, true, &a)) return;
  const size_t fields = a.id_arg + 1;
  if (ctx.argc() < fields + 2 || (ctx.argc() - fields) % 2 == 1) {
    return ReplyArity(ctx.w, ctx.spec->name);
  }
  if (a.id_given && a.seq_given && a.id.zero()) {
    return ctx.w.Error("ERR The ID specified in XADD must be greater than 0-0");
  }
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kStream, {.create = !a.no_mkstream}, AddState{},
      [&](engine::Collection& c, AddState& st) {
        auto& s = static_cast<StreamValue&>(c);
        st.error = NextId(s, a, ctx.now_ms, &st.id);
        uint64_t bytes = 0;
        for (size_t i = fields; i < ctx.argc(); ++i) bytes += ctx.arg(i).size();
        if (st.error == AddError::kNone && bytes > kMaxElementsBytes) {
          st.error = AddError::kTooLarge;
        }
        if (st.error != AddError::kNone) return false;
        s.Append(st.id, ctx.args.subspan(fields));
        st.trimmed = s.Trim(a.trim);
        return true;
      },
      [](CommandContext& c, engine::WriteResult r, const AddState& st) {
        if (r.errc() == engine::Errc::kNotFound) return c.w.Null();
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        switch (st.error) {
          case AddError::kExhausted:
            return c.w.Error(
                "ERR The stream has exhausted the last possible ID, unable to add more items");
          case AddError::kNotGreater:
            return c.w.Error(
                "ERR The ID specified in XADD is equal or smaller than the target stream top "
                "item");
          case AddError::kTooLarge:
            return c.w.Error("ERR Elements are too large to be stored");
          case AddError::kNone:
            break;
        }
        // Events before the reply, as every family does (a RESP3 subscriber sees them first).
        c.Notify(kNotifyStream, "xadd", c.arg(1));
        if (st.trimmed != 0) c.Notify(kNotifyStream, "xtrim", c.arg(1));
        c.w.Bulk(FormatStreamId(st.id));
      });
}

void XLenCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const StreamValue* s = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &s)) return;
  ctx.w.Integer(s != nullptr ? static_cast<int64_t>(s->size()) : 0);
}

// XRANGE key start end [COUNT n], XREVRANGE key end start [COUNT n]: the bounds and the count
// are read before the key.
void RangeGeneric(CommandContext& ctx, bool rev) {
  StreamId start, end;
  bool start_ex = false, end_ex = false;
  if (!ParseStreamBound(ctx, ctx.arg(rev ? 3 : 2), 0, &start_ex, &start)) return;
  if (start_ex && !start.Incr()) return ctx.w.Error("ERR invalid start ID for the interval");
  if (!ParseStreamBound(ctx, ctx.arg(rev ? 2 : 3), UINT64_MAX, &end_ex, &end)) return;
  if (end_ex && !end.Decr()) return ctx.w.Error("ERR invalid end ID for the interval");
  int64_t count = -1;
  for (size_t j = 4; j < ctx.argc(); ++j) {
    if (protocols::EqualsIgnoreCase(CString(ctx.arg(j)), "count") && j + 1 < ctx.argc()) {
      if (!resp::ParseInt64(ctx.arg(++j), &count)) return ctx.w.Error(kNotInteger);
      if (count < 0) count = 0;
    } else {
      return ctx.w.Error(kSyntaxError);
    }
  }
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const StreamValue* s = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &s)) return;
  if (s == nullptr) return ctx.w.ArrayHeader(0);
  if (count == 0) return ctx.w.NullArray();
  ReplyStreamRange(ctx.w, *s, start, end, rev, count < 0 ? 0 : static_cast<size_t>(count));
}

void XRangeCmd(CommandContext& ctx) {
  RangeGeneric(ctx, false);
}
void XRevRangeCmd(CommandContext& ctx) {
  RangeGeneric(ctx, true);
}

// XDEL key id [id ...]: the key first (missing: 0), then every ID, then the deletes.
void XDelCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const StreamValue* cur = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &cur)) return;
  if (cur == nullptr) return ctx.w.Integer(0);
  std::vector<StreamId> ids(ctx.argc() - 2);
  for (size_t j = 2; j < ctx.argc(); ++j) {
    if (!ParseStreamIdOrReply(ctx, ctx.arg(j), 0, true, nullptr, &ids[j - 2])) return;
  }
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kStream, {.create = false, .may_grow = false}, int64_t{0},
      [&](engine::Collection& c, int64_t& deleted) {
        auto& s = static_cast<StreamValue&>(c);
        for (StreamId id : ids) deleted += s.Delete(id) ? 1 : 0;
        return deleted > 0;
      },
      [](CommandContext& c, engine::WriteResult r, int64_t deleted) {
        if (r.errc() == engine::Errc::kNotFound) return c.w.Integer(0);
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        if (deleted > 0) c.Notify(kNotifyStream, "xdel", c.arg(1));
        c.w.Integer(deleted);
      });
}

// XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]
void XTrimCmd(CommandContext& ctx) {
  StreamAddArgs a;
  if (!ParseStreamAddArgs(ctx, false, &a)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kStream, {.create = false, .may_grow = false}, int64_t{0},
      [&](engine::Collection& c, int64_t& trimmed) {
        trimmed = static_cast<int64_t>(static_cast<StreamValue&>(c).Trim(a.trim));
        return trimmed > 0;
      },
      [](CommandContext& c, engine::WriteResult r, int64_t trimmed) {
        if (r.errc() == engine::Errc::kNotFound) return c.w.Integer(0);
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        if (trimmed > 0) c.Notify(kNotifyStream, "xtrim", c.arg(1));
        c.w.Integer(trimmed);
      });
}

enum class SetIdError : uint8_t { kNone, kSmallerThanTop, kEntriesAddedSmall };

// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
void XSetIdCmd(CommandContext& ctx) {
  StreamId id, max_deleted;
  if (!ParseStreamIdOrReply(ctx, ctx.arg(2), 0, true, nullptr, &id)) return;
  int64_t entries_added = -1;
  for (size_t i = 3; i < ctx.argc(); i += 2) {
    const std::string_view opt = CString(ctx.arg(i));
    const bool more = i + 1 < ctx.argc();
    if (protocols::EqualsIgnoreCase(opt, "entriesadded") && more) {
      if (!resp::ParseInt64(ctx.arg(i + 1), &entries_added)) return ctx.w.Error(kNotInteger);
      if (entries_added < 0) return ctx.w.Error("ERR entries_added must be positive");
    } else if (protocols::EqualsIgnoreCase(opt, "maxdeletedid") && more) {
      if (!ParseStreamIdOrReply(ctx, ctx.arg(i + 1), 0, true, nullptr, &max_deleted)) return;
      if (id < max_deleted) {
        return ctx.w.Error(
            "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
      }
    } else {
      return ctx.w.Error(kSyntaxError);
    }
  }
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kStream, {.create = false, .may_grow = false}, SetIdError{},
      [&](engine::Collection& c, SetIdError& err) {
        auto& s = static_cast<StreamValue&>(c);
        engine::StreamEntry top;
        if (s.Last(&top)) {
          if (id < top.id) err = SetIdError::kSmallerThanTop;
          if (err == SetIdError::kNone && entries_added != -1 &&
              s.size() > static_cast<uint64_t>(entries_added)) {
            err = SetIdError::kEntriesAddedSmall;
          }
        }
        if (err != SetIdError::kNone) return false;
        s.SetLastId(id);
        if (entries_added != -1) s.SetEntriesAdded(static_cast<uint64_t>(entries_added));
        if (!max_deleted.zero()) s.SetMaxDeletedId(max_deleted);
        return true;
      },
      [](CommandContext& c, engine::WriteResult r, SetIdError err) {
        if (r.errc() == engine::Errc::kNotFound) return c.w.Error(kNoSuchKey);
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        if (err == SetIdError::kSmallerThanTop) {
          return c.w.Error(
              "ERR The ID specified in XSETID is smaller than the target stream top item");
        }
        if (err == SetIdError::kEntriesAddedSmall) {
          return c.w.Error(
              "ERR The entries_added specified in XSETID is smaller than the target stream "
              "length");
        }
        c.Notify(kNotifyStream, "xsetid", c.arg(1));
        c.w.Ok();
      });
}

constexpr uint32_t kWF = kWrite | kFast;

constexpr CommandSpec kCommands[] = {
    {"xadd", -5, kWF, XAddCmd, 1, 1, 1},
    {"xlen", 2, kReadOnly | kFast, XLenCmd, 1, 1, 1},
    {"xrange", -4, kReadOnly, XRangeCmd, 1, 1, 1},
    {"xrevrange", -4, kReadOnly, XRevRangeCmd, 1, 1, 1},
    {"xdel", -3, kWF, XDelCmd, 1, 1, 1},
    {"xtrim", -4, kWrite, XTrimCmd, 1, 1, 1},
    {"xsetid", -3, kWF, XSetIdCmd, 1, 1, 1},
};

}  // namespace

std::span<const CommandSpec> StreamCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
