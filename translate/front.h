// File: translate/front.h
// A protocol front: the SessionFactory the gateway attaches to a listening port. It makes the
// sessions and owns the state they share (subscriptions, watches), runs their deferred work once
// per loop iteration and knows its protocol's wire text for a refused connection.
//
//   RedisFront front(store, RedisConfig{});
//   server.Listen("127.0.0.1", 6379, front);  // the gateway attaches LoopStats and LiveLimits
//   // before each poll: front.RunPending(); every ~50 ms: front.Tick()
#pragma once

#include <cstdint>
#include <string_view>

#include "translate/live_limits.h"
#include "translate/loop_stats.h"
#include "translate/persistence_control.h"
#include "translate/server_control.h"
#include "translate/session.h"

namespace kvgate::translate {

class Front : public SessionFactory {
 public:
  // The gateway's loop statistics (valid for the front's lifetime; nullptr in unit tests).
  virtual void AttachLoopStats(LoopStats* stats) {
    loop_stats_ = stats;
  }
  LoopStats* loop_stats() const {
    return loop_stats_;
  }
  // The gateway's live limits (valid for the front's lifetime; nullptr in unit tests).
  void AttachLiveLimits(LiveLimits* limits) {
    live_limits_ = limits;
  }
  LiveLimits* live_limits() const {
    return live_limits_;
  }
  // The gateway's redo log (valid for the front's lifetime; nullptr without persistence).
  void AttachPersistence(PersistenceControl* control) {
    persistence_ = control;
  }
  PersistenceControl* persistence() const {
    return persistence_;
  }
  // The process (valid for the front's lifetime; nullptr in unit tests).
  void AttachServerControl(ServerControl* control) {
    server_control_ = control;
  }
  ServerControl* server_control() const {
    return server_control_;
  }
  // Bytes written to a client refused because max_clients connections are open, before the
  // gateway closes it (each protocol's own error form); empty: close without a word.
  virtual std::string_view MaxClientsReply() const {
    return {};
  }
  // Called once per loop iteration before the loop polls for I/O: deliver queued async work
  // (watch events, cross-connection messages) into transports' output.
  virtual void RunPending() {
  }
  // True if RunPending has work now (the loop then does not block).
  virtual bool HasPending() const {
    return false;
  }
  // Milliseconds until RunPending has timed work (a blocked command's deadline), so the loop
  // wakes for it; -1: none.
  virtual int64_t MsUntilNextWake() const {
    return -1;
  }
  // Periodic housekeeping (heartbeats, inactivity GC); called every ~50 ms.
  virtual void Tick() {
  }

 private:
  LoopStats* loop_stats_ = nullptr;
  LiveLimits* live_limits_ = nullptr;
  PersistenceControl* persistence_ = nullptr;
  ServerControl* server_control_ = nullptr;
};

}  // namespace kvgate::translate
