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
#include "translate/nats/nats_front.h"
#include "translate/redis/acl_file.h"
#include "translate/redis/front.h"
#include "translate/redis/script_engine.h"

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

  // Binds one front's listener; false (after logging why) if the port cannot be used.
  auto listen = [&](translate::Front& front, int port, const char* name) {
    int bound = server.Listen(config.bind, port, front);
    if (bound < 0) {
      KVGATE_LOG(kError, "cannot listen on %s:%d (%s): %s", config.bind.c_str(), port, name,
                 uv_strerror(bound));
      return false;
    }
    KVGATE_LOG(kInfo, "%s listening on %s:%d", name, config.bind.c_str(), bound);
    return true;
  };
  std::unique_ptr<redis::RedisFront> redis_front;
  std::unique_ptr<nats::NatsFront> nats_front;
  if (config.redis_port != 0) {
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
    // A script past busy-reply-threshold lets the other clients in (-BUSY, SCRIPT KILL).
    redis_front->scripts().set_busy_callback([&server] { server.ServeWhileBusy(); });
    if (!listen(*redis_front, config.redis_port, "redis")) return 1;
  }
  if (config.nats_port != 0) {
    nats_front = std::make_unique<nats::NatsFront>(store, config.nats);
    nats_front->AttachPersistence(&persistence);
    if (!listen(*nats_front, config.nats_port, "nats")) return 1;
  }
  if (!redis_front && !nats_front) {
    KVGATE_LOG(kError, "both ports are off (--redis-port 0 --nats-port 0): nothing to serve");
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
