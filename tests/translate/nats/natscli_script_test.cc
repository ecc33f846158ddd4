// The `nats kv` subcommands' traffic, replayed as natscli (jetstream package + jsm.go) sends it
// (spec §6), for the paths only natscli exercises: kv add/edit with the full 2.10 config, kv ls
// paging exactly as jsm.go pages, named consumer creates `<stream>.<hash>[.<filter>]` for
// history / ls / watch / compact with their teardown, create --ttl (Nats-TTL) and rm.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "protocols/json.h"
#include "support/nats_harness.h"

namespace kvgate::nats::testing {
namespace {

protocols::JsonValue Json(const std::string& s) {
  protocols::JsonValue v;
  REQUIRE(protocols::ParseJson(s, &v));
  return v;
}

// natscli `kv add <b> --history 5 --ttl 1h --marker-ttl 1s` config (jetstream package).
std::string AddConfig(const std::string& b) {
  return R"({"name":"KV_)" + b + R"(","subjects":["$KV.)" + b +
         R"(.\u003e"],"retention":"limits","max_consumers":-1,"max_msgs":-1,"max_bytes":-1,)"
         R"("discard":"new","max_age":3600000000000,"max_msgs_per_subject":5,"max_msg_size":-1,)"
         R"("storage":"file","num_replicas":1,"duplicate_window":120000000000,"compression":"none",)"
         R"("allow_direct":true,"mirror_direct":false,"deny_delete":true,"allow_rollup_hdrs":true,)"
         R"("allow_msg_ttl":true,"subject_delete_marker_ttl":1000000000,"consumer_limits":{}})";
}

// The ordered-consumer config natscli sends (no name in the body; name in the subject).
std::string OrderedConsumer(const std::string& b, const std::string& deliver,
                            const std::string& policy, const std::string& filter,
                            bool headers_only = false) {
  std::string cfg = R"({"stream_name":"KV_)" + b + R"(","config":{"deliver_policy":")" + policy +
                    R"(","ack_policy":"none","ack_wait":79200000000000,"max_deliver":1,)";
  if (!filter.empty()) cfg += R"("filter_subject":")" + filter + R"(",)";
  cfg += R"("replay_policy":"instant","flow_control":true,"idle_heartbeat":5000000000,)";
  if (headers_only) cfg += R"("headers_only":true,)";
  cfg += R"("deliver_subject":")" + deliver + R"(","num_replicas":1,"mem_storage":true}})";
  return cfg;
}

struct Ack {
  uint64_t sseq = 0, cseq = 0, pending = 0;
};

// $JS.ACK.<stream>.<consumer>.<dc>.<sseq>.<cseq>.<ts>.<pending>
Ack ParseAck(const std::string& reply) {
  std::vector<std::string> t;
  size_t start = 0;
  for (size_t i = 0; i <= reply.size(); ++i) {
    if (i == reply.size() || reply[i] == '.') {
      t.push_back(reply.substr(start, i - start));
      start = i + 1;
    }
  }
  REQUIRE(t.size() == 9);
  return {std::stoull(t[5]), std::stoull(t[6]), std::stoull(t[8])};
}

// Reads deliveries until the pending token reaches 0 (natscli's "initial values done").
std::vector<Frame> ReadUntilDone(TestClient& c, size_t expect, uint64_t first_cseq = 1) {
  std::vector<Frame> got;
  for (int round = 0; round < 20 && got.size() < expect; ++round) {
    for (auto& f : c.ReadFrames()) {
      if (f.op == "MSG" || f.op == "HMSG") got.push_back(f);
    }
  }
  REQUIRE(got.size() == expect);
  CHECK(ParseAck(got.back().reply).pending == 0);
  for (size_t i = 0; i < got.size(); ++i) CHECK(ParseAck(got[i].reply).cseq == first_cseq + i);
  return got;
}

}  // namespace

