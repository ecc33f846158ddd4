// NATS over TLS, differential: kvgate --nats-tls [--nats-tls-verify] against a real
// nats-server -js --tls [--tlsverify] with the same throwaway certificates. INFO announces
// tls_required (tls_verify), is sent in plaintext, and the client's handshake follows it;
// nats.c KV put/get over TLS with and without a client certificate; a plaintext client.
#include <catch2/catch.hpp>

#include <nats/nats.h>
#include <signal.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "integration/support/process.h"
#include "integration/support/resp_client.h"
#include "integration/support/tls_support.h"

namespace {

using kvgate::testing::StartKvgate;
using kvgate::testing::StartNatsServerTls;
using kvgate::testing::TestCerts;
using kvgate::testing::TlsClientOptions;
using kvgate::testing::TlsConn;

std::vector<std::string> KvgateNatsTlsArgs(const TestCerts& certs, bool verify) {
  std::vector<std::string> args = {"--nats-tls",     "--tls-cert-file", certs.server_crt,
                                   "--tls-key-file", certs.server_key,  "--tls-ca-cert-file",
                                   certs.ca};
  if (verify) args.push_back("--nats-tls-verify");
  return args;
}

// "put/get <value>" after a KV round trip over TLS, or "refused" when the connection fails.
std::string KvOutcome(int port, const TlsClientOptions& o) {
  natsOptions* opts = nullptr;
  REQUIRE(natsOptions_Create(&opts) == NATS_OK);
  const std::string url = "tls://127.0.0.1:" + std::to_string(port);
  natsOptions_SetURL(opts, url.c_str());
  natsOptions_SetSecure(opts, true);
  REQUIRE(natsOptions_LoadCATrustedCertificates(opts, o.ca.c_str()) == NATS_OK);
  if (!o.cert.empty()) {
    REQUIRE(natsOptions_LoadCertificatesChain(opts, o.cert.c_str(), o.key.c_str()) == NATS_OK);
  }
  natsOptions_SetTimeout(opts, 3000);
  natsOptions_SetAllowReconnect(opts, false);
  natsConnection* nc = nullptr;
  std::string outcome = "refused";
  if (natsConnection_Connect(&nc, opts) == NATS_OK) {
    jsCtx* js = nullptr;
    kvStore* kv = nullptr;
    kvConfig cfg;
    kvConfig_Init(&cfg);
    cfg.Bucket = "tls";
    cfg.StorageType = js_MemoryStorage;
    uint64_t rev = 0;
    kvEntry* e = nullptr;
    if (natsConnection_JetStream(&js, nc, nullptr) == NATS_OK &&
        js_CreateKeyValue(&kv, js, &cfg) == NATS_OK &&
        kvStore_PutString(&rev, kv, "color", std::string(70000, 'b').c_str()) == NATS_OK &&
        kvStore_Get(&e, kv, "color") == NATS_OK) {
      outcome = "put/get " + std::to_string(kvEntry_ValueLen(e)) + " bytes rev " +
                std::to_string(kvEntry_Revision(e));
      kvEntry_Destroy(e);
    } else {
      outcome = "kv failed";
    }
    if (kv != nullptr) kvStore_Destroy(kv);
    if (js != nullptr) jsCtx_Destroy(js);
    natsConnection_Destroy(nc);
  }
  natsOptions_Destroy(opts);
  return outcome;
}

// The INFO line's tls fields, as "tls_required tls_verify" present/absent.
std::string InfoTlsFields(int port) {
  kvgate::testing::RawConn c(port);
  const std::string info = c.ReadUntilQuiet(300);
  std::string out;
  if (info.rfind("INFO {", 0) != 0) return "no INFO: " + info;
  if (info.find("\"tls_required\":true") != std::string::npos) out += "tls_required ";
  if (info.find("\"tls_verify\":true") != std::string::npos) out += "tls_verify";
  return out;
}

}  // namespace

