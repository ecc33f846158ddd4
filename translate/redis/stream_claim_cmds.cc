// File: translate/redis/stream_claim_cmds.cc
// A consumer group's pending entries, as redis-server 7.0 answers for them (t_stream.c
// xpendingCommand, xclaimCommand, xautoclaimCommand): XPENDING's summary and its extended form
// (IDLE, a range with exclusive bounds, COUNT, one consumer), XCLAIM (min idle time, IDs,
// then IDLE / TIME / RETRYCOUNT / FORCE / JUSTID / LASTID) and XAUTOCLAIM (a cursor over the
// PEL, COUNT, JUSTID, and the IDs it dropped because their entries were deleted). Arguments
// are read, and errors given, in Redis's order; a claim is one revision of the key.
//
//   XPENDING s g                          -> [2, 1-1, 2-1, [[alice, "2"]]]
//   XCLAIM s g bob 3600000 1-1            -> [[1-1, [f, v]]]   (if idle for an hour)
//   XAUTOCLAIM s g bob 3600000 0 COUNT 10 -> [next cursor, [entries], [deleted IDs]]
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/collections/stream_groups.h"
#include "engine/collections/stream_value.h"
#include "engine/store.h"
#include "protocols/ascii.h"
#include "protocols/resp/number.h"
#include "translate/redis/collection_access.h"
#include "translate/redis/command.h"
#include "translate/redis/errors.h"
#include "translate/redis/stream_access.h"

