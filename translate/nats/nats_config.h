// File: translate/nats/nats_config.h
// Settings of the NATS front (limits, identity announced in INFO, timers). Defaults follow
// nats-server's where one exists.
//
//   NatsConfig cfg;
//   cfg.port = 4222; cfg.max_payload = 8 << 20;
//   NatsFront front(engine, cfg);
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "translate/nats/nats_auth_config.h"

namespace kvgate::nats {

struct NatsConfig {
  // --protected-mode yes: without authorization, only loopback clients are served; the others
  // get -ERR 'Authorization Violation' after INFO and are closed.
  bool protected_mode = true;
  // ---- protocol limits ----
  size_t max_payload = 1 << 20;    // INFO max_payload; larger PUB/HPUB close the connection
  size_t max_control_line = 4096;  // nats-server MAX_CONTROL_LINE_SIZE
  // Output queued for one client above this is a slow consumer: the connection is cut off
  // (nats-server max_pending default 64 MiB).
  size_t max_pending_bytes = 64 << 20;
  size_t max_subs_per_client = 0;  // 0 = unlimited

  // ---- identity in INFO ----
  std::string server_id;    // generated (56 upper-case alnum, like nats-server) when empty
  std::string server_name;  // server_id when empty
  // Advertised version: clients gate features on it (spec §1.2). 2.10.x because
  // filter_subjects (multi-filter consumers) is implemented.
  std::string version = "2.10.0";
  std::string host = "0.0.0.0";
  int port = 4222;
  bool jetstream = true;
  // INFO tls_required / tls_verify: the gateway runs TLS on this port (after INFO).
  bool tls_required = false;
  bool tls_verify = false;

  // ---- client authorization (nats-server `authorization`); off when !auth.enabled() ----
  NatsAuthConfig auth;
  // Gets one line per failed authentication for the operator's log (who connected from where and
  // which user or nkey it claimed, never a secret); null: not logged.
  std::function<void(const std::string&)> log_auth_error;

  // ---- timers ----
  int64_t ping_interval_ms = 120'000;  // server PING cadence (nats-server default 2 min)
  int max_pings_out = 2;               // unanswered PINGs before 'Stale Connection'

  // ---- JetStream consumers ----
  int64_t default_inactive_threshold_ms = 5'000;  // ephemeral consumer GC without interest
  // Consumer delivery pauses while the subscriber's queued output is above this and resumes
  // below the low-water mark (the engine watch buffers meanwhile, bounded).
  size_t consumer_high_water_bytes = 1 << 20;
  size_t consumer_low_water_bytes = 256 << 10;
  size_t consumer_batch = 256;     // entries delivered per consumer per RunPending pass
  size_t max_consumers = 100'000;  // across all streams; creation beyond fails (10026)
};

}  // namespace kvgate::nats
