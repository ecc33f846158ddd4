#include "gateway/connection.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <exception>

#include <sys/socket.h>
#include <unistd.h>

#include "gateway/log.h"
#include "gateway/server.h"
#include "gateway/tls_context.h"

namespace kvgate::gateway {
namespace {

constexpr size_t kReadReserve = 16 * 1024;
// Bytes one connection may read per loop iteration. libuv keeps reading (up to 32 reads) while
// each read fills the buffer, so a pipelining client (redis-cli --pipe) could hand one
// iteration half a megabyte of commands (~45 ms at 1M keys); like Redis's 16 KB per client per
// event, the rest waits for the next iteration (the socket stays readable, so it comes at once).
constexpr size_t kReadBudgetPerIteration = 64 * 1024;
constexpr size_t kIdleInputKeep = 64 * 1024;
// Input buffered behind a pending command before the connection stops reading: enough to
// notice a close and keep a pipeline going, bounded against a client that floods meanwhile.
constexpr size_t kHeldInputLimit = 1024 * 1024;
constexpr size_t kMaxIovecs = 64;
// Plaintext encrypted ahead of the socket per flush step: bounds the ciphertext a TLS
// connection holds beyond what out_ counts.
constexpr size_t kTlsEncryptAhead = 256 * 1024;

std::string FormatAddress(const sockaddr_storage& addr) {
  char ip[INET6_ADDRSTRLEN] = {0};
  int port = 0;
  if (addr.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
    uv_ip4_name(a, ip, sizeof ip);
    port = ntohs(a->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
    uv_ip6_name(a, ip, sizeof ip);
    port = ntohs(a->sin6_port);
  } else {
    return "?:0";
  }
  return std::string(ip) + ":" + std::to_string(port);
}

}  // namespace

Connection::Connection(Server& server, Listener& listener, uint64_t id) : server_(server), id_(id) {
  handle_.data = this;
  write_req_.data = this;
}

Connection::~Connection() = default;

Connection* Connection::Accept(Server& server, Listener& listener) {
  auto* c = new Connection(server, listener, server.NextConnectionId());
  uv_tcp_init(server.loop(), &c->handle_);
  if (uv_accept(reinterpret_cast<uv_stream_t*>(listener.handle()),
                reinterpret_cast<uv_stream_t*>(&c->handle_)) != 0) {
    c->closing_ = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&c->handle_), OnClosed);
    return nullptr;
  }
  return Open(c, server, listener);
}

Connection* Connection::Adopt(Server& server, Listener& listener, int fd) {
  auto* c = new Connection(server, listener, server.NextConnectionId());
  uv_tcp_init(server.loop(), &c->handle_);
  if (uv_tcp_open(&c->handle_, fd) != 0) {
    ::close(fd);
    c->closing_ = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&c->handle_), OnClosed);
    return nullptr;
  }
  return Open(c, server, listener);
}

Connection* Connection::Open(Connection* c, Server& server, Listener& listener) {
  uv_tcp_nodelay(&c->handle_, 1);
  uv_os_fd_t fd;
  if (uv_fileno(reinterpret_cast<uv_handle_t*>(&c->handle_), &fd) == 0) c->fd_ = fd;
  sockaddr_storage addr{};
  int len = sizeof addr;
  if (uv_tcp_getpeername(&c->handle_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    c->peer_ = FormatAddress(addr);
  }
  len = sizeof addr;
  if (uv_tcp_getsockname(&c->handle_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    c->local_ = FormatAddress(addr);
  }

  if (server.connection_count() >= server.live_limits().max_clients) {
    server.CountRefused();
    // Refused like the reference servers: their own error text, then close.
    std::string_view msg = listener.front().MaxClientsReply();
    // A TLS client reads no plaintext, except a greeting sent before the handshake (NATS).
    const bool plain_ok = listener.tls() == nullptr || listener.tls()->plain_greeting();
    if (!msg.empty() && plain_ok) {
      uv_buf_t buf = uv_buf_init(const_cast<char*>(msg.data()), static_cast<unsigned>(msg.size()));
      uv_try_write(reinterpret_cast<uv_stream_t*>(&c->handle_), &buf, 1);
    }
    c->closing_ = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&c->handle_), OnClosed);
    return nullptr;
  }

  if (TlsEndpoint* tls = listener.tls()) {
    if (tls->handshake_timeout_ms() != 0) {
      c->tls_deadline_ns_ = uv_hrtime() + tls->handshake_timeout_ms() * 1'000'000;
    }
    c->tls_ = TlsStream::Create(tls->ctx(), tls->verify_mode());
    if (!c->tls_) {
      KVGATE_LOG(kWarning, "connection from %s: cannot start TLS", c->peer_.c_str());
      c->closing_ = true;
      uv_close(reinterpret_cast<uv_handle_t*>(&c->handle_), OnClosed);
      return nullptr;
    }
  }
  server.Register(c);
  c->session_ = listener.front().NewSession(*c);
  c->session_->OnOpen();
  if (c->tls_ && listener.tls()->plain_greeting()) {
    // The greeting (NATS INFO) goes out in plaintext; the client's handshake follows it.
    c->out_.ForEachChunk([&](std::string_view chunk) {
      c->tls_->QueueRaw(chunk);
      return true;
    });
    c->flushed_pos_ += c->out_.bytes();
    c->out_.Clear();
    c->ScheduleFlush();
  }
  if (!c->out_.empty()) c->ScheduleFlush();
  c->UpdateReading();
  return c;
}

