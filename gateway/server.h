// File: gateway/server.h
// The libuv process core: owns the loop, listeners, connections, the engine's timers and the
// once-per-iteration flush. One thread; everything it touches is owned by that thread.
//
//   gateway::Server server(engine, options);
//   server.Listen("127.0.0.1", 6379, redis_front, "-ERR max number of clients reached\r\n");
//   server.Run();             // until SIGINT/SIGTERM (if HandleSignals) or RequestStop()
#pragma once

#include <uv.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "translate/session.h"

namespace kvgate::gateway {

class Connection;
class Server;

struct ServerOptions {
  size_t max_clients = 10'000;              // both ports together
  size_t output_high_water = 8 << 20;       // stop reading a client whose output exceeds this
  size_t output_low_water = 1 << 20;        // ...until it drains below this
  uint64_t engine_tick_ms = 100;            // active expiry / compaction sweep period
  uint64_t front_tick_ms = 50;              // heartbeats, consumer GC
  bool handle_signals = true;               // SIGINT/SIGTERM stop the server
};

class Listener {
 public:
  Listener(Server& server, translate::Front& front, std::string reject_message);
  translate::Front& front() {
    return front_;
  }
  uv_tcp_t* handle() {
    return &handle_;
  }
  int port() const {
    return port_;
  }
  const std::string& reject_message() const {
    return reject_message_;
  }

 private:
  friend class Server;
  Server& server_;
  translate::Front& front_;
  std::string reject_message_;
  uv_tcp_t handle_{};
  int port_ = 0;
};

class Server {
 public:
  Server(engine::Engine& engine, const ServerOptions& options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; port 0 picks an ephemeral port. Returns the bound port, or a negative
  // libuv error code. `reject_message` is written to clients refused by max_clients.
  int Listen(const std::string& host, int port, translate::Front& front,
             std::string reject_message);
  // Runs the loop until stopped; returns 0 on a clean stop.
  int Run();
  // Thread-safe: asks the loop to stop (tests run the server on another thread).
  void RequestStop();

  uv_loop_t* loop() {
    return &loop_;
  }
  engine::Engine& engine() {
    return engine_;
  }
  const ServerOptions& options() const {
    return options_;
  }
  size_t connection_count() const {
    return connection_count_;
  }
  translate::LoopStats& loop_stats() {
    return loop_stats_;
  }

  // Called by connections.
  void ScheduleFlush(Connection* c);
  void Register(Connection* c);
  void Unregister(Connection* c);
  uint64_t NextConnectionId() {
    return ++last_connection_id_;
  }

 private:
  static void OnConnection(uv_stream_t* server, int status);
  static void OnPrepare(uv_prepare_t* handle);
  static void OnEngineTimer(uv_timer_t* handle);
  static void OnFrontTimer(uv_timer_t* handle);
  static void OnSignal(uv_signal_t* handle, int signum);
  static void OnStopAsync(uv_async_t* handle);
  static void OnIdle(uv_idle_t* handle);

  void AcceptOne(Listener& listener);
  void MeasureIteration();
  void FlushPending();
  void BeginShutdown();

  engine::Engine& engine_;
  ServerOptions options_;
  uv_loop_t loop_{};
  uv_prepare_t prepare_{};
  uv_idle_t idle_{};
  uv_timer_t engine_timer_{};
  uv_timer_t front_timer_{};
  uv_signal_t sigint_{};
  uv_signal_t sigterm_{};
  uv_async_t stop_async_{};
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::vector<translate::Front*> fronts_;
  std::vector<Connection*> pending_flush_;
  Connection* connections_ = nullptr;  // intrusive list head
  size_t connection_count_ = 0;
  uint64_t last_connection_id_ = 0;
  translate::LoopStats loop_stats_;
  uint64_t last_prepare_ns_ = 0;
  uint64_t last_idle_ns_ = 0;
  bool idle_active_ = false;
  bool shutting_down_ = false;
  std::atomic<bool> stop_handle_open_{true};  // RequestStop is a no-op once the loop has ended
};

}  // namespace kvgate::gateway
