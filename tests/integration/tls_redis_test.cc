// Redis over TLS, differential: kvgate's --tls-port against a real redis-server --tls-port
// started with the same throwaway certificates and options. Connect outcomes under each
// tls-auth-clients mode, replies of large and pipelined traffic (partial TLS reads and writes),
// a plaintext client on the TLS port, CONFIG GET/SET tls-*, reloading certificates.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "integration/support/process.h"
#include "integration/support/resp_client.h"
#include "integration/support/tls_support.h"

namespace {

using kvgate::testing::EncodeCommand;
using kvgate::testing::RunCommand;
using kvgate::testing::StartKvgateTls;
using kvgate::testing::StartRedisServerTls;
using kvgate::testing::TestCerts;
using kvgate::testing::TlsClientOptions;
using kvgate::testing::TlsConn;

// "PONG" if a PING over TLS is answered, else "refused".
std::string PingOutcome(int port, const TlsClientOptions& o) {
  TlsConn c(port, o);
  const std::string reply = c.Call({"PING"});
  return reply == "+PONG\r\n" ? "PONG" : "refused";
}

// A redis-server and a kvgate with the same certificates and TLS options, and the options of
// a client that presents its certificate.
struct TlsPair {
  explicit TlsPair(const std::vector<std::string>& options = {})
      : ref(StartRedisServerTls(certs, options)), kv(StartKvgateTls(certs, options)) {
  }
  TestCerts certs;
  std::unique_ptr<kvgate::testing::Server> ref;
  std::unique_ptr<kvgate::testing::Server> kv;
  TlsClientOptions client{certs.ca, certs.client_crt, certs.client_key};
};

// Everything a plaintext client gets back for `bytes` until the server closes (or 2 s).
std::string PlainExchange(int port, const std::string& bytes, bool* closed) {
  kvgate::testing::RawConn c(port);
  c.Send(bytes);
  std::string got = c.ReadUntilQuiet(500);
  *closed = c.WaitClosed(2000);
  return got;
}

}  // namespace

TEST_CASE("redis-cli --tls talks to the TLS port", "[integration][tls]") {
  TestCerts certs;
  auto kv = StartKvgateTls(certs);
  for (int port : {kv->port}) {
    std::string out;
    REQUIRE(RunCommand({"redis-cli", "--tls", "--cacert", certs.ca, "--cert", certs.client_crt,
                        "--key", certs.client_key, "-p", std::to_string(port), "PING"},
                       &out) == 0);
    CHECK(out == "PONG\n");
    REQUIRE(RunCommand({"redis-cli", "--tls", "--cacert", certs.ca, "--cert", certs.client_crt,
                        "--key", certs.client_key, "-p", std::to_string(port), "SET", "k", "v"},
                       &out) == 0);
    REQUIRE(RunCommand({"redis-cli", "--tls", "--cacert", certs.ca, "--cert", certs.client_crt,
                        "--key", certs.client_key, "-p", std::to_string(port), "GET", "k"},
                       &out) == 0);
    CHECK(out == "v\n");
  }
  // The plain port serves the same data.
  kvgate::testing::RawConn plain(kv->redis_port);
  CHECK(plain.Call({"GET", "k"}) == "$1\r\nv\r\n");
}

TEST_CASE("tls-auth-clients yes/no/optional: same connect outcomes as redis-server",
          "[integration][tls]") {
  TestCerts certs;
  const TlsClientOptions with_cert{certs.ca, certs.client_crt, certs.client_key};
  const TlsClientOptions without_cert{certs.ca, "", ""};
  for (std::string mode : {"yes", "no", "optional"}) {
    auto ref = StartRedisServerTls(certs, {"--tls-auth-clients", mode});
    auto kv = StartKvgateTls(certs, {"--tls-auth-clients", mode});
    INFO("tls-auth-clients " << mode);
    const std::string ref_with = PingOutcome(ref->port, with_cert);
    const std::string ref_without = PingOutcome(ref->port, without_cert);
    CHECK(PingOutcome(kv->port, with_cert) == ref_with);
    CHECK(PingOutcome(kv->port, without_cert) == ref_without);
    CHECK(ref_with == "PONG");
    CHECK(ref_without == (mode == "yes" ? "refused" : "PONG"));
  }
}

