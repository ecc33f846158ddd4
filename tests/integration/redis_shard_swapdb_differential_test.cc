// File: tests/integration/redis_shard_swapdb_differential_test.cc
// Sharded pub/sub on one node and SWAPDB against a real redis-server 7.0: SSUBSCRIBE /
// SUNSUBSCRIBE / SPUBLISH frames and counts (shard channels counted apart from channels and
// patterns), RESP2 subscribed mode and RESP3 pushes, PUBSUB SHARDCHANNELS / SHARDNUMSUB / HELP,
// SSUBSCRIBE refused inside EXEC, SPUBLISH held by CLIENT PAUSE WRITE; SWAPDB errors, data and
// TTLs seen by clients on both databases, WATCH (EXEC aborts exactly when a watched key exists
// on either side), no keyspace event and no tracking invalidation. A SUNSUBSCRIBE without
// arguments is compared with one channel only: redis-server answers in hash-table order.
//
//   CompareScripts(ShardScripts(), /*resp3=*/true);   // single connection, RESP2 and RESP3
//   CompareMulti(ShardMultiScripts());                 // several connections
#include <catch2/catch.hpp>

#include <vector>

#include "integration/support/multi_conn_diff.h"
#include "integration/support/script_diff.h"

namespace {

using kvgate::testing::MultiScript;
using kvgate::testing::S;
using kvgate::testing::Script;

std::vector<Script> ShardScripts() {
  std::vector<Script> s;
  s.push_back(S("ssubscribe counts apart", {{"SSUBSCRIBE", "a", "a"},
                                            {"SUBSCRIBE", "c"},
                                            {"PSUBSCRIBE", "p*"},
                                            {"SSUBSCRIBE", "d"},
                                            {"PING", "x"},
                                            {"GET", "k"},
                                            {"SPUBLISH", "a", "m"},
                                            {"PUBSUB", "SHARDNUMSUB", "a"},
                                            {"SUNSUBSCRIBE", "a", "nope"},
                                            {"UNSUBSCRIBE"},
                                            {"PUNSUBSCRIBE"},
                                            {"PING"},
                                            {"SUNSUBSCRIBE"},
                                            {"SUNSUBSCRIBE"},
                                            {"PING"}}));
  s.push_back(S("spublish and shard introspection", {{"SPUBLISH", "a", "m"},
                                                     {"PUBSUB", "SHARDCHANNELS"},
                                                     {"PUBSUB", "SHARDCHANNELS", "x*"},
                                                     {"PUBSUB", "SHARDNUMSUB", "a", "zz"},
                                                     {"PUBSUB", "SHARDNUMSUB"},
                                                     {"PUBSUB", "shardCHANNELS", "a", "b"},
                                                     {"PUBSUB", "CHANNELS", "a", "b"},
                                                     {"PUBSUB", "HELP"},
                                                     {"SPUBLISH", "a"},
                                                     {"SSUBSCRIBE"},
                                                     {"SUNSUBSCRIBE"}}));
  s.push_back(S("ssubscribe inside exec",
                {{"MULTI"}, {"SSUBSCRIBE", "a"}, {"SUBSCRIBE", "b"}, {"EXEC"}, {"UNSUBSCRIBE"}}));
  s.push_back(S("swapdb errors", {{"SWAPDB", "a", "1"},
                                  {"SWAPDB", "1", "b"},
                                  {"SWAPDB", "a", "b"},
                                  {"SWAPDB", "0", "16"},
                                  {"SWAPDB", "-1", "0"},
                                  {"SWAPDB", "16", "16"},
                                  {"SWAPDB", "99999999999", "0"},
                                  {"SWAPDB", "1.5", "0"},
                                  {"SWAPDB", "+1", "0"},
                                  {"SWAPDB", "01", "0"},
                                  {"SWAPDB", "0"},
                                  {"SWAPDB", "0", "1", "2"},
                                  {"SWAPDB", "15", "15"}}));
  s.push_back(S("swapdb swaps data and ttls", {{"SET", "k0", "zero", "EX", "100"},
                                               {"SELECT", "1"},
                                               {"SET", "k1", "one"},
                                               {"SWAPDB", "0", "1"},
                                               {"GET", "k0"},
                                               {"TTL", "k0"},
                                               {"DBSIZE"},
                                               {"SELECT", "0"},
                                               {"GET", "k1"},
                                               {"GET", "k0"},
                                               {"SWAPDB", "1", "0"},
                                               {"GET", "k0"},
                                               {"SWAPDB", "0", "5"},
                                               {"DBSIZE"},
                                               {"MULTI"},
                                               {"SWAPDB", "0", "5"},
                                               {"GET", "k0"},
                                               {"EXEC"}}));
  return s;
}

std::vector<MultiScript> ShardMultiScripts() {
  // Tables of steps read best one per line; keep them as written.
  // clang-format off
  std::vector<MultiScript> s;
  s.push_back({"spublish reaches shard subscribers only", 3,
               {{0, {"SSUBSCRIBE", "a"}},
                {1, {"SUBSCRIBE", "a", "", "PSUBSCRIBE", "*"}},
                {2, {"SPUBLISH", "a", "s1"}},
                {2, {"PUBLISH", "a", "p1"}},
                {2, {"PUBSUB", "SHARDNUMSUB", "a", "", "PUBSUB", "NUMSUB", "a"}},
                {2, {"PUBSUB", "SHARDCHANNELS", "", "PUBSUB", "CHANNELS"}},
                {0, {"SUNSUBSCRIBE"}},
                {2, {"SPUBLISH", "a", "s2"}}}});
  s.push_back({"resp3 shard subscriber", 2,
               {{0, {"HELLO", "3"}, true},
                {0, {"SSUBSCRIBE", "a"}},
                {1, {"SPUBLISH", "a", "m"}},
                {0, {"SPUBLISH", "a", "self", "", "GET", "k"}},
                {0, {"SUNSUBSCRIBE", "", "SUNSUBSCRIBE"}}}});
  s.push_back({"reset and close leave shard channels", 3,
               {{0, {"SSUBSCRIBE", "x"}},
                {1, {"SSUBSCRIBE", "x"}},
                {0, {"RESET"}},
                {2, {"PUBSUB", "SHARDNUMSUB", "x"}},
                {1, {"QUIT"}},
                {2, {"SPUBLISH", "x", "m", "", "PUBSUB", "SHARDCHANNELS"}}}});
  s.push_back({"client pause write holds spublish", 3,
               {{0, {"SSUBSCRIBE", "ch"}},
                {1, {"CLIENT", "PAUSE", "100000", "WRITE"}},
                {2, {"SPUBLISH", "ch", "m", "", "ECHO", "after"}},
                {1, {"PUBSUB", "SHARDNUMSUB", "ch"}},
                {1, {"CLIENT", "UNPAUSE"}},
                {2, {"PING"}}}});
  s.push_back({"swapdb for clients on both databases", 2,
               {{0, {"SET", "k", "db0"}},
                {1, {"SELECT", "1", "", "SET", "k", "db1", "", "SET", "t", "v", "EX", "50"}},
                {0, {"SWAPDB", "0", "1"}},
                {0, {"GET", "k", "", "TTL", "t"}},
                {1, {"GET", "k", "", "GET", "t", "", "DBSIZE"}}}});
  s.push_back({"swapdb touches watched keys that exist on either side", 2,
               {{1, {"SELECT", "1", "", "SET", "other", "v", "", "SELECT", "0", "", "SET", "mine", "v"}},
                {0, {"WATCH", "other", "", "MULTI", "", "PING"}},
                {1, {"SWAPDB", "0", "1"}},
                {0, {"EXEC"}},
                {0, {"WATCH", "nothere", "", "MULTI", "", "PING"}},
                {1, {"SWAPDB", "0", "1"}},
                {0, {"EXEC"}},
                {0, {"SELECT", "1", "", "WATCH", "mine", "", "MULTI", "", "PING"}},
                {1, {"SWAPDB", "1", "0"}},
                {0, {"EXEC"}},
                {0, {"SELECT", "2", "", "WATCH", "mine", "", "MULTI", "", "PING"}},
                {1, {"SWAPDB", "0", "1"}},
                {0, {"EXEC"}},
                {0, {"SELECT", "0", "", "WATCH", "nothere", "", "MULTI", "", "PING"}},
                {1, {"SWAPDB", "0", "1", "", "SET", "nothere", "x"}},
                {0, {"EXEC"}}}});
  s.push_back({"swapdb fires no keyspace event and no invalidation", 3,
               {{0, {"SET", "k", "v", "", "CONFIG", "SET", "notify-keyspace-events", "KEA"}},
                {1, {"PSUBSCRIBE", "*"}},
                {2, {"HELLO", "3"}, true},
                {2, {"CLIENT", "TRACKING", "ON", "", "GET", "k"}},
                {0, {"SWAPDB", "0", "1"}},
                {2, {"GET", "k"}},
                {0, {"SET", "k", "again", "", "CONFIG", "SET", "notify-keyspace-events", ""}}}});
  return s;
  // clang-format on
}

}  // namespace

TEST_CASE("SSUBSCRIBE / SPUBLISH and SWAPDB answer like redis-server 7 on one connection",
          "[integration][redis][differential][SWAPDB]") {
  kvgate::testing::CompareScripts(ShardScripts(), /*resp3=*/true);
}

TEST_CASE("Sharded pub/sub and SWAPDB answer like redis-server 7 on every connection",
          "[integration][redis][differential][SWAPDB]") {
  kvgate::testing::CompareMulti(ShardMultiScripts());
}
