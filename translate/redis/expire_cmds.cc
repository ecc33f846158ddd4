// Expiry: EXPIRE PEXPIRE EXPIREAT PEXPIREAT (NX XX GT LT), TTL PTTL EXPIRETIME PEXPIRETIME
// PERSIST (specs/resp-subset.md §6). A deadline change is Bucket::SetExpiry (no new revision,
// but watchers of the key see it); a deadline in the past deletes the key, as Redis does.
#include <string>

#include "engine/store.h"
#include "protocols/resp/number.h"
#include "translate/redis/arg_parser.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/notifications.h"

namespace kvgate::redis {
namespace {

using Bucket = engine::StoreBucket;

enum ExpireFlag : uint32_t { kNx = 1, kXx = 2, kGt = 4, kLt = 8 };

// Redis expireGenericCommand. `base_ms` is 0 for absolute forms, now for relative ones.
void ExpireGeneric(CommandContext& ctx, bool seconds, bool relative) {
  uint32_t flags = 0;
  ArgParser p(ctx.args, 3);
  while (!p.Done()) {
    if (p.Keyword("NX"))
      flags |= kNx;
    else if (p.Keyword("XX"))
      flags |= kXx;
    else if (p.Keyword("GT"))
      flags |= kGt;
    else if (p.Keyword("LT"))
      flags |= kLt;
    else
      p.Fail("ERR Unsupported option " + std::string(CString(p.Next())));
  }
  // Redis checks the options (and their combinations) before the time argument.
  if ((flags & kNx) && (flags & (kXx | kGt | kLt))) {
    p.Fail("ERR NX and XX, GT or LT options at the same time are not compatible");
  }
  if ((flags & kGt) && (flags & kLt)) {
    p.Fail("ERR GT and LT options at the same time are not compatible");
  }
  if (p.ReplyIfError(ctx.w)) return;
  int64_t when = 0;
  if (!resp::ParseInt64(ctx.arg(2), &when)) return ctx.w.Error(kNotInteger);
  const std::string command(ctx.spec->name);
  if (seconds) {
    if (when > INT64_MAX / 1000 || when < INT64_MIN / 1000) {
      return ReplyInvalidExpire(ctx.w, command);
    }
    when *= 1000;
  }
  const int64_t base = relative ? ctx.now_ms : 0;
  if (when > INT64_MAX - base) return ReplyInvalidExpire(ctx.w, command);
  when += base;

  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  std::string_view key = ctx.arg(1);
  auto e = db->Get(key);
  if (!e.ok()) return ctx.w.Integer(0);
  if (flags != 0) {
    const bool has_ttl = e->expires_at_ms != engine::kNoExpiry;
    const int64_t current = e->expires_at_ms;
    if ((flags & kNx) && has_ttl) return ctx.w.Integer(0);
    if ((flags & kXx) && !has_ttl) return ctx.w.Integer(0);
    // No TTL counts as an infinite one: GT never beats it, LT always does.
    if ((flags & kGt) && (!has_ttl || when <= current)) return ctx.w.Integer(0);
    if ((flags & kLt) && has_ttl && when >= current) return ctx.w.Integer(0);
  }
  if (when <= ctx.now_ms) {
    return ctx.AwaitWrite(*db, engine::WriteRequest::Delete(key),
                          [](CommandContext& c, engine::WriteResult r) {
                            if (!r.ok()) return ReplyEngineError(c.w, r.errc());
                            c.Notify(kNotifyGeneric, "del", c.arg(1));
                            c.w.Integer(1);
                          });
  }
  ctx.Await([&](engine::WriteDone done) { db->SetExpiry(key, when, std::move(done)); },
            [](CommandContext& c, engine::WriteResult r) {
              if (!r.ok()) return ReplyEngineError(c.w, r.errc());
              c.w.Integer(1);  // Redis replies before notifying here (and notifies first on del)
              c.Notify(kNotifyGeneric, "expire", c.arg(1));
            });
}

void ExpireCmd(CommandContext& ctx) {
  ExpireGeneric(ctx, true, true);
}
void PExpireCmd(CommandContext& ctx) {
  ExpireGeneric(ctx, false, true);
}
void ExpireAtCmd(CommandContext& ctx) {
  ExpireGeneric(ctx, true, false);
}
void PExpireAtCmd(CommandContext& ctx) {
  ExpireGeneric(ctx, false, false);
}

// TTL / PTTL / EXPIRETIME / PEXPIRETIME.
void TtlGeneric(CommandContext& ctx, bool ms, bool absolute) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  auto e = db->Get(ctx.arg(1));
  if (!e.ok()) return ctx.w.Integer(-2);
  if (e->expires_at_ms == engine::kNoExpiry) return ctx.w.Integer(-1);
  int64_t v = e->expires_at_ms;
  if (!absolute) {
    v -= ctx.now_ms;
    if (v < 0) v = 0;
  }
  ctx.w.Integer(ms ? v : (v + 500) / 1000);
}

void TtlCmd(CommandContext& ctx) {
  TtlGeneric(ctx, false, false);
}
void PTtlCmd(CommandContext& ctx) {
  TtlGeneric(ctx, true, false);
}
void ExpireTimeCmd(CommandContext& ctx) {
  TtlGeneric(ctx, false, true);
}
void PExpireTimeCmd(CommandContext& ctx) {
  TtlGeneric(ctx, true, true);
}

void PersistCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  std::string_view key = ctx.arg(1);
  auto e = db->Get(key);
  if (!e.ok() || e->expires_at_ms == engine::kNoExpiry) return ctx.w.Integer(0);
  ctx.Await([&](engine::WriteDone done) { db->SetExpiry(key, engine::kNoExpiry, std::move(done)); },
            [](CommandContext& c, engine::WriteResult r) {
              if (!r.ok()) return ReplyEngineError(c.w, r.errc());
              c.Notify(kNotifyGeneric, "persist", c.arg(1));
              c.w.Integer(1);
            });
}

constexpr uint32_t kWF = kWrite | kFast;
constexpr uint32_t kRF = kReadOnly | kFast;

constexpr CommandSpec kCommands[] = {
    {"expire", -3, kWF, ExpireCmd, 1, 1, 1},
    {"pexpire", -3, kWF, PExpireCmd, 1, 1, 1},
    {"expireat", -3, kWF, ExpireAtCmd, 1, 1, 1},
    {"pexpireat", -3, kWF, PExpireAtCmd, 1, 1, 1},
    {"ttl", 2, kRF, TtlCmd, 1, 1, 1},
    {"pttl", 2, kRF, PTtlCmd, 1, 1, 1},
    {"expiretime", 2, kRF, ExpireTimeCmd, 1, 1, 1},
    {"pexpiretime", 2, kRF, PExpireTimeCmd, 1, 1, 1},
    {"persist", 2, kWF, PersistCmd, 1, 1, 1},
};

}  // namespace

std::span<const CommandSpec> ExpireCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
