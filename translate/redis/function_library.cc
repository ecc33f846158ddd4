#include "translate/redis/function_library.h"

#include <lua.hpp>

#include <optional>
#include <utility>

#include "protocols/ascii.h"
#include "protocols/rdb/rdb_format.h"
#include "protocols/resp/detail/inline_split.h"
#include "translate/redis/script_runner.h"

namespace kvgate::redis {
namespace {

constexpr uint8_t kOpcodeFunction = 246;   // RDB_OPCODE_FUNCTION: 7.0 release candidates
constexpr uint8_t kOpcodeFunction2 = 245;  // RDB_OPCODE_FUNCTION2

std::string LowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = protocols::AsciiLower(c);
  return out;
}

// sdssplitargs, as Redis splits the shebang line: the inline-command splitter, which follows it
// (a NUL ends the line there too). nullopt when quotes are unbalanced.
std::optional<std::vector<std::string>> SplitArgs(std::string_view line) {
  std::string arena;
  std::vector<std::pair<size_t, size_t>> spans;
  if (!resp::detail::SplitInline(line, &arena, &spans)) return std::nullopt;
  std::vector<std::string> out;
  out.reserve(spans.size());
  for (const auto& [offset, length] : spans) out.emplace_back(arena, offset, length);
  return out;
}

struct Metadata {
  std::string engine;
  std::string name;
  std::string_view body;  // from the shebang's newline on, so line numbers stay the source's
};

// functionExtractLibMetaData. Redis reads the code as a C string: it ends at a NUL.
bool ExtractMetadata(std::string_view code, Metadata* md, std::string* error) {
  const std::string_view text = code.substr(0, code.find('\0'));
  if (text.substr(0, 2) != "#!") return *error = "ERR Missing library metadata", false;
  const size_t nl = text.find('\n');
  if (nl == std::string_view::npos) return *error = "ERR Invalid library metadata", false;
  std::optional<std::vector<std::string>> parts = SplitArgs(text.substr(0, nl));
  if (!parts || parts->empty()) return *error = "ERR Invalid library metadata", false;
  md->engine = (*parts)[0].size() > 2 ? (*parts)[0].substr(2) : std::string();
  bool named = false;
  for (size_t i = 1; i < parts->size(); ++i) {
    const std::string& part = (*parts)[i];
    if (protocols::EqualsIgnoreCase(std::string_view(part).substr(0, 5), "name=")) {
      if (named) {
        *error = "ERR Invalid metadata value, name argument was given multiple times";
        return false;
      }
      md->name = part.substr(5);
      named = true;
      continue;
    }
    *error = "ERR Invalid metadata value given: " + part.substr(0, part.find('\0'));
    return false;
  }
  if (!named) return *error = "ERR Library name was not given", false;
  md->body = code.substr(nl);
  return true;
}

// luaExtractErrorInformation's message for the error value on top of the stack.
std::string LoadErrorMessage(lua_State* L) {
  std::string msg = "(null)";  // what Redis's printf makes of a missing message
  if (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER) {
    msg = std::string("ERR ") + lua_tostring(L, -1);
  } else if (lua_istable(L, -1)) {
    lua_getfield(L, -1, "err");
    if (lua_isstring(L, -1)) msg = lua_tostring(L, -1);
    lua_pop(L, 1);
  }
  return msg;
}

}  // namespace

bool FunctionLibraries::RunBody(std::string_view body, int64_t timeout_ms, FunctionLoad* load,
                                std::string* error) {
  lua_State* L = runner_.state();
  lua_settop(L, 0);
  SetLoadGlobals(L, true);
  bool ok = false;
  if (luaL_loadbuffer(L, body.data(), body.size(), "@user_function") != 0) {
    *error = std::string("ERR Error compiling function: ") + lua_tostring(L, -1);
  } else {
    runner_.BeginLoad(load, timeout_ms);
    const int status = lua_pcall(L, 0, 0, 0);
    runner_.EndLoad();
    if (status == 0) {
      ok = true;
    } else {
      *error = "ERR Error registering functions: " + LoadErrorMessage(L);
    }
  }
  lua_settop(L, 0);
  SetLoadGlobals(L, false);
  if (!ok) {
    FunctionLibrary failed{"", "", std::move(load->functions)};
    Release(failed);
  }
  return ok;
}

