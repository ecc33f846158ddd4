// File: translate/redis/acl_cmds.cc
// The ACL command (Redis 7.0): SETUSER GETUSER DELUSER LIST USERS WHOAMI CAT GENPASS LOG
// DRYRUN LOAD SAVE HELP over the front's AclRegistry. Arities and texts are Redis's.
#include <openssl/rand.h>

#include <string>
#include <vector>

#include "protocols/resp/number.h"
#include "translate/redis/acl_check.h"
#include "translate/redis/acl_commands.h"
#include "translate/redis/acl_file.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/session.h"

namespace kvgate::redis {
namespace {

// Redis ACLKillPubsubClientsIfNeeded: a subscriber of the user whose channels or patterns the
// new rules no longer allow is disconnected.
void CloseRevokedSubscribers(CommandContext& ctx, const AclUser& user) {
  if (user.all_channels()) return;
  for (const auto& [id, s] : ctx.front.clients()) {
    if (&s->user() != &user || !s->in_pubsub()) continue;
    bool revoked = false;
    for (const std::string& p : s->patterns()) revoked = revoked || !user.ChannelAllowed(p, true);
    for (const std::string& c : s->channels()) revoked = revoked || !user.ChannelAllowed(c, false);
    for (const std::string& c : s->shard_channels()) {
      revoked = revoked || !user.ChannelAllowed(c, false);
    }
    if (!revoked) continue;
    if (s == &ctx.session) {
      s->CloseAfterReply();
    } else {
      ctx.front.RequestClose(s);
    }
  }
}

void SetUserCmd(CommandContext& ctx) {
  const std::string_view name = ctx.arg(2);
  if (AclHasSpaces(name))
    return ctx.w.Error("ERR Usernames can't contain spaces or null characters");
  std::string err = ctx.front.acl().SetUser(name, ctx.args.subspan(3));
  if (!err.empty()) return ctx.w.Error(err);
  ctx.w.Ok();
  CloseRevokedSubscribers(ctx, *ctx.front.acl().Find(name));
}

void DelUserCmd(CommandContext& ctx) {
  for (size_t i = 2; i < ctx.argc(); ++i) {
    if (ctx.arg(i) == "default") return ctx.w.Error("ERR The 'default' user cannot be removed");
  }
  int64_t deleted = 0;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    std::shared_ptr<AclUser> u = ctx.front.acl().Find(ctx.arg(i));
    if (u == nullptr || !ctx.front.acl().Delete(ctx.arg(i))) continue;
    ctx.front.CloseClientsOf(u.get());
    ++deleted;
  }
  ctx.w.Integer(deleted);
}

void GetUserCmd(CommandContext& ctx) {
  std::shared_ptr<AclUser> u = ctx.front.acl().Find(ctx.arg(2));
  if (u == nullptr) return ctx.w.Null();
  resp::ReplyWriter& w = ctx.w;
  w.MapHeader(6);
  w.Bulk("flags");
  const std::vector<std::string_view> flags = u->Flags();
  w.SetHeader(flags.size());
  for (std::string_view f : flags) w.Bulk(f);
  w.Bulk("passwords");
  w.ArrayHeader(u->passwords().size());
  for (const std::string& p : u->passwords()) w.Bulk(p);
  w.Bulk("commands");
  w.Bulk(u->DescribeCommands());
  w.Bulk("keys");
  w.Bulk(u->DescribeKeys());
  w.Bulk("channels");
  w.Bulk(u->DescribeChannels());
  w.Bulk("selectors");
  w.ArrayHeader(0);
}

void ListCmd(CommandContext& ctx) {
  const auto& users = ctx.front.acl().users();
  ctx.w.ArrayHeader(users.size());
  for (const auto& [name, user] : users) ctx.w.Bulk("user " + name + " " + user->Describe());
}

void UsersCmd(CommandContext& ctx) {
  const auto& users = ctx.front.acl().users();
  ctx.w.ArrayHeader(users.size());
  for (const auto& entry : users) ctx.w.Bulk(entry.first);
}

void WhoAmICmd(CommandContext& ctx) {
  ctx.w.Bulk(ctx.session.user().name());
}

void CatCmd(CommandContext& ctx) {
  if (ctx.argc() > 3) return ReplySubcommandSyntax(ctx.w, ctx.arg(1), ctx.arg(0));
  if (ctx.argc() == 2) {
    ctx.w.ArrayHeader(acl::kCategoryCount);
    for (int i = 0; i < acl::kCategoryCount; ++i) ctx.w.Bulk(acl::CategoryName(i));
    return;
  }
  const int category = acl::CategoryByName(ctx.arg(2));
  if (category < 0) {
    return ctx.w.Error("ERR Unknown category '" + std::string(CString(ctx.arg(2)).substr(0, 128)) +
                       "'");
  }
  std::vector<std::string_view> names;
  for (const acl::IndexedCommand& c : acl::CommandIndex::Get().all()) {
    if (c.redis && (c.categories & acl::Cat(static_cast<acl::Category>(category)))) {
      names.push_back(c.name);
    }
  }
  ctx.w.ArrayHeader(names.size());
  for (std::string_view n : names) ctx.w.Bulk(n);
}

void GenPassCmd(CommandContext& ctx) {
  if (ctx.argc() > 3) return ReplySubcommandSyntax(ctx.w, ctx.arg(1), ctx.arg(0));
  constexpr int64_t kMaxBits = 4096;
  int64_t bits = 256;
  if (ctx.argc() == 3 && !resp::ParseInt64(ctx.arg(2), &bits)) {
    return ctx.w.Error(kNotInteger);
  }
  if (bits <= 0 || bits > kMaxBits) {
    return ctx.w.Error(
        "ERR ACL GENPASS argument must be the number of bits for the output password, a positive "
        "number up to 4096");
  }
  const size_t chars = static_cast<size_t>((bits + 3) / 4);
  std::vector<unsigned char> random((chars + 1) / 2);
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    return ctx.w.Error("ERR could not read random bytes");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : random) {
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  hex.resize(chars);
  ctx.w.Bulk(hex);
}

std::string_view ReasonName(AclDenied r) {
  switch (r) {
    case AclDenied::kCommand:
      return "command";
    case AclDenied::kKey:
      return "key";
    case AclDenied::kChannel:
      return "channel";
    case AclDenied::kAuth:
      return "auth";
  }
  return "unknown";
}

std::string_view ContextName(AclContext c) {
  switch (c) {
    case AclContext::kToplevel:
      return "toplevel";
    case AclContext::kMulti:
      return "multi";
    case AclContext::kLua:
      return "lua";
  }
  return "unknown";
}

void LogCmd(CommandContext& ctx) {
  if (ctx.argc() > 3) return ReplySubcommandSyntax(ctx.w, ctx.arg(1), ctx.arg(0));
  AclRegistry& acl = ctx.front.acl();
  int64_t count = 10;
  if (ctx.argc() == 3) {
    if (EqualsIgnoreCase(CString(ctx.arg(2)), "reset")) {
      acl.ResetLog();
      return ctx.w.Ok();
    }
    if (!resp::ParseInt64(ctx.arg(2), &count)) return ctx.w.Error(kNotInteger);
    if (count < 0) count = 0;
  }
  const size_t n = std::min(static_cast<size_t>(count), acl.log().size());
  ctx.w.ArrayHeader(n);
  for (size_t i = 0; i < n; ++i) {
    const AclLogEntry& e = acl.log()[i];
    resp::ReplyWriter& w = ctx.w;
    w.MapHeader(7);
    w.Bulk("count");
    w.Integer(static_cast<int64_t>(e.count));
    w.Bulk("reason");
    w.Bulk(ReasonName(e.reason));
    w.Bulk("context");
    w.Bulk(ContextName(e.context));
    w.Bulk("object");
    w.Bulk(e.object);
    w.Bulk("username");
    w.Bulk(e.username);
    w.Bulk("age-seconds");
    w.Double(static_cast<double>(ctx.now_ms - e.created_ms) / 1000.0);
    w.Bulk("client-info");
    w.Bulk(e.client_info);
  }
}

void DryRunCmd(CommandContext& ctx) {
  std::shared_ptr<AclUser> u = ctx.front.acl().Find(ctx.arg(2));
  if (u == nullptr) return ctx.w.Error("ERR User '" + std::string(ctx.arg(2)) + "' not found");
  std::span<const std::string_view> cmd = ctx.args.subspan(3);
  const CommandSpec* spec = CommandTable::Get().Find(cmd[0]);
  std::string full = spec != nullptr ? std::string(spec->name) : std::string();
  if (spec != nullptr && !spec->subcommands.empty() && cmd.size() >= 2) {
    spec = CommandTable::FindSub(*spec, cmd[1]);
    if (spec != nullptr) {
      full.push_back('|');  // not `full += "|" + ...`: GCC 12 -O3 warns -Wrestrict on it
      full.append(spec->name);
    }
  }
  if (spec == nullptr) return ctx.w.Error("ERR Command '" + std::string(cmd[0]) + "' not found");
  const int argc = static_cast<int>(cmd.size());
  if ((spec->arity > 0 && argc != spec->arity) || argc < -spec->arity) {
    return ctx.w.Error("ERR wrong number of arguments for '" + full + "' command");
  }
  const AclCheck check = CheckAcl(*u, spec, cmd);
  if (!check.denied) return ctx.w.Ok();
  switch (*check.denied) {
    case AclDenied::kCommand:
      return ctx.w.Bulk("This user has no permissions to run the '" + std::string(check.command) +
                        "' command");
    case AclDenied::kKey:
      return ctx.w.Bulk("This user has no permissions to access the '" +
                        std::string(cmd[check.pos]) + "' key");
    default:
      return ctx.w.Bulk("This user has no permissions to access the '" +
                        std::string(cmd[check.pos]) + "' channel");
  }
}

constexpr std::string_view kNoAclFile =
    "ERR This Redis instance is not configured to use an ACL file. You may want to specify users "
    "via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis "
    "configuration file set) in order to store users in the Redis configuration.";

void LoadCmd(CommandContext& ctx) {
  const std::string& path = ctx.front.config().aclfile;
  if (path.empty()) return ctx.w.Error(kNoAclFile);
  std::string err = LoadAclFile(ctx.front, path);
  if (!err.empty()) return ctx.w.Error("ERR " + err);
  ctx.w.Ok();
}

void SaveCmd(CommandContext& ctx) {
  const std::string& path = ctx.front.config().aclfile;
  if (path.empty()) return ctx.w.Error(kNoAclFile);
  if (!SaveAclFile(ctx.front.acl(), path)) {
    return ctx.w.Error(
        "ERR There was an error trying to save the ACLs. Please check the server logs for more "
        "information");
  }
  ctx.w.Ok();
}

void HelpCmd(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CAT [<category>]",
      "    List all commands that belong to <category>, or all command categories",
      "    when no category is specified.",
      "DELUSER <username> [<username> ...]",
      "    Delete a list of users.",
      "DRYRUN <username> <command> [<arg> ...]",
      "    Returns whether the user can execute the given command without executing the command.",
      "GETUSER <username>",
      "    Get the user's details.",
      "GENPASS [<bits>]",
      "    Generate a secure 256-bit user password. The optional `bits` argument can",
      "    be used to specify a different size.",
      "LIST",
      "    Show users details in config file format.",
      "LOAD",
      "    Reload users from the ACL file.",
      "LOG [<count> | RESET]",
      "    Show the ACL log entries.",
      "SAVE",
      "    Save the current config to the ACL file.",
      "SETUSER <username> <attribute> [<attribute> ...]",
      "    Create or modify a user with the specified attributes.",
      "USERS",
      "    List all the registered usernames.",
      "WHOAMI",
      "    Return the current connection username.",
      "HELP",
      "    Prints this help.",
  };
  ctx.w.ArrayHeader(std::size(kLines));
  for (std::string_view l : kLines) ctx.w.SimpleString(l);
}

constexpr uint32_t kAcl = kAdmin | kNoScript | kLoading | kStale;
constexpr uint32_t kAclOpen = kNoScript | kLoading | kStale;

constexpr CommandSpec kSubcommands[] = {
    {"cat", -2, kAclOpen, CatCmd},      {"deluser", -3, kAcl, DelUserCmd},
    {"dryrun", -4, kAcl, DryRunCmd},    {"genpass", -2, kAclOpen, GenPassCmd},
    {"getuser", 3, kAcl, GetUserCmd},   {"help", 2, kLoading | kStale, HelpCmd},
    {"list", 2, kAcl, ListCmd},         {"load", 2, kAcl, LoadCmd},
    {"log", -2, kAcl, LogCmd},          {"save", 2, kAcl, SaveCmd},
    {"setuser", -3, kAcl, SetUserCmd},  {"users", 2, kAcl, UsersCmd},
    {"whoami", 2, kAclOpen, WhoAmICmd},
};

constexpr CommandSpec kCommands[] = {
    Container("acl", -2, 0, kSubcommands),
};

}  // namespace

std::span<const CommandSpec> AclCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
