// CLIENT subcommands: ID INFO LIST SETNAME GETNAME KILL SETINFO NO-EVICT HELP
// (specs/resp-subset.md §2.3); TRACKING CACHING GETREDIR TRACKINGINFO are in
// client_tracking_cmds.cc.
#include <algorithm>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "protocols/resp/number.h"
#include "translate/redis/client_info.h"
#include "translate/redis/client_name.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/session.h"
#include "translate/redis/tracking.h"

namespace kvgate::redis {
void AppendClientInfo(RedisSession& s, int64_t now_ms, std::string* out) {
  translate::Transport& t = s.transport();
  std::string flags;
  const TrackingState& tracking = s.tracking();
  if (s.in_pubsub()) flags += 'P';
  if (s.in_multi()) flags += 'x';
  if (s.blocked()) flags += 'b';
  if (tracking.on) flags += 't';
  if (tracking.broken_redirect) flags += 'R';
  if (tracking.options & kTrackBcast) flags += 'B';
  if (s.closing()) flags += 'c';
  if (flags.empty()) flags = "N";
  const uint64_t omem = t.PendingOutputBytes();
  const int64_t age = (now_ms - s.created_ms()) / 1000;
  const int64_t idle = (now_ms - s.last_interaction_ms()) / 1000;
  out->append("id=").append(std::to_string(s.id()));
  out->append(" addr=").append(t.PeerAddress());
  out->append(" laddr=").append(t.LocalAddress());
  out->append(" fd=").append(std::to_string(t.Fd()));
  out->append(" name=").append(s.name());
  out->append(" age=").append(std::to_string(age < 0 ? 0 : age));
  out->append(" idle=").append(std::to_string(idle < 0 ? 0 : idle));
  out->append(" flags=").append(flags);
  out->append(" db=").append(std::to_string(s.db()));
  out->append(" sub=").append(std::to_string(s.channels().size()));
  out->append(" psub=").append(std::to_string(s.patterns().size()));
  out->append(" ssub=").append(std::to_string(s.shard_channels().size()));
  out->append(" multi=").append(s.in_multi() ? std::to_string(s.queued_count()) : "-1");
  out->append(" qbuf=").append(std::to_string(s.query_buffer_bytes()));
  out->append(" qbuf-free=0 argv-mem=0 multi-mem=0 rbs=16384 rbp=0");
  out->append(" obl=0 oll=0 omem=").append(std::to_string(omem));
  out->append(" tot-mem=").append(std::to_string(omem + s.query_buffer_bytes() + 16384));
  out->append(omem > 0 ? " events=rw" : " events=r");
  out->append(" cmd=").append(s.LastCommandName());
  out->append(" user=").append(s.user().name());
  out->append(" redir=")
      .append(tracking.on ? std::to_string(tracking.redirect) : "-1")
      .append(" resp=")
      .append(std::to_string(s.resp()));
  out->push_back('\n');
}

namespace {

enum class ClientType { kAny, kNormal, kPubSub, kReplica, kMaster };

bool ParseClientType(std::string_view name, ClientType* type) {
  name = CString(name);
  if (EqualsIgnoreCase(name, "normal"))
    *type = ClientType::kNormal;
  else if (EqualsIgnoreCase(name, "pubsub"))
    *type = ClientType::kPubSub;
  else if (EqualsIgnoreCase(name, "replica") || EqualsIgnoreCase(name, "slave"))
    *type = ClientType::kReplica;
  else if (EqualsIgnoreCase(name, "master"))
    *type = ClientType::kMaster;
  else
    return false;
  return true;
}

bool OfType(RedisSession& s, ClientType type) {
  switch (type) {
    case ClientType::kAny:
      return true;
    case ClientType::kNormal:
      return !s.in_pubsub();
    case ClientType::kPubSub:
      return s.in_pubsub();
    case ClientType::kReplica:
    case ClientType::kMaster:
      return false;
  }
  return false;
}

void IdCmd(CommandContext& ctx) {
  ctx.w.Integer(static_cast<int64_t>(ctx.session.id()));
}

void InfoCmd(CommandContext& ctx) {
  std::string line;
  AppendClientInfo(ctx.session, ctx.now_ms, &line);
  ctx.w.Verbatim("txt", line);
}

void ListCmd(CommandContext& ctx) {
  ClientType type = ClientType::kAny;
  std::vector<uint64_t> ids;
  if (ctx.argc() == 4 && EqualsIgnoreCase(CString(ctx.arg(2)), "type")) {
    if (!ParseClientType(ctx.arg(3), &type)) {
      return ctx.w.Error("ERR Unknown client type '" + std::string(CString(ctx.arg(3))) + "'");
    }
  } else if (ctx.argc() > 3 && EqualsIgnoreCase(CString(ctx.arg(2)), "id")) {
    for (size_t j = 3; j < ctx.argc(); ++j) {
      int64_t id = 0;
      if (!resp::ParseInt64(ctx.arg(j), &id) || id < 1) return ctx.w.Error("ERR Invalid client ID");
      ids.push_back(static_cast<uint64_t>(id));
    }
  } else if (ctx.argc() != 2) {
    return ctx.w.Error(kSyntaxError);
  }
  std::string text;
  for (const auto& [id, s] : ctx.front.clients()) {
    if (!ids.empty() && std::find(ids.begin(), ids.end(), id) == ids.end()) continue;
    if (!OfType(*s, type)) continue;
    AppendClientInfo(*s, ctx.now_ms, &text);
  }
  ctx.w.Verbatim("txt", text);
}

void SetNameCmd(CommandContext& ctx) {
  if (!IsValidClientName(ctx.arg(2))) return ctx.w.Error(kInvalidClientName);
  ctx.session.set_name(ctx.arg(2));
  ctx.w.Ok();
}

void GetNameCmd(CommandContext& ctx) {
  if (ctx.session.name().empty()) return ctx.w.Null();
  ctx.w.Bulk(ctx.session.name());
}

void SetInfoCmd(CommandContext& ctx) {
  // Redis 7.2 semantics (7.0 answers "unknown subcommand"; clients ignore either answer).
  std::string_view attr = CString(ctx.arg(2));
  if (!EqualsIgnoreCase(attr, "lib-name") && !EqualsIgnoreCase(attr, "lib-ver")) {
    return ctx.w.Error("ERR Unrecognized option '" + std::string(attr) + "'");
  }
  for (char c : ctx.arg(3)) {
    if (c < '!' || c > '~') {
      return ctx.w.Error("ERR " + std::string(attr) +
                         " cannot contain spaces, newlines or special characters.");
    }
  }
  ctx.w.Ok();
}

void NoEvictCmd(CommandContext& ctx) {
  std::string_view v = CString(ctx.arg(2));
  if (!EqualsIgnoreCase(v, "on") && !EqualsIgnoreCase(v, "off")) return ctx.w.Error(kSyntaxError);
  ctx.w.Ok();
}

void KillCmd(CommandContext& ctx) {
  std::string_view addr, laddr;
  bool has_addr = false, has_laddr = false;
  uint64_t id = 0;
  ClientType type = ClientType::kAny;
  const AclUser* user = nullptr;
  bool skipme = true;
  const bool old_style = ctx.argc() == 3;
  if (old_style) {
    addr = ctx.arg(2);
    has_addr = true;
    skipme = false;  // the old form may kill the caller
  } else {
    for (size_t i = 2; i < ctx.argc(); i += 2) {
      bool more = ctx.argc() > i + 1;
      std::string_view opt = CString(ctx.arg(i));
      if (EqualsIgnoreCase(opt, "id") && more) {
        int64_t v = 0;
        if (!resp::ParseInt64(ctx.arg(i + 1), &v)) return ctx.w.Error(kNotInteger);
        if (v < 1) return ctx.w.Error("ERR client-id should be greater than 0");
        id = static_cast<uint64_t>(v);
      } else if (EqualsIgnoreCase(opt, "type") && more) {
        if (!ParseClientType(ctx.arg(i + 1), &type)) {
          return ctx.w.Error("ERR Unknown client type '" + std::string(CString(ctx.arg(i + 1))) +
                             "'");
        }
      } else if (EqualsIgnoreCase(opt, "addr") && more) {
        addr = ctx.arg(i + 1);
        has_addr = true;
      } else if (EqualsIgnoreCase(opt, "laddr") && more) {
        laddr = ctx.arg(i + 1);
        has_laddr = true;
      } else if (EqualsIgnoreCase(opt, "user") && more) {
        user = ctx.front.acl().Find(ctx.arg(i + 1)).get();
        if (user == nullptr) {
          return ctx.w.Error("ERR No such user '" + std::string(CString(ctx.arg(i + 1))) + "'");
        }
      } else if (EqualsIgnoreCase(opt, "skipme") && more) {
        std::string_view v = CString(ctx.arg(i + 1));
        if (EqualsIgnoreCase(v, "yes"))
          skipme = true;
        else if (EqualsIgnoreCase(v, "no"))
          skipme = false;
        else
          return ctx.w.Error(kSyntaxError);
      } else {
        return ctx.w.Error(kSyntaxError);
      }
    }
  }
  int64_t killed = 0;
  bool kill_self = false;
  for (const auto& [cid, s] : ctx.front.clients()) {
    if (has_addr && s->transport().PeerAddress() != addr) continue;
    if (has_laddr && s->transport().LocalAddress() != laddr) continue;
    if (id != 0 && cid != id) continue;
    if (!OfType(*s, type)) continue;
    if (user != nullptr && &s->user() != user) continue;
    if (s == &ctx.session) {
      if (skipme) continue;
      kill_self = true;
    } else {
      ctx.front.RequestClose(s);
    }
    ++killed;
  }
  if (old_style) {
    if (killed == 0) return ctx.w.Error("ERR No such client");
    ctx.w.Ok();
  } else {
    ctx.w.Integer(killed);
  }
  if (kill_self) ctx.session.CloseAfterReply();
}

// CLIENT UNBLOCK id [TIMEOUT|ERROR]: wakes a client blocked in WAIT (or another blocking
// command) as if it had timed out, or with -UNBLOCKED.
void UnblockCmd(CommandContext& ctx) {
  if (ctx.argc() > 4) return ctx.w.Error(kSyntaxError);
  int64_t id = 0;
  if (!resp::ParseInt64(ctx.arg(2), &id)) return ctx.w.Error(kNotInteger);
  WakeReason reason = WakeReason::kUnblockTimeout;
  if (ctx.argc() == 4) {
    if (EqualsIgnoreCase(CString(ctx.arg(3)), "error")) {
      reason = WakeReason::kUnblockError;
    } else if (!EqualsIgnoreCase(CString(ctx.arg(3)), "timeout")) {
      return ctx.w.Error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
    }
  }
  auto it = ctx.front.clients().find(static_cast<uint64_t>(id));
  const bool woken = it != ctx.front.clients().end() && it->second->Unblock(reason);
  ctx.w.Integer(woken ? 1 : 0);
}

// CLIENT PAUSE timeout [WRITE|ALL] (client_pause.h). The mode is checked before the timeout,
// as in Redis; a timeout past the end of time pauses until CLIENT UNPAUSE.
void PauseCmd(CommandContext& ctx) {
  if (ctx.argc() > 4) return ReplySubcommandSyntax(ctx.w, ctx.arg(1), "CLIENT");
  PauseMode mode = PauseMode::kAll;
  if (ctx.argc() == 4) {
    if (EqualsIgnoreCase(CString(ctx.arg(3)), "write")) {
      mode = PauseMode::kWrite;
    } else if (!EqualsIgnoreCase(CString(ctx.arg(3)), "all")) {
      return ctx.w.Error("ERR CLIENT PAUSE mode must be WRITE or ALL");
    }
  }
  int64_t timeout = 0;
  if (!resp::ParseInt64(ctx.arg(2), &timeout)) {
    return ctx.w.Error("ERR timeout is not an integer or out of range");
  }
  if (timeout < 0) return ctx.w.Error("ERR timeout is negative");
  const int64_t end = timeout <= std::numeric_limits<int64_t>::max() - ctx.now_ms - 1
                          ? ctx.now_ms + timeout
                          : std::numeric_limits<int64_t>::max() - 1;
  ctx.front.StartPause(mode, end);
  ctx.w.Ok();
}

void UnpauseCmd(CommandContext& ctx) {
  ctx.front.EndPause();
  ctx.w.Ok();
}

void HelpCmd(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CACHING (YES|NO)",
      "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
      "GETREDIR",
      "    Return the client ID we are redirecting to when tracking is enabled.",
      "GETNAME",
      "    Return the name of the current connection.",
      "ID",
      "    Return the ID of the current connection.",
      "INFO",
      "    Return information about the current client connection.",
      "KILL <ip:port>",
      "    Kill connection made from <ip:port>.",
      "KILL <option> <value> [<option> <value> [...]]",
      "    Kill connections. Options are: ID, TYPE, USER, ADDR, LADDR, SKIPME.",
      "LIST [options ...]",
      "    Return information about client connections. Options: TYPE, ID.",
      "UNPAUSE",
      "    Stop the current client pause, resuming traffic.",
      "PAUSE <timeout> [WRITE|ALL]",
      "    Suspend all, or just write, clients for <timeout> milliseconds.",
      "SETNAME <name>",
      "    Assign the name <name> to the current connection.",
      "SETINFO <option> <value>",
      "    Set client meta attr. Options are: LIB-NAME, LIB-VER.",
      "UNBLOCK <clientid> [TIMEOUT|ERROR]",
      "    Unblock the specified blocked client.",
      "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
      "         [OPTIN] [OPTOUT] [NOLOOP]",
      "    Control server assisted client side caching.",
      "TRACKINGINFO",
      "    Report tracking status for the current connection.",
      "NO-EVICT (ON|OFF)",
      "    Protect the current client connection from eviction in the case of OOM.",
      "HELP",
      "    Print this help.",
  };
  ctx.w.ArrayHeader(std::size(kLines));
  for (std::string_view l : kLines) ctx.w.SimpleString(l);
}

constexpr uint32_t kClientFlags = kNoScript | kLoading | kStale;

constexpr CommandSpec kSubcommands[] = {
    {"id", 2, kClientFlags, IdCmd},
    {"info", 2, kClientFlags, InfoCmd},
    {"list", -2, kClientFlags | kAdmin, ListCmd},
    {"setname", 3, kClientFlags, SetNameCmd},
    {"getname", 2, kClientFlags, GetNameCmd},
    {"kill", -3, kClientFlags | kAdmin, KillCmd},
    {"setinfo", 4, kClientFlags, SetInfoCmd},
    {"no-evict", 3, kClientFlags | kAdmin, NoEvictCmd},
    {"getredir", 2, kClientFlags, ClientGetRedirCmd},
    {"tracking", -3, kClientFlags, ClientTrackingCmd},
    {"unblock", -3, kClientFlags | kAdmin, UnblockCmd},
    {"pause", -3, kClientFlags | kAdmin, PauseCmd},
    {"unpause", 2, kClientFlags | kAdmin, UnpauseCmd},
    {"caching", 3, kClientFlags, ClientCachingCmd},
    {"trackinginfo", 2, kClientFlags, ClientTrackingInfoCmd},
    {"help", 2, kLoading | kStale, HelpCmd},
};

constexpr CommandSpec kCommands[] = {
    Container("client", -2, kClientFlags, kSubcommands),
};

}  // namespace

std::span<const CommandSpec> ClientCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
