// Transactions: MULTI EXEC DISCARD WATCH UNWATCH (specs/resp-subset.md §7). Queueing and the
// EXECABORT rules live in the session's dispatcher; WATCH dirtiness comes from the engine's
// change stream (any writer, expiry, EXPIRE/PERSIST, flushes).
#include <string>

#include "translate/redis/command.h"
#include "translate/redis/errors.h"
#include "translate/redis/session.h"

namespace kvgate::redis {
namespace {

void MultiCmd(CommandContext& ctx) {
  if (ctx.session.in_multi()) return ctx.w.Error("ERR MULTI calls can not be nested");
  ctx.session.StartMulti();
  ctx.w.Ok();
}

void ExecCmd(CommandContext& ctx) {
  if (!ctx.session.in_multi()) return ctx.w.Error("ERR EXEC without MULTI");
  ctx.session.Exec(ctx.now_ms);
}

void DiscardCmd(CommandContext& ctx) {
  if (!ctx.session.in_multi()) return ctx.w.Error("ERR DISCARD without MULTI");
  ctx.session.DiscardMulti();
  ctx.w.Ok();
}

void WatchCmd(CommandContext& ctx) {
  if (ctx.session.in_multi()) return ctx.w.Error("ERR WATCH inside MULTI is not allowed");
  const std::string bucket = ctx.session.CurrentBucketName();
  for (size_t i = 1; i < ctx.argc(); ++i) ctx.session.Watch(bucket, ctx.arg(i));
  ctx.w.Ok();
}

void UnwatchCmd(CommandContext& ctx) {
  ctx.session.UnwatchAll();
  ctx.w.Ok();
}

constexpr uint32_t kTx = kNoScript | kLoading | kStale | kFast;

const CommandSpec kCommands[] = {
    {"multi", 1, kTx | kNotQueued, MultiCmd, {}, 0, 0, 0, "Starts a transaction."},
    {"exec",
     1,
     kNoScript | kLoading | kStale | kNotQueued,
     ExecCmd,
     {},
     0,
     0,
     0,
     "Executes all commands in a transaction."},
    {"discard", 1, kTx | kNotQueued, DiscardCmd, {}, 0, 0, 0, "Discards a transaction."},
    {"watch",
     -2,
     kTx | kNotQueued,
     WatchCmd,
     {},
     1,
     -1,
     1,
     "Monitors changes to keys to determine the execution of a transaction."},
    {"unwatch", 1, kTx, UnwatchCmd, {}, 0, 0, 0, "Forgets about watched keys of a transaction."},
};

}  // namespace

std::span<const CommandSpec> MultiCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
