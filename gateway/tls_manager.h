// File: gateway/tls_manager.h
// The process's TLS: the Redis TLS listener's settings (redis-server's tls-* options) and the
// NATS port's (nats-server's --tls/--tlsverify), their contexts, reloading on SIGHUP, and the
// translate::TlsControl behind Redis CONFIG GET/SET tls-*.
//
//   gateway::TlsManager tls(config.tls);
//   if (!tls.Start(&error)) ...;                       // builds the contexts the flags turn on
//   server.Listen(bind, config.tls.port, redis_front, tls.redis_endpoint());
//   server.AddReloadHook([&] { tls.Reload(); });
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/tls_context.h"
#include "translate/tls_control.h"

namespace kvgate::gateway {

struct TlsOptions {
  int port = 0;  // Redis tls-port (0 = off)
  TlsSettings redis;
  // NATS TLS on the NATS port; files default to the Redis tls-* ones.
  bool nats = false;
  bool nats_verify = false;
  std::string nats_cert;
  std::string nats_key;
  std::string nats_ca;
};

class TlsManager final : public translate::TlsControl {
 public:
  explicit TlsManager(TlsOptions options) : options_(std::move(options)) {
  }
  // Builds the contexts the options turn on; false with the reason in *error.
  bool Start(std::string* error);
  // Null while that front's TLS is off.
  TlsEndpoint* redis_endpoint() const {
    return redis_.get();
  }
  TlsEndpoint* nats_endpoint() const {
    return nats_.get();
  }
  // CONFIG SET tls-port: binds `port` with `endpoint` (0: none), then closes `old_port`'s
  // listener (0: none); returns "" or redis-server's error text.
  using ListenHook = std::function<std::string(int old_port, int port, TlsEndpoint* endpoint)>;
  void SetListenHook(ListenHook hook) {
    listen_hook_ = std::move(hook);
  }
  // SIGHUP: every context is rebuilt from its files; one that fails keeps the old one (logged).
  void Reload();

  // translate::TlsControl
  std::span<const std::string_view> ParamNames() const override;
  bool Known(std::string_view name) const override;
  bool Mutable(std::string_view name) const override;
  std::string Get(std::string_view name) const override;
  std::string Set(const std::vector<std::pair<std::string, std::string>>& changes,
                  std::string* failed_name) override;

 private:
  TlsSettings NatsSettings() const;
  // Rebuilds the NATS context (after a reload or a change of the Redis files it borrows).
  bool ReloadNats(const char* why);

  TlsOptions options_;
  std::unique_ptr<TlsEndpoint> redis_;
  std::unique_ptr<TlsEndpoint> nats_;
  ListenHook listen_hook_;
};

}  // namespace kvgate::gateway
