// Differential test: the same request scripts (valid, pipelined, split and malformed) go to a
// real redis-server started here and to kvgate; replies must match byte for byte, and so must
// whether the server closed the connection (support/script_diff.h). Families with many scripts
// keep them in a file of their own beside this one.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "integration/support/multi_conn_diff.h"
#include "integration/support/script_diff.h"

using kvgate::testing::CompareMulti;
using kvgate::testing::MultiScript;
using kvgate::testing::Raw;
using kvgate::testing::S;
using kvgate::testing::Script;

namespace {

std::vector<Script> Scripts() {
  // Tables of commands read best one script per line; keep them as written.
  // clang-format off
  std::vector<Script> s;
  // --- connection ---
  s.push_back(S("ping echo", {{"PING"}, {"PING", "hello"}, {"PING", ""}, {"PING", "a", "b"},
                              {"ECHO", "bin\x01\r\nx"}, {"ECHO"}, {"ECHO", "a", "b"}, {"ping"}}));
  s.push_back(S("select", {{"SELECT", "0"}, {"SELECT", "15"}, {"SELECT", "abc"}, {"SELECT", "-1"},
                           {"SELECT", "16"}, {"SELECT"}}));
  s.push_back(S("hello errors", {{"HELLO", "1"}, {"HELLO", "4"}, {"HELLO", "abc"},
                                 {"HELLO", "3", "FOO"}, {"HELLO", "3", "AUTH", "default"},
                                 {"HELLO", "3", "AUTH", "nouser", "pw"}}));
  s.push_back(S("auth", {{"AUTH", "pw"}, {"AUTH", "default", "anything"}, {"AUTH", "u", "pw"},
                         {"AUTH"}, {"AUTH", "a", "b", "c"}}));
  s.push_back(S("client names", {{"CLIENT", "GETNAME"}, {"CLIENT", "SETNAME", "app-1"},
                                 {"CLIENT", "GETNAME"}, {"CLIENT", "SETNAME", "has space"},
                                 {"CLIENT", "SETNAME", ""}, {"CLIENT", "GETNAME"}, {"CLIENT"},
                                 {"CLIENT", "SETNAME"}, {"CLIENT", "SETNAME", "a", "b"},
                                 {"CLIENT", "GETNAME", "x"}, {"CLIENT", "ID", "x"},
                                 {"CLIENT", "NOSUCH"}}));
  s.push_back(S("unknown command", {{"NOSUCH"}, {"nosuch", "a", "b"},
                                    {"FOO", std::string(200, 'x'), "y"},
                                    {"BAR", "line\r\nbreak", "nul\0cut"}}));
  // --- strings ---
  s.push_back(S("get set basics", {{"GET", "k"}, {"SET", "k", "v"}, {"GET", "k"},
                                   {"SET", "e", ""}, {"GET", "e"}, {"EXISTS", "e"},
                                   {"SET", "k"}, {"GET"}, {"GET", "a", "b"}}));
  s.push_back(S("set options", {{"SET", "k", "1", "NX"}, {"SET", "k", "2", "NX"}, {"GET", "k"},
                                {"SET", "k", "3", "XX"}, {"SET", "missing", "3", "XX"},
                                {"SET", "k", "4", "GET"}, {"SET", "new", "5", "GET"},
                                {"SET", "k", "6", "nx", "get"}, {"SET", "k", "7", "XX", "GET"},
                                {"SET", "nx2", "8", "XX", "GET"}, {"EXISTS", "nx2"},
                                {"SET", "k", "v", "NX", "XX"}, {"SET", "k", "v", "EX", "10", "PX", "100"},
                                {"SET", "k", "v", "EXAT", "1", "PXAT", "1"},
                                {"SET", "k", "v", "KEEPTTL", "EX", "10"}, {"SET", "k", "v", "EX"},
                                {"SET", "k", "v", "FOO"}, {"SET", "k", "v", "EX", "10", "EX", "10"},
                                {"SET", "k", "v", "GET", "GET"}, {"SET", "k", "v", "EX", "abc"},
                                {"SET", "k", "v", "EX", "1.5"}, {"SET", "k", "v", "EX", "0"},
                                {"SET", "k", "v", "EX", "-1"}, {"SET", "k", "v", "PX", "0"},
                                {"SET", "k", "v", "EX", "9223372036854775807"},
                                {"SET", "k", "v", "EX", "9223372036854775"},
                                {"SET", "k", "v", "PX", "9223372036854775807"},
                                {"SET", "k", "v", "EX", "99999999999999999999"},
                                {"SET", "past", "v", "EXAT", "1"}, {"EXISTS", "past"},
                                {"SET", "pastpx", "v", "PXAT", "1000"}, {"GET", "pastpx"}}));
  s.push_back(S("setnx setex", {{"SETNX", "a", "1"}, {"SETNX", "a", "2"}, {"GET", "a"},
                                {"SETEX", "b", "100", "v"}, {"SETEX", "b", "0", "v"},
                                {"SETEX", "b", "-5", "v"}, {"SETEX", "b", "abc", "v"},
                                {"PSETEX", "c", "100000", "v"}, {"PSETEX", "c", "0", "v"},
                                {"SETEX", "b", "9223372036854775807", "v"}, {"GET", "b"},
                                {"SETNX", "a"}}));
  s.push_back(S("getset getdel getex", {{"GETSET", "g", "1"}, {"GETSET", "g", "2"},
                                        {"GETDEL", "g"}, {"GETDEL", "g"}, {"SET", "x", "1"},
                                        {"GETEX", "x"}, {"GETEX", "x", "EX", "100"},
                                        {"GETEX", "x", "PERSIST"}, {"GETEX", "nokey", "EX", "10"},
                                        {"GETEX", "x", "EX", "10", "PX", "10"},
                                        {"GETEX", "x", "PERSIST", "EX", "10"},
                                        {"GETEX", "x", "FOO"}, {"GETEX", "x", "EX"},
                                        {"GETEX", "x", "EX", "0"}, {"GETEX", "x", "EX", "abc"},
                                        {"GETEX", "x", "EXAT", "1"}, {"EXISTS", "x"}}));
  s.push_back(S("mget mset msetnx", {{"MSET", "a", "1", "b", "2", "a", "3"}, {"MGET", "a", "b", "c", "a"},
                                     {"MSET", "a"}, {"MSET", "a", "1", "b"},
                                     {"MSETNX", "x", "1", "y", "2"}, {"MSETNX", "x", "1", "z", "2"},
                                     {"MGET", "x", "y", "z"}, {"MSETNX", "d", "1", "d", "2"},
                                     {"GET", "d"}, {"MSETNX", "q"}}));
  s.push_back(S("append strlen getrange", {{"APPEND", "s", "Hello"}, {"APPEND", "s", " World"},
                                           {"STRLEN", "s"}, {"STRLEN", "nope"},
                                           {"APPEND", "e", ""}, {"EXISTS", "e"},
                                           {"GETRANGE", "s", "0", "4"}, {"GETRANGE", "s", "-5", "-1"},
                                           {"GETRANGE", "s", "-100", "3"},
                                           {"GETRANGE", "s", "-100", "-50"},
                                           {"GETRANGE", "s", "3", "-100"}, {"GETRANGE", "s", "5", "3"},
                                           {"GETRANGE", "s", "0", "9223372036854775807"},
                                           {"GETRANGE", "nope", "0", "1"},
                                           {"GETRANGE", "s", "a", "1"}}));
  s.push_back(S("setrange", {{"SETRANGE", "r", "5", "abc"}, {"GET", "r"},
                             {"SETRANGE", "r", "0", "X"}, {"GET", "r"},
                             {"SETRANGE", "missing", "3", ""}, {"EXISTS", "missing"},
                             {"SETRANGE", "r", "2", ""}, {"SETRANGE", "r", "-1", "x"},
                             {"SETRANGE", "r", "536870911", "xy"}, {"SETRANGE", "r", "abc", "x"}}));
  s.push_back(S("counters", {{"INCR", "n"}, {"INCRBY", "n", "10"}, {"DECR", "n"},
                             {"DECRBY", "n", "5"}, {"INCRBY", "n", "abc"}, {"SET", "s", "x"},
                             {"INCR", "s"}, {"SET", "sp", " 1"}, {"INCR", "sp"},
                             {"SET", "lz", "01"}, {"INCR", "lz"}, {"SET", "m0", "-0"}, {"INCR", "m0"},
                             {"SET", "big", "9223372036854775807"}, {"INCR", "big"},
                             {"SET", "small", "-9223372036854775808"}, {"DECR", "small"},
                             {"DECRBY", "z", "-9223372036854775808"},
                             {"INCRBY", "n", "+1"}, {"INCRBY", "n", "1.0"}, {"TYPE", "n"}}));
  s.push_back(S("incrbyfloat", {{"SET", "f", "10.5"}, {"INCRBYFLOAT", "f", "0.1"},
                                {"INCRBYFLOAT", "g", "0.1"}, {"INCRBYFLOAT", "g", "0.1"},
                                {"INCRBYFLOAT", "g", "0.1"}, {"SET", "h", "5.6"},
                                {"INCRBYFLOAT", "h", "5.0e3"}, {"SET", "i", "1e17"},
                                {"INCRBYFLOAT", "i", "1"}, {"SET", "j", "3"}, {"INCRBYFLOAT", "j", "1"},
                                {"INCRBYFLOAT", "k0", "-0.0"}, {"INCRBYFLOAT", "k1", "1e-5"},
                                {"INCRBYFLOAT", "k2", "5."}, {"INCRBYFLOAT", "k3", ".5"},
                                {"INCRBYFLOAT", "k4", "1.2345678901234567890123"},
                                {"INCRBYFLOAT", "f", "abc"}, {"INCRBYFLOAT", "f", ""},
                                {"INCRBYFLOAT", "f", "1 "}, {"INCRBYFLOAT", "f", "nan"},
                                {"INCRBYFLOAT", "f", "inf"}, {"INCRBYFLOAT", "f", "-inf"},
                                {"INCRBYFLOAT", "f", "1e"}, {"SET", "sp", " 1"},
                                {"INCRBYFLOAT", "sp", "1"}}));
  // --- keyspace ---
  s.push_back(S("del exists type", {{"MSET", "a", "1", "b", "2"}, {"EXISTS", "a", "a", "b", "c"},
                                    {"DEL", "a", "a", "c"}, {"UNLINK", "b"}, {"EXISTS", "a", "b"},
                                    {"TYPE", "a"}, {"SET", "t", "x"}, {"TYPE", "t"}, {"DEL"}}));
  s.push_back(S("rename copy", {{"SET", "a", "1"}, {"RENAME", "a", "b"}, {"GET", "b"},
                                {"RENAME", "missing", "x"}, {"RENAME", "b", "b"},
                                {"SET", "c", "3"}, {"RENAMENX", "b", "c"}, {"RENAMENX", "b", "b"},
                                {"RENAMENX", "b", "d"}, {"RENAMENX", "nope", "e"},
                                {"COPY", "d", "e"}, {"COPY", "d", "e"}, {"COPY", "d", "e", "REPLACE"},
                                {"COPY", "d", "d"}, {"COPY", "nope", "f"},
                                {"COPY", "d", "e", "FOO"}, {"COPY", "d", "e", "DB", "abc"},
                                {"COPY", "d", "e", "REPLACE", "REPLACE"}, {"MGET", "b", "c", "d", "e"}}));
  s.push_back(S("keys patterns", {{"SET", "hello", "1"}, {"KEYS", "h?llo"}, {"KEYS", "h*o"},
                                  {"KEYS", "h[ae]llo"}, {"KEYS", "h[^e]llo"}, {"KEYS", "h[a-z]llo"},
                                  {"KEYS", "h[z-a]llo"}, {"KEYS", "h[!e]llo"}, {"SET", "h*llo", "2"},
                                  {"KEYS", "h\\*llo"}, {"KEYS", "["}, {"KEYS", "h["}, {"KEYS", "\\"},
                                  {"KEYS", "h[e"}, {"KEYS", "h[]llo"}, {"KEYS", "nomatch*"}}));
  s.push_back(S("scan errors", {{"SCAN", "abc"}, {"SCAN", "18446744073709551616"},
                                {"SCAN", "0", "COUNT", "0"}, {"SCAN", "0", "COUNT", "-1"},
                                {"SCAN", "0", "MATCH"}, {"SCAN", "0", "TYPE"},
                                {"SCAN", "0", "FOO", "x"}, {"SCAN", "0", "COUNT", "abc"},
                                {"SCAN", "0", "TYPE", "hash"}}));
  s.push_back(S("randomkey dbsize flush", {{"RANDOMKEY"}, {"DBSIZE"}, {"SET", "only", "1"},
                                           {"RANDOMKEY"}, {"DBSIZE"}, {"FLUSHDB"}, {"DBSIZE"},
                                           {"FLUSHDB", "ASYNC"}, {"FLUSHALL", "SYNC"},
                                           {"FLUSHDB", "FOO"}, {"FLUSHALL", "a", "b"}}));
  // --- expiry ---
  s.push_back(S("expire options", {{"SET", "k", "v"}, {"TTL", "k"}, {"PTTL", "nokey"},
                                   {"EXPIRE", "k", "100", "XX"}, {"EXPIRE", "k", "100", "GT"},
                                   {"EXPIRE", "k", "100", "LT"}, {"TTL", "k"},
                                   {"EXPIRE", "k", "200", "NX"}, {"EXPIRE", "k", "200", "GT"},
                                   {"EXPIRE", "k", "50", "GT"}, {"EXPIRE", "k", "50", "LT"},
                                   {"TTL", "k"}, {"EXPIRE", "k", "10", "NX", "XX"},
                                   {"EXPIRE", "k", "10", "GT", "LT"}, {"EXPIRE", "k", "10", "FOO"},
                                   {"EXPIRE", "k", "abc"}, {"EXPIRE", "k", "9223372036854775807"},
                                   {"EXPIRE", "k", "9223372036854775"},
                                   {"EXPIRE", "k", "-9223372036854775808"},
                                   {"PEXPIRE", "k", "9223372036854775807"},
                                   {"EXPIRE", "nokey", "10"}, {"PERSIST", "k"}, {"PERSIST", "k"},
                                   {"TTL", "k"}, {"EXPIRETIME", "k"}, {"EXPIRETIME", "nokey"},
                                   {"PEXPIREAT", "k", "32503680000999"}, {"PEXPIRETIME", "k"},
                                   {"EXPIRETIME", "k"}, {"EXPIREAT", "k", "32503680001"},
                                   {"EXPIRETIME", "k"}, {"EXPIRE", "k", "0"}, {"EXISTS", "k"},
                                   {"SET", "k2", "v"}, {"EXPIREAT", "k2", "1"}, {"EXISTS", "k2"},
                                   {"SET", "k3", "v"}, {"EXPIRE", "k3", "100", "xx", "gt"},
                                   {"TTL", "k3"}}));
  s.push_back(S("ttl kept or cleared", {{"SET", "k", "v", "EX", "100"}, {"APPEND", "k", "x"},
                                        {"TTL", "k"}, {"SETRANGE", "k", "0", "y"}, {"TTL", "k"},
                                        {"SET", "k", "v", "KEEPTTL"}, {"TTL", "k"},
                                        {"SET", "k", "v"}, {"TTL", "k"}, {"SET", "c", "1", "EX", "100"},
                                        {"INCR", "c"}, {"TTL", "c"}, {"INCRBYFLOAT", "c", "1.5"},
                                        {"TTL", "c"}, {"GETSET", "c", "1"}, {"TTL", "c"},
                                        {"SET", "r", "1", "EX", "100"}, {"RENAME", "r", "r2"},
                                        {"TTL", "r2"}, {"MSET", "r2", "x"}, {"TTL", "r2"}}));
  // --- transactions ---
  s.push_back(S("multi exec", {{"MULTI"}, {"SET", "a", "1"}, {"INCR", "a"}, {"GET", "a"},
                               {"EXEC"}, {"MULTI"}, {"EXEC"}, {"EXEC"}, {"DISCARD"},
                               {"MULTI"}, {"MULTI"}, {"SET", "x", "1", "NX", "XX"}, {"EXEC"},
                               {"MULTI"}, {"SET", "x"}, {"NOSUCH"}, {"GET", "x"}, {"EXEC"},
                               {"MULTI"}, {"WATCH", "x"}, {"DISCARD"}, {"MULTI"}, {"EXEC", "x"},
                               {"MULTI", "x"}, {"DISCARD", "x"}, {"UNWATCH", "x"}, {"WATCH"},
                               {"MULTI"}, {"PING"}, {"ECHO", "e"}, {"SELECT", "1"}, {"DBSIZE"},
                               {"SELECT", "0"}, {"EXEC"}}));
  s.push_back(S("watch own change", {{"SET", "w", "1"}, {"WATCH", "w"}, {"SET", "w", "2"},
                                     {"MULTI"}, {"GET", "w"}, {"EXEC"}, {"WATCH", "w"}, {"GET", "w"},
                                     {"MULTI"}, {"GET", "w"}, {"EXEC"}, {"WATCH", "w"},
                                     {"EXPIRE", "w", "100"}, {"MULTI"}, {"GET", "w"}, {"EXEC"},
                                     {"WATCH", "nokey"}, {"SET", "nokey", "1"}, {"MULTI"},
                                     {"PING"}, {"EXEC"}, {"WATCH", "w"}, {"FLUSHDB"}, {"MULTI"},
                                     {"PING"}, {"EXEC"}}));
  // --- pub/sub (single connection views) ---
  s.push_back(S("pubsub resp2", {{"PUBLISH", "ch", "m"}, {"SUBSCRIBE", "a", "b"},
                                 {"PSUBSCRIBE", "p*"}, {"GET", "x"}, {"PING"}, {"PING", "x"},
                                 {"UNSUBSCRIBE", "nope"}, {"UNSUBSCRIBE", "a"},
                                 {"PUNSUBSCRIBE", "p*"}, {"UNSUBSCRIBE"}, {"UNSUBSCRIBE"},
                                 {"PUNSUBSCRIBE"}, {"SUBSCRIBE"}, {"PUBLISH", "ch"}}));
  // --- RESP3 ---
  s.push_back(S("resp3 nulls and maps", {{"HELLO", "3", "SETNAME", "x y"}, {"GET", "nokey"},
                                         {"CLIENT", "SETNAME", "n"}, {"MGET", "a", "nokey"},
                                         {"CONFIG", "GET", "nosuchparam"}, {"RANDOMKEY"},
                                         {"SET", "k", "v", "GET"}, {"INCRBYFLOAT", "f", "1.5"},
                                         {"SUBSCRIBE", "c"}, {"GET", "k"}, {"PING"},
                                         {"UNSUBSCRIBE", "c"}, {"MULTI"}, {"GET", "nokey"},
                                         {"EXEC"}}));
  // --- wire protocol ---
  s.push_back(Raw("inline commands", {"PING\r\n", "  PING   \r\n", "ping\n", "\r\n", "   \r\n",
                                      "SET \"a b\" 'c d'\r\nGET \"a b\"\r\n",
                                      "ECHO \"x\\ny\\t\\x41\\\\\"\r\n", "ECHO 'it\\'s'\r\n",
                                      "*0\r\n*-1\r\n*-10\r\nPING\r\n"}));
  s.push_back(Raw("split request", {"*3\r\n$3\r\nSE", "T\r\n$1", "\r\nk\r", "\n$2\r\nvv\r\n",
                                    "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"}));
  s.push_back(Raw("pipelined mixed inline and multibulk",
                  {"PING\r\n*1\r\n$4\r\nPING\r\nECHO hi\r\n*2\r\n$4\r\nECHO\r\n$2\r\nyo\r\n"}));
  s.push_back(Raw("bad multibulk length", {"PING\r\n*abc\r\nPING\r\n"}));
  s.push_back(Raw("huge multibulk length", {"*3000000000\r\n"}));
  s.push_back(Raw("multibulk 2^31", {"*2147483648\r\n"}));
  s.push_back(Raw("expected dollar", {"*1\r\nfoo\r\n"}));
  s.push_back(Raw("negative bulk", {"*1\r\n$-10\r\n"}));
  s.push_back(Raw("bad bulk", {"*1\r\n$blabla\r\n"}));
  s.push_back(Raw("bulk too big", {"*1\r\n$536870913\r\n"}));
  s.push_back(Raw("bulk 2e9", {"*1\r\n$2000000000\r\n"}));
  s.push_back(Raw("unbalanced quotes", {"SET \"k v\r\n"}));
  s.push_back(Raw("quote not followed by space", {"SET d \"a\"b\r\n"}));
  s.push_back(Raw("triple quotes", {"set \"\"\"k\"\"\" v\r\n"}));
  s.push_back(Raw("too big inline", {std::string(70000, 'a')}));
  s.push_back(Raw("quit stops the pipeline", {"PING\r\nQUIT\r\nPING\r\n"}));
  s.push_back(Raw("binary garbage", {std::string("\x00\xff\xfe*\r\n$\r\n", 9)}));
  return s;
  // clang-format on
}

}  // namespace

