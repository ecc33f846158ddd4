// CONFIG GET / SET / RESETSTAT / REWRITE / HELP over a table of parameters. Parameters with an
// effect (limits, notifications, timeouts) change RedisConfig; the rest are reported with
// redis-server's defaults so tools (redis-benchmark's CONFIG GET save/appendonly) stay quiet.
#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

#include "protocols/resp/number.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/glob.h"
#include "translate/redis/memory_units.h"
#include "translate/redis/notifications.h"
#include "translate/redis/session.h"

namespace kvgate::redis {
namespace {

// A parameter in [0, LONG_MAX]: the error text CONFIG SET reports, empty when it parses.
std::string ParseLongParam(std::string_view v, int64_t* out) {
  if (!resp::ParseInt64(v, out)) return "argument couldn't be parsed into an integer";
  if (*out < 0) return "argument must be between 0 and 9223372036854775807 inclusive";
  return std::string();
}

bool ParseNonNegative(std::string_view s, int64_t* out) {
  return resp::ParseInt64(s, out) && *out >= 0;
}

std::string FormatOutputLimits(const RedisConfig& c) {
  auto one = [](std::string_view cls, const OutputBufferLimit& l) {
    return std::string(cls) + " " + std::to_string(l.hard_bytes) + " " +
           std::to_string(l.soft_bytes) + " " + std::to_string(l.soft_seconds);
  };
  return one("normal", c.normal_output_limit) + " " + one("slave", c.replica_output_limit) + " " +
         one("pubsub", c.pubsub_output_limit);
}

// The space-separated words of a value.
std::vector<std::string> SplitWords(std::string_view value) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < value.size()) {
    while (i < value.size() && value[i] == ' ') ++i;
    size_t j = i;
    while (j < value.size() && value[j] != ' ') ++j;
    if (j > i) words.emplace_back(value.substr(i, j - i));
    i = j;
  }
  return words;
}

// "class hard soft seconds" repeated; returns an error text or "".
std::string ParseOutputLimits(std::string_view value, RedisConfig* c) {
  const std::vector<std::string> words = SplitWords(value);
  if (words.empty() || words.size() % 4 != 0)
    return "Wrong number of arguments in buffer limit configuration.";
  RedisConfig next = *c;
  for (size_t k = 0; k < words.size(); k += 4) {
    OutputBufferLimit l;
    int64_t secs = 0;
    if (!ParseMemoryValue(words[k + 1], &l.hard_bytes) ||
        !ParseMemoryValue(words[k + 2], &l.soft_bytes) || !ParseNonNegative(words[k + 3], &secs)) {
      return "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
    }
    l.soft_seconds = secs;
    std::string cls = words[k];
    for (char& ch : cls) ch = static_cast<char>(tolower(static_cast<unsigned char>(ch)));
    if (cls == "normal")
      next.normal_output_limit = l;
    else if (cls == "slave" || cls == "replica")
      next.replica_output_limit = l;
    else if (cls == "pubsub")
      next.pubsub_output_limit = l;
    else
      return "Invalid client class specified in buffer limit configuration.";
  }
  *c = next;
  return "";
}

using Getter = std::string (*)(RedisFront&);
// Applies `value` to the staged config; returns an error text, "" on success.
using Setter = std::string (*)(RedisConfig*, std::string_view value);

struct Param {
  std::string_view name;
  Getter get;
  Setter set;  // nullptr: immutable
};

std::string SetMemory(uint64_t* field, std::string_view v) {
  uint64_t x = 0;
  if (!ParseMemoryValue(v, &x)) return "argument must be a memory value";
  *field = x;
  return "";
}

// A count parameter (the listpack thresholds): a non-negative integer in `Field`.
template <uint64_t RedisConfig::*Field>
std::string GetCount(RedisFront& f) {
  return std::to_string(f.config().*Field);
}
template <uint64_t RedisConfig::*Field>
std::string SetCount(RedisConfig* c, std::string_view v) {
  int64_t x = 0;
  if (!ParseNonNegative(v, &x)) return "argument couldn't be parsed into an integer";
  c->*Field = static_cast<uint64_t>(x);
  return "";
}

