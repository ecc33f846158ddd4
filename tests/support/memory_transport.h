// File: tests/support/memory_transport.h
// A translate::Transport without a socket, for in-process tests and fuzz targets: output
// collects in memory, and flags record what the session asked of the gateway (flush, close,
// pause). Subclasses decide what CloseNow does (the gateway calls Session::OnClose at once).
//
//   MemoryTransport t(1, "127.0.0.1:50001", "127.0.0.1:6379");
//   session->OnBytes(in);
//   CHECK(t.Take() == "+OK\r\n");
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "protocols/buffer.h"
#include "translate/session.h"

namespace kvgate::testing {

class MemoryTransport : public translate::Transport {
 public:
  explicit MemoryTransport(uint64_t id = 1, std::string peer = "127.0.0.1:50000",
                           std::string local = "127.0.0.1:1", int fd = -1)
      : id_(id), fd_(fd), peer_(std::move(peer)), local_(std::move(local)) {
  }

  protocols::OutChain& Out() override {
    return out_;
  }
  void ScheduleFlush() override {
    ++flushes_scheduled;
  }
  void CloseAfterFlush() override {
    close_after_flush = true;
  }
  void CloseNow() override {
    closed_now = true;
  }
  size_t PendingOutputBytes() const override {
    return out_.bytes() + extra_pending;
  }
  void PauseReading() override {
    paused = true;
  }
  void ResumeReading() override {
    paused = false;
  }
  void ResumeInput() override {
    resume_input = true;
  }
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

  // Everything written since the last Take() (or Drain()).
  std::string Take() {
    std::string s = out_.ToString();
    out_.Clear();
    return s;
  }
  void Drain() {
    out_.Clear();
  }

  bool close_after_flush = false;
  bool closed_now = false;
  bool paused = false;
  bool resume_input = false;  // the session asked for its held input to be fed again
  int flushes_scheduled = 0;
  size_t extra_pending = 0;  // pretend this much output is stuck in the kernel (limit tests)

 private:
  uint64_t id_;
  int fd_;
  std::string peer_;
  std::string local_;
  protocols::OutChain out_;
};

}  // namespace kvgate::testing
