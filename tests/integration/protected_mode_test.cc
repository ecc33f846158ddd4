// File: tests/integration/protected_mode_test.cc
// Protected mode: redis-server 7.0 counts only 127.0.0.1 and ::1 as local, so a client whose
// source address is 127.0.0.2 stands for a remote one. kvgate and a real redis-server started
// the same way must answer it the same bytes; the NATS port refuses such a client after INFO
// while it has no authorization. A password, authorization or protected-mode no lets it in.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "integration/support/process.h"

using kvgate::testing::StartKvgate;
using kvgate::testing::StartRedisServer;

namespace {

// Connects from `source` to 127.0.0.1:port, sends `request`, and returns every byte until the
// server closes (or 2 s of silence, marked "<open>").
std::string Exchange(const char* source, int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in from{};
  from.sin_family = AF_INET;
  ::inet_pton(AF_INET, source, &from.sin_addr);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) == 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0);
  timeval tv{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (!request.empty()) (void)::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n == 0) break;
    if (n < 0) {
      out += "<open>";
      break;
    }
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

const std::string kPing = "*1\r\n$4\r\nPING\r\n";

}  // namespace

TEST_CASE("protected mode: a client from 127.0.0.2 gets redis-server's DENIED text",
          "[integration][security]") {
  auto ref = StartRedisServer({"--protected-mode", "yes"});
  REQUIRE(ref != nullptr);
  auto kv = StartKvgate({"--protected-mode", "yes"});
  // The refusal is written on accept: no request is sent (one racing the close would turn the
  // close into a reset on either server).
  const std::string expected = Exchange("127.0.0.2", ref->port, "");
  REQUIRE(expected.rfind("-DENIED Redis is running in protected mode", 0) == 0);
  CHECK(Exchange("127.0.0.2", kv->redis_port, "") == expected);
  // From 127.0.0.1 both answer.
  CHECK(Exchange("127.0.0.1", ref->port, kPing) == "+PONG\r\n<open>");
  CHECK(Exchange("127.0.0.1", kv->redis_port, kPing) == "+PONG\r\n<open>");
}

TEST_CASE("protected mode: a password or protected-mode no lets remote clients in, as Redis",
          "[integration][security]") {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--requirepass", "secret"},
        std::vector<std::string>{"--protected-mode", "no"}}) {
    INFO(args[0]);
    auto ref = StartRedisServer(args);
    REQUIRE(ref != nullptr);
    auto kv = StartKvgate(args);
    const std::string expected = Exchange("127.0.0.2", ref->port, kPing);
    CHECK(expected.rfind("-DENIED", 0) != 0);
    CHECK(Exchange("127.0.0.2", kv->redis_port, kPing) == expected);
  }
  // Turned off at run time from loopback, as the DENIED text suggests.
  auto kv = StartKvgate();
  CHECK(Exchange("127.0.0.2", kv->redis_port, "").rfind("-DENIED", 0) == 0);
  CHECK(Exchange("127.0.0.1", kv->redis_port,
                 "*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$14\r\nprotected-mode\r\n$2\r\nno\r\n") ==
        "+OK\r\n<open>");
  CHECK(Exchange("127.0.0.2", kv->redis_port, kPing) == "+PONG\r\n<open>");
  CHECK(Exchange("127.0.0.1", kv->redis_port,
                 "*3\r\n$6\r\nCONFIG\r\n$3\r\nGET\r\n$14\r\nprotected-mode\r\n") ==
        "*2\r\n$14\r\nprotected-mode\r\n$2\r\nno\r\n<open>");
}

TEST_CASE("protected mode: the NATS port refuses remote clients until authorization is set",
          "[integration][security]") {
  const std::string connect = "CONNECT {\"verbose\":false}\r\nPING\r\n";
  {
    auto kv = StartKvgate();
    const std::string remote = Exchange("127.0.0.2", kv->nats_port, "");
    CHECK(remote.rfind("INFO {", 0) == 0);
    CHECK(remote.size() > 30);
    CHECK(remote.substr(remote.find("\r\n") + 2) == "-ERR 'Authorization Violation'\r\n");
    const std::string local = Exchange("127.0.0.1", kv->nats_port, connect);
    CHECK(local.substr(local.find("\r\n") + 2) == "PONG\r\n<open>");
  }
  {
    auto kv = StartKvgate({"--nats-user", "u", "--nats-pass", "p"});
    const std::string remote =
        Exchange("127.0.0.2", kv->nats_port,
                 "CONNECT {\"verbose\":false,\"user\":\"u\",\"pass\":\"p\"}\r\nPING\r\n");
    CHECK(remote.substr(remote.find("\r\n") + 2) == "PONG\r\n<open>");
  }
  auto kv = StartKvgate({"--protected-mode", "no"});
  const std::string remote = Exchange("127.0.0.2", kv->nats_port, connect);
  CHECK(remote.substr(remote.find("\r\n") + 2) == "PONG\r\n<open>");
}
