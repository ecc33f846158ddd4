// String commands: GET SET SETNX SETEX PSETEX GETSET GETDEL GETEX MGET MSET MSETNX APPEND STRLEN
// GETRANGE SETRANGE (specs/resp-subset.md §4.1-4.2), and SET's Redis 8.4 conditions IFEQ IFNE
// IFDEQ IFDNE. Redis strings are engine values; expiry is the engine's per-key deadline
// (WriteOptions::expire_at_ms / keep_ttl).
#include <string>

#include "engine/store.h"
#include "protocols/resp/number.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/digest.h"
#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/notifications.h"
#include "translate/redis/session.h"
#include "translate/redis/string_access.h"

namespace kvgate::redis {
namespace {

using Bucket = engine::StoreBucket;
using engine::WriteOptions;

// Options of SET (and GETEX): Redis parseExtendedStringArgumentsOrReply.
struct StringOptions {
  bool nx = false, xx = false, get = false, keepttl = false, persist = false;
  enum class Expire { kNone, kEx, kPx, kExAt, kPxAt } expire = Expire::kNone;
  std::string_view expire_arg;
  // Redis 8.4 compare-and-set: exclusive with NX/XX and with each other.
  enum class Cond { kNone, kIfEq, kIfNe, kIfDeq, kIfDne } cond = Cond::kNone;
  std::string_view cond_arg;
};

StringOptions::Cond CondKeyword(std::string_view opt) {
  using Cond = StringOptions::Cond;
  opt = CString(opt);
  if (EqualsIgnoreCase(opt, "IFEQ")) return Cond::kIfEq;
  if (EqualsIgnoreCase(opt, "IFNE")) return Cond::kIfNe;
  if (EqualsIgnoreCase(opt, "IFDEQ")) return Cond::kIfDeq;
  if (EqualsIgnoreCase(opt, "IFDNE")) return Cond::kIfDne;
  return Cond::kNone;
}

bool IsKeyword2(std::string_view arg, char a, char b) {
  // Redis compares opt[0], opt[1] and opt[2] == '\0' of the C string.
  std::string_view s = CString(arg);
  return s.size() == 2 && (s[0] == a || s[0] == a + ('a' - 'A')) &&
         (s[1] == b || s[1] == b + ('a' - 'A'));
}

// Returns false after replying with the syntax error.
bool ParseStringOptions(CommandContext& ctx, size_t start, bool for_set, StringOptions* o) {
  using Expire = StringOptions::Expire;
  for (size_t j = start; j < ctx.argc(); ++j) {
    std::string_view opt = ctx.arg(j);
    const bool has_next = j + 1 < ctx.argc();
    const bool has_expire = o->expire != Expire::kNone;
    const bool has_cond = o->cond != StringOptions::Cond::kNone;
    StringOptions::Cond cond = for_set ? CondKeyword(opt) : StringOptions::Cond::kNone;
    if (for_set && IsKeyword2(opt, 'N', 'X') && !o->xx && !has_cond) {
      o->nx = true;
    } else if (for_set && IsKeyword2(opt, 'X', 'X') && !o->nx && !has_cond) {
      o->xx = true;
    } else if (cond != StringOptions::Cond::kNone && has_next && !o->nx && !o->xx && !has_cond) {
      o->cond = cond;
      o->cond_arg = ctx.arg(++j);
      const bool digest =
          cond == StringOptions::Cond::kIfDeq || cond == StringOptions::Cond::kIfDne;
      if (digest && !IsValidDigest(o->cond_arg)) {
        ctx.w.Error(kBadDigest);
        return false;
      }
    } else if (for_set && EqualsIgnoreCase(CString(opt), "GET")) {
      o->get = true;
    } else if (for_set && EqualsIgnoreCase(CString(opt), "KEEPTTL") && !has_expire) {
      o->keepttl = true;
    } else if (!for_set && EqualsIgnoreCase(CString(opt), "PERSIST") && !has_expire) {
      o->persist = true;
    } else {
      Expire kind = Expire::kNone;
      if (IsKeyword2(opt, 'E', 'X'))
        kind = Expire::kEx;
      else if (IsKeyword2(opt, 'P', 'X'))
        kind = Expire::kPx;
      else if (EqualsIgnoreCase(CString(opt), "EXAT"))
        kind = Expire::kExAt;
      else if (EqualsIgnoreCase(CString(opt), "PXAT"))
        kind = Expire::kPxAt;
      // The same expiry keyword twice is accepted ("EX 10 EX 10"), a different one is not.
      if (kind == Expire::kNone || o->keepttl || o->persist || !has_next ||
          (has_expire && o->expire != kind)) {
        ctx.w.Error(kSyntaxError);
        return false;
      }
      o->expire = kind;
      o->expire_arg = ctx.arg(++j);
    }
  }
  return true;
}

// Redis getExpireMillisecondsOrReply: the absolute deadline in ms, or false after replying.
bool ExpireDeadline(CommandContext& ctx, std::string_view arg, bool seconds, bool relative,
                    std::string_view command, int64_t* when) {
  int64_t v = 0;
  if (!resp::ParseInt64(arg, &v)) {
    ctx.w.Error(kNotInteger);
    return false;
  }
  if (v <= 0 || (seconds && v > INT64_MAX / 1000)) {
    ReplyInvalidExpire(ctx.w, command);
    return false;
  }
  if (seconds) v *= 1000;
  if (relative) {
    if (v > INT64_MAX - ctx.now_ms) {
      ReplyInvalidExpire(ctx.w, command);
      return false;
    }
    v += ctx.now_ms;
  }
  *when = v;
  return true;
}

bool OptionsDeadline(CommandContext& ctx, const StringOptions& o, std::string_view command,
                     int64_t* when) {
  using Expire = StringOptions::Expire;
  if (o.expire == Expire::kNone) return true;
  const bool seconds = o.expire == Expire::kEx || o.expire == Expire::kExAt;
  const bool relative = o.expire == Expire::kEx || o.expire == Expire::kPx;
  return ExpireDeadline(ctx, o.expire_arg, seconds, relative, command, when);
}

// GET's reply: the old value, or null when there was none.
void ReplyOld(resp::ReplyWriter& w, bool old_found, std::string_view old) {
  if (old_found) {
    w.Bulk(old);
  } else {
    w.Null();
  }
}

// The reply of a SET that wrote nothing (NX/XX/IF* not met, or the key came to life meanwhile).
void ReplyNotSet(resp::ReplyWriter& w, bool get, bool integer_replies, bool old_found,
                 std::string_view old) {
  if (get) return ReplyOld(w, old_found, old);
  return integer_replies ? w.Integer(0) : w.Null();
}

// The common SET path (Redis setGenericCommand); `key` is always ctx.arg(1).
// `integer_replies` selects SETNX's :1 / :0 instead of +OK / null.
void SetGeneric(CommandContext& ctx, const StringOptions& o, std::string_view key,
                std::string_view value, std::string_view command, bool integer_replies) {
  int64_t when = 0;
  if (!OptionsDeadline(ctx, o, command, &when)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  using Cond = StringOptions::Cond;
  bool found = false;
  std::string old;
  bool old_found = false;
  bool cond_ok = true;
  if (o.get || o.xx || o.cond != Cond::kNone) {
    auto cur = db->Get(key);
    // GET and IFEQ-style conditions read the old value: only a string has one to read.
    if ((o.get || o.cond != Cond::kNone) && cur.ok() && cur->type != engine::ValueType::kString) {
      return ReplyEngineError(ctx.w, engine::Errc::kWrongType);
    }
    found = cur.ok();
    if (o.get && found) {
      old.assign(cur->value);
      old_found = true;
    }
    switch (o.cond) {
      case Cond::kNone:
        break;
      case Cond::kIfEq:  // a missing key is never equal: not created
        cond_ok = found && cur->value == o.cond_arg;
        break;
      case Cond::kIfNe:  // a missing key differs from anything: created
        cond_ok = !found || cur->value != o.cond_arg;
        break;
      case Cond::kIfDeq:
        cond_ok = found && DigestMatches(cur->value, o.cond_arg);
        break;
      case Cond::kIfDne:
        cond_ok = !found || !DigestMatches(cur->value, o.cond_arg);
        break;
    }
  }
  if ((o.xx && !found) || (o.nx && found) || !cond_ok) {
    return ReplyNotSet(ctx.w, o.get, integer_replies, old_found, old);
  }
  // A deadline already in the past is stored as is, like Redis 7.0 does: the key reads as
  // absent at once and its lazy expiry fires "expired".
  WriteOptions wo;
  wo.keep_ttl = o.keepttl;
  wo.expire_at_ms = o.expire != StringOptions::Expire::kNone ? when : engine::kNoExpiry;
  const engine::WriteRequest request = o.nx ? engine::WriteRequest::Create(key, value, wo)
                                            : engine::WriteRequest::Put(key, value, wo);
  const bool get = o.get;
  const bool expire = o.expire != StringOptions::Expire::kNone;
  ctx.AwaitWrite(*db, request,
                 [old = std::move(old), old_found, get, expire, integer_replies](
                     CommandContext& c, engine::WriteResult r) {
                   if (!r.ok()) {
                     if (r.errc() == engine::Errc::kAlreadyExists) {
                       return ReplyNotSet(c.w, get, integer_replies, old_found, old);
                     }
                     return ReplyEngineError(c.w, r.errc());
                   }
                   // Redis writes GET's old value before it notifies (and +OK after); replying
                   // only once the write succeeded keeps a failed write from two replies.
                   if (get) ReplyOld(c.w, old_found, old);
                   c.Notify(kNotifyString, "set", c.arg(1));
                   if (expire) c.Notify(kNotifyGeneric, "expire", c.arg(1));
                   if (get) return;
                   if (integer_replies) return c.w.Integer(1);
                   c.w.Ok();
                 });
}

void GetCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  auto e = GetStringKey(*db, ctx.arg(1));
  if (e.errc() == engine::Errc::kWrongType) return ReplyEngineError(ctx.w, e.errc());
  if (!e.ok()) {
    ++ctx.front.stats().keyspace_misses;
    return ctx.w.Null();
  }
  ++ctx.front.stats().keyspace_hits;
  ctx.w.Bulk(e->value);
}

void SetCmd(CommandContext& ctx) {
  StringOptions o;
  if (ctx.argc() > 3 && !ParseStringOptions(ctx, 3, true, &o)) return;
  SetGeneric(ctx, o, ctx.arg(1), ctx.arg(2), "set", false);
}

void SetNxCmd(CommandContext& ctx) {
  StringOptions o;
  o.nx = true;
  SetGeneric(ctx, o, ctx.arg(1), ctx.arg(2), "setnx", true);
}

void SetExCmd(CommandContext& ctx) {
  StringOptions o;
  o.expire = StringOptions::Expire::kEx;
  o.expire_arg = ctx.arg(2);
  SetGeneric(ctx, o, ctx.arg(1), ctx.arg(3), "setex", false);
}

void PSetExCmd(CommandContext& ctx) {
  StringOptions o;
  o.expire = StringOptions::Expire::kPx;
  o.expire_arg = ctx.arg(2);
  SetGeneric(ctx, o, ctx.arg(1), ctx.arg(3), "psetex", false);
}

void GetSetCmd(CommandContext& ctx) {
  StringOptions o;
  o.get = true;
  SetGeneric(ctx, o, ctx.arg(1), ctx.arg(2), "getset", false);
}

void GetDelCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  auto e = GetStringKey(*db, ctx.arg(1));
  if (e.errc() == engine::Errc::kWrongType) return ReplyEngineError(ctx.w, e.errc());
  if (!e.ok()) return ctx.w.Null();
  // The view dies with the delete: the reply goes out with the delete's answer.
  ctx.AwaitWrite(*db, engine::WriteRequest::Delete(ctx.arg(1)),
                 [value = std::string(e->value)](CommandContext& c, engine::WriteResult r) {
                   c.w.Bulk(value);
                   if (r.ok()) c.Notify(kNotifyGeneric, "del", c.arg(1));
                 });
}

void GetExCmd(CommandContext& ctx) {
  using Expire = StringOptions::Expire;
  StringOptions o;
  if (!ParseStringOptions(ctx, 2, false, &o)) return;
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  std::string_view key = ctx.arg(1);
  auto e = GetStringKey(*db, key);
  if (e.errc() == engine::Errc::kWrongType) return ReplyEngineError(ctx.w, e.errc());
  // Redis looks the key up before validating the expiry: a missing key is null either way.
  if (!e.ok()) return ctx.w.Null();
  int64_t when = 0;
  if (!OptionsDeadline(ctx, o, "getex", &when)) return;
  const bool had_ttl = e->expires_at_ms != engine::kNoExpiry;
  std::string_view event;
  if ((o.expire == Expire::kExAt || o.expire == Expire::kPxAt) && when <= ctx.now_ms) {
    event = "del";
  } else if (o.expire != Expire::kNone) {
    event = "expire";
  } else if (o.persist && had_ttl) {
    event = "persist";
    when = engine::kNoExpiry;
  } else {
    return ctx.w.Bulk(e->value);
  }
  // The reply goes out with the change's answer (a delete would end the view's life).
  ctx.Await(
      [&](engine::WriteDone done) {
        if (event == "del") return db->Write(engine::WriteRequest::Delete(key), std::move(done));
        db->SetExpiry(key, when, std::move(done));
      },
      [value = std::string(e->value), event](CommandContext& c, engine::WriteResult r) {
        c.w.Bulk(value);
        if (r.ok()) c.Notify(kNotifyGeneric, event, c.arg(1));
      });
}

void MGetCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  ctx.w.ArrayHeader(ctx.argc() - 1);
  for (size_t i = 1; i < ctx.argc(); ++i) {
    auto e = GetStringKey(*db, ctx.arg(i));
    if (e.ok()) {
      ctx.w.Bulk(e->value);
    } else {
      ctx.w.Null();
    }
  }
}

