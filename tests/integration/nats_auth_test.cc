// NATS client authorization, differential: the same JSON authorization file is given to a real
// `nats-server -js -c FILE` and to kvgate (--nats-auth-file FILE); nats.c connections with
// user/password (plain and bcrypt), token and nkey credentials must succeed or fail alike, with
// the same natsStatus and error text, and raw-socket transcripts of the -ERR texts must be
// byte-identical. Outcomes are also asserted on their own, so a change in both servers fails.
#include <catch2/catch.hpp>

#include <nats/nats.h>

#include <fstream>
#include <string>

#include "integration/support/nats_auth_env.h"

using kvgate::testing::AuthServers;
using kvgate::testing::Connect;
using kvgate::testing::Creds;
using kvgate::testing::Nkey;
using kvgate::testing::NkeyPair;
using kvgate::testing::RawExchange;
using kvgate::testing::SeedFile;
using kvgate::testing::Token;
using kvgate::testing::UserPass;

namespace {

// Connects to both and returns kvgate's outcome text after requiring it equals nats-server's.
std::string Both(const AuthServers& s, const Creds& c) {
  std::string ref = Connect(s.ref->port, c).Text();
  std::string kv = Connect(s.kv->nats_port, c).Text();
  INFO("user=" << c.user << " token=" << c.token);
  CHECK(kv == ref);
  return kv;
}

// The raw bytes both send after INFO for `input`; requires them equal.
std::string RawBoth(const AuthServers& s, const std::string& input, int quiet_ms = 500) {
  std::string ref = RawExchange(s.ref->port, input, nullptr, quiet_ms);
  std::string kv = RawExchange(s.kv->nats_port, input, nullptr, quiet_ms);
  INFO("input: " << input);
  CHECK(kv == ref);
  return kv;
}

const char* kViolation = "Authorization Violation";

}  // namespace

TEST_CASE("nats auth: users with plain and bcrypt passwords", "[nats][auth]") {
  std::string hash = kvgate::testing::BcryptHash("s3cret");
  AuthServers s(R"({"authorization": {"users": [
      {"user": "alice", "password": "plain-pw"},
      {"user": "bob", "password": ")" +
                hash + R"("}]}})");

  CHECK(Both(s, UserPass("alice", "plain-pw")) == "OK");
  CHECK(Both(s, UserPass("bob", "s3cret")) == "OK");
  std::string wrong = Both(s, UserPass("alice", "nope"));
  CHECK(wrong.find(kViolation) != std::string::npos);
  CHECK(Both(s, UserPass("bob", "S3cret")) == wrong);
  CHECK(Both(s, UserPass("carol", "plain-pw")) == wrong);
  CHECK(Both(s, Creds{}) == wrong);  // no credentials at all
  // Failures are logged with the claimed user, never the password.
  std::string log = s.kv->process->ReadLog();
  CHECK(log.find("authentication error - User \"carol\"") != std::string::npos);
  CHECK(log.find("nope") == std::string::npos);
  CHECK(log.find("plain-pw") == std::string::npos);

  std::string info;
  RawExchange(s.kv->nats_port, "", &info, 50);
  CHECK(info.find("\"auth_required\":true") != std::string::npos);
  CHECK(info.find("nonce") == std::string::npos);  // no nkey users: no nonce, as nats-server

  // The -ERR texts, byte for byte, and the close after them.
  CHECK(RawBoth(s, "CONNECT {\"user\":\"alice\",\"pass\":\"x\"}\r\nPING\r\n") ==
        "-ERR 'Authorization Violation'\r\n");
  CHECK(RawBoth(s, "CONNECT {\"user\":\"bob\",\"pass\":\"x\",\"verbose\":true}\r\nPING\r\n") ==
        "-ERR 'Authorization Violation'\r\n");
  CHECK(RawBoth(s, "CONNECT {\"user\":\"bob\",\"pass\":\"s3cret\",\"verbose\":true}\r\nPING\r\n") ==
        "+OK\r\nPONG\r\n");
  // Any op before CONNECT.
  CHECK(RawBoth(s, "PING\r\n") == "-ERR 'Authorization Violation'\r\n");
  CHECK(RawBoth(s, "SUB foo 1\r\n") == "-ERR 'Authorization Violation'\r\n");
  // An account in CONNECT is refused even with the right password.
  CHECK(RawBoth(s, "CONNECT {\"user\":\"alice\",\"pass\":\"plain-pw\",\"account\":\"A\"}\r\n") ==
        "-ERR 'Authorization Violation'\r\n");
}

