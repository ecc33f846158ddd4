// The consumer registry and scheduler on their own: lookup, sorted names, per-stream counts,
// generated names, deletion, and collection of consumers whose Run reports kGone (a consumer
// that was never started has no watch, so its first Run does).
#include "translate/nats/consumer_set.h"

#include <catch2/catch.hpp>
#include <memory>

#include "support/nats_harness.h"
#include "translate/nats/consumer.h"
#include "translate/nats/jetstream.h"

namespace kvgate::nats::testing {
namespace {

std::unique_ptr<Consumer> Unstarted(NatsHarness& h, const std::string& stream,
                                    const std::string& name) {
  return std::make_unique<Consumer>(h.front.jetstream(), stream, stream.substr(3), name,
                                    ConsumerConfig{}, 0);
}

TEST_CASE("consumer set: registry by stream and name", "[nats][consumerset]") {
  NatsHarness h;
  ConsumerSet set(/*seed=*/1);
  set.Add(Unstarted(h, "KV_a", "zeta"));
  set.Add(Unstarted(h, "KV_a", "alpha"));
  set.Add(Unstarted(h, "KV_b", "alpha"));
  CHECK(set.Total() == 3);
  CHECK(set.Count("KV_a") == 2);
  CHECK(set.Count("KV_c") == 0);
  CHECK(set.Names("KV_a") == std::vector<std::string>{"alpha", "zeta"});
  REQUIRE(set.Find("KV_b", "alpha") != nullptr);
  CHECK(set.Find("KV_b", "alpha")->stream() == "KV_b");
  CHECK(set.Find("KV_b", "zeta") == nullptr);

  std::string name = set.NewName("KV_a");
  CHECK(name.size() == 8);
  CHECK(set.Find("KV_a", name) == nullptr);

  set.Delete("KV_a", "zeta");
  CHECK(set.Names("KV_a") == std::vector<std::string>{"alpha"});
  set.DeleteStream("KV_a");
  CHECK(set.Count("KV_a") == 0);
  CHECK(set.Total() == 1);
}

TEST_CASE("consumer set: added consumers are queued; gone ones are collected",
          "[nats][consumerset]") {
  NatsHarness h;
  ConsumerSet set(/*seed=*/1);
  CHECK_FALSE(set.HasPending());
  set.Add(Unstarted(h, "KV_a", "c1"));
  set.Add(Unstarted(h, "KV_a", "c2"));
  CHECK(set.HasPending());
  set.RunPending(/*batch=*/16);
  CHECK_FALSE(set.HasPending());
  CHECK(set.Total() == 0);

  set.Add(Unstarted(h, "KV_a", "c3"));
  set.Tick(/*now_ns=*/0);  // Tick collects too
  CHECK(set.Total() == 0);
}

}  // namespace
}  // namespace kvgate::nats::testing
