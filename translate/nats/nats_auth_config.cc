#include "translate/nats/nats_auth_config.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "protocols/json.h"
#include "translate/nats/js_time.h"
#include "translate/nats/nkey.h"
#include "translate/nats/subject.h"

namespace kvgate::nats {
namespace {

using protocols::JsonValue;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Collects the first error with the path of the value it is about.
class Reader {
 public:
  explicit Reader(std::string* error) : error_(error) {
  }
  bool Fail(const std::string& path, const std::string& what) {
    if (error_->empty()) *error_ = path + ": " + what;
    return false;
  }
  bool String(const JsonValue& v, const std::string& path, std::string* out) {
    if (!v.is_string()) return Fail(path, "expected a string");
    *out = v.get<std::string>();
    return true;
  }
  // A subject, or an array of them (nats-server's parsePermSubjects).
  bool Subjects(const JsonValue& v, const std::string& path, std::vector<std::string>* out) {
    if (v.is_string()) {
      out->push_back(v.get<std::string>());
    } else if (v.is_array()) {
      for (const JsonValue& s : v) {
        if (!s.is_string())
          return Fail(path, "Subject in permissions array cannot be cast to string");
        out->push_back(s.get<std::string>());
      }
    } else {
      return Fail(path, "Expected subject permissions to be a subject, or array of subjects");
    }
    for (const std::string& s : *out) {
      if (IsValidSubject(s)) continue;
      // "subject queue": a queue-group qualified subscribe permission.
      size_t space = s.find(' ');
      std::string_view head = std::string_view(s).substr(0, space);
      std::string_view tail =
          space == std::string::npos ? std::string_view{} : std::string_view(s).substr(space + 1);
      if (space == std::string::npos || tail.empty() || tail.find(' ') != std::string::npos) {
        return Fail(path, "subject \"" + s + "\" is not a valid subject");
      }
      if (!IsValidSubject(head)) {
        return Fail(path, "subject \"" + std::string(head) + "\" is not a valid subject");
      }
    }
    return true;
  }
  // {"allow": .., "deny": ..} or the old style (a subject or a list: allow). Empty object or
  // empty lists leave the direction unrestricted, as in nats-server.
  bool Direction(const JsonValue& v, const std::string& path,
                 std::optional<SubjectPermission>* out) {
    SubjectPermission p;
    if (v.is_object()) {
      if (v.empty()) return true;
      for (const auto& [key, val] : v.items()) {
        std::string k = Lower(key);
        std::vector<std::string> subjects;
        if (k != "allow" && k != "deny") {
          return Fail(path, "Unknown field name \"" + key +
                                "\" parsing subject permissions, only 'allow' or 'deny' are "
                                "permitted");
        }
        if (!Subjects(val, path + "." + key, &subjects)) return false;
        if (k == "allow") {
          if (!subjects.empty()) p.allow = std::move(subjects);
        } else {
          p.deny = std::move(subjects);
        }
      }
    } else {
      std::vector<std::string> subjects;
      if (!Subjects(v, path, &subjects)) return false;
      if (!subjects.empty()) p.allow = std::move(subjects);
    }
    *out = std::move(p);
    return true;
  }
  bool Responses(const JsonValue& v, const std::string& path,
                 std::optional<ResponsePermission>* out) {
    if (v.is_boolean()) {
      if (v.get<bool>()) *out = ResponsePermission{};
      return true;
    }
    if (!v.is_object()) {
      return Fail(path, "error parsing response permissions, expected a boolean or a map");
    }
    ResponsePermission r;
    for (const auto& [key, val] : v.items()) {
      std::string k = Lower(key);
      if (k == "max" || k == "max_msgs" || k == "max_messages" || k == "max_responses") {
        if (!val.is_number_integer()) return Fail(path + "." + key, "expected an integer");
        if (int64_t n = val.get<int64_t>(); n != 0) r.max_msgs = n;  // 0: the default
      } else if (k == "expires" || k == "expiration" || k == "ttl") {
        int64_t ns = 0;
        if (!val.is_string()) {
          return Fail(path + "." + key, "error parsing expires, not a duration string");
        }
        if (!ParseGoDuration(val.get<std::string>(), &ns)) {
          return Fail(path + "." + key, "error parsing expires: invalid duration");
        }
        if (ns != 0) r.expires_ms = ns < 0 ? -1 : std::max<int64_t>(1, ns / 1'000'000);
      } else {
        return Fail(path, "Unknown field \"" + key + "\" parsing permissions");
      }
    }
    *out = r;
    return true;
  }
  bool Permissions(const JsonValue& v, const std::string& path,
                   std::shared_ptr<const NatsPermissions>* out) {
    if (!v.is_object()) return Fail(path, "Expected permissions to be a map/struct");
    auto p = std::make_shared<NatsPermissions>();
    for (const auto& [key, val] : v.items()) {
      std::string k = Lower(key);
      std::string at = path + "." + key;
      if (k == "pub" || k == "publish") {
        if (!Direction(val, at, &p->publish)) return false;
      } else if (k == "sub" || k == "subscribe") {
        if (!Direction(val, at, &p->subscribe)) return false;
      } else if (k == "publish_allow_responses" || k == "allow_responses") {
        if (!Responses(val, at, &p->responses)) return false;
      } else {
        return Fail(path, "Unknown field \"" + key + "\" parsing permissions");
      }
    }
    // With responses, an absent publish allow list means "nothing but responses".
    if (p->responses) {
      if (!p->publish) p->publish = SubjectPermission{};
      if (!p->publish->allow) p->publish->allow = std::vector<std::string>{};
    }
    *out = std::move(p);
    return true;
  }
  bool User(const JsonValue& v, const std::string& path, NatsUser* out) {
    if (!v.is_object()) return Fail(path, "Expected user entry to be a map/struct");
    for (const auto& [key, val] : v.items()) {
      std::string k = Lower(key);
      std::string at = path + "." + key;
      if (k == "nkey") {
        if (!String(val, at, &out->nkey)) return false;
      } else if (k == "user" || k == "username") {
        if (!String(val, at, &out->user)) return false;
      } else if (k == "pass" || k == "password") {
        if (!String(val, at, &out->password)) return false;
      } else if (k == "permission" || k == "permissions" || k == "authorization") {
        if (!Permissions(val, at, &out->permissions)) return false;
      } else {
        return Fail(path, "unknown field \"" + key +
                              "\" (kvgate supports nkey, user, password, "
                              "permissions)");
      }
    }
    if (out->nkey.empty() && out->user.empty()) return Fail(path, "User entry requires a user");
    if (!out->nkey.empty()) {
      Ed25519PublicKey key;
      if (!DecodeUserPublicKey(out->nkey, &key)) {
        return Fail(path, "Not a valid public nkey for a user");
      }
      if (!out->user.empty() || !out->password.empty()) {
        return Fail(path, "Nkey users do not take usernames or passwords");
      }
    }
    return true;
  }
  bool Authorization(const JsonValue& v, NatsAuthConfig* out) {
    const std::string path = "authorization";
    if (!v.is_object()) return Fail(path, "expected an object");
    std::shared_ptr<const NatsPermissions> defaults;
    for (const auto& [key, val] : v.items()) {
      std::string k = Lower(key);
      std::string at = path + "." + key;
      if (k == "user" || k == "username") {
        if (!String(val, at, &out->user)) return false;
      } else if (k == "pass" || k == "password") {
        if (!String(val, at, &out->password)) return false;
      } else if (k == "token") {
        if (!String(val, at, &out->token)) return false;
      } else if (k == "timeout") {
        // nats-server takes an integer or a float; anything else counts as 1 second.
        out->timeout_seconds = val.is_number() ? val.get<double>() : 1.0;
        if (!std::isfinite(out->timeout_seconds) || out->timeout_seconds < 0 ||
            out->timeout_seconds > 1e6) {
          return Fail(at, "expected seconds between 0 and 1000000");
        }
      } else if (k == "users") {
        if (!val.is_array()) return Fail(at, "Expected users field to be an array");
        out->has_users = true;
        size_t i = 0;
        for (const JsonValue& u : val) {
          NatsUser user;
          if (!User(u, at + "[" + std::to_string(i++) + "]", &user)) return false;
          out->users.push_back(std::move(user));
        }
      } else if (k == "default_permission" || k == "default_permissions" || k == "permissions") {
        if (!Permissions(val, at, &defaults)) return false;
      } else {
        return Fail(path, "unknown field \"" + key +
                              "\" (kvgate supports user, password, token, "
                              "timeout, users, default_permissions)");
      }
    }
    if (defaults) {
      for (NatsUser& u : out->users) {
        if (!u.permissions) u.permissions = defaults;
      }
    }
    return true;
  }

