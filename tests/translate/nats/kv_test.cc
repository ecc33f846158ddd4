// KV operations as clients put them on the wire: $KV publishes with PubAcks, CAS 10071,
// delete/purge/rollup markers, direct get (both forms) and STREAM.MSG.GET with their exact
// not-found forms, Nats-TTL, Nats-Msg-Id dedupe, and buckets shared with the Redis side.
#include <catch2/catch.hpp>

#include <cmath>

#include "engine/collections/zset_value.h"

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

void CreateBucket(TestClient& c, const std::string& b, int history = 5, bool direct = true,
                  const std::string& extra = "") {
  std::string cfg = R"({"name":"KV_)" + b + R"(","subjects":["$KV.)" + b +
                    R"(.>"],"max_msgs_per_subject":)" + std::to_string(history) +
                    R"(,"allow_direct":)" + (direct ? "true" : "false") +
                    R"(,"allow_rollup_hdrs":true,"deny_delete":true,"discard":"new")" + extra + "}";
  auto v = Json(c.Api("$JS.API.STREAM.CREATE.KV_" + b, cfg));
  REQUIRE(!v.contains("error"));
}

const std::string kCreateHdr = "NATS/1.0\r\nNats-Expected-Last-Subject-Sequence: 0\r\n\r\n";
const std::string kDelHdr = "NATS/1.0\r\nKV-Operation: DEL\r\n\r\n";
const std::string kPurgeHdr = "NATS/1.0\r\nKV-Operation: PURGE\r\nNats-Rollup: sub\r\n\r\n";

std::string Expect(uint64_t rev) {
  return "NATS/1.0\r\nNats-Expected-Last-Subject-Sequence: " + std::to_string(rev) + "\r\n\r\n";
}

natswire::HeaderBlock Headers(const Frame& f) {
  natswire::HeaderBlock h;
  REQUIRE(natswire::ParseHeaderBlock(f.headers, &h));
  return h;
}

}  // namespace

TEST_CASE("put: PubAck with stream and sequence = revision", "[nats][kv]") {
  NatsHarness h;
  auto c = h.Connect();
  CreateBucket(*c, "gb");
  CHECK(c->Api("$KV.gb.k1", "v1") == R"({"stream":"KV_gb","seq":1})");
  CHECK(c->Api("$KV.gb.k2", "v2") == R"({"stream":"KV_gb","seq":2})");
  // nats.js: plain values as HPUB with a zero-length header block.
  CHECK(c->Request("$KV.gb.k1", "v3", {}).payload == R"({"stream":"KV_gb","seq":3})");
  auto e = h.engine.FindBucket("gb")->Get("k1");
  REQUIRE(e.ok());
  CHECK(e->value == "v3");
  CHECK(e->revision == 3);
  // Without a reply the put still happens, silently.
  c->Send("PUB $KV.gb.k9 1\r\nz\r\n");
  CHECK(c->Read().empty());
  CHECK(h.engine.FindBucket("gb")->Get("k9").ok());
}

