#include "integration/support/tls_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>

#include "integration/support/resp_client.h"

namespace kvgate::testing {
namespace {

// The certificate, key and CA options every TLS server of these tests gets by default.
std::vector<std::string> StandardFiles(const TestCerts& certs) {
  return {"--tls-cert-file", certs.server_crt,     "--tls-key-file",
          certs.server_key,  "--tls-ca-cert-file", certs.ca};
}

void Run(const std::vector<std::string>& argv) {
  std::string out;
  if (RunCommand(argv, &out) != 0) throw std::runtime_error("openssl failed: " + out);
}

}  // namespace

TestCerts::TestCerts() {
  const std::string d = dir.path;
  {
    std::ofstream ext(d + "/ext.cnf");
    ext << "subjectAltName=DNS:localhost,IP:127.0.0.1\n";
  }
  ca = d + "/ca.crt";
  Run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
       "-nodes", "-keyout", d + "/ca.key", "-out", ca, "-days", "2", "-subj",
       "/CN=kvgate-test-ca"});
  Issue("server", "server-1", 1001);
  Issue("client", "client-1", 2001);
  server_crt = d + "/server.crt";
  server_key = d + "/server.key";
  client_crt = d + "/client.crt";
  client_key = d + "/client.key";
}

void TestCerts::Issue(const std::string& name, const std::string& common_name, int serial) {
  const std::string d = dir.path;
  const std::string base = d + "/" + name;
  // Written beside, then renamed: a server reloading meanwhile never sees half a file.
  Run({"openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
       "-keyout", base + ".key.new", "-out", base + ".csr", "-subj", "/CN=" + common_name});
  Run({"openssl", "x509", "-req", "-in", base + ".csr", "-CA", ca, "-CAkey", d + "/ca.key",
       "-set_serial", std::to_string(serial), "-days", "2", "-out", base + ".crt.new", "-extfile",
       d + "/ext.cnf"});
  std::rename((base + ".key.new").c_str(), (base + ".key").c_str());
  std::rename((base + ".crt.new").c_str(), (base + ".crt").c_str());
}

TlsConn::TlsConn(int port, const TlsClientOptions& o) {
  fd_ = ConnectLoopback(port);
  if (fd_ < 0) {
    error_ = "connect failed";
    return;
  }
  timeval tv{.tv_sec = 10, .tv_usec = 0};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  while (o.plain_line_first && greeting_.find("\r\n") == std::string::npos) {
    char ch = 0;
    if (recv(fd_, &ch, 1, 0) != 1) {
      error_ = "no greeting";
      return;
    }
    greeting_ += ch;
  }
  ctx_ = SSL_CTX_new(TLS_client_method());
  if (!o.ca.empty()) {
    SSL_CTX_load_verify_locations(ctx_, o.ca.c_str(), nullptr);
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
  }
  if (!o.cert.empty()) {
    SSL_CTX_use_certificate_chain_file(ctx_, o.cert.c_str());
    SSL_CTX_use_PrivateKey_file(ctx_, o.key.c_str(), SSL_FILETYPE_PEM);
  }
  ssl_ = SSL_new(ctx_);
  SSL_set_fd(ssl_, fd_);
  if (SSL_connect(ssl_) != 1) {
    char buf[256] = {0};
    ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
    error_ = buf;
    ERR_clear_error();
    return;
  }
  ok_ = true;
}

TlsConn::~TlsConn() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  if (ctx_ != nullptr) SSL_CTX_free(ctx_);
  if (fd_ >= 0) close(fd_);
}

bool TlsConn::Send(std::string_view bytes) {
  if (!ok_) return false;
  size_t off = 0;
  while (off < bytes.size()) {
    const int n = SSL_write(ssl_, bytes.data() + off, static_cast<int>(bytes.size() - off));
    if (n <= 0) {
      ok_ = false;
      error_ = "write failed";
      return false;
    }
    off += static_cast<size_t>(n);
  }
  return true;
}

std::string TlsConn::ReadReplies(size_t count, int timeout_ms) {
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char buf[64 * 1024];
  while (count > 0 && std::chrono::steady_clock::now() < deadline) {
    const size_t len = RespReplyLength(buffer_);
    if (len > 0) {
      out += buffer_.substr(0, len);
      buffer_.erase(0, len);
      --count;
      continue;
    }
    if (!ok_) break;
    const int n = SSL_read(ssl_, buf, sizeof buf);
    if (n <= 0) {
      char err[256] = {0};
      ERR_error_string_n(ERR_get_error(), err, sizeof err);
      error_ = err;
      ERR_clear_error();
      ok_ = false;
      break;
    }
    buffer_.append(buf, static_cast<size_t>(n));
  }
  return out;
}

