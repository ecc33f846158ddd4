// File: translate/redis/command_table.h
// Case-insensitive, allocation-free lookup of commands and subcommands in the family tables.
//
//   const CommandTable& table = CommandTable::Get();
//   const CommandSpec* set = table.Find("SeT");          // nullptr if unknown
//   const CommandSpec* sub = CommandTable::FindSub(*table.Find("client"), "GETNAME");
#pragma once

#include <array>
#include <span>
#include <string_view>
#include <vector>

#include "protocols/ascii.h"
#include "translate/redis/command.h"

namespace kvgate::redis {

class CommandTable {
 public:
  // The process-wide table of every family (built once, read-only afterwards).
  static const CommandTable& Get();

  const CommandSpec* Find(std::string_view name) const;
  static const CommandSpec* FindSub(const CommandSpec& container, std::string_view name);
  // Every top-level command, in family order.
  std::span<const CommandSpec* const> All() const {
    return all_;
  }

 private:
  CommandTable();
  static constexpr size_t kSlots = 1024;  // power of two, well above the command count
  std::vector<const CommandSpec*> all_;
  std::array<const CommandSpec*, kSlots> slots_{};
};

// ASCII case-insensitive equality (command names and option keywords): the codecs' definition.
using protocols::EqualsIgnoreCase;

}  // namespace kvgate::redis
