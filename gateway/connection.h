// File: gateway/connection.h
// One accepted TCP connection: a uv_tcp_t, its InBuffer and OutChain, and the protocol Session
// that gives the bytes meaning. Implements translate::Transport for that session.
//
//   Connection* c = Connection::Accept(server, listener);  // on uv_listen's callback
//   read_cb -> in_.Commit(n) -> session_->OnBytes(in_) -> replies in out_ -> Server flushes
//   StartClose() -> session_->OnClose() -> uv_close -> `delete this` only in OnClosed
//
// Lifetime rules (STYLE.md §3.7): the Connection is freed only in uv_close's callback; a write in
// flight keeps its WriteBatch alive until its callback ran; nothing calls back synchronously.
#pragma once

#include <uv.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "gateway/tls_stream.h"
#include "protocols/buffer.h"
#include "translate/session.h"

namespace kvgate::gateway {

class Server;
class Listener;

class Connection final : public translate::Transport {
 public:
  // Accepts one pending connection on the listener's handle. Returns nullptr on failure.
  static Connection* Accept(Server& server, Listener& listener);
  // The same for a socket accepted without libuv (Server::ServeWhileBusy); takes `fd` over.
  static Connection* Adopt(Server& server, Listener& listener, int fd);

  // translate::Transport
  protocols::OutChain& Out() override {
    return out_;
  }
  void ScheduleFlush() override;
  void CloseAfterFlush() override;
  void CloseNow() override;
  size_t PendingOutputBytes() const override {
    return out_.bytes() + inflight_.bytes() + (tls_ ? tls_->BufferedBytes() : 0);
  }
  bool OutputCongested() const override;
  void PauseReading() override;
  void ResumeReading() override;
  void ResumeInput() override;
  void ResumeInputNow() override;
  uint64_t Id() const override {
    return id_;
  }
  const std::string& PeerAddress() const override {
    return peer_;
  }
  const std::string& LocalAddress() const override {
    return local_;
  }
  int Fd() const override {
    return fd_;
  }

  // Writes what is queued and released by the output gate (output_gate.h): a non-blocking
  // write first, uv_write for the rest. Called by the Server before the loop polls.
  void Flush();
  // End of a loop pass with changes not yet durable: the output so far waits for batch `seq`.
  void MarkOutput(uint64_t seq);
  // Output is held by the gate (marks not yet durable); listed by the Server for release.
  bool has_marks() const {
    return !marks_.empty();
  }
  uint64_t last_mark_seq() const {
    return marks_.empty() ? 0 : marks_.back().seq;
  }
  bool closing() const {
    return closing_;
  }
  // A TLS handshake still running past its listener's timeout (now_ns: uv_hrtime()).
  bool TlsHandshakeOverdue(uint64_t now_ns) const {
    return tls_deadline_ns_ != 0 && now_ns > tls_deadline_ns_ && !tls_->handshake_done();
  }
  // Closes an overdue handshake, logged as nats-server does.
  void CloseOverdueHandshake();
  // From inside a long Redis script (Server::ServeWhileBusy): reads what the kernel holds
  // (bounded), lets the session answer it and writes the replies, without the loop. Sessions
  // that do not serve while busy, and the connection running the script, are left alone.
  void PumpWhileBusy();
  // Used by the Server's pending-flush list.
  bool flush_scheduled = false;
  // Used by the Server's list of connections whose output the gate holds.
  bool gate_listed = false;
  // Intrusive list of live connections (Server).
  Connection* prev = nullptr;
  Connection* next = nullptr;

 private:
  Connection(Server& server, Listener& listener, uint64_t id);
  ~Connection() override;
  // The rest of accepting: addresses, the client limit, the session.
  static Connection* Open(Connection* c, Server& server, Listener& listener);

  static void OnAlloc(uv_handle_t* handle, size_t suggested, uv_buf_t* buf);
  static void OnRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf);
  static void OnWrite(uv_write_t* req, int status);
  static void OnClosed(uv_handle_t* handle);

  void HandleRead(ssize_t nread);
  void HandleWrite(int status);
  void StartClose();
  void UpdateReading();
  // Hands the session the input it left unprocessed while its output was congested or a
  // command of it was pending.
  void RunDeferredInput();
  bool InputWaits() const;
  // Bytes at the front of out_ the output gate lets go now.
  size_t Releasable();
  // TLS connections (tls_ set): `n` ciphertext bytes were read into tls_->ReadArea(); the
  // plaintext goes to in_. False if the connection is closing now (handshake failed, EOF).
  bool TakeCiphertext(size_t n);
  // Flush() for TLS: encrypts what may go, writes the ciphertext as Flush() writes plaintext.
  void FlushTls();
  // Starts a uv_write of `data` (alive until OnWrite); false after closing on failure.
  bool WriteLater(const uv_buf_t* bufs, unsigned n);

  Server& server_;
  uv_tcp_t handle_{};
  uv_write_t write_req_{};
  uint64_t id_;
  int fd_ = -1;
  std::string peer_;
  std::string local_;
  protocols::InBuffer in_;
  protocols::OutChain out_;
  protocols::WriteBatch inflight_;  // bytes handed to uv_write, alive until OnWrite
  // Output positions count bytes ever appended to out_; flushed_pos_ of them have left it.
  struct Mark {
    uint64_t pos;  // end of the output this mark holds
    uint64_t seq;  // the redo batch it waits for
  };
  std::deque<Mark> marks_;
  uint64_t flushed_pos_ = 0;
  uint64_t release_pos_ = 0;  // output before this position may go
  std::unique_ptr<translate::Session> session_;
  std::unique_ptr<TlsStream> tls_;  // null on plaintext connections: their path is unchanged
  uint64_t tls_deadline_ns_ = 0;    // handshake timeout (0 = none)
  bool writing_ = false;
  bool reading_ = false;
  bool paused_by_session_ = false;
  bool paused_by_output_ = false;
  // The session stopped early with input left: OutputCongested() or Session::InputHeld().
  bool input_deferred_ = false;
  bool resume_input_ = false;  // ResumeInput() asked: run deferred input at the next flush
  bool close_after_flush_ = false;
  uint64_t read_iteration_ = ~uint64_t{0};  // loop iteration read_this_iteration_ counts for
  size_t read_this_iteration_ = 0;
  bool closing_ = false;
  bool in_on_bytes_ = false;
};

}  // namespace kvgate::gateway
