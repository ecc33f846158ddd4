// Connection commands: PING ECHO SELECT QUIT RESET HELLO AUTH (specs/resp-subset.md §2).
// AUTH and HELLO AUTH check credentials against the ACL users (acl_registry.h).
#include <memory>
#include <string>

#include "protocols/resp/number.h"
#include "translate/redis/arg_parser.h"
#include "translate/redis/client_name.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/session.h"

namespace kvgate::redis {
namespace {

void PingCmd(CommandContext& ctx) {
  if (ctx.argc() > 2) return ReplyArity(ctx.w, "ping");
  if (ctx.session.resp() == 2 && ctx.session.in_pubsub()) {
    // RESP2 subscribed mode can only carry arrays: ["pong", msg].
    ctx.w.ArrayHeader(2);
    ctx.w.Bulk("pong");
    ctx.w.Bulk(ctx.argc() == 2 ? ctx.arg(1) : std::string_view());
    return;
  }
  if (ctx.argc() == 1) return ctx.w.SimpleString("PONG");
  ctx.w.Bulk(ctx.arg(1));
}

void EchoCmd(CommandContext& ctx) {
  ctx.w.Bulk(ctx.arg(1));
}

void SelectCmd(CommandContext& ctx) {
  int db = 0;
  if (!ParseInt(ctx.arg(1), &db)) return ctx.w.Error(kNotInteger);
  if (db < 0 || db >= ctx.front.config().databases) return ctx.w.Error(kDbOutOfRange);
  ctx.session.set_db(db);
  ctx.w.Ok();
}

void QuitCmd(CommandContext& ctx) {
  ctx.w.Ok();
  ctx.session.CloseAfterReply();
}

void ResetCmd(CommandContext& ctx) {
  ctx.session.Reset();
  ctx.w.SimpleString("RESET");
}

// Redis ACLAuthenticateUser: on success the connection runs as the user from now on; a
// failure is logged in ACL LOG (the password never is).
bool Authenticate(CommandContext& ctx, std::string_view user, std::string_view password) {
  if (std::shared_ptr<AclUser> u = ctx.front.acl().Authenticate(user, password)) {
    ctx.session.Authenticate(std::move(u));
    return true;
  }
  ctx.session.LogDenied(AclDenied::kAuth,
                        ctx.session.in_multi() ? AclContext::kMulti : AclContext::kToplevel,
                        std::string(ctx.arg(0)), user);
  return false;
}

void HelloCmd(CommandContext& ctx) {
  int64_t version = 0;
  size_t next = 1;
  if (ctx.argc() >= 2) {
    if (!resp::ParseInt64(ctx.arg(1), &version)) {
      return ctx.w.Error("ERR Protocol version is not an integer or out of range");
    }
    ++next;
    if (version < 2 || version > 3) return ctx.w.Error("NOPROTO unsupported protocol version");
  }
  // Options take effect in order, as redis-server applies them (a later bad one leaves an
  // earlier SETNAME or AUTH done).
  for (size_t j = next; j < ctx.argc(); ++j) {
    size_t more = ctx.argc() - 1 - j;
    std::string_view opt = CString(ctx.arg(j));
    if (EqualsIgnoreCase(opt, "AUTH") && more >= 2) {
      if (!Authenticate(ctx, ctx.arg(j + 1), ctx.arg(j + 2))) return ctx.w.Error(kWrongPass);
      j += 2;
    } else if (EqualsIgnoreCase(opt, "SETNAME") && more >= 1) {
      if (!IsValidClientName(ctx.arg(j + 1))) return ctx.w.Error(kInvalidClientName);
      ctx.session.set_name(ctx.arg(j + 1));
      ++j;
    } else {
      return ctx.w.Error("ERR Syntax error in HELLO option '" + std::string(opt) + "'");
    }
  }
  if (!ctx.session.authenticated()) {
    return ctx.w.Error(
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the "
        "HELLO AUTH <user> <pass> option can be used to authenticate the client and select the "
        "RESP protocol version at the same time");
  }
  if (version != 0) ctx.session.set_resp(static_cast<int>(version));
  resp::ReplyWriter& w = ctx.w;
  w.MapHeader(7);
  w.Bulk("server");
  w.Bulk("redis");
  w.Bulk("version");
  w.Bulk(ctx.front.config().version);
  w.Bulk("proto");
  w.Integer(ctx.session.resp());
  w.Bulk("id");
  w.Integer(static_cast<int64_t>(ctx.session.id()));
  w.Bulk("mode");
  w.Bulk("standalone");
  w.Bulk("role");
  w.Bulk("master");
  w.Bulk("modules");
  w.ArrayHeader(0);
}

void AuthCmd(CommandContext& ctx) {
  if (ctx.argc() > 3) return ctx.w.Error(kSyntaxError);
  std::string_view user = "default";
  std::string_view password;
  if (ctx.argc() == 2) {
    if (ctx.front.acl().default_user()->nopass()) {
      return ctx.w.Error(
          "ERR AUTH <password> called without any password configured for the default user. "
          "Are you sure your configuration is correct?");
    }
    password = ctx.arg(1);
  } else {
    user = ctx.arg(1);
    password = ctx.arg(2);
  }
  if (!Authenticate(ctx, user, password)) return ctx.w.Error(kWrongPass);
  ctx.w.Ok();
}

constexpr uint32_t kConn = kFast | kNoScript | kLoading | kStale;

constexpr CommandSpec kCommands[] = {
    {"ping", -1, kFast | kSubscribedOk, PingCmd},
    {"echo", 2, kFast, EchoCmd},
    {"select", 2, (kConn & ~kNoScript), SelectCmd},
    {"quit", -1, kConn | kSubscribedOk | kNotQueued | kNoAuth | kAllowBusy, QuitCmd},
    {"reset", 1, kConn | kSubscribedOk | kNotQueued | kNoAuth | kAllowBusy, ResetCmd},
    {"hello", -1, kConn | kNoAuth | kAllowBusy, HelloCmd},
    {"auth", -2, kConn | kNoAuth | kAllowBusy, AuthCmd},
};

}  // namespace

std::span<const CommandSpec> ConnectionCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
