// File: gateway/server.h
// The libuv process core: owns the loop, listeners, connections, the engine's timers and the
// once-per-iteration flush. One thread; everything it touches is owned by that thread.
//
//   gateway::Server server(store, options);   // store: engine::LocalStore over the engine
//   server.Listen("127.0.0.1", 6379, redis_front);
//   server.Run();             // until SIGINT/SIGTERM (if HandleSignals) or RequestStop()
#pragma once

#include <uv.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/store.h"
#include "gateway/busy_poll.h"
#include "gateway/loop_clock.h"
#include "gateway/output_gate.h"
#include "translate/front.h"

namespace kvgate::gateway {

class Connection;
class Server;
class TlsEndpoint;

struct ServerOptions {
  size_t max_clients = 10'000;         // both ports together
  size_t output_high_water = 8 << 20;  // stop reading a client whose output exceeds this
  size_t output_low_water = 1 << 20;   // ...until it drains below this
  uint64_t engine_tick_ms = 100;       // active expiry / compaction sweep period
  uint64_t front_tick_ms = 50;         // heartbeats, consumer GC
  bool handle_signals = true;          // SIGINT/SIGTERM stop, SIGUSR1 logs loop stats
  // Adaptive busy polling (0 = off; see gateway/busy_poll.h): spin while poll results arrive
  // less than this many microseconds apart, unless more than busy_poll_max_connections are open
  // or (busy_poll_yields_to_contention) the loop thread keeps waiting for a CPU.
  uint64_t busy_poll_us = 200;
  size_t busy_poll_max_connections = 10'000;
  bool busy_poll_yields_to_contention = true;  // off only in tests that need a spin on a busy box
  // Also measure each iteration's thread CPU time (one clock_gettime syscall per iteration):
  // on a shared machine the wall-clock busy time includes preemption by other processes.
  bool loop_cpu_stats = false;
};

class Listener {
 public:
  Listener(Server& server, translate::Front& front);
  translate::Front& front() {
    return front_;
  }
  uv_tcp_t* handle() {
    return &handle_;
  }
  int port() const {
    return port_;
  }
  // Set on a TLS listener (gateway/tls_context.h); null on a plaintext one.
  TlsEndpoint* tls() const {
    return tls_;
  }

