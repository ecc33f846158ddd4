// File: translate/redis/acl_user.cc
// AclUser rules (Redis 7.0 ACLSetUser / ACLSetSelector) and checks; the ACL LIST description
// is in acl_describe.cc.
#include "translate/redis/acl_user.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <cctype>

#include "protocols/ascii.h"
#include "translate/redis/acl_commands.h"
#include "translate/redis/glob.h"

namespace kvgate::redis {
namespace {

using protocols::EqualsIgnoreCase;

constexpr std::string_view kSyntaxError = "Syntax error";
constexpr std::string_view kUnknownCommand = "Unknown command or category name in ACL";
constexpr std::string_view kAfterAllKeys =
    "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have "
    "any effect. Try 'resetkeys' to start with an empty list of patterns";
constexpr std::string_view kAfterAllChannels =
    "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not "
    "have any effect. Try 'resetchannels' to start with an empty list of channels";
constexpr std::string_view kNoSuchPassword =
    "The password you are trying to remove from the user does not exist";
constexpr std::string_view kBadHash =
    "The password hash must be exactly 64 characters and contain only lowercase hexadecimal "
    "characters";
constexpr std::string_view kFirstArgOfSub = "Allowing first-arg of a subcommand is not supported";

bool IsValidHash(std::string_view h) {
  if (h.size() != 64) return false;
  for (char c : h) {
    if (!((c >= 'a' && c <= 'f') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

}  // namespace

bool AclHasSpaces(std::string_view s) {
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '\0') return true;
  }
  return false;
}

std::string PasswordHash(std::string_view password) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(password.data()), password.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex(SHA256_DIGEST_LENGTH * 2, '0');
  for (int i = 0; i < SHA256_DIGEST_LENGTH; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 15];
  }
  return hex;
}

AclUser::AclUser(std::string name)
    : name_(std::move(name)),
      commands_((acl::CommandIndex::Get().bit_count() + 63) / 64, 0),
      first_args_(acl::CommandIndex::Get().bit_count()) {
  Refresh();
}

bool AclUser::CheckPassword(std::string_view password) const {
  if (nopass_) return true;
  const std::string hashed = PasswordHash(password);
  bool match = false;
  // Every hash is compared, each in constant time: the time says nothing about which matched.
  for (const std::string& p : passwords_) {
    if (CRYPTO_memcmp(p.data(), hashed.data(), hashed.size()) == 0) match = true;
  }
  return match;
}

bool AclUser::Bit(uint32_t id) const {
  return (commands_[id / 64] >> (id % 64)) & 1;
}

void AclUser::SetBit(uint32_t id, bool value) {
  if (value) {
    commands_[id / 64] |= uint64_t{1} << (id % 64);
  } else {
    commands_[id / 64] &= ~(uint64_t{1} << (id % 64));
    all_commands_ = false;
  }
}

void AclUser::SetCommand(uint32_t id, bool allow) {
  SetBit(id, allow);
  first_args_[id].clear();
  for (int sub : acl::CommandIndex::Get().all()[id].subcommands) {
    SetBit(static_cast<uint32_t>(sub), allow);
  }
}

void AclUser::SetCategory(int category, bool allow) {
  for (const acl::IndexedCommand& c : acl::CommandIndex::Get().all()) {
    if (c.categories & acl::Cat(static_cast<acl::Category>(category))) SetCommand(c.id, allow);
  }
}

bool AclUser::CommandAllowed(uint32_t id) const {
  return all_commands_ || Bit(id);
}

bool AclUser::FirstArgAllowed(uint32_t id, std::string_view arg) const {
  for (const std::string& a : first_args_[id]) {
    if (EqualsIgnoreCase(a, arg)) return true;
  }
  return false;
}

bool AclUser::KeyAllowed(std::string_view key, uint8_t key_flags) const {
  if (all_keys_) return true;
  uint8_t need = 0;
  if (key_flags & acl::kKeyAccess) need |= kRead;
  if (key_flags & (acl::kKeyInsert | acl::kKeyDelete | acl::kKeyUpdate)) need |= kWrite;
  for (const KeyPattern& p : keys_) {
    if ((p.perms & need) != need) continue;
    if (GlobMatch(p.pattern, key)) return true;
  }
  return false;
}

bool AclUser::ChannelAllowed(std::string_view channel, bool is_pattern) const {
  if (all_channels_) return true;
  for (const std::string& p : channels_) {
    if (is_pattern ? p == channel : GlobMatch(p, channel)) return true;
  }
  return false;
}

void AclUser::Refresh() {
  unrestricted_ = all_commands_ && all_keys_ && all_channels_;
}

std::string AclUser::ApplyRule(std::string_view op) {
  std::string err;
  if (op.empty()) return err;
  if (EqualsIgnoreCase(op, "on")) {
    enabled_ = true;
  } else if (EqualsIgnoreCase(op, "off")) {
    enabled_ = false;
  } else if (EqualsIgnoreCase(op, "skip-sanitize-payload")) {
    // Shown as Redis shows it; kvgate checks every RESTORE payload either way.
    payload_ = Payload::kSkipSanitize;
  } else if (EqualsIgnoreCase(op, "sanitize-payload")) {
    payload_ = Payload::kSanitize;
  } else if (EqualsIgnoreCase(op, "nopass")) {
    nopass_ = true;
    passwords_.clear();
  } else if (EqualsIgnoreCase(op, "resetpass")) {
    nopass_ = false;
    passwords_.clear();
  } else if (op[0] == '>' || op[0] == '#') {
    std::string hash;
    if (op[0] == '>') {
      hash = PasswordHash(op.substr(1));
    } else {
      if (!IsValidHash(op.substr(1))) return std::string(kBadHash);
      hash.assign(op.substr(1));
    }
    bool present = false;
    for (const std::string& p : passwords_) present = present || p == hash;
    if (!present) passwords_.push_back(std::move(hash));
    nopass_ = false;
  } else if (op[0] == '<' || op[0] == '!') {
    std::string hash;
    if (op[0] == '<') {
      hash = PasswordHash(op.substr(1));
    } else {
      if (!IsValidHash(op.substr(1))) return std::string(kBadHash);
      hash.assign(op.substr(1));
    }
    auto it = passwords_.begin();
    while (it != passwords_.end() && *it != hash) ++it;
    if (it == passwords_.end()) return std::string(kNoSuchPassword);
    passwords_.erase(it);
  } else if (op[0] == '(' && op.back() == ')') {
    // Selectors (Redis 7.0 "(...)") are not supported by kvgate.
    return std::string(kSyntaxError);
  } else if (EqualsIgnoreCase(op, "clearselectors")) {
    // No selectors besides the root one: nothing to clear.
  } else if (EqualsIgnoreCase(op, "reset")) {
    ApplyRule("resetpass");
    ApplyRule("resetkeys");
    ApplyRule("resetchannels");
    ApplyRule("off");
    ApplyRule("sanitize-payload");
    ApplyRule("-@all");
  } else {
    err = ApplySelectorRule(op);
  }
  Refresh();
  return err;
}

std::string AclUser::AllowCommand(std::string_view name) {
  const acl::CommandIndex& index = acl::CommandIndex::Get();
  const size_t bar = name.rfind('|');
  if (bar == std::string_view::npos) {
    const acl::IndexedCommand* cmd = index.Find(name);
    if (cmd == nullptr) return std::string(kUnknownCommand);
    SetCommand(cmd->id, true);
    return {};
  }
  const acl::IndexedCommand* cmd = index.Find(name.substr(0, bar));
  if (cmd == nullptr) return std::string(kUnknownCommand);
  if (cmd->parent >= 0) return std::string(kFirstArgOfSub);
  const std::string_view sub = name.substr(bar + 1);
  if (sub.empty()) return std::string(kSyntaxError);
  if (!cmd->subcommands.empty()) {
    const acl::IndexedCommand* full = index.Find(name);
    if (full == nullptr) return std::string(kUnknownCommand);
    SetCommand(full->id, true);
    return {};
  }
  // SELECT|0 style: the first argument is allowed while the command's bit stays clear.
  for (const std::string& a : first_args_[cmd->id]) {
    if (EqualsIgnoreCase(a, sub)) return {};
  }
  first_args_[cmd->id].emplace_back(sub);
  return {};
}

std::string AclUser::ApplySelectorRule(std::string_view op) {
  if (EqualsIgnoreCase(op, "allkeys") || EqualsIgnoreCase(op, "~*")) {
    all_keys_ = true;
    keys_.clear();
  } else if (EqualsIgnoreCase(op, "resetkeys")) {
    all_keys_ = false;
    keys_.clear();
  } else if (EqualsIgnoreCase(op, "allchannels") || EqualsIgnoreCase(op, "&*")) {
    all_channels_ = true;
    channels_.clear();
  } else if (EqualsIgnoreCase(op, "resetchannels")) {
    all_channels_ = false;
    channels_.clear();
  } else if (EqualsIgnoreCase(op, "allcommands") || EqualsIgnoreCase(op, "+@all")) {
    for (uint64_t& w : commands_) w = ~uint64_t{0};
    all_commands_ = true;
    for (auto& a : first_args_) a.clear();
  } else if (EqualsIgnoreCase(op, "nocommands") || EqualsIgnoreCase(op, "-@all")) {
    for (uint64_t& w : commands_) w = 0;
    all_commands_ = false;
    for (auto& a : first_args_) a.clear();
  } else if (op[0] == '~' || op[0] == '%') {
    if (all_keys_) return std::string(kAfterAllKeys);
    uint8_t perms = 0;
    size_t offset = 1;
    if (op[0] == '%') {
      for (; offset < op.size(); ++offset) {
        const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(op[offset])));
        if (c == 'R' && !(perms & kRead)) {
          perms |= kRead;
        } else if (c == 'W' && !(perms & kWrite)) {
          perms |= kWrite;
        } else if (op[offset] == '~') {
          ++offset;
          break;
        } else {
          return std::string(kSyntaxError);
        }
      }
      // redis-server 7.0.15 accepts "%~k" and "%R" and then aborts describing them; later
      // versions refuse them, as kvgate does.
      if (perms == 0 || op[offset - 1] != '~') return std::string(kSyntaxError);
    } else {
      perms = kRead | kWrite;
    }
    const std::string_view pattern = op.substr(std::min(offset, op.size()));
    if (AclHasSpaces(pattern)) return std::string(kSyntaxError);
    bool merged = false;
    for (KeyPattern& p : keys_) {
      if (p.pattern == pattern) {
        p.perms |= perms;
        merged = true;
      }
    }
    if (!merged) keys_.push_back({std::string(pattern), perms});
    all_keys_ = false;
  } else if (op[0] == '&') {
    if (all_channels_) return std::string(kAfterAllChannels);
    const std::string_view pattern = op.substr(1);
    if (AclHasSpaces(pattern)) return std::string(kSyntaxError);
    bool present = false;
    for (const std::string& c : channels_) present = present || c == pattern;
    if (!present) channels_.emplace_back(pattern);
    all_channels_ = false;
  } else if (op[0] == '+' && (op.size() < 2 || op[1] != '@')) {
    return AllowCommand(op.substr(1));
  } else if (op[0] == '-' && (op.size() < 2 || op[1] != '@')) {
    const acl::IndexedCommand* cmd = acl::CommandIndex::Get().Find(op.substr(1));
    if (cmd == nullptr) return std::string(kUnknownCommand);
    SetCommand(cmd->id, false);
  } else if (op[0] == '+' || op[0] == '-') {
    const int category = acl::CategoryByName(op.substr(2));
    if (category < 0) return std::string(kUnknownCommand);
    SetCategory(category, op[0] == '+');
  } else {
    return std::string(kSyntaxError);
  }
  return {};
}

std::vector<std::string_view> AclUser::Flags() const {
  std::vector<std::string_view> flags;
  flags.push_back(enabled_ ? "on" : "off");
  if (nopass_) flags.push_back("nopass");
  if (payload_ == Payload::kSkipSanitize) flags.push_back("skip-sanitize-payload");
  if (payload_ == Payload::kSanitize) flags.push_back("sanitize-payload");
  return flags;
}

}  // namespace kvgate::redis
