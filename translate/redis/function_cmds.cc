// Redis 7.0 functions: FCALL FCALL_RO and FUNCTION LOAD/DELETE/LIST/FLUSH/DUMP/RESTORE/STATS/
// KILL/HELP, over the front's function libraries (function_library.h), with redis-server's
// replies and error texts.
#include <iterator>
#include <string>

#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/glob.h"
#include "translate/redis/script_engine.h"

namespace kvgate::redis {
namespace {

constexpr int64_t kLoadTimeoutMs = 500;  // functions.c LOAD_TIMEOUT_MS

FunctionLibraries& Libraries(CommandContext& ctx) {
  return ctx.front.scripts().functions();
}

void FcallCmd(CommandContext& ctx) {
  ctx.front.scripts().Fcall(ctx, /*read_only=*/false);
}
void FcallRoCmd(CommandContext& ctx) {
  ctx.front.scripts().Fcall(ctx, /*read_only=*/true);
}

// FUNCTION LOAD [REPLACE] code: every argument before the code must be REPLACE.
void LoadCmd(CommandContext& ctx) {
  bool replace = false;
  size_t pos = 2;
  while (pos < ctx.argc() - 1) {
    std::string_view opt = ctx.arg(pos++);
    if (EqualsIgnoreCase(CString(opt), "replace")) {
      replace = true;
      continue;
    }
    return ctx.w.Error("ERR Unknown option given: " + std::string(CString(opt)));
  }
  std::string out;
  if (!Libraries(ctx).Load(ctx.arg(pos), replace, kLoadTimeoutMs, &out)) return ctx.w.Error(out);
  ctx.front.SaveFunctions();
  ctx.w.Bulk(out);
}

void DeleteCmd(CommandContext& ctx) {
  if (!Libraries(ctx).Delete(ctx.arg(2))) return ctx.w.Error("ERR Library not found");
  ctx.front.SaveFunctions();
  ctx.w.Ok();
}

void WriteFlags(resp::ReplyWriter& w, uint32_t flags) {
  size_t n = 0;
  for (const FunctionFlagName& f : kFunctionFlagNames) n += (flags & f.flag) != 0;
  w.SetHeader(n);
  for (const FunctionFlagName& f : kFunctionFlagNames) {
    if (flags & f.flag) w.SimpleString(f.name);
  }
}

// FUNCTION LIST [LIBRARYNAME pattern] [WITHCODE], each option at most once.
void ListCmd(CommandContext& ctx) {
  bool with_code = false;
  bool filtered = false;
  std::string_view pattern;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    std::string_view a = CString(ctx.arg(i));
    if (!with_code && EqualsIgnoreCase(a, "withcode")) {
      with_code = true;
      continue;
    }
    if (!filtered && EqualsIgnoreCase(a, "libraryname")) {
      if (i >= ctx.argc() - 1) return ctx.w.Error("ERR library name argument was not given");
      pattern = ctx.arg(++i);
      filtered = true;
      continue;
    }
    return ctx.w.Error("ERR Unknown argument " + std::string(a));
  }
  const auto& libs = Libraries(ctx).libraries();
  auto matches = [&](const FunctionLibrary& lib) {
    return !filtered || GlobMatch(pattern, lib.name, /*nocase=*/true);
  };
  size_t n = 0;
  for (const auto& [name, lib] : libs) n += matches(lib);
  ctx.w.ArrayHeader(n);
  for (const auto& [name, lib] : libs) {
    if (!matches(lib)) continue;
    ctx.w.MapHeader(with_code ? 4 : 3);
    ctx.w.Bulk("library_name");
    ctx.w.Bulk(lib.name);
    ctx.w.Bulk("engine");
    ctx.w.Bulk("LUA");
    ctx.w.Bulk("functions");
    ctx.w.ArrayHeader(lib.functions.size());
    for (const RegisteredFunction& f : lib.functions) {
      ctx.w.MapHeader(3);
      ctx.w.Bulk("name");
      ctx.w.Bulk(f.name);
      ctx.w.Bulk("description");
      if (f.description) {
        ctx.w.Bulk(*f.description);
      } else {
        ctx.w.Null();
      }
      ctx.w.Bulk("flags");
      WriteFlags(ctx.w, f.flags);
    }
    if (with_code) {
      ctx.w.Bulk("library_code");
      ctx.w.Bulk(lib.code);
    }
  }
}

void FlushCmd(CommandContext& ctx) {
  if (ctx.argc() > 3) return ReplySubcommandSyntax(ctx.w, ctx.arg(1), "FUNCTION");
  if (ctx.argc() == 3 && !EqualsIgnoreCase(CString(ctx.arg(2)), "sync") &&
      !EqualsIgnoreCase(CString(ctx.arg(2)), "async")) {
    return ctx.w.Error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
  }
  // ASYNC frees at once too: the libraries are freed in one go either way.
  if (ScriptEngine* scripts = ctx.front.scripts_if_open()) {
    scripts->functions().Flush();
    ctx.front.SaveFunctions();
  }
  ctx.w.Ok();
}

void DumpCmd(CommandContext& ctx) {
  ctx.w.Bulk(Libraries(ctx).Dump());
}

void RestoreCmd(CommandContext& ctx) {
  if (ctx.argc() > 4) return ReplySubcommandSyntax(ctx.w, ctx.arg(1), "FUNCTION");
  using Policy = FunctionLibraries::RestorePolicy;
  Policy policy = Policy::kAppend;
  if (ctx.argc() == 4) {
    std::string_view p = CString(ctx.arg(3));
    if (EqualsIgnoreCase(p, "append")) {
      policy = Policy::kAppend;
    } else if (EqualsIgnoreCase(p, "replace")) {
      policy = Policy::kReplace;
    } else if (EqualsIgnoreCase(p, "flush")) {
      policy = Policy::kFlush;
    } else {
      return ctx.w.Error(
          "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
    }
  }
  std::string error;
  if (!Libraries(ctx).Restore(ctx.arg(2), policy, &error)) return ctx.w.Error(error);
  ctx.front.SaveFunctions();
  ctx.w.Ok();
}

void StatsCmd(CommandContext& ctx) {
  ScriptEngine& scripts = ctx.front.scripts();
  const ScriptRunner* running = scripts.running_runner();
  if (running != nullptr && running->kind() == ScriptRunner::Kind::kEval) {
    return ctx.w.Error(BusyScriptError(ScriptRunner::Kind::kEval));
  }
  ctx.w.MapHeader(2);
  ctx.w.Bulk("running_script");
  if (running == nullptr) {
    ctx.w.Null();
  } else {
    ctx.w.MapHeader(3);
    ctx.w.Bulk("name");
    ctx.w.Bulk(running->running_name());
    ctx.w.Bulk("command");
    const CommandContext* caller = running->running_ctx();
    ctx.w.ArrayHeader(caller->argc());
    for (std::string_view a : caller->args) ctx.w.Bulk(a);
    ctx.w.Bulk("duration_ms");
    ctx.w.Integer(running->running_ms());
  }
  ctx.w.Bulk("engines");
  ctx.w.MapHeader(1);
  ctx.w.Bulk("LUA");
  ctx.w.MapHeader(2);
  ctx.w.Bulk("libraries_count");
  ctx.w.Integer(static_cast<int64_t>(scripts.functions().libraries().size()));
  ctx.w.Bulk("functions_count");
  ctx.w.Integer(static_cast<int64_t>(scripts.functions().function_count()));
}

void KillCmd(CommandContext& ctx) {
  ScriptEngine* scripts = ctx.front.scripts_if_open();
  ReplyKill(ctx.w,
            scripts == nullptr ? ScriptEngine::KillResult::kNotBusy
                               : scripts->Kill(ScriptRunner::Kind::kFunction),
            ScriptRunner::Kind::kFunction);
}

void HelpCmd(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "LOAD [REPLACE] <FUNCTION CODE>",
      "    Create a new library with the given library name and code.",
      "DELETE <LIBRARY NAME>",
      "    Delete the given library.",
      "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
      "    Return general information on all the libraries:",
      "    * Library name",
      "    * The engine used to run the Library",
      "    * Library description",
      "    * Functions list",
      "    * Library code (if WITHCODE is given)",
      "    It also possible to get only function that matches a pattern using LIBRARYNAME "
      "argument.",
      "STATS",
      "    Return information about the current function running:",
      "    * Function name",
      "    * Command used to run the function",
      "    * Duration in MS that the function is running",
      "    If no function is running, return nil",
      "    In addition, returns a list of available engines.",
      "KILL",
      "    Kill the current running function.",
      "FLUSH [ASYNC|SYNC]",
      "    Delete all the libraries.",
      "    When called without the optional mode argument, the behavior is determined by the",
      "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
      "    * ASYNC: Asynchronously flush the libraries.",
      "    * SYNC: Synchronously flush the libraries.",
      "DUMP",
      "    Return a serialized payload representing the current libraries, can be restored "
      "using FUNCTION RESTORE command",
      "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
      "    Restore the libraries represented by the given payload, it is possible to give a "
      "restore policy to",
      "    control how to handle existing libraries (default APPEND):",
      "    * FLUSH: delete all existing libraries.",
      "    * APPEND: appends the restored libraries to the existing libraries. On collision, "
      "abort.",
      "    * REPLACE: appends the restored libraries to the existing libraries, On collision, "
      "replace the old",
      "      libraries with the new libraries (notice that even on this option there is a "
      "chance of failure",
      "      in case of functions name collision with another library).",
      "HELP",
      "    Prints this help.",
  };
  ctx.w.ArrayHeader(std::size(kLines));
  for (std::string_view l : kLines) ctx.w.SimpleString(l);
}

constexpr uint32_t kFcall = kNoScript | kStale;  // as EVAL (script_cmds.cc)

constexpr CommandSpec kFunctionSubcommands[] = {
    {"delete", 3, kWrite | kNoScript, DeleteCmd},   {"dump", 2, kNoScript, DumpCmd},
    {"flush", -2, kWrite | kNoScript, FlushCmd},    {"help", 2, kLoading | kStale, HelpCmd},
    {"kill", 2, kNoScript | kAllowBusy, KillCmd},   {"list", -2, kNoScript, ListCmd},
    {"load", -3, kWrite | kNoScript, LoadCmd},      {"restore", -3, kWrite | kNoScript, RestoreCmd},
    {"stats", 2, kNoScript | kAllowBusy, StatsCmd},
};

constexpr CommandSpec kCommands[] = {
    {"fcall", -3, kFcall, FcallCmd},
    {"fcall_ro", -3, kFcall | kReadOnly, FcallRoCmd},
    Container("function", -2, 0, kFunctionSubcommands),
};

}  // namespace

std::span<const CommandSpec> FunctionCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
