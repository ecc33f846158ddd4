// JetStream stream API over engine buckets: create (idempotent, normalized compare, 10058),
// info, names/list with subject filters and paging, delete, purge, account info, errors.
#include <catch2/catch.hpp>

#include "protocols/json.h"
#include "support/nats_harness.h"

namespace kvgate::nats::testing {
namespace {

// StreamConfig bodies exactly as the clients send them (spec §2.3).
const char* kGoConfig =
    R"({"name":"KV_gb","description":"probe bucket","subjects":["$KV.gb.\u003e"],"retention":"limits",)"
    R"("max_consumers":-1,"max_msgs":-1,"max_bytes":1048576,"discard":"new","max_age":3600000000000,)"
    R"("max_msgs_per_subject":5,"max_msg_size":4096,"storage":"file","num_replicas":1,)"
    R"("duplicate_window":120000000000,"deny_delete":true,"allow_rollup_hdrs":true,"allow_direct":true,"mirror_direct":false})";
const char* kCConfig =
    R"({"name":"KV_cb","subjects":["$KV.cb.>"],"retention":"limits","max_consumers":-1,"max_msgs":-1,)"
    R"("max_bytes":1048576,"max_age":3600000000000,"max_msg_size":-1,"max_msgs_per_subject":5,"discard":"new",)"
    R"("storage":"memory","num_replicas":1,"deny_delete":true,"allow_rollup_hdrs":true,"allow_direct":true})";
const char* kJsConfig =
    R"({"name":"KV_jb","retention":"limits","max_msgs_per_subject":5,"max_bytes":1048576,"max_msg_size":-1,)"
    R"("storage":"file","subjects":["$KV.jb.>"],"discard":"new","allow_direct":true,"num_replicas":1,)"
    R"("max_age":3600000000000,"allow_rollup_hdrs":true})";

protocols::JsonValue Json(const std::string& s) {
  protocols::JsonValue v;
  REQUIRE(protocols::ParseJson(s, &v));
  return v;
}

std::string MinimalConfig(const std::string& bucket, int history = 1) {
  return R"({"name":"KV_)" + bucket + R"(","subjects":["$KV.)" + bucket +
         R"(.>"],"max_msgs_per_subject":)" + std::to_string(history) +
         R"(,"allow_direct":true,"allow_rollup_hdrs":true,"deny_delete":true,"discard":"new"})";
}

}  // namespace

TEST_CASE("$JS.API.INFO account info", "[nats][jetstream]") {
  NatsHarness h;
  auto c = h.Connect();
  auto v = Json(c->Api("$JS.API.INFO"));
  CHECK(v["type"] == "io.nats.jetstream.api.v1.account_info_response");
  CHECK(v["streams"] == 0);
  CHECK(v["limits"]["max_streams"] == -1);
  CHECK(v["api"]["total"] == 1);
  CHECK(v["api"]["errors"] == 0);
}

TEST_CASE("stream create from each client's config, normalized echo", "[nats][jetstream]") {
  NatsHarness h;
  auto c = h.Connect();
  for (const char* cfg : {kGoConfig, kCConfig, kJsConfig}) {
    auto in = Json(cfg);
    std::string name = in["name"];
    auto v = Json(c->Api("$JS.API.STREAM.CREATE." + name, cfg));
    INFO(v.dump());
    CHECK(v["type"] == "io.nats.jetstream.api.v1.stream_create_response");
    CHECK(v["did_create"] == true);
    auto& conf = v["config"];
    CHECK(conf["name"] == name);
    CHECK(conf["subjects"][0] == in["subjects"][0]);
    CHECK(conf["max_msgs_per_subject"] == 5);
    CHECK(conf["max_age"] == 3600000000000);
    CHECK(conf["max_bytes"] == 1048576);
    CHECK(conf["max_consumers"] == -1);
    CHECK(conf["max_msgs"] == -1);
    CHECK(conf["num_replicas"] == 1);
    CHECK(conf["duplicate_window"] == 120000000000);
    CHECK(conf["allow_direct"] == true);
    CHECK(conf["retention"] == "limits");
    CHECK(conf["discard"] == "new");
    CHECK(conf["storage"] == in["storage"]);
    CHECK(v["state"]["messages"] == 0);
    CHECK(v["state"]["first_seq"] == 0);  // never stored anything (nats-server)
    CHECK(v["state"]["last_seq"] == 0);
    CHECK(!v["state"].contains("num_subjects"));
    CHECK(v["state"]["first_ts"] == "0001-01-01T00:00:00Z");
    CHECK(h.engine.FindBucket(name.substr(3)) != nullptr);
  }
  auto go = Json(c->Api("$JS.API.STREAM.INFO.KV_gb"));
  CHECK(go["config"]["description"] == "probe bucket");
  CHECK(go["config"]["max_msg_size"] == 4096);
  CHECK(go["config"]["deny_delete"] == true);
  auto js = Json(c->Api("$JS.API.STREAM.INFO.KV_jb"));
  CHECK(js["config"]["deny_delete"] == false);
}