 private:
  friend class Server;
  Server& server_;
  translate::Front& front_;
  TlsEndpoint* tls_ = nullptr;
  uv_tcp_t handle_{};
  int port_ = 0;
};

class Server {
 public:
  // `store` gets Tick() every engine_tick_ms (active expiry; a backend's housekeeping).
  Server(engine::Store& store, const ServerOptions& options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; port 0 picks an ephemeral port. Returns the bound port, or a negative
  // libuv error code. Clients refused by max_clients get the front's MaxClientsReply().
  // With `tls` (owned by the caller, outliving the server) every connection speaks TLS.
  int Listen(const std::string& host, int port, translate::Front& front,
             TlsEndpoint* tls = nullptr);
  // Closes the listener bound to `port` (its open connections stay); false if there is none.
  bool StopListening(int port);
  // Called on SIGHUP (with handle_signals): reloads what can be (TLS certificates).
  void AddReloadHook(std::function<void()> hook) {
    reload_hooks_.push_back(std::move(hook));
  }
  // Runs the loop until stopped; returns 0 on a clean stop.
  int Run();
  // Thread-safe: asks the loop to stop (tests run the server on another thread).
  void RequestStop();
  // True while a busy script holds the loop and the server answers from its hook.
  bool serving_while_busy() const {
    return serving_while_busy_;
  }
  // The clock the engine reads (optional): invalidated at the start of every loop callback so
  // each callback reads the system clock at most once.
  void AttachClock(LoopClock* clock) {
    clock_ = clock;
  }
  void InvalidateClock() {
    if (clock_ != nullptr) clock_->Invalidate();
  }
  // Called by read/accept callbacks: feeds the busy-poll decision (gateway/busy_poll.h).
  void NoteIo() {
    busy_poll_.NoteIo();
    ++reads_;
  }
  // Reads handled so far (a background task can tell whether clients kept the loop busy).
  uint64_t reads() const {
    return reads_;
  }
  // Called from a Redis script's hook once it runs past busy-reply-threshold: serves every
  // other connection whose session serves while busy (reads, replies -BUSY or runs SCRIPT
  // KILL, writes) without re-entering the loop. Not reentrant; does nothing if re-entered.
  void ServeWhileBusy();
  // Called after a read was handled, with the requests it carried.
  void NoteRequests(uint64_t n) {
    busy_poll_.NoteRequests(n);
  }

  uv_loop_t* loop() {
    return &loop_;
  }
  engine::Store& store() {
    return store_;
  }
  const ServerOptions& options() const {
    return options_;
  }
  // Limits fronts may change while running (max_clients; see translate::LiveLimits).
  const translate::LiveLimits& live_limits() const {
    return live_limits_;
  }
  void CountRefused() {
    ++live_limits_.refused;
  }
  size_t connection_count() const {
    return connection_count_;
  }
  translate::LoopStats& loop_stats() {
    return loop_stats_;
  }
  // Thread-CPU counterparts of LoopStats' busy figures (ServerOptions::loop_cpu_stats).
  struct CpuStats {
    uint64_t max_busy_cpu_us = 0;
    uint64_t busy_cpu_over_10ms = 0;
  };
  const CpuStats& cpu_stats() const {
    return cpu_stats_;
  }
  // "iterations=.. max_busy_us=.. busy_over_10ms=.. [max_busy_cpu_us=.. busy_cpu_over_10ms=..]"
  std::string LoopStatsText() const;

  // Output held until the redo log has what it may reveal (gateway/output_gate.h). The
  // persistence layer sets the end-of-pass hook (it submits the pass's records there) and
  // calls ReleaseGated when a batch became durable.
  const OutputGate& gate() const {
    return gate_;
  }
  OutputGate& mutable_gate() {
    return gate_;
  }
  // While paused the store gets no Tick (recovery: nothing may change the engine unlogged).
  void PauseStoreTick(bool paused) {
    store_tick_paused_ = paused;
  }
  void SetEndOfPass(std::function<void()> hook) {
    end_of_pass_ = std::move(hook);
  }
  // Called by ServeWhileBusy before it pumps: hand over the script's records so far and take
  // in finished batches, so other clients' answers need not wait for the script's end.
  void SetBusyHook(std::function<void()> hook) {
    busy_hook_ = std::move(hook);
  }
  void ReleaseGated();
  // Marks the output of connections with unsent output with the batch covering it.
  void MarkHeldOutput();
  // Connections still holding back output that their marks allow later.
  template <typename Fn>
  void ForEachGated(Fn&& fn) {
    for (size_t i = 0; i < gated_.size(); ++i) {
      if (gated_[i] != nullptr) fn(gated_[i]);
    }
  }
  // Connections with output produced in this pass, not yet flushed.
  template <typename Fn>
  void ForEachPendingFlush(Fn&& fn) {
    for (size_t i = 0; i < pending_flush_.size(); ++i) {
      if (pending_flush_[i] != nullptr) fn(pending_flush_[i]);
    }
  }

  // Called by connections.
  void ScheduleFlush(Connection* c);
  void NoteGated(Connection* c);
  void Register(Connection* c);
  void Unregister(Connection* c);
  uint64_t NextConnectionId() {
    return ++last_connection_id_;
  }
  // Loop iterations so far (advances before each poll).
  uint64_t iteration() const {
    return loop_stats_.iterations;
  }
  // Times busy polling paused because the loop thread kept waiting for a CPU.
  uint64_t busy_poll_standdowns() const {
    return loop_stats_.busy_poll_standdowns;
  }

 private:
  static void OnConnection(uv_stream_t* server, int status);
  static void OnPrepare(uv_prepare_t* handle);
  static void OnEngineTimer(uv_timer_t* handle);
  static void OnFrontTimer(uv_timer_t* handle);
  static void OnSignal(uv_signal_t* handle, int signum);
  static void OnReportSignal(uv_signal_t* handle, int signum);
  static void OnReloadSignal(uv_signal_t* handle, int signum);
  static void OnStopAsync(uv_async_t* handle);
  static void OnIdle(uv_idle_t* handle);
  // Arms wake_timer_ for the fronts' next deadline, so the loop does not sleep past it.
  void ArmWakeTimer();

  void AcceptOne(Listener& listener);
  // Closes connections of listeners with a TLS handshake timeout that are past it.
  void CloseOverdueHandshakes();
  // Returns the time it read (uv_hrtime), which the rest of the prepare hook reuses.
  uint64_t MeasureIteration();
  void FlushPending();
  void BeginShutdown();

  engine::Store& store_;
  ServerOptions options_;
  uv_loop_t loop_{};
  uv_prepare_t prepare_{};
  uv_idle_t idle_{};
  uv_timer_t engine_timer_{};
  uv_timer_t front_timer_{};
  uv_timer_t wake_timer_{};  // a front's next deadline (a blocked command's timeout)
  uv_signal_t sigint_{};
  uv_signal_t sigterm_{};
  uv_signal_t sigusr1_{};
  uv_signal_t sighup_{};
  std::vector<std::function<void()>> reload_hooks_;
  uint64_t handshake_sweep_ticks_ = 0;
  uv_async_t stop_async_{};
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::vector<translate::Front*> fronts_;
  std::vector<Connection*> pending_flush_;
  std::vector<Connection*> gated_;
  OutputGate gate_;
  std::function<void()> end_of_pass_;
  std::function<void()> busy_hook_;
  bool release_pending_ = false;  // a batch finished while serving during a busy script
  bool serving_while_busy_ = false;
  uint64_t reads_ = 0;
  Connection* connections_ = nullptr;  // intrusive list head
  size_t connection_count_ = 0;
  uint64_t last_connection_id_ = 0;
  translate::LoopStats loop_stats_;
  translate::LiveLimits live_limits_;  // max_clients starts as options_.max_clients
  LoopClock* clock_ = nullptr;
  CpuStats cpu_stats_;
  uint64_t last_prepare_cpu_ns_ = 0;
  uint64_t last_prepare_ns_ = 0;
  uint64_t last_idle_ns_ = 0;
  BusyPoll busy_poll_;
  bool idle_active_ = false;
  bool store_tick_paused_ = false;
  bool shutting_down_ = false;
  std::atomic<bool> stop_handle_open_{true};  // RequestStop is a no-op once the loop has ended
};

}  // namespace kvgate::gateway
