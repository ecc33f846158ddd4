// File: tests/integration/redis_acl_differential_test.cc
// AUTH, requirepass and ACL against a real redis-server 7.0, connection by connection (AUTH is
// per connection): NOAUTH / WRONGPASS / NOPERM texts, HELLO AUTH, ACL SETUSER rule errors, ACL
// LIST / GETUSER output (rule order and normalisation), %R~ / %W~ key patterns against each
// command's key specs (movable keys included), channel patterns for PUBLISH / SUBSCRIBE /
// PSUBSCRIBE (a pattern matches literally), NOPERM at MULTI queue time, scripts checked as the
// calling user, ACL DRYRUN, ACL DELUSER closing its user's connections, and CLIENT LIST/INFO's
// user field (the only field compared: the others name sockets and sizes). RESP2 and RESP3.
//
// Each script starts from the reference state: the default user `on nopass ~* &* +@all`, only
// the users "default" and "admin" (the harness's own), requirepass "", an empty ACL LOG.
// ACL LIST prints single-command rules in redis-server's hash-table order, which changes from
// run to run: scripts keep at most one such rule per user.
#include <catch2/catch.hpp>

#include <cstdio>
#include <regex>
#include <string>
#include <vector>

#include "integration/support/multi_conn_diff.h"
#include "integration/support/process.h"
#include "integration/support/resp_client.h"

namespace {

using kvgate::testing::EncodeCommand;
using kvgate::testing::MultiScript;
using kvgate::testing::Printable;
using kvgate::testing::RawConn;

// Back to the reference state through the harness's admin user (which the scripts keep).
void ResetServer(int port) {
  RawConn c(port);
  c.Call({"AUTH", "admin", "adminpw"});
  c.Call({"ACL", "SETUSER", "default", "on", "resetpass", "nopass", "~*", "&*", "+@all"});
  c.Call({"CONFIG", "SET", "requirepass", ""});
  std::string users = c.Call({"ACL", "USERS"});
  for (const char* name : {"alice", "bob", "carol", "dave", "kp", "sc", "mu", "pub", "x", "y"}) {
    c.Call({"ACL", "DELUSER", name});
  }
  c.Call({"ACL", "LOG", "RESET"});
  c.Call({"FLUSHALL"});
}

void CreateAdmin(int port) {
  RawConn c(port);
  std::string r = c.Call({"ACL", "SETUSER", "admin", "on", ">adminpw", "~*", "&*", "+@all"});
  REQUIRE(r == "+OK\r\n");
}

// CLIENT INFO / CLIENT LIST replies (and ACL LOG's client-info) keep only their user= fields
// (the rest names sockets, sizes and ids that differ between the servers).
std::string KeepUserFields(const std::string& transcript) {
  static const std::regex kClientInfo(R"(([$=])(\d+)\r\n((txt:)?id=[^\r]*)\r\n)");
  static const std::regex kUser(R"(user=(\S+))");
  std::string out;
  auto begin = std::sregex_iterator(transcript.begin(), transcript.end(), kClientInfo);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    out += transcript.substr(last, static_cast<size_t>(m.position()) - last);
    std::string body = m[3].str();
    std::string users;
    for (auto u = std::sregex_iterator(body.begin(), body.end(), kUser);
         u != std::sregex_iterator(); ++u) {
      users += "[" + (*u)[1].str() + "]";
    }
    out += m[1].str() + "clients:" + users + "\r\n";
    last = static_cast<size_t>(m.position() + m.length());
  }
  out += transcript.substr(last);
  // ACL LOG's age-seconds is a clock reading.
  static const std::regex kAge(R"((age-seconds\r\n)(\$\d+\r\n[^\r]*|,[^\r]*)\r\n)");
  return std::regex_replace(out, kAge, "$1<age>\r\n");
}

