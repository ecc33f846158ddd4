// TLS clients while a Lua script runs past busy-reply-threshold: the server answers them from
// the script's hook, which reads the kernel directly (Server::ServeWhileBusy), so those reads
// must decrypt too, and a client connecting meanwhile must get its whole handshake there.
// Transcripts compared with redis-server --tls-port.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>

#include "integration/support/process.h"
#include "integration/support/resp_client.h"
#include "integration/support/tls_support.h"

namespace {

using kvgate::testing::EncodeCommand;
using kvgate::testing::TlsClientOptions;
using kvgate::testing::TlsConn;

std::string Transcript(int port, const TlsClientOptions& o) {
  std::string t;
  TlsConn a(port, o);
  TlsConn b(port, o);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  t += "config: " + b.Call({"CONFIG", "SET", "busy-reply-threshold", "100"});
  REQUIRE(a.Send(EncodeCommand({"EVAL", "local n = 0 while true do n = n + 1 end", "0"})));
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  t += "ping: " + b.Call({"PING"});
  t += "pipeline: " +
       (b.Send(EncodeCommand({"PING"}) + EncodeCommand({"ECHO", "x"})), b.ReadReplies(2));
  {
    TlsConn late(port, o);  // its handshake happens while the script runs
    REQUIRE(late.ok());
    t += "late ping: " + late.Call({"PING"});
    t += "script kill: " + late.Call({"SCRIPT", "KILL"});
  }
  t += "killed: " + a.ReadReplies(1);
  t += "after: " + a.Call({"PING"});
  return t;
}

}  // namespace

TEST_CASE("TLS clients during a busy script: -BUSY and SCRIPT KILL, as redis-server",
          "[integration][tls][scripts]") {
  kvgate::testing::TestCerts certs;
  auto ref = kvgate::testing::StartRedisServerTls(certs);
  auto kv = kvgate::testing::StartKvgateTls(certs);
  const TlsClientOptions o{certs.ca, certs.client_crt, certs.client_key};
  const std::string want = Transcript(ref->port, o);
  const std::string got = Transcript(kv->port, o);
  CHECK(got == want);
  CHECK(want.find("late ping: -BUSY") != std::string::npos);
  CHECK(want.find("script kill: +OK") != std::string::npos);
}
