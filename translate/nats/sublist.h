// File: translate/nats/sublist.h
// Subscription index in the style of nats-server's sublist: a trie keyed by subject token with
// separate `*` and `>` children, so matching a published subject costs O(tokens x wildcard
// branches), never a scan of all subscriptions. Queue subscriptions are kept apart so the
// router can pick one member per group.
//
//   Sublist sl;
//   sl.Insert(&sub);                       // sub.subject = "orders.*", sub.queue = ""
//   SublistResult r; sl.Match("orders.42", &r);   // r.psubs == {&sub}
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

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
  struct Node;
  struct Level;
  // Visits matching nodes; the visitor returns false to stop. Returns false if stopped.
  template <typename Visit>
  static bool MatchLevel(const Level* level, const std::vector<std::string_view>& tokens,
                         size_t index, Visit& visit);

  std::unique_ptr<Level> root_;
  size_t count_ = 0;
  uint64_t generation_ = 0;
  mutable std::vector<std::string_view> tokens_;  // scratch for Match (single-threaded)
};

}  // namespace kvgate::nats