TEST_CASE("create and update with Nats-Expected-Last-Subject-Sequence (10071)", "[nats][kv]") {
  NatsHarness h;
  auto c = h.Connect();
  CreateBucket(*c, "gb");
  c->Api("$KV.gb.k1", "v1");
  CHECK(c->Request("$KV.gb.k2", "v2", kCreateHdr).payload == R"({"stream":"KV_gb","seq":2})");
  CHECK(
      c->Request("$KV.gb.k2", "again", kCreateHdr).payload ==
      R"({"error":{"code":400,"err_code":10071,"description":"wrong last sequence: 2"},"stream":"KV_gb","seq":0})");
  CHECK(c->Request("$KV.gb.k1", "v1b", Expect(1)).payload == R"({"stream":"KV_gb","seq":3})");
  CHECK(
      c->Request("$KV.gb.k1", "v1c", Expect(1)).payload ==
      R"({"error":{"code":400,"err_code":10071,"description":"wrong last sequence: 3"},"stream":"KV_gb","seq":0})");
  // Non-numeric: a mismatch, like nats-server.
  auto bad = Json(
      c->Request("$KV.gb.new", "x", "NATS/1.0\r\nNats-Expected-Last-Subject-Sequence: abc\r\n\r\n")
          .payload);
  CHECK(bad["error"]["description"] == "wrong last sequence: 0");
  // Create after delete: 10071 with the tombstone's sequence, then create with it.
  CHECK(c->Request("$KV.gb.k2", "", kDelHdr).payload == R"({"stream":"KV_gb","seq":4})");
  CHECK(Json(c->Request("$KV.gb.k2", "v2again", kCreateHdr).payload)["error"]["description"] ==
        "wrong last sequence: 4");
  auto tomb = c->Request("$JS.API.DIRECT.GET.KV_gb.$KV.gb.k2", "");
  CHECK(Headers(tomb).Get("KV-Operation") == std::optional<std::string_view>("DEL"));
  CHECK(Headers(tomb).Get("Nats-Sequence") == std::optional<std::string_view>("4"));
  CHECK(c->Request("$KV.gb.k2", "v2again", Expect(4)).payload == R"({"stream":"KV_gb","seq":5})");
  // The stored headers (including the CAS header) come back on get.
  auto got = c->Request("$JS.API.DIRECT.GET.KV_gb", R"({"seq":5})");
  CHECK(Headers(got).Get("Nats-Expected-Last-Subject-Sequence") ==
        std::optional<std::string_view>("4"));
  // Nats-Expected-Last-Sequence (whole stream).
  CHECK(c->Request("$KV.gb.z", "1", "NATS/1.0\r\nNats-Expected-Last-Sequence: 5\r\n\r\n").payload ==
        R"({"stream":"KV_gb","seq":6})");
  CHECK(Json(c->Request("$KV.gb.z", "1", "NATS/1.0\r\nNats-Expected-Last-Sequence: 5\r\n\r\n")
                 .payload)["error"]["err_code"] == 10071);
  CHECK(Json(c->Request("$KV.gb.z", "1", "NATS/1.0\r\nNats-Expected-Stream: KV_x\r\n\r\n")
                 .payload)["error"]["err_code"] == 10060);
}

TEST_CASE("direct get: exact wire form, tombstones, 404 and 408", "[nats][kv]") {
  NatsHarness h;
  auto c = h.Connect();
  CreateBucket(*c, "gb");
  c->Api("$KV.gb.k1", "v1");
  auto f = c->Request("$JS.API.DIRECT.GET.KV_gb.$KV.gb.k1", "");
  REQUIRE(f.op == "HMSG");
  CHECK(f.sid == "9999");
  CHECK(f.payload == "v1");
  const std::string ts = FormatRfc3339Nano(h.clock.NowNs());
  CHECK(f.headers ==
        "NATS/1.0\r\nNats-Stream: KV_gb\r\nNats-Subject: $KV.gb.k1\r\nNats-Sequence: 1\r\n"
        "Nats-Time-Stamp: " +
            ts + "\r\n\r\n");
  auto by_seq = c->Request("$JS.API.DIRECT.GET.KV_gb", R"({"seq":1})");
  CHECK(by_seq.headers == f.headers);
  auto last = c->Request("$JS.API.DIRECT.GET.KV_gb", R"({"last_by_subj":"$KV.gb.k1"})");
  CHECK(last.headers == f.headers);

  c->Request("$KV.gb.k1", "", kDelHdr);
  auto tomb = c->Request("$JS.API.DIRECT.GET.KV_gb.$KV.gb.k1", "");
  CHECK(tomb.payload.empty());
  CHECK(tomb.headers.rfind("NATS/1.0\r\nKV-Operation: DEL\r\nNats-Stream: KV_gb\r\n", 0) == 0);

  const std::string not_found = "NATS/1.0 404 Message Not Found\r\n\r\n";
  CHECK(c->Request("$JS.API.DIRECT.GET.KV_gb.$KV.gb.nope", "").headers == not_found);
  auto missing_seq = c->Request("$JS.API.DIRECT.GET.KV_gb", R"({"seq":99})");
  CHECK(missing_seq.headers == not_found);
  CHECK(missing_seq.payload.empty());
  CHECK(c->Request("$JS.API.DIRECT.GET.KV_gb", "").headers == "NATS/1.0 408 Empty Request\r\n\r\n");
  CHECK(c->Request("$JS.API.DIRECT.GET.KV_gb", "{bad").headers ==
        "NATS/1.0 408 Malformed Request\r\n\r\n");
  // Unknown stream: nobody serves it, so no-responders rather than a timeout.
  CHECK(c->Request("$JS.API.DIRECT.GET.KV_none.$KV.none.k", "").headers == "NATS/1.0 503\r\n\r\n");
}