TEST_CASE("TLS: 1 MB values and 10,000 pipelined commands match redis-server",
          "[integration][tls]") {
  TlsPair pair;
  // References, not a structured binding: clang 14 cannot capture bindings in lambdas.
  [[maybe_unused]] TestCerts& certs = pair.certs;
  [[maybe_unused]] auto& ref = pair.ref;
  [[maybe_unused]] auto& kv = pair.kv;
  [[maybe_unused]] TlsClientOptions& o = pair.client;
  auto run = [&](int port) {
    TlsConn c(port, o);
    REQUIRE(c.ok());
    std::string transcript;
    // Large values: each crosses many TLS records and socket writes both ways.
    std::string batch;
    for (int i = 0; i < 8; ++i) {
      std::string value(1 << 20, static_cast<char>('a' + i));
      value[i * 1000] = '#';
      batch += EncodeCommand({"SET", "big" + std::to_string(i), value});
    }
    for (int i = 0; i < 8; ++i) batch += EncodeCommand({"GET", "big" + std::to_string(i)});
    REQUIRE(c.Send(batch));
    transcript += c.ReadReplies(16, 30000);
    // Many small pipelined commands in one write.
    batch.clear();
    for (int i = 0; i < 10000; ++i) {
      batch += EncodeCommand({"INCR", "counter"});
      if (i % 1000 == 0) batch += EncodeCommand({"GET", "big" + std::to_string(i % 8)});
    }
    REQUIRE(c.Send(batch));
    transcript += c.ReadReplies(10010, 30000);
    return transcript;
  };
  const std::string want = run(ref->port);
  const std::string got = run(kv->port);
  CHECK(want.size() > 16u << 20);
  CHECK(got.size() == want.size());
  CHECK(got == want);
}

TEST_CASE("TLS port: a plaintext client gets what redis-server gives it; others keep working",
          "[integration][tls]") {
  TlsPair pair;
  // References, not a structured binding: clang 14 cannot capture bindings in lambdas.
  [[maybe_unused]] TestCerts& certs = pair.certs;
  [[maybe_unused]] auto& ref = pair.ref;
  [[maybe_unused]] auto& kv = pair.kv;
  [[maybe_unused]] TlsClientOptions& o = pair.client;
  for (const std::string& bytes : {std::string("PING\r\n"), EncodeCommand({"PING"})}) {
    bool ref_closed = false;
    bool kv_closed = false;
    const std::string ref_got = PlainExchange(ref->port, bytes, &ref_closed);
    const std::string kv_got = PlainExchange(kv->port, bytes, &kv_closed);
    CHECK(ref_closed);
    CHECK(kv_closed == ref_closed);
    CHECK(kv_got == ref_got);  // a TLS alert record, not a RESP reply
    CHECK(kv_got.find("PONG") == std::string::npos);
  }
  // A half-done handshake (the first bytes of a ClientHello) and an idle TCP connection stay
  // open while another client does its whole handshake and commands.
  kvgate::testing::RawConn half(kv->port);
  half.Send(std::string("\x16\x03\x01\x02\x00\x01\x00\x01", 8));
  kvgate::testing::RawConn idle(kv->port);
  const auto start = std::chrono::steady_clock::now();
  TlsConn good(kv->port, o);
  REQUIRE(good.ok());
  CHECK(good.Call({"SET", "x", "1"}) == "+OK\r\n");
  CHECK(good.Call({"GET", "x"}) == "$1\r\n1\r\n");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  CHECK_FALSE(half.WaitClosed(100));
  // The kvgate log names the failed handshakes at info level, nothing worse.
  const std::string log = kv->process->ReadLog();
  CHECK(log.find("TLS handshake failed") != std::string::npos);
  CHECK(log.find("kvgate error") == std::string::npos);
  CHECK(log.find("kvgate warn") == std::string::npos);
}

