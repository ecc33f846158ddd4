// File: translate/redis/acl_registry.cc
// AclRegistry (acl_registry.h).
#include "translate/redis/acl_registry.h"

namespace kvgate::redis {
namespace {

constexpr size_t kLogMaxLen = 128;    // Redis acllog-max-len default
constexpr size_t kLogMergeScan = 10;  // Redis scans this many entries for a duplicate
// ... last updated at most this long ago (Redis ACL_LOG_GROUPING_MAX_TIME_DELTA).
constexpr int64_t kLogMergeMs = 60000;

}  // namespace

AclRegistry::AclRegistry() {
  default_user_ = std::make_shared<AclUser>("default");
  for (std::string_view rule : {"+@all", "~*", "&*", "on", "nopass"}) {
    (void)default_user_->ApplyRule(rule);
  }
  users_.emplace("default", default_user_);
}

std::shared_ptr<AclUser> AclRegistry::Find(std::string_view name) const {
  auto it = users_.find(name);
  return it == users_.end() ? nullptr : it->second;
}

std::shared_ptr<AclUser> AclRegistry::Authenticate(std::string_view name,
                                                   std::string_view password) const {
  std::shared_ptr<AclUser> u = Find(name);
  if (u == nullptr || !u->enabled() || !u->CheckPassword(password)) return nullptr;
  return u;
}

void AclRegistry::SetRequirePass(std::string_view password) {
  (void)default_user_->ApplyRule("resetpass");
  if (password.empty()) {
    (void)default_user_->ApplyRule("nopass");
  } else {
    std::string rule = ">";
    rule.append(password);
    (void)default_user_->ApplyRule(rule);
  }
}

std::string AclRegistry::SetUser(std::string_view name, std::span<const std::string_view> rules) {
  // Redis ACLMergeSelectorArguments: "(" opens a selector that a word ending in ")" closes.
  for (size_t j = 0; j < rules.size(); ++j) {
    const std::string_view r = rules[j];
    if (r.empty() || r[0] != '(' || r.back() == ')') continue;
    size_t k = j + 1;
    while (k < rules.size() && (rules[k].empty() || rules[k].back() != ')')) ++k;
    if (k == rules.size()) {
      return "ERR Unmatched parenthesis in acl selector starting at '" + std::string(r) + "'.";
    }
    j = k;
  }
  std::shared_ptr<AclUser> existing = Find(name);
  AclUser staged = existing != nullptr ? *existing : AclUser(std::string(name));
  for (std::string_view rule : rules) {
    std::string err = staged.ApplyRule(rule);
    if (!err.empty()) {
      return "ERR Error in ACL SETUSER modifier '" + std::string(rule) + "': " + err;
    }
  }
  if (existing != nullptr) {
    *existing = std::move(staged);
  } else {
    users_.emplace(std::string(name), std::make_shared<AclUser>(std::move(staged)));
  }
  return {};
}

bool AclRegistry::Delete(std::string_view name) {
  auto it = users_.find(name);
  if (it == users_.end() || it->second == default_user_) return false;
  users_.erase(it);
  return true;
}

void AclRegistry::Replace(std::map<std::string, std::shared_ptr<AclUser>, std::less<>> users) {
  auto it = users.find("default");
  if (it != users.end()) {
    *default_user_ = *it->second;
    it->second = default_user_;
  } else {
    *default_user_ = AclUser("default");
    for (std::string_view rule : {"+@all", "~*", "&*", "on", "nopass"}) {
      (void)default_user_->ApplyRule(rule);
    }
    users.emplace("default", default_user_);
  }
  users_ = std::move(users);
}

void AclRegistry::Log(AclLogEntry entry) {
  for (size_t i = 0; i < log_.size() && i < kLogMergeScan; ++i) {
    AclLogEntry& e = log_[i];
    const int64_t delta = e.created_ms - entry.created_ms;
    if (e.reason == entry.reason && e.context == entry.context && e.object == entry.object &&
        e.username == entry.username && delta <= kLogMergeMs && -delta <= kLogMergeMs) {
      AclLogEntry merged = std::move(e);
      merged.client_info = std::move(entry.client_info);
      merged.created_ms = entry.created_ms;
      ++merged.count;
      log_.erase(log_.begin() + static_cast<std::ptrdiff_t>(i));
      log_.push_front(std::move(merged));
      return;
    }
  }
  log_.push_front(std::move(entry));
  while (log_.size() > kLogMaxLen) log_.pop_back();
}

}  // namespace kvgate::redis
