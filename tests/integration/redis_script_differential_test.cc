// File: tests/integration/redis_script_differential_test.cc
// Lua scripts (EVAL EVALSHA EVAL_RO EVALSHA_RO SCRIPT) against a real redis-server 7.0, byte for
// byte in RESP2 and RESP3 (support/script_diff.h): RESP<->Lua conversions both ways (setresp 2
// and 3), script and redis.call errors with their positions, redis.pcall error tables and
// Redis's pcall, the sandbox (read-only globals and libraries, missing globals, no os/io),
// KEYS/ARGV, the SCRIPT subcommands, EVALSHA, SELECT inside a script, EVAL inside MULTI, cjson
// and bit. Not compared: math.random (redis-server's sequence depends on every script run
// before), the global table's listing (struct is not provided), addresses. cmsgpack:
// redis_msgpack_differential_test.cc.
//
//   CompareScripts(ScriptScripts(), /*resp3=*/true);
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "integration/support/script_diff.h"

namespace {

using kvgate::testing::Eval;
using kvgate::testing::S;
using kvgate::testing::Script;

std::vector<Script> ScriptScripts() {
  // Tables of commands read best one per line; keep them as written.
  // clang-format off
  std::vector<Script> s;
  s.push_back(S("lua to resp", {
      Eval("return 1"), Eval("return 3.99"), Eval("return -0.5"), Eval("return 1e20"),
      Eval("return -1e20"), Eval("return 0/0"), Eval("return 'str'"), Eval("return ''"),
      Eval("return true"), Eval("return false"), Eval("return nil"), Eval("return"),
      Eval("return {1,'a',{2,{3}},true,false,3.7,-2.5}"), Eval("return {1,2,nil,3}"),
      Eval("return {}"), Eval("return {ok='fine'}"), Eval("return {err='My Error'}"),
      Eval("return {err='-X y'}"), Eval("return {ok='x',err='y'}"), Eval("return {err=5}"),
      Eval("return {ok='a\\r\\nb'}"), Eval("return {err='a\\r\\nb'}"), Eval("return 'a\\r\\nb'"),
      Eval("return {double=3.5}"), Eval("return {double=1/0}"), Eval("return {big_number='123'}"),
      Eval("return {map={a=1}}"), Eval("return {set={a=true}}"),
      Eval("return {map={a={1,2}}}"), Eval("return {verbatim_string={format='txt',string='hi'}}"),
      Eval("return print"), Eval("return loadstring"), Eval("return {a=1,b=2}"),
      Eval("local t = {} setmetatable(t, {__index=function() return 1 end}) return t"),
  }));
  s.push_back(S("resp to lua", {
      {"SET", "s", "abc"}, {"HSET", "h", "f", "v"}, {"SADD", "set", "m"},
      {"ZADD", "z", "1.5", "a"},
      Eval("return redis.call('get','s')"), Eval("return redis.call('get','nokey')"),
      Eval("return type(redis.call('get','nokey'))"), Eval("return redis.call('set','k','v')"),
      Eval("return redis.call('set','k','v').ok"), Eval("return redis.call('ping')"),
      Eval("return redis.call('incr','n')"), Eval("return type(redis.call('incr','n'))"),
      Eval("return redis.call('hgetall','h')"), Eval("return redis.call('smembers','set')"),
      Eval("return redis.call('zscore','z','a')"),
      Eval("return redis.call('zrange','z',0,-1,'withscores')"),
      Eval("return redis.call('mget','s','nokey','k')"),
      Eval("return redis.call('echo','a\\r\\nb')"),
      Eval("redis.call('set','k',0.1) return redis.call('get','k')"),
      Eval("redis.call('set','k',3) return redis.call('get','k')"),
      Eval("redis.call('set','k',1e20) return redis.call('get','k')"),
      Eval("redis.call('set','k',-2.5) return redis.call('get','k')"),
  }));
  s.push_back(S("setresp 3", {
      {"HSET", "h", "f", "v"}, {"SADD", "set", "m"}, {"ZADD", "z", "1.5", "a"},
      Eval("return redis.setresp(3)"), Eval("redis.setresp(4)"), Eval("redis.setresp()"),
      Eval("redis.setresp(3) return redis.call('hgetall','h')"),
      Eval("redis.setresp(3) return redis.call('hgetall','h').map.f"),
      Eval("redis.setresp(3) return redis.call('hgetall','nokey')"),
      Eval("redis.setresp(3) return redis.call('smembers','set')"),
      Eval("redis.setresp(3) return redis.call('smembers','set').set.m"),
      Eval("redis.setresp(3) return redis.call('zscore','z','a')"),
      Eval("redis.setresp(3) return redis.call('zscore','z','a').double"),
      Eval("redis.setresp(3) return redis.call('get','nokey')"),
      Eval("redis.setresp(3) return type(redis.call('get','nokey'))"),
      Eval("redis.setresp(3) return redis.call('exists','z')"),
      Eval("redis.setresp(3) return {true, false}"), Eval("redis.setresp(3) return false"),
      Eval("redis.setresp(3) return redis.call('zrange','z',0,-1,'withscores')"),
      Eval("redis.setresp(3) redis.setresp(2) return redis.call('hgetall','h')"),
  }));
  s.push_back(S("script errors", {
      Eval("error('x')"), Eval("\n\nerror('line3')"), Eval("error({err='tbl'})"),
      Eval("error({err='ERR tbl'})"), Eval("return error()"), Eval("error(nil)"),
      Eval("error(5)"), Eval("error(true)"), Eval("return +"), Eval("return nil + 1"),
      Eval("local function f() error('deep') end f()"), Eval("return ('x'):bad()"),
      {"SCRIPT", "LOAD", "return +"}, {"EVAL", "return 1", "-1"}, {"EVAL", "return 1", "x"},
      {"EVAL", "return 1", "2", "a"}, {"EVAL", "return 1"}, {"EVALSHA", "e0e1", "0"},
      {"EVALSHA", "0000000000000000000000000000000000000000", "0"},
      {"EVALSHA", "0000000000000000000000000000000000000000", "-1"},
  }));
  s.push_back(S("redis.call errors", {
      {"SET", "s", "abc"},
      Eval("return redis.call()"), Eval("return redis.call({})"),
      Eval("return redis.call('get',{})"), Eval("return redis.call('get',true)"),
      Eval("return redis.call('get')"), Eval("return redis.call('nosuch')"),
      Eval("return redis.call('multi')"), Eval("return redis.call('eval','return 1','0')"),
      Eval("return redis.call('subscribe','c')"), Eval("return redis.call('watch','x')"),
      Eval("return redis.call('script','load','return 1')"),
      Eval("return redis.call('client','nosuch')"), Eval("return redis.call('client')"),
      Eval("return redis.call('ping','a','b')"), Eval("return redis.call('incr','s')"),
      Eval("local function f() return redis.call('incr','s') end f()"),
      Eval("return redis.pcall('incr','s')"), Eval("return redis.pcall('incr','s').err"),
      Eval("return redis.pcall('nosuch')"), Eval("return redis.pcall('nosuch').err"),
      Eval("return redis.pcall('get','a','b')"), Eval("return redis.pcall()"),
      Eval("return pcall(redis.call, 'nosuch')"),
      Eval("local ok, e = pcall(redis.call, 'nosuch') return {tostring(ok), e}"),
      Eval("local ok, e = pcall(redis.call, 'incr', 's') return e"),
      Eval("local ok, e = pcall(error, 'x') return e"),
      Eval("local ok, e = pcall(error, {err='y'}) return e"),
      Eval("local ok, e = pcall(error, {x='y'}) return type(e)"),
      Eval("return {pcall(function() return 1, 2 end)}"),
  }));
  s.push_back(S("redis library", {
      Eval("return redis.error_reply('boom')"), Eval("return redis.error_reply('-X boom')"),
      Eval("return redis.error_reply('boom').err"), Eval("return redis.error_reply(5)"),
      Eval("return redis.error_reply()"), Eval("return redis.status_reply('st')"),
      Eval("return redis.status_reply('st').ok"), Eval("return redis.status_reply({})"),
      Eval("return redis.sha1hex('')"), Eval("return redis.sha1hex('abc')"),
      Eval("return redis.sha1hex(5)"), Eval("return redis.sha1hex()"),
      Eval("return redis.log(redis.LOG_WARNING,'hi')"), Eval("return redis.log('x')"),
      Eval("return redis.log(99,'x')"),
      Eval("return {redis.LOG_DEBUG,redis.LOG_VERBOSE,redis.LOG_NOTICE,redis.LOG_WARNING}"),
      Eval("return {redis.REPL_NONE,redis.REPL_AOF,redis.REPL_SLAVE,redis.REPL_REPLICA,"
           "redis.REPL_ALL}"),
      Eval("return redis.set_repl(redis.REPL_ALL)"), Eval("return redis.set_repl(99)"),
      Eval("return redis.replicate_commands()"), Eval("return redis.breakpoint()"),
      Eval("return redis.debug('x')"),
      Eval("return redis.REDIS_VERSION .. ' ' .. redis.REDIS_VERSION_NUM"),
      Eval("return cjson.encode({1,2,{a=3}})"),
      Eval("return cjson.decode('[1,2,{\"a\":3}]')[3].a"),
      Eval("return cjson.encode(cjson.decode('{\"k\":[true,false,null,1.5,\"s\"]}'))"),
      Eval("return bit.band(0xff, 0x0f)"), Eval("return bit.tohex(255)"),
      Eval("return {bit.bor(1,2), bit.bxor(3,1), bit.lshift(1,4), bit.rshift(256,4)}"),
      Eval("math.randomseed(1) return math.random(1000)"),
      Eval("math.randomseed(7) return {math.random(10), math.random(5, 9)}"),
      Eval("return {string.format('%d', 5), table.concat({'a','b'}, ','), math.floor(2.5)}"),
      Eval("return {type(unpack), type(loadstring), type(gcinfo), type(coroutine.wrap)}"),
      Eval("local co = coroutine.wrap(function(a) coroutine.yield(a + 1) return 0 end) "
           "return {co(1), co()}"),
  }));
  s.push_back(S("sandbox", {
      Eval("x=1"), Eval("return y"), Eval("string.x=1 return 1"), Eval("redis.x=1"),
      Eval("redis.call = nil"), Eval("_G.x = 1"), Eval("cjson.encode = nil"),
      Eval("table.x = 1"), Eval("math.pi = 3"), Eval("bit.x = 1"),
      Eval("return os"), Eval("return io"), Eval("return loadfile"), Eval("return dofile"),
      Eval("return print"), Eval("return require"), Eval("return package"),
      Eval("return debug"), Eval("return getfenv"), Eval("return newproxy"),
      Eval("return type(_G)"), Eval("return _G.redis ~= nil"),
      Eval("return rawget(_G, 'redis') ~= nil"),
      Eval("local t = {} for k in pairs(redis) do t[#t+1] = k end table.sort(t) return t"),
      Eval("local t = {} for k in pairs(string) do t[#t+1] = k end table.sort(t) return t"),
      Eval("return loadstring('return 1')()"), Eval("return loadstring('x=1')()"),
      Eval("local f = loadstring('return +') return f"),
      Eval("KEYS[1]='x' return KEYS[1]"), Eval("local x = 5 return x"),
  }));
  s.push_back(S("keys argv", {
      Eval("return {KEYS, ARGV}", {"2", "k1", "k2", "a1", "a2", "a3"}),
      Eval("return #KEYS + #ARGV"), Eval("return KEYS[1]..ARGV[1]", {"1", "k", "a"}),
      Eval("return redis.call('set', KEYS[1], ARGV[1])", {"1", "key", "val"}),
      {"GET", "key"}, Eval("return redis.call('get', 'key')", {"0"}),
      Eval("return ARGV", {"0", "", "x"}),
  }));
  s.push_back(S("script subcommands and evalsha", {
      {"SCRIPT", "LOAD", "return 'loaded'"},
      {"SCRIPT", "EXISTS", "a6b2ac6d0da1390a5c53d5c6d7bcb6fb0b7dd8cd", "0000"},
      {"EVALSHA", "a6b2ac6d0da1390a5c53d5c6d7bcb6fb0b7dd8cd", "0"},
      {"EVALSHA_RO", "a6b2ac6d0da1390a5c53d5c6d7bcb6fb0b7dd8cd", "0"},
      {"EVALSHA", "A6B2AC6D0DA1390A5C53D5C6D7BCB6FB0B7DD8CD", "0"},
      {"EVAL", "return KEYS[1]", "1", "x"},
      {"EVALSHA", "ba53a2e2d0f09bf2d84b9f6a44f06f4b1a0d8b31", "1", "y"},
      {"SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"},
      {"SCRIPT", "FLUSH"}, {"SCRIPT", "FLUSH", "ASYNC"}, {"SCRIPT", "FLUSH", "sync"},
      {"SCRIPT", "FLUSH", "x"}, {"SCRIPT", "FLUSH", "SYNC", "x"},
      {"SCRIPT", "EXISTS", "a6b2ac6d0da1390a5c53d5c6d7bcb6fb0b7dd8cd"},
      {"EVALSHA", "a6b2ac6d0da1390a5c53d5c6d7bcb6fb0b7dd8cd", "0"},
      {"SCRIPT", "KILL"}, {"SCRIPT", "EXISTS"}, {"SCRIPT", "HELP"}, {"SCRIPT", "nosuch"},
      {"SCRIPT"}, {"SCRIPT", "LOAD"},
  }));
  s.push_back(S("read-only scripts", {
      {"SET", "a", "1"},
      {"EVAL_RO", "return redis.call('get',KEYS[1])", "1", "a"},
      {"EVAL_RO", "return redis.pcall('set','a','2')", "1", "a"},
      {"EVAL_RO", "return redis.call('incr','a')", "1", "a"},
      {"EVAL_RO", "return redis.call('publish','c','m')", "0"},
      {"SCRIPT", "LOAD", "return redis.call('del', 'a')"},
      {"EVALSHA_RO", "9f1d3b4c1d3c43d3a9a7e01b0afdba3b7a0a5ac2", "0"}, {"GET", "a"},
  }));
  s.push_back(S("select inside a script", {
      Eval("redis.call('select','1') redis.call('set','x','db1') return redis.call('dbsize')"),
      {"DBSIZE"}, {"SELECT", "1"}, {"GET", "x"},
      Eval("redis.call('select','0') return redis.call('get','x')"), {"GET", "x"},
      Eval("return redis.call('select','99')"),
  }));
  s.push_back(S("eval inside multi", {
      {"MULTI"}, Eval("return redis.call('incr','mc')"),
      {"EVALSHA", "0000000000000000000000000000000000000000", "0"}, Eval("error('in multi')"),
      Eval("return redis.call('incr','mc')"), {"EXEC"},
      {"WATCH", "w"}, Eval("return redis.call('set','w','1')"), {"MULTI"}, {"GET", "w"},
      {"EXEC"},
  }));
  // clang-format on
  return s;
}

}  // namespace

TEST_CASE("Lua scripts answer like redis-server 7, byte for byte",
          "[integration][redis][differential][script]") {
  kvgate::testing::CompareScripts(ScriptScripts(), /*resp3=*/true);
}
