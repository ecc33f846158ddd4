// Push consumers as KV watch/keys/history use them: the three create-subject forms and their
// validation errors, create responses (num_pending, push_bound, echoed deliver_subject),
// delivery frames with exact $JS.ACK tokens, headers_only, interest gating, idle heartbeats,
// garbage collection, back-pressure and transparent watch restarts.
#include <catch2/catch.hpp>

#include "protocols/json.h"
#include "protocols/nats/headers.h"
#include "support/nats_harness.h"
#include "translate/nats/js_time.h"

namespace kvgate::nats::testing {
namespace {

protocols::JsonValue Json(const std::string& s) {
  protocols::JsonValue v;
  INFO(s);
  REQUIRE(protocols::ParseJson(s, &v));
  return v;
}

void CreateBucket(TestClient& c, const std::string& b, int history = 5) {
  std::string cfg = R"({"name":"KV_)" + b + R"(","subjects":["$KV.)" + b +
                    R"(.>"],"max_msgs_per_subject":)" + std::to_string(history) +
                    R"(,"allow_direct":true,"allow_rollup_hdrs":true,"deny_delete":true})";
  REQUIRE(!Json(c.Api("$JS.API.STREAM.CREATE.KV_" + b, cfg)).contains("error"));
}

// A consumer create body like nats.go 1.22 / nats.c send.
std::string CreateBody(const std::string& stream, const std::string& deliver,
                       const std::string& policy, const std::string& filter,
                       const std::string& extra = "") {
  std::string cfg = R"({"deliver_policy":")" + policy +
                    R"(","ack_policy":"none","ack_wait":79200000000000,"max_deliver":1,)";
  if (!filter.empty()) cfg += R"("filter_subject":")" + filter + R"(",)";
  cfg += R"("replay_policy":"instant","flow_control":true,"idle_heartbeat":5000000000,)"
         R"("deliver_subject":")" +
         deliver + R"(","num_replicas":1,"mem_storage":true)" + extra + "}";
  return R"({"stream_name":")" + stream + R"(","config":)" + cfg + "}";
}

struct Ack {
  std::string stream, consumer;
  uint64_t delivered = 0, sseq = 0, cseq = 0, pending = 0;
  int64_t ts = 0;
};

