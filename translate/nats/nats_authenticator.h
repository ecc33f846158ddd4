// File: translate/nats/nats_authenticator.h
// Who a CONNECT is, decided as nats-server's processClientOrLeafAuthentication does: an nkey
// (when nkey users exist and the client sent one) needs a valid signature of the nonce; else a
// users array looks the user up; else the token or the single user/password is compared.
// Password comparison is left to the caller when a bcrypt hash is stored (it is slow:
// BcryptMatches belongs off the loop thread); plain secrets compare in constant time.
//
//   AuthDecision d = Authenticate(config.auth, creds, nonce);
//   if (d.kind == AuthDecision::kComparePassword && IsBcrypt(d.stored)) -> BcryptMatches later
#pragma once

#include <string>
#include <string_view>

#include "translate/nats/nats_auth_config.h"

namespace kvgate::nats {

// The CONNECT fields that authenticate.
struct ConnectCredentials {
  std::string user;
  std::string pass;
  std::string auth_token;
  std::string nkey;
  std::string sig;
};

struct AuthDecision {
  enum Kind { kDenied, kGranted, kComparePassword } kind = kDenied;
  // The users-array entry the client is (permissions); null for token / single user.
  const NatsUser* user = nullptr;
  // kComparePassword: the configured secret (plain or bcrypt) to compare the client's with.
  std::string_view stored;
  std::string_view given;
};

AuthDecision Authenticate(const NatsAuthConfig& auth, const ConnectCredentials& creds,
                          std::string_view nonce);

// nats-server's isBcrypt: ^\$2[abxy]\$\d{2}\$.*
bool IsBcrypt(std::string_view stored);
// Constant-time equality of two secrets (lengths leak nothing either: both are hashed first).
bool SecretsEqual(std::string_view a, std::string_view b);
// bcrypt check with libxcrypt (tens of milliseconds; thread-safe).
bool BcryptMatches(std::string_view hash, std::string_view password);
// Plain or bcrypt, by the stored form (blocking for bcrypt).
bool PasswordMatches(std::string_view stored, std::string_view given);

// A fresh INFO nonce: 11 random bytes, base64url without padding (15 characters).
std::string MakeNonce();

}  // namespace kvgate::nats
