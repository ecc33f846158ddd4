// NATS authorization through the front, in process (FakeClock, no sockets): the auth timeout,
// the first-op rule, a bcrypt CONNECT holding later input until its answer, permissions on
// KV publishes before JetStream sees them. Texts are checked against nats-server in
// tests/integration/nats_auth_test.cc.
#include <catch2/catch.hpp>

#include <crypt.h>

#include "support/nats_harness.h"

namespace kvgate::nats::testing {
namespace {

NatsConfig AuthConfig(const std::string& file) {
  NatsConfig cfg = NatsHarness::DefaultConfig();
  std::string error;
  REQUIRE(ParseNatsAuthFile(file, &cfg.auth, &error));
  return cfg;
}

std::string Bcrypt(const char* password) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  REQUIRE(crypt_gensalt_rn("$2b$", 4, nullptr, 0, salt, sizeof salt) != nullptr);
  crypt_data data{};
  return crypt_rn(password, salt, &data, sizeof data);
}

}  // namespace

TEST_CASE("auth: idle clients time out, the first op must be CONNECT", "[nats][auth]") {
  NatsHarness h(AuthConfig(R"({"authorization": {"token": "t", "timeout": 0.5}})"));
  CHECK(h.front.auth_required());
  TestClient idle(h, h.front);
  CHECK(idle.Read().find("\"auth_required\":true") != std::string::npos);
  h.Advance(400);
  CHECK(idle.Read().empty());
  h.Advance(200);
  CHECK(idle.Read() == "-ERR 'Authentication Timeout'\r\n");
  CHECK(idle.closed());

  TestClient early(h, h.front);
  early.Read();
  early.Send("PING\r\n");
  CHECK(early.Read() == "-ERR 'Authorization Violation'\r\n");
  CHECK(early.closed());

  TestClient good(h, h.front);
  good.Read();
  good.Send("CONNECT {\"verbose\":false,\"auth_token\":\"t\"}\r\nPING\r\n");
  CHECK(good.Read() == "PONG\r\n");
  h.Advance(1000);
  CHECK_FALSE(good.closed());  // authenticated: no timeout

  NatsHarness open;
  CHECK_FALSE(open.front.auth_required());
}

TEST_CASE("auth: a bcrypt CONNECT holds the pipeline until it is checked", "[nats][auth]") {
  NatsHarness h(AuthConfig(R"({"authorization": {"users": [{"user": "u", "password": ")" +
                           Bcrypt("pw") + R"("}]}})"));
  TestClient c(h, h.front);
  c.Read();
  c.Send(
      "CONNECT {\"verbose\":false,\"user\":\"u\",\"pass\":\"pw\"}\r\nSUB a 1\r\nPUB a "
      "1\r\nx\r\nPING\r\n");
  // Without a pool the check ran inline; the answer came through RunPending, which asked the
  // transport to feed the held input again.
  CHECK(c.transport().resume_input);
  CHECK(c.Read().empty());
  c.Send("");
  CHECK(c.Read() == "MSG a 1 1\r\nx\r\nPONG\r\n");

  TestClient bad(h, h.front);
  bad.Read();
  bad.Send("CONNECT {\"verbose\":false,\"user\":\"u\",\"pass\":\"nope\"}\r\nPING\r\n");
  CHECK(bad.Read() == "-ERR 'Authorization Violation'\r\n");
  CHECK(bad.closed());
}

TEST_CASE("auth: a KV put without publish permission never reaches the bucket", "[nats][auth]") {
  NatsHarness h(AuthConfig(R"({"authorization": {"users": [
      {"user": "w", "password": "w"},
      {"user": "r", "password": "r", "permissions": {"publish": {"deny": "$KV.b.>"}}}]}})"));
  TestClient w(h, h.front);
  w.Read();
  w.Send(R"(CONNECT {"verbose":false,"user":"w","pass":"w","headers":true})"
         "\r\n");
  CHECK(w.Api("$JS.API.STREAM.CREATE.KV_b",
              R"({"name":"KV_b","subjects":["$KV.b.>"],"max_msgs_per_subject":1})")
            .find("\"error\"") == std::string::npos);
  TestClient r(h, h.front);
  r.Read();
  r.Send(R"(CONNECT {"verbose":false,"user":"r","pass":"r","headers":true})"
         "\r\nSUB _INBOX.r.* 9\r\nPUB $KV.b.k _INBOX.r.1 1\r\nx\r\n");
  CHECK(r.Read() == "-ERR 'Permissions Violation for Publish to \"$KV.b.k\"'\r\n");
  std::string info = r.Api("$JS.API.STREAM.INFO.KV_b");
  CHECK(info.find("\"messages\":0") != std::string::npos);
}

}  // namespace kvgate::nats::testing