Ack ParseAck(const std::string& reply) {
  std::vector<std::string> t;
  size_t start = 0;
  for (;;) {
    size_t dot = reply.find('.', start);
    t.push_back(reply.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  INFO(reply);
  REQUIRE(t.size() == 9);
  REQUIRE(t[0] == "$JS");
  REQUIRE(t[1] == "ACK");
  return Ack{t[2],
             t[3],
             std::stoull(t[4]),
             std::stoull(t[5]),
             std::stoull(t[6]),
             std::stoull(t[8]),
             std::stoll(t[7])};
}

// Fills bucket gb like the spec's probe: k1..k3 with history, dir.a, dir.b, a delete.
void Fill(TestClient& c) {
  c.Api("$KV.gb.k1", "k1v0");                                           // 1
  c.Api("$KV.gb.k2", "k2v0");                                           // 2
  c.Api("$KV.gb.k3", "k3v0");                                           // 3
  c.Api("$KV.gb.k3", "k3v1");                                           // 4
  c.Api("$KV.gb.k3", "k3v2");                                           // 5
  c.Request("$KV.gb.k2", "", "NATS/1.0\r\nKV-Operation: DEL\r\n\r\n");  // 6
  c.Api("$KV.gb.dir.a", "a");                                           // 7
  c.Api("$KV.gb.dir.b", "b");                                           // 8
}

}  // namespace

TEST_CASE("history: legacy create, exact ACK tokens and pending", "[nats][consumer]") {
  NatsHarness h;
  auto c = h.Connect();
  CreateBucket(*c, "gb");
  Fill(*c);
  c->Send("SUB _INBOX.X2 2\r\n");
  auto v = Json(c->Api("$JS.API.CONSUMER.CREATE.KV_gb",
                       CreateBody("KV_gb", "_INBOX.X2", "all", "$KV.gb.k3")));
  INFO(v.dump());
  CHECK(v["type"] == "io.nats.jetstream.api.v1.consumer_create_response");
  CHECK(v["stream_name"] == "KV_gb");
  std::string name = v["name"];
  CHECK(name.size() == 8);
  CHECK(v["num_pending"] == 3);
  CHECK(v["delivered"]["consumer_seq"] == 0);
  CHECK(v["push_bound"] == true);
  CHECK(v["config"]["deliver_subject"] == "_INBOX.X2");
  CHECK(v["config"]["filter_subject"] == "$KV.gb.k3");
  CHECK(v["config"]["inactive_threshold"] == 5000000000);
  CHECK(v["config"]["ack_policy"] == "none");
  CHECK(v["config"]["idle_heartbeat"] == 5000000000);
  CHECK(v["config"]["flow_control"] == true);
  CHECK(!v["config"].contains("name"));

  auto frames = c->ReadFrames();
  REQUIRE(frames.size() == 3);
  std::vector<std::string> values = {"k3v0", "k3v1", "k3v2"};
  for (size_t i = 0; i < 3; ++i) {
    CHECK(frames[i].op == "MSG");
    CHECK(frames[i].subject == "$KV.gb.k3");
    CHECK(frames[i].sid == "2");
    CHECK(frames[i].payload == values[i]);
    Ack a = ParseAck(frames[i].reply);
    CHECK(a.stream == "KV_gb");
    CHECK(a.consumer == name);
    CHECK(a.delivered == 1);
    CHECK(a.sseq == 3 + i);
    CHECK(a.cseq == i + 1);
    CHECK(a.pending == 2 - i);
    CHECK(a.ts == h.clock.NowNs());
  }
  // Live: a new revision arrives with pending 0 and the next consumer sequence.
  c->Api("$KV.gb.k3", "k3v3");
  frames = c->ReadFrames();
  REQUIRE(frames.size() == 1);
  Ack live = ParseAck(frames[0].reply);
  CHECK(live.sseq == 9);
  CHECK(live.cseq == 4);
  CHECK(live.pending == 0);
  // Teardown as Go/C do it.
  c->Send("UNSUB 2\r\n");
  CHECK(Json(c->Api("$JS.API.CONSUMER.DELETE.KV_gb." + name)) ==
        Json(R"({"type":"io.nats.jetstream.api.v1.consumer_delete_response","success":true})"));
  CHECK(Json(c->Api("$JS.API.CONSUMER.DELETE.KV_gb." + name))["error"]["err_code"] == 10014);
}

TEST_CASE("keys: last_per_subject, headers_only, tombstones, Nats-Msg-Size", "[nats][consumer]") {
  NatsHarness h;
  auto c = h.Connect();
  CreateBucket(*c, "gb");
  Fill(*c);
  c->Request("$KV.gb.k1", "", "NATS/1.0\r\nKV-Operation: PURGE\r\nNats-Rollup: sub\r\n\r\n");  // 9
  c->Send("SUB _INBOX.K 4\r\n");
  auto v = Json(c->Api(
      "$JS.API.CONSUMER.CREATE.KV_gb",
      CreateBody("KV_gb", "_INBOX.K", "last_per_subject", "$KV.gb.>", R"(,"headers_only":true)")));
  CHECK(v["num_pending"] == 5);
  CHECK(v["config"]["headers_only"] == true);
  auto frames = c->ReadFrames();
  REQUIRE(frames.size() == 5);
  // Ascending revision: k2@6 (DEL), k3@5? no: k3's last is 5 < 6.
  std::vector<std::pair<std::string, uint64_t>> expect = {{"$KV.gb.k3", 5},
                                                          {"$KV.gb.k2", 6},
                                                          {"$KV.gb.dir.a", 7},
                                                          {"$KV.gb.dir.b", 8},
                                                          {"$KV.gb.k1", 9}};
  for (size_t i = 0; i < frames.size(); ++i) {
    INFO(i);
    CHECK(frames[i].op == "HMSG");
    CHECK(frames[i].subject == expect[i].first);
    CHECK(frames[i].payload.empty());
    Ack a = ParseAck(frames[i].reply);
    CHECK(a.sseq == expect[i].second);
    CHECK(a.cseq == i + 1);
    CHECK(a.pending == 4 - i);
  }
  CHECK(frames[0].headers == "NATS/1.0\r\nNats-Msg-Size: 4\r\n\r\n");
  CHECK(frames[1].headers == "NATS/1.0\r\nKV-Operation: DEL\r\nNats-Msg-Size: 0\r\n\r\n");
  CHECK(frames[4].headers ==
        "NATS/1.0\r\nKV-Operation: PURGE\r\nNats-Rollup: sub\r\nNats-Msg-Size: 0\r\n\r\n");
}

TEST_CASE("empty initial data: num_pending 0, deliver new", "[nats][consumer]") {
  NatsHarness h;
  auto c = h.Connect();
  CreateBucket(*c, "e");
  c->Send("SUB _INBOX.E 1\r\n");
  auto v = Json(c->Api("$JS.API.CONSUMER.CREATE.KV_e",
                       CreateBody("KV_e", "_INBOX.E", "last_per_subject", "$KV.e.>")));
  CHECK(v["num_pending"] == 0);
  CHECK(c->ReadFrames().empty());
  c->Api("$KV.e.k", "1");
  c->Api("$KV.e.k", "2");
  auto live = c->ReadFrames();
  REQUIRE(live.size() == 2);
  CHECK(ParseAck(live[1].reply).cseq == 2);

  c->Send("SUB _INBOX.N 2\r\n");
  auto n = Json(
      c->Api("$JS.API.CONSUMER.CREATE.KV_e", CreateBody("KV_e", "_INBOX.N", "new", "$KV.e.>")));
  CHECK(n["num_pending"] == 0);
  CHECK(c->ReadFrames().empty());
  c->Api("$KV.e.k", "3");
  auto frames = c->ReadFrames();
  REQUIRE(frames.size() == 2);  // one per consumer
  for (const auto& f : frames) CHECK(f.payload == "3");
}

TEST_CASE("by_start_sequence resumes from a revision", "[nats][consumer]") {
  NatsHarness h;
  auto c = h.Connect();
  CreateBucket(*c, "gb");
  Fill(*c);
  c->Send("SUB _INBOX.R 1\r\n");
  auto v = Json(c->Api(
      "$JS.API.CONSUMER.CREATE.KV_gb",
      CreateBody("KV_gb", "_INBOX.R", "by_start_sequence", "$KV.gb.>", R"(,"opt_start_seq":6)")));
  CHECK(v["num_pending"] == 3);
  CHECK(v["config"]["opt_start_seq"] == 6);
  auto frames = c->ReadFrames();
  REQUIRE(frames.size() == 3);
  CHECK(ParseAck(frames[0].reply).sseq == 6);
  CHECK(ParseAck(frames[0].reply).cseq == 1);
}

TEST_CASE("named create forms and their validation errors", "[nats][consumer]") {
  NatsHarness h;
  auto c = h.Connect();
  CreateBucket(*c, "b");
  c->Api("$KV.b.k3", "v");
  c->Send("SUB _INBOX.Y.1 3\r\n");
  // natscli: ...CREATE.KV_b.<hash> for '>'; nats.js: ...CREATE.KV_b.oc_x_1.$KV.b.k3
  auto named = Json(c->Api("$JS.API.CONSUMER.CREATE.KV_b.abcdefgh",
                           CreateBody("KV_b", "_INBOX.Y.1", "all", "$KV.b.>")));
  CHECK(named["name"] == "abcdefgh");
  CHECK(named["config"]["name"] == "abcdefgh");
  auto filtered =
      Json(c->Api("$JS.API.CONSUMER.CREATE.KV_b.oc_x_1.$KV.b.k3",
                  CreateBody("KV_b", "_INBOX.Y.1", "all", "$KV.b.k3", R"(,"name":"oc_x_1")")));
  CHECK(filtered["name"] == "oc_x_1");
  CHECK(filtered["num_pending"] == 1);
  // Same name, same config: idempotent. Different config with action create: 10148.
  auto again =
      Json(c->Api("$JS.API.CONSUMER.CREATE.KV_b.oc_x_1.$KV.b.k3",
                  CreateBody("KV_b", "_INBOX.Y.1", "all", "$KV.b.k3", R"(,"name":"oc_x_1")")));
  CHECK(again["name"] == "oc_x_1");
  CHECK(!again.contains("error"));
  std::string body = CreateBody("KV_b", "_INBOX.Y.2", "all", "$KV.b.k3", R"(,"name":"oc_x_1")");
  body.insert(body.size() - 1, R"(,"action":"create")");
  CHECK(Json(c->Api("$JS.API.CONSUMER.CREATE.KV_b.oc_x_1.$KV.b.k3", body))["error"]["err_code"] ==
        10148);
  std::string update = CreateBody("KV_b", "_INBOX.Y.2", "all", "$KV.b.k3");
  update.insert(update.size() - 1, R"(,"action":"update")");
  CHECK(Json(c->Api("$JS.API.CONSUMER.CREATE.KV_b.missing1", update))["error"]["err_code"] ==
        10149);

  struct Bad {
    std::string subject;
    std::string body;
    int err_code;
  };
  std::vector<Bad> bad = {
      {"$JS.API.CONSUMER.CREATE.KV_none", CreateBody("KV_none", "_INBOX.Z", "all", ""), 10059},
      {"$JS.API.CONSUMER.CREATE.KV_b", CreateBody("KV_other", "_INBOX.Z", "all", ""), 10056},
      {"$JS.API.CONSUMER.CREATE.KV_b.n1.$KV.b.k3",
       CreateBody("KV_b", "_INBOX.Z", "all", "$KV.b.k4"), 10131},
      {"$JS.API.CONSUMER.CREATE.KV_b", CreateBody("KV_b", "_INBOX.Z", "all", "$KV.other.>"), 10093},
      {"$JS.API.CONSUMER.CREATE.KV_b", CreateBody("KV_b", "_INBOX.Z", "by_start_sequence", ""),
       10094},
      {"$JS.API.CONSUMER.CREATE.KV_b", R"({"stream_name":"KV_b"})", 10078},
      {"$JS.API.CONSUMER.CREATE.KV_b", "{oops", 10025},
      {"$JS.API.CONSUMER.CREATE.KV_b",
       R"({"config":{"deliver_subject":"_INBOX.Z","flow_control":true}})", 10108},
      {"$JS.API.CONSUMER.CREATE.KV_b", R"({"config":{"deliver_subject":"_INBOX.*"}})", 10079},
      {"$JS.API.CONSUMER.CREATE.KV_b",
       R"({"config":{"deliver_policy":"sometimes","deliver_subject":"x"}})", 10025},
      {"$JS.API.CONSUMER.CREATE.KV_b",
       R"({"config":{"deliver_subject":"x","filter_subjects":["$KV.b.a","$KV.b.*"]}})", 10138},
      {"$JS.API.CONSUMER.CREATE.KV_b",
       R"({"config":{"deliver_subject":"x","filter_subject":"$KV.b.a","filter_subjects":["$KV.b.c"]}})",
       10136},
      {"$JS.API.CONSUMER.CREATE.KV_b", R"({"config":{"ack_policy":"explicit"}})", 10012},
      {"$JS.API.CONSUMER.DURABLE.CREATE.KV_b.a.b", CreateBody("KV_b", "x", "all", ""), 10103},
  };
  for (const auto& b : bad) {
    INFO(b.subject << " " << b.body);
    auto v = Json(c->Api(b.subject, b.body));
    CHECK(v["type"] == "io.nats.jetstream.api.v1.consumer_create_response");
    CHECK(v["error"]["err_code"] == b.err_code);
  }
  auto names = Json(c->Api("$JS.API.CONSUMER.NAMES.KV_b"));
  CHECK(names["total"] == 2);
  CHECK(names["consumers"] == Json(R"(["abcdefgh","oc_x_1"])"));
  auto list = Json(c->Api("$JS.API.CONSUMER.LIST.KV_b", R"({"offset":1})"));
  CHECK(list["total"] == 2);
  REQUIRE(list["consumers"].size() == 1);
  CHECK(list["consumers"][0]["name"] == "oc_x_1");
  CHECK(Json(c->Api("$JS.API.STREAM.INFO.KV_b"))["state"]["consumer_count"] == 2);
}

TEST_CASE("nats.js order: create before subscribe; delivery waits for interest",
          "[nats][consumer]") {
  NatsHarness h;
  auto c = h.Connect();
  CreateBucket(*c, "jb");
  c->Api("$KV.jb.a", "1");
  c->Api("$KV.jb.b", "2");
  std::string body =
      R"({"config":{"deliver_policy":"last_per_subject","ack_policy":"none","filter_subject":"$KV.jb.>",)"
      R"("flow_control":true,"idle_heartbeat":30000000000,"headers_only":true,"inactive_threshold":300000000000,)"
      R"("num_replicas":1,"max_deliver":1,"name":"oc_N_1","deliver_subject":"_INBOX.Y.1"},)"
      R"("stream_name":"KV_jb","action":"create","pedantic":false})";
  auto v = Json(c->Api("$JS.API.CONSUMER.CREATE.KV_jb.oc_N_1.$KV.jb.>", body));
  CHECK(v["num_pending"] == 2);
  CHECK(!v.contains("push_bound"));
  CHECK(v["config"]["inactive_threshold"] == 300000000000);
  h.Advance(1000);
  CHECK(c->ReadFrames().empty());
  auto info = Json(c->Api("$JS.API.CONSUMER.INFO.KV_jb.oc_N_1"));
  CHECK(info["type"] == "io.nats.jetstream.api.v1.consumer_info_response");
  CHECK(info["num_pending"] == 2);
  CHECK(!info.contains("push_bound"));
  c->Send("SUB _INBOX.Y.1 3\r\n");
  auto frames = c->ReadFrames();
  REQUIRE(frames.size() == 2);
  CHECK(ParseAck(frames[1].reply).pending == 0);
  CHECK(Json(c->Api("$JS.API.CONSUMER.INFO.KV_jb.oc_N_1"))["push_bound"] == true);
  CHECK(Json(c->Api("$JS.API.CONSUMER.INFO.KV_jb.nope"))["error"]["err_code"] == 10014);
}

TEST_CASE("idle heartbeats only after real idleness", "[nats][consumer]") {
  NatsHarness h;
  auto c = h.Connect();
  CreateBucket(*c, "hb");
  c->Api("$KV.hb.a", "1");
  c->Api("$KV.hb.b", "2");
  c->Api("$KV.hb.c", "3");
  c->Send("SUB _INBOX.H 7\r\n");
  c->transport().extra_pending = 2 << 20;  // the client is not reading: nothing goes out
  c->Api("$JS.API.CONSUMER.CREATE.KV_hb", CreateBody("KV_hb", "_INBOX.H", "all", "$KV.hb.>"));
  h.Advance(6000);
  for (const auto& f : c->ReadFrames()) CHECK(f.subject != "_INBOX.H");  // no early heartbeat
  c->transport().extra_pending = 0;
  h.Advance(100);
  auto frames = c->ReadFrames();
  REQUIRE(frames.size() == 3);
  h.Advance(4000);
  CHECK(c->ReadFrames().empty());
  h.Advance(1100);
  frames = c->ReadFrames();
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].op == "HMSG");
  CHECK(frames[0].subject == "_INBOX.H");
  CHECK(frames[0].sid == "7");
  CHECK(frames[0].reply.empty());
  CHECK(frames[0].payload.empty());
  CHECK(frames[0].headers ==
        "NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 3\r\nNats-Last-Stream: 3\r\n\r\n");
  h.Advance(5000);
  CHECK(c->ReadFrames().size() == 1);  // repeated every interval
  // A delivery restarts the idle timer.
  h.Advance(3000);
  c->Api("$KV.hb.a", "4");
  CHECK(c->ReadFrames().size() == 1);
  h.Advance(4000);
  CHECK(c->ReadFrames().empty());
}

