// Helpers of the NATS front: subject rules, the sublist index, JetStream time formats, the
// StreamConfig normalization that makes idempotent creates work, and the error table.
#include <catch2/catch.hpp>
#include <memory>
#include <set>

#include "engine/filter.h"
#include "translate/nats/js_errors.h"
#include "translate/nats/js_time.h"
#include "translate/nats/kv_headers.h"
#include "translate/nats/stream_config.h"
#include "translate/nats/subject.h"
#include "translate/nats/sublist.h"

namespace kvgate::nats {

TEST_CASE("subject validity", "[nats][subject]") {
  for (const char* ok : {"foo", "foo.bar", "foo.*", "foo.>", "*", ">", "$KV.b.k", "_INBOX.a.*",
                         "a.b/c=d-e_f", "foo*.bar"}) {
    INFO(ok);
    CHECK(IsValidSubject(ok));
  }
  for (const char* bad : {"", ".", "foo.", ".foo", "foo..bar", "foo.>.bar", "foo bar", "a\tb"}) {
    INFO(bad);
    CHECK_FALSE(IsValidSubject(bad));
  }
  CHECK(IsValidLiteralSubject("foo.bar"));
  CHECK(IsValidLiteralSubject("foo*.bar"));
  CHECK_FALSE(IsValidLiteralSubject("foo.*"));
  CHECK_FALSE(IsValidLiteralSubject("foo.>"));
}

TEST_CASE("subject matching, collision and subset", "[nats][subject]") {
  CHECK(SubjectMatches("foo.*", "foo.bar"));
  CHECK_FALSE(SubjectMatches("foo.*", "foo.bar.baz"));
  CHECK(SubjectMatches("foo.>", "foo.bar.baz"));
  CHECK_FALSE(SubjectMatches("foo.>", "foo"));
  CHECK(SubjectMatches(">", "a"));
  CHECK(SubjectMatches("a.b", "a.b"));
  CHECK_FALSE(SubjectMatches("a.b", "a.b.c"));

  CHECK(SubjectsCollide("$KV.cb.>", "$KV.cb.k3"));
  CHECK(SubjectsCollide("$KV.cb.>", "$KV.cb.dir.*"));
  CHECK(SubjectsCollide("$KV.cb.>", "$KV.*.>"));
  CHECK(SubjectsCollide("$KV.*.k", "$KV.b.*"));
  CHECK_FALSE(SubjectsCollide("$KV.cb.>", "$KV.other.>"));
  CHECK_FALSE(SubjectsCollide("$KV.cb.>", "$KV.cb"));
  CHECK_FALSE(SubjectsCollide("a.*", "a.b.c"));

  CHECK(SubjectIsSubsetOf("$KV.b.k", "$KV.b.>"));
  CHECK(SubjectIsSubsetOf("$KV.b.>", "$KV.b.>"));
  CHECK(SubjectIsSubsetOf("$KV.b.*.x", "$KV.b.>"));
  CHECK_FALSE(SubjectIsSubsetOf("$KV.*.k", "$KV.b.>"));
  CHECK_FALSE(SubjectIsSubsetOf(">", "$KV.b.>"));
  CHECK_FALSE(SubjectIsSubsetOf("$KV.b", "$KV.b.>"));
  CHECK(SubjectIsSubsetOf("a.b", "a.*"));
  CHECK_FALSE(SubjectIsSubsetOf("a.>", "a.*"));
}

TEST_CASE("sublist: matches, queue grouping, removal prunes", "[nats][sublist]") {
  Sublist sl;
  std::vector<std::unique_ptr<Subscription>> subs;
  auto add = [&](std::string subject, std::string queue = "") {
    auto s = std::make_unique<Subscription>();
    s->subject = std::move(subject);
    s->queue = std::move(queue);
    REQUIRE(sl.Insert(s.get()));
    subs.push_back(std::move(s));
    return subs.back().get();
  };
  Subscription* lit = add("a.b.c");
  Subscription* pwc = add("a.*.c");
  Subscription* fwc = add("a.>");
  Subscription* all = add(">");
  Subscription* q1 = add("a.b.c", "q");
  Subscription* q2 = add("a.*.c", "q");
  Subscription* r1 = add("a.b.c", "r");
  CHECK(sl.size() == 7);
  Subscription bad;
  bad.subject = "a..b";
  CHECK_FALSE(sl.Insert(&bad));

  SublistResult r;
  sl.Match("a.b.c", &r);
  std::set<Subscription*> plain(r.psubs.begin(), r.psubs.end());
  CHECK(plain == std::set<Subscription*>{lit, pwc, fwc, all});
  REQUIRE(r.qsubs.size() == 3);
  // Grouped by queue name: q, q, r.
  CHECK(r.qsubs[0]->queue == "q");
  CHECK(r.qsubs[1]->queue == "q");
  CHECK(r.qsubs[2] == r1);
  (void)q1;
  (void)q2;

  sl.Match("a", &r);
  CHECK(r.psubs == std::vector<Subscription*>{all});
  CHECK(sl.HasInterest("a.x"));
  CHECK(sl.HasInterest("zzz"));
  sl.Remove(all);
  CHECK_FALSE(sl.HasInterest("zzz"));
  CHECK(sl.HasInterest("a.x"));
  for (auto& s : subs) sl.Remove(s.get());
  sl.Remove(lit);  // twice: no effect
  CHECK(sl.size() == 0);
  CHECK_FALSE(sl.HasInterest("a.b.c"));
  sl.Match("a.b.c", &r);
  CHECK(r.psubs.empty());
  CHECK(r.qsubs.empty());
  // Re-inserting after pruning works.
  REQUIRE(sl.Insert(lit));
  CHECK(sl.HasInterest("a.b.c"));
  sl.Remove(lit);
}

TEST_CASE("RFC 3339 nano formatting and parsing", "[nats][time]") {
  CHECK(FormatRfc3339Nano(0) == "0001-01-01T00:00:00Z");
  CHECK(FormatRfc3339Nano(1'700'000'000'000'000'000) == "2023-11-14T22:13:20Z");
  CHECK(FormatRfc3339Nano(1'700'000'000'123'456'000) == "2023-11-14T22:13:20.123456Z");
  CHECK(FormatRfc3339Nano(1'795'310'393'341'512'454) == "2026-11-22T01:19:53.341512454Z");
  int64_t ns = 0;
  REQUIRE(ParseRfc3339("2026-11-22T01:19:53.341512454Z", &ns));
  CHECK(ns == 1'795'310'393'341'512'454);
  REQUIRE(ParseRfc3339("2023-11-14T23:13:20.5+01:00", &ns));
  CHECK(ns == 1'700'000'000'500'000'000);
  CHECK_FALSE(ParseRfc3339("2023-11-14 22:13:20Z", &ns));
  CHECK_FALSE(ParseRfc3339("2023-13-14T22:13:20Z", &ns));
  CHECK_FALSE(ParseRfc3339("2023-11-14T22:13:20", &ns));
}

TEST_CASE("Go durations and Nats-TTL values", "[nats][time]") {
  int64_t ns = 0;
  REQUIRE(ParseGoDuration("1m30s", &ns));
  CHECK(ns == 90'000'000'000);
  REQUIRE(ParseGoDuration("1.5h", &ns));
  CHECK(ns == 5'400'000'000'000);
  REQUIRE(ParseGoDuration("300ms", &ns));
  CHECK(ns == 300'000'000);
  REQUIRE(ParseGoDuration("2h45m0.5s", &ns));
  CHECK(ns == 9'900'500'000'000);
  REQUIRE(ParseGoDuration("0", &ns));
  CHECK(ns == 0);
  for (const char* bad : {"", "10", "s", "1x", "1.s.", "--1s"}) {
    INFO(bad);
    CHECK_FALSE(ParseGoDuration(bad, &ns));
  }
  REQUIRE(ParseNatsTtl("30", &ns));
  CHECK(ns == 30'000'000'000);
  REQUIRE(ParseNatsTtl("never", &ns));
  CHECK(ns == -1);
  REQUIRE(ParseNatsTtl("1m0s", &ns));
  CHECK(ns == 60'000'000'000);
  CHECK_FALSE(ParseNatsTtl("soon", &ns));
}

TEST_CASE("stream config normalization makes client shapes comparable", "[nats][streamconfig]") {
  auto parse = [](const char* json) {
    protocols::JsonValue v;
    REQUIRE(protocols::ParseJson(json, &v));
    JsResult<StreamConfig> c = ParseStreamConfig(v);
    REQUIRE(c.ok());
    REQUIRE(NormalizeStreamConfig(&*c).ok());
    return *c;
  };
  StreamConfig minimal = parse(R"({"name":"KV_x","subjects":["$KV.x.\u003e"]})");
  StreamConfig full = parse(
      R"({"name":"KV_x","subjects":["$KV.x.>"],"retention":"limits","max_consumers":0,"max_msgs":-1,)"
      R"("max_bytes":0,"max_msgs_per_subject":0,"max_msg_size":-1,"discard":"old","storage":"file",)"
      R"("num_replicas":0,"duplicate_window":120000000000,"consumer_limits":{},"metadata":{},)"
      R"("compression":"none","unknown_future_field":[1,2]})");
  CHECK(minimal == full);
  CHECK(minimal.duplicate_window == 120'000'000'000);
  CHECK(minimal.max_msgs_per_subject == -1);
  StreamConfig short_ttl = parse(R"({"name":"KV_x","subjects":["$KV.x.>"],"max_age":60000000000})");
  CHECK(short_ttl.duplicate_window == 60'000'000'000);

  // Round trip through the engine's BucketConfig keeps every field.
  StreamConfig c = parse(
      R"({"name":"KV_x","subjects":["$KV.x.>"],"max_msgs_per_subject":7,"max_age":3600000000000,)"
      R"("max_bytes":4096,"max_msg_size":128,"storage":"memory","allow_direct":true,"deny_delete":true,)"
      R"("allow_rollup_hdrs":true,"discard":"new","description":"d","metadata":{"k":"v"}})");
  engine::BucketConfig bc = ToBucketConfig(c);
  CHECK(bc.history == 7);
  CHECK(bc.max_age_ns == 3'600'000'000'000);
  CHECK(bc.max_value_size == 128);
  CHECK(bc.max_bytes == 4096);
  CHECK_FALSE(bc.allow_key_ttl);
  CHECK(StreamConfigForBucket("x", bc) == c);
  // Unlimited history is kept as -1 on the NATS side, 64 in the engine.
  StreamConfig unlimited = parse(R"({"name":"KV_x","subjects":["$KV.x.>"]})");
  CHECK(ToBucketConfig(unlimited).history == 64);
  CHECK(StreamConfigForBucket("x", ToBucketConfig(unlimited)).max_msgs_per_subject == -1);

  JsResult<std::string> bucket = ValidateKvStream(c);
  REQUIRE(bucket.ok());
  CHECK(*bucket == "x");
  StreamConfig too_deep =
      parse(R"({"name":"KV_x","subjects":["$KV.x.>"],"max_msgs_per_subject":65})");
  JsResult<std::string> refused = ValidateKvStream(too_deep);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().err == JsErr::kStreamInvalidConfig);
}

TEST_CASE("key filters from subject filters", "[nats][kv]") {
  engine::Result<engine::KeyFilter> f = KeyFilterForSubject("b", "$KV.b.k");
  REQUIRE(f.ok());
  CHECK(f->kind() == engine::KeyFilter::Kind::kExact);
  CHECK(f->text() == "k");
  f = KeyFilterForSubject("b", "$KV.*.dir.*");
  REQUIRE(f.ok());
  CHECK(f->Matches("dir.x"));
  CHECK_FALSE(f->Matches("dir.x.y"));
  f = KeyFilterForSubject("b", ">");
  REQUIRE(f.ok());
  CHECK(f->kind() == engine::KeyFilter::Kind::kAll);
  f = KeyFilterForSubject("b", "$KV.>");
  REQUIRE(f.ok());
  CHECK(f->kind() == engine::KeyFilter::Kind::kAll);
  CHECK_FALSE(KeyFilterForSubject("b", "$KV.c.k").ok());
  CHECK_FALSE(KeyFilterForSubject("b", "$KV.b").ok());
  CHECK_FALSE(KeyFilterForSubject("b", "orders.>").ok());
  CHECK(Base64Encode("") == "");
  CHECK(Base64Encode("1") == "MQ==");
  CHECK(Base64Encode("ab") == "YWI=");
  CHECK(Base64Encode("abc") == "YWJj");
}

TEST_CASE("error table matches nats-server's codes", "[nats][errors]") {
  CHECK(GetJsErrInfo(JsErr::kStreamNotFound).err_code == 10059);
  CHECK(GetJsErrInfo(JsErr::kStreamNotFound).code == 404);
  CHECK(FormatJsError(JsErr::kWrongLastSequence, "3") == "wrong last sequence: 3");
  CHECK(FormatJsError(JsErr::kStreamInvalidConfig, "why") == "why");
  CHECK(GetJsErrInfo(JsErr::kRollupFailed).code == 500);
  CHECK(GetJsErrInfo(JsErr::kConsumerAlreadyExists).err_code == 10148);
  std::string s;
  protocols::JsonWriter w(&s);
  w.BeginObject();
  WriteJsError(w, JsErr::kConsumerNotFound);
  w.EndObject();
  CHECK(s == R"({"error":{"code":404,"err_code":10014,"description":"consumer not found"}})");
}

TEST_CASE("engine errors map onto JetStream errors per operation", "[nats][errors]") {
  JsError e = JsErrorFromErrc(JsOp::kWrite, engine::Errc::kWrongRevision, 7);
  CHECK(e.err == JsErr::kWrongLastSequence);
  CHECK(FormatJsError(e.err, e.detail) == "wrong last sequence: 7");
  CHECK(JsErrorFromErrc(JsOp::kWrite, engine::Errc::kOutOfMemory).err == JsErr::kMemoryExceeded);
  e = JsErrorFromErrc(JsOp::kWrite, engine::Errc::kBucketFull);
  CHECK(e.err == JsErr::kStoreFailed);
  CHECK(e.detail == "maximum bytes exceeded");
  CHECK(JsErrorFromErrc(JsOp::kStreamConfig, engine::Errc::kBucketExists).err ==
        JsErr::kStreamNameExists);
  e = JsErrorFromErrc(JsOp::kStreamConfig, engine::Errc::kInvalidArgument);
  CHECK(e.err == JsErr::kStreamInvalidConfig);
  CHECK(e.detail == "invalid stream configuration (invalid_argument)");
  e = JsErrorFromErrc(JsOp::kConsumerWatch, engine::Errc::kCursorExpired);
  CHECK(e.err == JsErr::kConsumerCreate);
  CHECK(e.detail == "consumer watch failed: cursor_expired");
}

}  // namespace kvgate::nats