void FunctionLibraries::Release(FunctionLibrary& lib) {
  for (RegisteredFunction& f : lib.functions) luaL_unref(runner_.state(), LUA_REGISTRYINDEX, f.ref);
  lib.functions.clear();
}

void FunctionLibraries::Link(Set& set, FunctionLibrary lib) {
  // A library may hold names that differ only in case: the first is the one FCALL finds.
  for (const RegisteredFunction& f : lib.functions)
    set.functions.emplace(LowerCopy(f.name), lib.name);
  std::string name = lib.name;
  set.libraries.emplace(std::move(name), std::move(lib));
}

FunctionLibrary FunctionLibraries::Unlink(Set& set, std::string_view name) {
  auto it = set.libraries.find(std::string(name));
  FunctionLibrary lib = std::move(it->second);
  set.libraries.erase(it);
  for (const RegisteredFunction& f : lib.functions) {
    auto fit = set.functions.find(LowerCopy(f.name));
    if (fit != set.functions.end() && fit->second == lib.name) set.functions.erase(fit);
  }
  return lib;
}

void FunctionLibraries::Clear(Set& set) {
  for (auto& [name, lib] : set.libraries) Release(lib);
  set.libraries.clear();
  set.functions.clear();
}

bool FunctionLibraries::Create(Set& set, std::string_view code, bool replace, int64_t timeout_ms,
                               std::string* out) {
  Metadata md;
  if (!ExtractMetadata(code, &md, out)) return false;
  if (!IsValidFunctionName(md.name)) {
    *out =
        "ERR Library names can only contain letters, numbers, or underscores(_) and must be "
        "at least one character long";
    return false;
  }
  if (!protocols::EqualsIgnoreCase(md.engine, "lua")) {
    *out = "ERR Engine '" + md.engine + "' not found";
    return false;
  }
  std::optional<FunctionLibrary> old;
  if (set.libraries.count(md.name) != 0) {
    if (!replace) {
      *out = "ERR Library '" + md.name + "' already exists";
      return false;
    }
    old = Unlink(set, md.name);
  }
  FunctionLoad load;
  std::string error;
  bool ok = RunBody(md.body, timeout_ms, &load, &error);
  FunctionLibrary lib{md.name, std::string(code), std::move(load.functions)};
  if (ok && lib.functions.empty()) {
    error = "ERR No functions registered";
    ok = false;
  }
  for (size_t i = 0; ok && i < lib.functions.size(); ++i) {
    if (set.functions.count(LowerCopy(lib.functions[i].name)) != 0) {
      error = "ERR Function " + lib.functions[i].name + " already exists";
      ok = false;
    }
  }
  if (!ok) {
    Release(lib);
    if (old) Link(set, std::move(*old));
    *out = std::move(error);
    return false;
  }
  Link(set, std::move(lib));
  if (old) Release(*old);
  *out = std::move(md.name);
  return true;
}

bool FunctionLibraries::Load(std::string_view code, bool replace, int64_t timeout_ms,
                             std::string* out) {
  return Create(set_, code, replace, timeout_ms, out);
}

bool FunctionLibraries::Delete(std::string_view name) {
  if (set_.libraries.count(std::string(name)) == 0) return false;
  FunctionLibrary lib = Unlink(set_, name);
  Release(lib);
  return true;
}

void FunctionLibraries::Flush() {
  Clear(set_);
}

const RegisteredFunction* FunctionLibraries::Find(std::string_view function) const {
  auto it = set_.functions.find(LowerCopy(function));
  if (it == set_.functions.end()) return nullptr;
  for (const RegisteredFunction& f : set_.libraries.at(it->second).functions) {
    if (protocols::EqualsIgnoreCase(f.name, function)) return &f;
  }
  return nullptr;
}

size_t FunctionLibraries::function_count() const {
  size_t n = 0;
  for (const auto& [name, lib] : set_.libraries) n += lib.functions.size();
  return n;
}

