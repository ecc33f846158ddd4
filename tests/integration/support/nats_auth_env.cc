#include "integration/support/nats_auth_env.h"

#include <arpa/inet.h>
#include <crypt.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "translate/nats/nkey.h"

namespace kvgate::testing {

AuthServers::AuthServers(const std::string& auth_json,
                         const std::vector<std::string>& kvgate_args) {
  file = dir.path + "/auth.json";
  std::ofstream(file) << auth_json;
  ref = StartNatsServer({"-c", file});
  if (ref == nullptr) throw std::runtime_error("nats-server is not installed");
  std::vector<std::string> args{"--nats-auth-file", file};
  args.insert(args.end(), kvgate_args.begin(), kvgate_args.end());
  kv = StartKvgate(args);
}

NkeyPair::NkeyPair() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium");
  std::array<unsigned char, 32> pub{};
  crypto_sign_keypair(pub.data(), secret.data());
  public_nkey = nats::EncodeUserPublicKey(pub);
  std::array<uint8_t, 32> raw_seed{};
  crypto_sign_ed25519_sk_to_seed(raw_seed.data(), secret.data());
  seed = nats::EncodeUserSeed(raw_seed);
}

namespace {

natsStatus SignNonce(char** /*custom_error*/, unsigned char** signature, int* length,
                     const char* nonce, void* closure) {
  const auto* key = static_cast<const NkeyPair*>(closure);
  *signature = static_cast<unsigned char*>(std::malloc(crypto_sign_BYTES));
  if (*signature == nullptr) return NATS_NO_MEMORY;
  crypto_sign_detached(*signature, nullptr, reinterpret_cast<const unsigned char*>(nonce),
                       std::strlen(nonce), key->secret.data());
  *length = crypto_sign_BYTES;
  return NATS_OK;
}

}  // namespace

ConnectOutcome::~ConnectOutcome() {
  if (nc != nullptr) natsConnection_Destroy(nc);
}

ConnectOutcome::ConnectOutcome(ConnectOutcome&& o) noexcept
    : status(o.status), error(std::move(o.error)), nc(o.nc) {
  o.nc = nullptr;
}

std::string ConnectOutcome::Text() const {
  if (status == NATS_OK) return "OK";
  return std::string(natsStatus_GetText(status)) + ": " + error;
}

Creds UserPass(const std::string& user, const std::string& pass) {
  Creds c;
  c.user = user;
  c.pass = pass;
  return c;
}

Creds Token(const std::string& token) {
  Creds c;
  c.token = token;
  return c;
}

Creds Nkey(const NkeyPair* key, const NkeyPair* signer) {
  Creds c;
  c.nkey = key;
  c.signer = signer;
  return c;
}

Creds SeedFile(const std::string& public_nkey, const std::string& path) {
  Creds c;
  c.seed_pub = public_nkey;
  c.seed_file = path;
  return c;
}

ConnectOutcome Connect(int port, const Creds& creds) {
  natsOptions* opts = nullptr;
  natsOptions_Create(&opts);
  std::string url = "nats://127.0.0.1:" + std::to_string(port);
  natsOptions_SetURL(opts, url.c_str());
  natsOptions_SetAllowReconnect(opts, false);
  natsOptions_SetTimeout(opts, 3000);
  if (!creds.user.empty()) natsOptions_SetUserInfo(opts, creds.user.c_str(), creds.pass.c_str());
  if (!creds.token.empty()) natsOptions_SetToken(opts, creds.token.c_str());
  if (creds.nkey != nullptr) {
    const NkeyPair* signer = creds.signer != nullptr ? creds.signer : creds.nkey;
    natsOptions_SetNKey(opts, creds.nkey->public_nkey.c_str(), SignNonce,
                        const_cast<NkeyPair*>(signer));
  }
  if (!creds.seed_file.empty()) {
    // nats.c signs with the seed it reads (its checksum and prefix checked there).
    natsOptions_SetNKeyFromSeed(opts, creds.seed_pub.c_str(), creds.seed_file.c_str());
  }
  ConnectOutcome out;
  out.status = natsConnection_Connect(&out.nc, opts);
  if (out.status != NATS_OK) {
    natsStatus ignored;
    const char* last = nats_GetLastError(&ignored);
    out.error = last != nullptr ? last : "";
    out.nc = nullptr;
  }
  natsOptions_Destroy(opts);
  return out;
}

std::string RawExchange(int port, const std::string& input, std::string* info, int quiet_ms) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    throw std::runtime_error("connect failed");
  }
  std::string got;
  auto read_some = [&](int timeout_ms) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return false;
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return false;
    got.append(buf, static_cast<size_t>(n));
    return true;
  };
  while (got.find("\r\n") == std::string::npos && read_some(3000)) {
  }
  size_t eol = got.find("\r\n");
  if (info != nullptr) *info = got.substr(0, eol);
  got.erase(0, eol == std::string::npos ? got.size() : eol + 2);
  if (!input.empty() && write(fd, input.data(), input.size()) < 0) got += "<write failed>";
  while (read_some(quiet_ms)) {
  }
  close(fd);
  return got;
}

std::string BcryptHash(const std::string& password) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  if (crypt_gensalt_rn("$2a$", 4, nullptr, 0, salt, sizeof salt) == nullptr) {
    throw std::runtime_error("crypt_gensalt_rn");
  }
  crypt_data data{};
  const char* hash = crypt_rn(password.c_str(), salt, &data, sizeof data);
  if (hash == nullptr || hash[0] == '*') throw std::runtime_error("crypt_rn");
  return hash;
}

}  // namespace kvgate::testing
