// Tests for protocols/nats/parser: every frame type fed whole, split at every byte, and one
// byte at a time; leniency cases clients rely on; malformed input and limits.
#include "protocols/nats/parser.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace kvgate::natswire {
namespace {

// Records every callback as one readable line.
class RecordingSink : public ParserSink {
 public:
  std::vector<std::string> events;
  size_t stop_after = SIZE_MAX;  // return false from the Nth frame callback

  bool OnConnect(std::string_view json) override {
    return Record("CONNECT " + std::string(json));
  }
  bool OnPub(const PubFrame& f) override {
    std::string e = f.hpub ? "HPUB" : "PUB";
    e += " s=" + std::string(f.subject) + " r=" + std::string(f.reply) + " h=[" +
         std::string(f.headers) + "] p=[" + std::string(f.payload) + "]";
    return Record(e);
  }
  bool OnSub(std::string_view subject, std::string_view queue, std::string_view sid) override {
    return Record("SUB " + std::string(subject) + " q=" + std::string(queue) +
                  " sid=" + std::string(sid));
  }
  bool OnUnsub(std::string_view sid, uint64_t max) override {
    return Record("UNSUB " + std::string(sid) + " max=" + std::to_string(max));
  }
  bool OnPing() override {
    return Record("PING");
  }
  bool OnPong() override {
    return Record("PONG");
  }
  void OnError(ParseError e) override {
    events.push_back("ERROR " + std::string(ParseErrorText(e)) + " " +
                     std::to_string(static_cast<int>(e)));
  }

 private:
  bool Record(std::string e) {
    events.push_back(std::move(e));
    return events.size() < stop_after;
  }
};

std::vector<std::string> ParseWhole(std::string_view input, ParserLimits limits = {}) {
  Parser p(limits);
  RecordingSink sink;
  REQUIRE(p.Feed(input, sink) == input.size());
  return sink.events;
}

// Feeds `input` in pieces split at `cuts` (each piece copied into a fresh buffer that is
// destroyed after Feed, so any view kept past a Feed call would be caught by ASan).
std::vector<std::string> ParsePieces(std::string_view input, const std::vector<size_t>& cuts,
                                     ParserLimits limits = {}) {
  Parser p(limits);
  RecordingSink sink;
  size_t prev = 0;
  auto feed = [&](size_t end) {
    auto piece = std::make_unique<std::string>(input.substr(prev, end - prev));
    REQUIRE(p.Feed(*piece, sink) == piece->size());
    prev = end;
  };
  for (size_t c : cuts) feed(c);
  feed(input.size());
  return sink.events;
}

// The input parsed whole, split in two at every position, and byte by byte must all agree.
void CheckEverySplit(std::string_view input, const std::vector<std::string>& expected,
                     ParserLimits limits = {}) {
  INFO("input: " << input);
  CHECK(ParseWhole(input, limits) == expected);
  for (size_t cut = 1; cut < input.size(); ++cut) {
    INFO("split at " << cut);
    REQUIRE(ParsePieces(input, {cut}, limits) == expected);
  }
  std::vector<size_t> every;
  for (size_t i = 1; i < input.size(); ++i) every.push_back(i);
  CHECK(ParsePieces(input, every, limits) == expected);
}

}  // namespace

