// INFO [section ...]: Redis's sections and field names, with values from the front and engine
// (specs/resp-subset.md §3). Clients read redis_version; ioredis's ready check reads loading.
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <set>
#include <string>

#include "engine/store.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/script_engine.h"
#include "translate/redis/session.h"

namespace kvgate::redis {
namespace {

constexpr std::string_view kDefaultSections[] = {
    "server", "clients",     "memory",     "persistence", "stats",   "replication",
    "cpu",    "module_list", "errorstats", "cluster",     "keyspace"};
constexpr std::string_view kExtraSections[] = {"commandstats", "latencystats"};

std::string Human(uint64_t bytes) {
  char buf[64];
  double b = static_cast<double>(bytes);
  if (bytes < 1024) {
    snprintf(buf, sizeof(buf), "%lluB", static_cast<unsigned long long>(bytes));
  } else if (bytes < (1ULL << 20)) {
    snprintf(buf, sizeof(buf), "%.2fK", b / 1024);
  } else if (bytes < (1ULL << 30)) {
    snprintf(buf, sizeof(buf), "%.2fM", b / (1 << 20));
  } else {
    snprintf(buf, sizeof(buf), "%.2fG", b / (1 << 30));
  }
  return buf;
}

class InfoText {
 public:
  void Section(std::string_view title) {
    if (sections_++ > 0) text_.append("\r\n");
    text_.append("# ").append(title).append("\r\n");
  }
  void Field(std::string_view name, std::string_view value) {
    text_.append(name).append(":").append(value).append("\r\n");
  }
  void Field(std::string_view name, int64_t value) {
    Field(name, std::to_string(value));
  }
  std::string& text() {
    return text_;
  }