TEST_CASE("direct get is not served for buckets without allow_direct", "[nats][kv]") {
  NatsHarness h;
  auto c = h.Connect();
  CreateBucket(*c, "nd", 5, /*direct=*/false);
  c->Api("$KV.nd.a", "1");
  CHECK(c->Request("$JS.API.DIRECT.GET.KV_nd.$KV.nd.a", "").headers == "NATS/1.0 503\r\n\r\n");
}

TEST_CASE("STREAM.MSG.GET: message JSON, base64, 10037 and 10003", "[nats][kv]") {
  NatsHarness h;
  auto c = h.Connect();
  CreateBucket(*c, "nd", 5, /*direct=*/false);
  c->Api("$KV.nd.a", "1");
  auto v = Json(c->Api("$JS.API.STREAM.MSG.GET.KV_nd", R"({"last_by_subj":"$KV.nd.a"})"));
  CHECK(v["type"] == "io.nats.jetstream.api.v1.stream_msg_get_response");
  CHECK(v["message"]["subject"] == "$KV.nd.a");
  CHECK(v["message"]["seq"] == 1);
  CHECK(v["message"]["data"] == "MQ==");
  CHECK(!v["message"].contains("hdrs"));
  CHECK(v["message"]["time"] == FormatRfc3339Nano(h.clock.NowNs()));
  c->Request("$KV.nd.a", "", kDelHdr);
  auto tomb = Json(c->Api("$JS.API.STREAM.MSG.GET.KV_nd", R"({"last_by_subj":"$KV.nd.a"})"));
  CHECK(tomb["message"]["seq"] == 2);
  CHECK(tomb["message"]["hdrs"] == "TkFUUy8xLjANCktWLU9wZXJhdGlvbjogREVMDQoNCg==");
  CHECK(!tomb["message"].contains("data"));
  CHECK(Json(c->Api("$JS.API.STREAM.MSG.GET.KV_nd", R"({"seq":1})"))["message"]["data"] == "MQ==");
  CHECK(
      c->Api("$JS.API.STREAM.MSG.GET.KV_nd", R"({"seq":99999})") ==
      R"({"type":"io.nats.jetstream.api.v1.stream_msg_get_response","error":{"code":404,"err_code":10037,"description":"no message found"}})");
  CHECK(Json(c->Api("$JS.API.STREAM.MSG.GET.KV_nd",
                    R"({"last_by_subj":"$KV.nd.zz"})"))["error"]["err_code"] == 10037);
  CHECK(Json(c->Api("$JS.API.STREAM.MSG.GET.KV_nd", "{}"))["error"]["err_code"] == 10003);
  CHECK(Json(c->Api("$JS.API.STREAM.MSG.GET.KV_nd",
                    R"({"seq":1,"last_by_subj":"$KV.nd.a"})"))["error"]["err_code"] == 10003);
  CHECK(Json(c->Api("$JS.API.STREAM.MSG.GET.KV_none", R"({"seq":1})"))["error"]["err_code"] ==
        10059);
  // next_by_subj with a wildcard.
  c->Api("$KV.nd.b", "2");
  auto next =
      Json(c->Api("$JS.API.STREAM.MSG.GET.KV_nd", R"({"next_by_subj":"$KV.nd.*","seq":2})"));
  CHECK(next["message"]["seq"] == 2);
  auto newest = Json(c->Api("$JS.API.STREAM.MSG.GET.KV_nd", R"({"last_by_subj":"$KV.nd.*"})"));
  CHECK(newest["message"]["seq"] == 3);
}

