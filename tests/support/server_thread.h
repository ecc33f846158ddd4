// File: tests/support/server_thread.h
// A gateway Server listening on an ephemeral loopback port, its loop on a thread of its own, for
// tests that drive it over real sockets. The test owns the store (or the engine, which is then
// put behind a LocalStore of this object's), clock and front (which outlive this object when
// declared before it); Stop() ends the loop early so a test can inspect the server's state once
// its thread is done.
//
//   kvgate::engine::SystemClock clock;
//   kvgate::engine::Engine engine(clock);
//   MyFront front;
//   kvgate::testing::ServerThread run(engine, front);
//   int fd = kvgate::testing::ConnectLoopback(run.port());
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <thread>

#include "engine/engine.h"
#include "engine/local_store.h"
#include "gateway/loop_clock.h"
#include "gateway/server.h"
#include "translate/front.h"

namespace kvgate::testing {

class ServerThread {
 public:
  // `clock`, when given, is the LoopClock the engine reads (the server invalidates it per
  // callback). Signals stay with the test runner.
  ServerThread(engine::Engine& engine, translate::Front& front, gateway::ServerOptions options = {},
               gateway::LoopClock* clock = nullptr)
      : own_store_(std::make_unique<engine::LocalStore>(engine)) {
    Start(*own_store_, front, options, clock);
  }
  ServerThread(engine::Store& store, translate::Front& front, gateway::ServerOptions options = {},
               gateway::LoopClock* clock = nullptr) {
    Start(store, front, options, clock);
  }
  ~ServerThread() {
    Stop();
  }
  ServerThread(const ServerThread&) = delete;
  ServerThread& operator=(const ServerThread&) = delete;

  // Ends the loop (closing every connection) and waits for its thread.
  void Stop() {
    if (!thread_.joinable()) return;
    server_->RequestStop();
    thread_.join();
  }
  int port() const {
    return port_;
  }
  // The loop thread, e.g. to pin it to a CPU.
  std::thread::native_handle_type native_handle() {
    return thread_.native_handle();
  }
  // Set before the loop starts, so loop-thread code may use it at any time; the test thread may
  // read the server's state only after Stop().
  gateway::Server& server() const {
    return *server_;
  }

 private:
  void Start(engine::Store& store, translate::Front& front, gateway::ServerOptions options,
             gateway::LoopClock* clock) {
    options.handle_signals = false;
    server_ = std::make_unique<gateway::Server>(store, options);
    if (clock != nullptr) server_->AttachClock(clock);
    port_ = server_->Listen("127.0.0.1", 0, front);
    REQUIRE(port_ > 0);
    thread_ = std::thread([this] { server_->Run(); });
  }

  std::unique_ptr<engine::LocalStore> own_store_;
  std::unique_ptr<gateway::Server> server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace kvgate::testing