// An int parameter of Redis (createIntConfig) in [Min, INT_MAX], held in `Field`.
template <int64_t RedisConfig::*Field>
std::string GetInt(RedisFront& f) {
  return std::to_string(f.config().*Field);
}
template <int64_t RedisConfig::*Field, int64_t Min>
std::string SetInt(RedisConfig* c, std::string_view v) {
  int64_t x = 0;
  if (!resp::ParseInt64(v, &x)) return "argument couldn't be parsed into an integer";
  if (x < Min || x > INT32_MAX) {
    return "argument must be between " + std::to_string(Min) + " and 2147483647 inclusive";
  }
  c->*Field = x;
  return "";
}

const Param kParams[] = {
    {"save", [](RedisFront& f) { return f.config().save; },
     [](RedisConfig* c, std::string_view v) {
       std::vector<translate::SaveRule> rules;
       if (!ParseSaveRules(v, &rules, &c->save)) return std::string("Invalid save parameters");
       c->bucket_defaults.storage = c->DatabaseStorage();
       return std::string();
     }},
    {"appendonly", [](RedisFront& f) { return f.config().appendonly; },
     [](RedisConfig* c, std::string_view v) {
       if (!EqualsIgnoreCase(v, "yes") && !EqualsIgnoreCase(v, "no")) {
         return std::string("argument must be 'yes' or 'no'");
       }
       c->appendonly = EqualsIgnoreCase(v, "yes") ? "yes" : "no";
       c->bucket_defaults.storage = c->DatabaseStorage();
       return std::string();
     }},
    {"auto-aof-rewrite-percentage",
     [](RedisFront& f) { return std::to_string(f.config().auto_aof_rewrite_percentage); },
     SetInt<&RedisConfig::auto_aof_rewrite_percentage, 0>},
    {"auto-aof-rewrite-min-size",
     [](RedisFront& f) { return std::to_string(f.config().auto_aof_rewrite_min_size); },
     [](RedisConfig* c, std::string_view v) {
       uint64_t x = 0;
       if (!ParseMemoryValue(v, &x)) return std::string("argument must be a memory value");
       c->auto_aof_rewrite_min_size = x;
       return std::string();
     }},
    {"appendfsync", [](RedisFront& f) { return f.config().appendfsync; },
     [](RedisConfig* c, std::string_view v) {
       for (std::string_view p : {"always", "everysec", "no"}) {
         if (EqualsIgnoreCase(v, p)) {
           c->appendfsync = std::string(p);
           return std::string();
         }
       }
       return std::string("argument(s) must be one of the following: always, everysec, no");
     }},
    {"dir", [](RedisFront& f) { return f.config().dir; }, nullptr},
    {"databases", [](RedisFront& f) { return std::to_string(f.config().databases); }, nullptr},
    {"maxclients", [](RedisFront& f) { return std::to_string(f.config().maxclients); },
     [](RedisConfig* c, std::string_view v) {
       int64_t x = 0;
       if (!resp::ParseInt64(v, &x))
         return std::string("argument couldn't be parsed into an integer");
       if (x < 1) return std::string("argument must be between 1 and 2147483647 inclusive");
       c->maxclients = static_cast<uint64_t>(x);
       return std::string();
     }},
    {"maxmemory", [](RedisFront& f) { return std::to_string(f.config().maxmemory); },
     [](RedisConfig* c, std::string_view v) { return SetMemory(&c->maxmemory, v); }},
    {"maxmemory-policy", [](RedisFront& f) { return f.config().maxmemory_policy; },
     [](RedisConfig* c, std::string_view v) {
       static constexpr std::string_view kPolicies[] = {
           "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
           "allkeys-lru",  "allkeys-lfu",  "allkeys-random",  "noeviction"};
       for (std::string_view p : kPolicies) {
         if (EqualsIgnoreCase(v, p)) {
           c->maxmemory_policy.assign(p);
           return std::string();
         }
       }
       return std::string(
           "argument(s) must be one of the following: volatile-lru, volatile-lfu, "
           "volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, "
           "allkeys-random, noeviction");
     }},
    // Shown in Redis's canonical form, which drops classes outside "A" (n) when A is set: the
    // text as given is kept so the flags survive the round trip.
    {"notify-keyspace-events", [](RedisFront& f) { return FormatKeyspaceEvents(f.notify_flags()); },
     [](RedisConfig* c, std::string_view v) {
       uint32_t flags = 0;
       if (!ParseKeyspaceEvents(v, &flags)) {
         return "Invalid event class character. Use '" + std::string(kKeyspaceEventClasses) + "'.";
       }
       c->notify_keyspace_events = std::string(v);
       return std::string();
     }},
    {"proto-max-bulk-len",
     [](RedisFront& f) { return std::to_string(f.config().limits.proto_max_bulk_len); },
     [](RedisConfig* c, std::string_view v) {
       uint64_t x = 0;
       if (!ParseMemoryValue(v, &x)) return std::string("argument must be a memory value");
       if (x < 1024 * 1024 || x > static_cast<uint64_t>(INT64_MAX)) {
         return std::string("argument must be between 1048576 and 9223372036854775807 inclusive");
       }
       c->limits.proto_max_bulk_len = static_cast<int64_t>(x);
       return std::string();
     }},
    {"client-query-buffer-limit",
     [](RedisFront& f) { return std::to_string(f.config().limits.query_buffer_limit); },
     [](RedisConfig* c, std::string_view v) {
       uint64_t x = 0;
       if (!ParseMemoryValue(v, &x)) return std::string("argument must be a memory value");
       if (x < 1024 * 1024) {
         return std::string("argument must be between 1048576 and 9223372036854775807 inclusive");
       }
       c->limits.query_buffer_limit = x;
       return std::string();
     }},
    {"client-output-buffer-limit", [](RedisFront& f) { return FormatOutputLimits(f.config()); },
     [](RedisConfig* c, std::string_view v) { return ParseOutputLimits(v, c); }},
    {"timeout", [](RedisFront& f) { return std::to_string(f.config().timeout_seconds); },
     [](RedisConfig* c, std::string_view v) {
       int64_t x = 0;
       if (!ParseNonNegative(v, &x))
         return std::string("argument couldn't be parsed into an integer");
       c->timeout_seconds = x;
       return std::string();
     }},
    {"tcp-keepalive", [](RedisFront& f) { return std::to_string(f.config().tcp_keepalive); },
     [](RedisConfig* c, std::string_view v) {
       int64_t x = 0;
       if (!ParseNonNegative(v, &x))
         return std::string("argument couldn't be parsed into an integer");
       c->tcp_keepalive = x;
       return std::string();
     }},
    {"hz", [](RedisFront& f) { return std::to_string(f.config().hz); },
     [](RedisConfig* c, std::string_view v) {
       int64_t x = 0;
       if (!ParseNonNegative(v, &x) || x > 500)
         return std::string("argument must be between 0 and 500 inclusive");
       c->hz = static_cast<int>(x);
       return std::string();
     }},
    {"tracking-table-max-keys",
     [](RedisFront& f) { return std::to_string(f.config().tracking_table_max_keys); },
     [](RedisConfig* c, std::string_view v) {
       int64_t x = 0;
       if (!ParseNonNegative(v, &x))
         return std::string("argument couldn't be parsed into an integer");
       c->tracking_table_max_keys = static_cast<uint64_t>(x);
       return std::string();
     }},
    {"hash-max-listpack-entries", GetCount<&RedisConfig::hash_max_listpack_entries>,
     SetCount<&RedisConfig::hash_max_listpack_entries>},
    {"hash-max-ziplist-entries", GetCount<&RedisConfig::hash_max_listpack_entries>,
     SetCount<&RedisConfig::hash_max_listpack_entries>},
    {"hash-max-listpack-value", GetCount<&RedisConfig::hash_max_listpack_value>,
     SetCount<&RedisConfig::hash_max_listpack_value>},
    {"hash-max-ziplist-value", GetCount<&RedisConfig::hash_max_listpack_value>,
     SetCount<&RedisConfig::hash_max_listpack_value>},
    {"zset-max-listpack-entries", GetCount<&RedisConfig::zset_max_listpack_entries>,
     SetCount<&RedisConfig::zset_max_listpack_entries>},
    {"zset-max-ziplist-entries", GetCount<&RedisConfig::zset_max_listpack_entries>,
     SetCount<&RedisConfig::zset_max_listpack_entries>},
    {"zset-max-listpack-value", GetCount<&RedisConfig::zset_max_listpack_value>,
     SetCount<&RedisConfig::zset_max_listpack_value>},
    {"zset-max-ziplist-value", GetCount<&RedisConfig::zset_max_listpack_value>,
     SetCount<&RedisConfig::zset_max_listpack_value>},
    {"list-max-listpack-size", GetInt<&RedisConfig::list_max_listpack_size>,
     SetInt<&RedisConfig::list_max_listpack_size, INT32_MIN>},
    {"list-max-ziplist-size", GetInt<&RedisConfig::list_max_listpack_size>,
     SetInt<&RedisConfig::list_max_listpack_size, INT32_MIN>},
    {"list-compress-depth", GetInt<&RedisConfig::list_compress_depth>,
     SetInt<&RedisConfig::list_compress_depth, 0>},
    {"hll-sparse-max-bytes",
     [](RedisFront& f) { return std::to_string(f.config().hll_sparse_max_bytes); },
     [](RedisConfig* c, std::string_view v) {
       uint64_t x = 0;
       if (!ParseMemoryValue(v, &x)) return std::string("argument must be a memory value");
       if (x > static_cast<uint64_t>(INT64_MAX)) {
         return std::string("argument must be between 0 and 9223372036854775807 inclusive");
       }
       c->hll_sparse_max_bytes = x;
       return std::string();
     }},
    {"set-max-intset-entries",
     [](RedisFront& f) { return std::to_string(f.config().set_max_intset_entries); },
     [](RedisConfig* c, std::string_view v) {
       int64_t x = 0;
       std::string err = ParseLongParam(v, &x);
       if (err.empty()) c->set_max_intset_entries = static_cast<uint64_t>(x);
       return err;
     }},
    // Streams fill their nodes at Redis's defaults (engine/collections/stream_value.h).
    {"stream-node-max-bytes", [](RedisFront&) { return std::string("4096"); }, nullptr},
    {"stream-node-max-entries", [](RedisFront&) { return std::string("100"); }, nullptr},
    {"port", [](RedisFront& f) { return std::to_string(f.config().tcp_port); }, nullptr},
    {"bind", [](RedisFront& f) { return f.config().bind; }, nullptr},
    {"requirepass", [](RedisFront& f) { return f.config().requirepass; },
     [](RedisConfig* c, std::string_view v) {
       c->requirepass.assign(v);
       return std::string();
     }},
    {"masterauth", [](RedisFront&) { return std::string(); }, nullptr},
    {"aclfile", [](RedisFront& f) { return f.config().aclfile; }, nullptr},
    {"dbfilename", [](RedisFront&) { return std::string("dump.rdb"); }, nullptr},
    {"daemonize", [](RedisFront&) { return std::string("no"); }, nullptr},
    {"loglevel", [](RedisFront&) { return std::string("notice"); }, nullptr},
    {"io-threads", [](RedisFront&) { return std::string("1"); }, nullptr},
    {"cluster-enabled", [](RedisFront&) { return std::string("no"); }, nullptr},
    {"replica-read-only", [](RedisFront&) { return std::string("yes"); }, nullptr},
    {"busy-reply-threshold",
     [](RedisFront& f) { return std::to_string(f.config().busy_reply_threshold_ms); },
     [](RedisConfig* c, std::string_view v) {
       int64_t x = 0;
       std::string err = ParseLongParam(v, &x);
       if (err.empty()) c->busy_reply_threshold_ms = x;
       return err;
     }},
    {"slowlog-log-slower-than", [](RedisFront&) { return std::string("10000"); }, nullptr},
    {"slowlog-max-len", [](RedisFront&) { return std::string("128"); }, nullptr},
    {"maxmemory-samples", [](RedisFront&) { return std::string("5"); }, nullptr},
    {"lazyfree-lazy-user-flush", [](RedisFront&) { return std::string("no"); }, nullptr},
    {"protected-mode",
     [](RedisFront& f) { return std::string(f.config().protected_mode ? "yes" : "no"); },
     [](RedisConfig* c, std::string_view v) {
       if (!EqualsIgnoreCase(v, "yes") && !EqualsIgnoreCase(v, "no")) {
         return std::string("argument must be 'yes' or 'no'");
       }
       c->protected_mode = EqualsIgnoreCase(v, "yes");
       return std::string();
     }},
};

