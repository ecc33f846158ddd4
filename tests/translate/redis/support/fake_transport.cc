#include "translate/redis/support/fake_transport.h"

namespace kvgate::redis::testing {

FakeTransport::FakeTransport(uint64_t id)
    : MemoryTransport(id, "127.0.0.1:" + std::to_string(50000 + id), "127.0.0.1:6379",
                      static_cast<int>(id) + 10) {
}

void FakeTransport::CloseNow() {
  if (closed_now) return;
  closed_now = true;
  Drain();
  if (on_close_now) on_close_now();  // the gateway calls Session::OnClose synchronously
}

RedisHarness::RedisHarness(RedisConfig config)
    : engine_(clock_), front_(std::make_unique<RedisFront>(store_, std::move(config))) {
}

RedisHarness::~RedisHarness() {
  for (auto& c : clients_) {
    if (!c->closed) c->session->OnClose();
  }
  clients_.clear();
  front_.reset();
}

RedisHarness::Client& RedisHarness::Connect() {
  auto c = std::make_unique<Client>();
  c->transport = std::make_unique<FakeTransport>(next_id_++);
  c->session = front_->NewSession(*c->transport);
  Client* raw = c.get();
  c->transport->on_close_now = [raw] {
    if (!raw->closed) {
      raw->closed = true;
      raw->session->OnClose();
    }
  };
  c->transport->on_resume_now = [raw] {
    if (!raw->closed) raw->session->OnBytes(raw->in);
  };
  clients_.push_back(std::move(c));
  return *raw;
}

std::string RedisHarness::Send(Client& c, std::string_view bytes) {
  if (c.closed || c.transport->close_after_flush) return c.transport->Take();
  c.in.Append(bytes);
  c.session->OnBytes(c.in);
  Pump();
  return c.transport->Take();
}

void RedisHarness::Pump() {
  for (int round = 0; round < 1000; ++round) {
    front_->RunPending();
    bool fed = false;
    for (auto& c : clients_) {
      if (c->closed || !c->transport->resume_input) continue;
      c->transport->resume_input = false;
      c->session->OnBytes(c->in);
      fed = true;
    }
    if (!fed && !front_->HasPending()) return;
  }
}

std::string RedisHarness::Cmd(Client& c, const std::vector<std::string>& args) {
  return Send(c, Encode(args));
}

void RedisHarness::Close(Client& c) {
  if (c.closed) return;
  c.closed = true;
  c.session->OnClose();
}

std::string Encode(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const std::string& a : args) {
    out += "$" + std::to_string(a.size()) + "\r\n";
    out += a;
    out += "\r\n";
  }
  return out;
}

}  // namespace kvgate::redis::testing