void MSetGeneric(CommandContext& ctx, bool nx) {
  if (ctx.argc() % 2 == 0) return ReplyArity(ctx.w, nx ? "msetnx" : "mset");
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  if (nx) {
    for (size_t j = 1; j < ctx.argc(); j += 2) {
      if (db->Get(ctx.arg(j)).ok()) return ctx.w.Integer(0);
    }
  }
  // One put per pair, in order, each followed by its "set" event as in Redis.
  ctx.AwaitSequence(
      0, ctx.argc() / 2, nx,
      [](CommandContext& c, size_t i, bool, engine::WriteDone done) {
        c.WriteCurrent(engine::WriteRequest::Put(c.arg(1 + 2 * i), c.arg(2 + 2 * i)),
                       std::move(done));
      },
      [](CommandContext& c, size_t i, engine::WriteResult r, bool) {
        if (!r.ok()) {
          ReplyEngineError(c.w, r.errc());
          return false;
        }
        c.Notify(kNotifyString, "set", c.arg(1 + 2 * i));
        return true;
      },
      [](CommandContext& c, bool nx_reply) { return nx_reply ? c.w.Integer(1) : c.w.Ok(); });
}

void MSetCmd(CommandContext& ctx) {
  MSetGeneric(ctx, false);
}

void MSetNxCmd(CommandContext& ctx) {
  MSetGeneric(ctx, true);
}

void AppendCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  std::string_view key = ctx.arg(1);
  std::string_view tail = ctx.arg(2);
  auto e = GetStringKey(*db, key);
  if (e.errc() == engine::Errc::kWrongType) return ReplyEngineError(ctx.w, e.errc());
  auto reply = [](CommandContext& c, engine::WriteResult r, int64_t length) {
    if (!r.ok()) return ReplyEngineError(c.w, r.errc());
    c.Notify(kNotifyString, "append", c.arg(1));
    c.w.Integer(length);
  };
  if (!e.ok()) {
    const auto length = static_cast<int64_t>(tail.size());
    return ctx.AwaitWrite(*db, engine::WriteRequest::Put(key, tail),
                          [reply, length](CommandContext& c, engine::WriteResult r) {
                            reply(c, std::move(r), length);
                          });
  }
  if (!CheckStringLength(ctx, e->value.size(), tail.size())) return;
  std::string value;
  value.reserve(e->value.size() + tail.size());
  value.append(e->value).append(tail);
  WriteOptions wo;
  wo.keep_ttl = true;
  const auto length = static_cast<int64_t>(value.size());
  ctx.AwaitWrite(*db, engine::WriteRequest::Put(key, value, wo),
                 [reply, length](CommandContext& c, engine::WriteResult r) {
                   reply(c, std::move(r), length);
                 });
}

