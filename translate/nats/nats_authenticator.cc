#include "translate/nats/nats_authenticator.h"

#include <crypt.h>
#include <sodium.h>

#include <cstdlib>
#include <memory>

#include "translate/nats/nkey.h"

namespace kvgate::nats {

AuthDecision Authenticate(const NatsAuthConfig& auth, const ConnectCredentials& creds,
                          std::string_view nonce) {
  AuthDecision d;
  bool has_nkeys = false;
  bool has_users = false;
  for (const NatsUser& u : auth.users) (u.nkey.empty() ? has_users : has_nkeys) = true;

  if (has_nkeys && !creds.nkey.empty()) {
    for (const NatsUser& u : auth.users) {
      if (u.nkey.empty() || u.nkey != creds.nkey) continue;
      Ed25519PublicKey key;
      if (creds.sig.empty() || !DecodeUserPublicKey(u.nkey, &key) ||
          !VerifyNonceSignature(key, nonce, creds.sig)) {
        return d;
      }
      d.kind = AuthDecision::kGranted;
      d.user = &u;
      return d;
    }
    return d;
  }
  if (has_users && !creds.user.empty()) {
    for (const NatsUser& u : auth.users) {
      if (!u.nkey.empty() || u.user != creds.user) continue;
      d.kind = AuthDecision::kComparePassword;
      d.user = &u;
      d.stored = u.password;
      d.given = creds.pass;
      return d;
    }
    return d;
  }
  // A users array with no user in CONNECT falls through to these, as in nats-server (they are
  // empty then: the configuration rules forbid both).
  if (!auth.token.empty()) {
    d.kind = AuthDecision::kComparePassword;
    d.stored = auth.token;
    d.given = creds.auth_token;
  } else if (!auth.user.empty() && auth.user == creds.user) {
    d.kind = AuthDecision::kComparePassword;
    d.stored = auth.password;
    d.given = creds.pass;
  }
  return d;
}

bool IsBcrypt(std::string_view s) {
  return s.size() >= 7 && s[0] == '$' && s[1] == '2' &&
         (s[2] == 'a' || s[2] == 'b' || s[2] == 'x' || s[2] == 'y') && s[3] == '$' && s[4] >= '0' &&
         s[4] <= '9' && s[5] >= '0' && s[5] <= '9' && s[6] == '$';
}

bool SecretsEqual(std::string_view a, std::string_view b) {
  if (sodium_init() < 0) return false;
  unsigned char ha[crypto_generichash_BYTES];
  unsigned char hb[crypto_generichash_BYTES];
  crypto_generichash(ha, sizeof ha, reinterpret_cast<const unsigned char*>(a.data()), a.size(),
                     nullptr, 0);
  crypto_generichash(hb, sizeof hb, reinterpret_cast<const unsigned char*>(b.data()), b.size(),
                     nullptr, 0);
  return sodium_memcmp(ha, hb, sizeof ha) == 0;
}

bool BcryptMatches(std::string_view hash, std::string_view password) {
  // crypt_rn wants NUL-terminated strings; a password holding NUL cannot match.
  std::string phrase(password);
  std::string setting(hash);
  if (phrase.find('\0') != std::string::npos) return false;
  auto data = std::make_unique<crypt_data>();
  const char* out = crypt_rn(phrase.c_str(), setting.c_str(), data.get(), sizeof(crypt_data));
  if (out == nullptr || out[0] == '*') return false;
  return SecretsEqual(out, hash);
}

bool PasswordMatches(std::string_view stored, std::string_view given) {
  return IsBcrypt(stored) ? BcryptMatches(stored, given) : SecretsEqual(stored, given);
}

std::string MakeNonce() {
  unsigned char raw[11];
  if (sodium_init() < 0) std::abort();  // no CSPRNG: nothing secure can be done
  randombytes_buf(raw, sizeof raw);
  char text[32];
  sodium_bin2base64(text, sizeof text, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return text;
}

}  // namespace kvgate::nats
