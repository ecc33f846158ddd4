// Server commands: COMMAND (COUNT DOCS INFO LIST GETKEYS HELP), DBSIZE, FLUSHDB, FLUSHALL,
// SWAPDB, TIME, LASTSAVE, SAVE, BGSAVE, BGREWRITEAOF, SHUTDOWN (specs/resp-subset.md §3).
#include <bit>
#include <string>
#include <vector>

#include "engine/store.h"
#include "translate/redis/acl_commands.h"
#include "translate/redis/arg_parser.h"
#include "translate/redis/command.h"
#include "translate/redis/command_docs.h"
#include "translate/redis/command_keys.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/script_engine.h"
#include "translate/redis/session.h"

namespace kvgate::redis {
namespace {

struct FlagName {
  uint32_t flag;
  std::string_view name;
};
constexpr FlagName kFlagNames[] = {
    {kWrite, "write"},          {kReadOnly, "readonly"},
    {kAdmin, "admin"},          {kPubSub, "pubsub"},
    {kNoScript, "noscript"},    {kLoading, "loading"},
    {kStale, "stale"},          {kFast, "fast"},
    {kNoAuth, "no_auth"},       {kBlocking, "blocking"},
    {kAllowBusy, "allow_busy"}, {kNoMulti, "no_multi"},
};

void WriteCommandInfo(resp::ReplyWriter& w, const CommandSpec& spec, const CommandSpec* parent) {
  w.ArrayHeader(10);
  if (parent != nullptr) {
    w.Bulk(std::string(parent->name) + "|" + std::string(spec.name));
  } else {
    w.Bulk(spec.name);
  }
  w.Integer(spec.arity);
  size_t nflags = 0;
  for (const auto& f : kFlagNames) nflags += (spec.flags & f.flag) ? 1 : 0;
  w.SetHeader(nflags);
  for (const auto& f : kFlagNames) {
    if (spec.flags & f.flag) w.SimpleString(f.name);
  }
  w.Integer(spec.first_key);
  w.Integer(spec.last_key);
  w.Integer(spec.key_step);
  // ACL categories, Redis's for its commands (acl_commands.h), as "@name" statuses.
  const uint32_t categories = acl::CommandIndex::Get().Of(&spec).categories;
  w.SetHeader(static_cast<size_t>(std::popcount(categories)));
  for (int c = 0; c < acl::kCategoryCount; ++c) {
    if (categories & acl::Cat(static_cast<acl::Category>(c))) {
      std::string name = "@";  // appended, not "@" + ...: GCC 12 -O3 warns -Wrestrict on that
      name.append(acl::CategoryName(c));
      w.SimpleString(name);
    }
  }
  w.SetHeader(0);    // tips
  w.ArrayHeader(0);  // key specs
  w.ArrayHeader(spec.subcommands.size());
  for (const CommandSpec& sub : spec.subcommands) WriteCommandInfo(w, sub, &spec);
}

void WriteCommandDocs(resp::ReplyWriter& w, const CommandSpec& spec) {
  w.MapHeader(spec.subcommands.empty() ? 3 : 4);
  w.Bulk("summary");
  const std::string_view summary = CommandSummary(spec.name);
  w.Bulk(summary.empty() ? std::string_view("Runs the command.") : summary);
  w.Bulk("since");
  w.Bulk("1.0.0");
  w.Bulk("group");
  w.Bulk((spec.flags & kPubSub) ? "pubsub" : "generic");
  if (!spec.subcommands.empty()) {
    w.Bulk("subcommands");
    w.MapHeader(spec.subcommands.size());
    for (const CommandSpec& sub : spec.subcommands) {
      const std::string full_name = std::string(spec.name) + "|" + std::string(sub.name);
      w.Bulk(full_name);
      w.MapHeader(3);
      w.Bulk("summary");
      const std::string_view summary = CommandSummary(full_name);
      w.Bulk(summary.empty() ? std::string_view("Runs the subcommand.") : summary);
      w.Bulk("since");
      w.Bulk("1.0.0");
      w.Bulk("group");
      w.Bulk("generic");
    }
  }
}

void CommandCmd(CommandContext& ctx) {
  auto all = CommandTable::Get().All();
  ctx.w.ArrayHeader(all.size());
  for (const CommandSpec* spec : all) WriteCommandInfo(ctx.w, *spec, nullptr);
}

void CommandCountCmd(CommandContext& ctx) {
  ctx.w.Integer(static_cast<int64_t>(CommandTable::Get().All().size()));
}

void CommandInfoCmd(CommandContext& ctx) {
  if (ctx.argc() == 2) return CommandCmd(ctx);
  ctx.w.ArrayHeader(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) {
    const CommandSpec* spec = CommandTable::Get().Find(ctx.arg(i));
    if (spec == nullptr) {
      ctx.w.NullArray();
    } else {
      WriteCommandInfo(ctx.w, *spec, nullptr);
    }
  }
}

void CommandDocsCmd(CommandContext& ctx) {
  std::vector<const CommandSpec*> specs;
  if (ctx.argc() == 2) {
    auto all = CommandTable::Get().All();
    specs.assign(all.begin(), all.end());
  } else {
    for (size_t i = 2; i < ctx.argc(); ++i) {
      if (const CommandSpec* s = CommandTable::Get().Find(ctx.arg(i))) specs.push_back(s);
    }
  }
  ctx.w.MapHeader(specs.size());
  for (const CommandSpec* s : specs) {
    ctx.w.Bulk(s->name);
    WriteCommandDocs(ctx.w, *s);
  }
}

void CommandListCmd(CommandContext& ctx) {
  if (ctx.argc() != 2) return ctx.w.Error(kSyntaxError);
  auto all = CommandTable::Get().All();
  ctx.w.ArrayHeader(all.size());
  for (const CommandSpec* s : all) ctx.w.Bulk(s->name);
}

// Redis getKeysSubcommandImpl: the same key extraction ACL checks use (command_keys.h).
void CommandGetKeysCmd(CommandContext& ctx) {
  std::span<const std::string_view> cmd = ctx.args.subspan(2);
  const CommandSpec* spec = CommandTable::Get().Find(cmd[0]);
  if (spec != nullptr && !spec->subcommands.empty() && cmd.size() >= 2) {
    spec = CommandTable::FindSub(*spec, cmd[1]);
  }
  if (spec == nullptr) return ctx.w.Error("ERR Invalid command specified");
  const acl::IndexedCommand& indexed = acl::CommandIndex::Get().Resolve(spec, cmd);
  if (!CommandHasKeys(indexed, spec)) return ctx.w.Error("ERR The command has no key arguments");
  const int argc = static_cast<int>(cmd.size());
  if ((spec->arity > 0 && argc != spec->arity) || argc < -spec->arity) {
    return ctx.w.Error("ERR Invalid number of arguments specified for command");
  }
  std::vector<KeyRef> keys;
  (void)CommandKeys(indexed, spec, cmd, &keys);
  if (keys.empty() && !(indexed.info != nullptr && indexed.info->keys_optional)) {
    return ctx.w.Error("ERR Invalid arguments specified for command");
  }
  ctx.w.ArrayHeader(keys.size());
  for (const KeyRef& k : keys) ctx.w.Bulk(cmd[k.pos]);
}

void CommandHelpCmd(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "(no subcommand)",
      "    Return details about all Redis commands.",
      "COUNT",
      "    Return the total number of commands in this Redis server.",
      "LIST",
      "    Return a list of all commands in this Redis server.",
      "INFO [<command-name> ...]",
      "    Return details about multiple Redis commands.",
      "DOCS [<command-name> ...]",
      "    Return documentation details about multiple Redis commands.",
      "GETKEYS <full-command>",
      "    Return the keys from a full Redis command.",
      "HELP",
      "    Print this help.",
  };
  ctx.w.ArrayHeader(std::size(kLines));
  for (std::string_view l : kLines) ctx.w.SimpleString(l);
}

void DbSizeCmd(CommandContext& ctx) {
  engine::StoreBucket* db = ctx.Db();
  if (db == nullptr) return;
  ctx.w.Integer(static_cast<int64_t>(db->LiveKeyCount()));
}

bool ParseFlushArgs(CommandContext& ctx) {
  if (ctx.argc() == 1) return true;
  if (ctx.argc() == 2 && (EqualsIgnoreCase(CString(ctx.arg(1)), "sync") ||
                          EqualsIgnoreCase(CString(ctx.arg(1)), "async"))) {
    return true;
  }
  ctx.w.Error(kSyntaxError);
  return false;
}

// Watched keys that exist are touched before a flush, and before a swap those that exist on
// either side (Redis touchAllWatchedKeysInDb: a key absent from both is not changed by it); the
// engine's bucket-wide events are then ignored (RedisFront::set_flushing). A key that expired
// since WATCH is expired by the read here, which touches it as Redis does.
void TouchWatchedKeys(RedisFront& front, engine::StoreBucket& bucket,
                      engine::StoreBucket* other = nullptr) {
  for (const std::string& key : front.watches().KeysOf(bucket.name())) {
    if (bucket.Get(key).ok() || (other != nullptr && other->Get(key).ok())) {
      front.watches().Touch(bucket.name(), key);
    }
  }
}

// After the flush: one "everything is invalid" for client-side caches, as Redis
// signalFlushedDb(), then the reply.
void FlushDone(CommandContext& ctx, engine::WriteResult r) {
  ctx.front.set_flushing(false);
  if (!r.ok()) return ReplyEngineError(ctx.w, r.errc());
  ctx.front.tracking().InvalidateAll(&ctx.session);
  ctx.w.Ok();
}

void FlushDbCmd(CommandContext& ctx) {
  if (!ParseFlushArgs(ctx)) return;
  engine::StoreBucket* db = ctx.Db();
  if (db == nullptr) return;
  TouchWatchedKeys(ctx.front, *db);
  ctx.front.set_flushing(true);
  ctx.Await([&](engine::WriteDone done) { db->Flush(std::move(done)); }, FlushDone);
}

void FlushAllCmd(CommandContext& ctx) {
  if (!ParseFlushArgs(ctx)) return;
  RedisFront& front = ctx.front;
  // Only buckets that exist: a flush does not create the other databases' buckets.
  for (int i = 0; i < front.config().databases; ++i) {
    if (engine::BucketRef b = front.store().FindBucket(front.BucketName(i))) {
      TouchWatchedKeys(front, *b);
    }
  }
  front.set_flushing(true);
  ctx.AwaitSequence(
      0, static_cast<size_t>(front.config().databases), 0,
      [](CommandContext& c, size_t i, int, engine::WriteDone done) {
        engine::BucketRef b = c.front.store().FindBucket(c.front.BucketName(static_cast<int>(i)));
        if (b == nullptr) return std::move(done)(uint64_t{0});
        b->Flush(std::move(done));
      },
      [](CommandContext& c, size_t, engine::WriteResult r, int) {
        if (r.ok()) return true;
        FlushDone(c, std::move(r));
        return false;
      },
      [](CommandContext& c, int) { FlushDone(c, uint64_t{0}); });
}

void SwapDone(CommandContext& ctx, engine::WriteResult r) {
  ctx.front.set_flushing(false);
  if (!r.ok()) return ReplyEngineError(ctx.w, r.errc());
  ctx.w.Ok();
}

// SWAPDB: the engine exchanges the two buckets' contents under their names, so every client on
// either database, Redis or NATS, sees the other's former data (README "SWAPDB").
void SwapDbCmd(CommandContext& ctx) {
  int first = 0;
  int second = 0;
  if (!ParseInt(ctx.arg(1), &first)) return ctx.w.Error("ERR invalid first DB index");
  if (!ParseInt(ctx.arg(2), &second)) return ctx.w.Error("ERR invalid second DB index");
  const int n = ctx.front.config().databases;
  if (first < 0 || first >= n || second < 0 || second >= n) return ctx.w.Error(kDbOutOfRange);
  if (first == second) return ctx.w.Ok();
  engine::StoreBucket* a = ctx.DbAt(first);
  if (a == nullptr) return;
  engine::StoreBucket* b = ctx.DbAt(second);
  if (b == nullptr) return;
  TouchWatchedKeys(ctx.front, *a, b);
  TouchWatchedKeys(ctx.front, *b, a);
  ctx.front.set_flushing(true);
  ctx.Await(
      [&](engine::WriteDone done) {
        ctx.front.store().SwapBuckets(a->name(), b->name(), std::move(done));
      },
      SwapDone);
}

void TimeCmd(CommandContext& ctx) {
  engine::UnixNanos ns = ctx.front.store().clock().NowNs();
  ctx.w.ArrayHeader(2);
  ctx.w.Bulk(std::to_string(ns / 1'000'000'000));
  ctx.w.Bulk(std::to_string((ns / 1000) % 1'000'000));
}

void LastSaveCmd(CommandContext& ctx) {
  const translate::PersistenceControl* p = ctx.front.persistence();
  ctx.w.Integer(p != nullptr ? p->Info().last_save_unix : ctx.front.stats().start_ms / 1000);
}

void SaveDone(CommandContext& ctx, engine::WriteResult r) {
  if (!r.ok()) return ctx.w.Error("ERR");  // Redis's shared.err: the log says why
  ctx.w.Ok();
}

// SAVE: a checkpoint (base image + new incr file, README "Persistence"); answered when it is on
// disk. Other clients are served meanwhile (Redis blocks them; nothing here needs that).
void SaveCmd(CommandContext& ctx) {
  translate::PersistenceControl* p = ctx.front.persistence();
  if (p == nullptr) return ctx.w.Ok();  // no data directory (in-process use)
  if (p->Info().checkpoint_in_progress)
    return ctx.w.Error("ERR Background save already in progress");
  ctx.Await([&](engine::WriteDone done) { p->Save(std::move(done)); }, SaveDone);
}

// BGSAVE / BGREWRITEAOF inside EXEC: Redis only schedules the checkpoint (it starts after the
// transaction) and says so, unless one is already being written.
void ScheduleInExec(CommandContext& ctx, translate::PersistenceControl& p,
                    std::string_view scheduled, std::string_view running) {
  if (p.Info().checkpoint_in_progress) return ctx.w.Error(running);
  (void)p.StartCheckpoint(false);  // requested for the end of this pass, or already
  ctx.w.SimpleString(scheduled);
}

void BgSaveCmd(CommandContext& ctx) {
  bool schedule = false;
  if (ctx.argc() > 1) {
    if (ctx.argc() != 2 || !EqualsIgnoreCase(CString(ctx.arg(1)), "schedule")) {
      return ctx.w.Error(kSyntaxError);
    }
    schedule = true;
  }
  translate::PersistenceControl* p = ctx.front.persistence();
  if (p == nullptr) return ctx.w.SimpleString("Background saving started");
  if (ctx.session.executing_transaction()) {
    return ScheduleInExec(ctx, *p, "Background saving scheduled",
                          "ERR Background save already in progress");
  }
  switch (p->StartCheckpoint(schedule)) {
    case translate::CheckpointStart::kStarted:
      return ctx.w.SimpleString("Background saving started");
    case translate::CheckpointStart::kScheduled:
      return ctx.w.SimpleString("Background saving scheduled");
    case translate::CheckpointStart::kInProgress:
      return ctx.w.Error("ERR Background save already in progress");
  }
}

void BgRewriteAofCmd(CommandContext& ctx) {
  translate::PersistenceControl* p = ctx.front.persistence();
  if (p == nullptr) return ctx.w.SimpleString("Background append only file rewriting started");
  constexpr std::string_view kRunning =
      "ERR Background append only file rewriting already in progress";
  if (ctx.session.executing_transaction()) {
    return ScheduleInExec(ctx, *p, "Background append only file rewriting scheduled", kRunning);
  }
  if (p->StartCheckpoint(false) == translate::CheckpointStart::kInProgress) {
    return ctx.w.Error(kRunning);
  }
  ctx.w.SimpleString("Background append only file rewriting started");
}

void ShutdownNow(CommandContext& ctx) {
  translate::ServerControl* control = ctx.front.server_control();
  if (control == nullptr) return ctx.w.Error("ERR Errors trying to SHUTDOWN. Check logs.");
  control->Shutdown();  // no reply: the connection closes with the server
}

// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT] as redis-server 7.0 parses it. The redo log is
// flushed and synced on every shutdown; SAVE (or save rules without NOSAVE) first takes a
// checkpoint, and its failure keeps the server up unless FORCE. No replicas: nothing to wait
// for, so NOW changes nothing and there is never a shutdown in progress to ABORT.
void ShutdownCmd(CommandContext& ctx) {
  bool nosave = false, save = false, force = false, abort = false, any = false;
  for (size_t i = 1; i < ctx.argc(); ++i) {
    const std::string_view a = CString(ctx.arg(i));
    if (EqualsIgnoreCase(a, "nosave")) {
      nosave = true;
    } else if (EqualsIgnoreCase(a, "save")) {
      save = true;
    } else if (EqualsIgnoreCase(a, "now")) {
    } else if (EqualsIgnoreCase(a, "force")) {
      force = true;
    } else if (EqualsIgnoreCase(a, "abort")) {
      abort = true;
      continue;
    } else {
      return ctx.w.Error(kSyntaxError);
    }
    any = true;
  }
  if ((abort && any) || (nosave && save)) return ctx.w.Error(kSyntaxError);
  if (abort) return ctx.w.Error("ERR No shutdown in progress.");
  if (const ScriptRunner* busy = ctx.front.scripts().timed_out_runner();
      busy != nullptr && !nosave) {
    return ctx.w.Error(BusyScriptError(busy->kind()));
  }
  translate::PersistenceControl* p = ctx.front.persistence();
  const bool checkpoint = save || (!nosave && !ctx.front.config().save.empty());
  if (!checkpoint || p == nullptr || p->loading()) return ShutdownNow(ctx);
  if (force) {
    ctx.Await([&](engine::WriteDone done) { p->Save(std::move(done)); },
              [](CommandContext& c, engine::WriteResult) { ShutdownNow(c); });
    return;
  }
  ctx.Await([&](engine::WriteDone done) { p->Save(std::move(done)); },
            [](CommandContext& c, engine::WriteResult r) {
              if (!r.ok()) return c.w.Error("ERR Errors trying to SHUTDOWN. Check logs.");
              ShutdownNow(c);
            });
}

constexpr uint32_t kCmd = kLoading | kStale;

// One line per command: clang-format would pack these short lines into columns.
// clang-format off
constexpr CommandSpec kSubcommands[] = {
    {"count", 2, kCmd, CommandCountCmd},
    {"docs", -2, kCmd, CommandDocsCmd},
    {"info", -2, kCmd, CommandInfoCmd},
    {"list", -2, kCmd, CommandListCmd},
    {"getkeys", -4, kCmd, CommandGetKeysCmd},
    {"help", 2, kCmd, CommandHelpCmd},
};
// clang-format on

constexpr CommandSpec kCommands[] = {
    Container("command", -1, kCmd, kSubcommands, CommandCmd),
    {"dbsize", 1, kReadOnly | kFast, DbSizeCmd},
    {"flushdb", -1, kWrite, FlushDbCmd},
    {"flushall", -1, kWrite, FlushAllCmd},
    {"swapdb", 3, kWrite | kFast, SwapDbCmd},
    {"time", 1, kFast | kLoading | kStale, TimeCmd},
    {"lastsave", 1, kFast | kLoading | kStale, LastSaveCmd},
    {"save", 1, kAdmin | kNoScript | kNoMulti, SaveCmd},
    {"bgsave", -1, kAdmin | kNoScript, BgSaveCmd},
    {"bgrewriteaof", 1, kAdmin | kNoScript, BgRewriteAofCmd},
    {"shutdown", -1, kAdmin | kNoScript | kLoading | kStale | kNoMulti | kAllowBusy, ShutdownCmd},
};

}  // namespace

std::span<const CommandSpec> ServerCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
