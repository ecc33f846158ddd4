// Request reader: every input at every split point (and one byte at a time) must give the same
// commands and errors as the whole input; malformed inputs from specs/resp-subset.md §1.3.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "protocols/resp/reader_harness.h"
#include "protocols/resp/request_reader.h"

namespace kvgate::resp {
namespace {

using namespace std::string_literals;
using testing::Drive;
using testing::Outcome;
using Commands = std::vector<std::vector<std::string>>;

std::string Bin(std::string_view s) {
  return std::string(s);
}

// The whole-input outcome, checked against every two-chunk split and byte-at-a-time delivery.
Outcome CheckAllSplits(const std::string& input, const ReaderLimits& limits = {}) {
  Outcome whole = Drive(input, {}, limits);
  std::vector<size_t> every;
  for (size_t i = 1; i < input.size(); ++i) every.push_back(i);
  Outcome bytes = Drive(input, every, limits);
  INFO("input: " << input);
  CHECK(bytes == whole);
  size_t step = input.size() > 400 ? input.size() / 97 + 1 : 1;
  for (size_t cut = 0; cut <= input.size(); cut += step) {
    INFO("cut at " << cut);
    CHECK(Drive(input, {cut}, limits) == whole);
  }
  return whole;
}

TEST_CASE("multibulk requests parse identically at every split point", "[resp]") {
  struct Case {
    std::string input;
    Commands expected;
    bool partial;
  };
  std::string big(5000, 'x');
  big[17] = '\r';
  big[18] = '\n';
  big[100] = '\0';
  std::vector<Case> cases = {
      {"*1\r\n$4\r\nPING\r\n", {{"PING"}}, false},
      {"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nv\r\nx\0\r\n"s,
       {{"SET", "k", Bin("v\r\nx\0"s)}},
       false},
      {"*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", {{"ECHO", ""}}, false},
      {"*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n", {{"PING"}, {"GET", "a"}}, false},
      // The two bytes after a payload and the byte after a header's CR are never checked.
      {"*1\r\n$4\r\nPINGxy", {{"PING"}}, false},
      {"*1\rX$4\rYPING\r\n", {{"PING"}}, false},
      {"*0\r\n*-1\r\n*-10\r\n*1\r\n$1\r\na\r\n", {{"a"}}, false},
      {"*2\r\n$3\r\nGET\r\n$1\r\na\r", {}, true},
      {"*1048577\r\n", {}, true},
      {"*2147483647\r\n$1\r\na\r\n", {}, true},
      {"*1\r\n$5000\r\n" + big + "\r\n*1\r\n$4\r\nPING\r\n", {{big}, {"PING"}}, false},
      // A NUL inside a header line hides its CR from Redis's strchr(): the server waits.
      {"*1\0\r\n"s, {}, true},
  };
  for (const auto& c : cases) {
    Outcome o = CheckAllSplits(c.input);
    INFO("input: " << c.input);
    CHECK_FALSE(o.error);
    CHECK(o.commands == c.expected);
    CHECK(o.partial == c.partial);
  }
}

TEST_CASE("pipelines longer than hiredis's 1 KiB compaction keep their arguments", "[resp]") {
  // hiredis memmoves its buffer once 1 KiB is consumed; arguments must be copied before that.
  std::string input;
  Commands expected;
  for (int i = 0; i < 200; ++i) {
    std::string key = "key:" + std::to_string(i);
    std::string value(static_cast<size_t>(i % 37), static_cast<char>('a' + i % 26));
    input += "*3\r\n$3\r\nSET\r\n$" + std::to_string(key.size()) + "\r\n" + key + "\r\n$" +
             std::to_string(value.size()) + "\r\n" + value + "\r\n";
    expected.push_back({"SET", key, value});
  }
  ReaderLimits limits;
  CHECK(Drive(input, {}, limits).commands == expected);
  for (size_t step : {1u, 3u, 7u, 100u, 1500u}) {
    std::vector<size_t> cuts;
    for (size_t i = step; i < input.size(); i += step) cuts.push_back(i);
    INFO("step " << step);
    CHECK(Drive(input, cuts, limits).commands == expected);
  }
}

TEST_CASE("a single split request is streamed through hiredis with one argument > 1 KiB",
          "[resp]") {
  std::string v1(3000, 'a'), v2(2000, 'b');
  std::string input = "*3\r\n$4\r\nMSET\r\n$3000\r\n" + v1 + "\r\n$2000\r\n" + v2 + "\r\n";
  ReaderLimits limits;
  std::vector<size_t> cuts;
  for (size_t i = 10; i < input.size(); i += 10) cuts.push_back(i);
  Outcome o = Drive(input, cuts, limits);
  REQUIRE(o.commands.size() == 1);
  CHECK(o.commands[0] == std::vector<std::string>{"MSET", v1, v2});
}

TEST_CASE("inline requests follow Redis's quoting rules", "[resp]") {
  struct Case {
    std::string input;
    Commands expected;
  };
  std::vector<Case> cases = {
      {"PING\r\n", {{"PING"}}},
      {"ping\n", {{"ping"}}},
      {"  PING   \r\n", {{"PING"}}},
      {"\r\n\n   \r\n", {}},
      {"SET k v\r\n*1\r\n$3\r\nGET\r\nGET k\n", {{"SET", "k", "v"}, {"GET"}, {"GET", "k"}}},
      {"SET \"a b\" 'c d'\r\n", {{"SET", "a b", "c d"}}},
      {"ECHO \"\\x41\\x4a\\n\\r\\t\\b\\a\\\\\\\"\\z\"\r\n", {{"ECHO", "AJ\n\r\t\b\a\\\"z"}}},
      {"ECHO \"\\xZZ\"\r\n", {{"ECHO", "xZZ"}}},
      {"ECHO 'it\\'s' 'a\\b'\r\n", {{"ECHO", "it's", "a\\b"}}},
      {"a\"b c\" d\r\n", {{"ab c", "d"}}},
      {"ECHO \"\"\r\n", {{"ECHO", ""}}},
      {"SET\ta\tb\r\n", {{"SET", "a", "b"}}},
      {"ECHO a\rb\r\n", {{"ECHO", "a", "b"}}},
  };
  for (const auto& c : cases) {
    Outcome o = CheckAllSplits(c.input);
    INFO("input: " << c.input);
    CHECK_FALSE(o.error);
    CHECK(o.commands == c.expected);
    CHECK_FALSE(o.partial);
  }
}

TEST_CASE("malformed requests give Redis's protocol errors after earlier replies", "[resp]") {
  struct Case {
    std::string input;
    std::string error;
  };
  const std::string kMb = "ERR Protocol error: invalid multibulk length";
  const std::string kBulk = "ERR Protocol error: invalid bulk length";
  const std::string kQuotes = "ERR Protocol error: unbalanced quotes in request";
  std::vector<Case> cases = {
      {"*abc\r\n", kMb},
      {"*3000000000\r\n", kMb},
      {"*2147483648\r\n", kMb},
      {"*\r\n", kMb},
      {"*03\r\n", kMb},
      {"*+3\r\n", kMb},
      {"*-0\r\n", kMb},
      {"*1 \r\n", kMb},
      {"*99999999999999999999999\r\n", kMb},
      {"*1\r\nfoo\r\n", "ERR Protocol error: expected '$', got 'f'"},
      {"*2\r\n$1\r\na\r\n:1\r\n", "ERR Protocol error: expected '$', got ':'"},
      {"*1\r\n$-10\r\n", kBulk},
      {"*1\r\n$-1\r\n", kBulk},
      {"*1\r\n$blabla\r\n", kBulk},
      {"*1\r\n$2000000000\r\n", kBulk},
      {"*1\r\n$1000000000000\r\n", kBulk},
      {"*1\r\n$536870913\r\n", kBulk},
      {"*1\r\n$\r\n", kBulk},
      {"SET \"k v\r\n", kQuotes},
      {"set \"\"\"k\"\"\" v\r\n", kQuotes},
      {"SET d \"a\"b\r\n", kQuotes},
      {"SET d 'a'b\r\n", kQuotes},
      {"SET d 'abc\r\n", kQuotes},
  };
  for (const auto& c : cases) {
    for (const std::string& prefix : {std::string(), std::string("*1\r\n$4\r\nPING\r\nPING\r\n")}) {
      std::string input = prefix + c.input + "*1\r\n$4\r\nPING\r\n";
      Outcome o = CheckAllSplits(input);
      INFO("input: " << input);
      CHECK(o.error);
      CHECK(o.error_text == c.error);
      CHECK(o.commands.size() == (prefix.empty() ? 0u : 2u));
    }
  }
}

TEST_CASE("a bulk of exactly proto-max-bulk-len is accepted and waits", "[resp]") {
  Outcome o = CheckAllSplits("*1\r\n$536870912\r\nabc");
  CHECK_FALSE(o.error);
  CHECK(o.partial);
}

TEST_CASE("limits are read from the shared limits struct", "[resp]") {
  ReaderLimits limits;
  limits.proto_max_bulk_len = 10;
  Outcome ok = CheckAllSplits("*1\r\n$10\r\n0123456789\r\n", limits);
  CHECK(ok.commands == Commands{{"0123456789"}});
  Outcome bad = CheckAllSplits("*1\r\n$11\r\n01234567890\r\n", limits);
  CHECK(bad.error_text == "ERR Protocol error: invalid bulk length");

  ReaderLimits counts;
  counts.max_multibulk_len = 1024 * 1024;
  CHECK(Drive("*1048576\r\n", {}, counts).partial);
  CHECK(Drive("*1048577\r\n", {}, counts).error_text ==
        "ERR Protocol error: invalid multibulk length");
}

TEST_CASE("too big inline requests and header lines", "[resp]") {
  ReaderLimits limits;
  std::string line(64 * 1024, 'a');
  // Exactly 64 KiB without a newline still waits; one more byte is an error.
  Outcome wait = Drive(line, {}, limits);
  CHECK_FALSE(wait.error);
  CHECK(wait.partial);
  Outcome err = Drive(line + "a", {}, limits);
  CHECK(err.error_text == "ERR Protocol error: too big inline request");
  // With the newline in the same buffer a long line is fine.
  Outcome ok = Drive("ECHO " + line + "\r\n", {}, limits);
  REQUIRE(ok.commands.size() == 1);
  CHECK(ok.commands[0][1] == line);

  std::string digits(64 * 1024 + 1, '1');
  CHECK(Drive("*" + digits, {}, limits).error_text ==
        "ERR Protocol error: too big mbulk count string");
  CHECK(Drive("*1\r\n$" + digits, {}, limits).error_text ==
        "ERR Protocol error: too big bulk count string");
  // A header line with a NUL waits until it is too big.
  CHECK(Drive("*1\0"s + digits, {}, limits).error_text ==
        "ERR Protocol error: too big mbulk count string");
}

TEST_CASE("the query buffer limit closes the connection without a reply", "[resp]") {
  ReaderLimits limits;
  limits.query_buffer_limit = 100;
  std::string value(200, 'v');
  std::string input = "*2\r\n$4\r\nECHO\r\n$200\r\n" + value + "\r\n";
  Outcome o = Drive(input, {30, 60, 90, 120, 150}, limits);
  CHECK(o.error);
  CHECK(o.error_text.empty());
  // Complete in one read it is handled (the limit is about buffered partial input).
  CHECK(Drive(input, {}, limits).commands.size() == 1);
}

TEST_CASE("arguments of a complete request are views into the input", "[resp]") {
  ReaderLimits limits;
  RequestReader reader(&limits);
  std::string input = "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n";
  size_t n = 0;
  REQUIRE(reader.Next(input, &n) == ReadStatus::kCommand);
  CHECK(n == input.size());
  REQUIRE(reader.args().size() == 2);
  CHECK(reader.args()[1].data() == input.data() + input.size() - 5);
}

TEST_CASE("after an error the reader stays failed; Reset recovers it", "[resp]") {
  ReaderLimits limits;
  RequestReader reader(&limits);
  size_t n = 0;
  REQUIRE(reader.Next("*x\r\n", &n) == ReadStatus::kError);
  CHECK(reader.Next("PING\r\n", &n) == ReadStatus::kError);
  reader.Reset();
  REQUIRE(reader.Next("*2\r\n$4\r\nECHO\r\n$2\r\nhi", &n) == ReadStatus::kNeedMore);
  CHECK(reader.in_request());
  CHECK(reader.buffered_bytes() > 0);
  reader.Reset();
  CHECK_FALSE(reader.in_request());
  REQUIRE(reader.Next("PING\r\n", &n) == ReadStatus::kCommand);
  CHECK(reader.args()[0] == "PING");
}

}  // namespace
}  // namespace kvgate::resp