TEST_CASE("delete, purge with rollup, put with rollup, history trimming", "[nats][kv]") {
  NatsHarness h;
  auto c = h.Connect();
  CreateBucket(*c, "r2", 10);
  for (int i = 0; i < 3; ++i) c->Api("$KV.r2.c", "v" + std::to_string(i));
  c->Api("$KV.r2.d", "x");
  engine::Bucket* b = h.engine.FindBucket("r2");
  CHECK(b->History("c").size() == 3);
  CHECK(c->Request("$KV.r2.c", "", kPurgeHdr).payload == R"({"stream":"KV_r2","seq":5})");
  auto hist = b->History("c");
  REQUIRE(hist.size() == 1);
  CHECK(hist[0].op == engine::Op::kPurge);
  CHECK(hist[0].meta == kPurgeHdr);
  // C client header order: rollup first.
  c->Api("$KV.r2.d", "y");
  CHECK(c->Request("$KV.r2.d", "", "NATS/1.0\r\nNats-Rollup: sub\r\nKV-Operation: PURGE\r\n\r\n")
            .payload == R"({"stream":"KV_r2","seq":7})");
  CHECK(b->History("d").size() == 1);
  // A value with Nats-Rollup: sub keeps only itself.
  c->Api("$KV.r2.e", "1");
  c->Api("$KV.r2.e", "2");
  c->Request("$KV.r2.e", "3", "NATS/1.0\r\nNats-Rollup: sub\r\n\r\n");
  REQUIRE(b->History("e").size() == 1);
  CHECK(b->History("e")[0].value == "3");
  CHECK(Json(c->Request("$KV.r2.e", "4", "NATS/1.0\r\nNats-Rollup: bogus\r\n\r\n")
                 .payload)["error"]["err_code"] == 10111);

  // Without allow_rollup_hdrs: 10111 rollup not permitted.
  auto v = Json(c->Api("$JS.API.STREAM.CREATE.KV_nr",
                       R"({"name":"KV_nr","subjects":["$KV.nr.>"],"max_msgs_per_subject":5})"));
  REQUIRE(!v.contains("error"));
  CHECK(
      c->Request("$KV.nr.k", "", kPurgeHdr).payload ==
      R"({"error":{"code":500,"err_code":10111,"description":"rollup not permitted"},"stream":"KV_nr","seq":0})");

  // History depth = max_msgs_per_subject.
  CreateBucket(*c, "h2", 2);
  for (int i = 0; i < 5; ++i) c->Api("$KV.h2.k", std::to_string(i));
  CHECK(h.engine.FindBucket("h2")->History("k").size() == 2);
}

TEST_CASE("limits: message size, invalid keys, malformed headers", "[nats][kv]") {
  NatsHarness h;
  auto c = h.Connect();
  CreateBucket(*c, "lim", 5, true, R"(,"max_msg_size":8)");
  CHECK(c->Api("$KV.lim.k", "12345678") == R"({"stream":"KV_lim","seq":1})");
  CHECK(
      c->Api("$KV.lim.k", "123456789") ==
      R"({"error":{"code":400,"err_code":10054,"description":"message size exceeds maximum allowed"},"stream":"KV_lim","seq":0})");
  CHECK(Json(c->Api("$KV.lim.a..b", "1"))["error"]["err_code"] == 10003);
  CHECK(Json(c->Request("$KV.lim.k", "1", "garbage\r\n\r\n").payload)["error"]["err_code"] ==
        10003);
}