TEST_CASE(
    "CONFIG GET/SET tls-*: same values and errors as redis-server; a bad file keeps the "
    "old certificate",
    "[integration][tls]") {
  TlsPair pair({"--tls-auth-clients", "optional"});
  // References, not a structured binding: clang 14 cannot capture bindings in lambdas.
  [[maybe_unused]] TestCerts& certs = pair.certs;
  [[maybe_unused]] auto& ref = pair.ref;
  [[maybe_unused]] auto& kv = pair.kv;
  [[maybe_unused]] TlsClientOptions& o = pair.client;
  TlsConn rc(ref->port, o);
  TlsConn kc(kv->port, o);
  REQUIRE(rc.ok());
  REQUIRE(kc.ok());
  auto both = [&](const std::vector<std::string>& args) {
    const std::string want = rc.Call(args);
    const std::string got = kc.Call(args);
    INFO(args[0] << " " << args[1] << " " << (args.size() > 2 ? args[2] : ""));
    CHECK(got == want);
    return got;
  };
  for (const char* name :
       {"tls-auth-clients", "tls-protocols", "tls-ciphers", "tls-ciphersuites",
        "tls-prefer-server-ciphers", "tls-session-caching", "tls-session-cache-size",
        "tls-session-cache-timeout", "tls-key-file-pass", "tls-ca-cert-dir"}) {
    both({"CONFIG", "GET", name});
  }
  // Paths differ by directory only; the port differs: compare shape, not text.
  CHECK(kc.Call({"CONFIG", "GET", "tls-cert-file"}) == "*2\r\n$13\r\ntls-cert-file\r\n$" +
                                                           std::to_string(certs.server_crt.size()) +
                                                           "\r\n" + certs.server_crt + "\r\n");
  CHECK(kc.Call({"CONFIG", "GET", "tls-port"}) ==
        "*2\r\n$8\r\ntls-port\r\n$" + std::to_string(std::to_string(kv->port).size()) + "\r\n" +
            std::to_string(kv->port) + "\r\n");

  CHECK(both({"CONFIG", "SET", "tls-auth-clients", "maybe"}).rfind("-ERR CONFIG SET failed", 0) ==
        0);
  CHECK(both({"CONFIG", "SET", "tls-session-cache-size", "x"}).rfind("-ERR", 0) == 0);
  CHECK(both({"CONFIG", "SET", "tls-prefer-server-ciphers", "maybe"}).rfind("-ERR", 0) == 0);
  const std::string bad = both({"CONFIG", "SET", "tls-cert-file", "/nonexistent/server.crt"});
  CHECK(bad ==
        "-ERR CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to "
        "update TLS configuration. Check server logs.\r\n");
  both({"CONFIG", "SET", "tls-protocols", "TLSv1.2 SSLv9"});
  both({"CONFIG", "SET", "tls-ciphersuites", "NO_SUCH_SUITE"});
  both({"CONFIG", "GET", "tls-protocols"});  // unchanged after the failure
  CHECK(kc.Call({"CONFIG", "GET", "tls-cert-file"}).find(certs.server_crt) != std::string::npos);
  // The old context still serves new clients.
  CHECK(PingOutcome(kv->port, o) == "PONG");
  both({"CONFIG", "SET", "tls-protocols", "TLSv1.3", "tls-prefer-server-ciphers", "yes"});
  both({"CONFIG", "GET", "tls-protocols"});
  CHECK(PingOutcome(kv->port, o) == "PONG");
  both({"CONFIG", "SET", "tls-auth-clients", "yes"});
  CHECK(PingOutcome(kv->port, {certs.ca, "", ""}) == PingOutcome(ref->port, {certs.ca, "", ""}));
  CHECK(PingOutcome(kv->port, {certs.ca, "", ""}) == "refused");
}

