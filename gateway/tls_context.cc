#include "gateway/tls_context.h"

#include <openssl/err.h>

#include <strings.h>

#include <cstring>
#include <vector>

namespace kvgate::gateway {
namespace {

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// The key file's passphrase (tls-key-file-pass) handed to OpenSSL when it reads the key.
int PasswordCallback(char* buf, int size, int /*rwflag*/, void* user) {
  const auto* pass = static_cast<const std::string*>(user);
  if (pass == nullptr || pass->empty() || size <= 0) return 0;
  const size_t n = std::min(pass->size(), static_cast<size_t>(size - 1));
  std::memcpy(buf, pass->data(), n);
  buf[n] = '\0';
  return static_cast<int>(n);
}

const char* OrNull(const std::string& s) {
  return s.empty() ? nullptr : s.c_str();
}

}  // namespace

std::string TakeOpenSslError() {
  unsigned long code = ERR_get_error();
  char buf[256] = {0};
  ERR_error_string_n(code, buf, sizeof buf);
  ERR_clear_error();
  return buf;
}

bool ParseTlsProtocols(std::string_view text, int* protocols, std::string* error) {
  int bits = 0;
  bool any = false;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    size_t j = i;
    while (j < text.size() && text[j] != ' ') ++j;
    const std::string_view word = text.substr(i, j - i);
    i = j;
    if (word.empty()) continue;
    any = true;
    if (EqualsNoCase(word, "tlsv1")) {
      bits |= kTlsV1;
    } else if (EqualsNoCase(word, "tlsv1.1")) {
      bits |= kTlsV1_1;
    } else if (EqualsNoCase(word, "tlsv1.2")) {
      bits |= kTlsV1_2;
    } else if (EqualsNoCase(word, "tlsv1.3")) {
      bits |= kTlsV1_3;
    } else {
      if (error != nullptr) {
        *error =
            "Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', "
            "'TLSv1.2' and 'TLSv1.3'.";
      }
      return false;
    }
  }
  *protocols = any ? bits : kTlsDefaultProtocols;
  return true;
}

bool ParseTlsClientAuth(std::string_view text, TlsClientAuth* auth) {
  if (EqualsNoCase(text, "yes")) {
    *auth = TlsClientAuth::kYes;
  } else if (EqualsNoCase(text, "no")) {
    *auth = TlsClientAuth::kNo;
  } else if (EqualsNoCase(text, "optional")) {
    *auth = TlsClientAuth::kOptional;
  } else {
    return false;
  }
  return true;
}

std::string_view TlsClientAuthName(TlsClientAuth auth) {
  switch (auth) {
    case TlsClientAuth::kNo:
      return "no";
    case TlsClientAuth::kOptional:
      return "optional";
    case TlsClientAuth::kYes:
      break;
  }
  return "yes";
}

int TlsVerifyMode(TlsClientAuth auth) {
  switch (auth) {
    case TlsClientAuth::kNo:
      return SSL_VERIFY_NONE;
    case TlsClientAuth::kOptional:
      return SSL_VERIFY_PEER;
    case TlsClientAuth::kYes:
      break;
  }
  return SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
}

SslCtxPtr BuildServerContext(const TlsSettings& s, std::string* error) {
  if (s.cert_file.empty()) {
    *error = "No tls-cert-file configured!";
    return nullptr;
  }
  if (s.key_file.empty()) {
    *error = "No tls-key-file configured!";
    return nullptr;
  }
  if (s.auth_clients != TlsClientAuth::kNo && s.ca_cert_file.empty() && s.ca_cert_dir.empty()) {
    *error =
        "Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, "
        "tls-replication or tls-auth-clients are enabled!";
    return nullptr;
  }
  int protocols = 0;
  if (!ParseTlsProtocols(s.protocols, &protocols, error)) return nullptr;
  ERR_clear_error();
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) {
    *error = "SSL_CTX_new: " + TakeOpenSslError();
    return nullptr;
  }
  SSL_CTX* c = ctx.get();
  // OpenSSL 3 refuses client renegotiation unless allowed (Redis sets NO_CLIENT_RENEGOTIATION).
  uint64_t options =
      SSL_OP_NO_SSLv2 | SSL_OP_NO_SSLv3 | SSL_OP_NO_COMPRESSION | SSL_OP_SINGLE_DH_USE;
  if (!(protocols & kTlsV1)) options |= SSL_OP_NO_TLSv1;
  if (!(protocols & kTlsV1_1)) options |= SSL_OP_NO_TLSv1_1;
  if (!(protocols & kTlsV1_2)) options |= SSL_OP_NO_TLSv1_2;
  if (!(protocols & kTlsV1_3)) options |= SSL_OP_NO_TLSv1_3;
  if (s.prefer_server_ciphers) options |= SSL_OP_CIPHER_SERVER_PREFERENCE;
  SSL_CTX_set_options(c, options);
  // Partial writes: the memory BIO takes everything, but a write may stop at a record boundary.
  SSL_CTX_set_mode(c, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_CTX_set_verify(c, TlsVerifyMode(s.auth_clients), nullptr);
  // The callback reads the pass during the two loads below only; `s` outlives them.
  SSL_CTX_set_default_passwd_cb(c, PasswordCallback);
  SSL_CTX_set_default_passwd_cb_userdata(c, const_cast<std::string*>(&s.key_file_pass));
  if (SSL_CTX_use_certificate_chain_file(c, s.cert_file.c_str()) <= 0) {
    *error = "Failed to load certificate: " + s.cert_file + ": " + TakeOpenSslError();
    return nullptr;
  }
  if (SSL_CTX_use_PrivateKey_file(c, s.key_file.c_str(), SSL_FILETYPE_PEM) <= 0) {
    *error = "Failed to load private key: " + s.key_file + ": " + TakeOpenSslError();
    return nullptr;
  }
  SSL_CTX_set_default_passwd_cb_userdata(c, nullptr);
  if ((!s.ca_cert_file.empty() || !s.ca_cert_dir.empty()) &&
      SSL_CTX_load_verify_locations(c, OrNull(s.ca_cert_file), OrNull(s.ca_cert_dir)) <= 0) {
    *error = "Failed to configure CA certificate(s) file/directory: " + TakeOpenSslError();
    return nullptr;
  }
  if (!s.ciphers.empty() && !SSL_CTX_set_cipher_list(c, s.ciphers.c_str())) {
    *error = "Failed to configure ciphers: " + s.ciphers;
    ERR_clear_error();
    return nullptr;
  }
  if (!s.ciphersuites.empty() && !SSL_CTX_set_ciphersuites(c, s.ciphersuites.c_str())) {
    *error = "Failed to configure ciphersuites: " + s.ciphersuites;
    ERR_clear_error();
    return nullptr;
  }
  if (s.session_caching) {
    SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_SERVER);
    SSL_CTX_sess_set_cache_size(c, s.session_cache_size);
    SSL_CTX_set_timeout(c, s.session_cache_timeout);
    SSL_CTX_set_session_id_context(
        c, reinterpret_cast<const unsigned char*>(s.session_id_context.data()),
        static_cast<unsigned>(s.session_id_context.size()));
  } else {
    SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
  }
  SSL_CTX_set_dh_auto(c, 1);
  ERR_clear_error();
  return ctx;
}

}  // namespace kvgate::gateway