std::string TlsConn::ReadLine() {
  char buf[4096];
  while (buffer_.find("\r\n") == std::string::npos && ok_) {
    const int n = SSL_read(ssl_, buf, sizeof buf);
    if (n <= 0) {
      ok_ = false;
      break;
    }
    buffer_.append(buf, static_cast<size_t>(n));
  }
  const size_t end = buffer_.find("\r\n");
  if (end == std::string::npos) return "";
  std::string line = buffer_.substr(0, end + 2);
  buffer_.erase(0, end + 2);
  return line;
}

std::string TlsConn::Call(const std::vector<std::string>& args) {
  if (!Send(EncodeCommand(args))) return "";
  return ReadReplies(1);
}

std::string TlsConn::PeerSerial() const {
  X509* cert = ssl_ ? SSL_get1_peer_certificate(ssl_) : nullptr;
  if (cert == nullptr) return "";
  const long serial = ASN1_INTEGER_get(X509_get_serialNumber(cert));
  X509_free(cert);
  return std::to_string(serial);
}

std::string TlsConn::PeerSubject() const {
  X509* cert = ssl_ ? SSL_get1_peer_certificate(ssl_) : nullptr;
  if (cert == nullptr) return "";
  char name[256] = {0};
  X509_NAME_oneline(X509_get_subject_name(cert), name, sizeof name);
  X509_free(cert);
  return name;
}

std::unique_ptr<Server> StartRedisServerTls(const TestCerts& certs,
                                            const std::vector<std::string>& extra,
                                            bool standard_files) {
  std::string bin = FindProgram("redis-server");
  if (bin.empty()) throw std::runtime_error("redis-server is not installed (tools/setup.sh)");
  auto s = std::make_unique<Server>();
  s->dir = MakeTempDir("redis-tls");
  for (int attempt = 0; attempt < 5; ++attempt) {
    s->port = FreePort();
    std::vector<std::string> argv = {bin,
                                     "--port",
                                     "0",
                                     "--tls-port",
                                     std::to_string(s->port),
                                     "--bind",
                                     "127.0.0.1",
                                     "--save",
                                     "",
                                     "--appendonly",
                                     "no",
                                     "--dir",
                                     s->dir,
                                     "--daemonize",
                                     "no"};
    if (standard_files) {
      for (std::string& a : StandardFiles(certs)) argv.push_back(std::move(a));
    }
    argv.insert(argv.end(), extra.begin(), extra.end());
    s->process = std::make_unique<Process>(argv, s->dir + "/redis.log");
    if (WaitForPort(s->port)) return s;
    s->process.reset();
  }
  throw std::runtime_error("redis-server with TLS did not start");
}

std::unique_ptr<Server> StartNatsServerTls(const TestCerts& certs, bool verify) {
  std::string bin = FindProgram("nats-server");
  if (bin.empty()) throw std::runtime_error("nats-server is not installed (tools/setup.sh)");
  auto s = std::make_unique<Server>();
  s->dir = MakeTempDir("nats-tls");
  for (int attempt = 0; attempt < 5; ++attempt) {
    s->port = FreePort();
    std::vector<std::string> argv = {bin,
                                     "-js",
                                     "-a",
                                     "127.0.0.1",
                                     "-p",
                                     std::to_string(s->port),
                                     "-sd",
                                     s->dir + "/js",
                                     "--tls",
                                     "--tlscert",
                                     certs.server_crt,
                                     "--tlskey",
                                     certs.server_key};
    if (verify) argv.insert(argv.end(), {"--tlsverify", "--tlscacert", certs.ca});
    s->process = std::make_unique<Process>(argv, s->dir + "/nats.log");
    if (WaitForPort(s->port)) return s;
    s->process.reset();
  }
  throw std::runtime_error("nats-server with TLS did not start");
}

std::unique_ptr<Server> StartKvgateTls(const TestCerts& certs,
                                       const std::vector<std::string>& extra, bool standard_files) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    const int port = FreePort();
    std::vector<std::string> args = {"--tls-port", std::to_string(port)};
    if (standard_files) {
      for (std::string& a : StandardFiles(certs)) args.push_back(std::move(a));
    }
    args.insert(args.end(), extra.begin(), extra.end());
    auto s = StartKvgate(args);
    if (WaitForPort(port)) {
      s->port = port;
      return s;
    }
  }
  throw std::runtime_error("kvgate with TLS did not start");
}

}  // namespace kvgate::testing
