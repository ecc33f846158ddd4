// ACL rules, descriptions and checks (translate/redis/acl_user.h, command_keys.h, acl_check.h);
// the texts themselves are compared with redis-server in
// tests/integration/redis_acl_differential_test.cc.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "translate/redis/acl_check.h"
#include "translate/redis/acl_commands.h"
#include "translate/redis/acl_file.h"
#include "translate/redis/acl_user.h"
#include "translate/redis/command_keys.h"
#include "translate/redis/command_table.h"

namespace kvgate::redis {
namespace {

AclUser UserWith(const std::vector<std::string_view>& rules) {
  AclUser u("u");
  for (std::string_view r : rules) REQUIRE(u.ApplyRule(r).empty());
  return u;
}

std::vector<int> KeyPositions(const std::vector<std::string_view>& args) {
  const CommandSpec* spec = CommandTable::Get().Find(args[0]);
  REQUIRE(spec != nullptr);
  std::vector<KeyRef> keys;
  (void)CommandKeys(acl::CommandIndex::Get().Of(spec), spec, args, &keys);
  std::vector<int> pos;
  for (const KeyRef& k : keys) pos.push_back(k.pos);
  return pos;
}

TEST_CASE("passwords are SHA-256 hashes checked against every one the user has", "[redis][acl]") {
  CHECK(PasswordHash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  AclUser u = UserWith({"on", ">one", ">two"});
  CHECK(u.CheckPassword("one"));
  CHECK(u.CheckPassword("two"));
  CHECK_FALSE(u.CheckPassword("three"));
  CHECK(u.ApplyRule("<one").empty());
  CHECK_FALSE(u.CheckPassword("one"));
  CHECK(u.ApplyRule("<one") ==
        "The password you are trying to remove from the user does not exist");
  CHECK(u.ApplyRule("nopass").empty());
  CHECK(u.CheckPassword("anything"));
  CHECK(u.ApplyRule("resetpass").empty());
  CHECK_FALSE(u.CheckPassword("anything"));
}

TEST_CASE("ACL LIST's description reads back to the same user", "[redis][acl]") {
  AclUser u = UserWith({"on", ">pw", "+@read", "-keys", "%R~r:*", "~rw:*", "&news:*", "+select|0"});
  const std::string text = u.Describe();
  CHECK(text ==
        "on #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 %R~r:* ~rw:* "
        "resetchannels &news:* -@all +@read -keys +select|0");
  AclUser again("u");
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    REQUIRE(again.ApplyRule(text.substr(start, end - start)).empty());
    start = end + 1;
  }
  CHECK(again.Describe() == text);
  CHECK(UserWith({"+@all", "~*", "&*"}).unrestricted());
  CHECK_FALSE(UserWith({"+@all", "-get", "~*", "&*"}).unrestricted());
}

TEST_CASE("key patterns need %R for reads and %W for writes", "[redis][acl]") {
  AclUser u = UserWith({"%R~r:*", "%W~w:*"});
  CHECK(u.KeyAllowed("r:1", acl::kKeyAccess));
  CHECK_FALSE(u.KeyAllowed("r:1", acl::kKeyUpdate));
  CHECK(u.KeyAllowed("w:1", acl::kKeyInsert));
  CHECK_FALSE(u.KeyAllowed("w:1", acl::kKeyAccess | acl::kKeyUpdate));
  CHECK_FALSE(u.KeyAllowed("other", acl::kKeyAccess));
  CHECK(u.ApplyRule("%~x") == "Syntax error");
  CHECK(u.ApplyRule("%R") == "Syntax error");
}

TEST_CASE("a PSUBSCRIBE pattern must equal a channel rule literally", "[redis][acl]") {
  AclUser u = UserWith({"&news:*"});
  CHECK(u.ChannelAllowed("news:1", false));
  CHECK(u.ChannelAllowed("news:*", true));
  CHECK_FALSE(u.ChannelAllowed("news:1*", true));
  CHECK_FALSE(u.ChannelAllowed("n*", true));
}

TEST_CASE("keys come from Redis's key specs, movable keys included", "[redis][acl]") {
  CHECK(KeyPositions({"get", "k"}) == std::vector<int>{1});
  CHECK(KeyPositions({"mset", "a", "1", "b", "2"}) == std::vector<int>{1, 3});
  CHECK(KeyPositions({"eval", "return 1", "2", "a", "b", "arg"}) == std::vector<int>{3, 4});
  CHECK(KeyPositions({"eval", "return 1", "9", "a"}).empty());  // numkeys past the end
  CHECK(KeyPositions({"zunionstore", "d", "2", "a", "b", "WEIGHTS", "1", "2"}) ==
        std::vector<int>{1, 3, 4});
  CHECK(KeyPositions({"xread", "COUNT", "1", "STREAMS", "s1", "s2", "0", "0"}) ==
        std::vector<int>{4, 5});
  CHECK(KeyPositions({"sort", "l", "LIMIT", "0", "1", "STORE", "d"}) == std::vector<int>{1, 6});
  CHECK(KeyPositions({"lmpop", "2", "a", "b", "LEFT"}) == std::vector<int>{2, 3});
}

TEST_CASE("a command check reports the refused key or channel", "[redis][acl]") {
  AclUser u = UserWith({"+@all", "~app:*", "resetchannels", "&c"});
  const CommandSpec* get = CommandTable::Get().Find("get");
  std::vector<std::string_view> args = {"get", "other"};
  AclCheck c = CheckAcl(u, get, args);
  REQUIRE(c.denied == AclDenied::kKey);
  CHECK(c.pos == 1);
  const CommandSpec* publish = CommandTable::Get().Find("publish");
  std::vector<std::string_view> pub = {"publish", "d", "m"};
  CHECK(CheckAcl(u, publish, pub).denied == AclDenied::kChannel);
  AclUser none("none");
  CHECK(CheckAcl(none, get, args).denied == AclDenied::kCommand);
  const CommandSpec* auth = CommandTable::Get().Find("auth");
  std::vector<std::string_view> auth_args = {"auth", "p"};
  CHECK_FALSE(CheckAcl(none, auth, auth_args).denied.has_value());  // no-auth commands
}

TEST_CASE("aclfile errors are Redis's and leave nothing half loaded", "[redis][acl]") {
  AclUserMap users;
  CHECK(ParseAclFile("user a on +get\nuser b on +nosuch\nuser a on\nfoo\n", "f.acl", &users) ==
        "f.acl:2: Error in applying operation '+nosuch': Unknown command or category name in "
        "ACL. WARNING: Duplicate user 'a' found on line 3. f.acl:4 should start with user keyword "
        "followed by the username. WARNING: ACL errors detected, no change to the previously "
        "active ACL rules was performed");
  CHECK(users.empty());
  CHECK(ParseAclFile("user a on nopass ~* +@all\n\nuser b  off\n", "f.acl", &users).empty());
  REQUIRE(users.size() == 2);
  CHECK(users.at("a")->Describe() == "on nopass ~* resetchannels +@all");
  CHECK(users.at("b")->Describe() == "off resetchannels -@all");
}

}  // namespace
}  // namespace kvgate::redis
