// File: translate/redis/client_pause.h
// CLIENT PAUSE timeout [WRITE|ALL] as redis-server 7.0 keeps it: one pause in force at a time
// (a new pause never weakens it: the stricter mode and the later end win), ended by its
// timeout or CLIENT UNPAUSE. A command the pause covers is postponed (session_pending.cc): its
// client holds it and the rest of its pipeline, and runs it when the pause ends, in the order
// clients were postponed. WRITE covers commands that write or may replicate (PUBLISH, EXEC of a
// transaction that queued one); ALL covers every command, CLIENT UNPAUSE included.
//
//   pause.Start(PauseMode::kWrite, now + 1000);
//   if (pause.Covers(spec_writes)) { pause.Postpone(client_id); ... }
//   if (pause.Due(now)) pause.End();           // the front then releases TakeReleased()
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace kvgate::redis {

enum class PauseMode : uint8_t { kNone, kWrite, kAll };  // ordered by strictness

class ClientPause {
 public:
  void Start(PauseMode mode, int64_t end_ms) {
    mode_ = std::max(mode_, mode);
    end_ms_ = std::max(end_ms_, end_ms);
  }
  // Ends the pause; every postponed client is released.
  void End() {
    mode_ = PauseMode::kNone;
    end_ms_ = 0;
    released_.insert(released_.end(), postponed_.begin(), postponed_.end());
    postponed_.clear();
  }
  bool active() const {
    return mode_ != PauseMode::kNone;
  }
  PauseMode mode() const {
    return mode_;
  }
  // The pause ends once its end has passed (Redis: end < now).
  bool Due(int64_t now_ms) const {
    return active() && end_ms_ < now_ms;
  }
  int64_t end_ms() const {
    return end_ms_;
  }
  // Would a command be postponed now? `writes`: it writes or may replicate.
  bool Covers(bool writes) const {
    return mode_ == PauseMode::kAll || (mode_ == PauseMode::kWrite && writes);
  }
  void Postpone(uint64_t client_id) {
    postponed_.push_back(client_id);
  }
  bool has_released() const {
    return !released_.empty();
  }
  // Released clients in the order they were postponed (ids of clients gone since are skipped
  // by the caller).
  std::vector<uint64_t> TakeReleased() {
    std::vector<uint64_t> out;
    out.swap(released_);
    return out;
  }

 private:
  PauseMode mode_ = PauseMode::kNone;
  int64_t end_ms_ = 0;
  std::vector<uint64_t> postponed_;
  std::vector<uint64_t> released_;
};

}  // namespace kvgate::redis
