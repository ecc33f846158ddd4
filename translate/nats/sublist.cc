#include "translate/nats/sublist.h"

#include <algorithm>
#include <unordered_map>

#include "translate/nats/subject.h"

namespace kvgate::nats {
namespace {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const {
    return std::hash<std::string_view>{}(s);
  }
};

void EraseOne(std::vector<Subscription*>& v, Subscription* sub) {
  auto it = std::find(v.begin(), v.end(), sub);
  if (it != v.end()) {
    *it = v.back();
    v.pop_back();
  }
}

}  // namespace

struct Sublist::Node {
  std::unique_ptr<Level> next;
  std::vector<Subscription*> psubs;
  std::vector<Subscription*> qsubs;
  bool Empty() const;
};

struct Sublist::Level {
  std::unordered_map<std::string, std::unique_ptr<Node>, StringHash, std::equal_to<>> literals;
  std::unique_ptr<Node> pwc;  // '*'
  std::unique_ptr<Node> fwc;  // '>'
  bool Empty() const {
    return literals.empty() && !pwc && !fwc;
  }
};

bool Sublist::Node::Empty() const {
  return psubs.empty() && qsubs.empty() && (!next || next->Empty());
}

Sublist::Sublist() : root_(std::make_unique<Level>()) {
}
Sublist::~Sublist() = default;

bool Sublist::Insert(Subscription* sub) {
  if (!IsValidSubject(sub->subject)) return false;
  Level* level = root_.get();
  Node* node = nullptr;
  engine::TokenIter it(sub->subject);
  std::string_view token;
  while (it.Next(&token)) {
    if (level == nullptr) {
      node->next = std::make_unique<Level>();
      level = node->next.get();
    }
    std::unique_ptr<Node>* slot;
    if (token == "*") {
      slot = &level->pwc;
    } else if (token == ">") {
      slot = &level->fwc;
    } else {
      auto found = level->literals.find(token);
      if (found == level->literals.end()) {
        found = level->literals.emplace(std::string(token), nullptr).first;
      }
      slot = &found->second;
    }
    if (!*slot) *slot = std::make_unique<Node>();
    node = slot->get();
    level = node->next.get();
  }
  (sub->queue.empty() ? node->psubs : node->qsubs).push_back(sub);
  ++count_;
  ++generation_;
  return true;
}

void Sublist::Remove(Subscription* sub) {
  // Walk down remembering the path so empty nodes can be pruned bottom-up.
  struct Step {
    Level* level;  // the level holding `node` under `token`
    std::string_view token;
    Node* node;
  };
  std::vector<Step> path;
  Level* level = root_.get();
  engine::TokenIter it(sub->subject);
  std::string_view token;
  while (it.Next(&token)) {
    if (level == nullptr) return;
    Node* node = nullptr;
    if (token == "*") {
      node = level->pwc.get();
    } else if (token == ">") {
      node = level->fwc.get();
    } else {
      auto found = level->literals.find(token);
      if (found != level->literals.end()) node = found->second.get();
    }
    if (node == nullptr) return;
    path.push_back({level, token, node});
    level = node->next.get();
  }
  if (path.empty()) return;
  Node* leaf = path.back().node;
  auto& list = sub->queue.empty() ? leaf->psubs : leaf->qsubs;
  size_t before = list.size();
  EraseOne(list, sub);
  if (list.size() == before) return;
  --count_;
  ++generation_;
  for (size_t i = path.size(); i-- > 0;) {
    Step& step = path[i];
    if (step.node->next && step.node->next->Empty()) step.node->next.reset();
    if (!step.node->Empty()) break;
    if (step.token == "*") {
      step.level->pwc.reset();
    } else if (step.token == ">") {
      step.level->fwc.reset();
    } else {
      step.level->literals.erase(step.level->literals.find(step.token));
    }
  }
}

template <typename Visit>
bool Sublist::MatchLevel(const Level* level, const std::vector<std::string_view>& tokens,
                         size_t index, Visit& visit) {
  for (size_t i = index; level != nullptr && i < tokens.size(); ++i) {
    const bool last = i + 1 == tokens.size();
    if (level->fwc && !visit(*level->fwc)) return false;
    if (level->pwc) {
      if (last) {
        if (!visit(*level->pwc)) return false;
      } else if (!MatchLevel(level->pwc->next.get(), tokens, i + 1, visit)) {
        return false;
      }
    }
    auto found = level->literals.find(tokens[i]);
    if (found == level->literals.end()) return true;
    if (last) return visit(*found->second);
    level = found->second->next.get();
  }
  return true;
}

void Sublist::Match(std::string_view subject, SublistResult* out) const {
  out->Clear();
  tokens_.clear();
  engine::TokenIter it(subject);
  std::string_view t;
  while (it.Next(&t)) tokens_.push_back(t);
  auto visit = [out](const Node& n) {
    out->psubs.insert(out->psubs.end(), n.psubs.begin(), n.psubs.end());
    out->qsubs.insert(out->qsubs.end(), n.qsubs.begin(), n.qsubs.end());
    return true;
  };
  MatchLevel(root_.get(), tokens_, 0, visit);
  if (out->qsubs.size() > 1) {
    std::stable_sort(
        out->qsubs.begin(), out->qsubs.end(),
        [](const Subscription* a, const Subscription* b) { return a->queue < b->queue; });
  }
}

bool Sublist::HasInterest(std::string_view subject) const {
  tokens_.clear();
  engine::TokenIter it(subject);
  std::string_view t;
  while (it.Next(&t)) tokens_.push_back(t);
  bool found = false;
  auto visit = [&found](const Node& n) {
    if (!n.psubs.empty() || !n.qsubs.empty()) {
      found = true;
      return false;
    }
    return true;
  };
  MatchLevel(root_.get(), tokens_, 0, visit);
  return found;
}

}  // namespace kvgate::nats
