// File: translate/redis/command_keys.h
// Which arguments of a command are keys, and how it uses each (read, write), as Redis 7.0's
// getKeysFromCommandWithSpecs finds them: the key specs of acl_command_table.cc (index or
// keyword start; range or key count, which covers EVAL/FCALL numkeys, ZUNIONSTORE, LMPOP,
// XREAD STREAMS ...), and Redis's own procedures where a spec cannot say it (SET with GET,
// BITFIELD, SORT ... STORE). ACL key checks and COMMAND GETKEYS both use it.
//
//   std::vector<KeyRef> keys;
//   if (CommandKeys(info, args, &keys) == KeysResult::kOk) for (KeyRef k : keys) args[k.pos];
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "translate/redis/acl_commands.h"

namespace kvgate::redis {

struct KeyRef {
  int pos = 0;        // index into args (args[0] is the command name)
  uint8_t flags = 0;  // acl::KeyFlag bits
};

enum class KeysResult {
  kOk,
  kNoKeys,   // the command takes no keys at all
  kInvalid,  // the arguments do not match the key specs (too short, bad numkeys)
};

// Whether the command can have keys (Redis doesCommandHaveKeys).
bool CommandHasKeys(const acl::IndexedCommand& cmd, const CommandSpec* spec);
// The keys of `args` (args[0] the command, args[1] the subcommand for a subcommand's entry).
// `spec` is used for kvgate's own commands, which have no Redis key specs.
KeysResult CommandKeys(const acl::IndexedCommand& cmd, const CommandSpec* spec,
                       std::span<const std::string_view> args, std::vector<KeyRef>* keys);

}  // namespace kvgate::redis