TEST_CASE("NATS TLS: INFO fields and nats.c KV over TLS match nats-server", "[integration][tls]") {
  TestCerts certs;
  const TlsClientOptions with_cert{certs.ca, certs.client_crt, certs.client_key};
  const TlsClientOptions without_cert{certs.ca, "", ""};
  for (bool verify : {false, true}) {
    INFO("verify " << verify);
    auto ref = StartNatsServerTls(certs, verify);
    auto kv = StartKvgate(KvgateNatsTlsArgs(certs, verify));
    CHECK(InfoTlsFields(kv->nats_port) == InfoTlsFields(ref->port));
    CHECK(InfoTlsFields(kv->nats_port) == (verify ? "tls_required tls_verify" : "tls_required "));
    const std::string ref_with = KvOutcome(ref->port, with_cert);
    const std::string ref_without = KvOutcome(ref->port, without_cert);
    CHECK(KvOutcome(kv->nats_port, with_cert) == ref_with);
    CHECK(KvOutcome(kv->nats_port, without_cert) == ref_without);
    CHECK(ref_with == "put/get 70000 bytes rev 1");
    CHECK(ref_without == (verify ? "refused" : "put/get 70000 bytes rev 2"));
  }
}

TEST_CASE("NATS TLS: a plaintext client after INFO is closed, as by nats-server; others work",
          "[integration][tls]") {
  TestCerts certs;
  auto ref = StartNatsServerTls(certs, false);
  auto kv = StartKvgate(KvgateNatsTlsArgs(certs, false));
  std::vector<std::string> replies;
  for (int port : {ref->port, kv->nats_port}) {
    kvgate::testing::RawConn c(port);
    CHECK(c.ReadUntilQuiet(300).rfind("INFO {", 0) == 0);
    c.Send("CONNECT {\"verbose\":false}\r\nPING\r\n");
    replies.push_back(c.ReadUntilQuiet(300));
    CHECK(replies.back().find("PONG") == std::string::npos);
    CHECK(c.WaitClosed(3000));
  }
  CHECK(replies[1] == replies[0]);  // nothing: no TLS alert, no -ERR
  // A client that read INFO and stalls mid-handshake does not hold up another.
  kvgate::testing::RawConn stalled(kv->nats_port);
  stalled.ReadUntilQuiet(100);
  stalled.Send(std::string("\x16\x03\x01\x02\x00\x01", 6));
  CHECK(KvOutcome(kv->nats_port, {certs.ca, "", ""}) == "put/get 70000 bytes rev 1");
  CHECK(kv->process->ReadLog().find("TLS handshake failed") != std::string::npos);
  // ...and is cut after nats-server's 2 s TLS timeout, on both servers.
  for (int port : {ref->port, kv->nats_port}) {
    kvgate::testing::RawConn slow(port);
    slow.ReadUntilQuiet(100);
    slow.Send(std::string("\x16\x03\x01\x02\x00\x01", 6));
    const auto start = std::chrono::steady_clock::now();
    CHECK(slow.WaitClosed(5000));
    const auto waited = std::chrono::steady_clock::now() - start;
    CHECK(waited > std::chrono::milliseconds(1500));
    CHECK(waited < std::chrono::milliseconds(3500));
  }
  CHECK(kv->process->ReadLog().find("TLS handshake failed: timeout") != std::string::npos);
}

TEST_CASE("NATS TLS: own certificate files, reloaded on SIGHUP", "[integration][tls]") {
  TestCerts certs;
  certs.Issue("nats", "nats-1", 3001);
  const std::string dir = certs.dir.path;
  auto kv = StartKvgate({"--nats-tls", "--nats-tls-cert", dir + "/nats.crt", "--nats-tls-key",
                         dir + "/nats.key", "--tls-port", "0"});
  TlsClientOptions o{certs.ca, "", ""};
  o.plain_line_first = true;
  TlsConn first(kv->nats_port, o);
  REQUIRE(first.ok());
  CHECK(first.greeting().rfind("INFO {", 0) == 0);
  CHECK(first.PeerSerial() == "3001");
  certs.Issue("nats", "nats-2", 3002);
  REQUIRE(kill(kv->process->pid(), SIGHUP) == 0);
  std::string serial;
  for (int i = 0; i < 100 && serial != "3002"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    TlsConn next(kv->nats_port, o);
    REQUIRE(next.ok());
    serial = next.PeerSerial();
  }
  CHECK(serial == "3002");
  // The connection from before the reload still talks NATS.
  REQUIRE(first.Send("CONNECT {\"verbose\":false}\r\nPING\r\n"));
  CHECK(first.ReadLine() == "PONG\r\n");
  CHECK(KvOutcome(kv->nats_port, {certs.ca, "", ""}) == "put/get 70000 bytes rev 1");
}
