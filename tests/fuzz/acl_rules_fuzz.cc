// File: tests/fuzz/acl_rules_fuzz.cc
// libFuzzer target for the ACL rule parser (translate/redis/acl_user.h: ACL SETUSER arguments)
// and the aclfile parser (translate/redis/acl_file.h). The first input byte picks the mode:
// even, the rest is ACL SETUSER rules separated by spaces; odd, the rest is an aclfile. Checks
// that what ACL LIST prints reads back to the same user (the description is a fixed point),
// that a saved file parses back to the same users, and that checks never crash.
//
//   cmake --preset fuzz && cmake --build build/fuzz --target acl_rules_fuzz
//   build/fuzz/tests/fuzz/acl_rules_fuzz tests/fuzz/corpus/acl_rules_fuzz
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "translate/redis/acl_file.h"
#include "translate/redis/acl_user.h"

namespace redis = kvgate::redis;

namespace {

void Require(bool ok) {
  if (!ok) abort();
}

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(' ', start);
    if (end == std::string_view::npos) end = s.size();
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// The description applied to a fresh user describes that user again.
void CheckRoundTrip(const redis::AclUser& user) {
  const std::string text = user.Describe();
  redis::AclUser again(user.name());
  for (std::string_view rule : Words(text)) Require(again.ApplyRule(rule).empty());
  Require(again.Describe() == text);
  (void)user.KeyAllowed("key", 1);
  (void)user.ChannelAllowed("chan", false);
  (void)user.CheckPassword("pw");
}

void FuzzRules(std::string_view rules) {
  redis::AclUser user("fuzz");
  for (std::string_view rule : Words(rules)) (void)user.ApplyRule(rule);
  CheckRoundTrip(user);
}

void FuzzFile(std::string_view text) {
  redis::AclUserMap users;
  if (!redis::ParseAclFile(text, "fuzz.acl", &users).empty()) return;
  std::string saved;
  for (const auto& [name, user] : users) {
    CheckRoundTrip(*user);
    saved += "user " + name + " " + user->Describe() + "\n";
  }
  redis::AclUserMap reread;
  Require(redis::ParseAclFile(saved, "fuzz.acl", &reread).empty());
  Require(reread.size() == users.size());
  for (const auto& [name, user] : users) Require(reread.at(name)->Describe() == user->Describe());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > 4096) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    FuzzRules(rest);
  } else {
    FuzzFile(rest);
  }
  return 0;
}
