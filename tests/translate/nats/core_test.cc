// Core NATS through the front, bytes in -> bytes out: INFO/CONNECT/PING, pub/sub with
// wildcards and queue groups, auto-unsubscribe, request/reply, no-responders, echo, headers,
// protocol errors, slow consumers and server PINGs.
#include <catch2/catch.hpp>

#include "protocols/json.h"
#include "support/nats_harness.h"

namespace kvgate::nats::testing {

TEST_CASE("INFO announces what is implemented", "[nats][core]") {
  NatsHarness h;
  TestClient c(h, h.front);
  auto frames = c.ReadFrames();
  REQUIRE(frames.size() == 1);
  REQUIRE(frames[0].op == "INFO");
  protocols::JsonValue info;
  REQUIRE(protocols::ParseJson(frames[0].text, &info));
  CHECK(info["server_id"] == "NTESTSERVER");
  CHECK(info["version"] == "2.10.0");
  CHECK(info["proto"] == 1);
  CHECK(info["headers"] == true);
  CHECK(info["jetstream"] == true);
  CHECK(info["max_payload"] == 1048576);
  CHECK(info["client_ip"] == "127.0.0.1");
  CHECK(!info.contains("auth_required"));
  CHECK(!info.contains("tls_required"));
}

TEST_CASE("CONNECT verbose acks, PING gets PONG", "[nats][core]") {
  NatsHarness h;
  auto c = h.Connect(R"({"verbose":true})");
  CHECK(c->Read() == "+OK\r\n");
  c->Send("PING\r\n");
  CHECK(c->Read() == "PONG\r\n");
  c->Send("SUB a 1\r\nPUB a 1\r\nx\r\nUNSUB 1\r\n");
  CHECK(c->Read() == "+OK\r\n+OK\r\nMSG a 1 1\r\nx\r\n+OK\r\n");
}

TEST_CASE("CONNECT without verbose or pedantic gets nats-server's defaults: both on",
          "[nats][core]") {
  NatsHarness h;
  auto c = h.Connect("{}");
  CHECK(c->Read() == "+OK\r\n");
  // Pedantic: a wildcard is no publish subject; nats-server still acks the PUB after the error.
  c->Send("PUB foo.* 1\r\nx\r\nPING\r\n");
  CHECK(c->Read() == "-ERR 'Invalid Publish Subject'\r\n+OK\r\nPONG\r\n");
}

TEST_CASE("pub/sub with literal and wildcard subjects", "[nats][core]") {
  NatsHarness h;
  auto sub = h.Connect();
  auto pub = h.Connect();
  sub->Send("SUB foo.bar 1\r\nSUB foo.* 2\r\nSUB foo.> 3\r\nSUB > 4\r\nSUB *.*.baz 5\r\n");
  pub->Send("PUB foo.bar 5\r\nhello\r\n");
  auto frames = sub->ReadFrames();
  std::vector<std::string> sids;
  for (const auto& f : frames) {
    CHECK(f.op == "MSG");
    CHECK(f.subject == "foo.bar");
    CHECK(f.payload == "hello");
    sids.push_back(f.sid);
  }
  std::sort(sids.begin(), sids.end());
  CHECK(sids == std::vector<std::string>{"1", "2", "3", "4"});

  pub->Send("PUB foo.bar.baz 0\r\n\r\n");
  sids.clear();
  for (const auto& f : sub->ReadFrames()) sids.push_back(f.sid);
  std::sort(sids.begin(), sids.end());
  CHECK(sids == std::vector<std::string>{"3", "4", "5"});

  pub->Send("PUB foo 0\r\n\r\n");  // "foo.>" needs at least one more token
  sids.clear();
  for (const auto& f : sub->ReadFrames()) sids.push_back(f.sid);
  CHECK(sids == std::vector<std::string>{"4"});
  CHECK(pub->Read().empty());
}

TEST_CASE("queue groups deliver each message to one member", "[nats][core]") {
  NatsHarness h;
  auto q1 = h.Connect();
  auto q2 = h.Connect();
  auto plain = h.Connect();
  auto pub = h.Connect();
  q1->Send("SUB work workers 1\r\n");
  q2->Send("SUB work.* workers 1\r\n");  // same group through another pattern
  plain->Send("SUB work 7\r\n");
  for (int i = 0; i < 200; ++i) pub->Send("PUB work 1\r\nx\r\n");
  size_t n1 = q1->ReadFrames().size();
  size_t n2 = q2->ReadFrames().size();
  CHECK(n1 + n2 == 200);
  CHECK(n1 > 0);
  CHECK(q2->ReadFrames().empty());
  CHECK(plain->ReadFrames().size() == 200);
  (void)n2;
}

TEST_CASE("queue groups: different groups each get a copy", "[nats][core]") {
  NatsHarness h;
  auto a = h.Connect();
  auto b = h.Connect();
  auto pub = h.Connect();
  a->Send("SUB work g1 1\r\n");
  b->Send("SUB work g2 1\r\n");
  pub->Send("PUB work 1\r\nx\r\n");
  CHECK(a->ReadFrames().size() == 1);
  CHECK(b->ReadFrames().size() == 1);
}

TEST_CASE("UNSUB with max auto-unsubscribes", "[nats][core]") {
  NatsHarness h;
  auto c = h.Connect();
  c->Send("SUB a 1\r\nUNSUB 1 2\r\n");
  for (int i = 0; i < 5; ++i) c->Send("PUB a 1\r\nx\r\n");
  CHECK(c->ReadFrames().size() == 2);
  // The subscription is gone: a request now gets no-responders, not a message.
  c->Send("SUB a 2\r\nPUB a 1\r\ny\r\nUNSUB 2 1\r\nPUB a 1\r\nz\r\n");
  auto frames = c->ReadFrames();
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].payload == "y");
  // UNSUB max at or below what was delivered removes at once.
  c->Send("SUB b 3\r\nPUB b 1\r\n1\r\nUNSUB 3 1\r\nPUB b 1\r\n2\r\n");
  CHECK(c->ReadFrames().size() == 1);
}

