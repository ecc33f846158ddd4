#include "translate/redis/script_runner.h"

#include <lua.hpp>

#include <chrono>
#include <cstdlib>
#include <string>

#include "translate/redis/acl_check.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/front.h"
#include "translate/redis/function_lua.h"
#include "translate/redis/script_convert.h"
#include "translate/redis/script_lib.h"
#include "translate/redis/session.h"

namespace kvgate::redis {
namespace {

constexpr int kHookInstructions = 100000;
constexpr size_t kGcPeriod = 50;  // scripts between incremental collection steps

int64_t MonotonicMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

ScriptRunner::ScriptRunner(RedisFront& front, Kind kind) : front_(front), kind_(kind) {
  Open();
}

ScriptRunner::~ScriptRunner() {
  Close();
}

ScriptRunner& ScriptRunner::From(lua_State* L) {
  void* ud = nullptr;
  lua_getallocf(L, &ud);
  return *static_cast<ScriptRunner*>(ud);
}

// Counts Lua's memory; never fails (a failed allocation aborts), so allocating API calls never
// raise a Lua error through C++ frames. Past lua-maxmemory it only arms the hook for the next
// instruction, where raising an error unwinds no C++ frame (OverMemory).
void* ScriptRunner::Alloc(void* ud, void* ptr, size_t osize, size_t nsize) {
  auto* self = static_cast<ScriptRunner*>(ud);
  if (nsize == 0) {
    std::free(ptr);
    self->lua_bytes_ -= osize;
    return nullptr;
  }
  void* p = std::realloc(ptr, nsize);
  if (p == nullptr) std::abort();
  self->lua_bytes_ += nsize;
  self->lua_bytes_ -= ptr == nullptr ? 0 : osize;
  const uint64_t limit = self->front_.config().lua_max_memory;
  if (limit != 0 && self->lua_bytes_ > limit && !self->over_memory_ && self->L_ != nullptr) {
    self->over_memory_ = true;
    lua_sethook(self->L_, &ScriptRunner::Hook, LUA_MASKCOUNT, 1);
  }
  return p;
}

bool ScriptRunner::OverMemory(lua_State* L) {
  if (!over_memory_) return false;
  const uint64_t limit = front_.config().lua_max_memory;
  if (!over_memory_collected_) {
    over_memory_collected_ = true;
    lua_gc(L, LUA_GCCOLLECT, 0);  // garbage may be most of it
  }
  if (limit != 0 && lua_bytes_ > limit) return true;
  over_memory_ = false;
  over_memory_collected_ = false;
  lua_sethook(L, &ScriptRunner::Hook, LUA_MASKCOUNT, kHookInstructions);
  return false;
}

void ScriptRunner::Open() {
  L_ = lua_newstate(&ScriptRunner::Alloc, this);
  if (L_ == nullptr) std::abort();
  ScriptLibRefs refs = OpenScriptLibraries(L_, front_.config().version, kind_ == Kind::kEval);
  handler_ref_ = refs.handler;
  globals_ref_ = refs.globals;
  proxies_ref_ = refs.proxies;
  if (kind_ == Kind::kFunction) OpenFunctionLoadApi(L_, proxies_ref_);
  lua_sethook(L_, &ScriptRunner::Hook, LUA_MASKCOUNT, kHookInstructions);
  SeedRand(0);
}

void ScriptRunner::Close() {
  if (L_ != nullptr) lua_close(L_);
  L_ = nullptr;
}

void ScriptRunner::Reset() {
  Close();
  Open();
}

void ScriptRunner::SeedRand(int32_t seed) {
  rand_state_ = (static_cast<uint64_t>(static_cast<uint32_t>(seed)) << 16) | 0x330E;
}

int32_t ScriptRunner::NextRand() {
  rand_state_ = (rand_state_ * 0x5DEECE66DULL + 0xB) & ((1ULL << 48) - 1);
  return static_cast<int32_t>(rand_state_ >> 17);
}

void ScriptRunner::BeginLoad(FunctionLoad* load, int64_t timeout_ms) {
  loading_ = load;
  load_deadline_ms_ = timeout_ms > 0 ? MonotonicMs() + timeout_ms : 0;
}

int64_t ScriptRunner::running_ms() const {
  return run_ctx_ == nullptr ? 0 : MonotonicMs() - start_ms_;
}

void ScriptRunner::Run(CommandContext& ctx, const RunSpec& spec) {
  lua_State* L = L_;
  lua_settop(L, 0);
  lua_rawgeti(L, LUA_REGISTRYINDEX, handler_ref_);       // 1
  lua_rawgeti(L, LUA_REGISTRYINDEX, spec.function_ref);  // 2: the script
  // KEYS and ARGV: globals of an EVAL script, the arguments of a function.
  const bool eval = kind_ == Kind::kEval;
  if (eval) lua_rawgeti(L, LUA_REGISTRYINDEX, globals_ref_);
  for (int part = 0; part < 2; ++part) {
    const size_t from = part == 0 ? spec.first_key : spec.first_key + spec.numkeys;
    const size_t to = part == 0 ? spec.first_key + spec.numkeys : ctx.argc();
    if (eval) lua_pushstring(L, part == 0 ? "KEYS" : "ARGV");
    lua_createtable(L, static_cast<int>(to - from), 0);
    for (size_t i = from; i < to; ++i) {
      std::string_view a = ctx.arg(i);
      lua_pushlstring(L, a.data(), a.size());
      lua_rawseti(L, -2, static_cast<int>(i - from + 1));
    }
    if (eval) lua_rawset(L, -3);
  }
  if (eval) lua_pop(L, 1);

  run_ctx_ = &ctx;
  run_name_.assign(spec.name);
  read_only_ = spec.read_only;
  wrote_ = false;
  kill_ = false;
  timed_out_ = false;
  script_resp_ = 2;
  start_ms_ = MonotonicMs();
  RedisSession::DbSelection db = ctx.session.db_selection();
  const int status = lua_pcall(L, eval ? 0 : 2, 1, 1);
  ctx.session.restore_db_selection(std::move(db));
  run_ctx_ = nullptr;
  timed_out_ = false;
  if (over_memory_) {
    over_memory_collected_ = false;  // what the stopped script held is garbage now
    OverMemory(L);
  }
  if (status == 0) {
    WriteLuaValue(L, ctx.w, script_resp_);
  } else {
    ctx.w.Error(ErrorReply(run_name_));
  }
  lua_settop(L, 0);
  ClearProxies();
  if (++runs_ % kGcPeriod == 0) lua_gc(L, LUA_GCSTEP, static_cast<int>(kGcPeriod));
}

// The reply for the error a script raised (on top of the stack): the error table's err, and
// where the error was raised.
std::string ScriptRunner::ErrorReply(std::string_view name) {
  lua_State* L = L_;
  if (!lua_istable(L, -1)) {
    const char* msg = lua_tostring(L, -1);
    return "ERR Error running script " + std::string(name) + ", " +
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
    out.append(" script: ").append(name).append(", on ").append(source).append(":");
    out.append(std::to_string(static_cast<long long>(lua_tonumber(L, -1)))).append(".");
  }
  lua_pop(L, 2);
  return out;
}

// Proxies must stay empty: rawset is guarded, but table.insert and friends write raw.
void ScriptRunner::ClearProxies() {
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

bool ScriptRunner::KnowsCommand(std::string_view name) const {
  return CommandTable::Get().Find(name) != nullptr;
}

std::optional<bool> ScriptRunner::UserMayRun(std::span<const std::string_view> args) const {
  const CommandSpec* spec = CommandTable::Get().Find(args[0]);
  if (spec != nullptr && !spec->subcommands.empty() && args.size() >= 2) {
    spec = CommandTable::FindSub(*spec, args[1]);
  }
  if (spec == nullptr) return std::nullopt;
  if (run_ctx_ == nullptr) return true;
  return !CheckAcl(run_ctx_->session.user(), spec, args).denied.has_value();
}

void ScriptRunner::Hook(lua_State* L, lua_Debug*) {
  ScriptRunner& self = From(L);
  // No C++ object is alive in this frame: raising unwinds Lua frames only.
  if ((self.run_ctx_ != nullptr || self.loading_ != nullptr) && self.OverMemory(L)) {
    // A pcall may catch this; what its frames held is garbage then, so collect again first.
    self.over_memory_collected_ = false;
    RaiseError(L, "Script used more memory than lua-maxmemory allows");
  }
  if (self.loading_ != nullptr) {
    // No C++ object is alive in this frame.
    if (self.load_deadline_ms_ > 0 && MonotonicMs() > self.load_deadline_ms_) {
      RaiseError(L, "FUNCTION LOAD timeout");
    }
    return;
  }
  if (self.run_ctx_ == nullptr) return;
  if (!self.kill_ &&
      MonotonicMs() - self.start_ms_ >= self.front_.config().busy_reply_threshold_ms) {
    self.timed_out_ = true;
    if (self.busy_callback_) self.busy_callback_();
  }
  if (self.kill_) RaiseError(L, "Script killed by user with SCRIPT KILL...");
}

int ScriptRunner::CallCommand(lua_State* L, bool raise) {
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
  // Commands a script calls are checked as the calling user (Redis scriptVerifyACL).
  if (std::optional<std::string> denied = run_ctx_->session.CheckScriptAcl(spec, parent, args_)) {
    return fail(*denied);
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
