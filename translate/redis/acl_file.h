// File: translate/redis/acl_file.h
// The aclfile (Redis 7.0 ACLLoadFromFile / ACLSaveToFile): one "user <name> <rule> ..." line
// per user, words split on single spaces. Loading is all or nothing: any error leaves the
// users as they were and returns Redis's error text, lines numbered from 1.
//
//   std::map<...> users;
//   std::string errors = ParseAclFile(text, "users.acl", &users);   // "" when valid
//   std::string err = LoadAclFile(front, "users.acl");               // ACL LOAD, startup
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "translate/redis/acl_user.h"

namespace kvgate::redis {

class AclRegistry;
class RedisFront;

using AclUserMap = std::map<std::string, std::shared_ptr<AclUser>, std::less<>>;

// Parses a whole file; "" and `users` filled, or Redis's concatenated error texts.
std::string ParseAclFile(std::string_view text, std::string_view filename, AclUserMap* users);
// Reads and applies `path`; connections of users that are replaced are closed, as redis-server
// does. "" or the error text (without "ERR ").
std::string LoadAclFile(RedisFront& front, const std::string& path);
// Writes every user as ACL LIST shows it, through a temporary file renamed over `path`.
bool SaveAclFile(const AclRegistry& acl, const std::string& path);

}  // namespace kvgate::redis
