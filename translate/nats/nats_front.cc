#include "translate/nats/nats_front.h"

#include <algorithm>

#include "protocols/json.h"
#include "translate/nats/jetstream.h"
#include "translate/nats/nats_authenticator.h"
#include "translate/nats/nats_session.h"
#include "translate/nats/subject.h"

namespace kvgate::nats {
namespace {

uint64_t SplitMix(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// nats-server ids: 56 upper-case base32 characters starting with 'N'.
std::string MakeServerId(uint64_t& rng) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string id = "N";
  while (id.size() < 56) id.push_back(kAlphabet[SplitMix(rng) % 32]);
  return id;
}

std::string_view HostOf(std::string_view address) {
  if (!address.empty() && address.front() == '[') {
    size_t close = address.find(']');
    return close == std::string_view::npos ? address : address.substr(1, close - 1);
  }
  size_t colon = address.rfind(':');
  return colon == std::string_view::npos ? address : address.substr(0, colon);
}

constexpr int64_t kSessionTickMs = 500;

}  // namespace

NatsFront::NatsFront(engine::Store& store, NatsConfig config)
    : store_(store),
      config_(std::move(config)),
      rng_state_(static_cast<uint64_t>(store.clock().NowNs())) {
  if (config_.server_id.empty()) config_.server_id = MakeServerId(rng_state_);
  if (config_.server_name.empty()) config_.server_name = config_.server_id;
  jetstream_ = std::make_unique<JetStream>(*this);
  nonce_required_ = config_.auth.has_nkey_users();
}

NatsFront::~NatsFront() = default;

std::unique_ptr<translate::Session> NatsFront::NewSession(translate::Transport& transport) {
  auto session = std::make_unique<NatsSession>(*this, transport, next_client_id_++);
  sessions_.emplace(session->client_id(), session.get());
  return session;
}

int64_t NatsFront::NowMs() const {
  return store_.clock().NowMs();
}

std::string NatsFront::InfoJson(uint64_t client_id, std::string_view peer_address,
                                std::string_view nonce) const {
  std::string s;
  protocols::JsonWriter w(&s);
  w.BeginObject()
      .Key("server_id")
      .String(config_.server_id)
      .Key("server_name")
      .String(config_.server_name)
      .Key("version")
      .String(config_.version)
      .Key("proto")
      .Int(1)
      .Key("go")
      .String("kvgate")
      .Key("host")
      .String(config_.host)
      .Key("port")
      .Int(config_.port)
      .Key("headers")
      .Bool(true);
  // Field order as nats-server's Info struct (omitempty fields only when set).
  if (auth_required()) w.Key("auth_required").Bool(true);
  if (config_.tls_required) w.Key("tls_required").Bool(true);
  if (config_.tls_verify) w.Key("tls_verify").Bool(true);
  w.Key("max_payload")
      .Uint(config_.max_payload)
      .Key("jetstream")
      .Bool(config_.jetstream)
      .Key("client_id")
      .Uint(client_id);
  std::string_view ip = HostOf(peer_address);
  if (!ip.empty()) w.Key("client_ip").String(ip);
  if (!nonce.empty()) w.Key("nonce").String(nonce);
  w.EndObject();
  return s;
}

void NatsFront::Publish(NatsSession* origin, const natswire::PubFrame& frame) {
  bool served = false;
  if (HasPrefix(frame.subject, "$JS.") || HasPrefix(frame.subject, "$KV.")) {
    served = jetstream_->OnPublish(frame);
  }
  RouteResult r =
      Route(origin, frame.subject, frame.subject, frame.reply, frame.headers, frame.payload);
  if (!served && r.delivered == 0 && !frame.reply.empty() && origin != nullptr &&
      origin->no_responders()) {
    origin->SendNoResponders(frame.reply);
  }
}

RouteResult NatsFront::Route(NatsSession* origin, std::string_view match_subject,
                             std::string_view msg_subject, std::string_view reply,
                             std::string_view headers, std::string_view payload) {
  RouteResult result;
  if (route_depth_ == result_pool_.size()) {
    result_pool_.push_back(std::make_unique<SublistResult>());
  }
  SublistResult& m = *result_pool_[route_depth_++];
  sublist_.Match(match_subject, &m);
  auto deliver = [&](Subscription* sub) {
    NatsSession* s = sub->session;
    if (s->closing() || (s == origin && !origin->echo())) return false;
    if (s->delivery_checks() && !s->AdmitDelivery(msg_subject, reply)) return false;
    s->Deliver(sub, msg_subject, reply, headers, payload);  // may free `sub`
    ++result.delivered;
    result.max_pending = std::max(result.max_pending, s->transport().PendingOutputBytes());
    return true;
  };
  for (Subscription* sub : m.psubs) deliver(sub);
  // One member per queue group, starting at a random member and skipping unusable ones.
  // Group bounds are computed before delivering: a delivery may free the chosen member.
  for (size_t start = 0; start < m.qsubs.size();) {
    size_t end = start + 1;
    while (end < m.qsubs.size() && m.qsubs[end]->queue == m.qsubs[start]->queue) ++end;
    size_t n = end - start;
    size_t first = static_cast<size_t>(SplitMix(rng_state_) % n);
    for (size_t k = 0; k < n; ++k) {
      if (deliver(m.qsubs[start + (first + k) % n])) break;
    }
    start = end;
  }
  --route_depth_;
  return result;
}

size_t NatsFront::MaxPendingFor(std::string_view subject) {
  if (route_depth_ == result_pool_.size()) {
    result_pool_.push_back(std::make_unique<SublistResult>());
  }
  SublistResult& m = *result_pool_[route_depth_];
  sublist_.Match(subject, &m);
  size_t max = 0;
  for (const auto* list : {&m.psubs, &m.qsubs}) {
    for (Subscription* sub : *list) {
      max = std::max(max, sub->session->transport().PendingOutputBytes());
    }
  }
  return max;
}

void NatsFront::OnSessionClosed(NatsSession* session) {
  sessions_.erase(session->client_id());
  awaiting_auth_.erase(session->client_id());
  doomed_.erase(std::remove(doomed_.begin(), doomed_.end(), session), doomed_.end());
}

void NatsFront::OnInterestAdded(std::string_view subject) {
  jetstream_->OnInterestAdded(subject);
}

void NatsFront::OnSessionDrained(NatsSession* /*session*/) {
  jetstream_->OnOutputDrained();
}

void NatsFront::Doom(NatsSession* session) {
  if (std::find(doomed_.begin(), doomed_.end(), session) == doomed_.end()) {
    doomed_.push_back(session);
  }
}

void NatsFront::CloseDoomed() {
  while (!doomed_.empty()) {
    NatsSession* s = doomed_.back();
    doomed_.pop_back();
    s->transport().CloseNow();  // may call OnClose -> OnSessionClosed synchronously
  }
}

void NatsFront::AwaitAuth(NatsSession* session, bool waiting) {
  if (waiting) {
    awaiting_auth_.emplace(session->client_id(), session);
  } else {
    awaiting_auth_.erase(session->client_id());
  }
}

void NatsFront::CheckPasswordLater(uint64_t client_id, std::string_view stored,
                                   std::string_view given) {
  // Copies for the pool thread; the answer comes back through auth_answers_.
  auto result = std::make_shared<bool>(false);
  auto work = [result, hash = std::string(stored), pass = std::string(given)] {
    *result = PasswordMatches(hash, pass);
  };
  auto done = [this, result, client_id] { auth_answers_.emplace_back(client_id, *result); };
  if (background_work_ == nullptr) {
    work();
    done();
    return;
  }
  background_work_->Run(std::move(work), std::move(done));
}

void NatsFront::RunPending() {
  while (!auth_answers_.empty()) {
    std::vector<std::pair<uint64_t, bool>> answers;
    answers.swap(auth_answers_);
    for (const auto& [client_id, ok] : answers) {
      auto it = sessions_.find(client_id);
      if (it != sessions_.end()) it->second->FinishConnect(ok);
    }
  }
  CloseDoomed();
  jetstream_->RunPending();
  CloseDoomed();
}

bool NatsFront::HasPending() const {
  return !doomed_.empty() || !auth_answers_.empty() || jetstream_->HasPending();
}

void NatsFront::Tick() {
  int64_t now = NowMs();
  if (now - last_session_tick_ms_ >= kSessionTickMs) {
    last_session_tick_ms_ = now;
    // Ticking may close a session (stale), which erases it from sessions_: iterate a copy.
    std::vector<NatsSession*> all;
    all.reserve(sessions_.size());
    for (const auto& [id, s] : sessions_) all.push_back(s);
    for (NatsSession* s : all) s->Tick(now);
  }
  if (!awaiting_auth_.empty()) {
    std::vector<NatsSession*> waiting;
    for (const auto& [id, s] : awaiting_auth_) waiting.push_back(s);
    for (NatsSession* s : waiting) s->CheckAuthTimeout(now);  // may close it
  }
  jetstream_->Tick();
}

}  // namespace kvgate::nats