 private:
  std::string* error_;
};

}  // namespace

bool NatsAuthConfig::has_nkey_users() const {
  for (const NatsUser& u : users) {
    if (!u.nkey.empty()) return true;
  }
  return false;
}

int64_t NatsAuthConfig::timeout_ms() const {
  if (timeout_seconds <= 0) return 2000;
  return static_cast<int64_t>(timeout_seconds * 1000.0);
}

bool ParseNatsAuthFile(std::string_view json, NatsAuthConfig* out, std::string* error) {
  error->clear();
  JsonValue doc;
  if (!protocols::ParseJson(json, &doc)) {
    *error = "not valid JSON";
    return false;
  }
  Reader r(error);
  if (!doc.is_object()) return r.Fail("file", "expected a JSON object");
  bool found = false;
  for (const auto& [key, val] : doc.items()) {
    if (Lower(key) != "authorization") {
      return r.Fail(key,
                    "kvgate reads only the \"authorization\" block of a nats-server "
                    "configuration");
    }
    if (!r.Authorization(val, out)) return false;
    found = true;
  }
  if (!found) return r.Fail("file", "no \"authorization\" block");
  return ValidateNatsAuth(*out, error);
}

bool ValidateNatsAuth(const NatsAuthConfig& auth, std::string* error) {
  if ((!auth.user.empty() || !auth.password.empty()) && !auth.token.empty()) {
    *error = "Cannot have a user/pass and token";
    return false;
  }
  if (auth.user.empty() && !auth.password.empty()) {
    *error = "a password without a user";
    return false;
  }
  if (auth.has_users && !auth.user.empty()) {
    *error = "Can not have a single user/pass and a users array";
    return false;
  }
  if (auth.has_users && !auth.token.empty()) {
    *error = "Can not have a token and a users array";
    return false;
  }
  std::set<std::string> names;
  for (const NatsUser& u : auth.users) {
    const std::string& name = u.nkey.empty() ? u.user : u.nkey;
    if (!names.insert(name).second) {
      *error = std::string(u.nkey.empty() ? "Duplicate user" : "Duplicate nkey") + " \"" + name +
               "\" detected";
      return false;
    }
  }
  return true;
}

}  // namespace kvgate::nats
