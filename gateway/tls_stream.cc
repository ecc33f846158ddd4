#include "gateway/tls_stream.h"

#include "gateway/tls_context.h"

#include <openssl/err.h>
#include <openssl/x509.h>

#include <algorithm>

namespace kvgate::gateway {
namespace {

constexpr size_t kPlainReserve = 16 * 1024;

}  // namespace

std::unique_ptr<TlsStream> TlsStream::Create(SSL_CTX* ctx, int verify_mode) {
  SSL* ssl = SSL_new(ctx);
  if (ssl == nullptr) return nullptr;
  SSL_set_verify(ssl, verify_mode, nullptr);
  SSL_set_accept_state(ssl);
  return std::unique_ptr<TlsStream>(new TlsStream(ssl));
}

TlsStream::TlsStream(SSL* ssl) : ssl_(ssl) {
  in_bio_ = BIO_new(BIO_s_mem());
  out_bio_ = BIO_new(BIO_s_mem());
  // An empty input BIO means "retry later" (WANT_READ), not end of file.
  BIO_set_mem_eof_return(in_bio_, -1);
  BIO_set_mem_eof_return(out_bio_, -1);
  SSL_set_bio(ssl_, in_bio_, out_bio_);
}

TlsStream::~TlsStream() {
  SSL_free(ssl_);  // frees both BIOs
}

bool TlsStream::Check(int ret) {
  const int err = SSL_get_error(ssl_, ret);
  if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return true;
  failed_ = true;
  if (err == SSL_ERROR_SSL) {
    error_ = TakeOpenSslError();
  } else {
    error_ = "SSL error " + std::to_string(err);
  }
  ERR_clear_error();
  return false;
}

TlsStream::Status TlsStream::Feed(const char* data, size_t n, protocols::InBuffer& plain) {
  if (failed_) return Status::kFailed;
  // SSL_get_error reads the thread's error queue: nothing left by another connection may count.
  ERR_clear_error();
  if (n > 0 && BIO_write(in_bio_, data, static_cast<int>(n)) != static_cast<int>(n)) {
    failed_ = true;
    error_ = "out of memory";
    return Status::kFailed;
  }
  if (!handshake_done_) {
    const int r = SSL_do_handshake(ssl_);
    if (r != 1) {
      const bool wait = Check(r);
      DrainOutput();  // the next handshake flight, or the alert that ends a failed one
      return wait ? Status::kOk : Status::kFailed;
    }
    handshake_done_ = true;
  }
  for (;;) {
    auto tail = plain.Reserve(kPlainReserve);
    const int r =
        SSL_read(ssl_, tail.data(), static_cast<int>(std::min<size_t>(tail.size(), 1 << 30)));
    if (r > 0) {
      plain.Commit(static_cast<size_t>(r));
      continue;
    }
    if (SSL_get_error(ssl_, r) == SSL_ERROR_ZERO_RETURN) {
      DrainOutput();
      return Status::kClosed;
    }
    const bool wait = Check(r);
    DrainOutput();  // TLS 1.3 session tickets, key updates
    return wait ? Status::kOk : Status::kFailed;
  }
}

size_t TlsStream::Encrypt(std::string_view data) {
  if (!handshake_done_ || failed_ || data.empty()) return 0;
  ERR_clear_error();
  const int r =
      SSL_write(ssl_, data.data(), static_cast<int>(std::min<size_t>(data.size(), 1 << 30)));
  if (r <= 0) {
    Check(r);
    DrainOutput();
    return 0;
  }
  DrainOutput();
  return static_cast<size_t>(r);
}

void TlsStream::DrainOutput() {
  char* p = nullptr;
  const long n = BIO_get_mem_data(out_bio_, &p);
  if (n <= 0) return;
  if (pending_off_ == pending_.size()) {
    pending_.clear();
    pending_off_ = 0;
  }
  pending_.append(p, static_cast<size_t>(n));
  (void)BIO_reset(out_bio_);
}

void TlsStream::Consume(size_t n) {
  pending_off_ += n;
  if (pending_off_ >= pending_.size()) {
    pending_.clear();
    pending_off_ = 0;
  }
}

std::string_view TlsStream::StartInflight() {
  inflight_.swap(pending_);
  inflight_off_ = pending_off_;
  pending_.clear();
  pending_off_ = 0;
  return std::string_view(inflight_).substr(inflight_off_);
}

std::string TlsStream::Describe() const {
  std::string out = SSL_get_version(ssl_);
  if (X509* peer = SSL_get1_peer_certificate(ssl_); peer != nullptr) {
    char name[256] = {0};
    X509_NAME_oneline(X509_get_subject_name(peer), name, sizeof name);
    out += " peer ";
    out += name;
    X509_free(peer);
  }
  return out;
}

}  // namespace kvgate::gateway