TEST_CASE("request/reply between clients", "[nats][core]") {
  NatsHarness h;
  auto service = h.Connect();
  auto client = h.Connect();
  service->Send("SUB svc.echo q 1\r\n");
  client->Send("SUB _INBOX.abc.* 5\r\nPUB svc.echo _INBOX.abc.1 4\r\nping\r\n");
  auto req = service->ReadFrames();
  REQUIRE(req.size() == 1);
  CHECK(req[0].reply == "_INBOX.abc.1");
  service->Send("PUB " + req[0].reply + " 4\r\npong\r\n");
  auto resp = client->ReadFrames();
  REQUIRE(resp.size() == 1);
  CHECK(resp[0].subject == "_INBOX.abc.1");
  CHECK(resp[0].sid == "5");
  CHECK(resp[0].payload == "pong");
}

TEST_CASE("no responders: 503 status to the requester's inbox", "[nats][core]") {
  NatsHarness h;
  auto c = h.Connect();
  c->Send("SUB _INBOX.x.* 3\r\nPUB nobody.home _INBOX.x.1 2\r\nhi\r\n");
  CHECK(c->Read() == "HMSG _INBOX.x.1 3 16 16\r\nNATS/1.0 503\r\n\r\n\r\n");
  // Without a reply there is nothing to say.
  c->Send("PUB nobody.home 2\r\nhi\r\n");
  CHECK(c->Read().empty());
  // A client that did not ask for no_responders gets nothing.
  auto old = h.Connect(R"({"verbose":false,"headers":true})");
  old->Send("SUB _INBOX.y.* 3\r\nPUB nobody.home _INBOX.y.1 2\r\nhi\r\n");
  CHECK(old->Read().empty());
}

TEST_CASE("CONNECT no_responders without headers is refused", "[nats][core]") {
  NatsHarness h;
  auto c = h.Connect(R"({"verbose":false,"no_responders":true})");
  CHECK(c->Read() == "-ERR 'no responders requires headers support'\r\n");
  CHECK(c->closed());
}

TEST_CASE("echo false suppresses a client's own messages", "[nats][core]") {
  NatsHarness h;
  auto c = h.Connect(R"({"verbose":false,"echo":false,"headers":true})");
  auto other = h.Connect();
  c->Send("SUB a 1\r\n");
  other->Send("SUB a 1\r\n");
  c->Send("PUB a 1\r\nx\r\n");
  CHECK(c->Read().empty());
  CHECK(other->ReadFrames().size() == 1);
  other->Send("PUB a 1\r\ny\r\n");
  CHECK(c->ReadFrames().size() == 1);
}

TEST_CASE("HPUB is HMSG for header clients and MSG without headers otherwise", "[nats][core]") {
  NatsHarness h;
  auto hdr = h.Connect();
  auto plain = h.Connect(R"({"verbose":false})");
  hdr->Send("SUB a 1\r\n");
  plain->Send("SUB a 2\r\n");
  hdr->Send("HPUB a 23 25\r\nNATS/1.0\r\nX-Test: 1\r\n\r\nhi\r\n");
  CHECK(hdr->Read() == "HMSG a 1 23 25\r\nNATS/1.0\r\nX-Test: 1\r\n\r\nhi\r\n");
  CHECK(plain->Read() == "MSG a 2 2\r\nhi\r\n");
  // nats.js: zero-length header block.
  hdr->Send("HPUB a 0 2\r\nhi\r\n");
  CHECK(hdr->Read() == "MSG a 1 2\r\nhi\r\n");
}

