#include "translate/redis/command_table.h"

#include <cassert>

namespace kvgate::redis {
namespace {

// FNV-1a over the lower-cased bytes: the lookup never builds a lower-case copy.
uint64_t HashLower(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(protocols::AsciiLower(c));
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace

const CommandTable& CommandTable::Get() {
  static const CommandTable table;
  return table;
}

CommandTable::CommandTable() {
  for (auto family : {ConnectionCommands(), ClientCommands(), ServerCommands(), InfoCommands(),
                      ConfigCommands(), StringCommands(), CounterCommands(), KeyCommands(),
                      ExpireCommands(), MultiCommands(), PubSubCommands(), KvCommands(),
                      KvWatchCommands(), CondCommands(), EtagCommands(), WaitCommands()}) {
    for (const CommandSpec& spec : family) {
      all_.push_back(&spec);
      size_t i = HashLower(spec.name) & (kSlots - 1);
      while (slots_[i] != nullptr) {
        assert(!EqualsIgnoreCase(slots_[i]->name, spec.name) && "duplicate command");
        i = (i + 1) & (kSlots - 1);
      }
      slots_[i] = &spec;
    }
  }
  assert(all_.size() < kSlots / 2);
}

const CommandSpec* CommandTable::Find(std::string_view name) const {
  if (name.empty() || name.size() > 64) return nullptr;
  size_t i = HashLower(name) & (kSlots - 1);
  while (const CommandSpec* spec = slots_[i]) {
    if (EqualsIgnoreCase(spec->name, name)) return spec;
    i = (i + 1) & (kSlots - 1);
  }
  return nullptr;
}

const CommandSpec* CommandTable::FindSub(const CommandSpec& container, std::string_view name) {
  for (const CommandSpec& sub : container.subcommands) {
    if (EqualsIgnoreCase(sub.name, name)) return &sub;
  }
  return nullptr;
}

}  // namespace kvgate::redis
