// File: translate/redis/acl_commands.cc
// The ACL command index (acl_commands.h): Redis's table first, in its order, then kvgate's
// commands that Redis 7.0 lacks, with categories derived from their flags.
#include "translate/redis/acl_commands.h"

#include "protocols/ascii.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"

namespace kvgate::redis::acl {
namespace {

constexpr std::string_view kCategoryNames[kCategoryCount] = {
    "keyspace", "read",   "write",       "set",       "sortedset",  "list",        "hash",
    "string",   "bitmap", "hyperloglog", "geo",       "stream",     "pubsub",      "admin",
    "fast",     "slow",   "blocking",    "dangerous", "connection", "transaction", "scripting",
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = protocols::AsciiLower(c);
  return out;
}

// Categories for a kvgate command Redis 7.0 does not have, from what its flags say it does.
uint32_t DerivedCategories(const CommandSpec& spec) {
  // redis:: spelled out: the category enum shares names (kWrite, kFast, ...) with the flags.
  uint32_t c = 0;
  if (spec.flags & redis::kWrite) c |= Cat(kWrite);
  if (spec.flags & redis::kReadOnly) c |= Cat(kRead);
  if (spec.flags & redis::kAdmin) c |= Cat(kAdmin) | Cat(kDangerous);
  if (spec.flags & redis::kPubSub) c |= Cat(kPubsub);
  if (spec.flags & redis::kBlocking) c |= Cat(kBlocking);
  if (spec.first_key > 0) c |= Cat(kKeyspace);
  c |= (spec.flags & redis::kFast) ? Cat(kFast) : Cat(kSlow);
  return c;
}

}  // namespace

std::string_view CategoryName(int category) {
  return category >= 0 && category < kCategoryCount ? kCategoryNames[category] : "";
}

int CategoryByName(std::string_view name) {
  for (int i = 0; i < kCategoryCount; ++i) {
    if (protocols::EqualsIgnoreCase(name, kCategoryNames[i])) return i;
  }
  return -1;
}

const CommandIndex& CommandIndex::Get() {
  static const CommandIndex index;
  return index;
}

CommandIndex::CommandIndex() {
  auto add = [this](std::string name, uint32_t categories, const CommandInfo* info) {
    IndexedCommand c;
    c.id = static_cast<uint32_t>(commands_.size());
    c.name = std::move(name);
    c.categories = categories;
    c.redis = info != nullptr;
    c.info = info;
    if (size_t bar = c.name.find('|'); bar != std::string::npos) {
      auto it = by_name_.find(c.name.substr(0, bar));
      if (it != by_name_.end()) {
        c.parent = it->second;
        commands_[it->second].subcommands.push_back(static_cast<int>(commands_.size()));
      }
    }
    by_name_.emplace(c.name, static_cast<int>(commands_.size()));
    commands_.push_back(std::move(c));
    return static_cast<int>(commands_.size()) - 1;
  };
  for (const CommandInfo& info : RedisCommands())
    add(std::string(info.name), info.categories, &info);
  for (const CommandSpec* spec : CommandTable::Get().All()) {
    std::string name = Lower(spec->name);
    auto it = by_name_.find(name);
    int parent = it != by_name_.end() ? it->second : add(name, DerivedCategories(*spec), nullptr);
    by_spec_[spec] = parent;
    for (const CommandSpec& sub : spec->subcommands) {
      std::string full = name + "|" + Lower(sub.name);
      auto s = by_name_.find(full);
      by_spec_[&sub] = s != by_name_.end() ? s->second : add(full, DerivedCategories(sub), nullptr);
    }
  }
  // One spare bit at the end: Redis's marker that +@all also allows future commands.
  bit_count_ = static_cast<uint32_t>(commands_.size()) + 1;
}

const IndexedCommand* CommandIndex::Find(std::string_view full_name) const {
  auto it = by_name_.find(Lower(full_name));
  return it == by_name_.end() ? nullptr : &commands_[it->second];
}

const IndexedCommand& CommandIndex::Resolve(const CommandSpec* spec,
                                            std::span<const std::string_view> args) const {
  const IndexedCommand& c = Of(spec);
  if (c.subcommands.empty() || !spec->subcommands.empty() || args.size() < 2) return c;
  const IndexedCommand* sub = Find(c.name + "|" + std::string(args[1]));
  return sub != nullptr ? *sub : c;
}

const IndexedCommand& CommandIndex::Of(const CommandSpec* spec) const {
  return commands_[by_spec_.at(spec)];
}

}  // namespace kvgate::redis::acl
