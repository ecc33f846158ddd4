// Lua scripts: EVAL EVALSHA EVAL_RO EVALSHA_RO and SCRIPT LOAD/EXISTS/FLUSH/KILL/HELP, run by
// the front's script engine (script_engine.h) as redis-server 7.0 runs them.
#include <iterator>
#include <string>

#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/front.h"
#include "translate/redis/script_engine.h"

namespace kvgate::redis {
namespace {

void EvalCmd(CommandContext& ctx) {
  ctx.front.scripts().Eval(ctx, /*by_sha=*/false, /*read_only=*/false);
}
void EvalShaCmd(CommandContext& ctx) {
  ctx.front.scripts().Eval(ctx, /*by_sha=*/true, /*read_only=*/false);
}
void EvalRoCmd(CommandContext& ctx) {
  ctx.front.scripts().Eval(ctx, /*by_sha=*/false, /*read_only=*/true);
}
void EvalShaRoCmd(CommandContext& ctx) {
  ctx.front.scripts().Eval(ctx, /*by_sha=*/true, /*read_only=*/true);
}

void LoadCmd(CommandContext& ctx) {
  std::string out;
  if (!ctx.front.scripts().Load(ctx.arg(2), &out)) return ctx.w.Error(out);
  ctx.w.Bulk(out);
}

void ExistsCmd(CommandContext& ctx) {
  ScriptEngine& scripts = ctx.front.scripts();
  ctx.w.ArrayHeader(ctx.argc() - 2);
  for (size_t i = 2; i < ctx.argc(); ++i) ctx.w.Integer(scripts.Exists(ctx.arg(i)) ? 1 : 0);
}

void FlushCmd(CommandContext& ctx) {
  if (ctx.argc() > 3 || (ctx.argc() == 3 && !EqualsIgnoreCase(ctx.arg(2), "sync") &&
                         !EqualsIgnoreCase(ctx.arg(2), "async"))) {
    return ctx.w.Error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
  }
  // ASYNC frees the old state at once too: a Lua state is freed in one go either way.
  if (ScriptEngine* scripts = ctx.front.scripts_if_open()) scripts->Flush();
  ctx.w.Ok();
}

void KillCmd(CommandContext& ctx) {
  ScriptEngine* scripts = ctx.front.scripts_if_open();
  ReplyKill(ctx.w, scripts == nullptr ? ScriptEngine::KillResult::kNotBusy : scripts->Kill(),
            ScriptRunner::Kind::kEval);
}

void HelpCmd(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "DEBUG (YES|SYNC|NO)",
      "    Set the debug mode for subsequent scripts executed.",
      "EXISTS <sha1> [<sha1> ...]",
      "    Return information about the existence of the scripts in the script cache.",
      "FLUSH [ASYNC|SYNC]",
      "    Flush the Lua scripts cache. Very dangerous on replicas.",
      "    When called without the optional mode argument, the behavior is determined by the",
      "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
      "    * ASYNC: Asynchronously flush the scripts cache.",
      "    * SYNC: Synchronously flush the scripts cache.",
      "KILL",
      "    Kill the currently executing Lua script.",
      "LOAD <script>",
      "    Load a script into the scripts cache without executing it.",
      "HELP",
      "    Prints this help.",
  };
  ctx.w.ArrayHeader(std::size(kLines));
  for (std::string_view l : kLines) ctx.w.SimpleString(l);
}

// The Lua debugger (LDB) is not implemented: SCRIPT DEBUG NO is accepted, YES/SYNC refused.
void DebugCmd(CommandContext& ctx) {
  if (EqualsIgnoreCase(ctx.arg(2), "no")) return ctx.w.Ok();
  if (EqualsIgnoreCase(ctx.arg(2), "yes") || EqualsIgnoreCase(ctx.arg(2), "sync")) {
    return ctx.w.Error("ERR SCRIPT DEBUG (the Lua debugger) is not supported by kvgate");
  }
  ctx.w.Error("ERR Use SCRIPT DEBUG YES/SYNC/NO");
}

constexpr uint32_t kEval = kNoScript | kStale;

constexpr CommandSpec kScriptSubcommands[] = {
    {"debug", 3, kNoScript, DebugCmd},
    {"exists", -3, kNoScript | kStale, ExistsCmd},
    {"flush", -2, kNoScript, FlushCmd},
    {"help", 2, kLoading | kStale, HelpCmd},
    {"kill", 2, kNoScript | kAllowBusy, KillCmd},
    {"load", 3, kNoScript | kStale, LoadCmd},
};

constexpr CommandSpec kCommands[] = {
    {"eval", -3, kEval, EvalCmd},
    {"evalsha", -3, kEval, EvalShaCmd},
    {"eval_ro", -3, kEval | kReadOnly, EvalRoCmd},
    {"evalsha_ro", -3, kEval | kReadOnly, EvalShaRoCmd},
    Container("script", -2, 0, kScriptSubcommands),
};

}  // namespace

std::span<const CommandSpec> ScriptCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
