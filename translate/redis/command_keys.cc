// File: translate/redis/command_keys.cc
// CommandKeys (command_keys.h): Redis 7.0's key-spec walk and its SET / BITFIELD / SORT
// procedures.
#include "translate/redis/command_keys.h"

#include "protocols/ascii.h"
#include "protocols/resp/number.h"
#include "translate/redis/command.h"

namespace kvgate::redis {
namespace {

using protocols::EqualsIgnoreCase;

constexpr uint8_t kRead = acl::kKeyAccess;
constexpr uint8_t kReadWrite = acl::kKeyAccess | acl::kKeyUpdate;

// Redis getKeysUsingKeySpecs: false for a spec the arguments do not fit (or an incomplete one).
bool KeysFromSpecs(const acl::CommandInfo& info, std::span<const std::string_view> args,
                   std::vector<KeyRef>* keys) {
  const int argc = static_cast<int>(args.size());
  for (int j = 0; j < info.key_spec_count; ++j) {
    const acl::KeySpec& spec = info.key_specs[j];
    if (spec.flags & acl::kKeyNotKey) continue;
    int first = 0;
    if (spec.begin == acl::kBeginIndex) {
      first = spec.start;
    } else if (spec.begin == acl::kBeginKeyword) {
      const int start = spec.start > 0 ? spec.start : argc + spec.start;
      const int end = spec.start > 0 ? argc - 1 : 1;
      for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (EqualsIgnoreCase(args[i], spec.keyword)) {
          first = i + 1;
          break;
        }
      }
      if (first == 0) continue;  // keyword absent: this spec has no keys
    } else {
      return false;
    }
    int last = 0;
    int step = 1;
    if (spec.find == acl::kFindRange) {
      step = spec.b;
      if (spec.a >= 0) {
        last = first + spec.a;
      } else if (spec.c == 0) {
        last = argc + spec.a;
      } else {
        last = first + ((argc - first) / spec.c + spec.a);
      }
    } else if (spec.find == acl::kFindKeynum) {
      step = spec.c;
      if (spec.a >= argc || first + spec.a >= argc) return false;
      int64_t numkeys = 0;
      if (!resp::ParseInt64(args[first + spec.a], &numkeys) || numkeys < 0) return false;
      first += spec.b;
      last = first + static_cast<int>(numkeys) - 1;
    } else {
      return false;
    }
    if (last >= argc || last < first || first >= argc) return false;
    for (int i = first; i <= last; i += step) keys->push_back({i, spec.flags});
    if (spec.flags & acl::kKeyIncomplete) return false;
  }
  return true;
}

// Redis setGetKeys: SET ... GET reads the old value too.
void SetKeys(std::span<const std::string_view> args, std::vector<KeyRef>* keys) {
  for (size_t i = 3; i < args.size(); ++i) {
    if (EqualsIgnoreCase(args[i], "get")) return keys->push_back({1, kReadWrite});
  }
  keys->push_back({1, acl::kKeyUpdate});
}

// Redis bitfieldGetKeys: read-only when every operation is a GET.
void BitfieldKeys(std::span<const std::string_view> args, std::vector<KeyRef>* keys) {
  bool readonly = true;
  for (size_t i = 2; i < args.size(); ++i) {
    const size_t more = args.size() - i - 1;
    if (EqualsIgnoreCase(args[i], "get") && more >= 2) {
      i += 2;
    } else if ((EqualsIgnoreCase(args[i], "set") || EqualsIgnoreCase(args[i], "incrby")) &&
               more >= 3) {
      readonly = false;
      break;
    } else if (EqualsIgnoreCase(args[i], "overflow") && more >= 1) {
      i += 1;
    } else {
      readonly = false;  // a syntax error: not read-only, to be safe
      break;
    }
  }
  keys->push_back({1, readonly ? kRead : kReadWrite});
}

// Redis sortGetKeys: the sorted key, then the last STORE's key (LIMIT/GET/BY skip theirs).
void SortKeys(std::span<const std::string_view> args, bool read_only, std::vector<KeyRef>* keys) {
  keys->push_back({1, acl::kKeyAccess});
  if (read_only) return;
  int store = 0;
  const int argc = static_cast<int>(args.size());
  for (int i = 2; i < argc; ++i) {
    if (EqualsIgnoreCase(args[i], "limit")) {
      i += 2;
    } else if (EqualsIgnoreCase(args[i], "get") || EqualsIgnoreCase(args[i], "by")) {
      i += 1;
    } else if (EqualsIgnoreCase(args[i], "store") && i + 1 < argc) {
      store = i + 1;
    }
  }
  if (store != 0) keys->push_back({store, acl::kKeyUpdate});
}

bool HasProcedure(std::string_view name) {
  return name == "set" || name == "bitfield" || name == "sort" || name == "sort_ro" ||
         name == "migrate";
}

}  // namespace

bool CommandHasKeys(const acl::IndexedCommand& cmd, const CommandSpec* spec) {
  if (cmd.info == nullptr) return spec != nullptr && spec->first_key > 0;
  if (HasProcedure(cmd.name)) return true;
  for (int j = 0; j < cmd.info->key_spec_count; ++j) {
    if (!(cmd.info->key_specs[j].flags & acl::kKeyNotKey)) return true;
  }
  return false;
}

KeysResult CommandKeys(const acl::IndexedCommand& cmd, const CommandSpec* spec,
                       std::span<const std::string_view> args, std::vector<KeyRef>* keys) {
  keys->clear();
  if (!CommandHasKeys(cmd, spec)) return KeysResult::kNoKeys;
  if (cmd.info == nullptr) {
    // A kvgate command: its first/last/step positions, read or write as its flags say.
    const int argc = static_cast<int>(args.size());
    const int last = spec->last_key < 0 ? argc + spec->last_key : spec->last_key;
    const uint8_t flags = (spec->flags & kWrite) ? kReadWrite : kRead;
    const int step = spec->key_step > 0 ? spec->key_step : 1;
    for (int i = spec->first_key; i <= last && i < argc; i += step) keys->push_back({i, flags});
    return keys->empty() ? KeysResult::kInvalid : KeysResult::kOk;
  }
  bool variable = false;
  for (int j = 0; j < cmd.info->key_spec_count; ++j) {
    if (cmd.info->key_specs[j].flags & acl::kKeyVariableFlags) variable = true;
  }
  if (!variable && KeysFromSpecs(*cmd.info, args, keys)) {
    return keys->empty() ? KeysResult::kInvalid : KeysResult::kOk;
  }
  keys->clear();
  if (cmd.name == "set") {
    SetKeys(args, keys);
  } else if (cmd.name == "bitfield") {
    BitfieldKeys(args, keys);
  } else if (cmd.name == "sort" || cmd.name == "sort_ro") {
    SortKeys(args, cmd.name == "sort_ro", keys);
  }
  return keys->empty() ? KeysResult::kInvalid : KeysResult::kOk;
}

}  // namespace kvgate::redis