TEST_CASE("bad input gets the nats-server error; other clients are unaffected", "[nats][core]") {
  NatsHarness h;
  auto good = h.Connect();
  good->Send("SUB a 1\r\n");

  auto bad = h.Connect();
  bad->Send("SUB foo..bar 1\r\nSUB foo.>.bar 2\r\n");
  CHECK(bad->Read() == "-ERR 'Invalid Subject'\r\n-ERR 'Invalid Subject'\r\n");
  CHECK_FALSE(bad->closed());
  bad->Send("BOGUS\r\n");
  CHECK(bad->Read() == "-ERR 'Unknown Protocol Operation'\r\n");
  CHECK(bad->closed());

  auto big = h.Connect();
  big->Send("PUB a 2000000\r\n");
  CHECK(big->Read() == "-ERR 'Maximum Payload Violation'\r\n");
  CHECK(big->closed());

  auto json = h.Connect(R"(not json)");
  CHECK(json->Read() == "-ERR 'Unknown Protocol Operation'\r\n");
  CHECK(json->closed());

  auto pedantic = h.Connect(R"({"verbose":false,"pedantic":true})");
  pedantic->Send("PUB a.* 1\r\nx\r\n");
  CHECK(pedantic->Read() == "-ERR 'Invalid Publish Subject'\r\n");

  auto other = h.Connect();
  other->Send("PUB a 2\r\nok\r\n");
  CHECK(good->Read() == "MSG a 1 2\r\nok\r\n");
}

TEST_CASE("a subscriber that stops reading is cut off; others keep going", "[nats][core]") {
  NatsConfig cfg = NatsHarness::DefaultConfig();
  cfg.max_pending_bytes = 10'000;
  NatsHarness h(cfg);
  auto slow = h.Connect();
  auto fast = h.Connect();
  auto pub = h.Connect();
  slow->Send("SUB data 1\r\n");
  fast->Send("SUB data 1\r\n");
  slow->transport().extra_pending = 9'990;  // the kernel is not taking its bytes
  pub->Send("PUB data 100\r\n" + std::string(100, 'x') + "\r\n");
  CHECK(slow->transport().closed);
  CHECK(fast->ReadFrames().size() == 1);
  // The slow client is gone from routing: later messages go to the others only.
  pub->Send("PUB data 1\r\ny\r\n");
  CHECK(fast->ReadFrames().size() == 1);
  CHECK(h.front.sublist().size() == 1);
}

TEST_CASE("server PINGs idle clients and drops stale ones", "[nats][core]") {
  NatsConfig cfg = NatsHarness::DefaultConfig();
  cfg.ping_interval_ms = 1000;
  cfg.max_pings_out = 2;
  NatsHarness h(cfg);
  auto c = h.Connect();
  // Sessions are ticked every 500 ms: steps of 1.1 s cross exactly one ping deadline each.
  h.Advance(1100);
  CHECK(c->Read() == "PING\r\n");
  c->Send("PONG\r\n");
  h.Advance(1100);  // active during the interval (sent PONG): no ping
  CHECK(c->Read().empty());
  h.Advance(1100);
  CHECK(c->Read() == "PING\r\n");
  h.Advance(1100);
  CHECK(c->Read() == "PING\r\n");
  h.Advance(1100);
  CHECK(c->Read() == "-ERR 'Stale Connection'\r\n");
  CHECK(c->closed());
}

}  // namespace kvgate::nats::testing

namespace kvgate::nats::testing {

TEST_CASE("subscription limit and protocol version errors", "[nats][core]") {
  NatsConfig cfg = NatsHarness::DefaultConfig();
  cfg.max_subs_per_client = 2;
  NatsHarness h(cfg);
  auto c = h.Connect();
  c->Send("SUB a 1\r\nSUB b 2\r\nSUB c 3\r\n");
  CHECK(c->Read() == "-ERR 'maximum subscriptions exceeded'\r\n");
  CHECK_FALSE(c->closed());
  auto v = h.Connect(R"({"verbose":false,"protocol":7})");
  CHECK(v->Read() == "-ERR 'invalid client protocol'\r\n");
  CHECK(v->closed());
}

}  // namespace kvgate::nats::testing
