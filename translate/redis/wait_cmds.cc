// File: translate/redis/wait_cmds.cc
// WAIT numreplicas timeout, as a standalone redis-server 7.0 answers it: kvgate has no
// replicas, so WAIT 0 (or less) answers 0 at once and WAIT N>0 blocks until its timeout (0:
// forever) or CLIENT UNBLOCK, then answers 0. Inside MULTI/EXEC it answers at once, as Redis
// does for clients that may not block. The first command built on commands that complete later
// (pending.h).
#include <cstdint>
#include <limits>

#include "protocols/resp/number.h"
#include "translate/redis/command.h"
#include "translate/redis/errors.h"
#include "translate/redis/session.h"

namespace kvgate::redis {
namespace {

void WaitCmd(CommandContext& ctx) {
  int64_t replicas = 0;
  if (!resp::ParseInt64(ctx.arg(1), &replicas)) return ctx.w.Error(kNotInteger);
  int64_t timeout = 0;
  if (!resp::ParseInt64(ctx.arg(2), &timeout)) {
    return ctx.w.Error("ERR timeout is not an integer or out of range");
  }
  if (timeout < 0) return ctx.w.Error("ERR timeout is negative");
  // Redis 7.0 adds the clock without a range check; a deadline past the end of time waits
  // forever there, and here.
  int64_t deadline = 0;
  if (timeout > 0 && timeout <= std::numeric_limits<int64_t>::max() - ctx.now_ms) {
    deadline = ctx.now_ms + timeout;
  }
  constexpr int64_t kAcknowledged = 0;  // replicas that acknowledged: there are none
  if (replicas <= kAcknowledged || ctx.session.executing_transaction()) {
    return ctx.w.Integer(kAcknowledged);
  }
  ctx.Suspend(deadline, /*unblockable=*/true, [](Wake wake) {
    if (wake.reason == WakeReason::kUnblockError) return wake.ctx->w.Error(kUnblockedError);
    wake.ctx->w.Integer(kAcknowledged);
  });
}

constexpr CommandSpec kCommands[] = {{"wait", 3, kNoScript, WaitCmd}};

}  // namespace

std::span<const CommandSpec> WaitCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
