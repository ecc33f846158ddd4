#include "translate/redis/script_engine.h"

#include <lua.hpp>

#include <chrono>
#include <cstdlib>
#include <string>

#include "protocols/resp/number.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/script_convert.h"
#include "translate/redis/script_lib.h"
#include "translate/redis/session.h"
#include "translate/redis/sha1.h"

namespace kvgate::redis {
namespace {

constexpr int kHookInstructions = 100000;
constexpr size_t kGcPeriod = 50;  // scripts between incremental collection steps

int64_t MonotonicMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

bool IsSha(std::string_view s) {
  return s.size() == 40;
}

}  // namespace

ScriptEngine::ScriptEngine(RedisFront& front) : front_(front) {
  Open();
}

ScriptEngine::~ScriptEngine() {
  Close();
}

ScriptEngine& ScriptEngine::From(lua_State* L) {
  void* ud = nullptr;
  lua_getallocf(L, &ud);
  return *static_cast<ScriptEngine*>(ud);
}

// Counts Lua's memory; never fails (a failed allocation aborts), so allocating API calls never
// raise a Lua error through C++ frames.
void* ScriptEngine::Alloc(void* ud, void* ptr, size_t osize, size_t nsize) {
  auto* self = static_cast<ScriptEngine*>(ud);
  if (nsize == 0) {
    std::free(ptr);
    self->lua_bytes_ -= osize;
    return nullptr;
  }
  void* p = std::realloc(ptr, nsize);
  if (p == nullptr) std::abort();
  self->lua_bytes_ += nsize;
  self->lua_bytes_ -= ptr == nullptr ? 0 : osize;
  return p;
}

void ScriptEngine::Open() {
  L_ = lua_newstate(&ScriptEngine::Alloc, this);
  if (L_ == nullptr) std::abort();
  ScriptLibRefs refs = OpenScriptLibraries(L_, front_.config().version);
  handler_ref_ = refs.handler;
  globals_ref_ = refs.globals;
  proxies_ref_ = refs.proxies;
  lua_newtable(L_);
  scripts_ref_ = luaL_ref(L_, LUA_REGISTRYINDEX);
  lua_sethook(L_, &ScriptEngine::Hook, LUA_MASKCOUNT, kHookInstructions);
  cached_ = 0;
  SeedRand(0);
}

void ScriptEngine::Close() {
  if (L_ != nullptr) lua_close(L_);
  L_ = nullptr;
}

void ScriptEngine::Flush() {
  Close();
  Open();
}

const std::string& ScriptEngine::version() const {
  return front_.config().version;
}

void ScriptEngine::SeedRand(int32_t seed) {
  rand_state_ = (static_cast<uint64_t>(static_cast<uint32_t>(seed)) << 16) | 0x330E;
}

int32_t ScriptEngine::NextRand() {
  rand_state_ = (rand_state_ * 0x5DEECE66DULL + 0xB) & ((1ULL << 48) - 1);
  return static_cast<int32_t>(rand_state_ >> 17);
}

bool ScriptEngine::Exists(std::string_view sha) {
  if (!IsSha(sha)) return false;
  lua_rawgeti(L_, LUA_REGISTRYINDEX, scripts_ref_);
  lua_pushlstring(L_, sha.data(), sha.size());
  lua_rawget(L_, -2);
  const bool found = lua_isfunction(L_, -1);
  lua_pop(L_, 2);
  return found;
}

bool ScriptEngine::Compile(std::string_view sha, std::string_view body, std::string* error) {
  if (luaL_loadbuffer(L_, body.data(), body.size(), "@user_script") != 0) {
    size_t len = 0;
    const char* msg = lua_tolstring(L_, -1, &len);
    error->assign("ERR Error compiling script (new function): ");
    if (msg != nullptr) error->append(msg, len);
    lua_pop(L_, 1);
    return false;
  }
  lua_rawgeti(L_, LUA_REGISTRYINDEX, scripts_ref_);
  lua_pushlstring(L_, sha.data(), sha.size());
  lua_pushvalue(L_, -3);
  lua_rawset(L_, -3);
  lua_pop(L_, 2);
  ++cached_;
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
  if (numkeys > static_cast<int64_t>(ctx.argc() - 3)) {
    return ctx.w.Error("ERR Number of keys can't be greater than number of args");
  }
  if (numkeys < 0) return ctx.w.Error("ERR Number of keys can't be negative");
  std::string sha;
  if (by_sha) {
    sha.assign(ctx.arg(1));
    if (!Exists(sha)) return ctx.w.Error("NOSCRIPT No matching script. Please use EVAL.");
  } else {
    sha = Sha1Hex(ctx.arg(1));
    std::string error;
    if (!Exists(sha) && !Compile(sha, ctx.arg(1), &error)) return ctx.w.Error(error);
  }
  Run(ctx, sha, static_cast<size_t>(numkeys), read_only);
}

void ScriptEngine::Run(CommandContext& ctx, const std::string& sha, size_t numkeys,
                       bool read_only) {
  lua_State* L = L_;
  lua_settop(L, 0);
  lua_rawgeti(L, LUA_REGISTRYINDEX, handler_ref_);  // 1
  lua_rawgeti(L, LUA_REGISTRYINDEX, scripts_ref_);
  lua_pushlstring(L, sha.data(), sha.size());
  lua_rawget(L, -2);
  lua_remove(L, -2);  // 2: the script
  // KEYS and ARGV, fresh tables in the real globals.
  lua_rawgeti(L, LUA_REGISTRYINDEX, globals_ref_);
  for (int part = 0; part < 2; ++part) {
    const size_t from = part == 0 ? 3 : 3 + numkeys;
    const size_t to = part == 0 ? 3 + numkeys : ctx.argc();
    lua_pushstring(L, part == 0 ? "KEYS" : "ARGV");
    lua_createtable(L, static_cast<int>(to - from), 0);
    for (size_t i = from; i < to; ++i) {
      std::string_view a = ctx.arg(i);
      lua_pushlstring(L, a.data(), a.size());
      lua_rawseti(L, -2, static_cast<int>(i - from + 1));
    }
    lua_rawset(L, -3);
  }
  lua_pop(L, 1);

  run_ctx_ = &ctx;
  read_only_ = read_only;
  wrote_ = false;
  kill_ = false;
  script_resp_ = 2;
  start_ms_ = MonotonicMs();
  RedisSession::DbSelection db = ctx.session.db_selection();
  const int status = lua_pcall(L, 0, 1, 1);
  ctx.session.restore_db_selection(std::move(db));
  run_ctx_ = nullptr;
  if (status == 0) {
    WriteLuaValue(L, ctx.w, script_resp_);
  } else {
    ctx.w.Error(ErrorReply(sha));
  }
  lua_settop(L, 0);
  ClearProxies();
  if (++runs_ % kGcPeriod == 0) lua_gc(L, LUA_GCSTEP, static_cast<int>(kGcPeriod));
}

// The reply for the error a script raised (on top of the stack): the error table's err, and
// where the error was raised.
std::string ScriptEngine::ErrorReply(const std::string& sha) {
  lua_State* L = L_;
  if (!lua_istable(L, -1)) {
    const char* msg = lua_tostring(L, -1);
    return "ERR Error running script " + sha + ", " +
           std::string(msg == nullptr ? "execution failure" : msg).substr(0, 100);
  }
  std::string out;
  lua_pushstring(L, "err");
  lua_rawget(L, -2);
  if (const char* err = lua_tostring(L, -1)) {
    out.assign(err);
  } else {
    out.assign("ERR unknown error");
  }
  lua_pop(L, 1);
  lua_pushstring(L, "source");
  lua_rawget(L, -2);
  lua_pushstring(L, "line");
  lua_rawget(L, -3);
  const char* source = lua_tostring(L, -2);
  if (source != nullptr && lua_isnumber(L, -1)) {
    out.append(" script: ").append(sha).append(", on ").append(source).append(":");
    out.append(std::to_string(static_cast<long long>(lua_tonumber(L, -1)))).append(".");
  }
  lua_pop(L, 2);
  return out;
}

// Proxies must stay empty: rawset is guarded, but table.insert and friends write raw.
void ScriptEngine::ClearProxies() {
  lua_State* L = L_;
  lua_rawgeti(L, LUA_REGISTRYINDEX, proxies_ref_);
  lua_pushnil(L);
  while (lua_next(L, -2) != 0) {
    lua_pop(L, 1);
    lua_pushnil(L);
    if (lua_next(L, -2) != 0) {  // the proxy holds a raw key: empty it
      lua_pop(L, 2);
      for (;;) {
        lua_pushnil(L);
        if (lua_next(L, -2) == 0) break;
        lua_pop(L, 1);
        lua_pushnil(L);
        lua_rawset(L, -3);
      }
    }
  }
  lua_pop(L, 1);
}

bool ScriptEngine::KnowsCommand(std::string_view name) const {
  return CommandTable::Get().Find(name) != nullptr;
}

ScriptEngine::KillResult ScriptEngine::Kill() {
  if (run_ctx_ == nullptr) return KillResult::kNotBusy;
  if (wrote_) return KillResult::kUnkillable;
  kill_ = true;
  return KillResult::kKilled;
}

void ScriptEngine::Hook(lua_State* L, lua_Debug*) {
  ScriptEngine& self = From(L);
  if (self.run_ctx_ == nullptr) return;
  if (!self.kill_ && self.busy_callback_ &&
      MonotonicMs() - self.start_ms_ >= self.front_.config().busy_reply_threshold_ms) {
    self.busy_callback_();
  }
  if (self.kill_) {
    // No C++ object is alive in this frame.
    RaiseError(L, "Script killed by user with SCRIPT KILL...");
  }
}

int ScriptEngine::CallCommand(lua_State* L, bool raise) {
  // Every error below is pushed as an error table; redis.call raises it, redis.pcall returns it.
  auto fail = [&](std::string_view text) {
    PushErrorTable(L, text);
    return raise ? -1 : 1;
  };
  if (run_ctx_ == nullptr)
    return fail("redis.call/pcall can only be called inside a script invocation");
  const int argc = lua_gettop(L);
  if (argc == 0) return fail("Please specify at least one argument for this redis lib call");
  args_.clear();
  numbers_.clear();
  for (int i = 1; i <= argc; ++i) {
    const int type = lua_type(L, i);
    if (type == LUA_TNUMBER) {
      char buf[64];
      numbers_.emplace_back(FormatLuaNumber(lua_tonumber(L, i), buf));
      args_.push_back(numbers_.back());
    } else if (type == LUA_TSTRING) {
      size_t len = 0;
      const char* s = lua_tolstring(L, i, &len);  // stays alive: it is on the stack
      args_.emplace_back(s, len);
    } else {
      return fail("Lua redis lib command arguments must be strings or integers");
    }
  }
  const CommandSpec* spec = CommandTable::Get().Find(args_[0]);
  const CommandSpec* parent = nullptr;
  if (spec != nullptr && !spec->subcommands.empty() && args_.size() >= 2) {
    parent = spec;
    spec = CommandTable::FindSub(*parent, args_[1]);
  }
  if (spec == nullptr) return fail("Unknown Redis command called from script");
  const int n = static_cast<int>(args_.size());
  if ((spec->arity > 0 && n != spec->arity) || n < -spec->arity || spec->handler == nullptr) {
    return fail("Wrong number of args calling Redis command from script");
  }
  if (spec->flags & kNoScript) {
    return fail("This Redis command is not allowed from script");
  }
  if (spec->flags & (kWrite | kMayReplicate)) {
    if (read_only_) return fail("Write commands are not allowed from read-only scripts.");
    wrote_ = true;
  }
  CommandContext& outer = *run_ctx_;
  RedisSession& session = outer.session;
  capture_.Clear();
  resp::ReplyWriter w(&capture_, script_resp_);
  ++front_.stats().commands_processed;
  front_.BeginCommand(&session);
  CommandContext ctx{session, front_, args_, w, spec, parent, outer.now_ms};
  spec->handler(ctx);
  TrackingState& tracking = session.tracking();
  if (tracking.on && (spec->flags & kReadOnly) && !(tracking.options & kTrackBcast)) {
    front_.tracking().RememberKeys(session, *spec, args_);
  }
  front_.EndCommand();
  if (session.suspended()) {
    // A store that answers later: its change still completes, but a script cannot wait.
    session.AbandonSuspended();
    return fail("This command cannot complete inside a script with this store");
  }
  std::string_view reply;
  bool one_chunk = true;
  size_t chunks = 0;
  capture_.ForEachChunk([&](std::string_view chunk) {
    if (chunks++ == 0) {
      reply = chunk;
      return true;
    }
    one_chunk = false;
    return false;
  });
  if (!one_chunk) {
    capture_copy_ = capture_.ToString();
    reply = capture_copy_;
  }
  if (!PushRespReply(L, reply)) return fail("Unparsable reply from the command");
  if (raise && !reply.empty() && reply[0] == '-') return -1;
  return 1;
}

}  // namespace kvgate::redis