namespace kvgate::redis {
namespace {

using Bucket = engine::StoreBucket;
using engine::StreamEntry;
using engine::StreamGroup;
using engine::StreamId;
using engine::StreamNack;
using engine::StreamValue;
using engine::ValueType;

// The stream at arg 1 holding the group at arg 2; false after replying WRONGTYPE or NOGROUP.
bool LookupGroup(CommandContext& ctx, Bucket& db, const StreamValue** s, const StreamGroup** g) {
  if (!ReadCollection(ctx, db, ctx.arg(1), s)) return false;
  *g = *s != nullptr ? (*s)->groups().Find(ctx.arg(2)) : nullptr;
  if (*g != nullptr) return true;
  ctx.w.Error(NoKeyOrGroup(ctx.arg(1), ctx.arg(2)));
  return false;
}

bool ParseIntOrReply(CommandContext& ctx, std::string_view arg, std::string_view error,
                     int64_t* out) {
  if (resp::ParseInt64(arg, out)) return true;
  ctx.w.Error(error);
  return false;
}

// Milliseconds since `since`, computed without overflow.
int64_t Elapsed(int64_t now_ms, int64_t since_ms) {
  return static_cast<int64_t>(static_cast<uint64_t>(now_ms) - static_cast<uint64_t>(since_ms));
}

bool LiveEntry(const StreamValue& s, StreamId id, StreamEntry* out) {
  return s.Range(id, id, false, 1, [&](const StreamEntry& e) {
    *out = e;
    return false;
  }) == 1;
}

// ---- XPENDING key group [[IDLE min-idle] start end count [consumer]] ----

void ReplySummary(CommandContext& ctx, const StreamGroup& g) {
  ctx.w.ArrayHeader(4);
  ctx.w.Integer(static_cast<int64_t>(g.pel().size()));
  if (g.pel().empty()) {
    ctx.w.Null();
    ctx.w.Null();
    return ctx.w.NullArray();
  }
  ctx.w.Bulk(FormatStreamId(g.pel().begin()->first));
  ctx.w.Bulk(FormatStreamId(g.pel().back().first));
  size_t with_pending = 0;
  for (const auto& [name, c] : g.consumers()) with_pending += c.pel.empty() ? 0 : 1;
  ctx.w.ArrayHeader(with_pending);
  for (const auto& [name, c] : g.consumers()) {
    if (c.pel.empty()) continue;
    ctx.w.ArrayHeader(2);
    ctx.w.Bulk(name);
    ctx.w.Bulk(std::to_string(c.pel.size()));
  }
}

void XPendingCmd(CommandContext& ctx) {
  const size_t argc = ctx.argc();
  if (argc != 3 && (argc < 6 || argc > 9)) return ctx.w.Error(kSyntaxError);
  // The range and count are read before the key, so their errors come first.
  int64_t min_idle = 0;
  int64_t count = 0;
  StreamId start, end;
  size_t consumer_arg = 0;
  if (argc >= 6) {
    size_t at = 3;
    if (protocols::EqualsIgnoreCase(CString(ctx.arg(3)), "idle")) {
      if (!ParseIntOrReply(ctx, ctx.arg(4), kNotInteger, &min_idle)) return;
      if (argc < 8) return ctx.w.Error(kSyntaxError);
      at += 2;
    }
    if (!ParseIntOrReply(ctx, ctx.arg(at + 2), kNotInteger, &count)) return;
    if (count < 0) count = 0;
    bool ex = false;
    if (!ParseStreamBound(ctx, ctx.arg(at), 0, &ex, &start)) return;
    if (ex && !start.Incr()) return ctx.w.Error("ERR invalid start ID for the interval");
    if (!ParseStreamBound(ctx, ctx.arg(at + 1), UINT64_MAX, &ex, &end)) return;
    if (ex && !end.Decr()) return ctx.w.Error("ERR invalid end ID for the interval");
    if (at + 3 < argc) consumer_arg = at + 3;
  }
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const StreamValue* s = nullptr;
  const StreamGroup* g = nullptr;
  if (!LookupGroup(ctx, *db, &s, &g)) return;
  if (argc == 3) return ReplySummary(ctx, *g);

  std::vector<std::pair<StreamId, const StreamNack*>> rows;
  const auto visit = [&](StreamId id, const StreamNack& nack) {
    if (min_idle != 0 && Elapsed(ctx.now_ms, nack.delivery_time_ms) < min_idle) return;
    rows.emplace_back(id, &nack);
    --count;
  };
  if (consumer_arg != 0) {
    const engine::StreamConsumer* c = g->Lookup(ctx.arg(consumer_arg));
    if (c == nullptr) return ctx.w.ArrayHeader(0);
    for (auto it = c->pel.lower_bound(start); count > 0 && it != c->pel.end() && *it <= end; ++it) {
      auto nack = g->pel().find(*it);
      if (nack != g->pel().end()) visit(*it, nack->second);
    }
  } else {
    for (auto it = g->pel().lower_bound(start);
         count > 0 && it != g->pel().end() && it->first <= end; ++it) {
      visit(it->first, it->second);
    }
  }
  ctx.w.ArrayHeader(rows.size());
  for (const auto& [id, nack] : rows) {
    ctx.w.ArrayHeader(4);
    ctx.w.Bulk(FormatStreamId(id));
    ctx.w.Bulk(nack->consumer);
    const int64_t idle = Elapsed(ctx.now_ms, nack->delivery_time_ms);
    ctx.w.Integer(idle < 0 ? 0 : idle);
    ctx.w.Integer(static_cast<int64_t>(nack->delivery_count));
  }
}

// ---- XCLAIM key group consumer min-idle-time id [id ...] [options] ----

struct ClaimArgs {
  int64_t min_idle = 0;
  std::vector<StreamId> ids;
  int64_t retry_count = -1;    // -1: not given
  int64_t delivery_time = -1;  // -1: neither IDLE nor TIME
  StreamId last_id;
  bool force = false;
  bool just_id = false;
};

bool ParseClaimArgs(CommandContext& ctx, ClaimArgs* a) {
  if (!ParseIntOrReply(ctx, ctx.arg(4), "ERR Invalid min-idle-time argument for XCLAIM",
                       &a->min_idle)) {
    return false;
  }
  if (a->min_idle < 0) a->min_idle = 0;
  // IDs up to the first argument that is not one; the options follow.
  size_t j = 5;
  for (StreamId id; j < ctx.argc() && ParseStreamId(ctx.arg(j), 0, true, nullptr, &id); ++j) {
    a->ids.push_back(id);
  }
  for (; j < ctx.argc(); ++j) {
    const bool more = j + 1 < ctx.argc();
    const std::string_view opt = CString(ctx.arg(j));
    if (protocols::EqualsIgnoreCase(opt, "force")) {
      a->force = true;
    } else if (protocols::EqualsIgnoreCase(opt, "justid")) {
      a->just_id = true;
    } else if (protocols::EqualsIgnoreCase(opt, "idle") && more) {
      int64_t idle = 0;
      if (!ParseIntOrReply(ctx, ctx.arg(++j), "ERR Invalid IDLE option argument for XCLAIM",
                           &idle)) {
        return false;
      }
      a->delivery_time = Elapsed(ctx.now_ms, idle);
    } else if (protocols::EqualsIgnoreCase(opt, "time") && more) {
      if (!ParseIntOrReply(ctx, ctx.arg(++j), "ERR Invalid TIME option argument for XCLAIM",
                           &a->delivery_time)) {
        return false;
      }
    } else if (protocols::EqualsIgnoreCase(opt, "retrycount") && more) {
      if (!ParseIntOrReply(ctx, ctx.arg(++j), "ERR Invalid RETRYCOUNT option argument for XCLAIM",
                           &a->retry_count)) {
        return false;
      }
    } else if (protocols::EqualsIgnoreCase(opt, "lastid") && more) {
      if (!ParseStreamIdOrReply(ctx, ctx.arg(++j), 0, true, nullptr, &a->last_id)) return false;
    } else {
      ctx.w.Error("ERR Unrecognized XCLAIM option '" + std::string(opt) + "'");
      return false;
    }
  }
  // A bogus delivery time (in the future, or negative) is taken as now, as Redis does.
  if (a->delivery_time < 0 || a->delivery_time > ctx.now_ms) a->delivery_time = ctx.now_ms;
  return true;
}

// Moves pending entry `id` to consumer `name` (created on first use), as XCLAIM and XAUTOCLAIM
// do; the NACK then carries `delivery_time`, and its count is set or counted up.
StreamNack* ClaimFor(StreamGroup& g, StreamId id, std::string_view name, bool* consumer_ready,
                     bool create, int64_t now_ms) {
  if (!*consumer_ready) {
    g.Touch(name, g.LookupOrCreate(name, now_ms).first, now_ms);
    *consumer_ready = true;
  }
  return g.Claim(id, name, create, now_ms);
}

void XClaimCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const StreamValue* cur = nullptr;
  const StreamGroup* cur_group = nullptr;
  if (!LookupGroup(ctx, *db, &cur, &cur_group)) return;
  ClaimArgs a;
  if (!ParseClaimArgs(ctx, &a)) return;
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kStream, {.create = false, .may_grow = false},
      std::make_unique<StreamReplyItems>(),
      [&](engine::Collection& c, std::unique_ptr<StreamReplyItems>& reply) {
        StreamReplyItems& out = *reply;
        auto& s = static_cast<StreamValue&>(c);
        StreamGroup* g = s.groups().Find(ctx.arg(2));
        if (g == nullptr) return false;
        bool changed = false;
        if (a.last_id > g->last_id()) {
          g->SetLastDelivered(a.last_id, g->entries_read());
          changed = true;
        }
        bool consumer_ready = false;
        for (StreamId id : a.ids) {
          StreamEntry e;
          if (!LiveEntry(s, id, &e)) {
            changed |= g->Ack(id);  // its entry is gone: so is the NACK
            continue;
          }
          StreamNack* nack = g->Pending(id);
          const bool forced = nack == nullptr;
          if (forced && !a.force) continue;
          if (!forced && a.min_idle != 0 &&
              Elapsed(ctx.now_ms, nack->delivery_time_ms) < a.min_idle) {
            continue;
          }
          nack = ClaimFor(*g, id, ctx.arg(3), &consumer_ready, true, ctx.now_ms);
          uint64_t count = nack->delivery_count;
          if (a.retry_count >= 0) {
            count = static_cast<uint64_t>(a.retry_count);
          } else if (!a.just_id) {
            ++count;
          }
          g->SetNack(id, nack, a.delivery_time, count);
          if (a.just_id) {
            out.AddId(id);
          } else {
            out.AddEntry(e);
          }
          changed = true;
        }
        return changed;
      },
      [](CommandContext& c, engine::WriteResult r, const std::unique_ptr<StreamReplyItems>& out) {
        if (!r.ok() && r.errc() != engine::Errc::kNotFound) return ReplyEngineError(c.w, r.errc());
        out->Reply(c.w);
      });
}