TEST_CASE("stream create is idempotent after normalization; a different config is 10058",
          "[nats][jetstream]") {
  NatsHarness h;
  auto c = h.Connect();
  auto first = Json(c->Api("$JS.API.STREAM.CREATE.KV_cb", kCConfig));
  REQUIRE(first["did_create"] == true);
  // Same config again: success (2.9.10 reports did_create:true again).
  auto again = Json(c->Api("$JS.API.STREAM.CREATE.KV_cb", kCConfig));
  CHECK(!again.contains("error"));
  CHECK(again["config"] == first["config"]);
  // Equivalent with explicit defaults (duplicate_window, zeros for -1 limits): still equal.
  std::string explicit_defaults =
      R"({"name":"KV_cb","subjects":["$KV.cb.>"],"retention":"limits","max_consumers":0,"max_msgs":0,)"
      R"("max_bytes":1048576,"max_age":3600000000000,"max_msg_size":0,"max_msgs_per_subject":5,"discard":"new",)"
      R"("storage":"memory","num_replicas":0,"duplicate_window":120000000000,"deny_delete":true,)"
      R"("allow_rollup_hdrs":true,"allow_direct":true,"sealed":false,"consumer_limits":{},"compression":"none"})";
  CHECK(!Json(c->Api("$JS.API.STREAM.CREATE.KV_cb", explicit_defaults)).contains("error"));
  // Different history: 10058.
  std::string different = kCConfig;
  different.replace(different.find("\"max_msgs_per_subject\":5"), 24, "\"max_msgs_per_subject\":6");
  auto err = Json(c->Api("$JS.API.STREAM.CREATE.KV_cb", different));
  CHECK(err["type"] == "io.nats.jetstream.api.v1.stream_create_response");
  CHECK(err["error"]["code"] == 400);
  CHECK(err["error"]["err_code"] == 10058);
  CHECK(err["error"]["description"] == "stream name already in use with a different configuration");
  // Update to the new config works (the Go re-create path).
  auto upd = Json(c->Api("$JS.API.STREAM.UPDATE.KV_cb", different));
  CHECK(upd["type"] == "io.nats.jetstream.api.v1.stream_update_response");
  CHECK(upd["config"]["max_msgs_per_subject"] == 6);
  CHECK(h.engine.FindBucket("cb")->config().history == 6);
}

