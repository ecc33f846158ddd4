#include "gateway/tls_manager.h"

#include <strings.h>

#include <charconv>
#include <cstdint>

#include "gateway/log.h"

namespace kvgate::gateway {
namespace {

// What a CONFIG SET of the parameter does once stored.
enum class Effect {
  kImmutable,
  kReload,          // rebuilds the context (redis-server's applyTlsCfg)
  kReloadVolatile,  // the same, even when set to its current value (a file may have changed)
  kVerifyMode,      // read per new connection: no rebuild
  kPort,            // moves the listener (redis-server's applyTLSPort)
};

using Getter = std::string (*)(const TlsOptions&);
// Stores `value` in *o; returns Redis's error text, "" on success.
using Setter = std::string (*)(TlsOptions*, std::string_view value);

struct TlsParam {
  std::string_view name;
  Effect effect;
  Getter get;
  Setter set;
};

template <std::string TlsSettings::*Field>
std::string GetString(const TlsOptions& o) {
  return o.redis.*Field;
}
template <std::string TlsSettings::*Field>
std::string SetString(TlsOptions* o, std::string_view v) {
  o->redis.*Field = std::string(v);
  return "";
}
template <bool TlsSettings::*Field>
std::string GetBool(const TlsOptions& o) {
  return o.redis.*Field ? "yes" : "no";
}
template <bool TlsSettings::*Field>
std::string SetBool(TlsOptions* o, std::string_view v) {
  if (v.size() == 3 && strncasecmp(v.data(), "yes", 3) == 0) {
    o->redis.*Field = true;
  } else if (v.size() == 2 && strncasecmp(v.data(), "no", 2) == 0) {
    o->redis.*Field = false;
  } else {
    return "argument must be 'yes' or 'no'";
  }
  return "";
}
template <int64_t TlsSettings::*Field>
std::string GetInt(const TlsOptions& o) {
  return std::to_string(o.redis.*Field);
}
template <int64_t TlsSettings::*Field>
std::string SetInt(TlsOptions* o, std::string_view v) {
  int64_t x = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || end != v.data() + v.size()) {
    return "argument couldn't be parsed into an integer";
  }
  if (x < 0 || x > INT32_MAX) return "argument must be between 0 and 2147483647 inclusive";
  o->redis.*Field = x;
  return "";
}

// redis-server 7.0's tls-* parameters that apply to a server-side listener.
const TlsParam kParams[] = {
    {"tls-port", Effect::kPort, [](const TlsOptions& o) { return std::to_string(o.port); },
     [](TlsOptions* o, std::string_view v) {
       int64_t x = 0;
       auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
       if (ec != std::errc() || end != v.data() + v.size()) {
         return std::string("argument couldn't be parsed into an integer");
       }
       if (x < 0 || x > 65535) return std::string("argument must be between 0 and 65535 inclusive");
       o->port = static_cast<int>(x);
       return std::string();
     }},
    {"tls-auth-clients", Effect::kVerifyMode,
     [](const TlsOptions& o) { return std::string(TlsClientAuthName(o.redis.auth_clients)); },
     [](TlsOptions* o, std::string_view v) {
       if (!ParseTlsClientAuth(v, &o->redis.auth_clients)) {
         return std::string("argument(s) must be one of the following: no, yes, optional");
       }
       return std::string();
     }},
    {"tls-prefer-server-ciphers", Effect::kReload, GetBool<&TlsSettings::prefer_server_ciphers>,
     SetBool<&TlsSettings::prefer_server_ciphers>},
    {"tls-session-caching", Effect::kReload, GetBool<&TlsSettings::session_caching>,
     SetBool<&TlsSettings::session_caching>},
    {"tls-session-cache-size", Effect::kReload, GetInt<&TlsSettings::session_cache_size>,
     SetInt<&TlsSettings::session_cache_size>},
    {"tls-session-cache-timeout", Effect::kReload, GetInt<&TlsSettings::session_cache_timeout>,
     SetInt<&TlsSettings::session_cache_timeout>},
    {"tls-cert-file", Effect::kReloadVolatile, GetString<&TlsSettings::cert_file>,
     SetString<&TlsSettings::cert_file>},
    {"tls-key-file", Effect::kReloadVolatile, GetString<&TlsSettings::key_file>,
     SetString<&TlsSettings::key_file>},
    {"tls-key-file-pass", Effect::kReload, GetString<&TlsSettings::key_file_pass>,
     SetString<&TlsSettings::key_file_pass>},
    {"tls-ca-cert-file", Effect::kReloadVolatile, GetString<&TlsSettings::ca_cert_file>,
     SetString<&TlsSettings::ca_cert_file>},
    {"tls-ca-cert-dir", Effect::kReloadVolatile, GetString<&TlsSettings::ca_cert_dir>,
     SetString<&TlsSettings::ca_cert_dir>},
    {"tls-protocols", Effect::kReload, GetString<&TlsSettings::protocols>,
     SetString<&TlsSettings::protocols>},
    {"tls-ciphers", Effect::kReload, GetString<&TlsSettings::ciphers>,
     SetString<&TlsSettings::ciphers>},
    {"tls-ciphersuites", Effect::kReload, GetString<&TlsSettings::ciphersuites>,
     SetString<&TlsSettings::ciphersuites>},
};

constexpr std::string_view kNames[] = {"tls-port",
                                       "tls-auth-clients",
                                       "tls-prefer-server-ciphers",
                                       "tls-session-caching",
                                       "tls-session-cache-size",
                                       "tls-session-cache-timeout",
                                       "tls-cert-file",
                                       "tls-key-file",
                                       "tls-key-file-pass",
                                       "tls-ca-cert-file",
                                       "tls-ca-cert-dir",
                                       "tls-protocols",
                                       "tls-ciphers",
                                       "tls-ciphersuites"};
static_assert(std::size(kNames) == std::size(kParams));

const TlsParam* Find(std::string_view name) {
  for (const TlsParam& p : kParams) {
    if (p.name.size() == name.size() && strncasecmp(p.name.data(), name.data(), name.size()) == 0)
      return &p;
  }
  return nullptr;
}

// nats-server's default tls_timeout (2 s): a client that does not finish its handshake is cut.
constexpr uint64_t kNatsTlsTimeoutMs = 2000;

constexpr std::string_view kUpdateFailed = "Unable to update TLS configuration. Check server logs.";

}  // namespace

