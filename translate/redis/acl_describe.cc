// File: translate/redis/acl_describe.cc
// How ACL LIST and ACL GETUSER print a user (Redis 7.0 ACLDescribeUser): flags, password
// hashes, key and channel patterns, then the command rules found by Redis's best fit: start
// from +@all or -@all, repeatedly apply the category that agrees with the user on more
// commands than it disagrees (fewest disagreements first), then name the commands still
// different, then the allowed first arguments.
#include <climits>

#include "translate/redis/acl_commands.h"
#include "translate/redis/acl_user.h"

namespace kvgate::redis {
namespace {

using Bitmap = std::vector<uint64_t>;

bool Get(const Bitmap& b, uint32_t id) {
  return (b[id / 64] >> (id % 64)) & 1;
}

void Put(Bitmap& b, uint32_t id, bool v) {
  if (v) {
    b[id / 64] |= uint64_t{1} << (id % 64);
  } else {
    b[id / 64] &= ~(uint64_t{1} << (id % 64));
  }
}

// Redis ACLChangeSelectorPerm: a container's subcommands follow it.
void Change(Bitmap& b, const acl::IndexedCommand& c, bool v) {
  Put(b, c.id, v);
  for (int sub : c.subcommands) Put(b, static_cast<uint32_t>(sub), v);
}

void ApplyCategory(Bitmap& b, int category, bool v) {
  for (const acl::IndexedCommand& c : acl::CommandIndex::Get().all()) {
    if (c.categories & acl::Cat(static_cast<acl::Category>(category))) Change(b, c, v);
  }
}

std::string PatternText(std::string_view pattern, uint8_t perms) {
  std::string s = perms == 3 ? "~" : perms == 1 ? "%R~" : "%W~";
  s.append(pattern);
  return s;
}

}  // namespace

std::string DescribeCommandRules(const AclUser& user) {
  const acl::CommandIndex& index = acl::CommandIndex::Get();
  const uint32_t future = index.bit_count() - 1;
  const Bitmap& mine = user.commands_;
  const bool additive = !Get(mine, future);
  std::string rules = additive ? "-@all " : "+@all ";
  Bitmap fake(mine.size(), additive ? 0 : ~uint64_t{0});
  Bitmap temp = mine;
  bool applied[acl::kCategoryCount] = {};
  while (true) {
    int best = -1;
    unsigned long mindiff = INT_MAX, maxsame = 0;
    for (int j = 0; j < acl::kCategoryCount; ++j) {
      if (applied[j]) continue;
      unsigned long on = 0, off = 0;
      // Counted over Redis's own table, as redis-server counts: the same rules come out.
      for (const acl::IndexedCommand& c : index.all()) {
        if (!c.redis || !(c.categories & acl::Cat(static_cast<acl::Category>(j)))) continue;
        (Get(temp, c.id) ? on : off)++;
      }
      const unsigned long diff = additive ? off : on;
      const unsigned long same = additive ? on : off;
      if (same > diff && (diff < mindiff || (diff == mindiff && same > maxsame))) {
        best = j;
        mindiff = diff;
        maxsame = same;
      }
    }
    if (best == -1) break;
    ApplyCategory(fake, best, additive);
    ApplyCategory(temp, best, !additive);
    rules += additive ? "+@" : "-@";
    rules += acl::CategoryName(best);
    rules += ' ';
    applied[best] = true;
  }
  // Top-level commands, each followed by its subcommands, as Redis walks its table.
  auto single = [&](const acl::IndexedCommand& c) {
    const bool userbit = Get(mine, c.id);
    if (userbit != Get(fake, c.id)) {
      rules += userbit ? '+' : '-';
      rules += c.name;
      rules += ' ';
      Change(fake, c, userbit);
    }
  };
  for (const acl::IndexedCommand& c : index.all()) {
    if (c.parent >= 0) continue;
    single(c);
    for (int sub : c.subcommands) single(index.all()[sub]);
    if (!Get(mine, c.id)) {
      for (const std::string& arg : user.first_args_[c.id]) {
        rules += '+';
        rules += c.name;
        rules += '|';
        rules += arg;
        rules += ' ';
      }
    }
  }
  rules.pop_back();
  return rules;
}

std::string AclUser::DescribeCommands() const {
  return DescribeCommandRules(*this);
}

std::string AclUser::DescribeKeys() const {
  if (all_keys_) return "~*";
  std::string s;
  for (const KeyPattern& p : keys_) {
    if (!s.empty()) s += ' ';
    s += PatternText(p.pattern, p.perms);
  }
  return s;
}

std::string AclUser::DescribeChannels() const {
  if (all_channels_) return "&*";
  std::string s;
  for (const std::string& c : channels_) {
    if (!s.empty()) s += ' ';
    s += '&';
    s += c;
  }
  return s;
}

std::string AclUser::Describe() const {
  std::string s;
  for (std::string_view f : Flags()) {
    s.append(f);
    s += ' ';
  }
  for (const std::string& p : passwords_) {
    s += '#';
    s += p;
    s += ' ';
  }
  if (all_keys_) {
    s += "~* ";
  } else {
    for (const KeyPattern& p : keys_) s += PatternText(p.pattern, p.perms) + ' ';
  }
  if (all_channels_) {
    s += "&* ";
  } else {
    s += "resetchannels ";
    for (const std::string& c : channels_) s += '&' + c + ' ';
  }
  s += DescribeCommands();
  return s;
}

}  // namespace kvgate::redis
