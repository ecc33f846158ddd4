#include "translate/redis/script_convert.h"

#include <lua.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace kvgate::redis {
namespace {

// Deeper replies than this are not produced by any command; deeper script results (a table
// holding itself) end with Redis's stack-limit error.
constexpr int kMaxDepth = 500;

class RespToLua {
 public:
  RespToLua(lua_State* L, std::string_view data) : L_(L), data_(data) {
  }
  bool Value(int depth, bool push);
  bool done() const {
    return pos_ == data_.size();
  }

 private:
  // The line after the type byte, without its CRLF.
  bool Line(std::string_view* out) {
    size_t end = data_.find("\r\n", pos_);
    if (end == std::string_view::npos) return false;
    *out = data_.substr(pos_, end - pos_);
    pos_ = end + 2;
    return true;
  }
  bool Int(int64_t* v) {
    std::string_view line;
    if (!Line(&line)) return false;
    auto [p, ec] = std::from_chars(line.data(), line.data() + line.size(), *v);
    return ec == std::errc() && p == line.data() + line.size();
  }
  bool Body(int64_t len, std::string_view* out) {
    if (len < 0 || data_.size() - pos_ < static_cast<size_t>(len) + 2) return false;
    *out = data_.substr(pos_, static_cast<size_t>(len));
    pos_ += static_cast<size_t>(len) + 2;
    return true;
  }
  void Field(const char* name) {
    // table, value -> table
    lua_pushstring(L_, name);
    lua_insert(L_, -2);
    lua_rawset(L_, -3);
  }

  lua_State* L_;
  std::string_view data_;
  size_t pos_ = 0;
};

bool RespToLua::Value(int depth, bool push) {
  if (pos_ >= data_.size() || depth > kMaxDepth) return false;
  if (push && !lua_checkstack(L_, 6)) return false;
  const char type = data_[pos_++];
  std::string_view line;
  int64_t n = 0;
  switch (type) {
    case '+':
    case '-':
      if (!Line(&line)) return false;
      if (!push) return true;
      if (type == '-') {
        PushErrorTable(L_, std::string("-").append(line));
      } else {
        lua_newtable(L_);
        lua_pushlstring(L_, line.data(), line.size());
        Field("ok");
      }
      return true;
    case ':':
      if (!Int(&n)) return false;
      if (push) lua_pushnumber(L_, static_cast<lua_Number>(n));
      return true;
    case '$':
    case '=':
    case '(':
    case ',':
    case '#':
    case '_':
      break;
    case '*':
    case '%':
    case '~':
    case '>':
    case '|': {
      if (!Int(&n)) return false;
      if (n < 0) {
        if (push) lua_pushboolean(L_, 0);
        return true;
      }
      if (type == '|') {  // attribute: skipped, the value follows
        for (int64_t i = 0; i < 2 * n; ++i) {
          if (!Value(depth + 1, false)) return false;
        }
        return Value(depth, push);
      }
      if (push) {
        lua_newtable(L_);
        if (type == '%' || type == '~') lua_newtable(L_);
      }
      for (int64_t i = 0; i < n; ++i) {
        if (type == '%') {
          if (!Value(depth + 1, push) || !Value(depth + 1, push)) return false;
          if (push) lua_rawset(L_, -3);
        } else if (type == '~') {
          if (!Value(depth + 1, push)) return false;
          if (push) {
            lua_pushboolean(L_, 1);
            lua_rawset(L_, -3);
          }
        } else {
          if (!Value(depth + 1, push)) return false;
          if (push) lua_rawseti(L_, -2, static_cast<int>(i + 1));
        }
      }
      if (push && type == '%') Field("map");
      if (push && type == '~') Field("set");
      return true;
    }
    default:
      return false;
  }
  // Scalars with a line: bulk and verbatim bodies, big numbers, doubles, booleans, null.
  if (type == '_') {
    if (!Line(&line)) return false;
    if (push) lua_pushnil(L_);
    return true;
  }
  if (type == '$' || type == '=') {
    if (!Int(&n)) return false;
    if (n < 0) {
      if (push) lua_pushboolean(L_, 0);
      return true;
    }
    std::string_view body;
    if (!Body(n, &body)) return false;
    if (!push) return true;
    if (type == '$') {
      lua_pushlstring(L_, body.data(), body.size());
      return true;
    }
    if (body.size() < 4) return false;
    lua_newtable(L_);
    lua_newtable(L_);
    lua_pushlstring(L_, body.data() + 4, body.size() - 4);
    Field("string");
    lua_pushlstring(L_, body.data(), 3);
    Field("format");
    Field("verbatim_string");
    return true;
  }
  if (!Line(&line)) return false;
  if (!push) return true;
  if (type == '#') {
    lua_pushboolean(L_, line == "t");
    return true;
  }
  lua_newtable(L_);
  if (type == '(') {
    lua_pushlstring(L_, line.data(), line.size());
    Field("big_number");
  } else {
    std::string text(line);
    lua_pushnumber(L_, std::strtod(text.c_str(), nullptr));
    Field("double");
  }
  return true;
}

// A Lua number as Redis sends it for an integer reply: (long long) of the double, where
// out-of-range values and NaN give the x86 conversion's INT64_MIN.
int64_t ToInteger(double v) {
  if (!(v >= -9223372036854775808.0 && v < 9223372036854775808.0)) return INT64_MIN;
  return static_cast<int64_t>(v);
}

// The string field `name` of the table on top, or nullptr.
const char* StringField(lua_State* L, const char* name, size_t* len) {
  lua_pushstring(L, name);
  lua_rawget(L, -2);
  if (lua_type(L, -1) != LUA_TSTRING) {
    lua_pop(L, 1);
    return nullptr;
  }
  const char* s = lua_tolstring(L, -1, len);
  lua_pop(L, 1);  // the table still holds the string
  return s;
}

std::string SpacedLine(const char* s, size_t len) {
  std::string out(s, len);
  for (char& c : out) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return out;
}

void Write(lua_State* L, resp::ReplyWriter& w, int script_resp, int depth);

// The table on top as a reply (it stays on the stack).
void WriteTable(lua_State* L, resp::ReplyWriter& w, int script_resp, int depth) {
  size_t len = 0;
  if (const char* err = StringField(L, "err", &len)) return w.Error(std::string_view(err, len));
  if (const char* ok = StringField(L, "ok", &len)) return w.SimpleString(SpacedLine(ok, len));
  lua_pushstring(L, "double");
  lua_rawget(L, -2);
  if (lua_type(L, -1) == LUA_TNUMBER) {
    w.Double(lua_tonumber(L, -1));
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  if (const char* big = StringField(L, "big_number", &len)) {
    std::string text = SpacedLine(big, len);
    if (w.resp() >= 3) {
      w.Raw("(");
      w.Raw(text);
      w.Raw("\r\n");
    } else {
      w.Bulk(text);
    }
    return;
  }
  lua_pushstring(L, "verbatim_string");
  lua_rawget(L, -2);
  if (lua_type(L, -1) == LUA_TTABLE) {
    size_t flen = 0;
    size_t slen = 0;
    const char* format = StringField(L, "format", &flen);
    const char* str = format != nullptr ? StringField(L, "string", &slen) : nullptr;
    if (str != nullptr) {
      std::string fmt(format, flen);
      fmt.resize(3, ' ');
      w.Verbatim(fmt, std::string_view(str, slen));
      lua_pop(L, 1);
      return;
    }
  }
  lua_pop(L, 1);
  for (const char* kind : {"map", "set"}) {
    lua_pushstring(L, kind);
    lua_rawget(L, -2);
    if (lua_type(L, -1) != LUA_TTABLE) {
      lua_pop(L, 1);
      continue;
    }
    const bool map = kind[0] == 'm';
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      lua_pop(L, 1);
      ++n;
    }
    if (map) {
      w.MapHeader(n);
    } else {
      w.SetHeader(n);
    }
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      // table, key, value
      lua_pushvalue(L, -2);
      Write(L, w, script_resp, depth + 1);  // the key
      if (map) {
        Write(L, w, script_resp, depth + 1);  // the value
      } else {
        lua_pop(L, 1);
      }
    }
    lua_pop(L, 1);
    return;
  }
  size_t n = 0;
  for (;;) {
    lua_rawgeti(L, -1, static_cast<int>(n + 1));
    const bool end = lua_isnil(L, -1);
    lua_pop(L, 1);
    if (end) break;
    ++n;
  }
  w.ArrayHeader(n);
  for (size_t i = 1; i <= n; ++i) {
    lua_rawgeti(L, -1, static_cast<int>(i));
    Write(L, w, script_resp, depth + 1);
  }
}