TEST_CASE("stream create rejects what kvgate does not serve", "[nats][jetstream]") {
  NatsHarness h;
  auto c = h.Connect();
  auto mismatch = Json(c->Api("$JS.API.STREAM.CREATE.KV_other", kCConfig));
  CHECK(mismatch["error"]["err_code"] == 10056);
  auto bad_json = Json(c->Api("$JS.API.STREAM.CREATE.KV_x", "{not json"));
  CHECK(bad_json["error"]["err_code"] == 10025);
  CHECK(bad_json["error"]["description"] == "invalid JSON");
  auto empty = Json(c->Api("$JS.API.STREAM.CREATE.KV_x", ""));
  CHECK(empty["error"]["err_code"] == 10025);
  auto bad_enum = Json(c->Api("$JS.API.STREAM.CREATE.KV_x",
                              R"({"name":"KV_x","subjects":["$KV.x.>"],"storage":"tape"})"));
  CHECK(bad_enum["error"]["err_code"] == 10025);
  auto not_kv =
      Json(c->Api("$JS.API.STREAM.CREATE.ORDERS", R"({"name":"ORDERS","subjects":["orders.>"]})"));
  CHECK(not_kv["error"]["err_code"] == 10052);
  auto wrong_subjects =
      Json(c->Api("$JS.API.STREAM.CREATE.KV_x", R"({"name":"KV_x","subjects":["$KV.y.>"]})"));
  CHECK(wrong_subjects["error"]["err_code"] == 10052);
  REQUIRE(!Json(c->Api("$JS.API.STREAM.CREATE.KV_y", R"({"name":"KV_y","subjects":["$KV.y.>"]})"))
               .contains("error"));
  auto overlap =
      Json(c->Api("$JS.API.STREAM.CREATE.KV_z", R"({"name":"KV_z","subjects":["$KV.y.>"]})"));
  CHECK(overlap["error"]["err_code"] == 10065);
  CHECK(overlap["error"]["description"] == "subjects overlap with an existing stream");
  c->Api("$JS.API.STREAM.DELETE.KV_y");
  auto replicas = Json(c->Api("$JS.API.STREAM.CREATE.KV_x",
                              R"({"name":"KV_x","subjects":["$KV.x.>"],"num_replicas":3})"));
  CHECK(replicas["error"]["err_code"] == 10074);
  auto negative = Json(c->Api("$JS.API.STREAM.CREATE.KV_x",
                              R"({"name":"KV_x","subjects":["$KV.x.>"],"num_replicas":-1})"));
  CHECK(negative["error"]["err_code"] == 10133);
  auto dup_window = Json(c->Api(
      "$JS.API.STREAM.CREATE.KV_x",
      R"({"name":"KV_x","subjects":["$KV.x.>"],"max_age":1000000000,"duplicate_window":2000000000})"));
  CHECK(dup_window["error"]["err_code"] == 10052);
  CHECK(h.engine.ListBuckets().empty());
}

TEST_CASE("stream info, missing stream 10059 with paging fields", "[nats][jetstream]") {
  NatsHarness h;
  auto c = h.Connect();
  CHECK(
      c->Api("$JS.API.STREAM.INFO.KV_nope") ==
      R"({"type":"io.nats.jetstream.api.v1.stream_info_response","error":{"code":404,"err_code":10059,"description":"stream not found"},"total":0,"offset":0,"limit":0})");
  c->Api("$JS.API.STREAM.CREATE.KV_b", MinimalConfig("b", 5));
  c->Request("$KV.b.a", "1");
  c->Request("$KV.b.c", "1");
  c->Request("$KV.b.c", "22");
  c->Request("$KV.b.c", "333");
  auto v = Json(c->Api("$JS.API.STREAM.INFO.KV_b"));
  CHECK(v["total"] == 0);
  CHECK(v["state"]["messages"] == 4);
  // nats-server units: per message subject ($KV.b.<k>, 7 bytes) + payload + 16.
  CHECK(v["state"]["bytes"] == (7 + 1 + 16) + (7 + 1 + 16) + (7 + 2 + 16) + (7 + 3 + 16));
  CHECK(v["state"]["first_seq"] == 1);
  CHECK(v["state"]["last_seq"] == 4);
  CHECK(v["state"]["num_subjects"] == 2);
  CHECK(v["state"]["consumer_count"] == 0);
  CHECK(v["state"]["last_ts"] != "0001-01-01T00:00:00Z");
  CHECK(!v["state"].contains("subjects"));
  auto subjects = Json(c->Api("$JS.API.STREAM.INFO.KV_b", R"({"subjects_filter":">"})"));
  CHECK(subjects["total"] == 2);
  CHECK(subjects["state"]["subjects"]["$KV.b.a"] == 1);
  CHECK(subjects["state"]["subjects"]["$KV.b.c"] == 3);
  auto only_c = Json(c->Api("$JS.API.STREAM.INFO.KV_b", R"({"subjects_filter":"$KV.b.c"})"));
  CHECK(only_c["state"]["subjects"].size() == 1);
}