TEST_CASE("every frame type at every split point", "[nats][parser]") {
  CheckEverySplit("PING\r\n", {"PING"});
  CheckEverySplit("PONG\r\n", {"PONG"});
  CheckEverySplit("CONNECT {\"verbose\":false,\"headers\":true}\r\n",
                  {"CONNECT {\"verbose\":false,\"headers\":true}"});
  CheckEverySplit("PUB foo 5\r\nhello\r\n", {"PUB s=foo r= h=[] p=[hello]"});
  CheckEverySplit("PUB foo _INBOX.a.b 5\r\nhello\r\n", {"PUB s=foo r=_INBOX.a.b h=[] p=[hello]"});
  CheckEverySplit("PUB foo 0\r\n\r\n", {"PUB s=foo r= h=[] p=[]"});
  CheckEverySplit("HPUB $KV.b.k _INBOX.x 31 33\r\nNATS/1.0\r\nKV-Operation: DEL\r\n\r\nab\r\n",
                  {"HPUB s=$KV.b.k r=_INBOX.x h=[NATS/1.0\r\nKV-Operation: DEL\r\n\r\n] p=[ab]"});
  CheckEverySplit("HPUB foo 12 12\r\nNATS/1.0\r\n\r\n\r\n",
                  {"HPUB s=foo r= h=[NATS/1.0\r\n\r\n] p=[]"});
  CheckEverySplit("SUB foo 1\r\n", {"SUB foo q= sid=1"});
  CheckEverySplit("SUB foo.* workers 22\r\n", {"SUB foo.* q=workers sid=22"});
  CheckEverySplit("UNSUB 1\r\n", {"UNSUB 1 max=0"});
  CheckEverySplit("UNSUB 1 5\r\n", {"UNSUB 1 max=5"});
}

TEST_CASE("several frames in one buffer, payload containing CRLF and op names", "[nats][parser]") {
  std::string input =
      "CONNECT {}\r\nSUB a 1\r\nPUB a 13\r\nPING\r\nPUB x\r\n\r\nPONG\r\nUNSUB 1\r\n";
  CheckEverySplit(input, {"CONNECT {}", "SUB a q= sid=1", "PUB s=a r= h=[] p=[PING\r\nPUB x\r\n]",
                          "PONG", "UNSUB 1 max=0"});
}

TEST_CASE("leniency: case, spacing, trailing space, bare LF, HPUB with 0 header bytes",
          "[nats][parser]") {
  CheckEverySplit("ping\r\npInG\r\nPong\r\n", {"PING", "PING", "PONG"});
  CheckEverySplit("pub foo 2\r\nhi\r\n", {"PUB s=foo r= h=[] p=[hi]"});
  // nats.go: empty queue group (two spaces) and a trailing space on UNSUB.
  CheckEverySplit("SUB _INBOX.X.*  1\r\nUNSUB 2 \r\n",
                  {"SUB _INBOX.X.* q= sid=1", "UNSUB 2 max=0"});
  CheckEverySplit("PUB\t foo \t bar\t 2 \r\nhi\r\n", {"PUB s=foo r=bar h=[] p=[hi]"});
  CheckEverySplit("PING\nSUB a 1\n", {"PING", "SUB a q= sid=1"});
  // nats.js publishes plain values as HPUB with a zero-length header block.
  CheckEverySplit("HPUB $KV.jb.k1 _INBOX.X.Lw4U 0 2\r\nv1\r\n",
                  {"HPUB s=$KV.jb.k1 r=_INBOX.X.Lw4U h=[] p=[v1]"});
  // Anything after PING/PONG up to the line end is ignored, as nats-server does.
  CheckEverySplit("PING extra\r\n", {"PING"});
}

TEST_CASE("malformed input fails with the nats-server error and ignores the rest",
          "[nats][parser]") {
  const std::string unknown = "ERROR Unknown Protocol Operation 1";
  const std::string bad_args = "ERROR Unknown Protocol Operation 2";
  struct Case {
    std::string input;
    std::vector<std::string> expected;
  };
  std::vector<Case> cases = {
      {"FOO\r\n", {unknown}},
      {"\r\n", {unknown}},
      {"+OK\r\n", {unknown}},
      {"-ERR 'x'\r\n", {unknown}},
      {"INFO {}\r\n", {unknown}},
      {"MSG a 1 2\r\nhi\r\n", {unknown}},
      {"PUBX a 1\r\n", {unknown}},
      {"PUB\r\n", {unknown}},
      {"PINGPONG\r\nPUB", {"PING"}},  // tail ignored by PING; no error for a partial op
      {"PUB a\r\n", {bad_args}},
      {"PUB a b c 1\r\n", {bad_args}},
      {"PUB a -1\r\n", {bad_args}},
      {"PUB a 1x\r\n", {bad_args}},
      {"PUB a 1234567890\r\n", {bad_args}},
      {"HPUB a 3 2\r\n", {bad_args}},
      {"HPUB a 2\r\n", {bad_args}},
      {"SUB a\r\n", {bad_args}},
      {"SUB a b c d\r\n", {bad_args}},
      {"UNSUB\r\n", {unknown}},
      {"UNSUB \r\n", {bad_args}},
      {"UNSUB 1 2 3\r\n", {bad_args}},
      {"PUB a 2\r\nhiX\r\nPING\r\n", {unknown}},  // payload not followed by CRLF
      {"PUB a 2\r\nhi\rXPING\r\n", {unknown}},
      {"SUB a 1\r\nBAD\r\nPING\r\n", {"SUB a q= sid=1", unknown}},
  };
  for (const auto& c : cases) {
    INFO("input: " << c.input);
    CHECK(ParseWhole(c.input) == c.expected);
    for (size_t cut = 1; cut < c.input.size(); ++cut) {
      CHECK(ParsePieces(c.input, {cut}) == c.expected);
    }
  }
}