const Param* FindParam(std::string_view name) {
  for (const Param& p : kParams) {
    if (EqualsIgnoreCase(p.name, name)) return &p;
  }
  if (EqualsIgnoreCase(name, "slave-read-only")) return FindParam("replica-read-only");
  if (EqualsIgnoreCase(name, "lua-time-limit")) return FindParam("busy-reply-threshold");
  return nullptr;
}

void GetCmd(CommandContext& ctx) {
  std::vector<const Param*> found;
  for (size_t i = 2; i < ctx.argc(); ++i) {
    std::string_view pattern = ctx.arg(i);
    for (const Param& p : kParams) {
      if (!GlobMatch(pattern, p.name, /*nocase=*/true)) continue;
      if (std::find(found.begin(), found.end(), &p) == found.end()) found.push_back(&p);
    }
  }
  // tls-* parameters belong to the gateway (translate/tls_control.h).
  std::vector<std::string_view> tls_found;
  if (const translate::TlsControl* tls = ctx.front.tls_control()) {
    for (std::string_view name : tls->ParamNames()) {
      for (size_t i = 2; i < ctx.argc(); ++i) {
        if (GlobMatch(ctx.arg(i), name, /*nocase=*/true)) {
          tls_found.push_back(name);
          break;
        }
      }
    }
  }
  ctx.w.MapHeader(found.size() + tls_found.size());
  for (const Param* p : found) {
    ctx.w.Bulk(p->name);
    ctx.w.Bulk(p->get(ctx.front));
  }
  for (std::string_view name : tls_found) {
    ctx.w.Bulk(name);
    ctx.w.Bulk(ctx.front.tls_control()->Get(name));
  }
}

