// File: translate/redis/stream_group_cmds.cc
// Consumer group administration as redis-server 7.0 answers it (t_stream.c xgroupCommand,
// xackCommand): XGROUP CREATE [MKSTREAM] [ENTRIESREAD n] / SETID [ENTRIESREAD n] / DESTROY /
// CREATECONSUMER / DELCONSUMER / HELP, and XACK. Options are read first, then the key, then
// the group, as Redis does, so the same malformed command gets the same error. Every change is
// one revision of the key (ctx.AwaitMutate); a command that changes nothing appends none.
//
//   XGROUP CREATE s g $ MKSTREAM   -> +OK        (keyspace event "xgroup-create")
//   XACK s g 1-0 2-0               -> :2
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/collections/stream_groups.h"
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
namespace {

using Bucket = engine::StoreBucket;
using engine::StreamGroup;
using engine::StreamId;
using engine::StreamValue;
using engine::ValueType;

constexpr std::string_view kKeyRequired =
    "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to "
    "use the MKSTREAM option to create an empty stream automatically.";

// What CREATE and SETID read after the ID.
struct GroupOptions {
  bool mkstream = false;
  int64_t entries_read = engine::kInvalidEntriesRead;
};

bool ParseGroupOptions(CommandContext& ctx, bool create, GroupOptions* out) {
  for (size_t i = 5; i < ctx.argc();) {
    const std::string_view opt = CString(ctx.arg(i));
    if (create && protocols::EqualsIgnoreCase(opt, "mkstream")) {
      out->mkstream = true;
      ++i;
    } else if (protocols::EqualsIgnoreCase(opt, "entriesread") && i + 1 < ctx.argc()) {
      if (!resp::ParseInt64(ctx.arg(i + 1), &out->entries_read)) {
        ctx.w.Error(kNotInteger);
        return false;
      }
      if (out->entries_read < 0 && out->entries_read != engine::kInvalidEntriesRead) {
        ctx.w.Error("ERR value for ENTRIESREAD must be positive or -1");
        return false;
      }
      i += 2;
    } else {
      ReplySubcommandSyntax(ctx.w, ctx.arg(1), "XGROUP");
      return false;
    }
  }
  return true;
}

// The stream at arg 2 for a subcommand that needs it: false after replying (WRONGTYPE, no key,
// NOGROUP when `need_group`). *s is nullptr only when `may_be_missing`.
bool LookupForGroup(CommandContext& ctx, Bucket& db, bool may_be_missing, bool need_group,
                    const StreamValue** s) {
  if (!ReadCollection(ctx, db, ctx.arg(2), s)) return false;
  if (*s == nullptr) {
    if (may_be_missing) return true;
    ctx.w.Error(kKeyRequired);
    return false;
  }
  if (need_group && (*s)->groups().Find(ctx.arg(3)) == nullptr) {
    ctx.w.Error(NoGroupForKey(ctx.arg(2), ctx.arg(3)));
    return false;
  }
  return true;
}

// XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n]
void XGroupCreateCmd(CommandContext& ctx) {
  GroupOptions o;
  if (!ParseGroupOptions(ctx, true, &o)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const StreamValue* cur = nullptr;
  if (!LookupForGroup(ctx, *db, o.mkstream, false, &cur)) return;
  if (ctx.argc() > 8) return ReplySubcommandSyntax(ctx.w, ctx.arg(1), "XGROUP");
  const bool last = ctx.arg(4) == "$";
  StreamId id;
  if (!last && !ParseStreamIdOrReply(ctx, ctx.arg(4), 0, true, nullptr, &id)) return;
  ctx.AwaitMutate(
      *db, ctx.arg(2), ValueType::kStream, {.create = o.mkstream}, false,
      [&](engine::Collection& c, bool& created) {
        auto& s = static_cast<StreamValue&>(c);
        created = s.groups().Create(ctx.arg(3), last ? s.last_id() : id, o.entries_read) != nullptr;
        return created;
      },
      [](CommandContext& c, engine::WriteResult r, bool created) {
        if (r.errc() == engine::Errc::kNotFound) return c.w.Error(kKeyRequired);
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        if (!created) return c.w.Error("BUSYGROUP Consumer Group name already exists");
        c.Notify(kNotifyStream, "xgroup-create", c.arg(2));
        c.w.Ok();
      });
}

// XGROUP SETID key group id|$ [ENTRIESREAD n]
void XGroupSetIdCmd(CommandContext& ctx) {
  GroupOptions o;
  if (!ParseGroupOptions(ctx, false, &o)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const StreamValue* cur = nullptr;
  if (!LookupForGroup(ctx, *db, false, true, &cur)) return;
  if (ctx.argc() != 5 && ctx.argc() != 7) {
    return ReplySubcommandSyntax(ctx.w, ctx.arg(1), "XGROUP");
  }
  const bool last = ctx.arg(4) == "$";
  StreamId id;
  if (!last && !ParseStreamIdOrReply(ctx, ctx.arg(4), 0, false, nullptr, &id)) return;
  ctx.AwaitMutate(
      *db, ctx.arg(2), ValueType::kStream, {.create = false, .may_grow = false}, 0,
      [&](engine::Collection& c, int&) {
        auto& s = static_cast<StreamValue&>(c);
        StreamGroup* g = s.groups().Find(ctx.arg(3));
        if (g == nullptr) return false;
        g->SetLastDelivered(last ? s.last_id() : id, o.entries_read);
        return true;
      },
      [](CommandContext& c, engine::WriteResult r, int) {
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        c.Notify(kNotifyStream, "xgroup-setid", c.arg(2));
        c.w.Ok();
      });
}

// XGROUP DESTROY key group: 1 or 0. Readers blocked on the group are woken (to NOGROUP).
void XGroupDestroyCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const StreamValue* cur = nullptr;
  if (!LookupForGroup(ctx, *db, false, false, &cur)) return;
  if (cur->groups().Find(ctx.arg(3)) == nullptr) return ctx.w.Integer(0);
  ctx.AwaitMutate(
      *db, ctx.arg(2), ValueType::kStream, {.create = false, .may_grow = false}, false,
      [&](engine::Collection& c, bool& destroyed) {
        destroyed = static_cast<StreamValue&>(c).groups().Destroy(ctx.arg(3));
        return destroyed;
      },
      [](CommandContext& c, engine::WriteResult r, bool destroyed) {
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        if (destroyed) c.Notify(kNotifyStream, "xgroup-destroy", c.arg(2));
        c.w.Integer(destroyed ? 1 : 0);
      });
}

// XGROUP CREATECONSUMER key group consumer: 1, or 0 if it exists.
void XGroupCreateConsumerCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const StreamValue* cur = nullptr;
  if (!LookupForGroup(ctx, *db, false, true, &cur)) return;
  if (cur->groups().Find(ctx.arg(3))->consumers().count(ctx.arg(4)) != 0) {
    return ctx.w.Integer(0);
  }
  ctx.AwaitMutate(
      *db, ctx.arg(2), ValueType::kStream, {.create = false}, false,
      [&](engine::Collection& c, bool& created) {
        StreamGroup* g = static_cast<StreamValue&>(c).groups().Find(ctx.arg(3));
        created = g != nullptr && g->LookupOrCreate(ctx.arg(4), ctx.now_ms).second;
        return created;
      },
      [](CommandContext& c, engine::WriteResult r, bool created) {
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        if (created) c.Notify(kNotifyStream, "xgroup-createconsumer", c.arg(2));
        c.w.Integer(created ? 1 : 0);
      });
}

// XGROUP DELCONSUMER key group consumer: the entries that were pending for it.
void XGroupDelConsumerCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const StreamValue* cur = nullptr;
  if (!LookupForGroup(ctx, *db, false, true, &cur)) return;
  if (cur->groups().Find(ctx.arg(3))->consumers().count(ctx.arg(4)) == 0) {
    return ctx.w.Integer(0);
  }
  ctx.AwaitMutate(
      *db, ctx.arg(2), ValueType::kStream, {.create = false, .may_grow = false}, int64_t{-1},
      [&](engine::Collection& c, int64_t& pending) {
        StreamGroup* g = static_cast<StreamValue&>(c).groups().Find(ctx.arg(3));
        if (g != nullptr) pending = g->DeleteConsumer(ctx.arg(4));
        return pending >= 0;
      },
      [](CommandContext& c, engine::WriteResult r, int64_t pending) {
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        if (pending >= 0) c.Notify(kNotifyStream, "xgroup-delconsumer", c.arg(2));
        c.w.Integer(pending < 0 ? 0 : pending);
      });
}

