// File: translate/nats/nats_front.h
// The NATS front: makes NatsSessions and owns what they share: the subscription index, the
// message router (client pub/sub, request/reply, no-responders) and the JetStream layer
// ($JS.API requests, $KV publishes, push consumers) over the store (engine/store.h).
//
//   NatsFront front(store, NatsConfig{});   // store: engine::LocalStore or another backend
//   std::unique_ptr<Session> s = front.NewSession(transport);   // gateway, per connection
//   front.RunPending(); front.Tick();                            // gateway loop hooks
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/store.h"
#include "protocols/nats/parser.h"
#include "translate/background_work.h"
#include "translate/front.h"
#include "translate/nats/nats_config.h"
#include "translate/nats/sublist.h"

namespace kvgate::nats {

class NatsSession;
class JetStream;

struct RouteResult {
  size_t delivered = 0;    // messages written to subscribers
  size_t max_pending = 0;  // largest queued output among the receiving connections
};

class NatsFront final : public translate::Front {
 public:
  NatsFront(engine::Store& store, NatsConfig config);
  ~NatsFront() override;
  NatsFront(const NatsFront&) = delete;
  NatsFront& operator=(const NatsFront&) = delete;

  // translate::Front
  std::unique_ptr<translate::Session> NewSession(translate::Transport& transport) override;
  void RunPending() override;
  bool HasPending() const override;
  void Tick() override;
  // nats-server's text for a connection over max_connections.
  std::string_view MaxClientsReply() const override {
    return "-ERR 'maximum connections exceeded'\r\n";
  }

  // ---- for sessions and the JetStream layer ----
  const NatsConfig& config() const {
    return config_;
  }
  engine::Store& store() {
    return store_;
  }
  Sublist& sublist() {
    return sublist_;
  }
  JetStream& jetstream() {
    return *jetstream_;
  }
  int64_t NowMs() const;

  // A client publish: served by JetStream ($JS.API.*, $KV.<bucket>.*) and/or delivered to
  // subscribers; a request nobody serves gets the no-responders status.
  void Publish(NatsSession* origin, const natswire::PubFrame& frame);
  // Delivers to the subscribers of `match_subject` (one member per queue group), writing
  // `msg_subject` in the MSG line (consumers deliver stream subjects to deliver subjects).
  // `origin` (may be null) is skipped when it disabled echo.
  RouteResult Route(NatsSession* origin, std::string_view match_subject,
                    std::string_view msg_subject, std::string_view reply, std::string_view headers,
                    std::string_view payload);
  // Internal reply (JetStream responses): Route to `subject` from no client.
  void Reply(std::string_view subject, std::string_view headers, std::string_view payload) {
    Route(nullptr, subject, subject, {}, headers, payload);
  }
  bool HasInterest(std::string_view subject) const {
    return sublist_.HasInterest(subject);
  }
  // Changes whenever any subscription is added or removed (HasInterest answers can be cached).
  uint64_t interest_generation() const {
    return sublist_.generation();
  }
  // Largest queued output among the connections subscribed to `subject` (consumer pacing).
  size_t MaxPendingFor(std::string_view subject);

  // Session bookkeeping.
  void OnSessionClosed(NatsSession* session);
  // A subscription was added / a client drained its output: consumers may resume.
  void OnInterestAdded(std::string_view subject);
  void OnSessionDrained(NatsSession* session);
  // Cut the session off after the current dispatch (never synchronously: its subscriptions
  // may be in a result being iterated).
  void Doom(NatsSession* session);
  // INFO payload for a new connection (`nonce` empty: none).
  std::string InfoJson(uint64_t client_id, std::string_view peer_address,
                       std::string_view nonce) const;

  // ---- authorization ----
  // Clients must authenticate (the hook protected mode asks: is any NATS auth configured?).
  bool auth_required() const {
    return config_.auth.enabled();
  }
  // nkey users exist: INFO carries a nonce for the client to sign.
  bool nonce_required() const {
    return nonce_required_;
  }
  // Pool for bcrypt checks (may stay null: they then run inline, on the loop thread).
  void AttachBackgroundWork(translate::BackgroundWork* work) {
    background_work_ = work;
  }
  // Compares `given` with the stored bcrypt hash off the loop thread; the session with
  // `client_id` (if still open) gets NatsSession::FinishConnect from RunPending.
  void CheckPasswordLater(uint64_t client_id, std::string_view stored, std::string_view given);
  // Sessions that have not sent CONNECT yet (auth timeout), checked on every Tick.
  void AwaitAuth(NatsSession* session, bool waiting);

 private:
  void CloseDoomed();

  engine::Store& store_;
  NatsConfig config_;
  Sublist sublist_;
  std::unique_ptr<JetStream> jetstream_;
  std::unordered_map<uint64_t, NatsSession*> sessions_;
  std::unordered_map<uint64_t, NatsSession*> awaiting_auth_;
  // Answers of CheckPasswordLater: (client id, matched), delivered by RunPending.
  std::vector<std::pair<uint64_t, bool>> auth_answers_;
  translate::BackgroundWork* background_work_ = nullptr;
  bool nonce_required_ = false;
  std::vector<NatsSession*> doomed_;
  uint64_t next_client_id_ = 1;
  uint64_t rng_state_;
  int64_t last_session_tick_ms_ = 0;
  // Match results, one per nesting depth of Route (a delivery never re-enters, but JetStream
  // replies are routed from inside Publish).
  std::vector<std::unique_ptr<SublistResult>> result_pool_;
  size_t route_depth_ = 0;
};

}  // namespace kvgate::nats
