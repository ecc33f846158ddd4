// Counters: INCR DECR INCRBY DECRBY INCRBYFLOAT (specs/resp-subset.md §4.3). Integers follow
// Redis's canonical int64 grammar; INCRBYFLOAT computes in x86-64 `long double` and prints with
// "%.17Lf" minus trailing zeros, as Redis's ld2string(LD_STR_HUMAN) does, so results such as
// 5.6 + 5.0e3 = 5005.60000000000000009 match byte for byte.
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "engine/store.h"
#include "protocols/resp/number.h"
#include "translate/redis/command.h"
#include "translate/redis/errors.h"
#include "translate/redis/long_double.h"
#include "translate/redis/notifications.h"
#include "translate/redis/string_access.h"

namespace kvgate::redis {

namespace {
constexpr size_t kMaxLongDoubleChars = 5 * 1024;

}  // namespace

bool ParseLongDouble(std::string_view s, long double* out) {
  if (s.empty() || s.size() >= kMaxLongDoubleChars) return false;
  char buf[kMaxLongDoubleChars];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  errno = 0;
  char* end = nullptr;
  long double v = strtold(buf, &end);
  if (isspace(static_cast<unsigned char>(buf[0])) || end != buf + s.size() ||
      (errno == ERANGE && (v == HUGE_VALL || v == -HUGE_VALL || std::fpclassify(v) == FP_ZERO)) ||
      std::isnan(v)) {
    return false;
  }
  *out = v;
  return true;
}

std::string FormatLongDouble(long double v) {
  char buf[kMaxLongDoubleChars];
  int n = snprintf(buf, sizeof(buf), "%.17Lf", v);
  if (n < 0 || static_cast<size_t>(n) + 1 > sizeof(buf)) return std::string();
  size_t len = static_cast<size_t>(n);
  if (std::memchr(buf, '.', len) != nullptr) {
    while (len > 0 && buf[len - 1] == '0') --len;
    if (len > 0 && buf[len - 1] == '.') --len;
  }
  if (len == 2 && buf[0] == '-' && buf[1] == '0') {
    buf[0] = '0';
    len = 1;
  }
  return std::string(buf, len);
}

namespace {

using Bucket = engine::StoreBucket;

void IncrBy(CommandContext& ctx, int64_t incr) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  std::string_view key = ctx.arg(1);
  int64_t value = 0;
  auto e = GetStringKey(*db, key);
  if (e.errc() == engine::Errc::kWrongType) return ReplyEngineError(ctx.w, e.errc());
  if (e.ok() && !resp::ParseInt64(e->value, &value)) return ctx.w.Error(kNotInteger);
  if ((incr < 0 && value < 0 && incr < INT64_MIN - value) ||
      (incr > 0 && value > 0 && incr > INT64_MAX - value)) {
    return ctx.w.Error(kOverflow);
  }
  value += incr;
  char buf[resp::kMaxInt64Chars];
  std::string_view text = resp::FormatInt64(value, buf);
  engine::WriteOptions wo;
  wo.keep_ttl = true;
  ctx.AwaitWrite(*db, engine::WriteRequest::Put(key, text, wo),
                 [value](CommandContext& c, engine::WriteResult r) {
                   if (!r.ok()) return ReplyEngineError(c.w, r.errc());
                   c.Notify(kNotifyString, "incrby", c.arg(1));
                   c.w.Integer(value);
                 });
}

void IncrCmd(CommandContext& ctx) {
  IncrBy(ctx, 1);
}

void DecrCmd(CommandContext& ctx) {
  IncrBy(ctx, -1);
}

void IncrByCmd(CommandContext& ctx) {
  int64_t incr = 0;
  if (!resp::ParseInt64(ctx.arg(2), &incr)) return ctx.w.Error(kNotInteger);
  IncrBy(ctx, incr);
}

void DecrByCmd(CommandContext& ctx) {
  int64_t decr = 0;
  if (!resp::ParseInt64(ctx.arg(2), &decr)) return ctx.w.Error(kNotInteger);
  if (decr == INT64_MIN) return ctx.w.Error(kDecrOverflow);
  IncrBy(ctx, -decr);
}

void IncrByFloatCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  std::string_view key = ctx.arg(1);
  long double value = 0;
  long double incr = 0;
  auto e = GetStringKey(*db, key);
  if (e.errc() == engine::Errc::kWrongType) return ReplyEngineError(ctx.w, e.errc());
  if ((e.ok() && !ParseLongDouble(e->value, &value)) || !ParseLongDouble(ctx.arg(2), &incr)) {
    return ctx.w.Error(kNotFloat);
  }
  value += incr;
  if (std::isnan(value) || std::isinf(value)) return ctx.w.Error(kNanOrInf);
  std::string text = FormatLongDouble(value);
  engine::WriteOptions wo;
  wo.keep_ttl = true;
  const engine::WriteRequest request = engine::WriteRequest::Put(key, text, wo);
  ctx.AwaitWrite(*db, request, [text](CommandContext& c, engine::WriteResult r) {
    if (!r.ok()) return ReplyEngineError(c.w, r.errc());
    c.Notify(kNotifyString, "incrbyfloat", c.arg(1));
    c.w.Bulk(text);  // a bulk string in RESP3 too
  });
}

constexpr uint32_t kWF = kWrite | kFast;

constexpr CommandSpec kCommands[] = {
    {"incr", 2, kWF, IncrCmd, 1, 1, 1},
    {"decr", 2, kWF, DecrCmd, 1, 1, 1},
    {"incrby", 3, kWF, IncrByCmd, 1, 1, 1},
    {"decrby", 3, kWF, DecrByCmd, 1, 1, 1},
    {"incrbyfloat", 3, kWF, IncrByFloatCmd, 1, 1, 1},
};

}  // namespace

std::span<const CommandSpec> CounterCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
