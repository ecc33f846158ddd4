// File: gateway/tls_context.h
// Server-side OpenSSL contexts, built from files the way redis-server 7.0's tlsConfigure does,
// and the per-listener endpoint that hands the current one to each new connection.
//
//   gateway::TlsSettings s{.cert_file = "server.crt", .key_file = "server.key", ...};
//   std::string error;
//   gateway::SslCtxPtr ctx = gateway::BuildServerContext(s, &error);   // nullptr: error says why
//   endpoint.Replace(std::move(ctx));        // a reload: new connections use it, old ones keep
//   SSL* ssl = SSL_new(endpoint.ctx());      // theirs (an SSL holds a reference to its SSL_CTX)
#pragma once

#include <openssl/ssl.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace kvgate::gateway {

struct SslCtxFree {
  void operator()(SSL_CTX* ctx) const {
    SSL_CTX_free(ctx);
  }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxFree>;

// Redis tls-auth-clients.
enum class TlsClientAuth { kNo, kYes, kOptional };

// Redis's tls-protocols bits.
inline constexpr int kTlsV1 = 1 << 0;
inline constexpr int kTlsV1_1 = 1 << 1;
inline constexpr int kTlsV1_2 = 1 << 2;
inline constexpr int kTlsV1_3 = 1 << 3;
inline constexpr int kTlsDefaultProtocols = kTlsV1_2 | kTlsV1_3;

struct TlsSettings {
  std::string cert_file;
  std::string key_file;
  std::string key_file_pass;
  std::string ca_cert_file;
  std::string ca_cert_dir;
  std::string protocols;  // "TLSv1.2 TLSv1.3"; empty: kTlsDefaultProtocols
  std::string ciphers;
  std::string ciphersuites;
  bool prefer_server_ciphers = false;
  bool session_caching = true;
  int64_t session_cache_size = 20 * 1024;
  int64_t session_cache_timeout = 300;
  // Client certificates asked for: a CA is then required, as redis-server requires it.
  TlsClientAuth auth_clients = TlsClientAuth::kYes;
  // Session id context, distinct per front so a session of one is not resumed on the other.
  std::string session_id_context = "redis";
};

// Parses tls-protocols (space-separated, case-insensitive TLSv1 TLSv1.1 TLSv1.2 TLSv1.3);
// empty text gives the default. False (with Redis's log text in *error) on a bad word.
bool ParseTlsProtocols(std::string_view text, int* protocols, std::string* error);
// "yes" | "no" | "optional" (case-insensitive).
bool ParseTlsClientAuth(std::string_view text, TlsClientAuth* auth);
std::string_view TlsClientAuthName(TlsClientAuth auth);
// SSL_set_verify mode for a connection under `auth` (as redis-server's connCreateAcceptedTLS).
int TlsVerifyMode(TlsClientAuth auth);

// Builds a server context; nullptr with the reason (redis-server's log line) in *error.
SslCtxPtr BuildServerContext(const TlsSettings& settings, std::string* error);

// One TLS listener's view: the context new connections get, their verify mode, and whether the
// protocol's greeting goes out in plaintext before the handshake (NATS sends INFO first).
class TlsEndpoint {
 public:
  TlsEndpoint(SslCtxPtr ctx, int verify_mode, bool plain_greeting)
      : ctx_(std::move(ctx)), verify_mode_(verify_mode), plain_greeting_(plain_greeting) {
  }
  SSL_CTX* ctx() const {
    return ctx_.get();
  }
  int verify_mode() const {
    return verify_mode_;
  }
  bool plain_greeting() const {
    return plain_greeting_;
  }
  void Replace(SslCtxPtr ctx) {
    ctx_ = std::move(ctx);
  }
  void set_verify_mode(int mode) {
    verify_mode_ = mode;
  }
  // A connection whose handshake is not done this long after accept is closed (0 = never).
  uint64_t handshake_timeout_ms() const {
    return handshake_timeout_ms_;
  }
  void set_handshake_timeout_ms(uint64_t ms) {
    handshake_timeout_ms_ = ms;
  }

 private:
  SslCtxPtr ctx_;
  int verify_mode_;
  bool plain_greeting_;
  uint64_t handshake_timeout_ms_ = 0;
};

// The last OpenSSL error queued on this thread as text (clears the queue).
std::string TakeOpenSslError();

}  // namespace kvgate::gateway
