#include "gateway/server.h"

#include <sys/socket.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <exception>

#include "gateway/connection.h"
#include "gateway/log.h"
#include "gateway/tls_context.h"

namespace kvgate::gateway {

Listener::Listener(Server& server, translate::Front& front) : server_(server), front_(front) {
  handle_.data = this;
}

Server::Server(engine::Store& store, const ServerOptions& options)
    : store_(store),
      options_(options),
      busy_poll_({.window_us = options.busy_poll_us,
                  .max_connections = options.busy_poll_max_connections,
                  .yields_to_contention = options.busy_poll_yields_to_contention},
                 &loop_stats_.busy_poll_standdowns) {
  live_limits_.max_clients = options.max_clients;
  uv_loop_init(&loop_);
  loop_.data = this;
  // Lets MeasureIteration subtract the time spent waiting in poll from each iteration.
  uv_loop_configure(&loop_, UV_METRICS_IDLE_TIME);
  uv_prepare_init(&loop_, &prepare_);
  prepare_.data = this;
  uv_prepare_start(&prepare_, OnPrepare);
  uv_idle_init(&loop_, &idle_);
  idle_.data = this;
  uv_timer_init(&loop_, &engine_timer_);
  engine_timer_.data = this;
  uv_timer_init(&loop_, &front_timer_);
  front_timer_.data = this;
  uv_timer_init(&loop_, &wake_timer_);
  wake_timer_.data = this;
  uv_async_init(&loop_, &stop_async_, OnStopAsync);
  stop_async_.data = this;
  uv_signal_init(&loop_, &sigint_);
  sigint_.data = this;
  uv_signal_init(&loop_, &sigterm_);
  sigterm_.data = this;
  uv_signal_init(&loop_, &sigusr1_);
  sigusr1_.data = this;
  uv_signal_init(&loop_, &sighup_);
  sighup_.data = this;
}

Server::~Server() {
  // Run() closes every handle before returning; a Server that never ran closes them here. The
  // run also completes closes requested after Run() (the redo writer's handle).
  if (!shutting_down_) BeginShutdown();
  uv_run(&loop_, UV_RUN_DEFAULT);
  uv_loop_close(&loop_);
}

int Server::Listen(const std::string& host, int port, translate::Front& front, TlsEndpoint* tls) {
  auto listener = std::make_unique<Listener>(*this, front);
  listener->tls_ = tls;
  sockaddr_storage addr{};
  int rc = uv_ip4_addr(host.c_str(), port, reinterpret_cast<sockaddr_in*>(&addr));
  if (rc != 0) rc = uv_ip6_addr(host.c_str(), port, reinterpret_cast<sockaddr_in6*>(&addr));
  if (rc != 0) return rc;
  uv_tcp_init(&loop_, listener->handle());
  rc = uv_tcp_bind(listener->handle(), reinterpret_cast<const sockaddr*>(&addr), 0);
  if (rc == 0) {
    rc = uv_listen(reinterpret_cast<uv_stream_t*>(listener->handle()), 511, OnConnection);
  }
  if (rc != 0) {
    uv_close(reinterpret_cast<uv_handle_t*>(listener->handle()), nullptr);
    uv_run(&loop_, UV_RUN_NOWAIT);  // let the close complete before the Listener is freed
    return rc;
  }
  sockaddr_storage bound{};
  int len = sizeof bound;
  uv_tcp_getsockname(listener->handle(), reinterpret_cast<sockaddr*>(&bound), &len);
  listener->port_ = bound.ss_family == AF_INET6
                        ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                        : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  int bound_port = listener->port_;
  bool known = false;
  for (auto* f : fronts_) known = known || f == &front;
  if (!known) {
    fronts_.push_back(&front);
    front.AttachLoopStats(&loop_stats_);
    front.AttachLiveLimits(&live_limits_);
  }
  listeners_.push_back(std::move(listener));
  return bound_port;
}

bool Server::StopListening(int port) {
  for (auto it = listeners_.begin(); it != listeners_.end(); ++it) {
    if ((*it)->port_ != port) continue;
    Listener* l = it->release();
    listeners_.erase(it);
    // Connections keep no reference to their listener: it goes once libuv is done with it.
    uv_close(reinterpret_cast<uv_handle_t*>(l->handle()),
             [](uv_handle_t* h) { delete static_cast<Listener*>(h->data); });
    return true;
  }
  return false;
}

int Server::Run() {
  if (options_.handle_signals) {
    uv_signal_start(&sigint_, OnSignal, SIGINT);
    uv_signal_start(&sigterm_, OnSignal, SIGTERM);
    uv_signal_start(&sigusr1_, OnReportSignal, SIGUSR1);
    uv_signal_start(&sighup_, OnReloadSignal, SIGHUP);
  }
  uv_timer_start(&engine_timer_, OnEngineTimer, options_.engine_tick_ms, options_.engine_tick_ms);
  uv_timer_start(&front_timer_, OnFrontTimer, options_.front_tick_ms, options_.front_tick_ms);
  uv_run(&loop_, UV_RUN_DEFAULT);
  stop_handle_open_.store(false);
  return 0;
}

void Server::RequestStop() {
  if (stop_handle_open_.load()) uv_async_send(&stop_async_);
}

void Server::OnStopAsync(uv_async_t* handle) {
  static_cast<Server*>(handle->data)->InvalidateClock();
  static_cast<Server*>(handle->data)->BeginShutdown();
}

void Server::OnSignal(uv_signal_t* handle, int signum) {
  KVGATE_LOG(kInfo, "signal %d: shutting down", signum);
  static_cast<Server*>(handle->data)->InvalidateClock();
  static_cast<Server*>(handle->data)->BeginShutdown();
}

void Server::OnReportSignal(uv_signal_t* handle, int /*signum*/) {
  // Benchmarks bracket a step with SIGUSR1: the line covers the loop since the previous report.
  auto* self = static_cast<Server*>(handle->data);
  KVGATE_LOG(kInfo, "loop stats: %s", self->LoopStatsText().c_str());
  self->loop_stats_.Reset();
  self->cpu_stats_ = CpuStats{};
}

void Server::OnReloadSignal(uv_signal_t* handle, int /*signum*/) {
  auto* self = static_cast<Server*>(handle->data);
  self->InvalidateClock();
  KVGATE_LOG(kInfo, "SIGHUP: reloading");
  try {
    for (auto& hook : self->reload_hooks_) hook();
  } catch (const std::exception& e) {
    KVGATE_LOG(kError, "reload: %s", e.what());
  }
}

std::string Server::LoopStatsText() const {
  char buf[256];
  int n = std::snprintf(buf, sizeof buf, "iterations=%llu max_busy_us=%llu busy_over_10ms=%llu",
                        static_cast<unsigned long long>(loop_stats_.iterations),
                        static_cast<unsigned long long>(loop_stats_.max_busy_us),
                        static_cast<unsigned long long>(loop_stats_.busy_over_10ms));
  if (options_.loop_cpu_stats && n > 0 && static_cast<size_t>(n) < sizeof buf) {
    std::snprintf(buf + n, sizeof buf - static_cast<size_t>(n),
                  " max_busy_cpu_us=%llu busy_cpu_over_10ms=%llu",
                  static_cast<unsigned long long>(cpu_stats_.max_busy_cpu_us),
                  static_cast<unsigned long long>(cpu_stats_.busy_cpu_over_10ms));
  }
  return buf;
}

void Server::BeginShutdown() {
  if (shutting_down_) return;
  shutting_down_ = true;
  // Close every connection (sessions release their state), then every handle; uv_run returns
  // once nothing is left open.
  while (connections_ != nullptr) connections_->CloseNow();
  for (auto& l : listeners_) {
    uv_close(reinterpret_cast<uv_handle_t*>(l->handle()), nullptr);
  }
  for (uv_handle_t* h :
       {reinterpret_cast<uv_handle_t*>(&prepare_), reinterpret_cast<uv_handle_t*>(&idle_),
        reinterpret_cast<uv_handle_t*>(&engine_timer_),
        reinterpret_cast<uv_handle_t*>(&front_timer_), reinterpret_cast<uv_handle_t*>(&wake_timer_),
        reinterpret_cast<uv_handle_t*>(&sigint_), reinterpret_cast<uv_handle_t*>(&sigterm_),
        reinterpret_cast<uv_handle_t*>(&sigusr1_), reinterpret_cast<uv_handle_t*>(&sighup_),
        reinterpret_cast<uv_handle_t*>(&stop_async_)}) {
    if (!uv_is_closing(h)) uv_close(h, nullptr);
  }
}

void Server::OnConnection(uv_stream_t* server_handle, int status) {
  auto* listener = static_cast<Listener*>(server_handle->data);
  if (status < 0) {
    KVGATE_LOG(kWarning, "accept: %s", uv_strerror(status));
    return;
  }
  listener->server_.InvalidateClock();
  listener->server_.NoteIo();
  try {
    listener->server_.AcceptOne(*listener);
  } catch (const std::exception& e) {
    KVGATE_LOG(kError, "accept: %s", e.what());
  }
}

void Server::AcceptOne(Listener& listener) {
  if (shutting_down_) return;
  Connection::Accept(*this, listener);
}

void Server::CloseOverdueHandshakes() {
  bool any = false;
  for (auto& l : listeners_) any = any || (l->tls_ != nullptr && l->tls_->handshake_timeout_ms());
  // A sweep every ~0.5 s is precise enough for timeouts of seconds.
  if (!any || ++handshake_sweep_ticks_ % 10 != 0) return;
  const uint64_t now = uv_hrtime();
  for (Connection* c = connections_; c != nullptr;) {
    Connection* next = c->next;  // closing unlinks c
    if (c->TlsHandshakeOverdue(now)) c->CloseOverdueHandshake();
    c = next;
  }
}

void Server::Register(Connection* c) {
  c->prev = nullptr;
  c->next = connections_;
  if (connections_) connections_->prev = c;
  connections_ = c;
  ++connection_count_;
}

void Server::ServeWhileBusy() {
  if (serving_while_busy_ || shutting_down_) return;
  serving_while_busy_ = true;
  InvalidateClock();
  // New clients too (redis-cli SCRIPT KILL connects afresh); a few per pump.
  constexpr int kAcceptsPerPump = 16;
  for (auto& l : listeners_) {
    uv_os_fd_t lfd;
    if (uv_fileno(reinterpret_cast<uv_handle_t*>(l->handle()), &lfd) != 0) continue;
    for (int i = 0; i < kAcceptsPerPump; ++i) {
      const int fd = ::accept4(lfd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) break;
      Connection::Adopt(*this, *l, fd);
    }
  }
  if (busy_hook_) busy_hook_();
  // What was produced before the script and by it (its keyspace events, its PUBLISHes) waits
  // for the batch that will hold the script's changes, logged whole when the script is over.
  MarkHeldOutput();
  for (Connection* c = connections_; c != nullptr;) {
    Connection* next = c->next;  // a connection that closes unlinks itself (freed later)
    c->PumpWhileBusy();
    c = next;
  }
  serving_while_busy_ = false;
}

void Server::Unregister(Connection* c) {
  if (c->prev) c->prev->next = c->next;
  if (c->next) c->next->prev = c->prev;
  if (connections_ == c) connections_ = c->next;
  c->prev = c->next = nullptr;
  --connection_count_;
  if (c->flush_scheduled) {
    for (auto& p : pending_flush_) {
      if (p == c) p = nullptr;
    }
    c->flush_scheduled = false;
  }
  if (c->gate_listed) {
    for (auto& p : gated_) {
      if (p == c) p = nullptr;
    }
    c->gate_listed = false;
  }
}

void Server::ScheduleFlush(Connection* c) {
  if (c->flush_scheduled) return;
  c->flush_scheduled = true;
  pending_flush_.push_back(c);
}

void Server::MarkHeldOutput() {
  if (gate_.open()) return;
  // Output so far may reveal changes not yet durable: it waits for the batch covering them.
  const uint64_t seq = gate_.covering();
  for (Connection* c : pending_flush_) {
    if (c != nullptr) c->MarkOutput(seq);
  }
  for (Connection* c : gated_) {
    if (c != nullptr) c->MarkOutput(seq);
  }
}

void Server::NoteGated(Connection* c) {
  if (c->gate_listed) return;
  c->gate_listed = true;
  gated_.push_back(c);
}

void Server::ReleaseGated() {
  if (serving_while_busy_) {
    // Inside a busy script: the pumps write what may go; the rest waits for the loop.
    release_pending_ = true;
    return;
  }
  release_pending_ = false;
  InvalidateClock();
  std::vector<Connection*> batch;
  batch.swap(gated_);
  for (Connection* c : batch) {
    if (c != nullptr) c->gate_listed = false;
  }
  // Flush lists a connection again if part of its output still waits.
  for (Connection* c : batch) {
    if (c != nullptr) c->Flush();
  }
  FlushPending();
}

uint64_t Server::MeasureIteration() {
  // Busy time of the iteration that just ended = wall time since the previous prepare minus the
  // time the loop sat idle in poll (libuv's idle-time metric).
  uint64_t now = uv_hrtime();
  uint64_t idle = uv_metrics_idle_time(&loop_);
  if (last_prepare_ns_ != 0) {
    uint64_t wall = now - last_prepare_ns_;
    uint64_t idle_delta = idle - last_idle_ns_;
    uint64_t busy_us = (wall > idle_delta ? wall - idle_delta : 0) / 1000;
    ++loop_stats_.iterations;
    loop_stats_.total_busy_us += busy_us;
    if (busy_us > loop_stats_.max_busy_us) loop_stats_.max_busy_us = busy_us;
    if (busy_us > 10'000) {
      ++loop_stats_.busy_over_10ms;
      KVGATE_LOG(kDebug, "loop iteration busy for %llu us",
                 static_cast<unsigned long long>(busy_us));
    }
  }
  last_prepare_ns_ = now;
  last_idle_ns_ = idle;
  if (options_.loop_cpu_stats) {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    uint64_t cpu = static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
    if (last_prepare_cpu_ns_ != 0) {
      uint64_t busy_us = (cpu - last_prepare_cpu_ns_) / 1000;
      cpu_stats_.max_busy_cpu_us = std::max(cpu_stats_.max_busy_cpu_us, busy_us);
      if (busy_us > 10'000) ++cpu_stats_.busy_cpu_over_10ms;
    }
    last_prepare_cpu_ns_ = cpu;
  }
  return now;
}

void Server::OnPrepare(uv_prepare_t* handle) {
  auto* self = static_cast<Server*>(handle->data);
  const uint64_t now_ns = self->MeasureIteration();
  self->InvalidateClock();
  try {
    for (auto* f : self->fronts_) f->RunPending();
    if (self->end_of_pass_) self->end_of_pass_();
    if (self->release_pending_) self->ReleaseGated();
    self->MarkHeldOutput();
    self->FlushPending();
  } catch (const std::exception& e) {
    KVGATE_LOG(kError, "prepare: %s", e.what());
  }
  // Work left over (a front delivering in bounded batches): do not let the poll block.
  bool more = false;
  for (auto* f : self->fronts_) more = more || f->HasPending();
  // No spinning while a redo batch is on the I/O thread: on a small machine the spin would
  // take the core that thread needs to finish the write the replies wait for.
  const bool log_busy = self->gate_.submitted > self->gate_.durable;
  more = more || (!log_busy && self->busy_poll_.ShouldSpin(self->connection_count_, now_ns));
  self->busy_poll_.EndIteration();
  if (more && !self->idle_active_ && !self->shutting_down_) {
    uv_idle_start(&self->idle_, OnIdle);
    self->idle_active_ = true;
  } else if (!more && self->idle_active_) {
    uv_idle_stop(&self->idle_);
    self->idle_active_ = false;
  }
  if (!more && !self->shutting_down_) self->ArmWakeTimer();
}

void Server::ArmWakeTimer() {
  int64_t next = -1;
  for (auto* f : fronts_) {
    const int64_t ms = f->MsUntilNextWake();
    if (ms >= 0 && (next < 0 || ms < next)) next = ms;
  }
  if (next < 0) {
    if (uv_is_active(reinterpret_cast<uv_handle_t*>(&wake_timer_))) uv_timer_stop(&wake_timer_);
    return;
  }
  // The callback has nothing to do: waking the loop runs the prepare hook, hence RunPending.
  uv_timer_start(
      &wake_timer_, [](uv_timer_t*) {}, static_cast<uint64_t>(next), 0);
}

void Server::OnIdle(uv_idle_t* /*handle*/) {
  // Present only to keep uv_run from blocking while fronts have pending work.
}

void Server::FlushPending() {
  // Flushing may schedule more flushes (a session reacting to OnDrained); loop until quiet.
  while (!pending_flush_.empty()) {
    std::vector<Connection*> batch;
    batch.swap(pending_flush_);
    for (Connection* c : batch) {
      if (c != nullptr) c->Flush();
    }
  }
}

void Server::OnEngineTimer(uv_timer_t* handle) {
  auto* self = static_cast<Server*>(handle->data);
  self->InvalidateClock();
  try {
    // Bounded work per call; if more is due, keep going on the next iterations via a 1 ms timer
    // rather than looping here, so I/O is never starved.
    if (self->store_tick_paused_) return;
    bool more = self->store_.Tick();
    if (more) {
      uv_timer_start(&self->engine_timer_, OnEngineTimer, 1, self->options_.engine_tick_ms);
    }
  } catch (const std::exception& e) {
    KVGATE_LOG(kError, "store tick: %s", e.what());
  }
}

void Server::OnFrontTimer(uv_timer_t* handle) {
  auto* self = static_cast<Server*>(handle->data);
  self->InvalidateClock();
  try {
    for (auto* f : self->fronts_) f->Tick();
    self->CloseOverdueHandshakes();
  } catch (const std::exception& e) {
    KVGATE_LOG(kError, "tick: %s", e.what());
  }
}

}  // namespace kvgate::gateway
