// File: translate/redis/script_engine.h
// Lua scripting as redis-server 7.0 runs it: EVAL scripts (EVAL, EVALSHA, EVAL_RO, EVALSHA_RO,
// SCRIPT), cached by the SHA-1 of their body, and FUNCTION libraries (FUNCTION, FCALL,
// FCALL_RO; function_library.h). Each kind has its own Lua state and globals, as in Redis
// (script_runner.h runs both: redis.call/pcall, conversions, the busy hook, kill); one script at
// most runs at a time, so SCRIPT KILL and FUNCTION KILL answer for whichever is running.
//
//   front.scripts().Eval(ctx, /*by_sha=*/false, /*read_only=*/false);   // EVAL's handler
//   front.scripts().Fcall(ctx, /*read_only=*/true);                     // FCALL_RO's
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "protocols/resp/reply_writer.h"
#include "translate/redis/function_library.h"
#include "translate/redis/script_runner.h"

namespace kvgate::redis {

class RedisFront;
struct CommandContext;

class ScriptEngine {
 public:
  explicit ScriptEngine(RedisFront& front);
  ScriptEngine(const ScriptEngine&) = delete;
  ScriptEngine& operator=(const ScriptEngine&) = delete;

  // EVAL / EVALSHA (by_sha) and their _RO forms: args are [name, script or sha, numkeys,
  // keys..., args...]; the reply goes to ctx.w.
  void Eval(CommandContext& ctx, bool by_sha, bool read_only);
  // SCRIPT LOAD: compiles and caches `body`; *out is its SHA-1, or the error reply's text.
  bool Load(std::string_view body, std::string* out);
  bool Exists(std::string_view sha) const;
  // SCRIPT FLUSH: forgets every script and starts a fresh Lua state (functions stay).
  void Flush();

  // FCALL / FCALL_RO: args are [name, function, numkeys, keys..., args...].
  void Fcall(CommandContext& ctx, bool read_only);
  FunctionLibraries& functions() {
    return functions_;
  }
  ScriptRunner& function_runner() {
    return fn_;
  }

  enum class KillResult { kNotBusy, kUnkillable, kKilled, kOtherKind };
  // SCRIPT KILL (from kEval) / FUNCTION KILL (kFunction): stops the running script at its next
  // hook check, unless it has written; kOtherKind: the running script is of the other kind.
  KillResult Kill(ScriptRunner::Kind from = ScriptRunner::Kind::kEval);
  bool running() const {
    return eval_.running() || fn_.running();
  }
  // The runner of the running script, or nullptr.
  const ScriptRunner* running_runner() const;
  // The runner of a script past busy-reply-threshold, or nullptr: other clients get -BUSY.
  const ScriptRunner* timed_out_runner() const {
    const ScriptRunner* r = running_runner();
    return r != nullptr && r->timed_out() ? r : nullptr;
  }
  size_t cached_scripts() const {
    return shas_.size();
  }
  // Lua memory of EVAL's state (used_memory_lua) and of the functions' (used_memory_vm_functions).
  size_t memory_bytes() const {
    return eval_.memory_bytes();
  }
  size_t function_memory_bytes() const {
    return fn_.memory_bytes();
  }
  // Called from the hook while a script is over busy-reply-threshold (at most every 100k
  // instructions). The gateway serves the other Redis clients from it (Server::ServeWhileBusy);
  // tests set their own.
  void set_busy_callback(std::function<void()> cb);

 private:
  // Compiles `body` as script `sha` into the cache; false with the error reply in *error.
  bool Compile(const std::string& sha, std::string_view body, std::string* error);

  ScriptRunner eval_;
  ScriptRunner fn_;
  FunctionLibraries functions_{fn_};
  std::unordered_map<std::string, int> shas_;  // SHA-1 -> registry reference of the script
};

// SCRIPT KILL's / FUNCTION KILL's (from) reply for a Kill result, with Redis's texts.
void ReplyKill(resp::ReplyWriter& w, ScriptEngine::KillResult result, ScriptRunner::Kind from);

// The -BUSY error while a script of kind `running` is past busy-reply-threshold: it names the
// command that can stop it (SCRIPT KILL for EVAL, FUNCTION KILL for FCALL), as Redis does.
std::string_view BusyScriptError(ScriptRunner::Kind running);

}  // namespace kvgate::redis
