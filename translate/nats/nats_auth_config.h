// File: translate/nats/nats_auth_config.h
// NATS client authorization settings, as nats-server's `authorization { ... }` block: one
// user/password or a token, or a users array (user/password or nkey entries, each with optional
// publish/subscribe permissions), and the auth timeout. Read from flags and from a JSON file
// that nats-server accepts as well (`nats-server -c FILE`).
//
//   NatsAuthConfig auth; std::string error;
//   if (!ParseNatsAuthFile(text, &auth, &error)) die(error);
//   auth.user = "a"; auth.password = "p";          // --nats-user / --nats-pass
//   if (!ValidateNatsAuth(auth, &error)) die(error);
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kvgate::nats {

// One direction's subjects. `allow` absent = everything allowed; deny wins over allow.
// Subscribe entries may be "subject queue" (a queue-group qualified permission).
struct SubjectPermission {
  std::optional<std::vector<std::string>> allow;
  std::vector<std::string> deny;
};

// allow_responses: a client may publish to the reply subject of a message it received, up to
// max_msgs times within expires_ms (<= 0: unlimited), even without publish permission there.
struct ResponsePermission {
  int64_t max_msgs = 1;         // nats-server DEFAULT_ALLOW_RESPONSE_MAX_MSGS
  int64_t expires_ms = 120000;  // DEFAULT_ALLOW_RESPONSE_EXPIRATION (2 minutes)
};

struct NatsPermissions {
  std::optional<SubjectPermission> publish;
  std::optional<SubjectPermission> subscribe;
  std::optional<ResponsePermission> responses;
};

// An entry of the users array: either user (+ password, plain or bcrypt) or nkey.
struct NatsUser {
  std::string user;
  std::string password;
  std::string nkey;  // public user nkey ("U..."); non-empty for an nkey user
  std::shared_ptr<const NatsPermissions> permissions;  // null: may do everything
};

struct NatsAuthConfig {
  // Single user (authorization.user/password, --nats-user/--nats-pass) or token.
  std::string user;
  std::string password;
  std::string token;
  std::vector<NatsUser> users;  // password users and nkey users
  bool has_users = false;       // a users array was given (even empty: nats-server counts it)
  double timeout_seconds = 0;   // 0: the default (2 s, nats-server AUTH_TIMEOUT)

  // True when clients must authenticate (INFO auth_required).
  bool enabled() const {
    return !user.empty() || !token.empty() || has_users;
  }
  bool has_nkey_users() const;
  int64_t timeout_ms() const;
};

// Parses a JSON file of the form {"authorization": {...}} into `out` (fields nats-server does
// not know, or that kvgate does not implement, are errors). Keys are case-insensitive, as in
// nats-server. On failure `error` says what and where.
bool ParseNatsAuthFile(std::string_view json, NatsAuthConfig* out, std::string* error);
// The combination rules nats-server applies (a token with a user, a single user with a users
// array, duplicate users or nkeys).
bool ValidateNatsAuth(const NatsAuthConfig& auth, std::string* error);

}  // namespace kvgate::nats
