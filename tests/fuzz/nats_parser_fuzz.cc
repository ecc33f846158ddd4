// libFuzzer target for protocols/nats/parser: the input is parsed whole and split in two at a
// position chosen by its first byte; both runs must produce the same frames (the parser is
// resumable and copies split frames correctly), and nothing may crash or read out of bounds.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "protocols/nats/parser.h"

namespace {

using kvgate::natswire::ParseError;
using kvgate::natswire::Parser;
using kvgate::natswire::ParserLimits;
using kvgate::natswire::ParserSink;
using kvgate::natswire::PubFrame;

// Serializes every callback so two runs can be compared.
class Recorder : public ParserSink {
 public:
  std::string log;
  bool OnConnect(std::string_view json) override {
    return Add("C", json);
  }
  bool OnPub(const PubFrame& f) override {
    Add(f.hpub ? "H" : "P", f.subject);
    Add("r", f.reply);
    Add("h", f.headers);
    return Add("p", f.payload);
  }
  bool OnSub(std::string_view subject, std::string_view queue, std::string_view sid) override {
    Add("S", subject);
    Add("q", queue);
    return Add("i", sid);
  }
  bool OnUnsub(std::string_view sid, uint64_t max) override {
    Add("U", sid);
    return Add("m", std::to_string(max));
  }
  bool OnPing() override {
    return Add("PING", {});
  }
  bool OnPong() override {
    return Add("PONG", {});
  }
  void OnError(ParseError e) override {
    Add("E", std::to_string(static_cast<int>(e)));
  }

 private:
  bool Add(std::string_view tag, std::string_view v) {
    log.append(tag);
    log.append(std::to_string(v.size()));
    log.push_back(':');
    log.append(v);
    return true;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  ParserLimits limits;
  limits.max_control_line = 256;
  limits.max_payload = 4096;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);

  Recorder whole;
  Parser p1(limits);
  if (p1.Feed(input, whole) != input.size()) std::abort();

  // Split in two; each piece lives in its own allocation freed right after its Feed, so a view
  // kept across Feed calls is a use-after-free for ASan.
  size_t cut = input.empty() ? 0 : data[0] % (input.size() + 1);
  Recorder split;
  Parser p2(limits);
  auto first = std::make_unique<std::string>(input.substr(0, cut));
  if (p2.Feed(*first, split) != first->size()) std::abort();
  first.reset();
  auto second = std::make_unique<std::string>(input.substr(cut));
  if (p2.Feed(*second, split) != second->size()) std::abort();
  second.reset();

  if (whole.log != split.log) std::abort();
  return 0;
}
