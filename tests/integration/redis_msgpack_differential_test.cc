// File: tests/integration/redis_msgpack_differential_test.cc
// The cmsgpack Lua library against a real redis-server 7.0, byte for byte in RESP2 and RESP3
// (support/script_diff.h): pack's encodings at every integer, float, string and container size
// boundary, nesting past 16 levels, several arguments, non-packable values; unpack, unpack_one
// and unpack_limit with offsets and limits, uint 64 past int64, and their errors (missing bytes,
// bad format, bin and ext, bad offsets); the library's metadata and read-only table. Maps with
// several keys are compared through their unpacked fields (pack follows the table's internal
// order). Bull's job scripts need the library (tests/frameworks).
//
//   CompareScripts(MsgpackScripts(), /*resp3=*/true);
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "integration/support/script_diff.h"

namespace {

using kvgate::testing::Eval;
using kvgate::testing::S;
using kvgate::testing::Script;

// EVAL of `return cmsgpack.pack(<args>)`: the encoding's bytes as a bulk string.
std::vector<std::string> Pack(const std::string& args) {
  return Eval("return cmsgpack.pack(" + args + ")");
}

std::vector<Script> MsgpackScripts() {
  // clang-format off
  std::vector<Script> s;
  s.push_back(S("pack integers", {
      Pack("0"), Pack("127"), Pack("128"), Pack("255"), Pack("256"), Pack("65535"),
      Pack("65536"), Pack("4294967295"), Pack("4294967296"), Pack("2^53"), Pack("-1"),
      Pack("-32"), Pack("-33"), Pack("-128"), Pack("-129"), Pack("-32768"), Pack("-32769"),
      Pack("-2147483648"), Pack("-2147483649"), Pack("-2^53"), Pack("-2^63"), Pack("-0.0"),
  }));
  s.push_back(S("pack floats", {
      Pack("1.5"), Pack("0.1"), Pack("-2.25"), Pack("1e300"), Pack("3.4e38"), Pack("1e39"),
      Pack("2^63"), Pack("2^64"), Pack("1/0"), Pack("-1/0"), Pack("0/0"), Pack("1e-45"),
  }));
  s.push_back(S("pack strings and scalars", {
      Pack("''"), Pack("'a'"), Pack("string.rep('x', 31)"), Pack("string.rep('x', 32)"),
      Pack("string.rep('x', 255)"), Pack("string.rep('x', 256)"),
      Pack("string.rep('x', 65535)"), Pack("string.rep('x', 65536)"), Pack("'a\\0b'"),
      Pack("true"), Pack("false"), Pack("nil"), Pack("redis.call"),
      Pack("coroutine.create(function() end)"),
      Pack("1, 'a', true, nil, false"), Eval("return cmsgpack.pack()"),
  }));
  s.push_back(S("pack tables", {
      Pack("{}"), Pack("{1, 2, 3}"), Pack("{1, {2, {3, {}}}}"), Pack("{'a', 'b', [3] = 'c'}"),
      Pack("{1, nil, 3}"), Pack("{[2] = 'b'}"), Pack("{a = 1}"), Pack("{[1.5] = 'x'}"),
      Pack("{[-1] = 'x'}"), Pack("{[0] = 'x'}"), Pack("{[true] = false}"),
      Eval("local t = {} for i = 1, 16 do t[i] = i end return cmsgpack.pack(t)"),
      Eval("local t = {} for i = 1, 16 do t['k' .. i] = i end "
           "return #cmsgpack.pack(t) .. ' ' .. cmsgpack.pack(t):byte(1)"),
      Eval("local t = {} t[1] = t return cmsgpack.pack(t)"),
      Eval("local t = {} t.me = t return #cmsgpack.pack(t)"),
      Eval("local t = setmetatable({}, {__index = function() return 1 end}) "
           "return cmsgpack.pack(t)"),
  }));
  // Past 65535 elements: array 32 and map 32 (length and head only, to keep the reply small).
  s.push_back(S("pack large containers", {
      Eval("local t = {} for i = 1, 70000 do t[i] = i % 7 end local p = cmsgpack.pack(t) "
           "return {#p, p:sub(1, 12), p:sub(-4)}"),
      Eval("local t = {} for i = 1, 70000 do t['k' .. i] = 1 end local p = cmsgpack.pack(t) "
           "return {#p, p:sub(1, 5)}"),
  }));
  s.push_back(S("unpack", {
      Eval("return {cmsgpack.unpack(cmsgpack.pack(1, 'two', {3, 4}, true))}"),
      Eval("local t = cmsgpack.unpack(cmsgpack.pack({a = 1, b = {c = 'd'}, [5] = 'e'})) "
           "return {t.a, t.b.c, t[5]}"),
      Eval("return {cmsgpack.unpack('')}"), Eval("return cmsgpack.unpack('\\192')"),
      Eval("return tostring(cmsgpack.unpack(cmsgpack.pack(1.5)))"),
      Eval("return tostring(cmsgpack.unpack(cmsgpack.pack(0.1)))"),
      Eval("return tostring(cmsgpack.unpack('\\207\\255\\255\\255\\255\\255\\255\\255\\255'))"),
      Eval("return tostring(cmsgpack.unpack('\\211\\128\\0\\0\\0\\0\\0\\0\\0'))"),
      Eval("return {cmsgpack.unpack('\\208\\128\\209\\128\\0\\210\\128\\0\\0\\0\\224\\255')}"),
      Eval("return {cmsgpack.unpack('\\204\\200\\205\\1\\0\\206\\1\\0\\0\\0\\127')}"),
      Eval("return cmsgpack.unpack('\\217\\3abc')"), Eval("return cmsgpack.unpack('\\218\\0\\2ab')"),
      Eval("return cmsgpack.unpack('\\219\\0\\0\\0\\1z')"),
      Eval("return cmsgpack.unpack('\\220\\0\\2\\1\\2')"),
      Eval("return cmsgpack.unpack('\\221\\0\\0\\0\\1\\163abc')"),
      Eval("return cmsgpack.unpack('\\222\\0\\1\\161k\\161v').k"),
      Eval("return cmsgpack.unpack('\\223\\0\\0\\0\\1\\161k\\161v').k"),
      Eval("return cmsgpack.unpack('\\145\\146\\1\\2')"),
      Eval("local t = cmsgpack.unpack(cmsgpack.pack(string.rep('y', 70000))) return #t"),
  }));
  s.push_back(S("unpack errors", {
      Eval("return cmsgpack.unpack('\\205\\1')"), Eval("return cmsgpack.unpack('\\163ab')"),
      Eval("return cmsgpack.unpack('\\146\\1')"), Eval("return cmsgpack.unpack('\\193')"),
      Eval("return cmsgpack.unpack('\\196\\1a')"), Eval("return cmsgpack.unpack('\\199\\1\\1a')"),
      Eval("return cmsgpack.unpack('\\212\\1\\1')"), Eval("return cmsgpack.unpack()"),
      Eval("return cmsgpack.unpack({})"), Eval("return cmsgpack.unpack('\\129\\192\\1')"),
      Eval("return pcall(cmsgpack.unpack, '\\205')"),
  }));
  s.push_back(S("unpack_one and unpack_limit", {
      Eval("local p = cmsgpack.pack(10, 'b', {1}) return {cmsgpack.unpack_one(p)}"),
      Eval("local p = cmsgpack.pack(10, 'b', {1}) return {cmsgpack.unpack_one(p, 1)}"),
      Eval("local p = cmsgpack.pack(10, 'b', {1}) return {cmsgpack.unpack_one(p, 3)}"),
      Eval("local p = cmsgpack.pack(10, 'b', {1}) return {cmsgpack.unpack_one(p, 5)}"),
      Eval("local p = cmsgpack.pack(10, 'b') return {cmsgpack.unpack_one(p, 6)}"),
      Eval("return {cmsgpack.unpack_one('\\1', -1)}"),
      Eval("local p = cmsgpack.pack(1, 2, 3, 4) return {cmsgpack.unpack_limit(p, 2)}"),
      Eval("local p = cmsgpack.pack(1, 2, 3, 4) return {cmsgpack.unpack_limit(p, 2, 2)}"),
      Eval("local p = cmsgpack.pack(1, 2, 3, 4) return {cmsgpack.unpack_limit(p, 0)}"),
      Eval("local p = cmsgpack.pack(1, 2, 3, 4) return {cmsgpack.unpack_limit(p, 0, 1)}"),
      Eval("local p = cmsgpack.pack(1, 2, 3, 4) return {cmsgpack.unpack_limit(p, 9)}"),
      Eval("return {cmsgpack.unpack_limit('\\1', -2)}"),
      Eval("return {cmsgpack.unpack_limit('\\1')}"),
      Eval("return {cmsgpack.unpack_limit('\\1\\205', 1)}"),
      Eval("return {cmsgpack.unpack_limit('\\1\\205', 2)}"),
  }));
  s.push_back(S("library table", {
      Eval("return {cmsgpack._NAME, cmsgpack._VERSION, cmsgpack._COPYRIGHT, "
           "cmsgpack._DESCRIPTION}"),
      Eval("local t = {} for k in pairs(cmsgpack) do t[#t+1] = k end table.sort(t) return t"),
      Eval("cmsgpack.pack = nil"), Eval("cmsgpack.x = 1"), Eval("return type(cmsgpack)"),
  }));
  // clang-format on
  return s;
}

}  // namespace

TEST_CASE("cmsgpack packs and unpacks like redis-server 7, byte for byte",
          "[integration][redis][differential][script]") {
  kvgate::testing::CompareScripts(MsgpackScripts(), /*resp3=*/true);
}
