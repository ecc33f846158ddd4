// File: tests/fuzz/script_fuzz.cc
// libFuzzer target for Lua scripts: the input is a script body, a NUL, then NUL-separated
// arguments (the first says how many of them are keys); it runs as EVAL, then again as
// EVALSHA and EVAL_RO, on one session of an in-memory front. A script runs at most until the
// first busy check (busy-reply-threshold 0, the busy callback kills it). Nothing may crash,
// trip a sanitizer or escape the sandbox (os, io, loadfile, bytecode: the dictionary names
// them).
//
//   cmake --preset fuzz && cmake --build build/fuzz --target script_fuzz
//   build/fuzz/tests/fuzz/script_fuzz -dict=tests/fuzz/dict/script_fuzz.dict \
//       tests/fuzz/corpus/script_fuzz
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.h"
#include "engine/local_store.h"
#include "protocols/buffer.h"
#include "tests/support/memory_transport.h"
#include "translate/redis/front.h"
#include "translate/redis/script_engine.h"
#include "translate/redis/sha1.h"
#include "translate/session.h"

namespace {

std::string Encode(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const std::string& a : args) out += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t i = 0; i <= input.size(); ++i) {
    if (i == input.size() || input[i] == '\0') {
      parts.emplace_back(input.substr(start, i - start));
      start = i + 1;
    }
  }
  const std::string body = parts[0];
  std::vector<std::string> rest(parts.begin() + 1, parts.end());
  size_t numkeys =
      rest.empty() ? 0
                   : static_cast<unsigned char>(rest[0].empty() ? 0 : rest[0][0]) % (rest.size());
  if (!rest.empty()) rest.erase(rest.begin());
  if (numkeys > rest.size()) numkeys = rest.size();

  kvgate::engine::FakeClock clock;
  kvgate::engine::Engine engine(clock);
  kvgate::engine::LocalStore store(engine);
  kvgate::redis::RedisConfig config;
  config.databases = 4;
  config.busy_reply_threshold_ms = 0;
  config.lua_max_memory = 64u << 20;  // a script that grows is stopped, not the fuzzer
  auto front = std::make_unique<kvgate::redis::RedisFront>(store, config);
  kvgate::redis::ScriptEngine& scripts = front->scripts();
  scripts.set_busy_callback([&scripts] { scripts.Kill(); });
  kvgate::testing::MemoryTransport t;
  auto session = front->NewSession(t);
  kvgate::protocols::InBuffer in;
  for (const char* cmd : {"EVAL", "EVALSHA", "EVAL_RO"}) {
    std::vector<std::string> args = {
        cmd, std::string(cmd) == "EVALSHA" ? kvgate::redis::Sha1Hex(body) : body,
        std::to_string(numkeys)};
    args.insert(args.end(), rest.begin(), rest.end());
    in.Append(Encode(args));
    session->OnBytes(in);
    front->RunPending();
    t.Drain();
  }
  session->OnClose();
  session.reset();
  front.reset();
  return 0;
}
