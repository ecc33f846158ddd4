// File: tests/fuzz/function_fuzz.cc
// libFuzzer target for Redis functions: the first byte picks the mode, the rest is either a
// library's source, loaded with FUNCTION LOAD (then each function it registered is called with
// FCALL and FCALL_RO, and the library dumped, flushed and restored), or the body of a FUNCTION
// RESTORE payload (the DUMP footer is appended, so the checksum holds and the RDB reader and
// the libraries inside are what gets exercised), restored with the policy the byte names.
// Loading stops after 5 ms and a function at its first busy check (busy-reply-threshold 0,
// the busy callback kills it). Nothing may crash, trip a sanitizer or leave a library half
// linked (FUNCTION LIST and the function index must agree).
//
//   cmake --preset fuzz && cmake --build build/fuzz --target function_fuzz
//   build/fuzz/tests/fuzz/function_fuzz tests/fuzz/corpus/function_fuzz
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.h"
#include "engine/local_store.h"
#include "protocols/buffer.h"
#include "protocols/rdb/rdb_format.h"
#include "tests/support/memory_transport.h"
#include "translate/redis/front.h"
#include "translate/redis/script_engine.h"
#include "translate/session.h"

namespace {

std::string Encode(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const std::string& a : args) out += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
  return out;
}

// Every function FUNCTION LIST shows must be found by name, and the counts must agree.
void CheckConsistent(kvgate::redis::FunctionLibraries& libs) {
  size_t n = 0;
  for (const auto& [name, lib] : libs.libraries()) {
    for (const kvgate::redis::RegisteredFunction& f : lib.functions) {
      if (libs.Find(f.name) == nullptr) std::abort();
      ++n;
    }
  }
  if (n != libs.function_count()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 || size > 4096) return 0;
  const uint8_t mode = data[0];
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);

  kvgate::engine::FakeClock clock;
  kvgate::engine::Engine engine(clock);
  kvgate::engine::LocalStore store(engine);
  kvgate::redis::RedisConfig config;
  config.databases = 4;
  config.busy_reply_threshold_ms = 0;
  config.lua_max_memory = 64u << 20;  // a script that grows is stopped, not the fuzzer
  auto front = std::make_unique<kvgate::redis::RedisFront>(store, config);
  kvgate::redis::ScriptEngine& scripts = front->scripts();
  scripts.set_busy_callback(
      [&scripts] { scripts.Kill(kvgate::redis::ScriptRunner::Kind::kFunction); });
  kvgate::redis::FunctionLibraries& libs = scripts.functions();
  libs.set_restore_timeout_ms(5);
  kvgate::testing::MemoryTransport t;
  auto session = front->NewSession(t);
  kvgate::protocols::InBuffer in;
  auto run = [&](const std::vector<std::string>& args) {
    in.Append(Encode(args));
    session->OnBytes(in);
    front->RunPending();
    t.Drain();
  };
  if (mode % 2 == 0) {
    std::string out;
    libs.Load(rest, /*replace=*/false, /*timeout_ms=*/5, &out);
    CheckConsistent(libs);
    std::vector<std::string> names;
    for (const auto& [name, lib] : libs.libraries()) {
      for (const auto& f : lib.functions) names.push_back(f.name);
    }
    for (const std::string& name : names) {
      run({"FCALL", name, "1", "key", "arg"});
      run({"FCALL_RO", name, "0", "arg"});
    }
    const std::string dump = libs.Dump();
    run({"FUNCTION", "LIST", "WITHCODE"});
    run({"FUNCTION", "FLUSH"});
    // A body near the time limit may fail once and not the other time: compare only a restore
    // that succeeded.
    std::string error;
    const bool restored =
        libs.Restore(dump, kvgate::redis::FunctionLibraries::RestorePolicy::kAppend, &error);
    CheckConsistent(libs);
    if (restored && libs.Dump() != dump) std::abort();
  } else {
    static const char* const kPolicies[] = {"APPEND", "REPLACE", "FLUSH"};
    run({"FUNCTION", "LOAD", "#!lua name=pre\nredis.register_function('pre', function() end)"});
    std::string payload = rest;
    kvgate::rdb::AppendFooter(&payload);
    run({"FUNCTION", "RESTORE", payload, kPolicies[(mode / 2) % 3]});
    CheckConsistent(libs);
    run({"FUNCTION", "STATS"});
  }
  session->OnClose();
  session.reset();
  front.reset();
  return 0;
}
