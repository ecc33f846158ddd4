// File: tests/integration/support/tls_support.h
// TLS for end-to-end tests: a throwaway CA with server and client certificates made by the
// openssl command line at test time, reference servers started with TLS, and a RESP client
// over OpenSSL (Debian 12's hiredis 0.14.1 has no hiredis_ssl).
//
//   testing::TestCerts certs;                                   // ca, server, client in a temp dir
//   auto ref = testing::StartRedisServerTls(certs, {"--tls-auth-clients", "optional"});
//   testing::TlsConn c(ref->port, {.ca = certs.ca});            // no client certificate
//   REQUIRE(c.Call({"PING"}) == "+PONG\r\n");
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "integration/support/process.h"

namespace kvgate::testing {

struct TestCerts {
  TestCerts();
  // Issues (or reissues, same paths) a certificate signed by the CA: <name>.crt / <name>.key.
  void Issue(const std::string& name, const std::string& common_name, int serial);
  TempDir dir{"certs"};
  std::string ca;  // ca.crt
  std::string server_crt, server_key, client_crt, client_key;
};

struct TlsClientOptions {
  std::string ca;    // verify the server against it (empty: no verification)
  std::string cert;  // client certificate (empty: none)
  std::string key;
  // Read one plaintext line (NATS INFO) before the handshake.
  bool plain_line_first = false;
};

// A blocking TLS connection to 127.0.0.1:port speaking raw RESP.
class TlsConn {
 public:
  TlsConn(int port, const TlsClientOptions& options);
  ~TlsConn();
  TlsConn(const TlsConn&) = delete;
  TlsConn& operator=(const TlsConn&) = delete;

  // The handshake completed (a server requiring a certificate may still refuse at first read).
  bool ok() const {
    return ok_;
  }
  const std::string& error() const {
    return error_;
  }
  bool Send(std::string_view bytes);
  // Reads until `count` whole replies arrived (or an error / close / timeout).
  std::string ReadReplies(size_t count, int timeout_ms = 10000);
  std::string Call(const std::vector<std::string>& args);
  // One "\r\n"-terminated line (NATS), "" on error or close.
  std::string ReadLine();
  // The server certificate's serial number (decimal) and subject ("/CN=...").
  std::string PeerSerial() const;
  std::string PeerSubject() const;
  // The plaintext line read before the handshake (plain_line_first).
  const std::string& greeting() const {
    return greeting_;
  }

 private:
  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  bool ok_ = false;
  std::string error_;
  std::string buffer_;
  std::string greeting_;
};

// redis-server --port 0 --tls-port P with the certificates (and `extra` options); with
// `standard_files` false, `extra` names the certificate, key and CA files itself.
std::unique_ptr<Server> StartRedisServerTls(const TestCerts& certs,
                                            const std::vector<std::string>& extra = {},
                                            bool standard_files = true);
// kvgate with --tls-port (set in ->port) and the certificates, plus `extra`.
// nats-server -js --tls (and --tlsverify --tlscacert when `verify`) on ->port.
std::unique_ptr<Server> StartNatsServerTls(const TestCerts& certs, bool verify);
std::unique_ptr<Server> StartKvgateTls(const TestCerts& certs,
                                       const std::vector<std::string>& extra = {},
                                       bool standard_files = true);

}  // namespace kvgate::testing
