// File: translate/redis/script_struct.cc
// struct.pack / struct.unpack / struct.size (script_struct.h), behaving as the struct.c Redis
// builds into its Lua: the same sizes, alignment and byte order rules on x86-64 (long and size_t
// are 8 bytes, int 4, the largest alignment 8), the same quirks (struct.size skips unknown
// letters; an integer wider than 8 bytes keeps only its low 8 bytes) and the same error texts.
// Lua errors unwind with longjmp here, so nothing with a destructor lives across a Lua call:
// strings are built in a luaL_Buffer, as the library always did.
#include "translate/redis/script_struct.h"

#include <lua.hpp>

#include <bit>
#include <cctype>
#include <climits>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

namespace kvgate::redis {
namespace {

constexpr int kMaxIntSize = 32;
constexpr int kMaxAlign = 8;  // max(alignment padding of a double, sizeof(int)) on x86-64
constexpr bool kNativeLittle = std::endian::native == std::endian::little;

struct Header {
  bool little = kNativeLittle;
  int align = 1;
};

// The integer options (b B h H l L T i I) share one case of pack's and unpack's switches.
constexpr char kInteger = '\0';
bool IsInteger(char opt) {
  return std::strchr("bBhHlLTiI", opt) != nullptr && opt != '\0';
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// A number in the format (the option's size or alignment), or `fallback` when none follows.
int ReadNumber(lua_State* L, const char** fmt, int fallback) {
  if (!IsDigit(**fmt)) return fallback;
  int n = 0;
  do {
    const int d = **fmt - '0';
    if (n > INT_MAX / 10 || n * 10 > INT_MAX - d) luaL_error(L, "integral size overflow");
    n = n * 10 + d;
    ++*fmt;
  } while (IsDigit(**fmt));
  return n;
}

// Bytes an option takes (0 for the control options and for `s`).
size_t OptionSize(lua_State* L, char opt, const char** fmt) {
  switch (opt) {
    case 'b':
    case 'B':
    case 'x':
      return 1;
    case 'h':
    case 'H':
      return sizeof(short);
    case 'l':
    case 'L':
      return sizeof(long);
    case 'T':
      return sizeof(size_t);
    case 'f':
      return sizeof(float);
    case 'd':
      return sizeof(double);
    case 'c':
      return static_cast<size_t>(ReadNumber(L, fmt, 1));
    case 'i':
    case 'I': {
      const int size = ReadNumber(L, fmt, sizeof(int));
      if (size > kMaxIntSize) {
        luaL_error(L, "integral size %d is larger than limit of %d", size, kMaxIntSize);
      }
      return static_cast<size_t>(size);
    }
    default:
      return 0;
  }
}

// Padding before an item of `size` bytes at offset `at`.
size_t Padding(size_t at, const Header& h, char opt, size_t size) {
  if (size == 0 || opt == 'c') return 0;
  if (size > static_cast<size_t>(h.align)) size = static_cast<size_t>(h.align);
  return (size - (at & (size - 1))) & (size - 1);
}

// `>`, `<`, `!n` and spaces; anything else is an error on argument 1.
void ControlOption(lua_State* L, char opt, const char** fmt, Header* h) {
  switch (opt) {
    case ' ':
      return;
    case '>':
      h->little = false;
      return;
    case '<':
      h->little = true;
      return;
    case '!': {
      const int a = ReadNumber(L, fmt, kMaxAlign);
      if (a <= 0 || (a & (a - 1)) != 0) luaL_error(L, "alignment %d is not a power of 2", a);
      h->align = a;
      return;
    }
    default:
      luaL_argerror(L, 1, lua_pushfstring(L, "invalid format option '%c'", opt));
  }
}

// A Lua number as the integer struct.c stores: negative ones through a signed conversion,
// others unsigned. Out of range, C leaves the result undefined; these are the values x86-64's
// conversion instructions give redis-server (NaN and below -2^63: 2^63; 2^64 and up: 0).
uint64_t ToInteger(lua_Number n) {
  constexpr uint64_t kIndefinite = uint64_t{1} << 63;
  if (std::isnan(n)) return kIndefinite;
  if (n < 0) {
    if (n < -9223372036854775808.0) return kIndefinite;
    return static_cast<uint64_t>(static_cast<int64_t>(n));
  }
  if (n >= 18446744073709551616.0) return 0;
  return static_cast<uint64_t>(n);
}

void PutInteger(luaL_Buffer* b, uint64_t value, bool little, size_t size) {
  char bytes[kMaxIntSize];
  for (size_t i = 0; i < size; ++i) {
    bytes[little ? i : size - 1 - i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  luaL_addlstring(b, bytes, size);
}

// A float or double's bytes in the requested order.
void PutFloating(luaL_Buffer* b, const void* native, size_t size, bool little) {
  char bytes[sizeof(double)];
  std::memcpy(bytes, native, size);
  if (little != kNativeLittle) {
    for (size_t i = 0; i < size / 2; ++i) std::swap(bytes[i], bytes[size - 1 - i]);
  }
  luaL_addlstring(b, bytes, size);
}

int Pack(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);
  Header h;
  int arg = 2;
  size_t total = 0;
  lua_pushnil(L);  // keeps the arguments apart from the buffer's stack slots
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  while (*fmt != '\0') {
    const char opt = *fmt++;
    size_t size = OptionSize(L, opt, &fmt);
    const size_t pad = Padding(total, h, opt, size);
    total += pad;
    for (size_t i = 0; i < pad; ++i) luaL_addchar(&b, '\0');
    switch (IsInteger(opt) ? kInteger : opt) {
      case kInteger:
        PutInteger(&b, ToInteger(luaL_checknumber(L, arg++)), h.little, size);
        break;
      case 'x':
        luaL_addchar(&b, '\0');
        break;
      case 'f': {
        const auto f = static_cast<float>(luaL_checknumber(L, arg++));
        PutFloating(&b, &f, size, h.little);
        break;
      }
      case 'd': {
        const double d = luaL_checknumber(L, arg++);
        PutFloating(&b, &d, size, h.little);
        break;
      }
      case 'c':
      case 's': {
        size_t len = 0;
        const char* s = luaL_checklstring(L, arg++, &len);
        if (size == 0) size = len;
        // struct.c names the argument after the string here.
        luaL_argcheck(L, len >= size, arg, "string too short");
        luaL_addlstring(&b, s, size);
        if (opt == 's') {
          luaL_addchar(&b, '\0');
          ++size;
        }
        break;
      }
      default:
        ControlOption(L, opt, &fmt, &h);
    }
    total += size;
  }
  luaL_pushresult(&b);
  return 1;
}

lua_Number GetInteger(const char* bytes, bool little, bool is_signed, size_t size) {
  uint64_t v = 0;
  for (size_t k = 0; k < size; ++k) {
    v = (v << 8) | static_cast<unsigned char>(bytes[little ? size - 1 - k : k]);
  }
  if (!is_signed) return static_cast<lua_Number>(v);
  // The sign bit's mask as x86's shift computes it (its count taken modulo 64).
  const uint64_t mask = ~uint64_t{0} << ((size * 8 - 1) & 63);
  if ((v & mask) != 0) v |= mask;
  return static_cast<lua_Number>(static_cast<int64_t>(v));
}

lua_Number GetFloating(const char* at, size_t size, bool little) {
  char bytes[sizeof(double)];
  std::memcpy(bytes, at, size);
  if (little != kNativeLittle) {
    for (size_t i = 0; i < size / 2; ++i) std::swap(bytes[i], bytes[size - 1 - i]);
  }
  if (size == sizeof(float)) {
    float f = 0;
    std::memcpy(&f, bytes, sizeof f);
    return f;
  }
  double d = 0;
  std::memcpy(&d, bytes, sizeof d);
  return d;
}

int Unpack(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);
  size_t len = 0;
  const char* data = luaL_checklstring(L, 2, &len);
  // A negative offset wraps to a huge one and fails the length check, as in struct.c.
  size_t pos = static_cast<size_t>(luaL_optinteger(L, 3, 1));
  luaL_argcheck(L, pos > 0, 3, "offset must be 1 or greater");
  --pos;
  Header h;
  int results = 0;
  while (*fmt != '\0') {
    const char opt = *fmt++;
    size_t size = OptionSize(L, opt, &fmt);
    pos += Padding(pos, h, opt, size);
    luaL_argcheck(L, size <= len && pos <= len - size, 2, "data string too short");
    luaL_checkstack(L, 2, "too many results");
    switch (IsInteger(opt) ? kInteger : opt) {
      case kInteger:
        lua_pushnumber(L, GetInteger(data + pos, h.little, std::islower(opt) != 0, size));
        ++results;
        break;
      case 'x':
        break;
      case 'f':
      case 'd':
        lua_pushnumber(L, GetFloating(data + pos, size, h.little));
        ++results;
        break;
      case 'c':
        if (size == 0) {
          if (results == 0 || !lua_isnumber(L, -1))
            luaL_error(L, "format 'c0' needs a previous size");
          size = static_cast<size_t>(lua_tonumber(L, -1));
          lua_pop(L, 1);
          --results;
          luaL_argcheck(L, size <= len && pos <= len - size, 2, "data string too short");
        }
        lua_pushlstring(L, data + pos, size);
        ++results;
        break;
      case 's': {
        const void* end = std::memchr(data + pos, '\0', len - pos);
        if (end == nullptr) luaL_error(L, "unfinished string in data");
        size = static_cast<size_t>(static_cast<const char*>(end) - (data + pos)) + 1;
        lua_pushlstring(L, data + pos, size - 1);
        ++results;
        break;
      }
      default:
        ControlOption(L, opt, &fmt, &h);
    }
    pos += size;
  }
  lua_pushinteger(L, static_cast<lua_Integer>(pos + 1));
  return results + 1;
}

int Size(lua_State* L) {
  const char* fmt = luaL_checkstring(L, 1);
  Header h;
  size_t pos = 0;
  while (*fmt != '\0') {
    const char opt = *fmt++;
    const size_t size = OptionSize(L, opt, &fmt);
    pos += Padding(pos, h, opt, size);
    if (opt == 's') luaL_argerror(L, 1, "option 's' has no fixed size");
    if (opt == 'c' && size == 0) luaL_argerror(L, 1, "option 'c0' has no fixed size");
    // Letters struct.c does not know are skipped here, not refused.
    if (std::isalnum(static_cast<unsigned char>(opt)) == 0) ControlOption(L, opt, &fmt, &h);
    pos += size;
  }
  lua_pushinteger(L, static_cast<lua_Integer>(pos));
  return 1;
}

}  // namespace

int OpenStruct(lua_State* L) {
  lua_newtable(L);
  const luaL_Reg functions[] = {{"pack", Pack}, {"unpack", Unpack}, {"size", Size}};
  for (const auto& f : functions) {
    lua_pushcfunction(L, f.func);
    lua_setfield(L, -2, f.name);
  }
  return 1;
}

}  // namespace kvgate::redis
