// File: translate/redis/stream_readgroup_cmds.cc
// XREADGROUP GROUP g c [COUNT n] [BLOCK ms] [NOACK] STREAMS key ... id ..., as redis-server
// 7.0 answers it (t_stream.c xreadCommand, streamReplyWithRange, blocked.c
// serveClientsBlockedOnStreamKey): every key must hold the group (NOGROUP otherwise); `>`
// delivers entries past the group's last delivered ID, moving it and the group's read counter
// and adding each to the pending entries list (PEL) unless NOACK; another ID reads the
// consumer's own pending entries after it again (each one delivered once more; an entry
// deleted since answers [id, nil]). The consumer is created when a stream serves it. Streams
// are served in order, each one revision of its key; when none can be and BLOCK is given the
// client waits on the keys and is served from the first one a change gives a new entry, or
// told the group (NOGROUP) or the key (UNBLOCKED) has gone.
//
//   XREADGROUP GROUP g alice COUNT 1 STREAMS s >     -> *1 *2 s [[1-1, [f, v]]]  (now pending)
//   XREADGROUP GROUP g alice STREAMS s 0             -> alice's pending entries
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/collections/stream_groups.h"
#include "engine/collections/stream_lag.h"
#include "engine/collections/stream_value.h"
#include "engine/store.h"
#include "translate/redis/block_timeout.h"
#include "translate/redis/collection_access.h"
#include "translate/redis/command.h"
#include "translate/redis/errors.h"
#include "translate/redis/session.h"
#include "translate/redis/stream_access.h"
#include "translate/redis/stream_read_args.h"