TEST_CASE("natscli kv add, edit, info, put/get/create --ttl/update/del/purge, rm",
          "[nats][natscli]") {
  NatsHarness h;
  auto c = h.Connect();
  // kv add: $JS.API.INFO (api.level gate for --marker-ttl), STREAM.CREATE, STREAM.INFO.
  auto info = Json(c->Api("$JS.API.INFO"));
  REQUIRE(info["api"]["level"] >= 1);
  auto created = Json(c->Api("$JS.API.STREAM.CREATE.KV_cfg", AddConfig("cfg")));
  INFO(created.dump());
  REQUIRE(created["did_create"] == true);
  CHECK(created["config"]["allow_msg_ttl"] == true);
  CHECK(created["config"]["subject_delete_marker_ttl"] == 1000000000);
  CHECK(created["config"]["compression"] == "none");
  CHECK(created["config"]["max_msgs_per_subject"] == 5);
  auto status = Json(c->Api("$JS.API.STREAM.INFO.KV_cfg"));
  CHECK(status["state"]["messages"] == 0);

  // kv edit --history 10: bind, INFO, STREAM.UPDATE with the full merged config, INFO.
  std::string edited = AddConfig("cfg");
  edited.replace(edited.find(R"("max_msgs_per_subject":5)"), 24, R"("max_msgs_per_subject":10)");
  auto updated = Json(c->Api("$JS.API.STREAM.UPDATE.KV_cfg", edited));
  INFO(updated.dump());
  CHECK(updated["type"] == "io.nats.jetstream.api.v1.stream_update_response");
  CHECK(updated["config"]["max_msgs_per_subject"] == 10);

  // kv put / get / get --revision.
  CHECK(c->Api("$KV.cfg.color", "blue").find(R"("seq":1)") != std::string::npos);
  auto got = c->Request("$JS.API.DIRECT.GET.KV_cfg.$KV.cfg.color", "");
  CHECK(got.op == "HMSG");
  CHECK(got.payload == "blue");
  CHECK(got.headers.find("Nats-Sequence: 1\r\n") != std::string::npos);
  auto by_rev = c->Request("$JS.API.DIRECT.GET.KV_cfg", R"({"seq":1})");
  CHECK(by_rev.payload == "blue");

  // kv create --ttl 10s: expected-last-sequence 0 plus Nats-TTL; a second create is 10071.
  auto ttl_ack = Json(c->Request("$KV.cfg.session", "s1",
                                 "NATS/1.0\r\nNats-Expected-Last-Subject-Sequence: 0\r\n"
                                 "Nats-TTL: 10s\r\n\r\n")
                          .payload);
  INFO(ttl_ack.dump());
  CHECK(ttl_ack["seq"] == 2);
  auto dup = Json(c->Request("$KV.cfg.session", "s2",
                             "NATS/1.0\r\nNats-Expected-Last-Subject-Sequence: 0\r\n\r\n")
                      .payload);
  CHECK(dup["error"]["err_code"] == 10071);
  CHECK(dup["error"]["description"] == "wrong last sequence: 2");
  // The TTL really expires the key.
  h.Advance(11'000, 500);
  auto expired = c->Request("$JS.API.DIRECT.GET.KV_cfg.$KV.cfg.session", "");
  bool gone = expired.headers.find("404") != std::string::npos ||
              expired.headers.find("KV-Operation: PURGE") != std::string::npos;
  CHECK(gone);

  // kv update with the right and a stale revision.
  auto upd = Json(c->Request("$KV.cfg.color", "red",
                             "NATS/1.0\r\nNats-Expected-Last-Subject-Sequence: 1\r\n\r\n")
                      .payload);
  CHECK(upd.contains("seq"));
  auto stale = Json(c->Request("$KV.cfg.color", "green",
                               "NATS/1.0\r\nNats-Expected-Last-Subject-Sequence: 1\r\n\r\n")
                        .payload);
  CHECK(stale["error"]["err_code"] == 10071);

  // kv del / kv purge.
  CHECK(Json(c->Request("$KV.cfg.color", "", "NATS/1.0\r\nKV-Operation: DEL\r\n\r\n").payload)
            .contains("seq"));
  CHECK(Json(c->Request("$KV.cfg.color", "",
                        "NATS/1.0\r\nKV-Operation: PURGE\r\nNats-Rollup: sub\r\n\r\n")
                 .payload)
            .contains("seq"));

  // kv rm: STREAM.DELETE; a later bind gets 10059.
  CHECK(Json(c->Api("$JS.API.STREAM.DELETE.KV_cfg"))["success"] == true);
  CHECK(Json(c->Api("$JS.API.STREAM.INFO.KV_cfg"))["error"]["err_code"] == 10059);
}

TEST_CASE("natscli kv ls pages STREAM.LIST as jsm.go does", "[nats][natscli]") {
  NatsHarness h;
  auto c = h.Connect();
  const int kBuckets = 300;  // more than one 256-item page
  for (int i = 0; i < kBuckets; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "b%03d", i);
    auto v = Json(c->Api(std::string("$JS.API.STREAM.CREATE.KV_") + name, AddConfig(name)));
    REQUIRE(v["did_create"] == true);
  }
  // jsm.go: offset += limit; stop when offset + limit >= total (error if limit == 0).
  std::set<std::string> seen;
  int64_t offset = 0;
  int pages = 0;
  while (true) {
    auto page = Json(c->Api("$JS.API.STREAM.LIST", R"({"offset":)" + std::to_string(offset) + "}"));
    REQUIRE(page["type"] == "io.nats.jetstream.api.v1.stream_list_response");
    REQUIRE(page["total"] == kBuckets);
    REQUIRE(page["offset"] == offset);
    int64_t limit = page["limit"];
    REQUIRE(limit > 0);
    for (auto& s : page["streams"]) seen.insert(s["config"]["name"].get<std::string>());
    ++pages;
    if (offset + limit >= page["total"].get<int64_t>()) break;
    offset += limit;
    REQUIRE(pages < 10);
  }
  CHECK(pages == 2);
  CHECK(seen.size() == kBuckets);
  CHECK(seen.count("KV_b000") == 1);
  CHECK(seen.count("KV_b299") == 1);
  // The bucket picker (kv info without a bucket): STREAM.NAMES without a filter.
  auto names = Json(c->Api("$JS.API.STREAM.NAMES", R"({"offset":0})"));
  CHECK(names["total"] == kBuckets);
}