TEST_CASE("nats auth: bcrypt CONNECT holds pipelined input until checked", "[nats][auth]") {
  std::string hash = kvgate::testing::BcryptHash("pw");
  AuthServers s(R"({"authorization": {"users": [{"user": "u", "password": ")" + hash + R"("}]}})");
  // SUB and PUB right behind the CONNECT run only after the (pool-thread) bcrypt check.
  std::string got = RawBoth(s,
                            "CONNECT {\"verbose\":false,\"user\":\"u\",\"pass\":\"pw\"}\r\nSUB x "
                            "1\r\nPUB x 2\r\nhi\r\nPING\r\n");
  CHECK(got == "MSG x 1 2\r\nhi\r\nPONG\r\n");
  CHECK(RawBoth(s, "CONNECT {\"user\":\"u\",\"pass\":\"no\"}\r\nSUB x 1\r\nPING\r\n") ==
        "-ERR 'Authorization Violation'\r\n");
}

TEST_CASE("nats auth: single token", "[nats][auth]") {
  AuthServers s(R"({"authorization": {"token": "t0k"}})");
  CHECK(Both(s, Token("t0k")) == "OK");
  CHECK(Both(s, Token("t0")).find(kViolation) != std::string::npos);
  CHECK(Both(s, UserPass("t0k", "x")).find(kViolation) != std::string::npos);
  CHECK(RawBoth(s, "CONNECT {\"verbose\":false,\"auth_token\":\"t0k\"}\r\nPING\r\n") == "PONG\r\n");

  // A bcrypt token, from the file and from --nats-token.
  std::string hash = kvgate::testing::BcryptHash("hashed-tok");
  AuthServers b(R"({"authorization": {"token": ")" + hash + R"("}})");
  CHECK(Both(b, Token("hashed-tok")) == "OK");
  CHECK(Both(b, Token(hash)).find(kViolation) != std::string::npos);
  auto flag = kvgate::testing::StartKvgate({"--nats-token", hash});
  CHECK(Connect(flag->nats_port, Token("hashed-tok")).Text() == "OK");
}

TEST_CASE("nats auth: single user from the file and from flags", "[nats][auth]") {
  AuthServers s(R"({"authorization": {"user": "solo", "password": "pw", "timeout": 1}})");
  CHECK(Both(s, UserPass("solo", "pw")) == "OK");
  CHECK(Both(s, UserPass("solo", "pw2")).find(kViolation) != std::string::npos);
  // auth timeout: an idle unauthenticated client is told and closed (after 1 s here).
  CHECK(RawBoth(s, "", 2500) == "-ERR 'Authentication Timeout'\r\n");

  auto flags = kvgate::testing::StartKvgate({"--nats-user", "f", "--nats-pass", "g"});
  CHECK(Connect(flags->nats_port, UserPass("f", "g")).Text() == "OK");
  CHECK(Connect(flags->nats_port, UserPass("f", "h")).Text().find(kViolation) != std::string::npos);
  auto token = kvgate::testing::StartKvgate({"--nats-token", "tt", "--nats-auth-timeout", "0.3"});
  CHECK(Connect(token->nats_port, Token("tt")).Text() == "OK");
  CHECK(RawExchange(token->nats_port, "", nullptr, 1500) == "-ERR 'Authentication Timeout'\r\n");
}

TEST_CASE("nats auth: nkey users sign the INFO nonce", "[nats][auth]") {
  NkeyPair key;
  NkeyPair other;
  AuthServers s(R"({"authorization": {"users": [{"nkey": ")" + key.public_nkey +
                R"("}, {"user": "pw", "password": "x"}]}})");
  std::string info;
  RawExchange(s.kv->nats_port, "", &info, 50);
  CHECK(info.find("\"nonce\":\"") != std::string::npos);

  CHECK(Both(s, Nkey(&key)) == "OK");
  // Signed by a different key; and an nkey nobody configured.
  CHECK(Both(s, Nkey(&key, &other)).find(kViolation) != std::string::npos);
  CHECK(Both(s, Nkey(&other)).find(kViolation) != std::string::npos);
  CHECK(Both(s, UserPass("pw", "x")) == "OK");
  // A seed file, as `nats --nkey FILE` uses: nats.c signs with the seed it reads.
  std::string seed_file = s.dir.path + "/user.nk";
  std::ofstream(seed_file) << key.seed << "\n";
  CHECK(Both(s, SeedFile(key.public_nkey, seed_file)) == "OK");
  // nkey without a signature.
  CHECK(RawBoth(s, "CONNECT {\"nkey\":\"" + key.public_nkey + "\"}\r\nPING\r\n") ==
        "-ERR 'Authorization Violation'\r\n");
}

