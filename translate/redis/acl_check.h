// File: translate/redis/acl_check.h
// Whether a user may run a command with these arguments (Redis 7.0 ACLCheckAllUserCommandPerm
// for a user without selectors): the command bit (or an allowed first argument; no-auth
// commands always pass), then every key against the key patterns with the access the key
// spec says the command needs, then every channel PUBLISH/SUBSCRIBE/PSUBSCRIBE names.
//
//   AclCheck c = CheckAcl(user, spec, args);
//   if (c.denied) Reply(NoPermError(*c.denied, FullName(...)));   // c.pos: the key/channel
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "translate/redis/acl_registry.h"
#include "translate/redis/command.h"

namespace kvgate::redis {

struct AclCheck {
  std::optional<AclDenied> denied;
  std::string_view command;  // the command's full ACL name ("client|list", "object|encoding")
  int pos = 0;               // the argument (key or channel) refused
};

AclCheck CheckAcl(const AclUser& user, const CommandSpec* spec,
                  std::span<const std::string_view> args);
// -NOPERM texts of processCommand for a denial (`full_name`: "client|list").
std::string NoPermError(AclDenied reason, std::string_view full_name);
// The script's text (Redis getAclErrorMessage): "can't run this command or subcommand", ...
std::string_view ScriptAclError(AclDenied reason);

}  // namespace kvgate::redis