TEST_CASE("kvgate answers like redis-server 7, byte for byte",
          "[integration][redis][differential]") {
  kvgate::testing::CompareScripts(Scripts());
}

// ---- client-side caching: scripts over several connections ----
// Invalidations land on other connections than the one that wrote, so these scripts are steps
// (connection, command) and each connection's transcript is compared. "{idN}" in an argument
// is connection N's client id on the server under test.
namespace {

std::vector<MultiScript> TrackingScripts() {
  std::vector<MultiScript> s;
  s.push_back({"tracking resp3 default mode",
               2,
               {{0, {"HELLO", "3"}, true},
                {0, {"CLIENT", "TRACKING", "ON"}},
                {0, {"GET", "k"}},
                {0, {"SET", "k", "v"}},
                {0, {"MGET", "k", "j"}},
                {1, {"SET", "j", "1"}},
                {1, {"SET", "j", "2"}},
                {0, {"GET", "k"}},
                {0, {"MULTI"}},
                {0, {"SET", "k", "2"}},
                {0, {"GET", "k"}},
                {0, {"SET", "k", "3"}},
                {0, {"EXEC"}},
                {0, {"EXISTS", "e3"}},
                {0, {"STRLEN", "e5"}},
                {1, {"MSET", "e3", "1", "e5", "1"}},
                {0, {"GET", "e6"}},
                {1, {"EXPIRE", "e6", "100"}},
                {1, {"SET", "e6", "x"}},
                {0, {"GET", "e6"}},
                {1, {"PERSIST", "e6"}},
                {1, {"EXPIRE", "e6", "100"}},
                {0, {"GET", "e6"}},
                {1, {"GETDEL", "e6"}},
                {0, {"GET", "f"}},
                {0, {"FLUSHDB"}},
                {1, {"FLUSHALL"}},
                {0, {"CLIENT", "TRACKINGINFO"}},
                {0, {"CLIENT", "GETREDIR"}},
                {0, {"CLIENT", "TRACKING", "OFF"}},
                {0, {"CLIENT", "TRACKINGINFO"}}}});
  s.push_back({"tracking bcast and noloop",
               3,
               {{1, {"HELLO", "3"}, true},
                {2, {"HELLO", "3"}, true},
                {1, {"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "b", "PREFIX", "a"}},
                {0, {"SET", "az",  "1",  "",  "SET", "bx",  "1",  "", "SET", "aa", "1",
                     "",    "SET", "az", "2", "",    "DEL", "aa", "", "SET", "zz", "1"}},
                {1, {"SET", "a1", "x"}},
                {2, {"CLIENT", "TRACKING", "ON", "BCAST", "NOLOOP"}},
                {2, {"SET", "n", "1"}},
                {0, {"SET", "n", "2"}},
                {2, {"SET", "mine", "1", "", "SET", "theirs", "1"}},
                {0, {"SET", "theirs", "2"}},
                {1, {"CLIENT", "TRACKINGINFO"}},
                {2, {"CLIENT", "TRACKINGINFO"}},
                {0, {"FLUSHDB"}}}});
  s.push_back({"tracking resp2 redirect",
               3,
               {{0, {"SUBSCRIBE", "__redis__:invalidate"}},
                {1, {"CLIENT", "TRACKING", "ON", "REDIRECT", "{id0}"}},
                {1, {"GET", "k"}},
                {2, {"SET", "k", "1"}},
                {1, {"GET", "k"}},
                {1, {"GET", "k2"}},
                {2, {"MSET", "k", "1", "k2", "2"}},
                {2, {"FLUSHALL"}},
                {1, {"CLIENT", "TRACKING", "ON", "REDIRECT", "{id0}", "REDIRECT", "{id0}"}}}});
  s.push_back({"tracking optin optout",
               2,
               {{0, {"HELLO", "3"}, true},
                {0, {"CLIENT", "TRACKING", "ON", "OPTIN"}},
                {0, {"GET", "o1"}},
                {0, {"CLIENT", "CACHING", "YES"}},
                {0, {"GET", "o2"}},
                {0, {"GET", "o1"}},
                {1, {"MSET", "o1", "1", "o2", "1"}},
                {0, {"CLIENT", "CACHING", "YES"}},
                {0, {"MULTI"}},
                {0, {"GET", "o3"}},
                {0, {"GET", "o4"}},
                {0, {"EXEC"}},
                {1, {"MSET", "o3", "1", "o4", "1"}},
                {0, {"CLIENT", "TRACKING", "OFF"}},
                {0, {"CLIENT", "TRACKING", "ON", "OPTOUT"}},
                {0, {"CLIENT", "CACHING", "NO"}},
                {0, {"CLIENT", "TRACKINGINFO"}},
                {0, {"GET", "p1"}},
                {0, {"GET", "p2"}},
                {1, {"MSET", "p1", "1", "p2", "1"}}}});
  s.push_back({"tracking errors",
               1,
               {{0, {"CLIENT", "TRACKING", "ON", "PREFIX", "x"}},
                {0, {"CLIENT", "TRACKING", "ON", "BCAST", "OPTIN"}},
                {0, {"CLIENT", "TRACKING", "ON", "OPTIN", "OPTOUT"}},
                {0, {"CLIENT", "TRACKING", "ON", "REDIRECT", "999999"}},
                {0, {"CLIENT", "TRACKING", "ON", "REDIRECT", "abc"}},
                {0, {"CLIENT", "TRACKING", "ON", "FOO"}},
                {0, {"CLIENT", "TRACKING", "MAYBE"}},
                {0, {"CLIENT", "TRACKING"}},
                {0, {"CLIENT", "TRACKING", "ON", "BCAST"}},
                {0, {"CLIENT", "TRACKING", "ON"}},
                {0, {"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "ab"}},
                {0, {"CLIENT", "TRACKING", "OFF"}},
                {0, {"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "ab", "PREFIX", "a"}},
                {0, {"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "ab"}},
                {0, {"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "abc"}},
                {0, {"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "x"}},
                {0, {"CLIENT", "TRACKINGINFO"}},
                {0, {"CLIENT", "CACHING", "YES"}},
                {0, {"CLIENT", "TRACKING", "OFF", "BCAST"}},
                {0, {"CLIENT", "CACHING", "YES"}},
                {0, {"CLIENT", "TRACKING", "ON", "OPTIN"}},
                {0, {"CLIENT", "CACHING", "NO"}},
                {0, {"CLIENT", "CACHING", "MAYBE"}},
                {0, {"CLIENT", "CACHING", "YES"}},
                {0, {"CLIENT", "TRACKINGINFO"}},
                {0, {"PING"}},
                {0, {"CLIENT", "TRACKINGINFO"}},
                {0, {"CLIENT", "TRACKING", "ON", "OPTOUT"}},
                {0, {"CLIENT", "CACHING"}},
                {0, {"CLIENT", "GETREDIR", "x"}}}});
  return s;
}

std::vector<MultiScript> KeyspaceScripts() {
  // Connection 0 listens to every keyspace and keyevent channel of every database; connection 1
  // writes. Each step is its own round trip, so events arrive in the order Redis fires them.
  // clang-format off
  std::vector<MultiScript> s;
  s.push_back({"keyspace events with the new-key class",
               2,
               {{0, {"PSUBSCRIBE", "__key*__:*"}},
                {1, {"CONFIG", "SET", "notify-keyspace-events", "KEAn"}},
                {1, {"CONFIG", "GET", "notify-keyspace-events"}},
                {1, {"SET", "a", "1"}},
                {1, {"SET", "a", "2"}},
                {1, {"SET", "n1", "1", "NX"}},
                {1, {"SET", "n1", "2", "NX"}},
                {1, {"INCR", "c"}},
                {1, {"INCR", "c"}},
                {1, {"INCRBYFLOAT", "f", "1.5"}},
                {1, {"APPEND", "s", "x"}},
                {1, {"SETRANGE", "r", "2", "x"}},
                {1, {"MSET", "a", "3", "m", "1"}},
                {1, {"MSETNX", "x1", "1", "x2", "2"}},
                {1, {"SETEX", "e", "100", "v"}},
                {1, {"GETSET", "g", "1"}},
                {1, {"SET", "g", "2", "GET"}},
                {1, {"DEL", "a"}},
                {1, {"SET", "a", "again"}},
                {1, {"RENAME", "a", "b"}},
                {1, {"RENAME", "b", "c"}},
                {1, {"COPY", "c", "d"}},
                {1, {"COPY", "c", "d", "REPLACE"}},
                {1, {"COPY", "c", "d", "DB", "1"}},
                {1, {"MOVE", "d", "2"}},
                {1, {"SET", "px", "1", "PX", "1"}},
                {1, {"SET", "px", "2"}},
                {1, {"CONFIG", "SET", "notify-keyspace-events", "Kn"}},
                {1, {"CONFIG", "GET", "notify-keyspace-events"}},
                {1, {"SET", "only-new", "1"}},
                {1, {"SET", "only-new", "2"}},
                {1, {"CONFIG", "SET", "notify-keyspace-events", "KEA"}},
                {1, {"SET", "not-new", "1"}},
                {1, {"CONFIG", "SET", "notify-keyspace-events", ""}},
                {1, {"SET", "quiet", "1"}}}});
  // clang-format on
  return s;
}

}  // namespace

TEST_CASE("client tracking answers like redis-server 7 on every connection",
          "[integration][redis][differential]") {
  CompareMulti(TrackingScripts());
}

TEST_CASE("keyspace notifications answer like redis-server 7, new-key class included",
          "[integration][redis][differential]") {
  CompareMulti(KeyspaceScripts());
}
