// File: translate/redis/command_docs.h
// COMMAND DOCS summaries, kept in a table of their own so each command table stays one line per
// command. Keyed by the full name ("get"; "client|kill" for a subcommand); a command without an
// entry is documented with a generic summary.
//
//   std::string_view s = CommandSummary("client|kill");    // empty if it has no entry
//   for (const CommandDoc& doc : AllCommandDocs()) { ... }  // tests: each names a command
#pragma once

#include <span>
#include <string_view>

namespace kvgate::redis {

struct CommandDoc {
  std::string_view full_name;  // lower case, "container|sub" for subcommands
  std::string_view summary;
};

// The summary for `full_name` (lower case), or an empty view.
std::string_view CommandSummary(std::string_view full_name);
std::span<const CommandDoc> AllCommandDocs();

}  // namespace kvgate::redis
