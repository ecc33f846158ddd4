// File: tests/integration/redis_struct_differential_test.cc
// The struct Lua library against a real redis-server 7.0, byte for byte in RESP2 and RESP3
// (support/script_diff.h): pack of every integer size in both byte orders (negative, unsigned,
// wide `i16`/`I32` forms, out-of-range numbers), floats and doubles, chars and zero-terminated
// strings, padding and `!` alignment; unpack of the same with offsets, `c0` after a length, and
// the next position; size; and every error text (invalid options, sizes over the limit,
// alignment not a power of two, strings and data too short, bad offsets, unfinished strings,
// argument numbers). Results are returned as strings so that numbers keep their fractions.
//
//   CompareScripts(StructScripts(), /*resp3=*/true);
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "integration/support/script_diff.h"

namespace {

using kvgate::testing::Eval;
using kvgate::testing::S;
using kvgate::testing::Script;

// EVAL of `return struct.pack(<args>)`: the bytes as a bulk string.
std::vector<std::string> Pack(const std::string& args) {
  return Eval("return struct.pack(" + args + ")");
}

// EVAL of struct.unpack(<args>) with every result turned into a string.
std::vector<std::string> Unpack(const std::string& args) {
  return Eval("local r = {struct.unpack(" + args +
              ")} for i = 1, #r do r[i] = tostring(r[i]) end return r");
}

std::vector<Script> StructScripts() {
  // clang-format off
  std::vector<Script> s;
  s.push_back(S("pack integers", {
      Pack("'b', -1"), Pack("'B', 255"), Pack("'B', 256"), Pack("'b', 200"), Pack("'>h', 258"),
      Pack("'<h', 258"), Pack("'H', 65535"), Pack("'>H', -2"), Pack("'i', 1"), Pack("'>i', -1"),
      Pack("'>l', 1"), Pack("'<L', 2^32"), Pack("'T', 7"), Pack("'>i2', 513"), Pack("'<i3', 65536"),
      Pack("'>I8', 2^53"), Pack("'<i8', -2^53"), Pack("'>i16', -1"), Pack("'<I16', 2^40"),
      Pack("'>I32', 1"), Pack("'<i', 1.9"), Pack("'<i', -1.9"), Pack("'>L', 2^64 + 1"),
      Pack("'>l', -2^64"), Pack("'>i', 0/0"), Pack("'<i', 1/0"), Pack("'b', '12'"),
      Pack("'>i1i2i4', 1, 2, 3"), Pack("'  >  h  ', 1"),
  }));
  s.push_back(S("pack floats, strings, padding and alignment", {
      Pack("'<f', 1.5"), Pack("'>f', 0.1"), Pack("'<d', 0.1"), Pack("'>d', -2.25"),
      Pack("'<d', 1/0"), Pack("'f', 1e39"), Pack("'c', 'abc'"), Pack("'c0', 'abc'"),
      Pack("'c2', 'abc'"), Pack("'s', 'ab'"), Pack("'s', 'a\\0b'"), Pack("'c0s', 'x', 'y'"),
      Pack("'bxxb', 1, 2"), Pack("'!4 b i', 1, 2"), Pack("'! b d', 1, 2"), Pack("'!2 b i', 1, 2"),
      Pack("'!8 b h b l', 1, 2, 3, 4"), Pack("'!4 b c3 i', 1, 'abc', 2"), Pack("'!16 b d', 1, 2"),
      Pack("'>!4 h s i', 1, 'ab', 3"), Pack("''"),
  }));
  s.push_back(S("unpack", {
      Unpack("'b', '\\255'"), Unpack("'B', '\\255'"), Unpack("'>h', '\\1\\2'"),
      Unpack("'<h', '\\255\\255'"), Unpack("'<H', '\\255\\255'"), Unpack("'>i', '\\255\\255\\255\\254'"),
      Unpack("'>I', '\\255\\255\\255\\254'"), Unpack("'<l', '\\1\\0\\0\\0\\0\\0\\0\\128'"),
      Unpack("'>L', '\\128\\0\\0\\0\\0\\0\\0\\1'"), Unpack("'>i3', '\\128\\0\\1'"),
      Unpack("'<i16', string.rep('\\255', 16)"), Unpack("'>I16', string.rep('\\1', 16)"),
      Unpack("'>i9', '\\0\\0\\0\\0\\0\\0\\0\\0\\128'"), Unpack("'<I32', string.rep('\\2', 32)"),
      Unpack("'<f', struct.pack('<f', 1.5)"), Unpack("'>d', struct.pack('>d', 0.1)"),
      Unpack("'c2c1', 'abc'"), Unpack("'b c0', '\\3abcd'"), Unpack("'s s', 'ab\\0cd\\0'"),
      Unpack("'s', '\\0'"), Unpack("'bxb', '\\1\\2\\3'"), Unpack("'!4 b i', struct.pack('!4 b i', 1, 2)"),
      Unpack("'b', 'abc', 2"), Unpack("'b', 'abc', 3"), Unpack("'>h', 'abc', 2"), Unpack("'', 'abc'"),
      Unpack("'', 'abc', 4"), Unpack("'c0', 'abc'"),
  }));
  s.push_back(S("size", {
      Eval("return struct.size('b')"), Eval("return struct.size('!8 b d')"),
      Eval("return struct.size('>i16 c5 x')"), Eval("return struct.size('bzq')"),
      Eval("return struct.size('')"), Eval("return struct.size('!4 b h l')"),
      Eval("return struct.size('c3 T f d')"),
  }));
  s.push_back(S("errors", {
      Pack("'z', 1"), Pack("'i33', 1"), Pack("'!3 b', 1"), Pack("'i99999999999', 1"),
      Pack("'c5', 'abc'"), Pack("'b', 'x'"), Pack("'b'"), Pack("'bb', 1"), Pack("'s', {}"),
      Eval("return struct.pack()"), Eval("return struct.pack({})"),
      Unpack("'>h', 'a'"), Unpack("'b', 'abc', 0"), Unpack("'b', 'abc', -1"), Unpack("'b', 'abc', 4"),
      Unpack("'c0', 'abc'"), Unpack("'s', 'abc'"), Unpack("'y', 'abc'"), Unpack("'i33', 'abc'"),
      Unpack("'b c0', '\\9abc'"), Unpack("'b'"), Unpack("'b', 'a', 'x'"),
      Eval("return struct.size('s')"), Eval("return struct.size('c0')"), Eval("return struct.size(' !3')"),
      Eval("return struct.size('!')"), Eval("return struct.size()"),
      Eval("struct.x = 1 return 1"), Eval("return type(struct)"),
  }));
  return s;
  // clang-format on
}

}  // namespace

TEST_CASE("The struct Lua library answers like redis-server 7, byte for byte",
          "[integration][redis][differential][scripts]") {
  kvgate::testing::CompareScripts(StructScripts(), /*resp3=*/true);
}