void XGroupHelpCmd(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CREATE <key> <groupname> <id|$> [option]",
      "    Create a new consumer group. Options are:",
      "    * MKSTREAM",
      "      Create the empty stream if it does not exist.",
      "    * ENTRIESREAD entries_read",
      "      Set the group's entries_read counter (internal use).",
      "CREATECONSUMER <key> <groupname> <consumer>",
      "    Create a new consumer in the specified group.",
      "DELCONSUMER <key> <groupname> <consumer>",
      "    Remove the specified consumer.",
      "DESTROY <key> <groupname>",
      "    Remove the specified group.",
      "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
      "    Set the current group ID and entries_read counter.",
      "HELP",
      "    Prints this help.",
  };
  ctx.w.ArrayHeader(std::size(kLines));
  for (std::string_view l : kLines) ctx.w.SimpleString(l);
}

// XACK key group id [id ...]: how many were pending. A missing key or group acknowledges
// nothing before the IDs are read; then every ID is read before any is acknowledged.
void XAckCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  const StreamValue* cur = nullptr;
  if (!ReadCollection(ctx, *db, ctx.arg(1), &cur)) return;
  if (cur == nullptr || cur->groups().Find(ctx.arg(2)) == nullptr) return ctx.w.Integer(0);
  std::vector<StreamId> ids(ctx.argc() - 3);
  for (size_t j = 3; j < ctx.argc(); ++j) {
    if (!ParseStreamIdOrReply(ctx, ctx.arg(j), 0, true, nullptr, &ids[j - 3])) return;
  }
  ctx.AwaitMutate(
      *db, ctx.arg(1), ValueType::kStream, {.create = false, .may_grow = false}, int64_t{0},
      [&](engine::Collection& c, int64_t& acked) {
        StreamGroup* g = static_cast<StreamValue&>(c).groups().Find(ctx.arg(2));
        if (g == nullptr) return false;
        for (StreamId id : ids) acked += g->Ack(id) ? 1 : 0;
        return acked > 0;
      },
      [](CommandContext& c, engine::WriteResult r, int64_t acked) {
        if (r.errc() == engine::Errc::kNotFound) return c.w.Integer(0);
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        c.w.Integer(acked);
      });
}

constexpr uint32_t kWF = kWrite | kFast;

constexpr CommandSpec kXGroupSubcommands[] = {
    {"create", -5, kWrite, XGroupCreateCmd, 2, 2, 1},
    {"setid", -5, kWrite, XGroupSetIdCmd, 2, 2, 1},
    {"destroy", 4, kWrite, XGroupDestroyCmd, 2, 2, 1},
    {"createconsumer", 5, kWrite, XGroupCreateConsumerCmd, 2, 2, 1},
    {"delconsumer", 5, kWrite, XGroupDelConsumerCmd, 2, 2, 1},
    {"help", 2, kLoading | kStale, XGroupHelpCmd},
};

constexpr CommandSpec kCommands[] = {
    Container("xgroup", -2, 0, kXGroupSubcommands),
    {"xack", -4, kWF, XAckCmd, 1, 1, 1},
};

}  // namespace

std::span<const CommandSpec> StreamGroupCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