void Connection::OnAlloc(uv_handle_t* handle, size_t /*suggested*/, uv_buf_t* buf) {
  auto* c = static_cast<Connection*>(handle->data);
  if (c->read_iteration_ == c->server_.iteration() &&
      c->read_this_iteration_ >= kReadBudgetPerIteration) {
    *buf = uv_buf_init(nullptr, 0);  // libuv reports UV_ENOBUFS and stops reading for now
    return;
  }
  if (c->tls_) {
    auto area = c->tls_->ReadArea();
    *buf = uv_buf_init(area.data(), static_cast<unsigned>(area.size()));
    return;
  }
  auto tail = c->in_.Reserve(kReadReserve);
  *buf = uv_buf_init(tail.data(), static_cast<unsigned>(std::min<size_t>(tail.size(), 1u << 30)));
}

void Connection::OnRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* /*buf*/) {
  auto* c = static_cast<Connection*>(stream->data);
  c->server_.InvalidateClock();
  c->server_.NoteIo();
  try {
    c->HandleRead(nread);
  } catch (const std::exception& e) {
    // Nothing may unwind through libuv's C frames: log and drop this one connection.
    KVGATE_LOG(kError, "connection %llu: %s", static_cast<unsigned long long>(c->id_), e.what());
    c->CloseNow();
  }
}

void Connection::HandleRead(ssize_t nread) {
  if (nread == 0 || nread == UV_ENOBUFS) return;  // EAGAIN, or this iteration's budget is used
  if (nread < 0) {
    if (nread != UV_EOF) {
      KVGATE_LOG(kDebug, "connection %llu read error: %s", static_cast<unsigned long long>(id_),
                 uv_strerror(static_cast<int>(nread)));
    }
    CloseNow();
    return;
  }
  if (tls_) {
    if (!TakeCiphertext(static_cast<size_t>(nread))) return;
  } else {
    in_.Commit(static_cast<size_t>(nread));
  }
  if (read_iteration_ != server_.iteration()) {
    read_iteration_ = server_.iteration();
    read_this_iteration_ = 0;
  }
  read_this_iteration_ += static_cast<size_t>(nread);
  if (closing_ || close_after_flush_) {
    in_.Clear();
    return;
  }
  in_on_bytes_ = true;
  const uint64_t requests_before = session_->requests();
  session_->OnBytes(in_);
  in_on_bytes_ = false;
  server_.NoteRequests(session_->requests() - requests_before);
  if (closing_) return;
  input_deferred_ = !in_.empty() && InputWaits();
  if (in_.empty()) in_.ShrinkIfIdle(kIdleInputKeep);
  if (!out_.empty()) ScheduleFlush();
  UpdateReading();
}

