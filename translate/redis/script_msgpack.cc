#include "translate/redis/script_msgpack.h"

#include <lua.hpp>

#include <bit>
#include <cfloat>
#include <climits>
#include <cmath>
#include <cstdint>
#include <string>

namespace kvgate::redis {
namespace {

// Tables nested deeper are packed as nil (so a table that contains itself packs).
constexpr int kMaxNesting = 16;
// Stack slots one nesting level of the encoder uses: the table, a key, its value, a key copy.
constexpr int kSlotsPerLevel = 4;

// ---- encoding ----

void PutBigEndian(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void PutTagged(std::string& out, unsigned tag, uint64_t v, int bytes) {
  out.push_back(static_cast<char>(tag));
  PutBigEndian(out, v, bytes);
}

void EncodeInt(std::string& out, int64_t n) {
  const auto u = static_cast<uint64_t>(n);
  if (n >= 0) {
    if (n <= 127) {
      out.push_back(static_cast<char>(n));
    } else if (n <= 0xff) {
      PutTagged(out, 0xcc, u, 1);
    } else if (n <= 0xffff) {
      PutTagged(out, 0xcd, u, 2);
    } else if (n <= 0xffffffffLL) {
      PutTagged(out, 0xce, u, 4);
    } else {
      PutTagged(out, 0xcf, u, 8);
    }
  } else if (n >= -32) {
    out.push_back(static_cast<char>(u & 0xff));  // negative fixint
  } else if (n >= -128) {
    PutTagged(out, 0xd0, u, 1);
  } else if (n >= -32768) {
    PutTagged(out, 0xd1, u, 2);
  } else if (n >= INT32_MIN) {
    PutTagged(out, 0xd2, u, 4);
  } else {
    PutTagged(out, 0xd3, u, 8);
  }
}

// float 32 when the double survives the round trip, else float 64.
void EncodeDouble(std::string& out, double d) {
  if (!(std::isfinite(d) && std::fabs(d) > FLT_MAX)) {
    const auto f = static_cast<float>(d);
    if (static_cast<double>(f) == d) {
      PutTagged(out, 0xca, std::bit_cast<uint32_t>(f), 4);
      return;
    }
  }
  PutTagged(out, 0xcb, std::bit_cast<uint64_t>(d), 8);
}

// Header of a string, array or map: the fix form holds the size in the tag when it fits.
void EncodeHeader(std::string& out, size_t n, unsigned fix_tag, size_t fix_max, unsigned tag8,
                  unsigned tag16, unsigned tag32) {
  if (n <= fix_max) {
    out.push_back(static_cast<char>(fix_tag | n));
  } else if (tag8 != 0 && n <= 0xff) {
    PutTagged(out, tag8, n, 1);
  } else if (n <= 0xffff) {
    PutTagged(out, tag16, n, 2);
  } else {
    PutTagged(out, tag32, n, 4);
  }
}

bool IsInt64(lua_Number n) {
  return n >= -0x1p63 && n < 0x1p63 && std::trunc(n) == n;
}

// True when the table on top has exactly the keys 1..n (an empty table too).
bool IsArray(lua_State* L) {
  lua_Number count = 0;
  lua_Number max = 0;
  lua_pushnil(L);
  while (lua_next(L, -2) != 0) {
    lua_pop(L, 1);
    const lua_Number n = lua_type(L, -1) == LUA_TNUMBER ? lua_tonumber(L, -1) : 0;
    if (!(n > 0 && n <= INT_MAX && std::trunc(n) == n)) {
      lua_pop(L, 1);
      return false;
    }
    max = n > max ? n : max;
    ++count;
  }
  return max == count;
}

// Encodes the value on top of the stack and pops it.
void EncodeValue(lua_State* L, std::string& out, int level) {
  int type = lua_type(L, -1);
  if (type == LUA_TTABLE && level == kMaxNesting) type = LUA_TNIL;
  switch (type) {
    case LUA_TSTRING: {
      size_t len = 0;
      const char* s = lua_tolstring(L, -1, &len);
      EncodeHeader(out, len, 0xa0, 31, 0xd9, 0xda, 0xdb);
      out.append(s, len);
      break;
    }
    case LUA_TBOOLEAN:
      out.push_back(static_cast<char>(lua_toboolean(L, -1) ? 0xc3 : 0xc2));
      break;
    case LUA_TNUMBER: {
      const lua_Number n = lua_tonumber(L, -1);
      if (IsInt64(n)) {
        EncodeInt(out, static_cast<int64_t>(n));
      } else {
        EncodeDouble(out, n);
      }
      break;
    }
    case LUA_TTABLE:
      if (IsArray(L)) {
        const size_t len = lua_objlen(L, -1);
        EncodeHeader(out, len, 0x90, 15, 0, 0xdc, 0xdd);
        for (size_t i = 1; i <= len; ++i) {
          lua_rawgeti(L, -1, static_cast<int>(i));
          EncodeValue(L, out, level + 1);
        }
      } else {
        size_t pairs = 0;
        lua_pushnil(L);
        while (lua_next(L, -2) != 0) {
          lua_pop(L, 1);
          ++pairs;
        }
        EncodeHeader(out, pairs, 0x80, 15, 0, 0xde, 0xdf);
        lua_pushnil(L);
        while (lua_next(L, -2) != 0) {  // ... key value
          lua_pushvalue(L, -2);         // ... key value key
          EncodeValue(L, out, level + 1);
          EncodeValue(L, out, level + 1);
        }
      }
      break;
    default:  // nil, functions, userdata, threads
      out.push_back(static_cast<char>(0xc0));
      break;
  }
  lua_pop(L, 1);
}

int Pack(lua_State* L) {
  const int nargs = lua_gettop(L);
  if (nargs == 0) return luaL_argerror(L, 0, "MessagePack pack needs input.");
  // Reserve the encoder's whole stack first: nothing below raises while `out` is alive.
  luaL_checkstack(L, kSlotsPerLevel * (kMaxNesting + 1) + 2, "in function mp_check");
  std::string out;
  for (int i = 1; i <= nargs; ++i) {
    lua_pushvalue(L, i);
    EncodeValue(L, out, 0);
  }
  lua_pushlstring(L, out.data(), out.size());
  return 1;
}

// ---- decoding (pushes straight onto the Lua stack; no C++ object lives across a raise) ----

enum class DecodeError { kNone, kMissingBytes, kBadFormat };

struct Cursor {
  const unsigned char* p;
  size_t left;
  DecodeError error = DecodeError::kNone;

  bool Need(size_t n) {
    if (left >= n) return true;
    error = DecodeError::kMissingBytes;
    return false;
  }
  void Consume(size_t n) {
    p += n;
    left -= n;
  }
  uint64_t BigEndian(size_t at, int bytes) const {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | p[at + static_cast<size_t>(i)];
    return v;
  }
};

void DecodeValue(lua_State* L, Cursor& c);

void DecodeArray(lua_State* L, Cursor& c, size_t len) {
  lua_newtable(L);
  luaL_checkstack(L, 1, "in function mp_decode_to_lua_array");
  for (size_t i = 1; i <= len; ++i) {
    lua_pushnumber(L, static_cast<lua_Number>(i));
    DecodeValue(L, c);
    if (c.error != DecodeError::kNone) return;
    lua_settable(L, -3);
  }
}

void DecodeMap(lua_State* L, Cursor& c, size_t len) {
  lua_newtable(L);
  for (size_t i = 0; i < len; ++i) {
    DecodeValue(L, c);  // key
    if (c.error != DecodeError::kNone) return;
    DecodeValue(L, c);  // value
    if (c.error != DecodeError::kNone) return;
    lua_settable(L, -3);
  }
}

// A string, array or map whose size follows the tag in `bytes` bytes.
void DecodeSized(lua_State* L, Cursor& c, int bytes, char kind) {
  const auto header = static_cast<size_t>(1 + bytes);
  if (!c.Need(header)) return;
  const size_t n = c.BigEndian(1, bytes);
  if (kind == 's') {
    if (!c.Need(header + n)) return;
    lua_pushlstring(L, reinterpret_cast<const char*>(c.p + header), n);
    c.Consume(header + n);
    return;
  }
  c.Consume(header);
  kind == 'a' ? DecodeArray(L, c, n) : DecodeMap(L, c, n);
}

// An integer of `bytes` bytes after the tag; uint 64 past int64 comes out negative, as in Redis.
void DecodeInt(lua_State* L, Cursor& c, int bytes, bool is_signed) {
  const auto size = static_cast<size_t>(1 + bytes);
  if (!c.Need(size)) return;
  const uint64_t raw = c.BigEndian(1, bytes);
  int64_t v = static_cast<int64_t>(raw);
  if (is_signed && bytes < 8) {
    const uint64_t sign = uint64_t{1} << (8 * bytes - 1);
    v = static_cast<int64_t>((raw ^ sign) - sign);
  }
  lua_pushnumber(L, static_cast<lua_Number>(v));
  c.Consume(size);
}

void DecodeValue(lua_State* L, Cursor& c) {
  if (!c.Need(1)) return;
  luaL_checkstack(L, 1, "too many return values at once; use unpack_one or unpack_limit instead.");
  const unsigned tag = c.p[0];
  switch (tag) {
    case 0xcc:
      return DecodeInt(L, c, 1, false);
    case 0xcd:
      return DecodeInt(L, c, 2, false);
    case 0xce:
      return DecodeInt(L, c, 4, false);
    case 0xcf:
      return DecodeInt(L, c, 8, false);
    case 0xd0:
      return DecodeInt(L, c, 1, true);
    case 0xd1:
      return DecodeInt(L, c, 2, true);
    case 0xd2:
      return DecodeInt(L, c, 4, true);
    case 0xd3:
      return DecodeInt(L, c, 8, true);
    case 0xc0:
      lua_pushnil(L);
      return c.Consume(1);
    case 0xc2:
      lua_pushboolean(L, 0);
      return c.Consume(1);
    case 0xc3:
      lua_pushboolean(L, 1);
      return c.Consume(1);
    case 0xca:
      if (!c.Need(5)) return;
      lua_pushnumber(L, std::bit_cast<float>(static_cast<uint32_t>(c.BigEndian(1, 4))));
      return c.Consume(5);
    case 0xcb:
      if (!c.Need(9)) return;
      lua_pushnumber(L, std::bit_cast<double>(c.BigEndian(1, 8)));
      return c.Consume(9);
    case 0xd9:
      return DecodeSized(L, c, 1, 's');
    case 0xda:
      return DecodeSized(L, c, 2, 's');
    case 0xdb:
      return DecodeSized(L, c, 4, 's');
    case 0xdc:
      return DecodeSized(L, c, 2, 'a');
    case 0xdd:
      return DecodeSized(L, c, 4, 'a');
    case 0xde:
      return DecodeSized(L, c, 2, 'm');
    case 0xdf:
      return DecodeSized(L, c, 4, 'm');
    default:
      break;
  }
  if (tag < 0x80 || tag >= 0xe0) {  // positive and negative fixint
    lua_pushnumber(L, tag < 0x80 ? tag : static_cast<lua_Number>(static_cast<int>(tag) - 256));
    c.Consume(1);
  } else if ((tag & 0xe0) == 0xa0) {
    const size_t n = tag & 0x1f;
    if (!c.Need(1 + n)) return;
    lua_pushlstring(L, reinterpret_cast<const char*>(c.p + 1), n);
    c.Consume(1 + n);
  } else if ((tag & 0xf0) == 0x90) {
    c.Consume(1);
    DecodeArray(L, c, tag & 0x0f);
  } else if ((tag & 0xf0) == 0x80) {
    c.Consume(1);
    DecodeMap(L, c, tag & 0x0f);
  } else {
    c.error = DecodeError::kBadFormat;  // bin, ext and the reserved tag
  }
}

// limit 0 and offset 0: every value, no offset; else the next offset (-1 at the end) first.
int UnpackFull(lua_State* L, lua_Integer limit, lua_Integer offset) {
  size_t len = 0;
  const char* s = luaL_checklstring(L, 1, &len);
  if (offset < 0 || limit < 0) {
    // Redis prints the input length where it says limit.
    return luaL_error(L, "Invalid request to unpack with offset of %d and limit of %d.",
                      static_cast<int>(offset), static_cast<int>(len));
  }
  if (static_cast<size_t>(offset) > len) {
    return luaL_error(L, "Start offset %d greater than input length %d.", static_cast<int>(offset),
                      static_cast<int>(len));
  }
  const bool all = limit == 0 && offset == 0;
  if (all) limit = INT_MAX;
  Cursor c{reinterpret_cast<const unsigned char*>(s) + offset, len - static_cast<size_t>(offset),
           DecodeError::kNone};
  int count = 0;
  for (; c.left > 0 && count < limit; ++count) {
    DecodeValue(L, c);
    if (c.error == DecodeError::kMissingBytes) return luaL_error(L, "Missing bytes in input.");
    if (c.error == DecodeError::kBadFormat) return luaL_error(L, "Bad data format in input.");
  }
  if (all) return count;
  luaL_checkstack(L, 1, "in function mp_unpack_full");
  lua_pushinteger(L, c.left == 0 ? -1 : static_cast<lua_Integer>(len - c.left));
  lua_insert(L, 2);
  return count + 1;
}

int Unpack(lua_State* L) {
  return UnpackFull(L, 0, 0);
}

int UnpackOne(lua_State* L) {
  const lua_Integer offset = luaL_optinteger(L, 2, 0);
  lua_settop(L, 1);
  return UnpackFull(L, 1, offset);
}

int UnpackLimit(lua_State* L) {
  const lua_Integer limit = luaL_checkinteger(L, 2);
  const lua_Integer offset = luaL_optinteger(L, 3, 0);
  lua_settop(L, 1);
  return UnpackFull(L, limit, offset);
}

}  // namespace

int OpenCmsgpack(lua_State* L) {
  lua_newtable(L);
  const luaL_Reg functions[] = {
      {"pack", Pack}, {"unpack", Unpack}, {"unpack_one", UnpackOne}, {"unpack_limit", UnpackLimit}};
  for (const auto& f : functions) {
    lua_pushcfunction(L, f.func);
    lua_setfield(L, -2, f.name);
  }
  const char* const metadata[][2] = {{"_NAME", "cmsgpack"},
                                     {"_VERSION", "lua-cmsgpack 0.4.0"},
                                     {"_COPYRIGHT", "Copyright (C) 2012, Salvatore Sanfilippo"},
                                     {"_DESCRIPTION", "MessagePack C implementation for Lua"}};
  for (const auto& m : metadata) {
    lua_pushstring(L, m[1]);
    lua_setfield(L, -2, m[0]);
  }
  return 1;
}

}  // namespace kvgate::redis
