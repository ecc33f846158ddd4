#include "translate/redis/script_engine.h"

#include <lua.hpp>

#include <string>

#include "protocols/resp/number.h"
#include "translate/redis/command.h"
#include "translate/redis/errors.h"
#include "translate/redis/sha1.h"

namespace kvgate::redis {
namespace {

// Redis checks numkeys the same way for EVAL and FCALL, after parsing it; false after replying.
bool CheckNumkeys(CommandContext& ctx, int64_t numkeys) {
  if (numkeys > static_cast<int64_t>(ctx.argc() - 3)) {
    ctx.w.Error("ERR Number of keys can't be greater than number of args");
    return false;
  }
  if (numkeys < 0) {
    ctx.w.Error("ERR Number of keys can't be negative");
    return false;
  }
  return true;
}

}  // namespace

ScriptEngine::ScriptEngine(RedisFront& front)
    : eval_(front, ScriptRunner::Kind::kEval), fn_(front, ScriptRunner::Kind::kFunction) {
}

void ScriptEngine::set_busy_callback(std::function<void()> cb) {
  eval_.set_busy_callback(cb);
  fn_.set_busy_callback(std::move(cb));
}

void ScriptEngine::Flush() {
  eval_.Reset();
  shas_.clear();
}

bool ScriptEngine::Exists(std::string_view sha) const {
  return sha.size() == 40 && shas_.count(std::string(sha)) != 0;
}

bool ScriptEngine::Compile(const std::string& sha, std::string_view body, std::string* error) {
  lua_State* L = eval_.state();
  if (luaL_loadbuffer(L, body.data(), body.size(), "@user_script") != 0) {
    size_t len = 0;
    const char* msg = lua_tolstring(L, -1, &len);
    error->assign("ERR Error compiling script (new function): ");
    if (msg != nullptr) error->append(msg, len);
    lua_pop(L, 1);
    return false;
  }
  shas_[sha] = luaL_ref(L, LUA_REGISTRYINDEX);
  return true;
}

bool ScriptEngine::Load(std::string_view body, std::string* out) {
  std::string sha = Sha1Hex(body);
  if (!Exists(sha) && !Compile(sha, body, out)) return false;
  *out = std::move(sha);
  return true;
}

void ScriptEngine::Eval(CommandContext& ctx, bool by_sha, bool read_only) {
  int64_t numkeys = 0;
  if (!resp::ParseInt64(ctx.arg(2), &numkeys)) return ctx.w.Error(kNotInteger);
  if (!CheckNumkeys(ctx, numkeys)) return;
  std::string sha;
  if (by_sha) {
    sha.assign(ctx.arg(1));
    if (!Exists(sha)) return ctx.w.Error("NOSCRIPT No matching script. Please use EVAL.");
  } else {
    sha = Sha1Hex(ctx.arg(1));
    std::string error;
    if (!Exists(sha) && !Compile(sha, ctx.arg(1), &error)) return ctx.w.Error(error);
  }
  eval_.Run(ctx, {.name = sha,
                  .function_ref = shas_.at(sha),
                  .numkeys = static_cast<size_t>(numkeys),
                  .read_only = read_only});
}

// fcallCommandGeneric and scriptPrepareForRun's checks, in their order.
void ScriptEngine::Fcall(CommandContext& ctx, bool read_only) {
  const RegisteredFunction* fn = functions_.Find(ctx.arg(1));
  if (fn == nullptr) return ctx.w.Error("ERR Function not found");
  int64_t numkeys = 0;
  if (!resp::ParseInt64(ctx.arg(2), &numkeys)) {
    return ctx.w.Error("ERR Bad number of keys provided");
  }
  if (!CheckNumkeys(ctx, numkeys)) return;
  const bool no_writes = (fn->flags & kFnNoWrites) != 0;
  if (!no_writes && read_only) {
    return ctx.w.Error("ERR Can not execute a script with write flag using *_ro command.");
  }
  fn_.Run(ctx, {.name = fn->name,
                .function_ref = fn->ref,
                .numkeys = static_cast<size_t>(numkeys),
                .read_only = read_only || no_writes});
}

const ScriptRunner* ScriptEngine::running_runner() const {
  if (eval_.running()) return &eval_;
  if (fn_.running()) return &fn_;
  return nullptr;
}

ScriptEngine::KillResult ScriptEngine::Kill(ScriptRunner::Kind from) {
  ScriptRunner* r = eval_.running() ? &eval_ : fn_.running() ? &fn_ : nullptr;
  if (r == nullptr) return KillResult::kNotBusy;
  if (r->wrote()) return KillResult::kUnkillable;
  if (r->kind() != from) return KillResult::kOtherKind;
  r->RequestKill();
  return KillResult::kKilled;
}

void ReplyKill(resp::ReplyWriter& w, ScriptEngine::KillResult result, ScriptRunner::Kind from) {
  switch (result) {
    case ScriptEngine::KillResult::kNotBusy:
      return w.Error("NOTBUSY No scripts in execution right now.");
    case ScriptEngine::KillResult::kUnkillable:
      return w.Error(
          "UNKILLABLE Sorry the script already executed write commands against the dataset. "
          "You can either wait the script termination or kill the server in a hard way using "
          "the SHUTDOWN NOSAVE command.");
    case ScriptEngine::KillResult::kOtherKind:
      // The running script is of the other kind: name the command that can kill it.
      return w.Error(BusyScriptError(from == ScriptRunner::Kind::kEval
                                         ? ScriptRunner::Kind::kFunction
                                         : ScriptRunner::Kind::kEval));
    case ScriptEngine::KillResult::kKilled:
      return w.Ok();
  }
}

std::string_view BusyScriptError(ScriptRunner::Kind running) {
  return running == ScriptRunner::Kind::kEval
             ? "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN "
               "NOSAVE."
             : "BUSY Redis is busy running a script. You can only call FUNCTION KILL or "
               "SHUTDOWN NOSAVE.";
}

}  // namespace kvgate::redis