TEST_CASE("over the memory limit puts fail with 10028, while deletes, purges and reads work",
          "[nats][kv]") {
  NatsHarness h;
  auto c = h.Connect();
  CreateBucket(*c, "mem", 1);
  REQUIRE(c->Api("$KV.mem.keep", "v") == R"({"stream":"KV_mem","seq":1})");
  engine::Engine::Limits limits = h.engine.limits();
  limits.max_memory_bytes = h.engine.MemoryUsed();  // no room for anything new
  h.engine.SetLimits(limits);
  const std::string value(4096, 'x');
  CHECK(
      c->Api("$KV.mem.k", value) ==
      R"({"error":{"code":500,"err_code":10028,"description":"insufficient memory resources available"},"stream":"KV_mem","seq":0})");
  CHECK(h.engine.FindBucket("mem")->Get("k").errc() == engine::Errc::kNotFound);
  // Reads and removals still work, so a full server can be emptied by its clients.
  auto got = c->Request("$JS.API.DIRECT.GET.KV_mem.$KV.mem.keep", "");
  CHECK(got.payload == "v");
  CHECK(Json(c->Request("$KV.mem.keep", "", kPurgeHdr).payload)["seq"] == 2);
  // The connection is still usable after the refusals.
  c->Send("PING\r\n");
  CHECK(c->Read() == "PONG\r\n");
}

TEST_CASE("checks run in nats-server's order: CAS before size, discard-new max_bytes",
          "[nats][kv]") {
  NatsHarness h;
  auto c = h.Connect();
  // As raw.py probes nats-server: max_msg_size 16, max_bytes 200, history 3, discard new.
  REQUIRE(
      !Json(
           c->Api(
               "$JS.API.STREAM.CREATE.KV_raw",
               R"({"name":"KV_raw","subjects":["$KV.raw.>"],"max_msgs_per_subject":3,)"
               R"("discard":"new","allow_rollup_hdrs":true,"deny_delete":true,"allow_direct":true,)"
               R"("max_msg_size":16,"max_bytes":200,"storage":"memory","num_replicas":1})"))
           .contains("error"));
  CHECK(Json(c->Api("$KV.raw.a", "0123456789abcdefXYZ"))["error"]["err_code"] == 10054);
  // The CAS header alone is bigger than 16 bytes: the CAS error still wins.
  CHECK(Json(c->Request("$KV.raw.b", "x", Expect(7)).payload)["error"]["description"] ==
        "wrong last sequence: 0");
  // A purge marker's header block counts against max_msg_size.
  c->Api("$KV.raw.c", "c0");
  CHECK(Json(c->Request("$KV.raw.c", "", kPurgeHdr).payload)["error"]["err_code"] == 10054);
  // Fill up: c0 is stored as 9 + 2 + 16 = 27 "nats bytes", each kN as 10 + 4 + 16 = 30; an
  // incoming message counts its 4 payload bytes: the 7th would cross 200 (nats-server 2.9).
  std::vector<int> codes;
  for (int i = 0; i < 10; ++i) {
    auto v = Json(c->Api("$KV.raw.k" + std::to_string(i), "vvvv"));
    codes.push_back(v.contains("error") ? v["error"]["err_code"].get<int>() : 0);
  }
  CHECK(codes == std::vector<int>{0, 0, 0, 0, 0, 0, 10077, 10077, 10077, 10077});
  CHECK(Json(c->Api("$KV.raw.k9", "vvvv"))["error"]["description"] == "maximum bytes exceeded");
}

TEST_CASE("Nats-TTL needs allow_msg_ttl and expires the key", "[nats][kv]") {
  NatsHarness h;
  auto c = h.Connect();
  CreateBucket(*c, "nottl");
  CHECK(Json(c->Request("$KV.nottl.k", "v", "NATS/1.0\r\nNats-TTL: 5s\r\n\r\n")
                 .payload)["error"]["err_code"] == 10166);
  CreateBucket(*c, "ttl", 5, true, R"(,"allow_msg_ttl":true)");
  CHECK(Json(c->Request("$KV.ttl.k", "v", "NATS/1.0\r\nNats-TTL: 500ms\r\n\r\n")
                 .payload)["error"]["err_code"] == 10165);
  CHECK(Json(c->Request("$KV.ttl.k", "v", "NATS/1.0\r\nNats-TTL: soon\r\n\r\n")
                 .payload)["error"]["err_code"] == 10165);
  CHECK(c->Request("$KV.ttl.k", "v", "NATS/1.0\r\nNats-TTL: 2s\r\n\r\n").payload ==
        R"({"stream":"KV_ttl","seq":1})");
  CHECK(c->Request("$KV.ttl.forever", "v", "NATS/1.0\r\nNats-TTL: never\r\n\r\n").payload ==
        R"({"stream":"KV_ttl","seq":2})");
  CHECK(c->Request("$JS.API.DIRECT.GET.KV_ttl.$KV.ttl.k", "").payload == "v");
  h.Advance(2100);
  auto gone = c->Request("$JS.API.DIRECT.GET.KV_ttl.$KV.ttl.k", "");
  // Expired: the engine's purge marker is presented as a KV PURGE.
  CHECK(gone.payload.empty());
  CHECK(Headers(gone).Get("KV-Operation") == std::optional<std::string_view>("PURGE"));
  CHECK(c->Request("$JS.API.DIRECT.GET.KV_ttl.$KV.ttl.forever", "").payload == "v");
}

