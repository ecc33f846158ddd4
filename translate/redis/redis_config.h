// File: translate/redis/redis_config.h
// Configuration of the Redis front. Defaults are redis-server 7.0's defaults; the gateway fills
// the struct from its flags, and CONFIG SET changes the live copy held by RedisFront.
//
//   RedisConfig cfg;
//   cfg.db_buckets[0] = "app";          // database 0 backed by bucket "app" instead of "db0"
//   RedisFront front(engine, cfg);
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/types.h"
#include "protocols/resp/request_reader.h"
#include "translate/persistence_control.h"

namespace kvgate::redis {

// Redis's `save` value: pairs of non-negative integers "<seconds> <changes>", or "" for none.
// False for anything else; *normal is the value as CONFIG GET shows it.
bool ParseSaveRules(std::string_view text, std::vector<translate::SaveRule>* rules,
                    std::string* normal);

struct OutputBufferLimit {
  uint64_t hard_bytes = 0;  // 0 = none; above it the client is closed at once
  uint64_t soft_bytes = 0;  // 0 = none; above it for soft_seconds the client is closed
  int64_t soft_seconds = 0;
};

struct RedisConfig {
  // Number of databases (SELECT 0..databases-1).
  int databases = 16;
  // Database index -> bucket name; indexes not listed use "db<N>".
  std::map<int, std::string> db_buckets;
  // Configuration for buckets created on first use. A finite tombstone_ttl keeps DEL-heavy
  // workloads bounded (DESIGN.md "Buckets").
  engine::BucketConfig bucket_defaults = [] {
    engine::BucketConfig c;
    c.history = 1;
    c.tombstone_ttl_ns = 60LL * 1'000'000'000;
    c.description = "Redis database";
    return c;
  }();

  // proto-max-bulk-len, client-query-buffer-limit, inline and multibulk limits.
  resp::ReaderLimits limits;
  // client-output-buffer-limit: normal clients unlimited, pubsub 32mb 8mb 60.
  OutputBufferLimit normal_output_limit;
  OutputBufferLimit pubsub_output_limit{32ULL << 20, 8ULL << 20, 60};
  OutputBufferLimit replica_output_limit{256ULL << 20, 64ULL << 20, 60};

  uint64_t maxclients = 10000;  // enforced by the gateway; reported by CONFIG GET / INFO
  uint64_t maxmemory = 0;       // reported; the engine's limit is set by the gateway
  std::string maxmemory_policy = "noeviction";
  int64_t timeout_seconds = 0;         // idle clients are closed after this (0 = never)
  std::string notify_keyspace_events;  // as given, e.g. "KEAn"; validated by CONFIG SET
  // `save` rules ("<seconds> <changes> ...", as CONFIG GET shows them; "" none): checkpoints
  // (translate/persistence_control.h). appendonly yes or any save rule makes the databases
  // file buckets (bucket_defaults.storage, see DatabaseStorage; the gateway applies changes
  // through PersistenceControl).
  std::string save;
  std::string appendonly = "no";
  // protected-mode yes: while the default user has no password, only loopback clients
  // (127.0.0.1, ::1) are served; the others get -DENIED and are closed.
  bool protected_mode = true;
  int64_t auto_aof_rewrite_percentage = 100;
  uint64_t auto_aof_rewrite_min_size = 64ULL << 20;
  std::string appendfsync = "everysec";
  std::string dir = ".";
  // requirepass: the default user's password ("" = nopass); applied by RedisFront and CONFIG
  // SET. CONFIG GET shows it as set, as redis-server does.
  std::string requirepass;
  // aclfile: users loaded at start and by ACL LOAD, written by ACL SAVE ("" = none).
  std::string aclfile;
  int tcp_port = 6379;  // reported by INFO / CONFIG GET port
  std::string bind = "* -::*";
  std::string version = "7.0.15";  // redis_version reported to clients (they branch on it)
  int hz = 10;
  int64_t tcp_keepalive = 300;
  // hll-sparse-max-bytes: a sparse HyperLogLog growing past this turns dense.
  uint64_t hll_sparse_max_bytes = 3000;
  // busy-reply-threshold (alias lua-time-limit): a script running longer is "busy" (the
  // script engine's busy callback runs; SCRIPT KILL may stop it).
  int64_t busy_reply_threshold_ms = 5000;
  // Lua memory (per script engine state) past which a running script is stopped with an error
  // at its next instruction (0 = unbounded). kvgate's own: redis-server does not bound it.
  uint64_t lua_max_memory = uint64_t{1} << 30;
  // Keys remembered for client-side caching (tracking-table-max-keys; 0 = unlimited).
  uint64_t tracking_table_max_keys = 1'000'000;
  // A hash stays a "listpack" (OBJECT ENCODING, one-call HSCAN) up to this many fields, each
  // field and value at most this long (hash-max-listpack-entries / -value, ziplist aliases).
  uint64_t hash_max_listpack_entries = 512;
  uint64_t hash_max_listpack_value = 64;
  // A set of integers stays an "intset" (OBJECT ENCODING, sorted members, one-call SSCAN) up
  // to this many members (set-max-intset-entries).
  uint64_t set_max_intset_entries = 512;
  // A sorted set stays a "listpack" (OBJECT ENCODING, one-call ZSCAN, linear lex search) up to
  // this many members, each at most this long (zset-max-listpack-entries / -value).
  uint64_t zset_max_listpack_entries = 128;
  uint64_t zset_max_listpack_value = 64;
  // Accepted and reported only (list-max-listpack-size / list-max-ziplist-size, in
  // INT_MIN..INT_MAX; list-compress-depth, in 0..INT_MAX): every list reports "quicklist", as in
  // redis-server 7.0, and kvgate sizes its list chunks itself.
  int64_t list_max_listpack_size = -2;
  int64_t list_compress_depth = 0;

  // Where the databases live: file buckets with appendonly yes or save rules, else memory.
  engine::Storage DatabaseStorage() const {
    return appendonly == "yes" || !save.empty() ? engine::Storage::kFile : engine::Storage::kMemory;
  }
};

}  // namespace kvgate::redis
