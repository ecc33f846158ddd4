#include "integration/support/process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace kvgate::testing {
namespace {

std::vector<char*> CArgv(std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (auto& a : argv) out.push_back(a.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

std::string MakeTempDir(const std::string& tag) {
  std::string tmpl = (std::filesystem::temp_directory_path() / ("kvgate-" + tag + "-XXXXXX"));
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

Process::Process(std::vector<std::string> argv, std::string log_path)
    : log_path_(std::move(log_path)) {
  auto cargv = CArgv(argv);
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    int fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    setpgid(0, 0);
    execvp(cargv[0], cargv.data());
    _exit(127);
  }
}

Process::~Process() {
  Stop(3000);
}

bool Process::running() {
  if (reaped_) return false;
  int st = 0;
  pid_t r = waitpid(pid_, &st, WNOHANG);
  if (r == pid_) {
    reaped_ = true;
    status_ = st;
    return false;
  }
  return true;
}

int Process::Stop(int timeout_ms) {
  if (pid_ <= 0) return -1;
  if (!reaped_) {
    kill(pid_, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (running() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status_, 0);
      reaped_ = true;
      return -1;
    }
  }
  return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
}

std::string Process::ReadLog() const {
  std::ifstream f(log_path_);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

Server::~Server() {
  process.reset();
  if (!dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    throw std::runtime_error("bind failed");
  }
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

bool WaitForPort(int port, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    int rc = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    close(fd);
    if (rc == 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

std::string KvgateBinary() {
  const char* env = std::getenv("KVGATE_BINARY");
  if (env == nullptr || *env == 0) throw std::runtime_error("KVGATE_BINARY not set");
  return env;
}

std::string FindProgram(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string p = path ? path : "/usr/bin:/bin";
  p += ":/usr/sbin:/sbin";
  std::stringstream ss(p);
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    std::string candidate = dir + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

std::unique_ptr<Server> StartKvgate(const std::vector<std::string>& extra_args) {
  return StartKvgateIn("", extra_args);
}

std::unique_ptr<Server> StartKvgateIn(const std::string& data_dir,
                                      const std::vector<std::string>& extra_args) {
  auto s = std::make_unique<Server>();
  s->dir = MakeTempDir("kvgate");
  // Ports may be taken between FreePort() and bind(); retry a few times.
  for (int attempt = 0; attempt < 5; ++attempt) {
    s->redis_port = FreePort();
    s->nats_port = FreePort();
    std::vector<std::string> argv = {KvgateBinary(),
                                     "--bind",
                                     "127.0.0.1",
                                     "--redis-port",
                                     std::to_string(s->redis_port),
                                     "--nats-port",
                                     std::to_string(s->nats_port),
                                     "--dir",
                                     data_dir.empty() ? s->dir : data_dir};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    // KVGATE_TEST_ARGS="--appendonly yes --appendfsync always" runs every test's server so.
    if (const char* more = std::getenv("KVGATE_TEST_ARGS"); more != nullptr) {
      std::istringstream words(more);
      for (std::string w; words >> w;) argv.push_back(w);
    }
    s->process = std::make_unique<Process>(argv, s->dir + "/kvgate.log");
    if (WaitForPort(s->redis_port) && WaitForPort(s->nats_port)) return s;
    s->process.reset();
  }
  throw std::runtime_error("kvgate did not start");
}

std::unique_ptr<Server> StartRedisServer(const std::vector<std::string>& extra_args) {
  std::string bin = FindProgram("redis-server");
  if (bin.empty()) return nullptr;
  auto s = std::make_unique<Server>();
  s->dir = MakeTempDir("redis");
  for (int attempt = 0; attempt < 5; ++attempt) {
    s->port = FreePort();
    std::vector<std::string> argv{bin,      "--port",       std::to_string(s->port),
                                  "--bind", "127.0.0.1",    "--save",
                                  "",       "--appendonly", "no",
                                  "--dir",  s->dir,         "--daemonize",
                                  "no"};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    s->process = std::make_unique<Process>(argv, s->dir + "/redis.log");
    if (WaitForPort(s->port)) return s;
    s->process.reset();
  }
  throw std::runtime_error("redis-server did not start");
}

std::unique_ptr<Server> StartNatsServer(const std::vector<std::string>& extra_args) {
  std::string bin = FindProgram("nats-server");
  if (bin.empty()) return nullptr;
  auto s = std::make_unique<Server>();
  s->dir = MakeTempDir("nats");
  for (int attempt = 0; attempt < 5; ++attempt) {
    s->port = FreePort();
    std::vector<std::string> argv{
        bin, "-js", "-a", "127.0.0.1", "-p", std::to_string(s->port), "-sd", s->dir + "/js"};
    argv.insert(argv.end(), extra_args.begin(), extra_args.end());
    s->process = std::make_unique<Process>(std::move(argv), s->dir + "/nats.log");
    if (WaitForPort(s->port)) return s;
    s->process.reset();
  }
  throw std::runtime_error("nats-server did not start");
}

int RunCommand(const std::vector<std::string>& argv_in, std::string* output,
               const std::string& input, int timeout_ms) {
  std::vector<std::string> argv = argv_in;
  auto cargv = CArgv(argv);
  int in_pipe[2];
  int out_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(out_pipe[1], 2);
    close(in_pipe[0]);
    close(in_pipe[1]);
    close(out_pipe[0]);
    close(out_pipe[1]);
    execvp(cargv[0], cargv.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  signal(SIGPIPE, SIG_IGN);
  // Feed stdin and drain stdout concurrently so neither side blocks on a full pipe.
  std::thread feeder([fd = in_pipe[1], &input] {
    size_t off = 0;
    while (off < input.size()) {
      ssize_t n = write(fd, input.data() + off, input.size() - off);
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    close(fd);
  });
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  bool timed_out = false;
  while (true) {
    int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    deadline - std::chrono::steady_clock::now())
                                    .count());
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{out_pipe[0], POLLIN, 0};
    int r = poll(&p, 1, left);
    if (r <= 0) continue;
    char buf[65536];
    ssize_t n = read(out_pipe[0], buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  if (timed_out) kill(pid, SIGKILL);
  close(out_pipe[0]);
  int st = 0;
  waitpid(pid, &st, 0);
  feeder.join();
  if (output) *output = std::move(out);
  if (timed_out) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

}  // namespace kvgate::testing