 private:
  std::string text_;
  int sections_ = 0;
};

void ServerSection(CommandContext& ctx, InfoText& t) {
  const RedisConfig& cfg = ctx.front.config();
  const int64_t uptime = (ctx.now_ms - ctx.front.stats().start_ms) / 1000;
  t.Section("Server");
  t.Field("redis_version", cfg.version);
  t.Field("redis_git_sha1", "00000000");
  t.Field("redis_git_dirty", 0);
  t.Field("redis_build_id", "0");
  t.Field("redis_mode", "standalone");
  t.Field("os", "Linux");
  t.Field("arch_bits", 64);
  t.Field("monotonic_clock", "POSIX clock_gettime");
  t.Field("multiplexing_api", "epoll");
  t.Field("atomicvar_api", "c11-builtin");
  t.Field("gcc_version", "0.0.0");
  t.Field("process_id", static_cast<int64_t>(getpid()));
  t.Field("process_supervised", "no");
  t.Field("run_id", "0000000000000000000000000000000000000000");
  t.Field("tcp_port", cfg.tcp_port);
  t.Field("server_time_usec", ctx.now_ms * 1000);
  t.Field("uptime_in_seconds", uptime);
  t.Field("uptime_in_days", uptime / 86400);
  t.Field("hz", cfg.hz);
  t.Field("configured_hz", cfg.hz);
  t.Field("lru_clock", (ctx.now_ms / 1000) & ((1 << 24) - 1));
  t.Field("executable", "kvgate");
  t.Field("config_file", "");
  t.Field("io_threads_active", 0);
  t.Field("server_name", "kvgate");
}

void ClientsSection(CommandContext& ctx, InfoText& t) {
  int64_t pubsub = 0;
  int64_t blocked = 0;
  for (const auto& [id, s] : ctx.front.clients()) {
    pubsub += s->in_pubsub() ? 1 : 0;
    blocked += s->blocked() ? 1 : 0;
  }
  t.Section("Clients");
  t.Field("connected_clients", static_cast<int64_t>(ctx.front.clients().size()));
  t.Field("cluster_connections", 0);
  t.Field("maxclients", static_cast<int64_t>(ctx.front.config().maxclients));
  t.Field("client_recent_max_input_buffer", 0);
  t.Field("client_recent_max_output_buffer", 0);
  t.Field("blocked_clients", blocked);
  t.Field("tracking_clients", static_cast<int64_t>(ctx.front.tracking().clients()));
  t.Field("pubsub_clients", pubsub);
  t.Field("clients_in_timeout_table", 0);
}

// The scripting fields of Redis 7.0's memory section: the two Lua states' memory, the scripts
// and functions held (memory outside Lua: the functions' names and code; kvgate does not count
// the EVAL cache's, so used_memory_scripts_eval is 0). Nothing is opened for INFO.
void ScriptsFields(CommandContext& ctx, InfoText& t) {
  ScriptEngine* scripts = ctx.front.scripts_if_open();
  const uint64_t vm_eval = scripts == nullptr ? 0 : scripts->memory_bytes();
  const uint64_t vm_functions = scripts == nullptr ? 0 : scripts->function_memory_bytes();
  const uint64_t functions = scripts == nullptr ? 0 : scripts->functions().overhead_bytes();
  t.Field("used_memory_lua", static_cast<int64_t>(vm_eval));
  t.Field("used_memory_vm_eval", static_cast<int64_t>(vm_eval));
  t.Field("used_memory_lua_human", Human(vm_eval));
  t.Field("used_memory_scripts_eval", 0);
  t.Field("number_of_cached_scripts",
          static_cast<int64_t>(scripts == nullptr ? 0 : scripts->cached_scripts()));
  t.Field("number_of_functions",
          static_cast<int64_t>(scripts == nullptr ? 0 : scripts->functions().function_count()));
  t.Field("number_of_libraries",
          static_cast<int64_t>(scripts == nullptr ? 0 : scripts->functions().libraries().size()));
  t.Field("used_memory_vm_functions", static_cast<int64_t>(vm_functions));
  t.Field("used_memory_vm_total", static_cast<int64_t>(vm_eval + vm_functions));
  t.Field("used_memory_vm_total_human", Human(vm_eval + vm_functions));
  t.Field("used_memory_functions", static_cast<int64_t>(functions));
  t.Field("used_memory_scripts", static_cast<int64_t>(functions));
  t.Field("used_memory_scripts_human", Human(functions));
}

void MemorySection(CommandContext& ctx, InfoText& t) {
  const uint64_t used = ctx.front.store().MemoryUsed();
  const uint64_t maxmemory = ctx.front.config().maxmemory;
  t.Section("Memory");
  t.Field("used_memory", static_cast<int64_t>(used));
  t.Field("used_memory_human", Human(used));
  t.Field("used_memory_rss", static_cast<int64_t>(used));
  t.Field("used_memory_rss_human", Human(used));
  t.Field("used_memory_peak", static_cast<int64_t>(used));
  t.Field("used_memory_peak_human", Human(used));
  t.Field("used_memory_dataset", static_cast<int64_t>(used));
  ScriptsFields(ctx, t);
  t.Field("maxmemory", static_cast<int64_t>(maxmemory));
  t.Field("maxmemory_human", Human(maxmemory));
  t.Field("maxmemory_policy", ctx.front.config().maxmemory_policy);
  t.Field("mem_fragmentation_ratio", "1.00");
  t.Field("mem_allocator", "libc");
  t.Field("lazyfree_pending_objects", 0);
}

// Redis 7.0's fields in its order. A checkpoint is both Redis's RDB save and its AOF rewrite
// (README "Persistence"), so the rdb_* and aof_* fields describe the same checkpoints.
void PersistenceSection(CommandContext& ctx, InfoText& t) {
  t.Section("Persistence");
  translate::PersistenceInfo p;
  if (ctx.front.persistence() != nullptr) p = ctx.front.persistence()->Info();
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  t.Field("loading", p.loading ? 1 : 0);
  t.Field("async_loading", 0);
  t.Field("current_cow_peak", 0);
  t.Field("current_cow_size", 0);
  t.Field("current_cow_size_age", 0);
  t.Field("current_fork_perc", "0.00");
  t.Field("current_save_keys_processed", 0);
  t.Field("current_save_keys_total", 0);
  const bool aof = ctx.front.config().appendonly == "yes";
  const int running = p.checkpoint_in_progress ? 1 : 0;
  t.Field("rdb_changes_since_last_save", static_cast<int64_t>(p.changes_since_save));
  t.Field("rdb_bgsave_in_progress", running);
  t.Field("rdb_last_save_time",
          p.last_save_unix != 0 ? p.last_save_unix : ctx.front.stats().start_ms / 1000);
  t.Field("rdb_last_bgsave_status", p.last_checkpoint_ok ? "ok" : "err");
  t.Field("rdb_last_bgsave_time_sec", p.last_checkpoint_seconds);
  t.Field("rdb_current_bgsave_time_sec", p.current_checkpoint_seconds);
  t.Field("rdb_saves", static_cast<int64_t>(p.checkpoints));
  t.Field("rdb_last_cow_size", 0);
  t.Field("rdb_last_load_keys_expired", 0);
  t.Field("rdb_last_load_keys_loaded", 0);
  t.Field("aof_enabled", aof ? 1 : 0);
  t.Field("aof_rewrite_in_progress", running);
  t.Field("aof_rewrite_scheduled", p.checkpoint_scheduled ? 1 : 0);
  t.Field("aof_last_rewrite_time_sec", p.last_checkpoint_seconds);
  t.Field("aof_current_rewrite_time_sec", p.current_checkpoint_seconds);
  t.Field("aof_last_bgrewrite_status", p.last_checkpoint_ok ? "ok" : "err");
  t.Field("aof_rewrites", static_cast<int64_t>(p.checkpoints));
  t.Field("aof_rewrites_consecutive_failures",
          static_cast<int64_t>(p.checkpoint_failures_in_a_row));
  t.Field("aof_last_write_status", p.write_error == 0 ? "ok" : "err");
  t.Field("aof_last_cow_size", 0);
  t.Field("module_fork_in_progress", 0);
  t.Field("module_fork_last_cow_size", 0);
  if (aof) {
    t.Field("aof_current_size", static_cast<int64_t>(p.log_bytes));
    t.Field("aof_base_size", static_cast<int64_t>(p.base_bytes));
    t.Field("aof_pending_rewrite", p.checkpoint_scheduled ? 1 : 0);
    t.Field("aof_buffer_length", 0);
    t.Field("aof_pending_bio_fsync", 0);
    t.Field("aof_delayed_fsync", 0);
  }
  if (p.loading) {
    // Redis's progress fields while it loads.
    const int64_t elapsed = now - p.loading_start_unix;
    const double perc = p.loading_bytes_total == 0
                            ? 0.0
                            : 100.0 * static_cast<double>(p.loading_bytes_done) /
                                  static_cast<double>(p.loading_bytes_total);
    const uint64_t remaining = p.loading_bytes_total > p.loading_bytes_done
                                   ? p.loading_bytes_total - p.loading_bytes_done
                                   : 1;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", perc);
    t.Field("loading_start_time", p.loading_start_unix);
    t.Field("loading_total_bytes", static_cast<int64_t>(p.loading_bytes_total));
    t.Field("loading_rdb_used_mem", 0);
    t.Field("loading_loaded_bytes", static_cast<int64_t>(p.loading_bytes_done));
    t.Field("loading_loaded_perc", std::string(buf));
    t.Field("loading_eta_seconds",
            elapsed == 0 ? int64_t{1}
                         : static_cast<int64_t>(static_cast<uint64_t>(elapsed) * remaining /
                                                (p.loading_bytes_done + 1)));
  }
}

void StatsSection(CommandContext& ctx, InfoText& t) {
  const RedisStats& s = ctx.front.stats();
  t.Section("Stats");
  t.Field("total_connections_received", static_cast<int64_t>(s.connections_received));
  t.Field("total_commands_processed", static_cast<int64_t>(s.commands_processed));
  t.Field("instantaneous_ops_per_sec", 0);
  t.Field("total_net_input_bytes", 0);
  t.Field("total_net_output_bytes", 0);
  const translate::LiveLimits* live = ctx.front.live_limits();
  t.Field("rejected_connections", static_cast<int64_t>(s.rejected_connections) +
                                      (live != nullptr ? static_cast<int64_t>(live->refused) : 0));
  t.Field("expired_keys", static_cast<int64_t>(s.expired_keys));
  t.Field("evicted_keys", 0);
  t.Field("keyspace_hits", static_cast<int64_t>(s.keyspace_hits));
  t.Field("keyspace_misses", static_cast<int64_t>(s.keyspace_misses));
  t.Field("pubsub_channels", static_cast<int64_t>(ctx.front.pubsub().Channels("", true).size()));
  t.Field("pubsub_patterns", static_cast<int64_t>(ctx.front.pubsub().NumPatterns()));
  t.Field("pubsubshard_channels",
          static_cast<int64_t>(ctx.front.pubsub().ShardChannels("", true).size()));
  t.Field("tracking_total_keys", static_cast<int64_t>(ctx.front.tracking().total_keys()));
  t.Field("tracking_total_items", static_cast<int64_t>(ctx.front.tracking().total_items()));
  t.Field("tracking_total_prefixes", static_cast<int64_t>(ctx.front.tracking().total_prefixes()));
  t.Field("total_error_replies", 0);
  // Event-loop stalls measured by the gateway (benchmarks read these; CONFIG RESETSTAT resets).
  const translate::LoopStats* loop = ctx.front.loop_stats();
  t.Field("kvgate_loop_max_busy_us", loop != nullptr ? static_cast<int64_t>(loop->max_busy_us) : 0);
  t.Field("kvgate_loop_busy_over_10ms",
          loop != nullptr ? static_cast<int64_t>(loop->busy_over_10ms) : 0);
  t.Field("kvgate_busy_poll_standdowns",
          loop != nullptr ? static_cast<int64_t>(loop->busy_poll_standdowns) : 0);
}

void ReplicationSection(CommandContext&, InfoText& t) {
  t.Section("Replication");
  t.Field("role", "master");
  t.Field("connected_slaves", 0);
  t.Field("master_failover_state", "no-failover");
  t.Field("master_replid", "0000000000000000000000000000000000000000");
  t.Field("master_replid2", "0000000000000000000000000000000000000000");
  t.Field("master_repl_offset", 0);
  t.Field("second_repl_offset", -1);
  t.Field("repl_backlog_active", 0);
  t.Field("repl_backlog_size", 1048576);
  t.Field("repl_backlog_first_byte_offset", 0);
  t.Field("repl_backlog_histlen", 0);
}

void CpuSection(CommandContext&, InfoText& t) {
  rusage self{};
  getrusage(RUSAGE_SELF, &self);
  auto secs = [](const timeval& tv) {
    char buf[32];
    snprintf(buf, sizeof(buf), "%ld.%06ld", static_cast<long>(tv.tv_sec),  // NOLINT
             static_cast<long>(tv.tv_usec));                               // NOLINT
    return std::string(buf);
  };
  t.Section("CPU");
  t.Field("used_cpu_sys", secs(self.ru_stime));
  t.Field("used_cpu_user", secs(self.ru_utime));
  t.Field("used_cpu_sys_children", "0.000000");
  t.Field("used_cpu_user_children", "0.000000");
}

void KeyspaceSection(CommandContext& ctx, InfoText& t) {
  t.Section("Keyspace");
  for (int i = 0; i < ctx.front.config().databases; ++i) {
    engine::BucketRef b = ctx.front.store().FindBucket(ctx.front.BucketName(i));
    if (b == nullptr) continue;
    engine::BucketStatus st = b->GetStatus();
    if (st.live_keys == 0) continue;
    t.Field("db" + std::to_string(i), "keys=" + std::to_string(st.live_keys) + ",expires=" +
                                          std::to_string(st.keys_with_ttl) + ",avg_ttl=0");
  }
}

void InfoCmd(CommandContext& ctx) {
  std::set<std::string, std::less<>> wanted;
  bool everything = false;
  if (ctx.argc() == 1) {
    wanted.insert(std::begin(kDefaultSections), std::end(kDefaultSections));
  }
  for (size_t i = 1; i < ctx.argc(); ++i) {
    std::string name(CString(ctx.arg(i)));
    for (char& c : name) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
    if (name == "default") {
      wanted.insert(std::begin(kDefaultSections), std::end(kDefaultSections));
    } else if (name == "all" || name == "everything") {
      wanted.insert(std::begin(kDefaultSections), std::end(kDefaultSections));
      wanted.insert(std::begin(kExtraSections), std::end(kExtraSections));
      everything = everything || name == "everything";
    } else {
      wanted.insert(name);
    }
  }
  InfoText t;
  using SectionFn = void (*)(CommandContext&, InfoText&);
  struct Section {
    std::string_view name;
    SectionFn fn;
  };
  static constexpr Section kSections[] = {
      {"server", ServerSection},
      {"clients", ClientsSection},
      {"memory", MemorySection},
      {"persistence", PersistenceSection},
      {"stats", StatsSection},
      {"replication", ReplicationSection},
      {"cpu", CpuSection},
      {"modules", [](CommandContext&, InfoText& t) { t.Section("Modules"); }},
      {"module_list", [](CommandContext&, InfoText& t) { t.Section("Modules"); }},
      {"commandstats", [](CommandContext&, InfoText& t) { t.Section("Commandstats"); }},
      {"errorstats", [](CommandContext&, InfoText& t) { t.Section("Errorstats"); }},
      {"latencystats", [](CommandContext&, InfoText& t) { t.Section("Latencystats"); }},
      {"cluster",
       [](CommandContext&, InfoText& t) {
         t.Section("Cluster");
         t.Field("cluster_enabled", 0);
       }},
      {"keyspace", KeyspaceSection},
  };
  bool modules_done = false;
  for (const Section& s : kSections) {
    bool want = wanted.count(s.name) != 0 || (everything && s.name == "modules");
    if (!want) continue;
    if (s.name == "modules" || s.name == "module_list") {
      if (modules_done) continue;
      modules_done = true;
    }
    s.fn(ctx, t);
  }
  ctx.w.Verbatim("txt", t.text());
}

constexpr CommandSpec kCommands[] = {
    {"info", -1, kLoading | kStale, InfoCmd},
};

}  // namespace

std::span<const CommandSpec> InfoCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
