// File: gateway/config.h
// Process configuration: command-line flags -> the options of the server, the engine and both
// fronts. Startup is the one place allowed to fail with a message instead of a value.
//
//   gateway::Config cfg;
//   if (int rc = gateway::ParseCommandLine(argc, argv, &cfg); rc >= 0) return rc;  // --help etc.
//   RedisFront redis(engine, cfg.redis);
#pragma once

#include <cstdint>
#include <string>

#include "engine/engine.h"
#include "gateway/log.h"
#include "gateway/persistence.h"
#include "gateway/server.h"
#include "gateway/tls_manager.h"
#include "translate/nats/nats_config.h"
#include "translate/redis/redis_config.h"

namespace kvgate::gateway {

struct Config {
  std::string bind = "127.0.0.1";
  int redis_port = 6379;  // 0 = off
  int nats_port = 4222;   // 0 = off
  LogLevel log_level = LogLevel::kInfo;
  ServerOptions server;
  engine::Engine::Limits engine_limits;
  redis::RedisConfig redis;
  nats::NatsConfig nats;
  // Persistence (gateway/persistence.h): the data directory and fsync policy; appendonly makes
  // Redis databases file buckets (NATS file streams always are).
  PersistenceOptions persistence;
  bool appendonly = false;
  // --check-aof FILE [--fix]: check (and repair) a redo log, then exit.
  std::string check_aof;
  bool check_aof_fix = false;
  // TLS (gateway/tls_manager.h): the Redis TLS listener and NATS TLS on the NATS port.
  TlsOptions tls;
};

// Parses flags into *config. Returns -1 to continue starting up, or an exit status to return
// at once (0 after --help/--version, 1 after a bad flag, with the message printed).
int ParseCommandLine(int argc, char** argv, Config* config);

}  // namespace kvgate::gateway
