// NatsSession's authorization half: CONNECT credentials, the auth timeout, and the per-user
// publish/subscribe permission checks (translate/nats/nats_permissions.h), as nats-server.
#include "protocols/nats/writer.h"
#include "translate/nats/nats_authenticator.h"
#include "translate/nats/nats_front.h"
#include "translate/nats/nats_permissions.h"
#include "translate/nats/nats_session.h"

namespace kvgate::nats {
namespace {

// nats-server's replyPermLimit: past this many remembered reply subjects, prune.
constexpr size_t kMaxResponseGrants = 4096;

std::string StringField(const protocols::JsonValue& v, std::string_view key) {
  std::string out;
  (void)protocols::GetString(v, key, &out);
  return out;
}

}  // namespace

void NatsSession::AuthViolation() {
  front_.AwaitAuth(this, false);
  if (const auto& log = front_.config().log_auth_error) {
    // nats-server's wording: "<addr> - cid:N - authentication error - User \"u\"".
    const NatsAuthConfig& auth = front_.config().auth;
    std::string line = transport_.PeerAddress() + " - cid:" + std::to_string(client_id_) +
                       " - authentication error";
    if (auth.has_nkey_users()) {
      line += " - Nkey " + GoQuote(claimed_identity_);
    } else if (auth.has_users) {
      line += " - User " + GoQuote(claimed_identity_);
    }
    log(line);
  }
  FailWith("Authorization Violation");
}

bool NatsSession::Authenticate(const protocols::JsonValue& connect) {
  // Any CONNECT stops the auth timer (nats-server clears it before checking).
  front_.AwaitAuth(this, false);
  std::string account;
  bool new_account = false;
  (void)protocols::GetString(connect, "account", &account);
  (void)protocols::GetBool(connect, "new_account", &new_account);
  account_requested_ = !account.empty() || new_account;
  if (!front_.auth_required()) return CompleteConnect(nullptr);

  ConnectCredentials creds;
  creds.user = StringField(connect, "user");
  creds.pass = StringField(connect, "pass");
  creds.auth_token = StringField(connect, "auth_token");
  creds.nkey = StringField(connect, "nkey");
  creds.sig = StringField(connect, "sig");
  claimed_identity_ = front_.config().auth.has_nkey_users() ? creds.nkey : creds.user;
  AuthDecision d = nats::Authenticate(front_.config().auth, creds, nonce_);
  switch (d.kind) {
    case AuthDecision::kDenied:
      AuthViolation();
      return false;
    case AuthDecision::kGranted:
      return CompleteConnect(d.user);
    case AuthDecision::kComparePassword:
      if (IsBcrypt(d.stored)) {
        // Tens of milliseconds: checked on the pool; later input waits (InputHeld).
        auth_state_ = AuthState::kChecking;
        pending_user_ = d.user;
        front_.CheckPasswordLater(client_id_, d.stored, d.given);
        return false;
      }
      if (!SecretsEqual(d.stored, d.given)) {
        AuthViolation();
        return false;
      }
      return CompleteConnect(d.user);
  }
  return false;
}

void NatsSession::FinishConnect(bool password_ok) {
  if (auth_state_ != AuthState::kChecking || closing_) return;
  if (!password_ok) {
    AuthViolation();
  } else if (CompleteConnect(pending_user_)) {
    transport_.ResumeInput();
  }
  pending_user_ = nullptr;
  transport_.ScheduleFlush();
}

bool NatsSession::CompleteConnect(const NatsUser* user) {
  auth_state_ = AuthState::kOpen;
  if (account_requested_) {
    AuthViolation();
    return false;
  }
  perms_ = user != nullptr ? user->permissions : nullptr;
  delivery_checks_ = perms_ != nullptr && perms_->responses.has_value();
  delivery_deny_filter_ = false;
  response_grants_.clear();
  if (connect_protocol_ < 0 || connect_protocol_ > 1) {
    FailWith("invalid client protocol");
    return false;
  }
  if (no_responders_ && !headers_) {
    FailWith("no responders requires headers support");
    return false;
  }
  if (verbose_) natswire::WriteOk(transport_.Out());
  return true;
}

void NatsSession::CheckAuthTimeout(int64_t now_ms) {
  if (auth_state_ != AuthState::kAwaiting || closing_ || now_ms < auth_deadline_ms_) return;
  front_.AwaitAuth(this, false);
  FailWith("Authentication Timeout");
}

bool NatsSession::PublishPermitted(std::string_view subject) {
  if (PublishAllowed(*perms_, subject)) return true;
  if (!perms_->responses) return false;
  // allow_responses: a reply subject of a message this client received.
  auto it = response_grants_.find(std::string(subject));
  if (it == response_grants_.end()) return false;
  const ResponsePermission& rp = *perms_->responses;
  ResponseGrant& g = it->second;
  ++g.sent;
  if ((rp.max_msgs > 0 && g.sent > rp.max_msgs) ||
      (rp.expires_ms > 0 && front_.NowMs() - g.at_ms > rp.expires_ms)) {
    response_grants_.erase(it);
    return false;
  }
  return true;
}

bool NatsSession::SubscribePermitted(std::string_view subject, std::string_view queue) {
  if (queue == kSystemQueueGroup ||
      (perms_ != nullptr && !SubscribeAllowed(*perms_, subject, queue))) {
    natswire::WriteErr(transport_.Out(), SubscribeViolationText(subject, queue));
    return false;
  }
  if (perms_ != nullptr && !delivery_deny_filter_ && NeedsDeliveryFilter(*perms_, subject)) {
    delivery_deny_filter_ = true;
    delivery_checks_ = true;
  }
  return true;
}

bool NatsSession::AdmitDelivery(std::string_view subject, std::string_view reply) {
  if (delivery_deny_filter_ && DeliveryDenied(*perms_, subject)) return false;
  if (perms_->responses && !reply.empty()) {
    int64_t now = front_.NowMs();
    response_grants_[std::string(reply)] = ResponseGrant{now, 0};
    if (response_grants_.size() > kMaxResponseGrants) {
      const ResponsePermission& rp = *perms_->responses;
      for (auto it = response_grants_.begin(); it != response_grants_.end();) {
        bool spent = (rp.max_msgs > 0 && it->second.sent >= rp.max_msgs) ||
                     (rp.expires_ms > 0 && now - it->second.at_ms > rp.expires_ms);
        it = spent ? response_grants_.erase(it) : std::next(it);
      }
    }
  }
  return true;
}

}  // namespace kvgate::nats
