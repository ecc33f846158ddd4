// File: translate/redis/function_library.h
// FUNCTION libraries as redis-server 7.0's functions.c keeps them: a library is its source,
// "#!lua name=<lib>" then Lua code that registers functions when it is loaded (function_lua.h);
// libraries are found by exact name, functions by name without regard to case, every function
// name is unique across libraries. Loading checks, in Redis's order: the shebang (engine LUA,
// name=...), the library name, the engine, an existing library (REPLACE), compiling and running
// the body (500 ms limit for FUNCTION LOAD), at least one function, no name clash. FUNCTION
// DUMP / RESTORE carry libraries in Redis's RDB form (RDB_OPCODE_FUNCTION2 + the code, then
// the DUMP footer; the pre-GA RDB_OPCODE_FUNCTION form is read too).
//
//   FunctionLibraries libs(runner);   // runner: a ScriptRunner of Kind::kFunction
//   std::string out;
//   libs.Load("#!lua name=lib\nredis.register_function('f', function() return 1 end)",
//             /*replace=*/false, /*timeout_ms=*/500, &out);   // out == "lib"
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "translate/redis/function_lua.h"

namespace kvgate::redis {

class ScriptRunner;

struct FunctionLibrary {
  std::string name;
  std::string code;  // the whole source, shebang included
  std::vector<RegisteredFunction> functions;
};

class FunctionLibraries {
 public:
  explicit FunctionLibraries(ScriptRunner& runner) : runner_(runner) {
  }
  FunctionLibraries(const FunctionLibraries&) = delete;
  FunctionLibraries& operator=(const FunctionLibraries&) = delete;

  // FUNCTION LOAD: *out is the library's name, or the error reply's text.
  bool Load(std::string_view code, bool replace, int64_t timeout_ms, std::string* out);
  // FUNCTION DELETE: false if there is no such library.
  bool Delete(std::string_view name);
  // FUNCTION FLUSH.
  void Flush();
  // FUNCTION DUMP's payload.
  std::string Dump() const;
  enum class RestorePolicy { kAppend, kReplace, kFlush };
  // FUNCTION RESTORE: false with the error reply's text in *error.
  bool Restore(std::string_view payload, RestorePolicy policy, std::string* error);

  // Redis loads a restored library's body without a time limit (a body that never ends hangs
  // the server); the fuzzer sets one.
  void set_restore_timeout_ms(int64_t ms) {
    restore_timeout_ms_ = ms;
  }

  const RegisteredFunction* Find(std::string_view function) const;
  // Libraries by name (FUNCTION LIST).
  const std::map<std::string, FunctionLibrary>& libraries() const {
    return set_.libraries;
  }
  size_t function_count() const;
  // Memory held outside Lua: names, descriptions and code (used_memory_functions).
  size_t overhead_bytes() const;

 private:
  struct Set {
    std::map<std::string, FunctionLibrary> libraries;
    std::map<std::string, std::string> functions;  // lower-cased function name -> library
  };
  // functionsCreateWithLibraryCtx: loads `code` into `set`; *out as for Load.
  bool Create(Set& set, std::string_view code, bool replace, int64_t timeout_ms, std::string* out);
  // Compiles and runs a library's body; false with the error in *error.
  bool RunBody(std::string_view body, int64_t timeout_ms, FunctionLoad* load, std::string* error);
  // libraryJoin: moves `from`'s libraries into set_; false (set_ unchanged) on a clash.
  bool Join(Set& from, bool replace, std::string* error);
  static void Link(Set& set, FunctionLibrary lib);
  static FunctionLibrary Unlink(Set& set, std::string_view name);
  void Release(FunctionLibrary& lib);
  void Clear(Set& set);

  ScriptRunner& runner_;
  Set set_;
  int64_t restore_timeout_ms_ = 0;
};

}  // namespace kvgate::redis
