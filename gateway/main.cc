// kvgate: one process, one libuv loop, a RESP listener and a NATS listener over one engine.
#include <signal.h>

#include <cstdio>
#include <memory>

#include "engine/engine.h"
#include "gateway/config.h"
#include "gateway/log.h"
#include "gateway/server.h"
#include "translate/nats/nats_front.h"
#include "translate/redis/front.h"

int main(int argc, char** argv) {
  using namespace kvgate;
  gateway::Config config;
  if (int rc = gateway::ParseCommandLine(argc, argv, &config); rc >= 0) return rc;
  gateway::SetLogLevel(config.log_level);
  signal(SIGPIPE, SIG_IGN);

  engine::SystemClock clock;
  engine::Engine engine(clock, config.engine_limits);
  gateway::Server server(engine, config.server);

  std::unique_ptr<redis::RedisFront> redis_front;
  std::unique_ptr<nats::NatsFront> nats_front;
  if (config.redis_port != 0) {
    redis_front = std::make_unique<redis::RedisFront>(engine, config.redis);
    int port = server.Listen(config.bind, config.redis_port, *redis_front,
                             "-ERR max number of clients reached\r\n");
    if (port < 0) {
      KVGATE_LOG(kError, "cannot listen on %s:%d (redis): %s", config.bind.c_str(),
                 config.redis_port, uv_strerror(port));
      return 1;
    }
    KVGATE_LOG(kInfo, "redis listening on %s:%d", config.bind.c_str(), port);
  }
  if (config.nats_port != 0) {
    nats_front = std::make_unique<nats::NatsFront>(engine, config.nats);
    int port = server.Listen(config.bind, config.nats_port, *nats_front,
                             "-ERR 'maximum connections exceeded'\r\n");
    if (port < 0) {
      KVGATE_LOG(kError, "cannot listen on %s:%d (nats): %s", config.bind.c_str(),
                 config.nats_port, uv_strerror(port));
      return 1;
    }
    KVGATE_LOG(kInfo, "nats listening on %s:%d", config.bind.c_str(), port);
  }
  if (!redis_front && !nats_front) {
    KVGATE_LOG(kError, "both ports are off (--redis-port 0 --nats-port 0): nothing to serve");
    return 1;
  }
  int rc = server.Run();
  const auto& stats = server.loop_stats();
  // Benchmarks read this line to report the worst loop stall of a run.
  KVGATE_LOG(kInfo, "stopped: loop iterations=%llu max_busy_us=%llu busy_over_10ms=%llu",
             static_cast<unsigned long long>(stats.iterations),
             static_cast<unsigned long long>(stats.max_busy_us),
             static_cast<unsigned long long>(stats.busy_over_10ms));
  return rc;
}