void StrLenCmd(CommandContext& ctx) {
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  auto e = GetStringKey(*db, ctx.arg(1));
  if (e.errc() == engine::Errc::kWrongType) return ReplyEngineError(ctx.w, e.errc());
  ctx.w.Integer(e.ok() ? static_cast<int64_t>(e->value.size()) : 0);
}

void GetRangeCmd(CommandContext& ctx) {
  int64_t start = 0, end = 0;
  if (!resp::ParseInt64(ctx.arg(2), &start) || !resp::ParseInt64(ctx.arg(3), &end)) {
    return ctx.w.Error(kNotInteger);
  }
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  auto e = GetStringKey(*db, ctx.arg(1));
  if (e.errc() == engine::Errc::kWrongType) return ReplyEngineError(ctx.w, e.errc());
  if (!e.ok()) return ctx.w.Bulk("");
  const std::string_view s = e->value;
  const int64_t len = static_cast<int64_t>(s.size());
  if (start < 0 && end < 0 && start > end) return ctx.w.Bulk("");
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len == 0) return ctx.w.Bulk("");
  ctx.w.Bulk(s.substr(static_cast<size_t>(start), static_cast<size_t>(end - start + 1)));
}

void SetRangeCmd(CommandContext& ctx) {
  int64_t offset = 0;
  if (!resp::ParseInt64(ctx.arg(2), &offset)) return ctx.w.Error(kNotInteger);
  if (offset < 0) return ctx.w.Error(kOffsetOutOfRange);
  Bucket* db = ctx.Db();
  if (db == nullptr) return;
  std::string_view key = ctx.arg(1);
  std::string_view patch = ctx.arg(3);
  auto e = GetStringKey(*db, key);
  if (e.errc() == engine::Errc::kWrongType) return ReplyEngineError(ctx.w, e.errc());
  std::string value;
  WriteOptions wo;
  if (!e.ok()) {
    if (patch.empty()) return ctx.w.Integer(0);
    if (!CheckStringLength(ctx, static_cast<uint64_t>(offset), patch.size())) return;
  } else {
    if (patch.empty()) return ctx.w.Integer(static_cast<int64_t>(e->value.size()));
    if (!CheckStringLength(ctx, static_cast<uint64_t>(offset), patch.size())) return;
    value.assign(e->value);
    wo.keep_ttl = true;
  }
  const size_t need = static_cast<size_t>(offset) + patch.size();
  if (value.size() < need) value.resize(need, '\0');
  value.replace(static_cast<size_t>(offset), patch.size(), patch);
  ctx.AwaitWrite(
      *db, engine::WriteRequest::Put(key, value, wo),
      [length = static_cast<int64_t>(value.size())](CommandContext& c, engine::WriteResult r) {
        if (!r.ok()) return ReplyEngineError(c.w, r.errc());
        c.Notify(kNotifyString, "setrange", c.arg(1));
        c.w.Integer(length);
      });
}