void SetCmd(CommandContext& ctx) {
  if (ctx.argc() % 2 != 0) return ReplyArity(ctx.w, "config|set");
  RedisConfig staged = ctx.front.config();
  std::vector<const Param*> seen;
  translate::TlsControl* tls = ctx.front.tls_control();
  std::vector<std::pair<std::string, std::string>> tls_changes;
  auto fail = [&](std::string_view arg, std::string_view why) {
    ctx.w.Error("ERR CONFIG SET failed (possibly related to argument '" +
                std::string(CString(arg)) + "') - " + std::string(why));
  };
  for (size_t i = 2; i < ctx.argc(); i += 2) {
    const Param* p = FindParam(CString(ctx.arg(i)));
    if (p == nullptr && tls != nullptr && tls->Known(CString(ctx.arg(i)))) {
      std::string name(CString(ctx.arg(i)));
      for (char& ch : name) ch = static_cast<char>(tolower(static_cast<unsigned char>(ch)));
      for (const auto& [seen_name, v] : tls_changes) {
        if (seen_name == name) return fail(ctx.arg(i), "duplicate parameter");
      }
      if (!tls->Mutable(name)) return fail(ctx.arg(i), "can't set immutable config");
      tls_changes.emplace_back(std::move(name), std::string(ctx.arg(i + 1)));
      continue;
    }
    if (p == nullptr) {
      return ctx.w.Error("ERR Unknown option or number of arguments for CONFIG SET - '" +
                         std::string(CString(ctx.arg(i))) + "'");
    }
    if (std::find(seen.begin(), seen.end(), p) != seen.end()) {
      return fail(ctx.arg(i), "duplicate parameter");
    }
    seen.push_back(p);
    if (p->set == nullptr) return fail(ctx.arg(i), "can't set immutable config");
  }
  // All or nothing: apply to a copy, commit only if every value was valid.
  for (size_t i = 2; i < ctx.argc(); i += 2) {
    const Param* p = FindParam(CString(ctx.arg(i)));
    if (p == nullptr) continue;  // a tls-* parameter
    std::string err = p->set(&staged, ctx.arg(i + 1));
    if (!err.empty()) return fail(ctx.arg(i), err);
  }
  if (!tls_changes.empty()) {
    std::string failed_name;
    std::string err = tls->Set(tls_changes, &failed_name);
    if (!err.empty()) return fail(failed_name, err);
  }
  const bool maxmemory_changed = staged.maxmemory != ctx.front.config().maxmemory;
  const bool storage_changed =
      staged.bucket_defaults.storage != ctx.front.config().bucket_defaults.storage;
  const bool fsync_changed = staged.appendfsync != ctx.front.config().appendfsync;
  const bool requirepass_changed = staged.requirepass != ctx.front.config().requirepass;
  ctx.front.config() = std::move(staged);
  if (translate::PersistenceControl* p = ctx.front.persistence(); p != nullptr) {
    const RedisConfig& c = ctx.front.config();
    if (fsync_changed) p->SetFsync(c.appendfsync);
    std::vector<translate::SaveRule> rules;
    (void)ParseSaveRules(c.save, &rules, nullptr);  // validated when set
    p->SetSaveRules(std::move(rules));
    p->SetAutoRewrite(c.auto_aof_rewrite_percentage, c.auto_aof_rewrite_min_size);
  }
  if (storage_changed) ctx.front.ApplyDatabaseStorage();
  if (requirepass_changed) ctx.front.acl().SetRequirePass(ctx.front.config().requirepass);
  if (maxmemory_changed) {
    ctx.front.store().SetMaxMemory(ctx.front.config().maxmemory);
  }
  if (translate::LiveLimits* live = ctx.front.live_limits()) {
    live->max_clients = ctx.front.config().maxclients;  // enforced from the next accept
  }
  uint32_t flags = 0;
  if (ParseKeyspaceEvents(ctx.front.config().notify_keyspace_events, &flags)) {
    ctx.front.set_notify_flags(flags);
  }
  ctx.w.Ok();
}

