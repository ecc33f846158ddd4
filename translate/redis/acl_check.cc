// File: translate/redis/acl_check.cc
// CheckAcl (acl_check.h).
#include "translate/redis/acl_check.h"

#include <vector>

#include "translate/redis/command_keys.h"

namespace kvgate::redis {
namespace {

// Redis commands_with_channels: the channels ACL checks (unsubscribing is always allowed).
struct ChannelArgs {
  int first = 0;
  int count = 0;  // -1: every argument from `first`
  bool pattern = false;
};

std::optional<ChannelArgs> ChannelsOf(std::string_view name) {
  if (name == "subscribe" || name == "ssubscribe") return ChannelArgs{1, -1, false};
  if (name == "psubscribe") return ChannelArgs{1, -1, true};
  if (name == "publish" || name == "spublish") return ChannelArgs{1, 1, false};
  return std::nullopt;
}

}  // namespace

AclCheck CheckAcl(const AclUser& user, const CommandSpec* spec,
                  std::span<const std::string_view> args) {
  AclCheck result;
  const acl::IndexedCommand& cmd = acl::CommandIndex::Get().Resolve(spec, args);
  result.command = cmd.name;
  const bool no_auth = cmd.info != nullptr ? cmd.info->no_auth : (spec->flags & kNoAuth) != 0;
  if (!no_auth && !user.CommandAllowed(cmd.id)) {
    const size_t idx = cmd.parent >= 0 ? 2 : 1;
    if (args.size() < 2 || idx >= args.size() || !user.FirstArgAllowed(cmd.id, args[idx])) {
      result.denied = AclDenied::kCommand;
      return result;
    }
  }
  if (!user.all_keys() && CommandHasKeys(cmd, spec)) {
    std::vector<KeyRef> keys;
    (void)CommandKeys(cmd, spec, args, &keys);
    for (const KeyRef& k : keys) {
      if (!user.KeyAllowed(args[k.pos], k.flags)) {
        result.denied = AclDenied::kKey;
        result.pos = k.pos;
        return result;
      }
    }
  }
  if (!user.all_channels()) {
    if (std::optional<ChannelArgs> ch = ChannelsOf(cmd.name)) {
      const int argc = static_cast<int>(args.size());
      const int end = ch->count < 0 ? argc : std::min(argc, ch->first + ch->count);
      for (int i = ch->first; i < end; ++i) {
        if (!user.ChannelAllowed(args[i], ch->pattern)) {
          result.denied = AclDenied::kChannel;
          result.pos = i;
          return result;
        }
      }
    }
  }
  return result;
}

std::string NoPermError(AclDenied reason, std::string_view full_name) {
  switch (reason) {
    case AclDenied::kCommand:
      return "NOPERM this user has no permissions to run the '" + std::string(full_name) +
             "' command";
    case AclDenied::kKey:
      return "NOPERM this user has no permissions to access one of the keys used as arguments";
    case AclDenied::kChannel:
      return "NOPERM this user has no permissions to access one of the channels used as "
             "arguments";
    case AclDenied::kAuth:
      break;
  }
  return "ERR no permission";
}

std::string_view ScriptAclError(AclDenied reason) {
  switch (reason) {
    case AclDenied::kCommand:
      return "can't run this command or subcommand";
    case AclDenied::kKey:
      return "can't access at least one of the keys mentioned in the command arguments";
    case AclDenied::kChannel:
      return "can't publish to the channel mentioned in the command";
    case AclDenied::kAuth:
      break;
  }
  return "lacking the permissions for the command";
}

}  // namespace kvgate::redis
