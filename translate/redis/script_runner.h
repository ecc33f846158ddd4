// File: translate/redis/script_runner.h
// One Lua 5.1 state with the Redis Lua environment (script_lib.h) and the machinery that runs a
// Lua function as a Redis script: redis.call/pcall running real commands through the command
// table as the calling client (on the database the script selects; SELECT inside a script
// affects the script only), the read-only checks, the instruction-count hook (busy callback,
// kill), and the conversion of the result into the caller's reply (script_convert.h). EVAL
// scripts and FUNCTION libraries each have one (Redis keeps them in separate Lua states too);
// script_engine.h owns both.
//
//   ScriptRunner runner(front, ScriptRunner::Kind::kEval);
//   int ref = ...;  // a Lua function in the registry (luaL_ref)
//   runner.Run(ctx, {.name = sha, .function_ref = ref, .first_key = 3, .numkeys = 1});
//
// The C boundary: Lua 5.1 raises errors with longjmp. The allocator never fails (a failed malloc
// aborts, as Redis's zmalloc does), so Lua API calls that only allocate never raise; every C
// function Lua calls does its C++ work in a callee that returns before lua_error is called, so
// no longjmp crosses a frame holding an object with a destructor, and scripts run under
// lua_pcall only.
//
// A script runs to its end inside its command's handler: the loop serves nothing else meanwhile
// (atomic). The hook checks the time every 100k instructions; once a script has run longer than
// busy-reply-threshold the busy callback is called (where a gateway can serve SCRIPT KILL or
// FUNCTION KILL), and a kill requested there stops the script.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocols/buffer.h"

struct lua_State;
struct lua_Debug;

namespace kvgate::redis {

class RedisFront;
struct CommandContext;
struct FunctionLoad;

class ScriptRunner {
 public:
  // kEval: KEYS and ARGV are globals and the redis table has breakpoint/debug/
  // replicate_commands; kFunction: the function gets (keys, args) and loading sees only the
  // load-time API (function_lua.h).
  enum class Kind { kEval, kFunction };
  ScriptRunner(RedisFront& front, Kind kind);
  ~ScriptRunner();
  ScriptRunner(const ScriptRunner&) = delete;
  ScriptRunner& operator=(const ScriptRunner&) = delete;

  lua_State* state() {
    return L_;
  }
  Kind kind() const {
    return kind_;
  }
  // A fresh Lua state: every registry reference made before is gone.
  void Reset();

  struct RunSpec {
    std::string_view name;  // the SHA-1 or the function name, for error replies
    int function_ref = 0;   // registry reference of the Lua function
    size_t first_key = 3;   // ctx.arg index of the first key; the arguments follow the keys
    size_t numkeys = 0;
    bool read_only = false;  // write commands refused
  };
  // Runs the function; its result or error is the reply in ctx.w.
  void Run(CommandContext& ctx, const RunSpec& spec);

  // Stops the running script at its next hook check (script_engine.h decides whether it may).
  void RequestKill() {
    kill_ = true;
  }
  // Whether the running script has run a write command (it cannot be killed then).
  bool wrote() const {
    return wrote_;
  }
  bool running() const {
    return run_ctx_ != nullptr;
  }
  // Whether the running script is past busy-reply-threshold (other clients get -BUSY).
  bool timed_out() const {
    return timed_out_;
  }
  // The running script's name and caller, and for how long it has run (FUNCTION STATS).
  std::string_view running_name() const {
    return run_name_;
  }
  const CommandContext* running_ctx() const {
    return run_ctx_;
  }
  int64_t running_ms() const;
  size_t memory_bytes() const {
    return lua_bytes_;
  }
  void set_busy_callback(std::function<void()> cb) {
    busy_callback_ = std::move(cb);
  }

  // ---- FUNCTION LOAD (function_library.h) ----
  // While a library's body runs, redis.register_function records into `load`; the hook stops
  // the body once it has run `timeout_ms` (0: no limit).
  void BeginLoad(FunctionLoad* load, int64_t timeout_ms);
  void EndLoad() {
    loading_ = nullptr;
  }
  FunctionLoad* loading() const {
    return loading_;
  }

  // ---- for the Lua library (script_lib.cc) ----
  static ScriptRunner& From(lua_State* L);
  // redis.call (raise) / redis.pcall: runs the command named by the Lua arguments; leaves its
  // reply as a Lua value on top of the stack. Returns 1, or -1 when the caller must lua_error()
  // the error table on top.
  int CallCommand(lua_State* L, bool raise);
  bool KnowsCommand(std::string_view name) const;
  // redis.acl_check_cmd: whether the calling user may run `args` (nullopt: unknown command).
  std::optional<bool> UserMayRun(std::span<const std::string_view> args) const;
  void set_script_resp(int resp) {
    script_resp_ = resp;
  }
  // Redis's rand48 for math.random (seeded with 0 with each new Lua state).
  void SeedRand(int32_t seed);
  int32_t NextRand();

 private:
  void Open();
  void Close();
  std::string ErrorReply(std::string_view name);
  void ClearProxies();
  // Past lua-maxmemory (armed by Alloc): a full collection once, then true while still past.
  bool OverMemory(lua_State* L);
  static void* Alloc(void* ud, void* ptr, size_t osize, size_t nsize);
  static void Hook(lua_State* L, lua_Debug* ar);

  RedisFront& front_;
  const Kind kind_;
  lua_State* L_ = nullptr;
  size_t lua_bytes_ = 0;
  // Lua memory went past lua-maxmemory: the hook runs at every instruction until it is back
  // under (after a full collection) or the script is stopped.
  bool over_memory_ = false;
  bool over_memory_collected_ = false;
  size_t runs_ = 0;
  int handler_ref_ = 0;  // registry references
  int globals_ref_ = 0;
  int proxies_ref_ = 0;
  // The script being run.
  CommandContext* run_ctx_ = nullptr;
  std::string run_name_;
  bool read_only_ = false;
  bool wrote_ = false;
  bool kill_ = false;
  bool timed_out_ = false;
  int script_resp_ = 2;
  int64_t start_ms_ = 0;
  uint64_t rand_state_ = 0;
  FunctionLoad* loading_ = nullptr;
  int64_t load_deadline_ms_ = 0;
  std::function<void()> busy_callback_;
  // redis.call scratch: argument views (into Lua strings kept on the stack, or numbers_) and
  // the captured reply.
  std::vector<std::string_view> args_;
  std::deque<std::string> numbers_;
  protocols::OutChain capture_;
  std::string capture_copy_;
};

}  // namespace kvgate::redis
