// File: translate/redis/stream_read_cmds.cc
// XREAD [COUNT n] [BLOCK ms] STREAMS key ... id ..., as redis-server 7.0 answers it: each stream
// with entries after its ID is served at once (RESP2 [[key, entries], ...], RESP3 a map); when
// none has any and BLOCK is given, the client waits on the keys (ctx.BlockOnKeys) with `$`
// resolved to each stream's last ID at that moment, and is served from the first key a change
// gives an entry past its ID, oldest waiter first, with COUNT (1000 when none was given).
// Inside MULTI it answers null at once; a script may not use BLOCK.
//
//   XREAD COUNT 2 STREAMS s 0          -> *1 *2 s [[1-1, [f, v]], ...]
//   XREAD BLOCK 0 STREAMS s $          -> waits for the next XADD to s
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "engine/collections/stream_value.h"
#include "engine/store.h"
#include "protocols/ascii.h"
#include "protocols/resp/number.h"
#include "translate/redis/block_timeout.h"
#include "translate/redis/collection_access.h"
#include "translate/redis/command.h"
#include "translate/redis/errors.h"
#include "translate/redis/stream_access.h"

namespace kvgate::redis {
namespace {

using Bucket = engine::StoreBucket;
using engine::StreamId;
using engine::StreamValue;

// Redis serves a blocked XREAD without COUNT at most this many entries per stream.
constexpr size_t kBlockedDefaultCount = 1000;

struct XReadArgs {
  bool block = false;
  int64_t deadline_ms = 0;  // 0: forever
  int64_t count = 0;
  size_t keys = 0;  // keys are args [keys, keys + n), their IDs the n after
  size_t n = 0;
};

// BLOCK ms as getTimeoutFromObjectOrReply reads milliseconds.
bool ParseBlockMs(CommandContext& ctx, std::string_view arg, int64_t* deadline_ms) {
  int64_t ms = 0;
  if (!resp::ParseInt64(arg, &ms)) {
    ctx.w.Error("ERR timeout is not an integer or out of range");
    return false;
  }
  if (ms < 0) {
    ctx.w.Error("ERR timeout is negative");
    return false;
  }
  *deadline_ms = 0;
  if (ms > 0 && ms <= std::numeric_limits<int64_t>::max() - ctx.now_ms) {
    *deadline_ms = ctx.now_ms + ms;
  }
  return true;
}

bool ParseXReadArgs(CommandContext& ctx, XReadArgs* out) {
  for (size_t i = 1; i < ctx.argc(); ++i) {
    const size_t more = ctx.argc() - i - 1;
    const std::string_view o = CString(ctx.arg(i));
    if (protocols::EqualsIgnoreCase(o, "block") && more > 0) {
      if (ctx.in_script()) {
        ctx.w.Error("ERR " + std::string(ctx.arg(0)) +
                    " command is not allowed with BLOCK option from scripts");
        return false;
      }
      if (!ParseBlockMs(ctx, ctx.arg(++i), &out->deadline_ms)) return false;
      out->block = true;
    } else if (protocols::EqualsIgnoreCase(o, "count") && more > 0) {
      if (!resp::ParseInt64(ctx.arg(++i), &out->count)) {
        ctx.w.Error(kNotInteger);
        return false;
      }
      if (out->count < 0) out->count = 0;
    } else if (protocols::EqualsIgnoreCase(o, "streams") && more > 0) {
      if (more % 2 != 0) {
        ctx.w.Error(
            "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be "
            "specified.");
        return false;
      }
      out->keys = i + 1;
      out->n = more / 2;
      return true;
    } else if (protocols::EqualsIgnoreCase(o, "group") && more >= 2) {
      ctx.w.Error(
          "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
      return false;
    } else if (protocols::EqualsIgnoreCase(o, "noack")) {
      ctx.w.Error(
          "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
      return false;
    } else {
      ctx.w.Error(kSyntaxError);
      return false;
    }
  }
  ctx.w.Error(kSyntaxError);  // no STREAMS
  return false;
}

// The stream at `key` if it has an entry past `gt` (Redis compares its last live ID).
const StreamValue* Servable(Bucket& db, std::string_view key, StreamId gt) {
  auto e = db.Get(key);
  if (!e.ok() || e->type != engine::ValueType::kStream) return nullptr;
  const auto* s = static_cast<const StreamValue*>(e->object);
  engine::StreamEntry last;
  return s->Last(&last) && last.id > gt ? s : nullptr;
}

// One stream's part of the reply: [key, entries after gt] (RESP3: a map entry).
void ReplyStreamPart(resp::ReplyWriter& w, std::string_view key, const StreamValue& s, StreamId gt,
                     size_t count) {
  if (w.resp() == 2) w.ArrayHeader(2);
  w.Bulk(key);
  StreamId start = gt;
  start.Incr();
  ReplyStreamRange(w, s, start, engine::kMaxStreamId, false, count);
}

void ReplyTopHeader(resp::ReplyWriter& w, size_t n) {
  if (w.resp() == 2) return w.ArrayHeader(n);
  w.MapHeader(n);
}

bool ServeXRead(CommandContext& ctx, const std::string_view* ready) {
  if (ready == nullptr) {
    ctx.w.NullArray();
    return true;
  }
  XReadArgs a;
  if (!ParseXReadArgs(ctx, &a)) return true;  // parsed before it waited
  Bucket* db = ctx.Db();
  if (db == nullptr) return true;
  const size_t k = ReadyKeyArg(ctx, a.keys, a.keys + a.n, *ready);
  StreamId gt;
  ParseStreamId(ctx.arg(k + a.n), 0, true, nullptr, &gt);  // resolved when it blocked
  auto e = db->Get(ctx.arg(k));
  if (!e.ok() || e->type != engine::ValueType::kStream) return false;
  const auto& s = *static_cast<const StreamValue*>(e->object);
  if (s.last_id() <= gt) return false;
  ReplyTopHeader(ctx.w, 1);
  ReplyStreamPart(ctx.w, ctx.arg(k), s, gt,
                  a.count > 0 ? static_cast<size_t>(a.count) : kBlockedDefaultCount);
  return true;
}

void XReadCmd(CommandContext& ctx) {
  XReadArgs a;
  if (!ParseXReadArgs(ctx, &a)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  // Each key is looked up (WRONGTYPE) before its ID is read, in order, as Redis does.
  std::vector<StreamId> ids(a.n);
  for (size_t i = 0; i < a.n; ++i) {
    const StreamValue* s = nullptr;
    if (!ReadCollection(ctx, *db, ctx.arg(a.keys + i), &s)) return;
    const std::string_view id = ctx.arg(a.keys + a.n + i);
    if (id == "$") {
      ids[i] = s != nullptr ? s->last_id() : StreamId{};
      continue;
    }
    if (id == ">") {
      return ctx.w.Error(
          "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> "
          "<consumer> option.");
    }
    if (!ParseStreamIdOrReply(ctx, id, 0, true, nullptr, &ids[i])) return;
  }
  size_t served = 0;
  for (size_t i = 0; i < a.n; ++i) {
    if (Servable(*db, ctx.arg(a.keys + i), ids[i]) != nullptr) ++served;
  }
  if (served > 0) {
    ReplyTopHeader(ctx.w, served);
    for (size_t i = 0; i < a.n; ++i) {
      const StreamValue* s = Servable(*db, ctx.arg(a.keys + i), ids[i]);
      if (s != nullptr) {
        ReplyStreamPart(ctx.w, ctx.arg(a.keys + i), *s, ids[i], static_cast<size_t>(a.count));
      }
    }
    return;
  }
  if (!a.block || !ctx.may_block()) return ctx.w.NullArray();
  // The IDs it waits past, `$` resolved now: serve reads them again from its own arguments.
  std::vector<std::string> owned(ctx.args.begin(), ctx.args.end());
  for (size_t i = 0; i < a.n; ++i) owned[a.keys + a.n + i] = FormatStreamId(ids[i]);
  std::vector<std::string_view> views(owned.begin(), owned.end());
  ctx.BlockOnKeys(ctx.args.subspan(a.keys, a.n), engine::ValueType::kStream, a.deadline_ms,
                  ServeXRead, views);
}

constexpr CommandSpec kCommands[] = {
    {"xread", -4, kReadOnly | kBlocking, XReadCmd, 0, 0, 0},
};

}  // namespace

std::span<const CommandSpec> StreamReadCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
