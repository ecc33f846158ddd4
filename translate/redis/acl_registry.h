// File: translate/redis/acl_registry.h
// The ACL users of the Redis front (Redis 7.0 `Users`): the default user (on nopass ~* &*
// +@all until requirepass or ACL SETUSER change it), named users, credentials checks, and the
// ACL LOG of denied commands and failed logins. Sessions hold their user by shared_ptr; ACL
// SETUSER changes a user in place, so its connections see the change at once.
//
//   AclRegistry acl;
//   acl.SetRequirePass("secret");                 // CONFIG SET requirepass
//   std::shared_ptr<AclUser> u = acl.Authenticate("default", "secret");   // nullptr: WRONGPASS
//   std::string err = acl.SetUser("alice", {"on", ">pw", "+@read", "~app:*"});
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "translate/redis/acl_user.h"

namespace kvgate::redis {

enum class AclDenied { kCommand, kKey, kChannel, kAuth };
enum class AclContext { kToplevel, kMulti, kLua };

struct AclLogEntry {
  uint64_t count = 1;
  AclDenied reason = AclDenied::kCommand;
  AclContext context = AclContext::kToplevel;
  std::string object;  // the command, key, channel, or "AUTH" / "HELLO"
  std::string username;
  int64_t created_ms = 0;
  std::string client_info;  // CLIENT INFO line of the client (no trailing newline)
};

class AclRegistry {
 public:
  AclRegistry();

  const std::shared_ptr<AclUser>& default_user() const {
    return default_user_;
  }
  std::shared_ptr<AclUser> Find(std::string_view name) const;
  // The user if it exists, is on, and `password` matches; else nullptr.
  std::shared_ptr<AclUser> Authenticate(std::string_view name, std::string_view password) const;
  // requirepass: the default user's only password ("" makes it nopass).
  void SetRequirePass(std::string_view password);
  // ACL SETUSER: every rule is applied to a copy first; "" or Redis's error text.
  std::string SetUser(std::string_view name, std::span<const std::string_view> rules);
  // Removes a user; the caller closes its connections. false if there was none.
  bool Delete(std::string_view name);
  const std::map<std::string, std::shared_ptr<AclUser>, std::less<>>& users() const {
    return users_;
  }
  // Replaces every user (ACL LOAD / aclfile); the default user object is kept if listed.
  void Replace(std::map<std::string, std::shared_ptr<AclUser>, std::less<>> users);

  // ---- ACL LOG (Redis keeps acllog-max-len = 128 entries) ----
  // Adds or merges (same reason, context, object, user among the last 10) an entry.
  void Log(AclLogEntry entry);
  const std::deque<AclLogEntry>& log() const {
    return log_;
  }
  void ResetLog() {
    log_.clear();
  }

 private:
  std::map<std::string, std::shared_ptr<AclUser>, std::less<>> users_;
  std::shared_ptr<AclUser> default_user_;
  std::deque<AclLogEntry> log_;
};

}  // namespace kvgate::redis