TEST_CASE("nats auth: publish and subscribe permissions", "[nats][auth]") {
  AuthServers s(R"({"authorization": {"users": [
      {"user": "admin", "password": "a"},
      {"user": "lim", "password": "l", "permissions": {
          "publish": {"allow": ["foo.>", "_INBOX.>"], "deny": ["foo.secret"]},
          "subscribe": {"allow": ["foo.*", "bar.>", "q.* workers"], "deny": ["bar.hidden"]}}},
      {"user": "old", "password": "o", "permissions": {"publish": "only.this",
                                                     "subscribe": ["s1", "s2"]}}]}})");
  const std::string lim = "CONNECT {\"verbose\":false,\"user\":\"lim\",\"pass\":\"l\"}\r\n";
  // Allowed, denied by the allow list, denied by the deny list; the connection stays open.
  CHECK(RawBoth(
            s, lim + "PUB foo.a 1\r\nx\r\nPUB other 1\r\nx\r\nPUB foo.secret 1\r\nx\r\nPING\r\n") ==
        "-ERR 'Permissions Violation for Publish to \"other\"'\r\n"
        "-ERR 'Permissions Violation for Publish to \"foo.secret\"'\r\nPONG\r\n");
  CHECK(RawBoth(s, lim + "SUB foo.a 1\r\nSUB foo.a.b 2\r\nSUB bar.hidden 3\r\nSUB q.x 4\r\n"
                         "SUB q.x workers 5\r\nSUB q.x other 6\r\nPING\r\n") ==
        "-ERR 'Permissions Violation for Subscription to \"foo.a.b\"'\r\n"
        "-ERR 'Permissions Violation for Subscription to \"bar.hidden\"'\r\n"
        "-ERR 'Permissions Violation for Subscription to \"q.x\"'\r\n"
        "-ERR 'Permissions Violation for Subscription to \"q.x\" using queue \"other\"'\r\n"
        "PONG\r\n");
  // A denied publish reaches no subscriber; an allowed one does.
  CHECK(RawBoth(s, lim + "SUB foo.* 1\r\nPUB foo.secret 1\r\nx\r\nPUB foo.ok 1\r\ny\r\nPING\r\n") ==
        "-ERR 'Permissions Violation for Publish to \"foo.secret\"'\r\nMSG foo.ok 1 "
        "1\r\ny\r\nPONG\r\n");
  // A wildcard subscription wider than a deny entry is allowed; messages on the denied subject
  // are filtered at delivery (another user publishes them).
  for (int port : {s.ref->port, s.kv->nats_port}) {
    INFO("port " << port);
    auto watcher = Connect(port, UserPass("lim", "l"));
    auto admin = Connect(port, UserPass("admin", "a"));
    REQUIRE(watcher.status == NATS_OK);
    REQUIRE(admin.status == NATS_OK);
    natsSubscription* sub = nullptr;
    REQUIRE(natsConnection_SubscribeSync(&sub, watcher.nc, "bar.>") == NATS_OK);
    natsConnection_Flush(watcher.nc);
    natsConnection_PublishString(admin.nc, "bar.hidden", "no");
    natsConnection_PublishString(admin.nc, "bar.ok", "yes");
    natsConnection_Flush(admin.nc);
    natsMsg* m = nullptr;
    REQUIRE(natsSubscription_NextMsg(&m, sub, 2000) == NATS_OK);
    CHECK(std::string(natsMsg_GetSubject(m)) == "bar.ok");
    natsMsg_Destroy(m);
    CHECK(natsSubscription_NextMsg(&m, sub, 200) == NATS_TIMEOUT);
    natsSubscription_Destroy(sub);
  }
  // The reserved queue group, even for a user without permissions.
  CHECK(RawBoth(s,
                "CONNECT {\"verbose\":false,\"user\":\"admin\",\"pass\":\"a\"}\r\n"
                "SUB foo _sys_ 1\r\nPING\r\n") ==
        "-ERR 'Permissions Violation for Subscription to \"foo\" using queue \"_sys_\"'\r\n"
        "PONG\r\n");
  // Old style: a subject or a list is the allow list.
  const std::string old = "CONNECT {\"verbose\":false,\"user\":\"old\",\"pass\":\"o\"}\r\n";
  CHECK(
      RawBoth(s, old + "SUB s2 1\r\nSUB s3 2\r\nPUB only.this 0\r\n\r\nPUB s2 0\r\n\r\nPING\r\n") ==
      "-ERR 'Permissions Violation for Subscription to \"s3\"'\r\n"
      "-ERR 'Permissions Violation for Publish to \"s2\"'\r\nPONG\r\n");

  // nats.c sees the same errors (async, reported by the connection's last error).
  for (int port : {s.ref->port, s.kv->nats_port}) {
    INFO("port " << port);
    auto c = Connect(port, UserPass("lim", "l"));
    REQUIRE(c.status == NATS_OK);
    REQUIRE(natsConnection_PublishString(c.nc, "foo.secret", "x") == NATS_OK);
    natsConnection_Flush(c.nc);
    const char* err = nullptr;
    natsConnection_GetLastError(c.nc, &err);
    CHECK(std::string(err != nullptr ? err : "") ==
          "Permissions Violation for Publish to \"foo.secret\"");
    natsSubscription* sub = nullptr;
    REQUIRE(natsConnection_SubscribeSync(&sub, c.nc, "zzz") == NATS_OK);
    natsConnection_Flush(c.nc);
    natsConnection_GetLastError(c.nc, &err);
    CHECK(std::string(err != nullptr ? err : "") ==
          "Permissions Violation for Subscription to \"zzz\"");
    natsSubscription_Destroy(sub);
  }
}