// ---- XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID] ----

struct AutoClaimReply {
  StreamId cursor;
  StreamReplyItems claimed;
  std::vector<StreamId> deleted;
};

void XAutoClaimCmd(CommandContext& ctx) {
  int64_t min_idle = 0;
  if (!ParseIntOrReply(ctx, ctx.arg(4), "ERR Invalid min-idle-time argument for XAUTOCLAIM",
                       &min_idle)) {
    return;
  }
  if (min_idle < 0) min_idle = 0;
  StreamId start;
  bool ex = false;
  if (!ParseStreamBound(ctx, ctx.arg(5), 0, &ex, &start)) return;
  if (ex && !start.Incr()) return ctx.w.Error("ERR invalid start ID for the interval");
  // Redis bounds COUNT so that count * 16 bytes can be allocated.
  constexpr int64_t kMaxCount = INT64_MAX / 16;
  constexpr int64_t kAttemptsFactor = 10;
  int64_t count = 100;
  bool just_id = false;
  for (size_t j = 6; j < ctx.argc(); ++j) {
    const std::string_view opt = CString(ctx.arg(j));
    if (protocols::EqualsIgnoreCase(opt, "count") && j + 1 < ctx.argc()) {
      if (!resp::ParseInt64(ctx.arg(++j), &count) || count < 1 || count > kMaxCount) {
        return ctx.w.Error("ERR COUNT must be > 0");
      }
    } else if (protocols::EqualsIgnoreCase(opt, "justid")) {
      just_id = true;
    } else {
      return ctx.w.Error(kSyntaxError);
    }
  }
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const StreamValue* cur = nullptr;
  const StreamGroup* cur_group = nullptr;
  if (!LookupGroup(ctx, *db, &cur, &cur_group)) return;
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kStream, {.create = false, .may_grow = false},
      std::make_unique<AutoClaimReply>(),
      [&](engine::Collection& c, std::unique_ptr<AutoClaimReply>& reply) {
        AutoClaimReply& out = *reply;
        auto& s = static_cast<StreamValue&>(c);
        StreamGroup* g = s.groups().Find(ctx.arg(2));
        if (g == nullptr) return false;
        const engine::StreamPel& pel = std::as_const(*g).pel();
        bool changed = false;
        bool consumer_ready = false;
        int64_t left = count;
        int64_t attempts = count * kAttemptsFactor;
        auto it = pel.lower_bound(start);
        while (attempts-- > 0 && left > 0 && it != pel.end()) {
          const StreamId id = it->first;
          StreamEntry e;
          if (!LiveEntry(s, id, &e)) {
            g->Ack(id);  // its entry is gone: so is the NACK (iterators with it)
            it = pel.lower_bound(id);
            out.deleted.push_back(id);
            --left;
            changed = true;
            continue;
          }
          if (min_idle != 0 && Elapsed(ctx.now_ms, it->second.delivery_time_ms) < min_idle) {
            ++it;
            continue;
          }
          StreamNack* nack = ClaimFor(*g, id, ctx.arg(3), &consumer_ready, false, ctx.now_ms);
          g->SetNack(id, nack, ctx.now_ms, nack->delivery_count + (just_id ? 0 : 1));
          if (just_id) {
            out.claimed.AddId(id);
          } else {
            out.claimed.AddEntry(e);
          }
          --left;
          changed = true;
          ++it;
        }
        out.cursor = it == pel.end() ? StreamId{} : it->first;
        return changed;
      },
      [](CommandContext& c, engine::WriteResult r, const std::unique_ptr<AutoClaimReply>& out) {
        if (!r.ok() && r.errc() != engine::Errc::kNotFound) return ReplyEngineError(c.w, r.errc());
        c.w.ArrayHeader(3);
        c.w.Bulk(FormatStreamId(out->cursor));
        out->claimed.Reply(c.w);
        c.w.ArrayHeader(out->deleted.size());
        for (StreamId id : out->deleted) c.w.Bulk(FormatStreamId(id));
      });
}

constexpr uint32_t kWF = kWrite | kFast;

constexpr CommandSpec kCommands[] = {
    {"xpending", -3, kReadOnly, XPendingCmd, 1, 1, 1},
    {"xclaim", -6, kWF, XClaimCmd, 1, 1, 1},
    {"xautoclaim", -6, kWF, XAutoClaimCmd, 1, 1, 1},
};

}  // namespace

std::span<const CommandSpec> StreamClaimCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