bool Connection::TakeCiphertext(size_t n) {
  const size_t before = in_.size();
  const bool was_done = tls_->handshake_done();
  const TlsStream::Status status = tls_->Feed(tls_->ReadArea().data(), n, in_);
  if (status == TlsStream::Status::kFailed) {
    // As redis-server and nats-server: one line per failed handshake, this connection only.
    KVGATE_LOG(kInfo, "connection %llu from %s: TLS %s failed: %s",
               static_cast<unsigned long long>(id_), peer_.c_str(), was_done ? "read" : "handshake",
               tls_->error().c_str());
    // The alert OpenSSL queued tells the client why (a socket BIO would have sent it).
    std::string_view alert = tls_->pending();
    if (!alert.empty() && !writing_) {
      uv_buf_t buf =
          uv_buf_init(const_cast<char*>(alert.data()), static_cast<unsigned>(alert.size()));
      uv_try_write(reinterpret_cast<uv_stream_t*>(&handle_), &buf, 1);
    }
    CloseNow();
    return false;
  }
  if (!was_done && tls_->handshake_done()) {
    KVGATE_LOG(kDebug, "connection %llu from %s: %s", static_cast<unsigned long long>(id_),
               peer_.c_str(), tls_->Describe().c_str());
    if (!out_.empty()) ScheduleFlush();
  }
  if (!tls_->pending().empty()) ScheduleFlush();
  if (status == TlsStream::Status::kClosed) {
    CloseNow();  // close_notify: the end of the stream, as EOF is for plaintext
    return false;
  }
  return in_.size() > before;
}

void Connection::CloseOverdueHandshake() {
  KVGATE_LOG(kInfo, "connection %llu from %s: TLS handshake failed: timeout",
             static_cast<unsigned long long>(id_), peer_.c_str());
  CloseNow();
}

bool Connection::OutputCongested() const {
  return PendingOutputBytes() > server_.options().output_high_water;
}

bool Connection::InputWaits() const {
  return OutputCongested() || session_->InputHeld();
}

void Connection::RunDeferredInput() {
  resume_input_ = false;
  if (!input_deferred_ || closing_ || close_after_flush_ || in_on_bytes_ || InputWaits()) {
    UpdateReading();
    return;
  }
  in_on_bytes_ = true;
  session_->OnBytes(in_);
  in_on_bytes_ = false;
  if (closing_) return;
  input_deferred_ = !in_.empty() && InputWaits();
  if (!out_.empty()) ScheduleFlush();
  UpdateReading();
}

void Connection::ResumeInput() {
  if (closing_) return;
  resume_input_ = true;
  server_.ScheduleFlush(this);
}

void Connection::ResumeInputNow() {
  if (closing_) return;
  if (in_on_bytes_) {
    ResumeInput();
    return;
  }
  RunDeferredInput();
}

void Connection::ScheduleFlush() {
  if (closing_ || flush_scheduled) return;
  server_.ScheduleFlush(this);
}

void Connection::CloseAfterFlush() {
  if (closing_) return;
  close_after_flush_ = true;
  UpdateReading();
  server_.ScheduleFlush(this);
}

void Connection::CloseNow() {
  if (closing_) return;
  if (in_on_bytes_) {
    // The session asked from inside OnBytes: finish that call first, never re-enter it.
    close_after_flush_ = true;
    out_.Clear();
    UpdateReading();
    server_.ScheduleFlush(this);
    return;
  }
  StartClose();
}

void Connection::PauseReading() {
  paused_by_session_ = true;
  UpdateReading();
}

void Connection::ResumeReading() {
  paused_by_session_ = false;
  UpdateReading();
}

void Connection::UpdateReading() {
  if (closing_) return;
  size_t pending = PendingOutputBytes();
  if (pending > server_.options().output_high_water) paused_by_output_ = true;
  if (pending <= server_.options().output_low_water) paused_by_output_ = false;
  const bool held_full =
      session_ != nullptr && session_->InputHeld() && in_.size() >= kHeldInputLimit;
  bool want = !close_after_flush_ && !paused_by_session_ && !paused_by_output_ && !held_full;
  auto* stream = reinterpret_cast<uv_stream_t*>(&handle_);
  if (want && !reading_) {
    if (uv_read_start(stream, OnAlloc, OnRead) == 0) reading_ = true;
  } else if (!want && reading_) {
    uv_read_stop(stream);
    reading_ = false;
  }
}

