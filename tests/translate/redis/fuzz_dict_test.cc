// The session fuzzer's dictionary (tests/fuzz/dict/resp_session_fuzz.dict) against the command
// table: every command kvgate serves is a dictionary word, so the fuzzer reaches a new
// command's handler from its first run instead of waiting to guess its name byte by byte.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <string>

#include "protocols/ascii.h"
#include "translate/redis/command_table.h"

namespace kvgate::redis {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = protocols::AsciiLower(c);
  }
  return out;
}

// The quoted words of a libFuzzer dictionary (name="word" lines; escapes are kept as written,
// which command names never need).
std::set<std::string> DictionaryWords(const std::string& path) {
  std::set<std::string> words;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    size_t open = line.find('"');
    size_t close = line.rfind('"');
    if (line.empty() || line[0] == '#' || open == std::string::npos || close <= open) {
      continue;
    }
    words.insert(Lower(std::string_view(line).substr(open + 1, close - open - 1)));
  }
  return words;
}

TEST_CASE("the session fuzzer's dictionary names every command", "[redis]") {
  std::set<std::string> words =
      DictionaryWords(std::string(KVGATE_SOURCE_DIR) + "/tests/fuzz/dict/resp_session_fuzz.dict");
  REQUIRE(words.size() > 100);
  for (const CommandSpec* spec : CommandTable::Get().All()) {
    CAPTURE(spec->name);
    CHECK(words.count(Lower(spec->name)) == 1);
    for (const CommandSpec& sub : spec->subcommands) {
      CAPTURE(sub.name);
      CHECK(words.count(Lower(sub.name)) == 1);
    }
  }
}

}  // namespace
}  // namespace kvgate::redis
