// File: tests/translate/redis/support/fake_transport.h
// In-process stand-ins for the gateway: a Transport that collects output in memory, and a
// harness that owns an engine on a FakeClock, a RedisFront and any number of client sessions.
//
//   RedisHarness h;
//   auto& c = h.Connect();
//   CHECK(h.Cmd(c, {"SET", "k", "v"}) == "+OK\r\n");
//   CHECK(h.Send(c, "GET k\r\n") == "$1\r\nv\r\n");
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.h"
#include "protocols/buffer.h"
#include "translate/redis/front.h"
#include "translate/session.h"

namespace kvgate::redis::testing {

class FakeTransport final : public translate::Transport {
 public:
  explicit FakeTransport(uint64_t id);
  protocols::OutChain& Out() override {
    return out_;
  }
  void ScheduleFlush() override {
    ++flushes_scheduled;
  }
  void CloseAfterFlush() override {
    close_after_flush = true;
  }
  void CloseNow() override;
  size_t PendingOutputBytes() const override {
    return out_.bytes() + extra_pending;
  }
  void PauseReading() override {
    paused = true;
  }
  void ResumeReading() override {
    paused = false;
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
    return static_cast<int>(id_) + 10;
  }

  // Everything written since the last Take().
  std::string Take();

  bool close_after_flush = false;
  bool closed_now = false;
  bool paused = false;
  int flushes_scheduled = 0;
  size_t extra_pending = 0;  // pretend the socket is slow (output-limit tests)
  std::function<void()> on_close_now;

 private:
  uint64_t id_;
  std::string peer_;
  std::string local_ = "127.0.0.1:6379";
  protocols::OutChain out_;
};

class RedisHarness {
 public:
  struct Client {
    std::unique_ptr<FakeTransport> transport;
    std::unique_ptr<translate::Session> session;
    protocols::InBuffer in;
    bool closed = false;
  };

  explicit RedisHarness(RedisConfig config = {});
  ~RedisHarness();

  Client& Connect();
  // Feeds raw bytes and returns everything the client received since the last call.
  std::string Send(Client& c, std::string_view bytes);
  // Sends one multibulk command.
  std::string Cmd(Client& c, const std::vector<std::string>& args);
  // Output that arrived asynchronously (pub/sub, notifications).
  std::string Take(Client& c) {
    return c.transport->Take();
  }
  void Close(Client& c);

  engine::FakeClock& clock() {
    return clock_;
  }
  engine::Engine& engine() {
    return engine_;
  }
  RedisFront& front() {
    return *front_;
  }

 private:
  engine::FakeClock clock_;
  engine::Engine engine_;
  std::unique_ptr<RedisFront> front_;
  std::vector<std::unique_ptr<Client>> clients_;
  uint64_t next_id_ = 1;
};

// RESP multibulk encoding of a command.
std::string Encode(const std::vector<std::string>& args);

}  // namespace kvgate::redis::testing
