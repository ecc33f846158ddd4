// kvgate: one process, one libuv loop, a RESP listener and a NATS listener over one engine.
#include <signal.h>

#include <cstdio>
#include <memory>

#include "engine/engine.h"
#include "engine/local_store.h"
#include "gateway/check_aof.h"
#include "gateway/config.h"
#include "gateway/log.h"
#include "gateway/loop_clock.h"
#include "gateway/persistence.h"
#include "gateway/process_control.h"
#include "gateway/server.h"
#include "gateway/thread_pool_work.h"
#include "gateway/tls_manager.h"
#include "translate/nats/nats_authenticator.h"
#include "translate/nats/nats_front.h"
#include "translate/redis/acl_file.h"
#include "translate/redis/front.h"
#include "translate/redis/script_engine.h"

namespace {

// What is on, never a secret; nats-server's warning for plain passwords.
void LogNatsAuth(const kvgate::nats::NatsAuthConfig& auth) {
  if (!auth.enabled()) return;
  size_t nkeys = 0;
  bool plain = !auth.password.empty() && !kvgate::nats::IsBcrypt(auth.password);
  for (const auto& u : auth.users) {
    if (!u.nkey.empty()) {
      ++nkeys;
    } else if (!kvgate::nats::IsBcrypt(u.password)) {
      plain = true;
    }
  }
  double timeout_s = static_cast<double>(auth.timeout_ms()) / 1000.0;
  if (auth.has_users) {
    KVGATE_LOG(kInfo,
               "nats: authorization required: %zu password users, %zu nkey users, auth timeout "
               "%.3g s",
               auth.users.size() - nkeys, nkeys, timeout_s);
  } else {
    KVGATE_LOG(kInfo, "nats: authorization required: %s, auth timeout %.3g s",
               auth.token.empty() ? "single user" : "token", timeout_s);
  }
  if (plain) KVGATE_LOG(kWarning, "nats: Plaintext passwords detected, use nkeys or bcrypt");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace kvgate;
  gateway::Config config;
  if (int rc = gateway::ParseCommandLine(argc, argv, &config); rc >= 0) return rc;
  if (!config.check_aof.empty())
    return gateway::RunCheckAof(config.check_aof, config.check_aof_fix);
  gateway::SetLogLevel(config.log_level);
  signal(SIGPIPE, SIG_IGN);

  gateway::LoopClock clock;
  engine::Engine engine(clock, config.engine_limits);
  engine::LocalStore store(engine);
  gateway::Server server(store, config.server);
  server.AttachClock(&clock);
  gateway::Persistence persistence(server, engine, config.persistence);
  gateway::ProcessControl control(server, persistence);

  gateway::TlsManager tls(config.tls);
  if (std::string tls_error; !tls.Start(&tls_error)) {
    KVGATE_LOG(kError, "%s", tls_error.c_str());
    KVGATE_LOG(kError, "Failed to configure TLS. Check logs for more info.");
    return 1;
  }
  server.AddReloadHook([&tls] { tls.Reload(); });
  std::unique_ptr<redis::RedisFront> redis_front;
  // CONFIG SET tls-port: the new port first, then the old one goes (redis-server's order).
  tls.SetListenHook([&](int old_port, int port, gateway::TlsEndpoint* endpoint) {
    if (port != 0) {
      const int bound = server.Listen(config.bind, port, *redis_front, endpoint);
      if (bound < 0) {
        KVGATE_LOG(kWarning, "cannot listen on %s:%d (redis tls): %s", config.bind.c_str(), port,
                   uv_strerror(bound));
        return std::string("Unable to listen on this port. Check server logs.");
      }
      KVGATE_LOG(kInfo, "redis tls listening on %s:%d", config.bind.c_str(), bound);
    }
    if (old_port != 0) server.StopListening(old_port);
    return std::string();
  });

  // Binds one front's listener; false (after logging why) if the port cannot be used.
  auto listen = [&](translate::Front& front, int port, const char* name,
                    gateway::TlsEndpoint* endpoint) {
    int bound = server.Listen(config.bind, port, front, endpoint);
    if (bound < 0) {
      KVGATE_LOG(kError, "cannot listen on %s:%d (%s): %s", config.bind.c_str(), port, name,
                 uv_strerror(bound));
      return false;
    }
    KVGATE_LOG(kInfo, "%s listening on %s:%d", name, config.bind.c_str(), bound);
    return true;
  };
  std::unique_ptr<nats::NatsFront> nats_front;
  if (config.redis_port != 0 || config.tls.port != 0) {
    redis_front = std::make_unique<redis::RedisFront>(store, config.redis);
    if (!config.redis.aclfile.empty()) {
      // As redis-server: a file that cannot be read or has errors stops the start.
      const std::string acl_error = redis::LoadAclFile(*redis_front, config.redis.aclfile);
      if (!acl_error.empty()) {
        KVGATE_LOG(kError, "Aborting startup because of ACL errors: %s", acl_error.c_str());
        return 1;
      }
    }
    redis_front->AttachPersistence(&persistence);
    redis_front->AttachServerControl(&control);
    redis_front->AttachTlsControl(&tls);
    // A script past busy-reply-threshold lets the other clients in (-BUSY, SCRIPT KILL).
    redis_front->scripts().set_busy_callback([&server] { server.ServeWhileBusy(); });
    if (config.redis_port != 0 && !listen(*redis_front, config.redis_port, "redis", nullptr))
      return 1;
    if (config.tls.port != 0 &&
        !listen(*redis_front, config.tls.port, "redis tls", tls.redis_endpoint()))
      return 1;
  }
  gateway::ThreadPoolWork thread_pool(server.loop());
  if (config.nats_port != 0) {
    config.nats.log_auth_error = [](const std::string& line) {
      KVGATE_LOG(kWarning, "nats: %s", line.c_str());
    };
    nats_front = std::make_unique<nats::NatsFront>(store, config.nats);
    nats_front->AttachPersistence(&persistence);
    nats_front->AttachBackgroundWork(&thread_pool);
    LogNatsAuth(config.nats.auth);
    if (!listen(*nats_front, config.nats_port, config.tls.nats ? "nats tls" : "nats",
                tls.nats_endpoint()))
      return 1;
  }
  if (!redis_front && !nats_front) {
    KVGATE_LOG(kError,
               "every port is off (--redis-port 0 --tls-port 0 --nats-port 0): nothing to serve");
    return 1;
  }
  // The data directory is replayed on the loop while clients get -LOADING; then appendonly
  // decides whether databases found in the log stay file buckets.
  std::string error;
  if (!persistence.BeginLoading(&error, [&] {
        if (redis_front) redis_front->ApplyDatabaseStorage();
      })) {
    KVGATE_LOG(kError, "%s", error.c_str());
    return 1;
  }
  int rc = server.Run();
  persistence.Stop();
  if (persistence.load_failed()) rc = 1;
  // Benchmarks read this line to report the worst loop stall of a run (since the last SIGUSR1).
  KVGATE_LOG(kInfo, "stopped: loop %s", server.LoopStatsText().c_str());
  return rc;
}
