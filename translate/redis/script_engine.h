// File: translate/redis/script_engine.h
// Lua scripting as redis-server 7.0 runs it (EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT): one
// Lua 5.1 state per Redis front, scripts cached by the SHA-1 of their body, the Redis Lua
// environment (redis.*, cjson, bit; script_lib.cc) in Redis 7's sandbox (read-only globals and
// libraries, no os/io/loadfile/dofile/print, no bytecode), and redis.call/pcall running real
// commands through the command table as the calling client, on the database the script selects
// (SELECT inside a script affects the script only). Replies cross as RESP: a command writes its
// reply into a scratch chain with the script's protocol (redis.setresp), which becomes Lua values
// (script_convert.h); the script's result becomes the caller's reply.
//
//   front.scripts().Eval(ctx, /*by_sha=*/false, /*read_only=*/false);   // EVAL's handler
//
// The C boundary: Lua 5.1 raises errors with longjmp. The allocator never fails (a failed malloc
// aborts, as Redis's zmalloc does), so Lua API calls that only allocate never raise; every C
// function Lua calls does its C++ work in a callee that returns before lua_error is called, so
// no longjmp crosses a frame holding an object with a destructor, and scripts run under
// lua_pcall only.
//
// A script runs to its end inside EVAL's handler: the loop serves nothing else meanwhile
// (atomic). An instruction-count hook checks the time every 100k instructions; once a script has
// run longer than busy-reply-threshold the busy callback is called (where a gateway can serve
// SCRIPT KILL), and a kill requested there stops the script.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "protocols/buffer.h"

struct lua_State;
struct lua_Debug;

namespace kvgate::redis {

class RedisFront;
struct CommandContext;

class ScriptEngine {
 public:
  explicit ScriptEngine(RedisFront& front);
  ~ScriptEngine();
  ScriptEngine(const ScriptEngine&) = delete;
  ScriptEngine& operator=(const ScriptEngine&) = delete;

  // EVAL / EVALSHA (by_sha) and their _RO forms: args are [name, script or sha, numkeys,
  // keys..., args...]; the reply goes to ctx.w.
  void Eval(CommandContext& ctx, bool by_sha, bool read_only);
  // SCRIPT LOAD: compiles and caches `body`; *out is its SHA-1, or the error reply's text.
  bool Load(std::string_view body, std::string* out);
  bool Exists(std::string_view sha);
  // SCRIPT FLUSH: forgets every script and starts a fresh Lua state.
  void Flush();
  enum class KillResult { kNotBusy, kUnkillable, kKilled };
  // SCRIPT KILL: stops the running script at its next hook check, unless it has written.
  KillResult Kill();
  bool running() const {
    return run_ctx_ != nullptr;
  }
  size_t cached_scripts() const {
    return cached_;
  }
  size_t memory_bytes() const {
    return lua_bytes_;
  }
  // Called from the hook while a script is over busy-reply-threshold (at most every 100k
  // instructions). Tests and a gateway that serves clients meanwhile set it.
  void set_busy_callback(std::function<void()> cb) {
    busy_callback_ = std::move(cb);
  }

  // ---- for the Lua library (script_lib.cc) ----
  static ScriptEngine& From(lua_State* L);
  // redis.call (raise) / redis.pcall: runs the command named by the Lua arguments; leaves its
  // reply as a Lua value on top of the stack. Returns 1, or -1 when the caller must lua_error()
  // the error table on top.
  int CallCommand(lua_State* L, bool raise);
  bool KnowsCommand(std::string_view name) const;
  void set_script_resp(int resp) {
    script_resp_ = resp;
  }
  // Redis's rand48 for math.random (seeded with 0 with each new Lua state).
  void SeedRand(int32_t seed);
  int32_t NextRand();
  const std::string& version() const;

 private:
  void Open();
  void Close();
  // Compiles `body` as script `sha` into the cache; false with the error reply in *error.
  bool Compile(std::string_view sha, std::string_view body, std::string* error);
  void Run(CommandContext& ctx, const std::string& sha, size_t numkeys, bool read_only);
  std::string ErrorReply(const std::string& sha);
  void ClearProxies();
  static void* Alloc(void* ud, void* ptr, size_t osize, size_t nsize);
  static void Hook(lua_State* L, lua_Debug* ar);

  RedisFront& front_;
  lua_State* L_ = nullptr;
  size_t cached_ = 0;
  size_t lua_bytes_ = 0;
  size_t runs_ = 0;
  int handler_ref_ = 0;  // registry references
  int scripts_ref_ = 0;
  int globals_ref_ = 0;
  int proxies_ref_ = 0;
  // The script being run.
  CommandContext* run_ctx_ = nullptr;
  bool read_only_ = false;
  bool wrote_ = false;
  bool kill_ = false;
  int script_resp_ = 2;
  int64_t start_ms_ = 0;
  uint64_t rand_state_ = 0;
  std::function<void()> busy_callback_;
  // redis.call scratch: argument views (into Lua strings kept on the stack, or numbers_) and
  // the captured reply.
  std::vector<std::string_view> args_;
  std::deque<std::string> numbers_;
  protocols::OutChain capture_;
  std::string capture_copy_;
};

}  // namespace kvgate::redis