TlsSettings TlsManager::NatsSettings() const {
  const TlsSettings& r = options_.redis;
  TlsSettings s;
  s.cert_file = options_.nats_cert.empty() ? r.cert_file : options_.nats_cert;
  s.key_file = options_.nats_key.empty() ? r.key_file : options_.nats_key;
  s.key_file_pass = options_.nats_key.empty() ? r.key_file_pass : "";
  if (options_.nats_ca.empty()) {
    s.ca_cert_file = r.ca_cert_file;
    s.ca_cert_dir = r.ca_cert_dir;
  } else {
    s.ca_cert_file = options_.nats_ca;
  }
  s.protocols = "TLSv1.2 TLSv1.3";  // nats-server's minimum is TLS 1.2
  s.auth_clients = options_.nats_verify ? TlsClientAuth::kYes : TlsClientAuth::kNo;
  s.session_id_context = "nats";
  return s;
}

bool TlsManager::Start(std::string* error) {
  if (options_.port != 0) {
    SslCtxPtr ctx = BuildServerContext(options_.redis, error);
    if (!ctx) return false;
    redis_ =
        std::make_unique<TlsEndpoint>(std::move(ctx), TlsVerifyMode(options_.redis.auth_clients),
                                      /*plain_greeting=*/false);
  }
  if (options_.nats) {
    const TlsSettings s = NatsSettings();
    SslCtxPtr ctx = BuildServerContext(s, error);
    if (!ctx) {
      *error = "NATS TLS: " + *error;
      return false;
    }
    nats_ = std::make_unique<TlsEndpoint>(std::move(ctx), TlsVerifyMode(s.auth_clients),
                                          /*plain_greeting=*/true);
    nats_->set_handshake_timeout_ms(kNatsTlsTimeoutMs);
  }
  return true;
}

