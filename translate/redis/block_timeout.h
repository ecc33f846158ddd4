// File: translate/redis/block_timeout.h
// The arguments every blocking command (BLPOP ... timeout, BZMPOP timeout ...) shares: the
// timeout, seconds as a long double as redis-server 7.0's getTimeoutFromObjectOrReply reads it,
// turned into a deadline on the command's clock (0: wait forever), and, once a key is ready,
// which of its key arguments that is.
//
//   int64_t deadline = 0;
//   if (!ParseBlockTimeout(ctx, ctx.arg(ctx.argc() - 1), &deadline)) return;  // replied
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>

#include "translate/redis/command.h"
#include "translate/redis/long_double.h"

namespace kvgate::redis {

inline bool ParseBlockTimeout(CommandContext& ctx, std::string_view arg, int64_t* deadline_ms) {
  long double seconds = 0;
  if (!ParseLongDouble(arg, &seconds)) {
    ctx.w.Error("ERR timeout is not a float or out of range");
    return false;
  }
  // Redis rounds seconds * 1000 up to a long long: 1e-9 is 1 ms, -0.0001 is 0 (forever), and a
  // value past the range (inf included) comes out as LLONG_MIN on x86-64, so "negative".
  const long double ms = std::ceil(seconds * 1000.0L);
  constexpr long double kLimit = 9223372036854775807.0L;
  if (!(ms > -kLimit - 1.0L && ms < kLimit)) {
    ctx.w.Error("ERR timeout is negative");
    return false;
  }
  const auto tval = static_cast<int64_t>(ms);
  if (tval < 0) {
    ctx.w.Error("ERR timeout is negative");
    return false;
  }
  // Past the end of the clock: forever, as WAIT does.
  *deadline_ms = 0;
  if (tval > 0 && tval <= std::numeric_limits<int64_t>::max() - ctx.now_ms) {
    *deadline_ms = ctx.now_ms + tval;
  }
  return true;
}

// The index of the key argument in [from, to) equal to the ready key (BlockedServe's key).
inline size_t ReadyKeyArg(const CommandContext& ctx, size_t from, size_t to, std::string_view key) {
  for (size_t k = from; k < to; ++k) {
    if (ctx.arg(k) == key) return k;
  }
  return from;
}

}  // namespace kvgate::redis
