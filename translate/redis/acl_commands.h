// File: translate/redis/acl_commands.h
// Redis 7.0's command table as ACL sees it: every command and subcommand with its ACL
// categories, its no-auth flag and its key specs (acl_command_table.cc, generated from a real
// redis-server), plus kvgate's own commands, numbered so that a user's permissions are a
// bitmap. Redis numbers are kept even for commands kvgate does not run: ACL rules may name
// them, and ACL LIST's best-fit description counts over Redis's whole table.
//
//   const acl::CommandIndex& index = acl::CommandIndex::Get();
//   const acl::IndexedCommand* get = index.Find("get");        // "client|list" for a subcommand
//   bool read = get->categories & acl::Cat(acl::kRead);
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kvgate::redis {
struct CommandSpec;
}

namespace kvgate::redis::acl {

// Redis's ACL categories, in ACL CAT order.
enum Category : int {
  kKeyspace,
  kRead,
  kWrite,
  kSet,
  kSortedset,
  kList,
  kHash,
  kString,
  kBitmap,
  kHyperloglog,
  kGeo,
  kStream,
  kPubsub,
  kAdmin,
  kFast,
  kSlow,
  kBlocking,
  kDangerous,
  kConnection,
  kTransaction,
  kScripting,
  kCategoryCount,
};
constexpr uint32_t Cat(Category c) {
  return 1u << c;
}
// The category's name ("keyspace"), or its number from a name (-1 if none; case-insensitive).
std::string_view CategoryName(int category);
int CategoryByName(std::string_view name);

// Key-spec flags that matter for ACL (Redis CMD_KEY_*).
enum KeyFlag : uint8_t {
  kKeyAccess = 1 << 0,  // the value is read or returned: needs %R
  kKeyInsert = 1 << 1,  // the next three need %W
  kKeyDelete = 1 << 2,
  kKeyUpdate = 1 << 3,
  kKeyNotKey = 1 << 4,
  kKeyIncomplete = 1 << 5,
  kKeyVariableFlags = 1 << 6,
};
enum BeginSearch : uint8_t { kBeginIndex, kBeginKeyword, kBeginUnknown };
enum FindKeys : uint8_t { kFindRange, kFindKeynum, kFindUnknown };

// A Redis key spec: where the keys start (an index, or after a keyword searched from
// `start`), then a range (a = lastkey, b = keystep, c = limit) or a key count
// (a = keynumidx, b = firstkey, c = keystep).
struct KeySpec {
  uint8_t flags = 0;
  BeginSearch begin = kBeginUnknown;
  int start = 0;  // the index, or the keyword search's startfrom
  std::string_view keyword;
  FindKeys find = kFindUnknown;
  int a = 0, b = 0, c = 0;
};

struct CommandInfo {
  std::string_view name;  // "get", "client|list"
  uint32_t categories = 0;
  bool no_auth = false;
  bool keys_optional = false;  // no_mandatory_keys: COMMAND GETKEYS may answer no keys
  int key_spec_count = 0;
  KeySpec key_specs[3];
};
// Redis's table, sorted by name (acl_command_table.cc).
std::span<const CommandInfo> RedisCommands();

struct IndexedCommand {
  std::string name;  // full name, lower case
  uint32_t id = 0;   // bit in a user's command bitmap
  uint32_t categories = 0;
  bool redis = false;                 // in Redis 7.0's table (not a kvgate addition)
  const CommandInfo* info = nullptr;  // Redis's entry; nullptr for kvgate's own commands
  int parent = -1;                    // index of the container, -1 for a top-level command
  std::vector<int> subcommands;       // indexes of the subcommands
};

class CommandIndex {
 public:
  static const CommandIndex& Get();
  // By full name ("client|list"), case-insensitive; nullptr if unknown.
  const IndexedCommand* Find(std::string_view full_name) const;
  // The entry of a kvgate command (the subcommand if `parent` is set).
  const IndexedCommand& Of(const CommandSpec* spec) const;
  // The same, for a command kvgate runs whole that Redis splits into subcommands (OBJECT
  // ENCODING is "object|encoding" to ACL): args[1] picks the Redis subcommand.
  const IndexedCommand& Resolve(const CommandSpec* spec,
                                std::span<const std::string_view> args) const;
  const std::vector<IndexedCommand>& all() const {
    return commands_;
  }
  // Bits a bitmap needs; the last one is Redis's "future commands" bit set only by +@all.
  uint32_t bit_count() const {
    return bit_count_;
  }

 private:
  CommandIndex();
  std::vector<IndexedCommand> commands_;
  std::unordered_map<std::string, int> by_name_;
  std::unordered_map<const CommandSpec*, int> by_spec_;
  uint32_t bit_count_ = 0;
};

}  // namespace kvgate::redis::acl