constexpr uint32_t kR = kReadOnly | kFast;
constexpr uint32_t kW = kWrite;
constexpr uint32_t kWF = kWrite | kFast;

constexpr CommandSpec kCommands[] = {
    {"get", 2, kR, GetCmd, 1, 1, 1},
    {"set", -3, kW, SetCmd, 1, 1, 1},
    {"setnx", 3, kWF, SetNxCmd, 1, 1, 1},
    {"setex", 4, kW, SetExCmd, 1, 1, 1},
    {"psetex", 4, kW, PSetExCmd, 1, 1, 1},
    {"getset", 3, kWF, GetSetCmd, 1, 1, 1},
    {"getdel", 2, kWF, GetDelCmd, 1, 1, 1},
    {"getex", -2, kWF, GetExCmd, 1, 1, 1},
    {"mget", -2, kR, MGetCmd, 1, -1, 1},
    {"mset", -3, kW, MSetCmd, 1, -1, 2},
    {"msetnx", -3, kW, MSetNxCmd, 1, -1, 2},
    {"append", 3, kWF, AppendCmd, 1, 1, 1},
    {"strlen", 2, kR, StrLenCmd, 1, 1, 1},
    {"getrange", 4, kReadOnly, GetRangeCmd, 1, 1, 1},
    {"substr", 4, kReadOnly, GetRangeCmd, 1, 1, 1},
    {"setrange", 4, kW, SetRangeCmd, 1, 1, 1},
};

}  // namespace

bool CheckStringLength(CommandContext& ctx, uint64_t size, uint64_t append) {
  const uint64_t limit = static_cast<uint64_t>(ctx.front.config().limits.proto_max_bulk_len);
  if (append > limit || size > limit - append) {
    ctx.w.Error(kStringTooLong);
    return false;
  }
  return true;
}

std::span<const CommandSpec> StringCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