void Connection::Flush() {
  flush_scheduled = false;
  if (closing_ || writing_) return;
  if (tls_) return FlushTls();
  if (out_.empty()) {
    if (close_after_flush_) {
      StartClose();
    } else if (resume_input_) {
      RunDeferredInput();
    }
    return;
  }
  size_t allowed = Releasable();
  if (allowed < out_.bytes()) server_.NoteGated(this);
  if (allowed == 0) return;
  std::array<uv_buf_t, kMaxIovecs> bufs;
  unsigned n = 0;
  size_t take = allowed;
  out_.ForEachChunk([&](std::string_view chunk) {
    const size_t len = std::min(chunk.size(), take);
    bufs[n++] = uv_buf_init(const_cast<char*>(chunk.data()), static_cast<unsigned>(len));
    take -= len;
    return n < kMaxIovecs && take > 0;
  });
  auto* stream = reinterpret_cast<uv_stream_t*>(&handle_);
  int written = uv_try_write(stream, bufs.data(), n);
  if (written < 0 && written != UV_EAGAIN) {
    StartClose();
    return;
  }
  if (written > 0) {
    out_.ConsumeFront(static_cast<size_t>(written));
    flushed_pos_ += static_cast<uint64_t>(written);
    allowed -= static_cast<size_t>(written);
  }
  if (allowed > 0) {
    // The kernel buffer is full: hand the rest to uv_write and keep it alive until OnWrite.
    inflight_ = out_.DetachFront(allowed);
    flushed_pos_ += inflight_.bytes();
    std::vector<uv_buf_t> rest;
    rest.reserve(inflight_.blocks().size());
    size_t skip = inflight_.front_offset();
    for (const auto& b : inflight_.blocks()) {
      rest.push_back(uv_buf_init(b.data.get() + skip, static_cast<unsigned>(b.size - skip)));
      skip = 0;
    }
    if (uv_write(&write_req_, stream, rest.data(), static_cast<unsigned>(rest.size()), OnWrite) !=
        0) {
      StartClose();
      return;
    }
    writing_ = true;
  } else if (close_after_flush_ && out_.empty()) {
    StartClose();
    return;
  }
  UpdateReading();
  // Everything went out without blocking: requests the session deferred can run now.
  if (!writing_) RunDeferredInput();
}

void Connection::FlushTls() {
  auto* stream = reinterpret_cast<uv_stream_t*>(&handle_);
  for (;;) {
    size_t allowed = Releasable();
    if (allowed < out_.bytes()) server_.NoteGated(this);
    bool encrypted = false;
    while (allowed > 0 && tls_->pending().size() < kTlsEncryptAhead) {
      std::string_view chunk;
      out_.ForEachChunk([&](std::string_view c) {
        chunk = c.substr(0, allowed);
        return false;
      });
      const size_t took = tls_->Encrypt(chunk);
      if (took == 0) break;  // handshake still running, or failed (below)
      out_.ConsumeFront(took);
      flushed_pos_ += took;
      allowed -= took;
      encrypted = true;
    }
    if (tls_->failed()) {
      KVGATE_LOG(kInfo, "connection %llu from %s: TLS write failed: %s",
                 static_cast<unsigned long long>(id_), peer_.c_str(), tls_->error().c_str());
      StartClose();
      return;
    }
    std::string_view cipher = tls_->pending();
    if (cipher.empty()) break;
    uv_buf_t buf =
        uv_buf_init(const_cast<char*>(cipher.data()), static_cast<unsigned>(cipher.size()));
    const int written = uv_try_write(stream, &buf, 1);
    if (written < 0 && written != UV_EAGAIN) {
      StartClose();
      return;
    }
    if (written > 0) tls_->Consume(static_cast<size_t>(written));
    if (!tls_->pending().empty()) {
      // The kernel buffer is full: the rest goes by uv_write, alive in the stream until OnWrite.
      std::string_view rest = tls_->StartInflight();
      uv_buf_t later =
          uv_buf_init(const_cast<char*>(rest.data()), static_cast<unsigned>(rest.size()));
      if (uv_write(&write_req_, stream, &later, 1, OnWrite) != 0) {
        StartClose();
        return;
      }
      writing_ = true;
      break;
    }
    if (!encrypted || allowed == 0) break;
  }
  if (!writing_ && close_after_flush_ && out_.empty()) {
    StartClose();
    return;
  }
  UpdateReading();
  if (!writing_) RunDeferredInput();
}

