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
#include "engine/local_store.h"
#include "protocols/buffer.h"
#include "tests/support/memory_transport.h"
#include "translate/redis/front.h"
#include "translate/session.h"

namespace kvgate::redis::testing {

// The gateway's CloseNow: output dropped, then on_close_now (Session::OnClose) at once.
class FakeTransport final : public kvgate::testing::MemoryTransport {
 public:
  explicit FakeTransport(uint64_t id);
  void CloseNow() override;
  // The gateway runs the held input at once (from RunPending, outside every OnBytes).
  void ResumeInputNow() override {
    if (on_resume_now) on_resume_now();
  }

  std::function<void()> on_close_now;
  std::function<void()> on_resume_now;
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
  engine::LocalStore& store() {
    return store_;
  }
  // Runs the front's pending work and feeds held input back to sessions that resumed it, as
  // the gateway does before it polls; Send() calls it.
  void Pump();
  // Moves the fake clock on and lets the front deliver due wakes (deadlines, a pause's end).
  void Advance(int64_t ms) {
    clock_.AdvanceMs(ms);
    Pump();
  }
  RedisFront& front() {
    return *front_;
  }

 private:
  engine::FakeClock clock_;
  engine::Engine engine_;
  engine::LocalStore store_{engine_};
  std::unique_ptr<RedisFront> front_;
  std::vector<std::unique_ptr<Client>> clients_;
  uint64_t next_id_ = 1;
};

// RESP multibulk encoding of a command.
std::string Encode(const std::vector<std::string>& args);

}  // namespace kvgate::redis::testing
