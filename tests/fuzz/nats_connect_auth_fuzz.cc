// libFuzzer target for NATS authorization inputs: the input is (1) parsed as an --nats-auth-file
// (and, when it parses, its permissions are exercised on a few subjects), and (2) sent as the
// JSON of a CONNECT to a front with password, nkey and permission-restricted users, followed by
// SUB/PUB that the permissions check. Nothing may crash, leak or read out of bounds.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/local_store.h"
#include "protocols/buffer.h"
#include "tests/support/closed_flag_transport.h"
#include "translate/nats/nats_auth_config.h"
#include "translate/nats/nats_front.h"
#include "translate/nats/nats_permissions.h"
#include "translate/session.h"

namespace {

// Users the CONNECT may name (the nkey is a fixed valid public key; no bcrypt: too slow here).
constexpr const char* kAuthFile = R"({"authorization": {"timeout": 1, "users": [
  {"user": "a", "password": "p"},
  {"user": "r", "password": "p", "permissions": {
    "publish": {"allow": ["$JS.API.>", "foo.*"], "deny": ["$KV.b.>", "foo.x"]},
    "subscribe": {"allow": ["_INBOX.>", "bar.>", "q.* g"], "deny": ["bar.secret"]},
    "allow_responses": {"max": 2, "expires": "1s"}}},
  {"nkey": "UAAACAQDAQCQMBYIBEFAWDANBYHRAEISCMKBKFQXDAMRUGY4DUPB63NN"}]}})";

void Exercise(const kvgate::nats::NatsPermissions& p) {
  for (const char* subject : {"foo", "foo.bar", "$KV.b.k", "_INBOX.x.y", "a.*", "a.>", ">"}) {
    (void)kvgate::nats::PublishAllowed(p, subject);
    (void)kvgate::nats::SubscribeAllowed(p, subject, "");
    (void)kvgate::nats::SubscribeAllowed(p, subject, "g");
    (void)kvgate::nats::NeedsDeliveryFilter(p, subject);
    (void)kvgate::nats::DeliveryDenied(p, subject);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace kvgate;
  std::string_view input(reinterpret_cast<const char*>(data), size);

  nats::NatsAuthConfig parsed;
  std::string error;
  if (nats::ParseNatsAuthFile(input, &parsed, &error)) {
    for (const nats::NatsUser& u : parsed.users) {
      if (u.permissions) Exercise(*u.permissions);
    }
  }

  static const nats::NatsAuthConfig auth = [] {
    nats::NatsAuthConfig a;
    std::string e;
    if (!nats::ParseNatsAuthFile(kAuthFile, &a, &e)) __builtin_trap();
    return a;
  }();
  engine::FakeClock clock;
  engine::Engine engine(clock);
  engine::LocalStore store(engine);
  nats::NatsConfig cfg;
  cfg.auth = auth;
  nats::NatsFront front(store, cfg);
  testing::ClosedFlagTransport t;
  std::unique_ptr<translate::Session> s = front.NewSession(t);
  s->OnOpen();
  protocols::InBuffer in;
  std::string frames = "CONNECT ";
  frames.append(input.substr(0, input.find_first_of("\r\n")));
  frames.append(
      "\r\nSUB bar.> 1\r\nSUB q.x g 2\r\nSUB _INBOX.a 3\r\nPUB foo.x 1\r\nx\r\n"
      "PUB bar.secret _INBOX.a 1\r\ny\r\nPUB _INBOX.a 1\r\nz\r\nPING\r\n");
  in.Append(frames);
  s->OnBytes(in);
  front.RunPending();
  if (!t.closed && s->InputHeld() == false) s->OnBytes(in);
  clock.AdvanceMs(1500);
  front.Tick();
  front.RunPending();
  t.Drain();
  s->OnClose();
  return 0;
}