TEST_CASE("nats auth: allow_responses lets a service answer requests", "[nats][auth]") {
  AuthServers s(R"({"authorization": {"users": [
      {"user": "svc", "password": "s", "permissions": {
          "subscribe": "svc.req", "allow_responses": true}},
      {"user": "cli", "password": "c"}]}})");
  for (int port : {s.ref->port, s.kv->nats_port}) {
    INFO("port " << port);
    auto svc = Connect(port, UserPass("svc", "s"));
    auto cli = Connect(port, UserPass("cli", "c"));
    REQUIRE(svc.status == NATS_OK);
    REQUIRE(cli.status == NATS_OK);
    natsSubscription* sub = nullptr;
    REQUIRE(natsConnection_SubscribeSync(&sub, svc.nc, "svc.req") == NATS_OK);
    natsConnection_Flush(svc.nc);
    natsInbox* inbox = nullptr;
    natsInbox_Create(&inbox);
    natsSubscription* replies = nullptr;
    REQUIRE(natsConnection_SubscribeSync(&replies, cli.nc, inbox) == NATS_OK);
    natsConnection_Flush(cli.nc);
    REQUIRE(natsConnection_PublishRequestString(cli.nc, "svc.req", inbox, "q") == NATS_OK);
    natsMsg* req = nullptr;
    REQUIRE(natsSubscription_NextMsg(&req, sub, 2000) == NATS_OK);
    // One response allowed (max 1), the second is a violation; publishing elsewhere too.
    CHECK(natsConnection_PublishString(svc.nc, natsMsg_GetReply(req), "a1") == NATS_OK);
    CHECK(natsConnection_PublishString(svc.nc, natsMsg_GetReply(req), "a2") == NATS_OK);
    natsConnection_Flush(svc.nc);
    natsMsg* answer = nullptr;
    REQUIRE(natsSubscription_NextMsg(&answer, replies, 2000) == NATS_OK);
    CHECK(std::string(natsMsg_GetData(answer)) == "a1");
    natsMsg_Destroy(answer);
    CHECK(natsSubscription_NextMsg(&answer, replies, 300) == NATS_TIMEOUT);
    const char* err = nullptr;
    natsConnection_GetLastError(svc.nc, &err);
    CHECK(std::string(err != nullptr ? err : "").find("Permissions Violation for Publish to") == 0);
    natsMsg_Destroy(req);
    natsSubscription_Destroy(replies);
    natsSubscription_Destroy(sub);
    natsInbox_Destroy(inbox);
  }
}
