// File: gateway/server.h
// The libuv process core: owns the loop, listeners, connections, the engine's timers and the
// once-per-iteration flush. One thread; everything it touches is owned by that thread.
//
//   gateway::Server server(store, options);   // store: engine::LocalStore over the engine
//   server.Listen("127.0.0.1", 6379, redis_front, "-ERR max number of clients reached\r\n");
//   server.Run();             // until SIGINT/SIGTERM (if HandleSignals) or RequestStop()
#pragma once

#include <uv.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/store.h"
#include "gateway/loop_clock.h"
#include "translate/session.h"

namespace kvgate::gateway {

class Connection;
class Server;

struct ServerOptions {
  size_t max_clients = 10'000;         // both ports together
  size_t output_high_water = 8 << 20;  // stop reading a client whose output exceeds this
  size_t output_low_water = 1 << 20;   // ...until it drains below this
  uint64_t engine_tick_ms = 100;       // active expiry / compaction sweep period
  uint64_t front_tick_ms = 50;         // heartbeats, consumer GC
  bool handle_signals = true;          // SIGINT/SIGTERM stop, SIGUSR1 logs loop stats
  // Adaptive busy polling (0 = off): while poll results have been arriving less than
  // busy_poll_us apart on average, keep polling without sleeping for up to four average gaps
  // (at most busy_poll_us) after the last one. On a VM, waking a sleeping CPU is paid by the
  // *client*: its send() runs the wake-up and the inter-processor interrupt, ~10% of
  // redis-benchmark's CPU at -P 1 with 50 clients, and that client is the bottleneck. A steady
  // stream keeps the loop awake; idle connections or a trickle let it sleep as before. No spin
  // while the loop thread keeps waiting for a CPU (the CPUs are wanted by clients or others).
  uint64_t busy_poll_us = 200;
  size_t busy_poll_max_connections = 10'000;
  // Stand down while the loop thread keeps waiting for a CPU (off only in tests that need a
  // spin on a machine busy with other tests).
  bool busy_poll_yields_to_contention = true;
  // Also measure each iteration's thread CPU time (one clock_gettime syscall per iteration):
  // on a shared machine the wall-clock busy time includes preemption by other processes.
  bool loop_cpu_stats = false;
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
  // `store` gets Tick() every engine_tick_ms (active expiry; a backend's housekeeping).
  Server(engine::Store& store, const ServerOptions& options);
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
  // The clock the engine reads (optional): invalidated at the start of every loop callback so
  // each callback reads the system clock at most once.
  void AttachClock(LoopClock* clock) {
    clock_ = clock;
  }
  void InvalidateClock() {
    if (clock_ != nullptr) clock_->Invalidate();
  }
  // Called by read/accept callbacks: feeds the busy-poll decision (ServerOptions::busy_poll_us).
  void NoteIo() {
    // Only the first read of a loop iteration counts: the spin decision is about how long the
    // loop waits between poll results, not the spacing of reads handled in one batch.
    if (options_.busy_poll_us == 0 || io_this_iteration_) return;
    io_this_iteration_ = true;
    uint64_t now = uv_hrtime();
    uint64_t gap = now - last_io_ns_;
    // EWMA (1/8) of the gap; capped so one long pause cannot dominate for long.
    gap = std::min<uint64_t>(gap, 8 * options_.busy_poll_us * 1000);
    io_gap_ewma_ns_ = io_gap_ewma_ns_ - io_gap_ewma_ns_ / 8 + gap / 8;
    last_io_ns_ = now;
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

  // Called by connections.
  void ScheduleFlush(Connection* c);
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
  static void OnStopAsync(uv_async_t* handle);
  static void OnIdle(uv_idle_t* handle);

  void AcceptOne(Listener& listener);
  void MeasureIteration();
  void FlushPending();
  void BeginShutdown();

  engine::Store& store_;
  ServerOptions options_;
  uv_loop_t loop_{};
  uv_prepare_t prepare_{};
  uv_idle_t idle_{};
  uv_timer_t engine_timer_{};
  uv_timer_t front_timer_{};
  uv_signal_t sigint_{};
  uv_signal_t sigterm_{};
  uv_signal_t sigusr1_{};
  uv_async_t stop_async_{};
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::vector<translate::Front*> fronts_;
  std::vector<Connection*> pending_flush_;
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
  uint64_t last_io_ns_ = 0;                      // last read/accept callback (busy_poll_us)
  uint64_t io_gap_ewma_ns_ = ~uint64_t{0} >> 8;  // starts "sparse": no spin until reads are close
  bool io_this_iteration_ = false;               // NoteIo has run since the last prepare
  // True while a busy-poll spin is worth it (see ServerOptions::busy_poll_us).
  bool ShouldSpin();
  // Busy polling pays only while this thread has a CPU to itself: when it keeps waiting for one
  // (clients or other programs want the CPUs), a spin takes their time. Sampled per window from
  // the thread's run-queue delay (/proc/thread-self/schedstat).
  void SampleContention(uint64_t now_ns);
  uint64_t contention_window_start_ns_ = 0;
  uint64_t last_run_delay_ns_ = 0;
  int schedstat_fd_ = -2;  // -2: not opened yet; -1: unavailable (never counts as contended)
  uint64_t contended_until_ns_ = 0;      // no spin before this time
  uint64_t last_window_delay_ns_ = 0;    // run-queue wait in the previous window
  uint64_t last_window_elapsed_ns_ = 0;  // and that window's length
  bool idle_active_ = false;
  bool shutting_down_ = false;
  std::atomic<bool> stop_handle_open_{true};  // RequestStop is a no-op once the loop has ended
};

}  // namespace kvgate::gateway