void Connection::MarkOutput(uint64_t seq) {
  const uint64_t end = flushed_pos_ + out_.bytes();
  if (out_.empty() || end <= (marks_.empty() ? release_pos_ : marks_.back().pos)) return;
  if (!marks_.empty() && marks_.back().seq == seq) {
    marks_.back().pos = end;
  } else {
    marks_.push_back({end, seq});
  }
}

size_t Connection::Releasable() {
  const OutputGate& gate = server_.gate();
  while (!marks_.empty() && marks_.front().seq <= gate.durable) {
    release_pos_ = marks_.front().pos;
    marks_.pop_front();
  }
  if (marks_.empty() && gate.open()) return out_.bytes();
  const uint64_t upto = release_pos_ > flushed_pos_ ? release_pos_ - flushed_pos_ : 0;
  return static_cast<size_t>(std::min<uint64_t>(upto, out_.bytes()));
}

void Connection::PumpWhileBusy() {
  if (closing_ || close_after_flush_ || in_on_bytes_ || session_ == nullptr ||
      !session_->ServesWhileBusy()) {
    return;
  }
  // A bounded read per pump keeps a flooding client from growing memory while the loop waits.
  constexpr size_t kPumpBytes = 64 * 1024;
  size_t got = 0;
  while (got < kPumpBytes) {
    // TLS connections decrypt here too: ciphertext goes to the stream, plaintext to in_.
    auto tail = tls_ ? tls_->ReadArea() : in_.Reserve(kReadReserve);
    const size_t want = std::min(tail.size(), kPumpBytes - got);
    const ssize_t n = ::recv(fd_, tail.data(), want, MSG_DONTWAIT);
    if (n > 0) {
      if (tls_) {
        TakeCiphertext(static_cast<size_t>(n));
        if (closing_ || close_after_flush_) return;
      } else {
        in_.Commit(static_cast<size_t>(n));
      }
      got += static_cast<size_t>(n);
      if (static_cast<size_t>(n) < want) break;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
      CloseNow();  // EOF or error, as the read callback would see it
      return;
    }
    break;
  }
  if (got > 0 && !InputWaits()) {
    in_on_bytes_ = true;
    session_->OnBytes(in_);
    in_on_bytes_ = false;
    if (closing_) return;
    input_deferred_ = !in_.empty() && InputWaits();
  }
  // The replies of a busy pump (-BUSY, SCRIPT KILL, ...) reveal no change of the running
  // script: they wait only for batches handed to the log already (and for this connection's
  // earlier output, which the marks keep in order).
  MarkOutput(server_.gate().submitted);
  if (!out_.empty() || (tls_ && !tls_->pending().empty())) Flush();
}

void Connection::OnWrite(uv_write_t* req, int status) {
  auto* c = static_cast<Connection*>(req->data);
  c->server_.InvalidateClock();
  try {
    c->HandleWrite(status);
  } catch (const std::exception& e) {
    KVGATE_LOG(kError, "connection %llu: %s", static_cast<unsigned long long>(c->id_), e.what());
    c->CloseNow();
  }
}

void Connection::HandleWrite(int status) {
  writing_ = false;
  if (tls_) {
    tls_->EndInflight();
  } else {
    inflight_ = protocols::WriteBatch();
  }
  if (closing_) return;
  if (status < 0) {
    StartClose();
    return;
  }
  if (!out_.empty() || close_after_flush_ || (tls_ && !tls_->pending().empty())) {
    Flush();
    if (closing_) return;
  }
  UpdateReading();
  if (PendingOutputBytes() == 0) session_->OnDrained();
  if (closing_) return;
  RunDeferredInput();
}

void Connection::StartClose() {
  if (closing_) return;
  closing_ = true;
  if (reading_) {
    uv_read_stop(reinterpret_cast<uv_stream_t*>(&handle_));
    reading_ = false;
  }
  if (session_) session_->OnClose();
  server_.Unregister(this);
  // A write in flight gets its callback (UV_ECANCELED) before OnClosed frees us.
  uv_close(reinterpret_cast<uv_handle_t*>(&handle_), OnClosed);
}

void Connection::OnClosed(uv_handle_t* handle) {
  delete static_cast<Connection*>(handle->data);
}

}  // namespace kvgate::gateway
