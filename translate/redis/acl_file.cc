// File: translate/redis/acl_file.cc
// ParseAclFile / LoadAclFile / SaveAclFile (acl_file.h).
#include "translate/redis/acl_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "translate/redis/acl_registry.h"
#include "translate/redis/front.h"
#include "translate/redis/session.h"

namespace kvgate::redis {
namespace {

std::string_view Trim(std::string_view s, std::string_view chars) {
  const size_t b = s.find_first_not_of(chars);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(chars) - b + 1);
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t pos = s.find(sep, start);
    out.push_back(
        s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

}  // namespace

std::string ParseAclFile(std::string_view text, std::string_view filename, AclUserMap* users) {
  std::string errors;
  AclUserMap parsed;
  const std::string file(filename);
  const std::vector<std::string_view> lines = Split(text, '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string num = std::to_string(i + 1);
    const std::string_view line = Trim(lines[i], " \t\r\n");
    if (line.empty()) continue;
    const std::vector<std::string_view> argv = Split(line, ' ');
    if (argv[0] != "user" || argv.size() < 2) {
      errors += file + ":" + num + " should start with user keyword followed by the username. ";
      continue;
    }
    if (AclHasSpaces(argv[1])) {
      errors += "'" + file + ":" + num + ": username '" + std::string(argv[1]) +
                "' contains invalid characters. ";
      continue;
    }
    if (parsed.count(argv[1]) != 0) {
      errors +=
          "WARNING: Duplicate user '" + std::string(argv[1]) + "' found on line " + num + ". ";
      continue;
    }
    auto user = std::make_shared<AclUser>(std::string(argv[1]));
    bool syntax_error = false;
    for (size_t j = 2; j < argv.size(); ++j) {
      const std::string_view rule = Trim(argv[j], "\t\r\n");
      const std::string err = user->ApplyRule(rule);
      if (err.empty()) continue;
      if (err == "Unknown command or category name in ACL") {
        errors += file + ":" + num + ": Error in applying operation '" + std::string(rule) +
                  "': " + err + ". ";
      } else if (!syntax_error) {
        errors += file + ":" + num + ": " + err + ". ";
        syntax_error = true;
      }
    }
    parsed.emplace(std::string(argv[1]), std::move(user));
  }
  if (!errors.empty()) {
    return errors +
           "WARNING: ACL errors detected, no change to the previously active ACL rules was "
           "performed";
  }
  *users = std::move(parsed);
  return {};
}

std::string LoadAclFile(RedisFront& front, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return "Error loading ACLs, opening file '" + path + "': " + std::strerror(errno);
  }
  std::stringstream text;
  text << in.rdbuf();
  AclUserMap users;
  std::string errors = ParseAclFile(text.str(), path, &users);
  if (!errors.empty()) return errors;
  // Every user but the default one is replaced: their connections are closed.
  AclUserMap old = front.acl().users();
  front.acl().Replace(std::move(users));
  for (const auto& [name, user] : old) {
    if (user != front.acl().default_user()) front.CloseClientsOf(user.get());
  }
  return {};
}

bool SaveAclFile(const AclRegistry& acl, const std::string& path) {
  std::string text;
  for (const auto& [name, user] : acl.users())
    text += "user " + name + " " + user->Describe() + "\n";
  const std::string tmp = path + ".tmp-" + std::to_string(getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return false;
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!written || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return false;
  }
  return true;
}

}  // namespace kvgate::redis