TEST_CASE("ephemeral consumers are collected after inactive_threshold without interest",
          "[nats][consumer]") {
  NatsHarness h;
  auto c = h.Connect();
  CreateBucket(*c, "gc");
  c->Send("SUB _INBOX.G 1\r\n");
  auto v =
      Json(c->Api("$JS.API.CONSUMER.CREATE.KV_gc", CreateBody("KV_gc", "_INBOX.G", "all", "")));
  std::string name = v["name"];
  h.Advance(10'000);
  CHECK(!Json(c->Api("$JS.API.CONSUMER.INFO.KV_gc." + name)).contains("error"));
  c->Send("UNSUB 1\r\n");
  h.Advance(4'000);
  CHECK(!Json(c->Api("$JS.API.CONSUMER.INFO.KV_gc." + name)).contains("error"));
  h.Advance(1'100);
  CHECK(Json(c->Api("$JS.API.CONSUMER.INFO.KV_gc." + name))["error"]["err_code"] == 10014);
  CHECK(Json(c->Api("$JS.API.INFO"))["consumers"] == 0);
}

TEST_CASE("back-pressure pauses delivery; watch overflow restarts transparently",
          "[nats][consumer]") {
  NatsConfig cfg = NatsHarness::DefaultConfig();
  cfg.consumer_high_water_bytes = 1000;
  cfg.consumer_low_water_bytes = 100;
  NatsHarness h(cfg);
  engine::Engine::Limits limits = h.engine.limits();
  limits.watch_queue = 8;  // tiny engine queue: overflow while paused
  h.engine.SetLimits(limits);
  auto c = h.Connect();
  auto writer = h.Connect();
  CreateBucket(*c, "bp", 1);
  c->Send("SUB _INBOX.B 1\r\n");
  c->Api("$JS.API.CONSUMER.CREATE.KV_bp", CreateBody("KV_bp", "_INBOX.B", "new", ""));
  c->transport().extra_pending = 5000;  // stuck client
  for (int i = 0; i < 50; ++i) writer->Api("$KV.bp.k" + std::to_string(i), "v");
  h.Advance(200);
  CHECK(c->ReadFrames().empty());
  // The client reads again: deliveries resume, in high-water-sized batches, as it drains.
  c->transport().extra_pending = 0;
  std::vector<Frame> frames;
  for (int round = 0; round < 100 && frames.size() < 50; ++round) {
    c->transport().session->OnDrained();
    h.Advance(50);
    for (auto& f : c->ReadFrames()) frames.push_back(std::move(f));
  }
  REQUIRE(frames.size() == 50);
  for (size_t i = 0; i < frames.size(); ++i) {
    Ack a = ParseAck(frames[i].reply);
    CHECK(a.cseq == i + 1);
    CHECK(a.sseq == i + 1);
    CHECK(frames[i].subject == "$KV.bp.k" + std::to_string(i));
  }
}

TEST_CASE("multi-filter consumers and stream delete", "[nats][consumer]") {
  NatsHarness h;
  auto c = h.Connect();
  CreateBucket(*c, "mf");
  c->Api("$KV.mf.a.1", "1");
  c->Api("$KV.mf.b.1", "2");
  c->Api("$KV.mf.c.1", "3");
  c->Send("SUB _INBOX.M 1\r\n");
  auto v = Json(c->Api(
      "$JS.API.CONSUMER.CREATE.KV_mf.multi",
      R"({"stream_name":"KV_mf","config":{"deliver_policy":"last_per_subject","filter_subjects":["$KV.mf.a.*","$KV.mf.c.>"],"deliver_subject":"_INBOX.M"}})"));
  CHECK(v["num_pending"] == 2);
  CHECK(v["config"]["filter_subjects"].size() == 2);
  auto frames = c->ReadFrames();
  REQUIRE(frames.size() == 2);
  CHECK(frames[0].subject == "$KV.mf.a.1");
  CHECK(frames[1].subject == "$KV.mf.c.1");
  c->Api("$JS.API.STREAM.DELETE.KV_mf");
  CHECK(Json(c->Api("$JS.API.INFO"))["consumers"] == 0);
}

}  // namespace kvgate::nats::testing

namespace kvgate::nats::testing {

TEST_CASE("deliver policies last and by_start_time", "[nats][consumer]") {
  NatsHarness h;
  auto c = h.Connect();
  CreateBucket(*c, "t");
  c->Api("$KV.t.a", "1");  // t0
  h.clock.AdvanceMs(10'000);
  const std::string mid = FormatRfc3339Nano(h.clock.NowNs());
  c->Api("$KV.t.b", "2");  // t0 + 10 s
  c->Api("$KV.t.a", "3");
  c->Send("SUB _INBOX.T 1\r\n");
  auto by_time = Json(c->Api(
      "$JS.API.CONSUMER.CREATE.KV_t",
      CreateBody("KV_t", "_INBOX.T", "by_start_time", "", R"(,"opt_start_time":")" + mid + "\"")));
  CHECK(by_time["num_pending"] == 2);
  auto frames = c->ReadFrames();
  REQUIRE(frames.size() == 2);
  CHECK(ParseAck(frames[0].reply).sseq == 2);

  c->Send("SUB _INBOX.L 2\r\n");
  auto last = Json(
      c->Api("$JS.API.CONSUMER.CREATE.KV_t", CreateBody("KV_t", "_INBOX.L", "last", "$KV.t.b")));
  CHECK(last["num_pending"] == 1);
  frames = c->ReadFrames();
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].payload == "2");
  CHECK(ParseAck(frames[0].reply).sseq == 2);
}

}  // namespace kvgate::nats::testing