namespace kvgate::redis {
namespace {

using Bucket = engine::StoreBucket;
using engine::StreamEntry;
using engine::StreamGroup;
using engine::StreamId;
using engine::StreamValue;
using engine::ValueType;

// `>` among the IDs (Redis marks it with the highest ID, so that ID reads as `>` too).
constexpr StreamId kNewEntries = engine::kMaxStreamId;

// One stream's part of the reply, copied out of the stream when it was read: the reply is
// written once the store has acknowledged the change.
struct GroupPart {
  size_t key_arg = 0;
  StreamReplyItems items;
};

struct ReadGroupState {
  XReadArgs a;
  std::vector<StreamId> ids;  // per key, kNewEntries for `>`
  std::vector<GroupPart> parts;
};

// Serves `consumer` of group `g` as streamReplyWithRange does: with `history`, its pending
// entries after `after`; else the entries after the group's last ID. At most `count` (0: no
// bound). Returns whether the stream's groups changed.
bool ReadForGroup(StreamValue& s, StreamGroup& g, std::string_view consumer, bool history,
                  StreamId after, size_t count, bool noack, int64_t now_ms, GroupPart* part) {
  auto [c, created] = g.LookupOrCreate(consumer, now_ms);
  g.Touch(consumer, c, now_ms);
  bool changed = created;
  const auto full = [&] { return count != 0 && part->items.size() >= count; };
  if (history) {
    if (!after.Incr()) return changed;
    for (auto it = c->pel.lower_bound(after); it != c->pel.end() && !full(); ++it) {
      StreamEntry e;
      if (s.Range(*it, *it, false, 1, [&](const StreamEntry& x) {
            e = x;
            return false;
          }) == 0) {
        part->items.AddMissing(*it);
        continue;
      }
      part->items.AddEntry(e);
      if (engine::StreamNack* nack = g.Pending(*it)) g.Redeliver(*it, nack, now_ms);
      changed = true;
    }
    return changed;
  }
  StreamId from = g.last_id();
  if (!from.Incr()) return changed;
  s.Range(from, engine::kMaxStreamId, false, count, [&](const StreamEntry& e) {
    g.SetLastDelivered(e.id, engine::StreamEntriesReadAfter(s, g, e.id));
    if (!noack) g.Deliver(e.id, consumer, now_ms);
    part->items.AddEntry(e);
    changed = true;
    return true;
  });
  return changed;
}

void ReplyPart(CommandContext& ctx, const GroupPart& p) {
  if (ctx.w.resp() == 2) ctx.w.ArrayHeader(2);
  ctx.w.Bulk(ctx.arg(p.key_arg));
  p.items.Reply(ctx.w);
}

// Whether the stream at `key` serves the read at once: history always does, `>` when an entry
// lies past the group's last ID.
bool ServesNow(const StreamValue& s, std::string_view group, StreamId id) {
  const StreamGroup* g = s.groups().Find(group);
  if (g == nullptr) return false;
  if (id != kNewEntries) return true;
  StreamEntry last;
  return s.Last(&last) && last.id > g->last_id();
}

// Issues the read of key i (a revision) or answers at once that it serves nothing.
void IssueRead(CommandContext& ctx, size_t i, std::unique_ptr<ReadGroupState>& state,
               engine::WriteDone done) {
  ReadGroupState& st = *state;
  engine::Errc err = engine::Errc::kOk;
  Bucket* b = ctx.session.CurrentBucket(&err);
  if (b == nullptr) return std::move(done)(engine::WriteResult(err));
  const XReadArgs& a = st.a;
  const std::string_view key = ctx.arg(a.keys + i);
  const std::string_view group = ctx.arg(a.group);
  auto e = b->Get(key);
  if (!e.ok() || e->type != ValueType::kStream ||
      !ServesNow(*static_cast<const StreamValue*>(e->object), group, st.ids[i])) {
    return std::move(done)(engine::WriteResult(uint64_t{0}));
  }
  st.parts.push_back(GroupPart{a.keys + i, {}});
  GroupPart* part = &st.parts.back();
  const bool history = st.ids[i] != kNewEntries;
  b->Mutate(
      key, ValueType::kStream, {.create = false, .may_grow = false},
      [&](engine::Collection& c) {
        auto& s = static_cast<StreamValue&>(c);
        StreamGroup* g = s.groups().Find(group);
        return g != nullptr &&
               ReadForGroup(s, *g, ctx.arg(a.group + 1), history, st.ids[i],
                            static_cast<size_t>(a.count), a.noack, ctx.now_ms, part);
      },
      std::move(done));
}

bool ServeXReadGroup(CommandContext& ctx, const std::string_view* ready) {
  if (ready == nullptr) {
    ctx.w.NullArray();
    return true;
  }
  XReadArgs a;
  if (!ParseXReadArgs(ctx, true, &a)) return true;  // parsed before it waited
  Bucket* db = ctx.Db();
  if (db == nullptr) return true;
  const size_t k = ReadyKeyArg(ctx, a.keys, a.keys + a.n, *ready);
  auto e = db->Get(ctx.arg(k));
  if (!e.ok() || e->type != ValueType::kStream) {
    ctx.w.Error("UNBLOCKED the stream key no longer exists");
    return true;
  }
  const auto& s = *static_cast<const StreamValue*>(e->object);
  const StreamGroup* g = s.groups().Find(ctx.arg(a.group));
  if (g == nullptr) {
    ctx.w.Error("NOGROUP the consumer group this client was blocked on no longer exists");
    return true;
  }
  if (s.last_id() <= g->last_id()) return false;
  const size_t count = a.count > 0 ? static_cast<size_t>(a.count) : kBlockedDefaultCount;
  ctx.AwaitMutate(
      *db, ctx.arg(k), ValueType::kStream, {.create = false, .may_grow = false},
      std::make_unique<GroupPart>(GroupPart{k, {}}),
      [&](engine::Collection& c, std::unique_ptr<GroupPart>& part) {
        auto& sv = static_cast<StreamValue&>(c);
        StreamGroup* grp = sv.groups().Find(ctx.arg(a.group));
        return grp != nullptr && ReadForGroup(sv, *grp, ctx.arg(a.group + 1), false, {}, count,
                                              a.noack, ctx.now_ms, part.get());
      },
      [](CommandContext& c, engine::WriteResult r, const std::unique_ptr<GroupPart>& part) {
        if (!r.ok() && r.errc() != engine::Errc::kNotFound) return ReplyEngineError(c.w, r.errc());
        ReplyTopHeader(c.w, 1);
        ReplyPart(c, *part);
      });
  return true;
}

void XReadGroupCmd(CommandContext& ctx) {
  auto state = std::make_unique<ReadGroupState>();
  ReadGroupState& st = *state;
  if (!ParseXReadArgs(ctx, true, &st.a)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const XReadArgs& a = st.a;
  // Each key's type and group are checked before its ID is read, in order, as Redis does.
  st.ids.resize(a.n);
  for (size_t i = 0; i < a.n; ++i) {
    const std::string_view key = ctx.arg(a.keys + i);
    const StreamValue* s = nullptr;
    if (!ReadCollection(ctx, *db, key, &s)) return;
    if (s == nullptr || s->groups().Find(ctx.arg(a.group)) == nullptr) {
      return ctx.w.Error(NoKeyOrGroup(key, ctx.arg(a.group), " in XREADGROUP with GROUP option"));
    }
    const std::string_view id = ctx.arg(a.keys + a.n + i);
    if (id == "$") {
      return ctx.w.Error(
          "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the "
          "history of this consumer by specifying a proper ID, or use the > ID to get new "
          "messages. The $ ID would just return an empty result set.");
    }
    if (id == ">") {
      st.ids[i] = kNewEntries;
    } else if (!ParseStreamIdOrReply(ctx, id, 0, true, nullptr, &st.ids[i])) {
      return;
    }
  }
  const size_t n = a.n;
  ctx.AwaitSequence(
      0, n, std::move(state), IssueRead,
      [](CommandContext& c, size_t, engine::WriteResult r, std::unique_ptr<ReadGroupState>&) {
        if (r.ok() || r.errc() == engine::Errc::kNotFound) return true;
        ReplyEngineError(c.w, r.errc());
        return false;
      },
      [](CommandContext& c, std::unique_ptr<ReadGroupState>& state) {
        const ReadGroupState& s = *state;
        if (!s.parts.empty()) {
          ReplyTopHeader(c.w, s.parts.size());
          for (const GroupPart& p : s.parts) ReplyPart(c, p);
          return;
        }
        if (!s.a.block || !c.may_block()) return c.w.NullArray();
        c.BlockOnKeys(c.args.subspan(s.a.keys, s.a.n), ValueType::kStream, s.a.deadline_ms,
                      ServeXReadGroup);
      });
}

constexpr CommandSpec kCommands[] = {
    {"xreadgroup", -7, kWrite | kBlocking, XReadGroupCmd, 0, 0, 0},
};

}  // namespace

std::span<const CommandSpec> StreamReadGroupCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
