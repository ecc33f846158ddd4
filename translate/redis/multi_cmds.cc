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

constexpr CommandSpec kCommands[] = {
    {"multi", 1, kTx | kNotQueued | kAllowBusy, MultiCmd},
    {"exec", 1, kNoScript | kLoading | kStale | kNotQueued, ExecCmd},
    {"discard", 1, kTx | kNotQueued | kAllowBusy, DiscardCmd},
    {"watch", -2, kTx | kNotQueued | kAllowBusy, WatchCmd, 1, -1, 1},
    {"unwatch", 1, kTx | kAllowBusy, UnwatchCmd},
};

}  // namespace

std::span<const CommandSpec> MultiCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
