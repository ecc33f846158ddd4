// File: translate/redis/tracking.h
// Client-side caching (Redis 7 tracking.c): which clients cached which keys, BCAST prefix
// subscriptions, and the invalidation messages sent when a key changes. Fed by the engine's
// change stream, so writes from NATS clients, expiry and flushes invalidate too.
//
//   tracking.Enable(session, /*redirect=*/0, kTrackBcast, prefixes);  // CLIENT TRACKING ON BCAST
//   tracking.KeyChanged("user:1", current_session);  // engine change listener
//   tracking.BroadcastPending();                      // before the loop polls (BCAST batches)
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "translate/redis/pubsub.h"

namespace kvgate::redis {

class RedisFront;
class RedisSession;
struct CommandSpec;

// CLIENT TRACKING options (the flags Redis keeps in client->flags).
inline constexpr uint32_t kTrackBcast = 1u << 0;
inline constexpr uint32_t kTrackOptIn = 1u << 1;
inline constexpr uint32_t kTrackOptOut = 1u << 2;
inline constexpr uint32_t kTrackNoLoop = 1u << 3;

// One client's tracking mode; lives in the session, maintained by Tracking.
struct TrackingState {
  bool on = false;
  uint32_t options = 0;          // kTrack* flags
  bool caching = false;          // CLIENT CACHING yes|no given for the next command
  bool broken_redirect = false;  // the redirect target disconnected
  uint64_t redirect = 0;         // client id receiving our invalidations (0: ourselves)
  std::set<std::string, std::less<>> prefixes;  // BCAST prefixes, sorted like Redis's rax
};

class Tracking {
 public:
  explicit Tracking(RedisFront& front) : front_(front) {
  }

  // "" if the prefixes may be added to the client's, else Redis's overlap error text.
  std::string CheckPrefixes(const RedisSession& s,
                            std::span<const std::string_view> prefixes) const;
  // CLIENT TRACKING ON (options already validated).
  void Enable(RedisSession& s, uint64_t redirect, uint32_t options,
              std::span<const std::string_view> prefixes);
  // CLIENT TRACKING OFF, RESET, connection close.
  void Disable(RedisSession& s);

  // After a read-only command of a tracking client (not BCAST): remember its keys.
  void RememberKeys(RedisSession& s, const CommandSpec& spec,
                    std::span<const std::string_view> args);
  // A key's value changed (any writer). `current` is the Redis client running a command, if any.
  void KeyChanged(std::string_view key, RedisSession* current);
  // A flush: every tracking client is told that all keys are invalid (RESP null).
  void InvalidateAll(RedisSession* current);
  // Invalidations owed to the client that was running a command: written after its reply.
  void FlushDeferred();
  bool has_deferred() const {
    return !deferred_.empty();
  }
  // BCAST: one array of changed keys per prefix per client (Redis does it in beforeSleep).
  void BroadcastPending();
  bool has_broadcast_pending() const {
    return bcast_pending_;
  }
  // tracking-table-max-keys: forget (and invalidate) keys while the table is too large.
  void LimitKeys(uint64_t max_keys);

  bool active() const {
    return clients_ > 0 || !keys_.empty();
  }
  uint64_t clients() const {
    return clients_;
  }
  uint64_t total_keys() const {
    return keys_.size();
  }
  uint64_t total_items() const {
    return items_;
  }
  uint64_t total_prefixes() const {
    return prefixes_.size();
  }

 private:
  enum class Payload : uint8_t { kKey, kProto, kNull };
  struct Deferred {
    uint64_t tracker_id;
    Payload payload;
    std::string key;  // the key for kKey
  };
  struct Prefix {
    std::set<uint64_t> clients;
    // Changed keys since the last broadcast -> id of the client that changed it last (0: none).
    std::map<std::string, uint64_t, std::less<>> keys;
  };

  // Redis sendTrackingMessage: resolves REDIRECT, picks push or pub/sub framing.
  void Send(RedisSession& tracker, Payload payload, std::string_view data);
  // Sends now, or defers it when it would land inside the running command's reply.
  void SendOrDefer(RedisSession& tracker, Payload payload, std::string_view key,
                   RedisSession* current);
  void Invalidate(std::string_view key, RedisSession* current);

  RedisFront& front_;
  // Key -> ids of the clients that may have it cached (Redis TrackingTable).
  std::unordered_map<std::string, std::vector<uint64_t>, StringHash, std::equal_to<>> keys_;
  uint64_t items_ = 0;
  std::map<std::string, Prefix, std::less<>> prefixes_;
  bool bcast_pending_ = false;
  std::vector<Deferred> deferred_;
  uint64_t clients_ = 0;
  unsigned limit_rounds_ = 0;
};

}  // namespace kvgate::redis

namespace kvgate::redis {

struct CommandContext;

// CLIENT TRACKING / CACHING / GETREDIR / TRACKINGINFO (client_tracking_cmds.cc), registered in
// the CLIENT container's table (client_cmds.cc).
void ClientTrackingCmd(CommandContext& ctx);
void ClientCachingCmd(CommandContext& ctx);
void ClientGetRedirCmd(CommandContext& ctx);
void ClientTrackingInfoCmd(CommandContext& ctx);

}  // namespace kvgate::redis