TEST_CASE("limits: max payload and max control line", "[nats][parser]") {
  ParserLimits limits;
  limits.max_payload = 10;
  limits.max_control_line = 32;
  CheckEverySplit("PUB a 10\r\n0123456789\r\n", {"PUB s=a r= h=[] p=[0123456789]"}, limits);
  CheckEverySplit("PUB a 11\r\n", {"ERROR Maximum Payload Violation 4"}, limits);
  CheckEverySplit("HPUB a 2 11\r\n", {"ERROR Maximum Payload Violation 4"}, limits);
  std::string line(32, 'a');
  CheckEverySplit("SUB " + line.substr(0, 26) + " 1\r\n",
                  {"SUB " + line.substr(0, 26) + " q= sid=1"}, limits);
  CheckEverySplit("SUB " + line + " 1\r\n", {"ERROR maximum control line exceeded 3"}, limits);

  // A control line that never ends is cut off once it passes the limit, not buffered forever.
  Parser p(limits);
  RecordingSink sink;
  std::string endless = "SUB " + std::string(100, 'x');
  p.Feed(endless.substr(0, 20), sink);
  CHECK(sink.events.empty());
  p.Feed(endless.substr(20), sink);
  CHECK(sink.events == std::vector<std::string>{"ERROR maximum control line exceeded 3"});
  CHECK(p.failed());
  CHECK(p.Feed("PING\r\n", sink) == 6);
  CHECK(sink.events.size() == 1);
}

TEST_CASE("a sink returning false stops after that frame and resumes later", "[nats][parser]") {
  Parser p;
  RecordingSink sink;
  sink.stop_after = 1;
  std::string input = "PUB a 2\r\nhi\r\nPING\r\nSUB b 3\r\n";
  size_t used = p.Feed(input, sink);
  CHECK(used == 13);
  CHECK(sink.events == std::vector<std::string>{"PUB s=a r= h=[] p=[hi]"});
  CHECK(p.idle());
  sink.stop_after = SIZE_MAX;
  CHECK(p.Feed(std::string_view(input).substr(used), sink) == input.size() - used);
  CHECK(sink.events ==
        std::vector<std::string>{"PUB s=a r= h=[] p=[hi]", "PING", "SUB b q= sid=3"});
}

TEST_CASE("split payloads are buffered once and released", "[nats][parser]") {
  Parser p;
  RecordingSink sink;
  std::string payload(200000, 'z');
  std::string input = "PUB big 200000\r\n" + payload + "\r\n";
  p.Feed(std::string_view(input).substr(0, 1000), sink);
  CHECK(p.buffered_bytes() > 0);
  p.Feed(std::string_view(input).substr(1000), sink);
  REQUIRE(sink.events.size() == 1);
  CHECK(sink.events[0].size() == payload.size() + std::string("PUB s=big r= h=[] p=[]").size());
  CHECK(p.buffered_bytes() == 0);
}

}  // namespace kvgate::natswire
