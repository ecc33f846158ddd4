// File: tests/crash/nats_crash_support.h
// The pieces of tests/crash/nats_crash.cc that are not the model: options, a nats.c session
// without reconnects, and kvgate as a child process on a data directory.
#pragma once

#include <nats/nats.h>
#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "integration/support/process.h"

namespace kvgate::crash {

inline constexpr const char* kBucket = "crash";
inline constexpr int kHistory = 5;
inline constexpr int64_t kWaitMs = 5000;

struct CheckFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Options {
  std::string policy = "always", appendonly = "no";
  int rounds = 5, writers = 2;
  uint64_t seed = 0;
  bool no_persist = false, no_crash = false, expect_loss = false;
  bool reference = false;  // nats-server -js instead of kvgate: checks the checker
};

inline std::string StatusText(natsStatus s) {
  std::string out = natsStatus_GetText(s);
  natsStatus ignored;
  const char* last = nats_GetLastError(&ignored);
  if (s != NATS_OK && last != nullptr && *last != 0) out += std::string(" (") + last + ")";
  return out;
}

// A connection, JetStream context and (once bound) the bucket; no reconnects, so a kill ends
// every pending request at once instead of after its timeout.
struct Session {
  explicit Session(int port) {
    natsOptions* o = nullptr;
    std::string url = "nats://127.0.0.1:" + std::to_string(port);
    natsStatus s = natsOptions_Create(&o);
    if (s == NATS_OK) s = natsOptions_SetURL(o, url.c_str());
    if (s == NATS_OK) s = natsOptions_SetAllowReconnect(o, false);
    if (s == NATS_OK) s = natsOptions_SetTimeout(o, kWaitMs);
    if (s == NATS_OK) s = natsConnection_Connect(&nc, o);
    natsOptions_Destroy(o);
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = kWaitMs;
    if (s == NATS_OK) s = natsConnection_JetStream(&js, nc, &jo);
    if (s != NATS_OK) throw std::runtime_error("connect to " + url + ": " + StatusText(s));
  }
  ~Session() {
    kvStore_Destroy(kv);
    jsCtx_Destroy(js);
    natsConnection_Destroy(nc);
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  natsStatus Create() {
    kvConfig cfg;
    kvConfig_Init(&cfg);
    cfg.Bucket = kBucket;
    cfg.History = kHistory;
    cfg.StorageType = js_FileStorage;
    return js_CreateKeyValue(&kv, js, &cfg);
  }
  natsStatus Bind() {
    return js_KeyValue(&kv, js, kBucket);
  }

  natsConnection* nc = nullptr;
  jsCtx* js = nullptr;
  kvStore* kv = nullptr;
};

// kvgate on the data directory; each start gets a fresh port and log file.
class Kvgate {
 public:
  Kvgate(const Options& opt, std::string work) : opt_(opt), work_(std::move(work)) {
  }
  void Start() {
    for (int attempt = 0; attempt < 5; ++attempt) {
      port = testing::FreePort();
      std::vector<std::string> argv = {"-js", "-a", "127.0.0.1", "-p", std::to_string(port)};
      if (opt_.reference) {
        argv.insert(argv.begin(), testing::FindProgram("nats-server"));
        argv.insert(argv.end(), {"-sd", work_ + "/data"});
      } else {
        argv = {testing::KvgateBinary(), "--bind", "127.0.0.1", "--redis-port", "0"};
        argv.insert(argv.end(), {"--nats-port", std::to_string(port)});
      }
      // --no-persist: a kvgate that loses its log, i.e. an empty directory at every start.
      std::string dir = work_ + "/data" + (opt_.no_persist ? std::to_string(starts_ + 1) : "");
      std::filesystem::create_directories(dir);
      if (!opt_.reference) {
        argv.insert(argv.end(),
                    {"--dir", dir, "--appendonly", opt_.appendonly, "--appendfsync", opt_.policy});
        // KVGATE_CRASH_EXTRA_ARGS (split at spaces): e.g. tiny auto-aof-rewrite sizes, so the
        // kills also land in the middle of checkpoints.
        if (const char* extra = std::getenv("KVGATE_CRASH_EXTRA_ARGS"); extra != nullptr) {
          std::istringstream words(extra);
          for (std::string w; words >> w;) argv.push_back(w);
        }
      }
      log_ = work_ + "/kvgate-" + std::to_string(++starts_) + ".log";
      proc_ = std::make_unique<testing::Process>(argv, log_);
      // Recovery runs before the port accepts; an exit (bad flag, refused log) ends the wait.
      for (int i = 0; i < 300 && proc_->running(); ++i) {
        if (testing::WaitForPort(port, 100)) return;
      }
      Kill9();
    }
    throw std::runtime_error("kvgate did not start (its log is above)");
  }
  void Kill9() {
    if (proc_ == nullptr) return;
    kill(proc_->pid(), SIGKILL);
    proc_->Stop();  // reaps
    proc_.reset();
  }
  void Terminate() {
    // Stop() is -1 when it had to SIGKILL (or kvgate died of a signal) instead of a clean exit.
    int rc = proc_ != nullptr ? proc_->Stop(10000) : 0;
    proc_.reset();
    if (rc == -1) throw CheckFailure("kvgate did not exit cleanly within 10 s of SIGTERM");
  }
  // Lines holding `text` in the logs of every start so far.
  int LogCount(const std::string& text) const {
    int n = 0;
    for (int i = 1; i <= starts_; ++i) {
      std::ifstream in(work_ + "/kvgate-" + std::to_string(i) + ".log");
      for (std::string line; std::getline(in, line);) n += line.find(text) != std::string::npos;
    }
    return n;
  }
  std::string LogTail() const {
    std::stringstream ss;
    ss << std::ifstream(log_).rdbuf();
    std::string log = ss.str();
    return log.size() > 4000 ? log.substr(log.size() - 4000) : log;
  }

  int port = 0;

 private:
  const Options& opt_;
  std::string work_;
  std::string log_;
  int starts_ = 0;
  std::unique_ptr<testing::Process> proc_;
};

}  // namespace kvgate::crash
