// File: translate/redis/stream_info_cmds.cc
// XINFO STREAM key [FULL [COUNT n]], XINFO GROUPS, XINFO CONSUMERS and XINFO HELP, as
// redis-server 7.0 answers them. The key is looked up before the options are read (a missing
// key answers "no such key" whatever follows). radix-tree-keys is the number of nodes;
// radix-tree-nodes is the node count of the radix tree Redis would build over the nodes' keys
// (StreamRaxNodes). Groups and consumers come in name order, PELs in ID order (Redis's radix
// trees); a lag that cannot be known is a null, as Redis's streamReplyWithCGLag.
//
//   XINFO STREAM s        -> length, radix-tree-keys, ..., first-entry, last-entry (a map)
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/collections/stream_groups.h"
#include "engine/collections/stream_lag.h"
#include "engine/collections/stream_value.h"
#include "engine/store.h"
#include "protocols/ascii.h"
#include "protocols/resp/number.h"
#include "translate/redis/collection_access.h"
#include "translate/redis/command.h"
#include "translate/redis/errors.h"
#include "translate/redis/rdb/stream_codec.h"
#include "translate/redis/stream_access.h"

namespace kvgate::redis {
namespace {

using Bucket = engine::StoreBucket;
using engine::StreamId;
using engine::StreamValue;

void ReplySubcommandSyntax(CommandContext& ctx) {
  std::string cmd(CString(ctx.arg(0)));
  for (char& c : cmd) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - ('a' - 'A'));
  }
  ctx.w.Error("ERR unknown subcommand or wrong number of arguments for '" +
              std::string(CString(ctx.arg(1)).substr(0, 128)) + "'. Try " + cmd + " HELP.");
}

// The first or last live entry, or a null.
void ReplyEdge(resp::ReplyWriter& w, const StreamValue& s, bool first) {
  engine::StreamEntry e;
  if (!(first ? s.First(&e) : s.Last(&e))) return w.Null();
  ReplyStreamEntry(w, e);
}

void ReplyEntriesRead(resp::ReplyWriter& w, const engine::StreamGroup& g) {
  if (g.entries_read() == engine::kInvalidEntriesRead) return w.Null();
  w.Integer(g.entries_read());
}

void ReplyLag(resp::ReplyWriter& w, const StreamValue& s, const engine::StreamGroup& g) {
  const auto lag = engine::StreamGroupLag(s, g);
  if (!lag) return w.Null();
  w.Integer(*lag);
}

// XINFO STREAM FULL's groups: each with its PEL and consumers, PELs cut at `count` (0: all).
void ReplyGroupsFull(resp::ReplyWriter& w, const StreamValue& s, size_t count) {
  w.ArrayHeader(s.groups().size());
  for (const auto& [name, g] : s.groups().all()) {
    w.MapHeader(7);
    w.Bulk("name");
    w.Bulk(name);
    w.Bulk("last-delivered-id");
    w.Bulk(FormatStreamId(g.last_id()));
    w.Bulk("entries-read");
    ReplyEntriesRead(w, g);
    w.Bulk("lag");
    ReplyLag(w, s, g);
    w.Bulk("pel-count");
    w.Integer(static_cast<int64_t>(g.pel().size()));
    w.Bulk("pending");
    const size_t pel_n = count == 0 ? g.pel().size() : std::min(count, g.pel().size());
    w.ArrayHeader(pel_n);
    size_t i = 0;
    for (auto it = g.pel().begin(); i < pel_n; ++it, ++i) {
      w.ArrayHeader(4);
      w.Bulk(FormatStreamId(it->first));
      w.Bulk(it->second.consumer);
      w.Integer(it->second.delivery_time_ms);
      w.Integer(static_cast<int64_t>(it->second.delivery_count));
    }
    w.Bulk("consumers");
    w.ArrayHeader(g.consumers().size());
    for (const auto& [cname, c] : g.consumers()) {
      w.MapHeader(4);
      w.Bulk("name");
      w.Bulk(cname);
      w.Bulk("seen-time");
      w.Integer(c.seen_time_ms);
      w.Bulk("pel-count");
      w.Integer(static_cast<int64_t>(c.pel.size()));
      w.Bulk("pending");
      const size_t n = count == 0 ? c.pel.size() : std::min(count, c.pel.size());
      w.ArrayHeader(n);
      size_t j = 0;
      for (auto id = c.pel.begin(); j < n; ++id, ++j) {
        const auto nack = g.pel().find(*id);
        w.ArrayHeader(3);
        w.Bulk(FormatStreamId(*id));
        w.Integer(nack->second.delivery_time_ms);
        w.Integer(static_cast<int64_t>(nack->second.delivery_count));
      }
    }
  }
}

void XInfoStreamCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const StreamValue* s = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(2), &s)) return;
  if (s == nullptr) return ctx.w.Error(kNoSuchKey);
  const size_t optc = ctx.argc() - 3;
  const bool full = optc > 0;
  int64_t count = 10;
  if (full) {
    if ((optc != 1 && optc != 3) || !protocols::EqualsIgnoreCase(CString(ctx.arg(3)), "full") ||
        (optc == 3 && !protocols::EqualsIgnoreCase(CString(ctx.arg(4)), "count"))) {
      return ReplySubcommandSyntax(ctx);
    }
    if (optc == 3) {
      if (!resp::ParseInt64(ctx.arg(5), &count)) return ctx.w.Error(kNotInteger);
      if (count < 0) count = 10;
    }
  }
  ctx.w.MapHeader(full ? 9 : 10);
  ctx.w.Bulk("length");
  ctx.w.Integer(static_cast<int64_t>(s->size()));
  ctx.w.Bulk("radix-tree-keys");
  ctx.w.Integer(static_cast<int64_t>(s->node_count()));
  ctx.w.Bulk("radix-tree-nodes");
  ctx.w.Integer(static_cast<int64_t>(StreamRaxNodes(*s)));
  ctx.w.Bulk("last-generated-id");
  ctx.w.Bulk(FormatStreamId(s->last_id()));
  ctx.w.Bulk("max-deleted-entry-id");
  ctx.w.Bulk(FormatStreamId(s->max_deleted_id()));
  ctx.w.Bulk("entries-added");
  ctx.w.Integer(static_cast<int64_t>(s->entries_added()));
  ctx.w.Bulk("recorded-first-entry-id");
  ctx.w.Bulk(FormatStreamId(s->first_id()));
  if (!full) {
    ctx.w.Bulk("groups");
    ctx.w.Integer(static_cast<int64_t>(s->groups().size()));
    ctx.w.Bulk("first-entry");
    ReplyEdge(ctx.w, *s, true);
    ctx.w.Bulk("last-entry");
    ReplyEdge(ctx.w, *s, false);
    return;
  }
  ctx.w.Bulk("entries");
  ReplyStreamRange(ctx.w, *s, StreamId{}, engine::kMaxStreamId, false, static_cast<size_t>(count));
  ctx.w.Bulk("groups");
  ReplyGroupsFull(ctx.w, *s, static_cast<size_t>(count));
}

// XINFO GROUPS key / XINFO CONSUMERS key group: the key first.
void XInfoGroupsCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const StreamValue* s = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(2), &s)) return;
  if (s == nullptr) return ctx.w.Error(kNoSuchKey);
  ctx.w.ArrayHeader(s->groups().size());
  for (const auto& [name, g] : s->groups().all()) {
    ctx.w.MapHeader(6);
    ctx.w.Bulk("name");
    ctx.w.Bulk(name);
    ctx.w.Bulk("consumers");
    ctx.w.Integer(static_cast<int64_t>(g.consumers().size()));
    ctx.w.Bulk("pending");
    ctx.w.Integer(static_cast<int64_t>(g.pel().size()));
    ctx.w.Bulk("last-delivered-id");
    ctx.w.Bulk(FormatStreamId(g.last_id()));
    ctx.w.Bulk("entries-read");
    ReplyEntriesRead(ctx.w, g);
    ctx.w.Bulk("lag");
    ReplyLag(ctx.w, *s, g);
  }
}

void XInfoConsumersCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const StreamValue* s = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(2), &s)) return;
  if (s == nullptr) return ctx.w.Error(kNoSuchKey);
  const engine::StreamGroup* g = s->groups().Find(ctx.arg(3));
  if (g == nullptr) {
    return ctx.w.Error(NoGroupForKey(ctx.arg(2), ctx.arg(3)));
  }
  ctx.w.ArrayHeader(g->consumers().size());
  for (const auto& [name, c] : g->consumers()) {
    ctx.w.MapHeader(3);
    ctx.w.Bulk("name");
    ctx.w.Bulk(name);
    ctx.w.Bulk("pending");
    ctx.w.Integer(static_cast<int64_t>(c.pel.size()));
    ctx.w.Bulk("idle");
    ctx.w.Integer(std::max<int64_t>(0, ctx.now_ms - c.seen_time_ms));
  }
}

// Redis 7.0 words XINFO's last help line "Prints", where its other containers say "Print".
void XInfoHelpCmd(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CONSUMERS <key> <groupname>",
      "    Show consumers of <groupname>.",
      "GROUPS <key>",
      "    Show the stream consumer groups.",
      "STREAM <key> [FULL [COUNT <count>]",
      "    Show information about the stream.",
      "HELP",
      "    Prints this help.",
  };
  ctx.w.ArrayHeader(std::size(kLines));
  for (std::string_view l : kLines) ctx.w.SimpleString(l);
}

constexpr CommandSpec kSubcommands[] = {
    {"consumers", 4, kReadOnly, XInfoConsumersCmd, 2, 2, 1},
    {"groups", 3, kReadOnly, XInfoGroupsCmd, 2, 2, 1},
    {"stream", -3, kReadOnly, XInfoStreamCmd, 2, 2, 1},
    {"help", 2, kReadOnly | kLoading | kStale, XInfoHelpCmd},
};

constexpr CommandSpec kCommands[] = {
    Container("xinfo", -2, 0, kSubcommands),
};

}  // namespace

std::span<const CommandSpec> StreamInfoCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
