// File: translate/nats/sublist.h
// Subscription index in the style of nats-server's sublist: the shared token trie
// (engine/token_trie.h) with separate `*` and `>` children, so matching a published subject costs O(tokens x wildcard
// branches), never a scan of all subscriptions. Queue subscriptions are kept apart so the
// router can pick one member per group.
//
//   Sublist sl;
//   sl.Insert(&sub);                       // sub.subject = "orders.*", sub.queue = ""
//   SublistResult r; sl.Match("orders.42", &r);   // r.psubs == {&sub}
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/token_trie.h"

namespace kvgate::nats {

class NatsSession;

// One client subscription. Owned by its session; the sublist only points to it.
struct Subscription {
  NatsSession* session = nullptr;
  std::string subject;
  std::string queue;  // empty: plain subscription
  std::string sid;
  uint64_t max_msgs = 0;  // auto-unsubscribe after this many deliveries; 0 = unlimited
  uint64_t delivered = 0;
};

struct SublistResult {
  std::vector<Subscription*> psubs;
  // Queue subscriptions, grouped: members of one group are adjacent (sorted by queue name).
  std::vector<Subscription*> qsubs;
  void Clear() {
    psubs.clear();
    qsubs.clear();
  }
};

class Sublist {
 public:
  Sublist();
  ~Sublist();
  Sublist(const Sublist&) = delete;
  Sublist& operator=(const Sublist&) = delete;

  // False if sub->subject is not a valid subscription subject (nothing inserted).
  bool Insert(Subscription* sub);
  // Removes a previously inserted subscription; prunes empty trie nodes.
  void Remove(Subscription* sub);
  // All subscriptions whose subject matches the literal `subject` (out is cleared first).
  void Match(std::string_view subject, SublistResult* out) const;
  // True if at least one subscription matches (stops at the first).
  bool HasInterest(std::string_view subject) const;
  size_t size() const {
    return count_;
  }
  // Changes whenever a subscription is inserted or removed: lets callers cache HasInterest.
  uint64_t generation() const {
    return generation_;
  }

 private:
  // The subscriptions of one subject pattern.
  struct Subs {
    std::vector<Subscription*> psubs;
    std::vector<Subscription*> qsubs;
    bool empty() const {
      return psubs.empty() && qsubs.empty();
    }
  };

  // kStarFirst: '*' matches before literals, the delivery order Route has always had.
  engine::TokenTrie<Subs, engine::TokenOrder::kStarFirst> trie_;
  size_t count_ = 0;
  uint64_t generation_ = 0;
};

}  // namespace kvgate::nats