namespace kvgate::nats::testing {

TEST_CASE("keys that are not valid NATS subjects are never delivered", "[nats][consumer]") {
  NatsHarness h;
  auto c = h.Connect();
  // A Redis database bucket may hold keys NATS cannot address ("a b", "x..y", "").
  engine::Bucket* db = *h.engine.CreateBucket("db0", engine::BucketConfig{});
  REQUIRE(db->Put("good1", "1", {}).ok());
  REQUIRE(db->Put("has space", "2", {}).ok());
  REQUIRE(db->Put("good2", "3", {}).ok());
  REQUIRE(db->Put("bad\r\nMSG x 1 0", "4", {}).ok());
  c->Send("SUB _INBOX.K 1\r\n");
  auto v = Json(c->Api("$JS.API.CONSUMER.CREATE.KV_db0",
                       CreateBody("KV_db0", "_INBOX.K", "last_per_subject", "$KV.db0.>")));
  CHECK(v["num_pending"] == 2);
  auto frames = c->ReadFrames();
  REQUIRE(frames.size() == 2);
  CHECK(frames[0].subject == "$KV.db0.good1");
  CHECK(ParseAck(frames[0].reply).pending == 1);
  CHECK(frames[1].subject == "$KV.db0.good2");
  CHECK(ParseAck(frames[1].reply).cseq == 2);
  CHECK(ParseAck(frames[1].reply).pending == 0);  // "initial values done" for the client
  REQUIRE(db->Put("another bad", "5", {}).ok());
  REQUIRE(db->Put("good3", "6", {}).ok());
  frames = c->ReadFrames();
  REQUIRE(frames.size() == 1);
  CHECK(ParseAck(frames[0].reply).cseq == 3);
}

}  // namespace kvgate::nats::testing

