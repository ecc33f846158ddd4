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
#include "translate/redis/stream_read_args.h"

namespace kvgate::redis {
namespace {

using Bucket = engine::StoreBucket;
using engine::StreamId;
using engine::StreamValue;

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

bool ServeXRead(CommandContext& ctx, const std::string_view* ready) {
  if (ready == nullptr) {
    ctx.w.NullArray();
    return true;
  }
  XReadArgs a;
  if (!ParseXReadArgs(ctx, false, &a)) return true;  // parsed before it waited
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
  if (!ParseXReadArgs(ctx, false, &a)) return;
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
