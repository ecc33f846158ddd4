// File: tests/integration/support/nats_auth_env.h
// For the NATS authorization tests: a real nats-server (-js -c FILE) and kvgate
// (--nats-auth-file FILE) started with the same JSON authorization file, nats.c connections
// with user/password, token or nkey credentials, and raw-socket exchanges.
//
//   AuthServers s(R"({"authorization": {"users": [{"user": "a", "password": "p"}]}})");
//   ConnectOutcome o = Connect(s.ref->port, UserPass("a", "p"));
//   REQUIRE(o.Text() == Connect(s.kv->nats_port, ...).Text());
#pragma once

#include <nats/nats.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "integration/support/process.h"

namespace kvgate::testing {

// Both servers over one authorization file.
struct AuthServers {
  explicit AuthServers(const std::string& auth_json,
                       const std::vector<std::string>& kvgate_args = {});
  TempDir dir{"natsauth"};
  std::string file;
  std::unique_ptr<Server> ref;  // nats-server: ref->port
  std::unique_ptr<Server> kv;   // kvgate: kv->nats_port
};

// An ed25519 user key pair and its nkey forms.
struct NkeyPair {
  NkeyPair();  // a fresh random key
  std::array<unsigned char, 64> secret{};
  std::string public_nkey;  // "U..."
  std::string seed;         // "SU..."
};

struct Creds {
  std::string user;
  std::string pass;
  std::string token;
  const NkeyPair* nkey = nullptr;    // signs the nonce with the callback
  const NkeyPair* signer = nullptr;  // signs instead of `nkey` (a wrong signature)
  std::string seed_file;             // natsOptions_SetNKeyFromSeed(seed_pub, seed_file) instead
  std::string seed_pub;
};

// A connection attempt: its status, the library's last error text, and the connection (owned).
struct ConnectOutcome {
  natsStatus status = NATS_OK;
  std::string error;
  natsConnection* nc = nullptr;
  ~ConnectOutcome();
  ConnectOutcome() = default;
  ConnectOutcome(ConnectOutcome&& o) noexcept;
  ConnectOutcome& operator=(ConnectOutcome&&) = delete;
  // "OK" or "<status text>: <error>".
  std::string Text() const;
};
ConnectOutcome Connect(int port, const Creds& creds);
Creds UserPass(const std::string& user, const std::string& pass);
Creds Token(const std::string& token);
Creds Nkey(const NkeyPair* key, const NkeyPair* signer = nullptr);
Creds SeedFile(const std::string& public_nkey, const std::string& path);

// Opens a TCP connection, reads the INFO line (into *info), sends `input`, and returns what the
// server sends until it closes the connection or `quiet_ms` pass without a byte.
std::string RawExchange(int port, const std::string& input, std::string* info = nullptr,
                        int quiet_ms = 500);

// A bcrypt hash of `password` (cost 4: fast in tests; nats-server accepts any cost).
std::string BcryptHash(const std::string& password);

}  // namespace kvgate::testing