TEST_CASE("stream names and list: subject collision filter, paging, empty forms",
          "[nats][jetstream]") {
  NatsHarness h;
  auto c = h.Connect();
  auto none = Json(c->Api("$JS.API.STREAM.NAMES", R"({"subject":"$KV.x.k"})"));
  CHECK(none["streams"].is_null());
  CHECK(none["total"] == 0);
  auto none_list = Json(c->Api("$JS.API.STREAM.LIST", ""));
  CHECK(none_list["streams"].is_array());
  CHECK(none_list["streams"].empty());
  for (std::string b : {"cb", "aa", "raw"})
    c->Api("$JS.API.STREAM.CREATE.KV_" + b, MinimalConfig(b));
  // A bucket created by the Redis side shows up too.
  REQUIRE(h.engine.CreateBucket("db0", engine::BucketConfig{}).ok());

  auto all = Json(c->Api("$JS.API.STREAM.NAMES", ""));
  CHECK(all["type"] == "io.nats.jetstream.api.v1.stream_names_response");
  CHECK(all["total"] == 4);
  CHECK(all["limit"] == 1024);
  CHECK(all["streams"] == Json(R"(["KV_aa","KV_cb","KV_db0","KV_raw"])"));
  for (const char* filter : {"$KV.cb.k3", "$KV.cb.dir.*", "$KV.cb.nothing.here.*", "$KV.cb.>"}) {
    auto v = Json(c->Api("$JS.API.STREAM.NAMES", std::string(R"({"subject":")") + filter + "\"}"));
    INFO(filter);
    CHECK(v["streams"] == Json(R"(["KV_cb"])"));
  }
  auto every = Json(c->Api("$JS.API.STREAM.NAMES", R"({"subject":"$KV.*.\u003e"})"));
  CHECK(every["total"] == 4);
  auto paged = Json(c->Api("$JS.API.STREAM.NAMES", R"({"offset":3})"));
  CHECK(paged["total"] == 4);
  CHECK(paged["offset"] == 3);
  CHECK(paged["streams"] == Json(R"(["KV_raw"])"));

  auto list = Json(c->Api("$JS.API.STREAM.LIST", R"({"offset":0})"));
  CHECK(list["type"] == "io.nats.jetstream.api.v1.stream_list_response");
  CHECK(list["limit"] == 256);
  REQUIRE(list["streams"].size() == 4);
  CHECK(list["streams"][2]["config"]["name"] == "KV_db0");
  CHECK(list["streams"][2]["config"]["allow_direct"] == true);
  CHECK(!list["streams"][0].contains("type"));
}

