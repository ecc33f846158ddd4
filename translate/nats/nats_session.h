// File: translate/nats/nats_session.h
// One NATS client connection: INFO on open, CONNECT options, PING/PONG, PUB/HPUB handed to the
// front's router, SUB/UNSUB in the front's sublist, MSG/HMSG delivery with auto-unsubscribe,
// server PINGs and the slow-consumer cut-off. Authorization (CONNECT credentials, the auth
// timeout, per-user publish/subscribe permissions) is in nats_session_auth.cc; without a user
// that has permissions it costs one pointer test per PUB/SUB and one flag test per delivery.
//
//   auto session = front.NewSession(transport);   // gateway, on accept
//   session->OnOpen();                            // INFO {...}
//   session->OnBytes(in);                         // CONNECT/PUB/SUB... -> replies in transport.Out()
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "protocols/json.h"
#include "protocols/nats/parser.h"
#include "translate/nats/nats_auth_config.h"
#include "translate/nats/sublist.h"
#include "translate/session.h"

namespace kvgate::nats {

class NatsFront;

class NatsSession final : public translate::Session, public natswire::ParserSink {
 public:
  NatsSession(NatsFront& front, translate::Transport& transport, uint64_t client_id);
  ~NatsSession() override;

  // translate::Session
  void OnOpen() override;
  void OnBytes(protocols::InBuffer& in) override;
  uint64_t requests() const override {
    return requests_;
  }
  void OnDrained() override;
  void OnClose() override;
  // A CONNECT waits for its bcrypt check: later input waits behind it.
  bool InputHeld() const override {
    return auth_state_ == AuthState::kChecking;
  }

  // ParserSink
  bool OnConnect(std::string_view json) override;
  bool OnPub(const natswire::PubFrame& frame) override;
  bool OnSub(std::string_view subject, std::string_view queue, std::string_view sid) override;
  bool OnUnsub(std::string_view sid, uint64_t max_msgs) override;
  bool OnPing() override;
  bool OnPong() override;
  void OnError(natswire::ParseError error) override;

  // ---- used by the front ----
  // Writes one MSG/HMSG for `sub` (headers are dropped for clients without header support)
  // and counts it toward the subscription's max; the subscription is removed (and `sub`
  // freed) when it reaches the max. Flags a slow consumer past max_pending_bytes.
  void Deliver(Subscription* sub, std::string_view subject, std::string_view reply,
               std::string_view headers, std::string_view payload);
  // `HMSG <reply> <sid> 16 16\r\nNATS/1.0 503\r\n\r\n` to this client's first subscription
  // matching `reply`, if any (nats-server's no-responders status).
  void SendNoResponders(std::string_view reply);
  // Server PING cadence and stale-connection detection.
  void Tick(int64_t now_ms);
  // Closes the connection with 'Authentication Timeout' once no CONNECT came in time.
  void CheckAuthTimeout(int64_t now_ms);
  // The answer of a password check the front ran off the loop thread.
  void FinishConnect(bool password_ok);
  // The user's permissions need a look at each message delivered (a wildcard subscription
  // wider than a subscribe deny entry, or allow_responses bookkeeping).
  bool delivery_checks() const {
    return delivery_checks_;
  }
  // False if a message on `subject` must not reach this client; notes `reply` for
  // allow_responses.
  bool AdmitDelivery(std::string_view subject, std::string_view reply);

  bool headers_enabled() const {
    return headers_;
  }
  bool no_responders() const {
    return no_responders_;
  }
  bool echo() const {
    return echo_;
  }
  // Being cut off (slow consumer / protocol error): receives nothing more.
  bool closing() const {
    return closing_;
  }
  uint64_t client_id() const {
    return client_id_;
  }
  translate::Transport& transport() {
    return transport_;
  }
  size_t subscription_count() const {
    return subs_.size();
  }

 private:
  void RemoveSubscription(const std::string& sid);
  // Protocol error: -ERR, then close once it is flushed.
  void FailWith(std::string_view error_text);
  // -ERR 'Authorization Violation', then close (nats-server's authViolation).
  void AuthViolation();
  // Decides who the CONNECT (options in `connect`) is; false when Feed must stop (violation,
  // or a bcrypt check that answers later).
  bool Authenticate(const protocols::JsonValue& connect);
  // The rest of CONNECT once the client is known: permissions, protocol checks, +OK.
  bool CompleteConnect(const NatsUser* user);
  // Permission checks (perms_ set); a refused SUB has had its -ERR written.
  bool PublishPermitted(std::string_view subject);
  bool SubscribePermitted(std::string_view subject, std::string_view queue);

  enum class AuthState : uint8_t {
    kOpen,      // no auth configured, or authenticated
    kAwaiting,  // auth required, no CONNECT yet
    kChecking,  // CONNECT received, its password is being checked off the loop thread
  };
  // Sent to the client (nonce) and compared (signature); empty without nkey users.
  std::string nonce_;
  AuthState auth_state_ = AuthState::kOpen;
  int64_t auth_deadline_ms_ = 0;
  // The CONNECT options applied once the password check answers.
  int64_t connect_protocol_ = 0;
  const NatsUser* pending_user_ = nullptr;
  bool account_requested_ = false;
  std::string
      claimed_identity_;  // the CONNECT's user or nkey, for the log line of a failure  // CONNECT named an account: refused, as nats-server
  // The authenticated user's permissions; null: everything allowed (the fast path).
  std::shared_ptr<const NatsPermissions> perms_;
  bool delivery_checks_ = false;
  bool delivery_deny_filter_ = false;
  // allow_responses: reply subjects received, each with when and how many responses went out.
  struct ResponseGrant {
    int64_t at_ms = 0;
    int64_t sent = 0;
  };
  std::unordered_map<std::string, ResponseGrant> response_grants_;

  NatsFront& front_;
  translate::Transport& transport_;
  natswire::Parser parser_;
  const uint64_t client_id_;
  std::unordered_map<std::string, std::unique_ptr<Subscription>> subs_;

  bool verbose_ = false;
  bool pedantic_ = false;
  bool headers_ = false;
  bool no_responders_ = false;
  bool echo_ = true;
  bool closing_ = false;
  bool closed_ = false;

  int64_t last_ping_ms_ = 0;   // when the last server PING went out (or the session opened)
  int64_t last_input_ms_ = 0;  // last bytes from the client
  uint64_t requests_ = 0;      // PUB/HPUB, SUB, UNSUB, PING and PONG operations read
  int pings_out_ = 0;
};

}  // namespace kvgate::nats