TEST_CASE("TLS certificates reload on SIGHUP and on CONFIG SET tls-cert-file",
          "[integration][tls]") {
  TestCerts certs;
  auto kv = StartKvgateTls(certs);
  auto ref = StartRedisServerTls(certs);
  const TlsClientOptions o{certs.ca, certs.client_crt, certs.client_key};
  TlsConn before(kv->port, o);
  REQUIRE(before.ok());
  CHECK(before.PeerSerial() == "1001");
  CHECK(before.PeerSubject() == "/CN=server-1");

  certs.Issue("server", "server-2", 1002);
  REQUIRE(kill(kv->process->pid(), SIGHUP) == 0);
  std::string serial;
  for (int i = 0; i < 100 && serial != "1002"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    TlsConn after(kv->port, o);
    REQUIRE(after.ok());
    serial = after.PeerSerial();
    if (serial == "1002") CHECK(after.PeerSubject() == "/CN=server-2");
  }
  CHECK(serial == "1002");
  // The connection made before the reload carries on.
  CHECK(before.Call({"PING"}) == "+PONG\r\n");
  CHECK(kv->process->running());

  // A broken file on disk: SIGHUP keeps the current certificate.
  {
    FILE* f = std::fopen(certs.server_crt.c_str(), "w");
    std::fputs("not a certificate\n", f);
    std::fclose(f);
  }
  REQUIRE(kill(kv->process->pid(), SIGHUP) == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  TlsConn still(kv->port, o);
  REQUIRE(still.ok());
  CHECK(still.PeerSerial() == "1002");
  CHECK(kv->process->ReadLog().find("Redis TLS reload failed") != std::string::npos);

  // CONFIG SET of the same path reloads it, as redis-server does.
  certs.Issue("server", "server-3", 1003);
  for (int port : {kv->port, ref->port}) {
    TlsConn c(port, o);
    REQUIRE(c.ok());
    CHECK(c.Call({"CONFIG", "SET", "tls-cert-file", certs.server_crt, "tls-key-file",
                  certs.server_key}) == "+OK\r\n");
    TlsConn next(port, o);
    REQUIRE(next.ok());
    CHECK(next.PeerSerial() == "1003");
    CHECK(c.Call({"PING"}) == "+PONG\r\n");
  }
}

TEST_CASE("tls-key-file-pass and tls-ca-cert-dir work as in redis-server", "[integration][tls]") {
  TestCerts certs;
  const std::string dir = certs.dir.path;
  std::string out;
  REQUIRE(RunCommand({"openssl", "pkey", "-in", certs.server_key, "-aes256", "-passout",
                      "pass:s3cret", "-out", dir + "/encrypted.key"},
                     &out) == 0);
  REQUIRE(RunCommand({"mkdir", "-p", dir + "/cas"}, &out) == 0);
  REQUIRE(RunCommand({"cp", certs.ca, dir + "/cas/"}, &out) == 0);
  REQUIRE(RunCommand({"openssl", "rehash", dir + "/cas"}, &out) == 0);
  const std::vector<std::string> files = {
      "--tls-cert-file",     certs.server_crt, "--tls-key-file",    dir + "/encrypted.key",
      "--tls-key-file-pass", "s3cret",         "--tls-ca-cert-dir", dir + "/cas"};
  auto ref = StartRedisServerTls(certs, files, /*standard_files=*/false);
  auto kv = StartKvgateTls(certs, files, /*standard_files=*/false);
  const TlsClientOptions with_cert{certs.ca, certs.client_crt, certs.client_key};
  CHECK(PingOutcome(ref->port, with_cert) == "PONG");
  CHECK(PingOutcome(kv->port, with_cert) == "PONG");
  CHECK(PingOutcome(kv->port, {certs.ca, "", ""}) == PingOutcome(ref->port, {certs.ca, "", ""}));
  // A wrong pass: the key cannot be read, the old context stays, as redis-server.
  TlsConn rc(ref->port, with_cert);
  TlsConn kc(kv->port, with_cert);
  const std::string want = rc.Call({"CONFIG", "SET", "tls-key-file-pass", "wrong"});
  CHECK(kc.Call({"CONFIG", "SET", "tls-key-file-pass", "wrong"}) == want);
  CHECK(want.rfind("-ERR CONFIG SET failed (possibly related to argument 'tls-key-file-pass')",
                   0) == 0);
  CHECK(PingOutcome(kv->port, with_cert) == "PONG");
  // Without a pass the encrypted key does not load at startup: kvgate refuses to start.
  std::string log;
  const int rc_start = RunCommand(
      {kvgate::testing::KvgateBinary(), "--redis-port", "0", "--nats-port", "0", "--tls-port",
       std::to_string(kvgate::testing::FreePort()), "--tls-cert-file", certs.server_crt,
       "--tls-key-file", dir + "/encrypted.key", "--tls-ca-cert-file", certs.ca},
      &log, "", 10000);
  CHECK(rc_start == 1);
  CHECK(log.find("Failed to load private key") != std::string::npos);
  CHECK(log.find("Failed to configure TLS. Check logs for more info.") != std::string::npos);
}

TEST_CASE("TLS: a client that pipelines large replies without reading is paused, not buffered",
          "[integration][tls]") {
  TestCerts certs;
  auto kv = StartKvgateTls(certs);
  const TlsClientOptions o{certs.ca, certs.client_crt, certs.client_key};
  TlsConn writer(kv->port, o);
  REQUIRE(writer.ok());
  const std::string value(1 << 20, 'v');
  REQUIRE(writer.Call({"SET", "big", value}) == "+OK\r\n");
  // 64 MB of replies asked for; the client reads none of them for a while.
  std::string batch;
  for (int i = 0; i < 64; ++i) batch += EncodeCommand({"GET", "big"});
  REQUIRE(writer.Send(batch));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  // kvgate stops reading that client above --output-high-water, so its memory stays bounded.
  std::string rss;
  REQUIRE(RunCommand({"ps", "-o", "rss=", "-p", std::to_string(kv->process->pid())}, &rss) == 0);
  INFO("kvgate RSS KiB " << rss);
  CHECK(std::stol(rss) < 64 * 1024);  // KiB: well under the 64 MB the client asked for
  // Meanwhile other TLS clients are served.
  TlsConn other(kv->port, o);
  REQUIRE(other.ok());
  CHECK(other.Call({"STRLEN", "big"}) == ":1048576\r\n");
  // Reading resumes it: every reply arrives whole.
  const std::string replies = writer.ReadReplies(64, 60000);
  const std::string one = "$1048576\r\n" + value + "\r\n";
  CHECK(replies.size() == 64 * one.size());
  CHECK(replies.substr(0, one.size()) == one);
  CHECK(replies.substr(replies.size() - one.size()) == one);
}

TEST_CASE("CONFIG SET tls-port moves the TLS listener, as redis-server", "[integration][tls]") {
  TlsPair pair;
  // References, not a structured binding: clang 14 cannot capture bindings in lambdas.
  [[maybe_unused]] TestCerts& certs = pair.certs;
  [[maybe_unused]] auto& ref = pair.ref;
  [[maybe_unused]] auto& kv = pair.kv;
  [[maybe_unused]] TlsClientOptions& o = pair.client;
  std::vector<std::string> transcripts;
  for (auto* server : {ref.get(), kv.get()}) {
    std::string t;
    const int old_port = server->port;
    TlsConn c(old_port, o);
    REQUIRE(c.ok());
    const int new_port = kvgate::testing::FreePort();
    t += "set: " + c.Call({"CONFIG", "SET", "tls-port", std::to_string(new_port)});
    t += "new port: " + PingOutcome(new_port, o) + "\n";
    t += "old port: " + PingOutcome(old_port, o) + "\n";
    t += "open connection: " + c.Call({"PING"});
    t += "get: " +
         std::to_string(c.Call({"CONFIG", "GET", "tls-port"}).find(std::to_string(new_port)) !=
                        std::string::npos) +
         "\n";
    // A port another server holds cannot be bound: the current one stays.
    const int taken = kv->redis_port;  // kvgate's plain port
    t += "taken: " + c.Call({"CONFIG", "SET", "tls-port", std::to_string(taken)});
    t += "still: " + PingOutcome(new_port, o) + "\n";
    t += "bad: " + c.Call({"CONFIG", "SET", "tls-port", "70000"});
    t += "off: " + c.Call({"CONFIG", "SET", "tls-port", "0"});
    t += "after off: " + PingOutcome(new_port, o) + "\n";
    t += "get off: " + c.Call({"CONFIG", "GET", "tls-port"});
    transcripts.push_back(t);
  }
  INFO("redis-server:\n" << transcripts[0]);
  CHECK(transcripts[1] == transcripts[0]);
  CHECK(transcripts[0].find("new port: PONG") != std::string::npos);
  CHECK(transcripts[0].find("old port: refused") != std::string::npos);
  CHECK(transcripts[0].find("after off: refused") != std::string::npos);
}