void CompareAcl(const std::vector<MultiScript>& scripts) {
  auto ref = kvgate::testing::StartRedisServer();
  REQUIRE(ref != nullptr);
  auto kv = kvgate::testing::StartKvgate();
  CreateAdmin(ref->port);
  CreateAdmin(kv->redis_port);
  for (const auto& script : scripts) {
    ResetServer(ref->port);
    ResetServer(kv->redis_port);
    std::vector<std::string> want = kvgate::testing::RunMulti(ref->port, script);
    std::vector<std::string> got = kvgate::testing::RunMulti(kv->redis_port, script);
    for (int i = 0; i < script.conns; ++i) {
      const std::string w = KeepUserFields(want[i]);
      const std::string g = KeepUserFields(got[i]);
      INFO("script: " << script.name << ", connection " << i);
      INFO("redis-server:\n" << Printable(w));
      INFO("kvgate:\n" << Printable(g));
      CHECK_FALSE(w.empty());
      CHECK(g == w);
    }
  }
  ResetServer(ref->port);
  ResetServer(kv->redis_port);
}

std::vector<MultiScript> AuthScripts() {
  // Tables of steps read best one per line; keep them as written.
  // clang-format off
  std::vector<MultiScript> s;
  s.push_back({"requirepass, AUTH forms and NOAUTH", 3,
               {{0, {"AUTH", "x", "", "AUTH", "default", "x", "", "AUTH", "a", "b", "c"}},
                {0, {"CONFIG", "SET", "requirepass", "s3cret", "", "CONFIG", "GET", "requirepass"}},
                {1, {"GET", "k", "", "RESET", "", "GET", "k", "", "PING", "", "MULTI", "", "ECHO", "x"}},
                {1, {"AUTH", "wrong", "", "AUTH", "default", "wrong", "", "AUTH", "nobody", "x"}},
                {0, {"ACL", "LOG", "", "ACL", "LOG", "1"}},
                {1, {"AUTH", "s3cret", "", "GET", "k", "", "ACL", "WHOAMI"}},
                {2, {"RESET", "", "HELLO", "", "HELLO", "3", "", "HELLO", "3", "AUTH", "default", "bad"}},
                {2, {"HELLO", "2", "SETNAME", "early", "BADOPT", "", "CLIENT", "GETNAME"}},
                {2, {"HELLO", "2", "AUTH", "default", "s3cret", "SETNAME", "named"}, true},
                {2, {"CLIENT", "GETNAME", "", "QUIT"}},
                {0, {"CONFIG", "SET", "requirepass", "", "", "AUTH", "s3cret"}},
                {1, {"RESET", "", "GET", "k"}}}});
  s.push_back({"unauthenticated clients get Redis's small request limits", 3,
               {{0, {"CONFIG", "SET", "requirepass", "pw"}},
                {1, {"RESET", "", "ECHO", std::string(16384, 'a'), "", "MSET", "a", "1", "b", "2", "c", "3", "d", "4", "e"}},
                {1, {"ECHO", std::string(16385, 'b')}},
                {2, {"RESET", "", "MSET", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5"}},
                {0, {"ECHO", std::string(20000, 'c'), "", "MSET", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5"}},
                {0, {"CONFIG", "SET", "requirepass", ""}}}});
  s.push_back({"a user's commands, keys and channels", 2,
               {{0, {"ACL", "SETUSER", "alice", "on", ">pw", "+@read", "-keys", "~app:*", "&news:*"}},
                {0, {"ACL", "LIST", "", "ACL", "GETUSER", "alice", "", "ACL", "USERS"}},
                {1, {"AUTH", "alice", "pw", "", "ACL", "WHOAMI", "", "GET", "app:1", "", "GET", "other"}},
                {1, {"SET", "app:1", "x", "", "MGET", "app:1", "app:2", "", "MGET", "app:1", "other"}},
                {1, {"PUBLISH", "news:1", "m", "", "CLIENT", "INFO", "", "KEYS", "*"}},
                {0, {"ACL", "SETUSER", "alice", "+publish", "+subscribe", "+psubscribe", "+client|info"}},
                {1, {"PUBLISH", "news:1", "m", "", "PUBLISH", "other", "m", "", "CLIENT", "INFO"}},
                {1, {"PSUBSCRIBE", "n*", "", "SUBSCRIBE", "news:a", "other"}},
                {1, {"PSUBSCRIBE", "news:*", "", "SUBSCRIBE", "news:a"}},
                {0, {"PUBLISH", "news:a", "hello", "", "CLIENT", "LIST"}},
                {0, {"ACL", "SETUSER", "alice", "&news:a", "", "PUBLISH", "news:a", "still"}},
                {0, {"ACL", "SETUSER", "alice", "resetchannels", "&news:a"}},
                {0, {"PUBLISH", "news:a", "gone"}},
                {0, {"ACL", "LOG", "4", "", "ACL", "LOG", "RESET", "", "ACL", "LOG"}}}});
  s.push_back({"auth user with the disabled and nopass flags", 2,
               {{0, {"ACL", "SETUSER", "bob", "off", ">pw", "+@all", "~*"}},
                {1, {"AUTH", "bob", "pw", "", "ACL", "WHOAMI"}},
                {0, {"ACL", "SETUSER", "bob", "on", "nopass"}},
                {1, {"AUTH", "bob", "anything", "", "ACL", "WHOAMI", "", "RESET", "", "ACL", "WHOAMI"}},
                {0, {"ACL", "SETUSER", "bob", "off"}},
                {1, {"HELLO", "2", "AUTH", "bob", "x", "", "ACL", "WHOAMI"}}}});
  return s;
  // clang-format on
}

std::vector<MultiScript> KeyScripts() {
  // clang-format off
  std::vector<MultiScript> s;
  s.push_back({"%R~ and %W~ follow each command's key specs", 2,
               {{0, {"ACL", "SETUSER", "kp", "on", "nopass", "+@all", "%R~r:*", "%W~w:*", "~rw:*", "&*"}},
                {0, {"SET", "r:1", "v", "", "RPUSH", "r:l", "a", "", "ZADD", "r:a", "1", "m"}},
                {1, {"AUTH", "kp", "x", "", "GET", "r:1", "", "SET", "r:1", "v", "", "SET", "w:1", "v"}},
                {1, {"GET", "w:1", "", "SET", "w:1", "v", "GET", "", "SET", "rw:1", "v", "GET", "", "STRLEN", "w:1"}},
                {1, {"LMOVE", "r:l", "w:l", "LEFT", "RIGHT", "", "COPY", "r:1", "w:2", "", "COPY", "w:1", "r:2"}},
                {1, {"EVAL", "return 1", "1", "r:1", "", "EVAL", "return 1", "1", "rw:1", "", "EVAL", "return 1", "0"}},
                {1, {"ZUNIONSTORE", "w:d", "2", "r:a", "r:b", "", "ZUNIONSTORE", "r:d", "1", "r:a", "", "ZINTERCARD", "2", "r:a", "w:b"}},
                {1, {"SORT", "r:l", "ALPHA", "STORE", "w:s", "", "SORT", "r:l", "ALPHA", "STORE", "r:s", "", "SORT_RO", "r:l", "ALPHA"}},
                {1, {"XREAD", "STREAMS", "r:x", "0", "", "XREAD", "STREAMS", "r:x", "w:x", "0", "0"}},
                {1, {"LMPOP", "2", "r:l", "w:l", "LEFT", "", "LMPOP", "1", "rw:l", "LEFT", "", "LMPOP", "5", "rw:l", "LEFT"}},
                {1, {"BITFIELD", "r:1", "GET", "u8", "0", "", "BITFIELD", "r:1", "SET", "u8", "0", "1", "", "BITFIELD_RO", "r:1", "GET", "u8", "0"}},
                {1, {"MSET", "w:1", "a", "rw:2", "b", "", "MSET", "w:1", "a", "r:2", "b", "", "DEL", "r:1", "", "EXISTS", "w:1", "r:1"}},
                {0, {"ACL", "DRYRUN", "kp", "SET", "r:1", "v", "", "ACL", "DRYRUN", "kp", "GET", "r:1", "", "ACL", "DRYRUN", "kp", "GET"}},
                {0, {"ACL", "DRYRUN", "nobody", "GET", "x", "", "ACL", "DRYRUN", "kp", "NOSUCH", "x", "", "ACL", "GETUSER", "kp"}},
                {0, {"ACL", "SETUSER", "kp", "-@all", "+object|encoding", "", "ACL", "DRYRUN", "kp", "OBJECT", "ENCODING", "r:1"}},
                {0, {"ACL", "DRYRUN", "kp", "OBJECT", "FREQ", "r:1", "", "ACL", "GETUSER", "kp"}},
                {1, {"OBJECT", "ENCODING", "r:1", "", "OBJECT", "FREQ", "r:1", "", "OBJECT", "ENCODING", "w:1"}}}});
  s.push_back({"COMMAND GETKEYS uses the key extraction ACL uses", 1,
               {{0, {"COMMAND", "GETKEYS", "EVAL", "return 1", "2", "a", "b", "c", "", "COMMAND", "GETKEYS", "EVAL", "return 1", "0"}},
                {0, {"COMMAND", "GETKEYS", "ZUNIONSTORE", "d", "2", "a", "b", "", "COMMAND", "GETKEYS", "ZUNIONSTORE", "d", "5", "a"}},
                {0, {"COMMAND", "GETKEYS", "XREAD", "COUNT", "2", "STREAMS", "s1", "s2", "0", "0", "", "COMMAND", "GETKEYS", "SORT", "l", "BY", "w_*", "STORE", "d"}},
                {0, {"COMMAND", "GETKEYS", "SET", "k", "v", "GET", "", "COMMAND", "GETKEYS", "LMPOP", "2", "a", "b", "LEFT", "", "COMMAND", "GETKEYS", "OBJECT", "ENCODING", "k"}},
                {0, {"COMMAND", "GETKEYS", "GET", "", "COMMAND", "GETKEYS", "PING", "", "COMMAND", "GETKEYS", "NOSUCH", "x", "", "COMMAND", "GETKEYS", "MSET", "a", "1", "b"}}}});
  s.push_back({"NOPERM at MULTI queue time aborts EXEC; scripts run as their caller", 2,
               {{0, {"ACL", "SETUSER", "mu", "on", "nopass", "+multi", "+exec", "+get", "+eval", "+evalsha", "~k*", "&*"}},
                {1, {"AUTH", "mu", "x", "", "MULTI", "", "GET", "k", "", "SET", "k", "v", "", "GET", "other", "", "EXEC"}},
                {1, {"MULTI", "", "GET", "k", "", "GET", "k2"}},
                {0, {"ACL", "SETUSER", "mu", "resetkeys", "~k"}},
                {1, {"EXEC"}},
                {0, {"ACL", "SETUSER", "mu", "~k*"}},
                {1, {"EVAL", "return redis.call('set', KEYS[1], 'v')", "1", "k1"}},
                {1, {"EVAL", "return redis.pcall('get', 'other')", "0"}},
                {1, {"EVAL", "return redis.call('get', KEYS[1])", "1", "k1"}},
                {1, {"EVAL", "return redis.pcall('get', KEYS[1])", "1", "nokey"}},
                {1, {"EVAL", "return redis.acl_check_cmd('set', 'k', 'v')", "0", "", "EVAL", "return redis.acl_check_cmd('get', 'k')", "0"}},
                {1, {"EVAL", "return redis.acl_check_cmd('get', 'zz')", "0", "", "EVAL", "return redis.acl_check_cmd('nosuch')", "0"}},
                {0, {"ACL", "SETUSER", "mu", "+set"}},
                {1, {"EVAL", "return redis.call('set', KEYS[1], 'v')", "1", "k1", "", "GET", "k1"}},
                {0, {"ACL", "LOG"}}}});
  return s;
  // clang-format on
}

std::vector<MultiScript> RuleScripts() {
  // clang-format off
  std::vector<MultiScript> s;
  s.push_back({"ACL SETUSER rule errors and the other subcommands' errors", 1,
               {{0, {"ACL", "SETUSER", "x", "badrule", "", "ACL", "SETUSER", "x", "+nosuchcmd", "", "ACL", "SETUSER", "x", "+@nosuch"}},
                {0, {"ACL", "SETUSER", "x", "allkeys", "~a", "", "ACL", "SETUSER", "x", "allchannels", "&a", "", "ACL", "SETUSER", "x", "#abc"}},
                {0, {"ACL", "SETUSER", "x", "<notset", "", "ACL", "SETUSER", "x", "+config|get|x", "", "ACL", "SETUSER", "x", "+select|"}},
                {0, {"ACL", "SETUSER", "x", "-nosuch", "", "ACL", "SETUSER", "x", "~a b", "", "ACL", "SETUSER", "x", "%X~a"}},
                {0, {"ACL", "SETUSER", "x y", "on", "", "ACL", "SETUSER", "x", "on", "bad", "", "ACL", "LIST"}},
                {0, {"ACL", "DELUSER", "default", "", "ACL", "DELUSER", "nobody", "", "ACL", "GETUSER", "nobody"}},
                {0, {"ACL", "CAT", "nosuch", "", "ACL", "CAT", "a", "b", "", "ACL", "GENPASS", "0", "", "ACL", "GENPASS", "abc"}},
                {0, {"ACL", "GENPASS", "5000", "", "ACL", "LOAD", "", "ACL", "SAVE", "", "ACL", "FOO"}},
                {0, {"ACL", "", "ACL", "LOG", "x", "", "ACL", "LOG", "1", "2", "", "ACL", "HELP"}},
                {0, {"ACL", "CAT"}}}});
  s.push_back({"ACL LIST and GETUSER normalise rules as redis-server does", 1,
               {{0, {"ACL", "SETUSER", "alice", "on", ">a", ">b", ">a", "<b", "#" + std::string(64, 'e'), "~x", "%R~y", "%W~y", "&c", "&c"}},
                {0, {"ACL", "SETUSER", "bob", "+@all", "-@write", "+set", "nopass", "skip-sanitize-payload"}},
                {0, {"ACL", "SETUSER", "carol", "-@all", "+@hash", "-hset", "~a", "allkeys", "resetchannels", "&z"}},
                {0, {"ACL", "SETUSER", "dave", "+select|0", "+select|1", "on", ">p", "resetpass"}},
                {0, {"ACL", "SETUSER", "x", "+client|list", "%RW~q", "allchannels", "sanitize-payload"}},
                {0, {"ACL", "SETUSER", "y", "on", ">p", "+@all", "~*", "reset", "+@read", "+@write"}},
                {0, {"ACL", "LIST", "", "ACL", "USERS"}},
                {0, {"ACL", "GETUSER", "alice", "", "ACL", "GETUSER", "bob", "", "ACL", "GETUSER", "carol"}},
                {0, {"ACL", "GETUSER", "dave", "", "ACL", "GETUSER", "x", "", "ACL", "GETUSER", "y"}},
                {0, {"HELLO", "3"}, true},
                {0, {"ACL", "GETUSER", "alice", "", "ACL", "GETUSER", "default", "", "ACL", "LIST"}}}});
  s.push_back({"ACL DELUSER closes its user's connections; CLIENT LIST shows the users", 4,
               {{0, {"ACL", "SETUSER", "bob", "on", ">pw", "+@all", "~*", "", "ACL", "SETUSER", "carol", "on", "nopass", "+@all", "~*"}},
                {1, {"AUTH", "bob", "pw", "", "CLIENT", "INFO"}},
                {2, {"HELLO", "3", "AUTH", "carol", "x"}, true},
                {2, {"CLIENT", "INFO", "", "ACL", "WHOAMI"}},
                {3, {"AUTH", "carol", "y", "", "ACL", "DELUSER", "carol", "", "PING"}},
                {0, {"CLIENT", "LIST"}},
                {0, {"ACL", "DELUSER", "bob"}},
                {1, {"PING"}},
                {2, {"PING"}},
                {0, {"CLIENT", "LIST", "", "ACL", "USERS"}}}});
  return s;
  // clang-format on
}

}  // namespace

TEST_CASE("AUTH, requirepass and HELLO AUTH answer like redis-server 7",
          "[integration][redis][differential][acl]") {
  CompareAcl(AuthScripts());
}

TEST_CASE("ACL key patterns, MULTI and scripts answer like redis-server 7",
          "[integration][redis][differential][acl]") {
  CompareAcl(KeyScripts());
}

TEST_CASE("ACL rules, LIST and GETUSER answer like redis-server 7",
          "[integration][redis][differential][acl]") {
  CompareAcl(RuleScripts());
}

TEST_CASE("kvgate --requirepass makes every new connection authenticate",
          "[integration][redis][acl]") {
  auto kv = kvgate::testing::StartKvgate({"--requirepass", "flagpass"});
  RawConn c(kv->redis_port);
  CHECK(c.Call({"GET", "k"}) == "-NOAUTH Authentication required.\r\n");
  CHECK(c.Call({"AUTH", "nope"}) ==
        "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
  CHECK(c.Call({"AUTH", "flagpass"}) == "+OK\r\n");
  CHECK(c.Call({"CONFIG", "GET", "requirepass"}) ==
        "*2\r\n$11\r\nrequirepass\r\n$8\r\nflagpass\r\n");
  // The log never carries a password.
  CHECK(c.Call({"ACL", "LOG", "1"}).find("nope") == std::string::npos);
}

namespace {

void WriteFile(const std::string& path, const std::string& text) {
  FILE* f = std::fopen(path.c_str(), "w");
  REQUIRE(f != nullptr);
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
}

std::string ReadFile(const std::string& path) {
  std::string text;
  FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) return text;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  std::fclose(f);
  return text;
}

// One server with an aclfile: what it answers, its file path written as <file>.
std::vector<std::string> AclFileRun(int port, const std::string& path) {
  const std::string users =
      "user default on nopass ~* &* +@all\n"
      "user app on #" +
      std::string(64, 'a') + " ~app:* resetchannels &c -@all +@read\n";
  std::vector<std::string> out;
  RawConn c(port);
  auto call = [&](const std::vector<std::string>& cmd) {
    std::string r = c.Call(cmd);
    for (size_t at; (at = r.find(path)) != std::string::npos;) r.replace(at, path.size(), "<file>");
    out.push_back(r);
  };
  call({"ACL", "LIST"});
  call({"ACL", "SETUSER", "extra", "on", ">pw", "+get", "~x"});
  call({"ACL", "SAVE"});
  out.push_back(ReadFile(path));
  WriteFile(path, users + "user bad on +nosuch\nuser app off\nnouser\n");
  call({"ACL", "LOAD"});
  call({"ACL", "LIST"});
  WriteFile(path, users);
  call({"ACL", "LOAD"});
  call({"ACL", "LIST"});
  WriteFile(path, users + "user extra on\n");
  std::remove(path.c_str());
  call({"ACL", "LOAD"});
  return out;
}

}  // namespace

TEST_CASE("aclfile: ACL LOAD and ACL SAVE answer like redis-server 7",
          "[integration][redis][differential][acl]") {
  kvgate::testing::TempDir dir("acl");
  const std::string initial =
      "user default on nopass ~* &* +@all\nuser app on nopass ~a:* resetchannels -@all +@hash "
      "-hset\n";
  const std::string ref_path = dir.path + "/ref.acl";
  const std::string kv_path = dir.path + "/kv.acl";
  WriteFile(ref_path, initial);
  WriteFile(kv_path, initial);
  auto ref = kvgate::testing::StartRedisServer({"--aclfile", ref_path});
  REQUIRE(ref != nullptr);
  auto kv = kvgate::testing::StartKvgate({"--aclfile", kv_path});
  const std::vector<std::string> want = AclFileRun(ref->port, ref_path);
  const std::vector<std::string> got = AclFileRun(kv->redis_port, kv_path);
  REQUIRE(want.size() == got.size());
  for (size_t i = 0; i < want.size(); ++i) {
    INFO("step " << i << "\nredis-server:\n"
                 << Printable(want[i]) << "\nkvgate:\n"
                 << Printable(got[i]));
    CHECK(got[i] == want[i]);
  }
}

TEST_CASE("kvgate refuses to start with a bad aclfile", "[integration][redis][acl]") {
  kvgate::testing::TempDir dir("acl");
  const std::string path = dir.path + "/bad.acl";
  WriteFile(path, "user x on +nosuch\n");
  std::string output;
  const int status = kvgate::testing::RunCommand(
      {kvgate::testing::KvgateBinary(), "--redis-port", std::to_string(kvgate::testing::FreePort()),
       "--nats-port", "0", "--aclfile", path},
      &output, "", 20000);
  CHECK(status != 0);
  CHECK(output.find("Unknown command or category name in ACL") != std::string::npos);
}