// Pops the top value and writes it.
void Write(lua_State* L, resp::ReplyWriter& w, int script_resp, int depth) {
  if (depth > kMaxDepth || !lua_checkstack(L, 6)) {
    lua_pop(L, 1);
    return w.Error("ERR reached lua stack limit");
  }
  switch (lua_type(L, -1)) {
    case LUA_TSTRING: {
      size_t len = 0;
      const char* s = lua_tolstring(L, -1, &len);
      w.Bulk(std::string_view(s, len));
      break;
    }
    case LUA_TBOOLEAN:
      if (script_resp == 2) {
        if (lua_toboolean(L, -1)) {
          w.Integer(1);
        } else {
          w.Null();
        }
      } else {
        w.Bool(lua_toboolean(L, -1) != 0);
      }
      break;
    case LUA_TNUMBER:
      w.Integer(ToInteger(lua_tonumber(L, -1)));
      break;
    case LUA_TTABLE:
      WriteTable(L, w, script_resp, depth);
      break;
    default:
      w.Null();
  }
  lua_pop(L, 1);
}

}  // namespace

bool PushRespReply(lua_State* L, std::string_view reply) {
  const int top = lua_gettop(L);
  RespToLua parser(L, reply);
  if (!parser.Value(0, true) || !parser.done()) {
    lua_settop(L, top);
    return false;
  }
  return true;
}

void WriteLuaValue(lua_State* L, resp::ReplyWriter& w, int script_resp) {
  Write(L, w, script_resp, 0);
}

void PushErrorTable(lua_State* L, std::string_view text) {
  std::string msg;
  if (!text.empty() && text[0] == '-') {
    text.remove_prefix(1);
    const size_t space = text.find(' ');
    if (space == std::string_view::npos) {
      msg = "ERR ";
      msg.append(text);
    } else {
      msg.assign(text);
    }
  } else {
    msg = "ERR ";
    msg.append(text);
  }
  while (!msg.empty() && (msg.back() == '\r' || msg.back() == '\n')) msg.pop_back();
  lua_newtable(L);
  lua_pushstring(L, "err");
  lua_pushlstring(L, msg.data(), msg.size());
  lua_rawset(L, -3);
}

std::string_view FormatLuaNumber(double v, char (&buf)[64]) {
  const int n = std::snprintf(buf, sizeof(buf), "%.17g", v);
  return std::string_view(buf, n > 0 ? static_cast<size_t>(n) : 0);
}

}  // namespace kvgate::redis
