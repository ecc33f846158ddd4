// File: gateway/tls_stream.h
// One connection's TLS state: an SSL object over two memory BIOs, so the connection's own
// non-blocking socket code keeps doing all I/O. Ciphertext read from the socket goes in, the
// plaintext comes out into the session's InBuffer; plaintext replies go in, ciphertext for
// the socket comes out. Handshake progress happens inside Feed (server side, accept state).
//
//   auto tls = TlsStream::Create(endpoint.ctx(), endpoint.verify_mode());
//   read_cb:  tls->Feed(area.data(), n, in_)  -> kFailed: log tls->error(), close
//   flush:    tls->Encrypt(chunk) (after handshake_done()); write tls->pending(); Consume(k)
#pragma once

#include <openssl/ssl.h>

#include <array>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "protocols/buffer.h"

namespace kvgate::gateway {

class TlsStream {
 public:
  enum class Status { kOk, kFailed, kClosed };

  // nullptr if OpenSSL cannot make the SSL object (out of memory).
  static std::unique_ptr<TlsStream> Create(SSL_CTX* ctx, int verify_mode);
  ~TlsStream();
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  // Where the socket's next ciphertext is read into.
  std::span<char> ReadArea() {
    return read_area_;
  }
  // Takes n ciphertext bytes, advances the handshake, appends the plaintext to `plain`.
  // kClosed: the peer sent close_notify. kFailed: error() says why.
  Status Feed(const char* data, size_t n, protocols::InBuffer& plain);
  // Encrypts a prefix of `data`; returns how many plaintext bytes it took (0 before the
  // handshake is done, or on failure: see failed()).
  size_t Encrypt(std::string_view data);
  // Bytes that go out before the handshake, unencrypted (NATS INFO).
  void QueueRaw(std::string_view data) {
    pending_.append(data);
  }

  // Ciphertext waiting for the socket, and how it leaves: written now (Consume) or handed to
  // uv_write (StartInflight: stays alive in inflight() until EndInflight).
  std::string_view pending() const {
    return std::string_view(pending_).substr(pending_off_);
  }
  void Consume(size_t n);
  std::string_view StartInflight();
  void EndInflight() {
    inflight_.clear();
    inflight_off_ = 0;
  }
  size_t BufferedBytes() const {
    return pending_.size() - pending_off_ + inflight_.size() - inflight_off_;
  }

  bool handshake_done() const {
    return handshake_done_;
  }
  bool failed() const {
    return failed_;
  }
  const std::string& error() const {
    return error_;
  }
  // "TLSv1.3", the peer certificate's subject ("" without one): for logs and tests.
  std::string Describe() const;

 private:
  explicit TlsStream(SSL* ssl);
  // Moves what OpenSSL wrote (handshake records, alerts, application data) into pending_.
  void DrainOutput();
  // Records an SSL_get_error result; true if it only means "needs more input".
  bool Check(int ret);

  SSL* ssl_;
  BIO* in_bio_;   // ciphertext from the socket (owned by ssl_)
  BIO* out_bio_;  // ciphertext for the socket (owned by ssl_)
  std::string pending_;
  size_t pending_off_ = 0;
  std::string inflight_;
  size_t inflight_off_ = 0;
  bool handshake_done_ = false;
  bool failed_ = false;
  std::string error_;
  std::array<char, 16 * 1024> read_area_{};
};

}  // namespace kvgate::gateway