TEST_CASE("Nats-Msg-Id deduplicates within the duplicate window", "[nats][kv]") {
  NatsHarness h;
  auto c = h.Connect();
  CreateBucket(*c, "r2");
  const std::string id = "NATS/1.0\r\nNats-Msg-Id: abc\r\n\r\n";
  CHECK(c->Request("$KV.r2.k", "1", id).payload == R"({"stream":"KV_r2","seq":1})");
  CHECK(c->Request("$KV.r2.k", "2", id).payload ==
        R"({"stream":"KV_r2","seq":1,"duplicate":true})");
  CHECK(h.engine.FindBucket("r2")->LastRevision() == 1);
  h.Advance(121'000, 1000);  // default window: 2 min
  CHECK(c->Request("$KV.r2.k", "3", id).payload == R"({"stream":"KV_r2","seq":2})");
}

TEST_CASE("buckets are shared with the engine's other users", "[nats][kv]") {
  NatsHarness h;
  auto c = h.Connect();
  // A Redis database bucket: tombstones without NATS headers, values without headers.
  engine::Bucket* db0 = *h.engine.CreateBucket("db0", engine::BucketConfig{});
  REQUIRE(db0->Put("greeting", "hello", {}).ok());
  REQUIRE(db0->Put("gone", "x", {}).ok());
  REQUIRE(db0->Delete("gone", {}).ok());
  auto info = Json(c->Api("$JS.API.STREAM.INFO.KV_db0"));
  CHECK(info["config"]["subjects"][0] == "$KV.db0.>");
  CHECK(info["config"]["max_msgs_per_subject"] == 1);
  CHECK(info["state"]["last_seq"] == 3);
  auto f = c->Request("$JS.API.DIRECT.GET.KV_db0.$KV.db0.greeting", "");
  CHECK(f.payload == "hello");
  CHECK(Headers(f).Get("Nats-Sequence") == std::optional<std::string_view>("1"));
  auto tomb = c->Request("$JS.API.DIRECT.GET.KV_db0.$KV.db0.gone", "");
  CHECK(Headers(tomb).Get("KV-Operation") == std::optional<std::string_view>("DEL"));
  // And NATS writes are visible to the engine's other users at the same revision.
  CHECK(c->Api("$KV.db0.greeting", "hi") == R"({"stream":"KV_db0","seq":4})");
  CHECK(db0->Get("greeting")->value == "hi");
}

TEST_CASE("a direct get of a sorted set answers its JSON pairs in order", "[nats][kv][zsets]") {
  NatsHarness h;
  auto c = h.Connect();
  engine::Bucket* db0 = *h.engine.CreateBucket("db0", engine::BucketConfig{});
  engine::CollectionRef z(engine::NewCollection(engine::ValueType::kZSet));
  auto& zs = static_cast<engine::ZSetValue&>(*z);
  zs.Set("b", 2.5);
  zs.Set("a", -1);
  zs.Set("top", INFINITY);
  REQUIRE(db0->PutObject("z", z.get(), {}).ok());
  auto f = c->Request("$JS.API.DIRECT.GET.KV_db0.$KV.db0.z", "");
  CHECK(f.payload == R"([["a",-1],["b",2.5],["top","inf"]])");
  CHECK(Headers(f).Get("KV-Type") == std::optional<std::string_view>("zset"));
}

}  // namespace kvgate::nats::testing
