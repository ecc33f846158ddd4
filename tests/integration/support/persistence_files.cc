// File: tests/integration/support/persistence_files.cc
// Helpers of the persistence tests (persistence_files.h).
//
//   std::string log = ReadFile(LogPath(dir));
#include "integration/support/persistence_files.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>

#include "gateway/manifest.h"
#include "integration/support/resp_client.h"

namespace kvgate::testing {

std::string Call(int port, const std::vector<std::string>& args) {
  RawConn c(port);
  return c.Call(args);
}

std::string LogPath(const std::string& dir) {
  kvgate::gateway::Manifest m;
  bool exists = false;
  std::string error;
  REQUIRE(kvgate::gateway::ReadManifest(dir, &m, &exists, &error));
  if (!exists) {
    m.files.push_back(
        {kvgate::gateway::ManifestFile::Kind::kIncr, 1, kvgate::gateway::IncrFileName(1)});
    REQUIRE(kvgate::gateway::WriteManifest(dir, m) == 0);
  }
  return dir + "/" + m.files.back().name;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

bool WaitInfo(int port, const std::string& field) {
  for (int i = 0; i < 400; ++i) {
    const std::string info = Call(port, {"INFO", "persistence"});
    if (info.find("\r\n" + field + "\r\n") != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

bool WaitInfoAtLeast(int port, const std::string& name, uint64_t n) {
  for (int i = 0; i < 400; ++i) {
    const std::string info = Call(port, {"INFO", "persistence"});
    const size_t at = info.find("\r\n" + name + ":");
    if (at != std::string::npos && std::stoull(info.substr(at + name.size() + 3)) >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

std::string DbSizeAfterLoading(int port) {
  std::string reply;
  for (int i = 0; i < 600 && (reply = Call(port, {"DBSIZE"})).rfind("-LOADING", 0) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return reply;
}

void Fill(int port, int n, const std::string& value) {
  RawConn c(port);
  for (int i = 0; i < n;) {
    std::string batch;
    int k = 0;
    for (; k < 2000 && i < n; ++k, ++i) {
      batch += EncodeCommand({"SET", "key:" + std::to_string(i), value});
    }
    c.Send(batch);
    REQUIRE(c.ReadReplies(static_cast<size_t>(k), 20000).size() == static_cast<size_t>(k) * 5);
  }
}

void SeedRedis(int port) {
  CHECK(Call(port, {"SET", "s", "hello"}) == "+OK\r\n");
  CHECK(Call(port, {"SET", "gone", "x"}) == "+OK\r\n");
  CHECK(Call(port, {"DEL", "gone"}) == ":1\r\n");
  CHECK(Call(port, {"INCRBY", "n", "41"}) == ":41\r\n");
  CHECK(Call(port, {"INCR", "n"}) == ":42\r\n");
  CHECK(Call(port, {"HSET", "h", "f1", "v1", "f2", "v2"}) == ":2\r\n");
  CHECK(Call(port, {"RPUSH", "l", "a", "b", "c"}) == ":3\r\n");
  CHECK(Call(port, {"SADD", "set", "x", "y"}) == ":2\r\n");
  CHECK(Call(port, {"ZADD", "z", "1.5", "m"}) == ":1\r\n");
  CHECK(Call(port, {"SET", "ttl", "v", "EX", "1000"}) == "+OK\r\n");
  CHECK(Call(port, {"SELECT", "3"}) == "+OK\r\n");
}

void CheckRedis(int port, int extra_keys) {
  CHECK(Call(port, {"GET", "s"}) == "$5\r\nhello\r\n");
  CHECK(Call(port, {"EXISTS", "gone"}) == ":0\r\n");
  CHECK(Call(port, {"GET", "n"}) == "$2\r\n42\r\n");
  CHECK(Call(port, {"HGETALL", "h"}) == "*4\r\n$2\r\nf1\r\n$2\r\nv1\r\n$2\r\nf2\r\n$2\r\nv2\r\n");
  CHECK(Call(port, {"LRANGE", "l", "0", "-1"}) == "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  CHECK(Call(port, {"SCARD", "set"}) == ":2\r\n");
  CHECK(Call(port, {"ZSCORE", "z", "m"}) == "$3\r\n1.5\r\n");
  const std::string ttl = Call(port, {"TTL", "ttl"});
  INFO("TTL reply " << ttl);
  // The deadline is absolute: the restart's seconds count against it.
  const int secs = ttl.size() > 1 ? std::atoi(ttl.c_str() + 1) : -3;
  CHECK(secs > 900);
  CHECK(secs <= 1000);
  CHECK(Call(port, {"DBSIZE"}) == ":" + std::to_string(7 + extra_keys) + "\r\n");
}

}  // namespace kvgate::testing
