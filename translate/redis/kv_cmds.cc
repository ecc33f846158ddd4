// Revision-aware extensions under the KV. prefix (DESIGN.md "The two fronts"). Filled in below.
#include "translate/redis/command.h"

namespace kvgate::redis {

std::span<const CommandSpec> KvCommands() {
  return {};
}

}  // namespace kvgate::redis
