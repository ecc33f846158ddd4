// The TLS option parsers of gateway/tls_context.h (tls-protocols, tls-auth-clients) and the
// context builder's refusals, which name the option at fault as redis-server's log does.
#include <catch2/catch.hpp>

#include "gateway/tls_context.h"

using namespace kvgate::gateway;

TEST_CASE("tls-protocols: Redis's words, any case and spacing; anything else is refused", "[tls]") {
  int bits = 0;
  std::string err;
  REQUIRE(ParseTlsProtocols("", &bits, &err));
  CHECK(bits == kTlsDefaultProtocols);
  REQUIRE(ParseTlsProtocols("   ", &bits, &err));
  CHECK(bits == kTlsDefaultProtocols);
  REQUIRE(ParseTlsProtocols("TLSv1.2", &bits, &err));
  CHECK(bits == kTlsV1_2);
  REQUIRE(ParseTlsProtocols("  tlsv1.3   TLSV1 ", &bits, &err));
  CHECK(bits == (kTlsV1_3 | kTlsV1));
  REQUIRE(ParseTlsProtocols("TLSv1.1 TLSv1.1", &bits, &err));
  CHECK(bits == kTlsV1_1);
  bits = 99;
  CHECK_FALSE(ParseTlsProtocols("TLSv1.2 SSLv3", &bits, &err));
  CHECK(bits == 99);
  CHECK(err ==
        "Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and "
        "'TLSv1.3'.");
  CHECK_FALSE(ParseTlsProtocols("TLSv1.2,TLSv1.3", &bits, &err));
  CHECK_FALSE(ParseTlsProtocols("TLSv1.", &bits, &err));
  CHECK_FALSE(ParseTlsProtocols(std::string_view("TLSv1\0", 6), &bits, &err));
}

TEST_CASE("tls-auth-clients: yes, no, optional", "[tls]") {
  TlsClientAuth a = TlsClientAuth::kNo;
  REQUIRE(ParseTlsClientAuth("YES", &a));
  CHECK(a == TlsClientAuth::kYes);
  REQUIRE(ParseTlsClientAuth("optional", &a));
  CHECK(a == TlsClientAuth::kOptional);
  CHECK(TlsClientAuthName(a) == "optional");
  REQUIRE(ParseTlsClientAuth("no", &a));
  CHECK(TlsVerifyMode(a) == SSL_VERIFY_NONE);
  CHECK_FALSE(ParseTlsClientAuth("maybe", &a));
  CHECK_FALSE(ParseTlsClientAuth("", &a));
  CHECK(a == TlsClientAuth::kNo);
  CHECK(TlsVerifyMode(TlsClientAuth::kYes) == (SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT));
}

TEST_CASE("BuildServerContext refuses missing settings and files with redis-server's texts",
          "[tls]") {
  std::string err;
  TlsSettings s;
  CHECK(BuildServerContext(s, &err) == nullptr);
  CHECK(err == "No tls-cert-file configured!");
  s.cert_file = "/nonexistent/server.crt";
  CHECK(BuildServerContext(s, &err) == nullptr);
  CHECK(err == "No tls-key-file configured!");
  s.key_file = "/nonexistent/server.key";
  CHECK(BuildServerContext(s, &err) == nullptr);
  CHECK(err.rfind("Either tls-ca-cert-file or tls-ca-cert-dir must be specified", 0) == 0);
  s.auth_clients = TlsClientAuth::kNo;
  CHECK(BuildServerContext(s, &err) == nullptr);
  CHECK(err.rfind("Failed to load certificate: /nonexistent/server.crt: error:", 0) == 0);
  s.protocols = "TLSv2";
  CHECK(BuildServerContext(s, &err) == nullptr);
  CHECK(err.rfind("Invalid tls-protocols specified.", 0) == 0);
}