namespace kvgate::nats::testing {

TEST_CASE("delivery is bounded per RunPending pass and HasPending reports the rest",
          "[nats][consumer]") {
  NatsConfig cfg = NatsHarness::DefaultConfig();
  cfg.consumer_batch = 2;
  NatsHarness h(cfg);
  auto c = h.Connect();
  CreateBucket(*c, "bb");
  for (int i = 0; i < 5; ++i) c->Api("$KV.bb.k" + std::to_string(i), "v");
  c->Send("SUB _INBOX.B 1\r\n");
  // Send the create by hand: TestClient::Send would drain everything with RunPending.
  c->transport().TakeOutput();
  auto* session = c->transport().session;
  protocols::InBuffer in;
  std::string body = CreateBody("KV_bb", "_INBOX.B", "all", "");
  in.Append("PUB $JS.API.CONSUMER.CREATE.KV_bb _INBOX.t.create " + std::to_string(body.size()) +
            "\r\n" + body + "\r\n");
  c->Send("SUB _INBOX.t.* 77\r\n");
  session->OnBytes(in);
  CHECK(h.front.HasPending());
  h.front.RunPending();
  auto frames = ParseFrames(c->transport().TakeOutput());
  size_t data = 0;
  for (const auto& f : frames) data += f.subject.rfind("$KV.bb.", 0) == 0 ? 1 : 0;
  CHECK(data == 2);
  CHECK(h.front.HasPending());
  h.front.RunPending();
  h.front.RunPending();
  CHECK_FALSE(h.front.HasPending());
  CHECK(ParseFrames(c->transport().TakeOutput()).size() == 3);
}

}  // namespace kvgate::nats::testing
