// --nats-auth-file parsing (nats-server's authorization block in JSON) and the permission
// checks, without sockets. The differential runs against nats-server are in
// tests/integration/nats_auth_test.cc.
#include <catch2/catch.hpp>

#include "translate/nats/nats_auth_config.h"
#include "translate/nats/nats_authenticator.h"
#include "translate/nats/nats_permissions.h"
#include "translate/nats/nkey.h"

namespace kvgate::nats {
namespace {

std::string ErrorOf(const std::string& json) {
  NatsAuthConfig c;
  std::string error;
  if (ParseNatsAuthFile(json, &c, &error)) return "";
  return error;
}

}  // namespace

TEST_CASE("auth file: users, nkeys, permissions in every accepted shape", "[nats][auth]") {
  Ed25519PublicKey key{};
  key[0] = 7;
  std::string nkey = EncodeUserPublicKey(key);
  NatsAuthConfig c;
  std::string error;
  REQUIRE(ParseNatsAuthFile(R"({"Authorization": {"Timeout": 1.5, "users": [
      {"user": "a", "password": "p", "permissions": {
         "publish": {"allow": ["x.>"], "deny": "x.y"}, "sub": ["s", "q.* grp"]}},
      {"username": "b", "pass": "$2a$11$abc"},
      {"nkey": ")" + nkey + R"("}],
      "default_permissions": {"publish": "only"}}})",
                            &c, &error));
  CHECK(error.empty());
  CHECK(c.enabled());
  CHECK(c.has_nkey_users());
  CHECK(c.timeout_ms() == 1500);
  REQUIRE(c.users.size() == 3);
  const NatsPermissions& a = *c.users[0].permissions;
  CHECK(*a.publish->allow == std::vector<std::string>{"x.>"});
  CHECK(a.publish->deny == std::vector<std::string>{"x.y"});
  CHECK(*a.subscribe->allow == std::vector<std::string>{"s", "q.* grp"});
  // Default permissions go to users without their own.
  CHECK(*c.users[1].permissions->publish->allow == std::vector<std::string>{"only"});
  CHECK(*c.users[2].permissions->publish->allow == std::vector<std::string>{"only"});

  CHECK(PublishAllowed(a, "x.z"));
  CHECK_FALSE(PublishAllowed(a, "x.y"));
  CHECK_FALSE(PublishAllowed(a, "other"));
  CHECK(SubscribeAllowed(a, "s", ""));
  CHECK_FALSE(SubscribeAllowed(a, "q.a", ""));
  CHECK(SubscribeAllowed(a, "q.a", "grp"));
  CHECK_FALSE(SubscribeAllowed(a, "q.a", "other"));

  NatsAuthConfig defaults;
  REQUIRE(ParseNatsAuthFile(R"({"authorization": {"token": "t"}})", &defaults, &error));
  CHECK(defaults.timeout_ms() == 2000);
}

TEST_CASE("auth file: errors name the field", "[nats][auth]") {
  CHECK(ErrorOf("{") == "not valid JSON");
  CHECK(ErrorOf(R"({"port": 4222})").find("only the \"authorization\" block") != std::string::npos);
  CHECK(ErrorOf(R"({"authorization": {"user": "a", "token": "t"}})") ==
        "Cannot have a user/pass and token");
  CHECK(ErrorOf(R"({"authorization": {"token": "t", "users": []}})") ==
        "Can not have a token and a users array");
  CHECK(ErrorOf(R"({"authorization": {"users": [{"user": "a"}, {"user": "a"}]}})") ==
        "Duplicate user \"a\" detected");
  CHECK(ErrorOf(R"({"authorization": {"users": [{"password": "a"}]}})") ==
        "authorization.users[0]: User entry requires a user");
  CHECK(ErrorOf(R"({"authorization": {"users": [{"nkey": "UABC"}]}})") ==
        "authorization.users[0]: Not a valid public nkey for a user");
  CHECK(ErrorOf(R"({"authorization": {"users": [{"user": "a", "permissions": {"publish": 5}}]}})")
            .find("Expected subject permissions") != std::string::npos);
  CHECK(ErrorOf(
            R"({"authorization": {"users": [{"user": "a", "permissions": {"publish": "a..b"}}]}})")
            .find("is not a valid subject") != std::string::npos);
  CHECK(
      ErrorOf(
          R"({"authorization": {"users": [{"user": "a", "permissions": {"publish": {"allw": "x"}}}]}})")
          .find("only 'allow' or 'deny'") != std::string::npos);
  CHECK(ErrorOf(R"({"authorization": {"users": [{"user": "a", "accounts": 1}]}})")
            .find("unknown field \"accounts\"") != std::string::npos);
}

TEST_CASE("allow_responses turns off the blanket publish allow", "[nats][auth]") {
  NatsAuthConfig c;
  std::string error;
  REQUIRE(ParseNatsAuthFile(R"({"authorization": {"users": [{"user": "s", "permissions":
      {"allow_responses": {"max": 3, "ttl": "5s"}}}]}})",
                            &c, &error));
  const NatsPermissions& p = *c.users[0].permissions;
  REQUIRE(p.responses);
  CHECK(p.responses->max_msgs == 3);
  CHECK(p.responses->expires_ms == 5000);
  CHECK(p.publish->allow->empty());
  CHECK_FALSE(PublishAllowed(p, "anything"));
}

TEST_CASE("nkeys and secrets", "[nats][auth]") {
  Ed25519PublicKey key{};
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i);
  std::string nkey = EncodeUserPublicKey(key);
  CHECK(nkey == "UAAACAQDAQCQMBYIBEFAWDANBYHRAEISCMKBKFQXDAMRUGY4DUPB63NN");
  Ed25519PublicKey back{};
  CHECK(DecodeUserPublicKey(nkey, &back));
  CHECK(back == key);
  std::string broken = nkey;
  broken[10] = broken[10] == 'A' ? 'B' : 'A';
  CHECK_FALSE(DecodeUserPublicKey(broken, &back));  // checksum
  CHECK(EncodeUserSeed({}).substr(0, 2) == "SU");
  CHECK(SecretsEqual("abc", "abc"));
  CHECK_FALSE(SecretsEqual("abc", "abd"));
  CHECK_FALSE(SecretsEqual("abc", "abcd"));
  CHECK(IsBcrypt("$2a$11$xyz"));
  CHECK(IsBcrypt("$2y$04$xyz"));
  CHECK_FALSE(IsBcrypt("$2a$1$xyz"));
  CHECK_FALSE(IsBcrypt("$1$abc"));
  CHECK(MakeNonce().size() == 15);
  CHECK(MakeNonce() != MakeNonce());
}

}  // namespace kvgate::nats
