// File: translate/nats/sublist.cc
// Subscription index over the shared token trie: registration, matching and interest checks.
//
//   sl.Insert(&sub);  sl.Match("orders.42", &r);  sl.Remove(&sub);
#include "translate/nats/sublist.h"

#include <algorithm>

#include "translate/nats/subject.h"

namespace kvgate::nats {
namespace {

// Removes one occurrence (order within a node's list does not matter); true if found.
bool EraseOne(std::vector<Subscription*>& v, Subscription* sub) {
  auto it = std::find(v.begin(), v.end(), sub);
  if (it == v.end()) return false;
  *it = v.back();
  v.pop_back();
  return true;
}

}  // namespace

Sublist::Sublist() = default;
Sublist::~Sublist() = default;

bool Sublist::Insert(Subscription* sub) {
  if (!IsValidSubject(sub->subject)) return false;
  Subs& subs = trie_.Insert(sub->subject);
  (sub->queue.empty() ? subs.psubs : subs.qsubs).push_back(sub);
  ++count_;
  ++generation_;
  return true;
}

void Sublist::Remove(Subscription* sub) {
  bool removed = trie_.Remove(sub->subject, [sub](Subs& subs) {
    return EraseOne(sub->queue.empty() ? subs.psubs : subs.qsubs, sub);
  });
  if (!removed) return;
  --count_;
  ++generation_;
}

void Sublist::Match(std::string_view subject, SublistResult* out) const {
  out->Clear();
  trie_.Match(subject, [out](const Subs& n) {
    out->psubs.insert(out->psubs.end(), n.psubs.begin(), n.psubs.end());
    out->qsubs.insert(out->qsubs.end(), n.qsubs.begin(), n.qsubs.end());
  });
  if (out->qsubs.size() > 1) {
    std::stable_sort(
        out->qsubs.begin(), out->qsubs.end(),
        [](const Subscription* a, const Subscription* b) { return a->queue < b->queue; });
  }
}

bool Sublist::HasInterest(std::string_view subject) const {
  // The trie visits only non-empty payloads: the first visit is the answer.
  return !trie_.Match(subject, [](const Subs&) { return false; });
}

}  // namespace kvgate::nats
