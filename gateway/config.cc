#include "gateway/config.h"

#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

#include "translate/redis/memory_units.h"
#include "translate/redis/notifications.h"

namespace kvgate::gateway {

namespace {

// CLI11 validator/transform for memory sizes.
CLI::Validator MemorySize() {
  return CLI::Validator(
      [](std::string& in) -> std::string {
        uint64_t v = 0;
        if (!redis::ParseMemoryValue(in, &v))
          return "not a memory size: " + in + " (e.g. 512mb, 1gb)";
        in = std::to_string(v);
        return "";
      },
      "SIZE");
}

// CLI11 validator for Redis keyspace notification classes.
CLI::Validator KeyspaceEvents() {
  return CLI::Validator(
      [](std::string& in) -> std::string {
        uint32_t flags = 0;
        if (!redis::ParseKeyspaceEvents(in, &flags)) {
          return "invalid event class in '" + in + "' (use " +
                 std::string(redis::kKeyspaceEventClasses) + ")";
        }
        return "";
      },
      "CLASSES");
}

}  // namespace

int ParseCommandLine(int argc, char** argv, Config* config) {
  Config& c = *config;
  CLI::App app{"kvgate: Redis (RESP) and NATS JetStream KV clients over one versioned engine"};
  app.set_version_flag("--version", std::string("kvgate ") + KVGATE_VERSION);
  app.get_formatter()->column_width(40);

  app.add_option("--bind", c.bind, "Address both listeners bind")->capture_default_str();
  app.add_option("--redis-port", c.redis_port, "RESP port (0 = off)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  app.add_option("--nats-port", c.nats_port, "NATS port (0 = off)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "error, warn, info or debug")
      ->check(CLI::IsMember({"error", "warn", "info", "debug"}))
      ->capture_default_str();

  // Limits shared by both fronts.
  uint64_t maxclients = c.server.max_clients;
  app.add_option("--maxclients", maxclients, "Maximum client connections, both ports together")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  uint64_t maxmemory = 0;
  app.add_option("--maxmemory", maxmemory,
                 "Engine memory limit; writes fail with an OOM error above it (0 = none)")
      ->transform(MemorySize());
  uint64_t high_water = c.server.output_high_water;
  app.add_option("--output-high-water", high_water,
                 "Stop reading a client whose unsent output exceeds this")
      ->transform(MemorySize())
      ->capture_default_str();
  app.add_option("--busy-poll-us", c.server.busy_poll_us,
                 "While requests arrive less than this many microseconds apart, keep polling "
                 "up to four average gaps (one while reads carry pipelined batches; at most this "
                 "long) before sleeping; paused while the loop thread keeps waiting for a CPU "
                 "(0 = off)")
      ->check(CLI::Range(uint64_t{0}, uint64_t{10'000}))
      ->capture_default_str();
  app.add_option("--busy-poll-max-connections", c.server.busy_poll_max_connections,
                 "Busy-poll only while at most this many connections are open")
      ->capture_default_str();
  app.add_flag(
      "--loop-cpu-stats", c.server.loop_cpu_stats,
      "Also measure each loop iteration's thread CPU time (logged on SIGUSR1 and at exit)");
  uint64_t watch_queue = c.engine_limits.watch_queue;
  app.add_option("--watch-queue", watch_queue,
                 "Entries a watch may queue before it is cut off as a slow consumer")
      ->check(CLI::Range(uint64_t{16}, uint64_t{100'000'000}))
      ->capture_default_str();

  // Persistence.
  app.add_option("--dir", c.persistence.dir,
                 "Data directory: the redo log of file buckets (Redis 'dir')")
      ->capture_default_str();
  std::string appendonly = "no";
  app.add_option("--appendonly", appendonly,
                 "yes: Redis databases are file buckets, logged in --dir (NATS file streams "
                 "always are)")
      ->check(CLI::IsMember({"yes", "no"}))
      ->capture_default_str();
  std::string appendfsync = "everysec";
  app.add_option("--appendfsync", appendfsync,
                 "always: a reply waits for the fdatasync covering it; everysec: fdatasync "
                 "once a second; no: the OS decides (a kill -9 loses no acknowledged write "
                 "with any of them)")
      ->check(CLI::IsMember({"always", "everysec", "no"}))
      ->capture_default_str();
  std::string save;
  app.add_option("--save", save,
                 "Checkpoint rules \"<seconds> <changes> ...\" (Redis 'save'); any rule makes "
                 "Redis databases file buckets, like --appendonly yes")
      ->check(CLI::Validator(
          [](std::string& in) -> std::string {
            std::vector<translate::SaveRule> rules;
            return redis::ParseSaveRules(in, &rules, &in) ? "" : "not save rules: " + in;
          },
          "RULES"));
  app.add_option("--auto-aof-rewrite-percentage", c.redis.auto_aof_rewrite_percentage,
                 "Checkpoint when the redo files grew by this percentage since the last one "
                 "(0: never)")
      ->check(CLI::Range(int64_t{0}, int64_t{INT32_MAX}))
      ->capture_default_str();
  std::string rewrite_min = "64mb";
  app.add_option("--auto-aof-rewrite-min-size", rewrite_min,
                 "Automatic checkpoints (--auto-aof-rewrite-percentage) wait until the redo "
                 "files are at least this large")
      ->transform(MemorySize())
      ->capture_default_str();
  app.add_option("--check-aof", c.check_aof,
                 "Check the redo log FILE, or every file a manifest lists (FILE named "
                 "kvgate.manifest, or a directory holding one), and exit (0: clean; 1: damaged)");
  app.add_flag("--fix", c.check_aof_fix,
               "With --check-aof: cut the (newest incr) file at its last good record");

  // Redis front.
  app.add_option("--databases", c.redis.databases, "Number of Redis databases")
      ->check(CLI::Range(1, 10'000))
      ->capture_default_str();
  std::vector<std::string> db_buckets;
  app.add_option("--db-bucket", db_buckets,
                 "Map Redis database N to a bucket: N=BUCKET (repeatable; default db<N>)");
  int64_t tombstone_ttl = c.redis.bucket_defaults.tombstone_ttl_ns / 1'000'000'000;
  app.add_option("--tombstone-ttl", tombstone_ttl,
                 "Seconds DEL tombstones stay in Redis-created buckets (0 = forever)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40))
      ->capture_default_str();
  uint64_t bulk = static_cast<uint64_t>(c.redis.limits.proto_max_bulk_len);
  app.add_option("--proto-max-bulk-len", bulk, "Largest RESP bulk argument")
      ->transform(MemorySize())
      ->capture_default_str();
  app.add_option("--lua-maxmemory", c.redis.lua_max_memory,
                 "Lua memory a script may grow to before it is stopped with an error (0 = none)")
      ->transform(MemorySize())
      ->capture_default_str();
  uint64_t qbuf = c.redis.limits.query_buffer_limit;
  app.add_option("--client-query-buffer-limit", qbuf, "Largest pending RESP request")
      ->transform(MemorySize())
      ->capture_default_str();
  app.add_option("--notify-keyspace-events", c.redis.notify_keyspace_events,
                 "Redis keyspace notification classes (e.g. KEA)")
      ->check(KeyspaceEvents());
  app.add_option("--requirepass", c.redis.requirepass,
                 "Password of the Redis default user (AUTH <password>; empty = none)");
  std::string protected_mode = "yes";
  app.add_option("--protected-mode", protected_mode,
                 "yes: while no password (Redis) or authorization (NATS) is set, only clients "
                 "from 127.0.0.1 and ::1 are served")
      ->check(CLI::IsMember({"yes", "no"}))
      ->capture_default_str();
  app.add_option("--aclfile", c.redis.aclfile,
                 "Redis ACL users file (ACL LOAD / ACL SAVE; loaded at start)");
  app.add_option("--timeout", c.redis.timeout_seconds,
                 "Close idle Redis clients after N s (0 = never)")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 31));

  // NATS front.
  uint64_t max_payload = c.nats.max_payload;
  app.add_option("--max-payload", max_payload, "Largest NATS message payload")
      ->transform(MemorySize())
      ->capture_default_str();
  uint64_t max_pending = c.nats.max_pending_bytes;
  app.add_option("--max-pending", max_pending,
                 "NATS output queued per client before it is cut off as a slow consumer")
      ->transform(MemorySize())
      ->capture_default_str();
  app.add_option("--server-name", c.nats.server_name, "NATS server name announced in INFO");
  std::string nats_user, nats_pass, nats_token, nats_auth_file;
  double nats_auth_timeout = 0;
  app.add_option("--nats-user", nats_user,
                 "NATS clients must CONNECT as this user (with --nats-pass)");
  app.add_option("--nats-pass", nats_pass,
                 "Password of --nats-user: plain, or a bcrypt hash ($2a$...)");
  app.add_option("--nats-token", nats_token,
                 "NATS clients must CONNECT with this token (plain or bcrypt)");
  app.add_option("--nats-auth-file", nats_auth_file,
                 "JSON file with a nats-server 'authorization' block: users (password or nkey) "
                 "with publish/subscribe permissions, token, timeout")
      ->check(CLI::ExistingFile);
  app.add_option("--nats-auth-timeout", nats_auth_timeout,
                 "Seconds a NATS client has to send CONNECT when auth is on (default 2)")
      ->check(CLI::Range(0.001, 1e6));

  // TLS: the Redis listener on --tls-port (redis-server's tls-* options) and the NATS port.
  TlsSettings& t = c.tls.redis;
  app.add_option("--tls-port", c.tls.port, "Redis TLS port beside --redis-port (0 = off)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  app.add_option("--tls-cert-file", t.cert_file, "Server certificate (chain), PEM");
  app.add_option("--tls-key-file", t.key_file, "Private key of the certificate, PEM");
  app.add_option("--tls-key-file-pass", t.key_file_pass, "Passphrase of --tls-key-file");
  app.add_option("--tls-ca-cert-file", t.ca_cert_file, "CA certificates that sign client certs");
  app.add_option("--tls-ca-cert-dir", t.ca_cert_dir, "Directory of CA certificates (c_rehash)");
  std::string auth_clients = "yes";
  app.add_option("--tls-auth-clients", auth_clients,
                 "Redis TLS clients must (yes) or may (optional) present a certificate, or no")
      ->check(CLI::IsMember({"yes", "no", "optional"}))
      ->capture_default_str();
  app.add_option("--tls-protocols", t.protocols,
                 "Redis TLS versions, e.g. \"TLSv1.2 TLSv1.3\" (the default)")
      ->check(CLI::Validator(
          [](std::string& in) -> std::string {
            int bits = 0;
            std::string err;
            return ParseTlsProtocols(in, &bits, &err) ? "" : err;
          },
          "PROTOCOLS"));
  app.add_option("--tls-ciphers", t.ciphers, "TLS 1.2 cipher list (OpenSSL syntax)");
  app.add_option("--tls-ciphersuites", t.ciphersuites, "TLS 1.3 cipher suites (OpenSSL syntax)");
  std::string prefer = "no";
  app.add_option("--tls-prefer-server-ciphers", prefer, "yes: the server's cipher order wins")
      ->check(CLI::IsMember({"yes", "no"}))
      ->capture_default_str();
  app.add_flag("--nats-tls", c.tls.nats,
               "NATS port requires TLS (INFO tls_required, handshake after INFO)");
  app.add_flag("--nats-tls-verify", c.tls.nats_verify,
               "NATS clients must present a certificate signed by the CA");
  app.add_option("--nats-tls-cert", c.tls.nats_cert, "NATS certificate (default --tls-cert-file)");
  app.add_option("--nats-tls-key", c.tls.nats_key, "NATS private key (default --tls-key-file)");
  app.add_option("--nats-tls-ca", c.tls.nats_ca, "NATS client CA (default --tls-ca-cert-file)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  c.log_level = log_level == "error"   ? LogLevel::kError
                : log_level == "warn"  ? LogLevel::kWarning
                : log_level == "debug" ? LogLevel::kDebug
                                       : LogLevel::kInfo;
  c.server.max_clients = maxclients;
  c.server.output_high_water = high_water;
  c.server.output_low_water = std::min<uint64_t>(high_water / 4, c.server.output_low_water);
  c.engine_limits.max_memory_bytes = maxmemory;
  c.engine_limits.watch_queue = watch_queue;
  c.redis.maxclients = maxclients;
  c.redis.maxmemory = maxmemory;
  c.redis.tcp_port = c.redis_port;
  c.redis.bind = c.bind;
  c.redis.bucket_defaults.tombstone_ttl_ns = tombstone_ttl * 1'000'000'000;
  c.redis.limits.proto_max_bulk_len = static_cast<int64_t>(bulk);
  c.redis.limits.query_buffer_limit = qbuf;
  for (const auto& mapping : db_buckets) {
    size_t eq = mapping.find('=');
    int db = -1;
    if (eq != std::string::npos) {
      std::from_chars(mapping.data(), mapping.data() + eq, db);
    }
    std::string bucket = eq == std::string::npos ? "" : mapping.substr(eq + 1);
    if (db < 0 || db >= c.redis.databases || !engine::IsValidBucketName(bucket)) {
      std::fprintf(stderr, "--db-bucket %s: expected N=BUCKET with 0 <= N < %d\n", mapping.c_str(),
                   c.redis.databases);
      return 1;
    }
    c.redis.db_buckets[db] = bucket;
  }
  c.appendonly = appendonly == "yes";
  ParseFsyncPolicy(appendfsync, &c.persistence.fsync);  // CLI11 checked the name
  c.redis.appendonly = appendonly;
  c.redis.appendfsync = appendfsync;
  c.redis.dir = c.persistence.dir;
  c.redis.save = save;
  (void)redis::ParseSaveRules(save, &c.persistence.save_rules, nullptr);           // checked above
  (void)redis::ParseMemoryValue(rewrite_min, &c.redis.auto_aof_rewrite_min_size);  // checked
  c.persistence.auto_rewrite_percentage = c.redis.auto_aof_rewrite_percentage;
  c.persistence.auto_rewrite_min_size = c.redis.auto_aof_rewrite_min_size;
  c.redis.bucket_defaults.storage = c.redis.DatabaseStorage();
  c.nats.max_payload = max_payload;
  c.nats.max_pending_bytes = max_pending;
  c.nats.port = c.nats_port;
  c.nats.host = c.bind;
  (void)ParseTlsClientAuth(auth_clients, &t.auth_clients);  // CLI11 checked the name
  c.redis.protected_mode = protected_mode == "yes";
  c.nats.protected_mode = protected_mode == "yes";
  t.prefer_server_ciphers = prefer == "yes";
  c.nats.tls_required = c.tls.nats;
  c.nats.tls_verify = c.tls.nats && c.tls.nats_verify;
  if (!nats_auth_file.empty()) {
    std::ifstream file(nats_auth_file, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    std::string error;
    if (!file || !nats::ParseNatsAuthFile(text.str(), &c.nats.auth, &error)) {
      std::fprintf(stderr, "--nats-auth-file %s: %s\n", nats_auth_file.c_str(),
                   file ? error.c_str() : "cannot read it");
      return 1;
    }
  }
  // Flags override the file's single user / token, as nats-server's do its configuration.
  if (!nats_user.empty()) c.nats.auth.user = nats_user;
  if (!nats_pass.empty()) c.nats.auth.password = nats_pass;
  if (!nats_token.empty()) c.nats.auth.token = nats_token;
  if (nats_auth_timeout > 0) c.nats.auth.timeout_seconds = nats_auth_timeout;
  if (std::string error; !nats::ValidateNatsAuth(c.nats.auth, &error)) {
    std::fprintf(stderr, "NATS authorization: %s\n", error.c_str());
    return 1;
  }
  return -1;
}

}  // namespace kvgate::gateway