size_t FunctionLibraries::overhead_bytes() const {
  size_t n = 0;
  for (const auto& [name, lib] : set_.libraries) {
    n += sizeof(FunctionLibrary) + 2 * name.size() + lib.code.size();
    for (const RegisteredFunction& f : lib.functions) {
      n += sizeof(RegisteredFunction) + 2 * f.name.size() +
           (f.description ? f.description->size() : 0);
    }
  }
  return n;
}

std::string FunctionLibraries::Dump() const {
  std::string payload;
  for (const auto& [name, lib] : set_.libraries) {
    payload.push_back(static_cast<char>(kOpcodeFunction2));
    rdb::AppendString(&payload, lib.code);
  }
  rdb::AppendFooter(&payload);
  return payload;
}

bool FunctionLibraries::Join(Set& from, bool replace, std::string* error) {
  std::vector<FunctionLibrary> replaced;
  for (const auto& [name, lib] : from.libraries) {
    if (set_.libraries.count(name) == 0) continue;
    if (!replace) {
      *error = "ERR Library " + name + " already exists";
      break;
    }
    replaced.push_back(Unlink(set_, name));
  }
  for (auto it = from.functions.begin(); error->empty() && it != from.functions.end(); ++it) {
    if (set_.functions.count(it->first) != 0) {
      // Redis names the function as registered.
      for (const RegisteredFunction& f : from.libraries.at(it->second).functions) {
        if (LowerCopy(f.name) == it->first) {
          *error = "ERR Function " + f.name + " already exists";
          break;
        }
      }
    }
  }
  if (!error->empty()) {
    for (FunctionLibrary& lib : replaced) Link(set_, std::move(lib));
    return false;
  }
  for (auto& [name, lib] : from.libraries) Link(set_, std::move(lib));
  from.libraries.clear();
  from.functions.clear();
  for (FunctionLibrary& lib : replaced) Release(lib);
  return true;
}

bool FunctionLibraries::Restore(std::string_view payload, RestorePolicy policy,
                                std::string* error) {
  if (!rdb::VerifyFooter(payload)) {
    *error = "ERR DUMP payload version or checksum are wrong";
    return false;
  }
  Set loaded;
  // Redis reads the payload footer included (a string may run into it) until the footer's
  // bytes are all that is left.
  rdb::Reader r(payload);
  error->clear();
  while (error->empty() && r.remaining() > rdb::kFooterSize) {
    uint8_t type = 0;
    if (!r.LoadByte(&type)) {
      *error = "ERR can not read data type";
    } else if (type != kOpcodeFunction && type != kOpcodeFunction2) {
      *error = "ERR given type is not a function";
    } else if (type == kOpcodeFunction2) {
      std::string code;
      if (!r.LoadString(&code)) {
        *error = "ERR Failed loading library payload";
      } else if (std::string out; !Create(loaded, code, false, restore_timeout_ms_, &out)) {
        *error = std::move(out);
      }
    } else {
      // The release candidates' form: name, engine, optional description, body.
      std::string name, engine, desc, blob;
      uint64_t has_desc = 0;
      if (!r.LoadString(&name)) {
        *error = "ERR Failed loading library name";
      } else if (!r.LoadString(&engine)) {
        *error = "ERR Failed loading engine name";
      } else if (!r.LoadLen(&has_desc)) {
        *error = "ERR Failed loading library description indicator";
      } else if (has_desc != 0 && !r.LoadString(&desc)) {
        *error = "ERR Failed loading library description";
      } else if (!r.LoadString(&blob)) {
        *error = "ERR Failed loading library blob";
      } else if (std::string out; !Create(loaded, "#!" + engine + " name=" + name + "\n" + blob,
                                          false, restore_timeout_ms_, &out)) {
        *error = std::move(out);
      }
    }
  }
  if (error->empty()) {
    if (policy == RestorePolicy::kFlush) {
      Clear(set_);
      set_ = std::move(loaded);
      loaded = Set();
    } else {
      Join(loaded, policy == RestorePolicy::kReplace, error);
    }
  }
  Clear(loaded);
  return error->empty();
}

}  // namespace kvgate::redis