bool TlsManager::ReloadNats(const char* why) {
  if (!nats_) return true;
  std::string error;
  SslCtxPtr ctx = BuildServerContext(NatsSettings(), &error);
  if (!ctx) {
    KVGATE_LOG(kWarning, "NATS TLS %s failed, keeping the current certificates: %s", why,
               error.c_str());
    return false;
  }
  nats_->Replace(std::move(ctx));
  KVGATE_LOG(kInfo, "NATS TLS certificates reloaded (%s)", why);
  return true;
}

void TlsManager::Reload() {
  if (redis_) {
    std::string error;
    SslCtxPtr ctx = BuildServerContext(options_.redis, &error);
    if (ctx) {
      redis_->Replace(std::move(ctx));
      KVGATE_LOG(kInfo, "Redis TLS certificates reloaded (SIGHUP)");
    } else {
      KVGATE_LOG(kWarning, "Redis TLS reload failed, keeping the current certificates: %s",
                 error.c_str());
    }
  }
  ReloadNats("SIGHUP");
}

std::span<const std::string_view> TlsManager::ParamNames() const {
  return kNames;
}

bool TlsManager::Known(std::string_view name) const {
  return Find(name) != nullptr;
}

bool TlsManager::Mutable(std::string_view name) const {
  const TlsParam* p = Find(name);
  if (p != nullptr && p->effect == Effect::kPort) return static_cast<bool>(listen_hook_);
  return p != nullptr && p->effect != Effect::kImmutable;
}

std::string TlsManager::Get(std::string_view name) const {
  const TlsParam* p = Find(name);
  return p == nullptr ? std::string() : p->get(options_);
}

std::string TlsManager::Set(const std::vector<std::pair<std::string, std::string>>& changes,
                            std::string* failed_name) {
  TlsOptions staged = options_;
  const TlsParam* first_reload = nullptr;
  for (const auto& [name, value] : changes) {
    const TlsParam* p = Find(name);
    if (p == nullptr || p->set == nullptr) {
      *failed_name = name;
      return "can't set immutable config";
    }
    const std::string before = p->get(staged);
    std::string err = p->set(&staged, value);
    if (!err.empty()) {
      *failed_name = std::string(p->name);
      return err;
    }
    const bool reload = p->effect == Effect::kReloadVolatile ||
                        (p->effect == Effect::kReload && p->get(staged) != before);
    if (reload && first_reload == nullptr) first_reload = p;
  }
  const bool port_changed = staged.port != options_.port;
  // A port opened while TLS was off needs the context first, as redis-server configures it.
  const bool build = (first_reload != nullptr && redis_) || (port_changed && !redis_);
  SslCtxPtr ctx;
  if (build && (staged.port != 0 || redis_)) {
    std::string error;
    ctx = BuildServerContext(staged.redis, &error);
    if (!ctx) {
      KVGATE_LOG(kWarning, "%s", error.c_str());
      *failed_name = first_reload != nullptr ? std::string(first_reload->name) : "tls-port";
      return std::string(kUpdateFailed);
    }
  }
  if (ctx && !redis_) {
    redis_ = std::make_unique<TlsEndpoint>(std::move(ctx), TlsVerifyMode(staged.redis.auth_clients),
                                           /*plain_greeting=*/false);
  }
  if (port_changed) {
    std::string err = listen_hook_(options_.port, staged.port, redis_.get());
    if (!err.empty()) {
      *failed_name = "tls-port";
      return err;
    }
  }
  options_ = std::move(staged);
  if (ctx) redis_->Replace(std::move(ctx));
  if (redis_) redis_->set_verify_mode(TlsVerifyMode(options_.redis.auth_clients));
  // The NATS port borrows the Redis files it was given none of: it follows their changes.
  if (first_reload != nullptr) ReloadNats("CONFIG SET");
  return "";
}

}  // namespace kvgate::gateway
