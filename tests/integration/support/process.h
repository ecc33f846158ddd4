// File: tests/integration/support/process.h
// Real processes for end-to-end tests: kvgate itself, redis-server and nats-server -js, each on
// an ephemeral loopback port of its own, killed when the handle goes away.
//
//   auto kv = testing::StartKvgate();                  // redis_port / nats_port set
//   auto ref = testing::StartRedisServer();            // port set; skips the test if absent
//   int rc = testing::RunCommand({"redis-cli", "-p", std::to_string(kv->redis_port), "PING"}, &out);
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

namespace kvgate::testing {

// A child process; killed (SIGTERM, then SIGKILL) and reaped on destruction.
class Process {
 public:
  Process(std::vector<std::string> argv, std::string log_path);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const {
    return pid_;
  }
  bool running();
  // Sends SIGTERM and waits up to timeout_ms; returns the exit status (-1 if it had to be
  // killed).
  int Stop(int timeout_ms = 5000);
  const std::string& log_path() const {
    return log_path_;
  }
  std::string ReadLog() const;

 private:
  pid_t pid_ = -1;
  int status_ = -1;
  bool reaped_ = false;
  std::string log_path_;
};

struct Server {
  std::unique_ptr<Process> process;
  std::string dir;  // temporary directory, removed on destruction
  int redis_port = 0;
  int nats_port = 0;
  int port = 0;  // the reference server's port
  ~Server();
};

// A currently free loopback TCP port.
int FreePort();
// Polls until something accepts on 127.0.0.1:port or timeout; true if it did.
bool WaitForPort(int port, int timeout_ms = 10000);
// Path of the kvgate binary under test ($KVGATE_BINARY, set by CTest).
std::string KvgateBinary();
// Full path of a program on $PATH, or "" if absent.
std::string FindProgram(const std::string& name);

// $KVGATE_TEST_ARGS, split at spaces, is appended to every kvgate's arguments (run the suite
// with persistence on: KVGATE_TEST_ARGS="--appendonly yes --appendfsync always").
std::unique_ptr<Server> StartKvgate(const std::vector<std::string>& extra_args = {});
// The same with `data_dir` as --dir (it outlives the server: restarts reuse it).
std::unique_ptr<Server> StartKvgateIn(const std::string& data_dir,
                                      const std::vector<std::string>& extra_args = {});
// A new temporary directory (the caller removes it; TempDir does that on destruction).
std::string MakeTempDir(const std::string& tag);
struct TempDir {
  explicit TempDir(const std::string& tag) : path(MakeTempDir(tag)) {
  }
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path;
};
// Reference servers; nullptr if the program is not installed (tests then fail loudly: the
// setup script installs them).
std::unique_ptr<Server> StartRedisServer(const std::vector<std::string>& extra_args = {});
// `extra_args` are appended (e.g. {"-c", "auth.json"}).
std::unique_ptr<Server> StartNatsServer(const std::vector<std::string>& extra_args = {});

// Runs a command to completion, feeding `input` on stdin; captures stdout+stderr into *output.
// Returns the exit status, or -1 on timeout.
int RunCommand(const std::vector<std::string>& argv, std::string* output,
               const std::string& input = "", int timeout_ms = 120000);

}  // namespace kvgate::testing