TEST_CASE("stream delete and purge", "[nats][jetstream]") {
  NatsHarness h;
  auto c = h.Connect();
  c->Api("$JS.API.STREAM.CREATE.KV_p", MinimalConfig("p", 5));
  for (int i = 0; i < 3; ++i) c->Request("$KV.p.k1", "v" + std::to_string(i));
  c->Request("$KV.p.k2", "x");
  c->Request("$KV.p.k3", "y");
  // keep:1 on a subject keeps its newest message.
  CHECK(
      Json(c->Api("$JS.API.STREAM.PURGE.KV_p", R"({"filter":"$KV.p.k1","keep":1})")) ==
      Json(
          R"({"type":"io.nats.jetstream.api.v1.stream_purge_response","success":true,"purged":2})"));
  CHECK(Json(c->Api("$JS.API.STREAM.PURGE.KV_p", R"({"filter":"$KV.p.k2"})"))["purged"] == 1);
  CHECK(Json(c->Api("$JS.API.STREAM.PURGE.KV_p", R"({"keep":1,"seq":3})"))["error"]["err_code"] ==
        10003);
  // Whole stream: first_seq moves past last_seq.
  CHECK(Json(c->Api("$JS.API.STREAM.PURGE.KV_p"))["purged"] == 2);
  auto info = Json(c->Api("$JS.API.STREAM.INFO.KV_p"));
  CHECK(info["state"]["messages"] == 0);
  CHECK(info["state"]["first_seq"] == 6);
  CHECK(info["state"]["last_seq"] == 5);

  CHECK(Json(c->Api("$JS.API.STREAM.DELETE.KV_p")) ==
        Json(R"({"type":"io.nats.jetstream.api.v1.stream_delete_response","success":true})"));
  CHECK(h.engine.FindBucket("p") == nullptr);
  CHECK(Json(c->Api("$JS.API.STREAM.DELETE.KV_p"))["error"]["err_code"] == 10059);
  // A put into a deleted bucket gets no-responders.
  auto f = c->Request("$KV.p.k1", "v");
  CHECK(f.op == "HMSG");
  CHECK(f.headers == "NATS/1.0 503\r\n\r\n");
}

TEST_CASE("requests needing a newer API level get 10185", "[nats][jetstream]") {
  NatsHarness h;
  auto c = h.Connect();
  // kvgate is at level 1 (per-message TTL + subject delete markers): level 2 is refused.
  CHECK(Json(c->Api("$JS.API.INFO"))["api"]["level"] == 1);
  auto f = c->Request("$JS.API.STREAM.CREATE.KV_x", MinimalConfig("x"),
                      "NATS/1.0\r\nNats-Required-Api-Level: 2\r\n\r\n");
  auto v = Json(f.payload);
  CHECK(v["type"] == "io.nats.jetstream.api.v1.stream_create_response");
  CHECK(v["error"]["code"] == 412);
  CHECK(v["error"]["err_code"] == 10185);
  CHECK(h.engine.FindBucket("x") == nullptr);
  auto ok = c->Request("$JS.API.STREAM.CREATE.KV_x", MinimalConfig("x"),
                       "NATS/1.0\r\nNats-Required-Api-Level: 1\r\n\r\n");
  CHECK(!Json(ok.payload).contains("error"));
}

TEST_CASE("unknown JetStream APIs get an error, not silence", "[nats][jetstream]") {
  NatsHarness h;
  auto c = h.Connect();
  auto v = Json(c->Api("$JS.API.STREAM.SNAPSHOT.KV_x"));
  CHECK(v["error"]["err_code"] == 10003);
  auto w = Json(c->Api("$JS.API.CONSUMER.MSG.NEXT.KV_x.c"));
  CHECK(w["error"]["code"] == 400);
  auto info = Json(c->Api("$JS.API.INFO"));
  CHECK(info["api"]["errors"] == 2);
}

}  // namespace kvgate::nats::testing

namespace kvgate::nats::testing {

TEST_CASE("deeply nested JSON bodies are refused without recursion", "[nats][jetstream]") {
  NatsHarness h;
  auto c = h.Connect();
  const size_t depth = 400'000;  // under max_payload (1 MiB)
  std::string nested = std::string(depth, '[') + std::string(depth, ']');
  std::string body = R"({"name":"KV_x","subjects":["$KV.x.>"],"metadata":)" + nested + "}";
  auto v = Json(c->Api("$JS.API.STREAM.CREATE.KV_x", body));
  CHECK(v.contains("error"));
  auto w = Json(c->Api("$JS.API.STREAM.INFO.KV_x", nested));
  CHECK(w.contains("error"));
  std::string consumer = R"({"config":{"deliver_subject":"x","backoff":)" + nested + "}}";
  CHECK(Json(c->Api("$JS.API.CONSUMER.CREATE.KV_x", consumer)).contains("error"));
}

}  // namespace kvgate::nats::testing