void ResetStatCmd(CommandContext& ctx) {
  RedisStats& s = ctx.front.stats();
  s.commands_processed = 0;
  s.connections_received = 0;
  if (translate::LiveLimits* live = ctx.front.live_limits()) live->refused = 0;
  s.expired_keys = 0;
  s.keyspace_hits = 0;
  s.keyspace_misses = 0;
  if (translate::LoopStats* loop = ctx.front.loop_stats()) loop->Reset();
  ctx.w.Ok();
}

void RewriteCmd(CommandContext& ctx) {
  ctx.w.Error("ERR The server is running without a config file");
}

void HelpCmd(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GET <pattern>",
      "    Return parameters matching the glob-like <pattern> and their values.",
      "SET <directive> <value>",
      "    Set the configuration <directive> to <value>.",
      "RESETSTAT",
      "    Reset statistics reported by the INFO command.",
      "REWRITE",
      "    Rewrite the configuration file.",
      "HELP",
      "    Print this help.",
  };
  ctx.w.ArrayHeader(std::size(kLines));
  for (std::string_view l : kLines) ctx.w.SimpleString(l);
}

constexpr uint32_t kCfg = kAdmin | kNoScript | kLoading | kStale;

constexpr CommandSpec kSubcommands[] = {
    {"get", -3, kCfg, GetCmd},
    {"set", -4, kCfg, SetCmd},
    {"resetstat", 2, kCfg, ResetStatCmd},
    {"rewrite", 2, kCfg, RewriteCmd},
    {"help", 2, kLoading | kStale, HelpCmd},
};

constexpr CommandSpec kCommands[] = {
    Container("config", -2, kCfg, kSubcommands),
};

}  // namespace

bool ParseSaveRules(std::string_view text, std::vector<translate::SaveRule>* rules,
                    std::string* normal) {
  const std::vector<std::string> words = SplitWords(text);
  if (words.size() % 2 != 0) return false;
  std::vector<translate::SaveRule> parsed;
  std::string shown;
  for (size_t k = 0; k < words.size(); k += 2) {
    translate::SaveRule r;
    if (!ParseNonNegative(words[k], &r.seconds) || !ParseNonNegative(words[k + 1], &r.changes)) {
      return false;
    }
    parsed.push_back(r);
    if (!shown.empty()) shown += ' ';
    shown += std::to_string(r.seconds) + " " + std::to_string(r.changes);
  }
  *rules = std::move(parsed);
  if (normal != nullptr) *normal = std::move(shown);
  return true;
}

std::span<const CommandSpec> ConfigCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
