// Client-side caching: CLIENT TRACKING in default, BCAST, OPTIN/OPTOUT and NOLOOP modes, RESP3
// pushes and RESP2 redirection, flushes, and invalidations caused by engine writers other than
// Redis (NATS clients) and by expiry. Expected bytes were taken from redis-server 7.0.15.
#include <catch2/catch.hpp>

#include "translate/redis/support/fake_transport.h"
#include "translate/redis/support/resp.h"

namespace kvgate::redis::testing {
namespace {

std::string Inval(std::vector<std::string> keys) {
  std::string out = ">2\r\n" + Bulk("invalidate") + Arr(keys.size());
  for (const auto& k : keys) out += Bulk(k);
  return out;
}
const std::string kInvalAll = ">2\r\n" + Bulk("invalidate") + "_\r\n";
std::string Msg(std::vector<std::string> keys) {
  std::string out = Arr(3) + Bulk("message") + Bulk("__redis__:invalidate") + Arr(keys.size());
  for (const auto& k : keys) out += Bulk(k);
  return out;
}

TEST_CASE("tracking: RESP3 invalidations after reads, own writes after the reply",
          "[redis][tracking]") {
  RedisHarness h;
  auto& a = h.Connect();
  auto& b = h.Connect();
  h.Cmd(a, {"HELLO", "3"});
  CHECK(h.Cmd(a, {"CLIENT", "TRACKING", "ON"}) == kOk);
  CHECK(h.Cmd(a, {"GET", "k"}) == kNull3);
  CHECK(h.Cmd(a, {"SET", "k", "v"}) == kOk + Inval({"k"}));  // after +OK, like Redis
  CHECK(h.Cmd(b, {"SET", "k", "w"}).empty() == false);       // no longer tracked: nothing
  CHECK(h.Take(a).empty());
  CHECK(h.Cmd(a, {"MGET", "k", "j"}) == Arr(2) + Bulk("w") + kNull3);
  h.Cmd(b, {"SET", "j", "1"});
  CHECK(h.Take(a) == Inval({"j"}));
  h.Cmd(b, {"SET", "j", "2"});  // invalidated once, until read again
  CHECK(h.Take(a).empty());
  // Inside EXEC: reads inside track again; invalidations follow the EXEC reply.
  h.Cmd(a, {"GET", "k"});
  h.Cmd(a, {"MULTI"});
  h.Cmd(a, {"SET", "k", "2"});
  h.Cmd(a, {"GET", "k"});
  h.Cmd(a, {"SET", "k", "3"});
  CHECK(h.Cmd(a, {"EXEC"}) == Arr(3) + kOk + Bulk("2") + kOk + Inval({"k"}) + Inval({"k"}));
  // Read-only commands other than GET track their keys too.
  h.Cmd(a, {"EXISTS", "e3"});
  h.Cmd(a, {"TTL", "e4"});
  h.Cmd(a, {"STRLEN", "e5"});
  h.Cmd(b, {"MSET", "e3", "1", "e4", "1", "e5", "1"});
  CHECK(h.Take(a) == Inval({"e3"}) + Inval({"e4"}) + Inval({"e5"}));
  // Keys are tracked by name across databases, as in Redis.
  h.Cmd(a, {"GET", "e6"});
  h.Cmd(b, {"SELECT", "1"});
  h.Cmd(b, {"SET", "e6", "1"});
  CHECK(h.Take(a) == Inval({"e6"}));
  // EXPIRE / PERSIST / GETDEL modify the key.
  h.Cmd(a, {"GET", "e6"});
  h.Cmd(b, {"EXPIRE", "e6", "100"});
  CHECK(h.Take(a) == Inval({"e6"}));
  h.Cmd(a, {"GET", "e6"});
  h.Cmd(b, {"PERSIST", "e6"});
  CHECK(h.Take(a) == Inval({"e6"}));
  h.Cmd(a, {"GET", "e6"});
  h.Cmd(b, {"DEL", "absent"});
  h.Cmd(b, {"GETDEL", "e6"});
  CHECK(h.Take(a) == Inval({"e6"}));
  CHECK(h.Cmd(a, {"CLIENT", "TRACKING", "OFF"}) == kOk);
  h.Cmd(b, {"SET", "k", "x"});
  CHECK(h.Take(a).empty());
}

TEST_CASE("tracking: flushes send a null to every tracking client", "[redis][tracking]") {
  RedisHarness h;
  auto& a = h.Connect();
  auto& b = h.Connect();
  h.Cmd(a, {"HELLO", "3"});
  h.Cmd(a, {"CLIENT", "TRACKING", "ON"});
  h.Cmd(a, {"GET", "k"});
  CHECK(h.Cmd(a, {"FLUSHDB"}) == kOk + kInvalAll);
  h.Cmd(b, {"FLUSHALL"});  // one null per flush, however many databases
  CHECK(h.Take(a) == kInvalAll);
  h.Cmd(b, {"SET", "k", "v"});  // the flush emptied the table: k is no longer tracked
  CHECK(h.Take(a).empty());
  // A flush by another protocol (NATS stream purge) and a deleted bucket count too.
  h.Cmd(a, {"GET", "k"});
  h.engine().FindBucket("db0")->Flush();
  CHECK(h.Take(a) == kInvalAll);
  REQUIRE(h.engine().DeleteBucket("db0").ok());
  CHECK(h.Take(a) == kInvalAll);
}

TEST_CASE("tracking: writes by other engine clients and expiry invalidate", "[redis][tracking]") {
  RedisHarness h;
  auto& a = h.Connect();
  h.Cmd(a, {"HELLO", "3"});
  h.Cmd(a, {"CLIENT", "TRACKING", "ON"});
  h.Cmd(a, {"SET", "t", "v", "PX", "100"});
  h.Cmd(a, {"MGET", "color", "t"});
  engine::Bucket* db0 = h.engine().FindBucket("db0");
  (void)db0->Put("color", "blue", {});  // what a NATS KV put does
  CHECK(h.Take(a) == Inval({"color"}));
  h.clock().AdvanceMs(200);
  while (h.engine().Tick()) {
  }
  CHECK(h.Take(a) == Inval({"t"}));
}

TEST_CASE("tracking: BCAST prefixes, grouping, NOLOOP", "[redis][tracking]") {
  RedisHarness h;
  auto& b = h.Connect();
  auto& c = h.Connect();
  auto& d = h.Connect();
  h.Cmd(c, {"HELLO", "3"});
  CHECK(h.Cmd(c, {"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "b", "PREFIX", "a"}) == kOk);
  // One batch per prefix before the loop sleeps; keys sorted and deduplicated.
  h.Send(b, Encode({"SET", "az", "1"}) + Encode({"SET", "bx", "1"}) + Encode({"SET", "aa", "1"}) +
                Encode({"SET", "az", "2"}) + Encode({"DEL", "aa"}) + Encode({"SET", "zz", "1"}));
  CHECK(h.Take(c) == Inval({"aa", "az"}) + Inval({"bx"}));
  // Own changes are reported (after the reply) unless NOLOOP.
  CHECK(h.Cmd(c, {"SET", "a1", "x"}) == kOk + Inval({"a1"}));
  h.Cmd(d, {"HELLO", "3"});
  CHECK(h.Cmd(d, {"CLIENT", "TRACKING", "ON", "BCAST", "NOLOOP"}) == kOk);
  CHECK(h.Cmd(d, {"SET", "n", "1"}) == kOk);
  h.Cmd(b, {"SET", "n", "2"});
  CHECK(h.Take(d) == Inval({"n"}));
  CHECK(h.Send(d, Encode({"SET", "mine", "1"}) + Encode({"SET", "theirs", "1"})) == kOk + kOk);
  h.Cmd(b, {"SET", "theirs", "2"});  // the last change to a key decides whose it is
  CHECK(h.Take(d) == Inval({"theirs"}));
  std::string tinfo = h.Cmd(d, {"CLIENT", "TRACKINGINFO"});
  CHECK(tinfo == "%3\r\n" + Bulk("flags") + "~3\r\n" + Bulk("on") + Bulk("bcast") + Bulk("noloop") +
                     Bulk("redirect") + Int(0) + Bulk("prefixes") + Arr(1) + Bulk(""));
}

TEST_CASE("tracking: RESP2 redirect to a subscriber, broken redirect", "[redis][tracking]") {
  RedisHarness h;
  auto& r = h.Connect();  // id 1
  auto& a = h.Connect();  // id 2
  auto& b = h.Connect();
  h.Cmd(r, {"SUBSCRIBE", "__redis__:invalidate"});
  CHECK(h.Cmd(a, {"CLIENT", "TRACKING", "ON", "REDIRECT", "1"}) == kOk);
  h.Cmd(a, {"GET", "k"});
  h.Cmd(b, {"SET", "k", "1"});
  CHECK(h.Take(r) == Msg({"k"}));
  CHECK(h.Take(a).empty());
  h.Cmd(a, {"GET", "k"});
  h.Cmd(a, {"GET", "k2"});
  h.Cmd(b, {"MSET", "k", "1", "k2", "2"});
  CHECK(h.Take(r) == Msg({"k"}) + Msg({"k2"}));
  h.Cmd(b, {"FLUSHALL"});
  CHECK(h.Take(r) == Arr(3) + Bulk("message") + Bulk("__redis__:invalidate") + kNil);
  CHECK(h.Cmd(a, {"CLIENT", "TRACKINGINFO"}) == Arr(6) + Bulk("flags") + Arr(1) + Bulk("on") +
                                                    Bulk("redirect") + Int(1) + Bulk("prefixes") +
                                                    Arr(0));
  CHECK(h.Cmd(a, {"CLIENT", "GETREDIR"}) == Int(1));
  CHECK(h.Cmd(a, {"CLIENT", "INFO"}).find(" flags=t db=0 ") != std::string::npos);
  CHECK(h.Cmd(a, {"CLIENT", "INFO"}).find(" redir=1 resp=2") != std::string::npos);
  // The redirect target goes away: RESP3 trackers are told, the flag shows in CLIENT INFO.
  h.Cmd(a, {"HELLO", "3"});
  h.Cmd(a, {"GET", "k"});
  h.Close(r);
  h.Cmd(b, {"SET", "k", "2"});
  CHECK(h.Take(a) == ">2\r\n" + Bulk("tracking-redir-broken") + Int(1));
  CHECK(h.Cmd(a, {"CLIENT", "INFO"}).find(" flags=tR db=0 ") != std::string::npos);
  // A redirect target that is not subscribed (RESP2) gets nothing; a RESP3 one gets pushes.
  auto& u = h.Connect();
  auto& w = h.Connect();
  h.Cmd(w, {"CLIENT", "TRACKING", "ON", "REDIRECT", std::to_string(u.transport->Id())});
  h.Cmd(w, {"GET", "q"});
  h.Cmd(b, {"SET", "q", "1"});
  CHECK(h.Take(u).empty());
  h.Cmd(u, {"HELLO", "3"});
  h.Cmd(w, {"GET", "q"});
  h.Cmd(b, {"SET", "q", "2"});
  CHECK(h.Take(u) == Inval({"q"}));
  // RESP2 without a redirect: tracking is accepted but nothing can be sent.
  auto& y = h.Connect();
  h.Cmd(y, {"CLIENT", "TRACKING", "ON"});
  h.Cmd(y, {"GET", "z"});
  h.Cmd(b, {"SET", "z", "1"});
  CHECK(h.Take(y).empty());
}

TEST_CASE("tracking: OPTIN and OPTOUT with CLIENT CACHING", "[redis][tracking]") {
  RedisHarness h;
  auto& o = h.Connect();
  auto& b = h.Connect();
  h.Cmd(o, {"HELLO", "3"});
  h.Cmd(o, {"CLIENT", "TRACKING", "ON", "OPTIN"});
  h.Cmd(o, {"GET", "o1"});
  h.Cmd(o, {"CLIENT", "CACHING", "YES"});
  h.Cmd(o, {"GET", "o2"});
  h.Cmd(o, {"GET", "o1"});  // the YES applied to one command only
  h.Cmd(b, {"MSET", "o1", "1", "o2", "1"});
  CHECK(h.Take(o) == Inval({"o2"}));
  // In a transaction CACHING covers every command up to EXEC.
  h.Cmd(o, {"CLIENT", "CACHING", "YES"});
  h.Cmd(o, {"MULTI"});
  h.Cmd(o, {"GET", "o3"});
  h.Cmd(o, {"GET", "o4"});
  h.Cmd(o, {"EXEC"});
  h.Cmd(b, {"MSET", "o3", "1", "o4", "1"});
  CHECK(h.Take(o) == Inval({"o3"}) + Inval({"o4"}));
  h.Cmd(o, {"CLIENT", "TRACKING", "OFF"});
  h.Cmd(o, {"CLIENT", "TRACKING", "ON", "OPTOUT"});
  h.Cmd(o, {"CLIENT", "CACHING", "NO"});
  CHECK(h.Cmd(o, {"CLIENT", "TRACKINGINFO"}).find(Bulk("caching-no")) != std::string::npos);
  h.Cmd(o, {"GET", "p1"});
  h.Cmd(o, {"GET", "p2"});
  h.Cmd(b, {"MSET", "p1", "1", "p2", "1"});
  CHECK(h.Take(o) == Inval({"p2"}));
}

TEST_CASE("tracking: CLIENT TRACKING / CACHING errors as redis-server 7", "[redis][tracking]") {
  RedisHarness h;
  auto& r = h.Connect();  // id 1
  auto& e = h.Connect();
  struct Case {
    std::vector<std::string> cmd;
    std::string reply;
  };
  const std::vector<Case> cases = {
      {{"CLIENT", "TRACKING", "ON", "PREFIX", "x"},
       Err("ERR PREFIX option requires BCAST mode to be enabled")},
      {{"CLIENT", "TRACKING", "ON", "BCAST", "OPTIN"},
       Err("ERR OPTIN and OPTOUT are not compatible with BCAST")},
      {{"CLIENT", "TRACKING", "ON", "OPTIN", "OPTOUT"},
       Err("ERR You can't specify both OPTIN mode and OPTOUT mode")},
      {{"CLIENT", "TRACKING", "ON", "REDIRECT", "999"},
       Err("ERR The client ID you want redirect to does not exist")},
      {{"CLIENT", "TRACKING", "ON", "REDIRECT", "abc"},
       Err("ERR value is not an integer or out of range")},
      {{"CLIENT", "TRACKING", "ON", "REDIRECT", "1", "REDIRECT", "1"},
       Err("ERR A client can only redirect to a single other client")},
      {{"CLIENT", "TRACKING", "ON", "FOO"}, Err("ERR syntax error")},
      {{"CLIENT", "TRACKING", "MAYBE"}, Err("ERR syntax error")},
      {{"CLIENT", "TRACKING"}, Err("ERR wrong number of arguments for 'client|tracking' command")},
      {{"CLIENT", "TRACKING", "ON", "BCAST"}, kOk},
      {{"CLIENT", "TRACKING", "ON"},
       Err("ERR You can't switch BCAST mode on/off before disabling tracking for this client, "
           "and then re-enabling it with a different mode.")},
      {{"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "ab"},
       Err("ERR Prefix 'ab' overlaps with an existing prefix ''. Prefixes for a single client "
           "must not overlap.")},
      {{"CLIENT", "TRACKING", "OFF"}, kOk},
      {{"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "ab", "PREFIX", "a"},
       Err("ERR Prefix 'ab' overlaps with another provided prefix 'a'. Prefixes for a single "
           "client must not overlap.")},
      {{"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "ab"}, kOk},
      {{"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "abc"},
       Err("ERR Prefix 'abc' overlaps with an existing prefix 'ab'. Prefixes for a single client "
           "must not overlap.")},
      {{"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "x"}, kOk},
      {{"CLIENT", "TRACKINGINFO"},
       Arr(6) + Bulk("flags") + Arr(2) + Bulk("on") + Bulk("bcast") + Bulk("redirect") + Int(0) +
           Bulk("prefixes") + Arr(2) + Bulk("ab") + Bulk("x")},
      {{"CLIENT", "TRACKING", "OFF", "BCAST"}, kOk},
      {{"CLIENT", "CACHING", "YES"},
       Err("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN "
           "or OPTOUT mode enabled")},
      {{"CLIENT", "TRACKING", "ON", "OPTIN"}, kOk},
      {{"CLIENT", "CACHING", "NO"},
       Err("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.")},
      {{"CLIENT", "CACHING", "MAYBE"}, Err("ERR syntax error")},
      {{"CLIENT", "CACHING", "YES"}, kOk},
      {{"CLIENT", "TRACKINGINFO"},
       Arr(6) + Bulk("flags") + Arr(3) + Bulk("on") + Bulk("optin") + Bulk("caching-yes") +
           Bulk("redirect") + Int(0) + Bulk("prefixes") + Arr(0)},
      {{"PING"}, Simple("PONG")},
      {{"CLIENT", "TRACKING", "ON", "OPTOUT"},
       Err("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and "
           "then re-enabling it with a different mode.")},
      {{"CLIENT", "TRACKING", "OFF"}, kOk},
      {{"CLIENT", "TRACKING", "ON", "OPTOUT"}, kOk},
      {{"CLIENT", "CACHING", "YES"},
       Err("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.")},
      {{"CLIENT", "CACHING"}, Err("ERR wrong number of arguments for 'client|caching' command")},
      {{"CLIENT", "TRACKINGINFO", "x"},
       Err("ERR wrong number of arguments for 'client|trackinginfo' command")},
      {{"CLIENT", "GETREDIR", "x"},
       Err("ERR wrong number of arguments for 'client|getredir' command")},
      {{"CLIENT", "TRACKING", "ON", "bcast", "noloop", "redirect", "0"},
       Err("ERR The client ID you want redirect to does not exist")},
      {{"CLIENT", "TRACKING", "OFF"}, kOk},
      {{"CLIENT", "GETREDIR"}, Int(-1)},
      {{"CLIENT", "TRACKINGINFO"},
       Arr(6) + Bulk("flags") + Arr(1) + Bulk("off") + Bulk("redirect") + Int(-1) +
           Bulk("prefixes") + Arr(0)},
  };
  for (const Case& c : cases) {
    INFO(Encode(c.cmd));
    CHECK(h.Cmd(e, c.cmd) == c.reply);
  }
  (void)r;
}

TEST_CASE("tracking: RESET and close release the client, INFO counts", "[redis][tracking]") {
  RedisHarness h;
  auto& a = h.Connect();
  auto& b = h.Connect();
  h.Cmd(a, {"HELLO", "3"});
  h.Cmd(a, {"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "p"});
  h.Cmd(b, {"HELLO", "3"});
  h.Cmd(b, {"CLIENT", "TRACKING", "ON"});
  h.Cmd(b, {"MGET", "x", "y"});
  std::string info = h.Cmd(b, {"INFO", "everything"});
  CHECK(info.find("tracking_clients:2\r\n") != std::string::npos);
  CHECK(info.find(
            "tracking_total_keys:2\r\ntracking_total_items:2\r\ntracking_total_prefixes:1\r\n") !=
        std::string::npos);
  CHECK(h.Cmd(a, {"RESET"}) == Simple("RESET"));
  CHECK(h.Cmd(a, {"CLIENT", "TRACKINGINFO"}).find(Bulk("off")) != std::string::npos);
  h.Close(b);
  info = h.Cmd(a, {"INFO", "everything"});
  CHECK(info.find("tracking_clients:0\r\n") != std::string::npos);
  CHECK(info.find("tracking_total_prefixes:0\r\n") != std::string::npos);
  h.Cmd(b.closed ? a : b, {"SET", "x", "1"});  // the closed client's entry is dropped quietly
  CHECK(h.Take(a).empty());
}

TEST_CASE("tracking: tracking-table-max-keys evicts with invalidations", "[redis][tracking]") {
  RedisHarness h;
  auto& a = h.Connect();
  h.Cmd(a, {"HELLO", "3"});
  h.Cmd(a, {"CLIENT", "TRACKING", "ON"});
  CHECK(h.Cmd(a, {"CONFIG", "SET", "tracking-table-max-keys", "2"}) == kOk);
  CHECK(h.Cmd(a, {"CONFIG", "GET", "tracking-table-max-keys"}) ==
        "%1\r\n" + Bulk("tracking-table-max-keys") + Bulk("2"));
  h.Cmd(a, {"MGET", "k1", "k2", "k3", "k4"});
  h.front().Tick();
  std::string out = h.Take(a);
  size_t n = 0;
  for (size_t p = out.find("invalidate"); p != std::string::npos; p = out.find("invalidate", p + 1))
    ++n;
  CHECK(n == 2);
  CHECK(h.Cmd(a, {"INFO", "stats"}).find("tracking_total_keys:2\r\n") != std::string::npos);
}

}  // namespace
}  // namespace kvgate::redis::testing
