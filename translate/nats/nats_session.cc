#include "translate/nats/nats_session.h"

#include "protocols/json.h"
#include "protocols/nats/writer.h"
#include "translate/nats/nats_authenticator.h"
#include "translate/nats/nats_front.h"
#include "translate/nats/nats_permissions.h"
#include "translate/nats/subject.h"
#include "translate/protected_mode.h"

namespace kvgate::nats {

NatsSession::NatsSession(NatsFront& front, translate::Transport& transport, uint64_t client_id)
    : front_(front),
      transport_(transport),
      parser_(natswire::ParserLimits{front.config().max_control_line, front.config().max_payload}),
      client_id_(client_id) {
}

NatsSession::~NatsSession() {
  if (!closed_) OnClose();
}

void NatsSession::OnOpen() {
  int64_t now = front_.NowMs();
  last_ping_ms_ = now;
  last_input_ms_ = now;
  if (front_.auth_required()) {
    auth_state_ = AuthState::kAwaiting;
    auth_deadline_ms_ = now + front_.config().auth.timeout_ms();
    front_.AwaitAuth(this, true);
    if (front_.nonce_required()) nonce_ = MakeNonce();
  }
  natswire::WriteInfo(transport_.Out(),
                      front_.InfoJson(client_id_, transport_.PeerAddress(), nonce_));
  transport_.ScheduleFlush();
  // Protected mode: without authorization only loopback clients are served.
  if (front_.config().protected_mode && !front_.auth_required() &&
      !translate::IsLocalPeer(transport_.PeerAddress())) {
    FailWith("Authorization Violation");
    return;
  }
}

void NatsSession::OnBytes(protocols::InBuffer& in) {
  if (closing_ || closed_) {
    in.Consume(in.size());
    return;
  }
  if (auth_state_ == AuthState::kChecking) return;  // held behind the CONNECT's check
  last_input_ms_ = front_.NowMs();
  // nats-server: before CONNECT, an op that does not start with 'C' is a violation at once.
  if (auth_state_ == AuthState::kAwaiting && parser_.idle() && in.size() > 0 &&
      in.Data()[0] != 'C' && in.Data()[0] != 'c') {
    in.Consume(in.size());
    AuthViolation();
    return;
  }
  size_t used = parser_.Feed(in.Data(), *this);
  in.Consume(used);
}

void NatsSession::OnDrained() {
  front_.OnSessionDrained(this);
}

void NatsSession::OnClose() {
  if (closed_) return;
  closed_ = true;
  closing_ = true;
  for (auto& [sid, sub] : subs_) front_.sublist().Remove(sub.get());
  subs_.clear();
  front_.OnSessionClosed(this);
}

void NatsSession::FailWith(std::string_view error_text) {
  natswire::WriteErr(transport_.Out(), error_text);
  closing_ = true;
  transport_.CloseAfterFlush();
}

bool NatsSession::OnConnect(std::string_view json) {
  protocols::JsonValue v;
  if (!protocols::ParseJson(json, &v) || !v.is_object()) {
    FailWith("Unknown Protocol Operation");
    return false;
  }
  // Absent fields keep Go's zero values, except echo (absent means true).
  bool b = false;
  // Absent fields keep nats-server's defaults: verbose and pedantic on (real clients send both).
  auto flag = [&](std::string_view name) {
    const protocols::JsonGet got = protocols::GetBool(v, name, &b);
    return got == protocols::JsonGet::kMissing || (got == protocols::JsonGet::kOk && b);
  };
  verbose_ = flag("verbose");
  pedantic_ = flag("pedantic");
  headers_ = protocols::GetBool(v, "headers", &b) == protocols::JsonGet::kOk && b;
  no_responders_ = protocols::GetBool(v, "no_responders", &b) == protocols::JsonGet::kOk && b;
  echo_ = !(protocols::GetBool(v, "echo", &b) == protocols::JsonGet::kOk && !b);
  connect_protocol_ = 0;
  (void)protocols::GetInt(v, "protocol", &connect_protocol_);
  return Authenticate(v);
}

bool NatsSession::OnPub(const natswire::PubFrame& frame) {
  ++requests_;
  if (pedantic_ && !IsValidLiteralSubject(frame.subject)) {
    // nats-server reports it but still processes the message.
    natswire::WriteErr(transport_.Out(), "Invalid Publish Subject");
  }
  if (perms_ != nullptr && !PublishPermitted(frame.subject)) {
    natswire::WriteErr(transport_.Out(), PublishViolationText(frame.subject));
    return true;
  }
  if (verbose_) natswire::WriteOk(transport_.Out());
  front_.Publish(this, frame);
  return !closing_;
}

bool NatsSession::OnSub(std::string_view subject, std::string_view queue, std::string_view sid) {
  ++requests_;
  // nats-server reserves the queue group "_sys_" whatever the permissions.
  if ((perms_ != nullptr || queue == kSystemQueueGroup) && !SubscribePermitted(subject, queue)) {
    return true;
  }
  std::string key(sid);
  if (subs_.count(key) != 0) {
    // nats-server keeps the existing subscription for a reused sid.
    if (verbose_) natswire::WriteOk(transport_.Out());
    return true;
  }
  const size_t max_subs = front_.config().max_subs_per_client;
  if (max_subs != 0 && subs_.size() >= max_subs) {
    natswire::WriteErr(transport_.Out(), "maximum subscriptions exceeded");
    return true;
  }
  auto sub = std::make_unique<Subscription>();
  sub->session = this;
  sub->subject.assign(subject);
  sub->queue.assign(queue);
  sub->sid = key;
  if (!front_.sublist().Insert(sub.get())) {
    natswire::WriteErr(transport_.Out(), "Invalid Subject");
    return true;
  }
  Subscription* raw = sub.get();
  subs_.emplace(std::move(key), std::move(sub));
  if (verbose_) natswire::WriteOk(transport_.Out());
  front_.OnInterestAdded(raw->subject);
  return true;
}

bool NatsSession::OnUnsub(std::string_view sid, uint64_t max_msgs) {
  ++requests_;
  auto it = subs_.find(std::string(sid));
  if (it != subs_.end()) {
    Subscription* sub = it->second.get();
    if (max_msgs > 0 && max_msgs > sub->delivered) {
      sub->max_msgs = max_msgs;
    } else {
      RemoveSubscription(it->first);
    }
  }
  if (verbose_) natswire::WriteOk(transport_.Out());
  return true;
}

bool NatsSession::OnPing() {
  ++requests_;
  natswire::WritePong(transport_.Out());
  return true;
}

bool NatsSession::OnPong() {
  ++requests_;
  pings_out_ = 0;
  return true;
}

void NatsSession::OnError(natswire::ParseError error) {
  FailWith(natswire::ParseErrorText(error));
}

void NatsSession::RemoveSubscription(const std::string& sid) {
  auto it = subs_.find(sid);
  if (it == subs_.end()) return;
  front_.sublist().Remove(it->second.get());
  subs_.erase(it);
}

void NatsSession::Deliver(Subscription* sub, std::string_view subject, std::string_view reply,
                          std::string_view headers, std::string_view payload) {
  protocols::OutChain& out = transport_.Out();
  if (headers_) {
    natswire::WriteMessage(out, subject, sub->sid, reply, headers, payload);
  } else {
    natswire::WriteMsg(out, subject, sub->sid, reply, payload);
  }
  transport_.ScheduleFlush();
  ++sub->delivered;
  if (sub->max_msgs != 0 && sub->delivered >= sub->max_msgs) {
    std::string sid = sub->sid;
    RemoveSubscription(sid);
  }
  if (transport_.PendingOutputBytes() > front_.config().max_pending_bytes) {
    // nats-server closes a slow consumer without an -ERR (its output is stuck anyway).
    closing_ = true;
    front_.Doom(this);
  }
}

void NatsSession::SendNoResponders(std::string_view reply) {
  for (const auto& [sid, sub] : subs_) {
    if (SubjectMatches(sub->subject, reply)) {
      natswire::WriteHmsg(transport_.Out(), reply, sid, {}, "NATS/1.0 503\r\n\r\n", {});
      transport_.ScheduleFlush();
      return;
    }
  }
}

void NatsSession::Tick(int64_t now_ms) {
  if (closing_) return;
  const int64_t interval = front_.config().ping_interval_ms;
  if (interval <= 0 || now_ms - last_ping_ms_ < interval) return;
  last_ping_ms_ = now_ms;
  // Like nats-server, no PING (and no stale check) when the client was active meanwhile.
  if (now_ms - last_input_ms_ < interval) return;
  if (pings_out_ + 1 > front_.config().max_pings_out) {
    FailWith("Stale Connection");
    return;
  }
  ++pings_out_;
  natswire::WritePing(transport_.Out());
  transport_.ScheduleFlush();
}

}  // namespace kvgate::nats
