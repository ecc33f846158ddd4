// The COMMAND DOCS summary table (translate/redis/command_docs.cc) against the command tables:
// every entry names a command or subcommand, once, so a typo or a dropped family shows here.
#include "translate/redis/command_docs.h"

#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "translate/redis/command_table.h"

namespace kvgate::redis {
namespace {

TEST_CASE("every COMMAND DOCS summary names a command, once", "[redis]") {
  std::set<std::string> names;
  for (const CommandSpec* spec : CommandTable::Get().All()) {
    names.emplace(spec->name);
    for (const CommandSpec& sub : spec->subcommands) {
      names.insert(std::string(spec->name) + "|" + std::string(sub.name));
    }
  }
  std::set<std::string> seen;
  for (const CommandDoc& doc : AllCommandDocs()) {
    CAPTURE(doc.full_name);
    CHECK(names.count(std::string(doc.full_name)) == 1);
    CHECK(seen.emplace(doc.full_name).second);
    CHECK(!doc.summary.empty());
  }
  CHECK(CommandSummary("get") == "Returns the string value of a key.");
  CHECK(CommandSummary("config|set") == "Sets configuration parameters in-flight.");
  CHECK(CommandSummary("client|id").empty());  // documented with the generic summary
  CHECK(CommandSummary("nosuchcommand").empty());
}

}  // namespace
}  // namespace kvgate::redis
