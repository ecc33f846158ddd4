// File: translate/redis/acl_user.h
// One ACL user as Redis 7.0 keeps it: on/off, nopass, SHA-256 password hashes, a command
// bitmap over the ACL command index (acl_commands.h) with allowed first arguments, key
// patterns with %R/%W permissions, channel patterns. ApplyRule takes one ACL SETUSER / aclfile
// rule; Describe prints the user as ACL LIST does (Redis's best-fit category rules).
//
//   AclUser u("alice");
//   if (auto err = u.ApplyRule(">secret"); !err.empty()) ...   // Redis's error text
//   u.ApplyRule("+@read"); u.ApplyRule("~cache:*");
//   u.Describe();   // "on #2bb8... ~cache:* resetchannels -@all +@read"
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kvgate::redis {

// Redis ACLStringHasSpaces: user names and patterns may hold no white space and no NUL.
bool AclHasSpaces(std::string_view s);

// Lower-case hex SHA-256 of a password (what #<hash> rules and ACL GETUSER show).
std::string PasswordHash(std::string_view password);

class AclUser {
 public:
  explicit AclUser(std::string name);

  const std::string& name() const {
    return name_;
  }
  // Redis's "off" unless set "on".
  bool enabled() const {
    return enabled_;
  }
  bool nopass() const {
    return nopass_;
  }
  const std::vector<std::string>& passwords() const {
    return passwords_;
  }
  // +@all ~* &*: every command runs without a check (the default user's fast path).
  bool unrestricted() const {
    return unrestricted_;
  }
  bool all_keys() const {
    return all_keys_;
  }
  bool all_channels() const {
    return all_channels_;
  }
  // Applies one rule; "" or Redis's error description ("Syntax error", ...).
  std::string ApplyRule(std::string_view op);
  // Whether `password` matches (constant time over the hashes; nopass matches anything).
  bool CheckPassword(std::string_view password) const;

  // ---- permission checks (acl_check.cc) ----
  bool CommandAllowed(uint32_t id) const;
  // A first argument allowed by +cmd|arg for a command whose bit is clear.
  bool FirstArgAllowed(uint32_t id, std::string_view arg) const;
  // The key against the patterns, needing %R for kKeyAccess and %W for insert/delete/update.
  bool KeyAllowed(std::string_view key, uint8_t key_flags) const;
  // A channel (globs match it) or, for PSUBSCRIBE, a pattern (matched literally).
  bool ChannelAllowed(std::string_view channel, bool is_pattern) const;

  // ---- descriptions ----
  // ACL LIST's text after "user <name> ".
  std::string Describe() const;
  // ACL GETUSER's "commands", "keys" and "channels" values.
  std::string DescribeCommands() const;
  std::string DescribeKeys() const;
  std::string DescribeChannels() const;
  // "on"/"off", "nopass", the payload flag: ACL GETUSER's flags, in Redis's order.
  std::vector<std::string_view> Flags() const;

 private:
  struct KeyPattern {
    std::string pattern;
    uint8_t perms = 0;  // kRead | kWrite
  };
  static constexpr uint8_t kRead = 1, kWrite = 2;

  std::string ApplySelectorRule(std::string_view op);
  std::string AllowCommand(std::string_view name);
  void SetCommand(uint32_t id, bool allow);  // the command and its subcommands
  void SetBit(uint32_t id, bool value);
  bool Bit(uint32_t id) const;
  void SetCategory(int category, bool allow);
  void Refresh();

  std::string name_;
  bool enabled_ = false;
  // RESTORE payload checking as set (Redis shows it; kvgate always checks payloads).
  enum class Payload : uint8_t { kUnset, kSanitize, kSkipSanitize };
  Payload payload_ = Payload::kUnset;
  bool nopass_ = false;
  std::vector<std::string> passwords_;  // hex SHA-256, in the order added
  bool all_keys_ = false;
  bool all_channels_ = false;
  bool all_commands_ = false;  // Redis SELECTOR_FLAG_ALLCOMMANDS
  bool unrestricted_ = false;
  std::vector<uint64_t> commands_;                    // bitmap by command id
  std::vector<std::vector<std::string>> first_args_;  // by command id; empty when unused
  std::vector<KeyPattern> keys_;
  std::vector<std::string> channels_;

  friend std::string DescribeCommandRules(const AclUser& user);
};

}  // namespace kvgate::redis