TEST_CASE("natscli history, ls, watch and compact through named ordered consumers",
          "[nats][natscli]") {
  NatsHarness h;
  auto c = h.Connect();
  REQUIRE(Json(c->Api("$JS.API.STREAM.CREATE.KV_app", AddConfig("app")))["did_create"] == true);
  c->Api("$KV.app.a", "1");
  c->Api("$KV.app.a", "2");
  c->Api("$KV.app.b", "x");
  c->Api("$KV.app.dir.c", "y");
  c->Request("$KV.app.b", "", "NATS/1.0\r\nKV-Operation: DEL\r\n\r\n");

  // kv history app a: CONSUMER.CREATE.KV_app.<hash>.$KV.app.a, deliver all, until pending 0.
  c->Send("SUB _INBOX.H 10\r\n");
  auto hist = Json(c->Api("$JS.API.CONSUMER.CREATE.KV_app.Hx7Kq2Lp.$KV.app.a",
                          OrderedConsumer("app", "_INBOX.H", "all", "$KV.app.a")));
  INFO(hist.dump());
  CHECK(hist["name"] == "Hx7Kq2Lp");
  CHECK(hist["num_pending"] == 2);
  auto h_msgs = ReadUntilDone(*c, 2);
  CHECK(h_msgs[0].payload == "1");
  CHECK(h_msgs[1].payload == "2");
  // Teardown: UNSUB then CONSUMER.DELETE.
  c->Send("UNSUB 10\r\n");
  CHECK(Json(c->Api("$JS.API.CONSUMER.DELETE.KV_app.Hx7Kq2Lp"))["success"] == true);

  // kv ls app: headers-only last-per-subject over `$KV.app.>` via CREATE.KV_app.<hash>
  // (natscli drops the filter token for `>`); deleted keys arrive and are dropped client-side.
  c->Send("SUB _INBOX.L 11\r\n");
  auto ls = Json(c->Api("$JS.API.CONSUMER.CREATE.KV_app.Ls9aa0Qz",
                        OrderedConsumer("app", "_INBOX.L", "last_per_subject", "$KV.app.>", true)));
  CHECK(ls["num_pending"] == 3);
  auto l_msgs = ReadUntilDone(*c, 3);
  std::set<std::string> listed;
  for (auto& f : l_msgs) {
    CHECK(f.payload.empty());
    CHECK(f.headers.find("Nats-Msg-Size: ") != std::string::npos);
    if (f.headers.find("KV-Operation") == std::string::npos) listed.insert(f.subject);
  }
  CHECK(listed == std::set<std::string>{"$KV.app.a", "$KV.app.dir.c"});
  c->Send("UNSUB 11\r\n");
  CHECK(Json(c->Api("$JS.API.CONSUMER.DELETE.KV_app.Ls9aa0Qz"))["success"] == true);

  // kv watch app 'dir.*': snapshot, then a live update arrives with pending 0.
  c->Send("SUB _INBOX.W 12\r\n");
  auto w = Json(c->Api("$JS.API.CONSUMER.CREATE.KV_app.Wt3bb1Rr.$KV.app.dir.*",
                       OrderedConsumer("app", "_INBOX.W", "last_per_subject", "$KV.app.dir.*")));
  CHECK(w["num_pending"] == 1);
  ReadUntilDone(*c, 1);
  c->Api("$KV.app.dir.d", "live");
  auto live = ReadUntilDone(*c, 1, /*first_cseq=*/2);
  CHECK(live[0].subject == "$KV.app.dir.d");
  c->Send("UNSUB 12\r\n");
  c->Api("$JS.API.CONSUMER.DELETE.KV_app.Wt3bb1Rr");

  // kv compact: last-per-subject scan, then STREAM.PURGE of each tombstoned key (keep 0 when
  // older than the threshold).
  c->Send("SUB _INBOX.C 13\r\n");
  Json(c->Api("$JS.API.CONSUMER.CREATE.KV_app.Cp5cc2Ss",
              OrderedConsumer("app", "_INBOX.C", "last_per_subject", "$KV.app.>")));
  auto scan = ReadUntilDone(*c, 4);
  std::vector<std::string> tombstoned;
  for (auto& f : scan) {
    if (f.headers.find("KV-Operation: DEL") != std::string::npos) tombstoned.push_back(f.subject);
  }
  REQUIRE(tombstoned == std::vector<std::string>{"$KV.app.b"});
  c->Send("UNSUB 13\r\n");
  auto purged = Json(c->Api("$JS.API.STREAM.PURGE.KV_app", R"({"filter":"$KV.app.b"})"));
  CHECK(purged["success"] == true);
  CHECK(purged["purged"] == 2);
  auto after = c->Request("$JS.API.DIRECT.GET.KV_app.$KV.app.b", "");
  CHECK(after.headers.find("404 Message Not Found") != std::string::npos);
}

}  // namespace kvgate::nats::testing
