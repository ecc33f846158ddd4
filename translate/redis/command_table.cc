#include "translate/redis/command_table.h"

#include <cassert>

namespace kvgate::redis {

// Every command family, defined at the end of its *_cmds.cc file (see command.h). COMMAND,
// COMMAND LIST and COMMAND DOCS list the commands in this order.
std::span<const CommandSpec> ConnectionCommands();
std::span<const CommandSpec> ClientCommands();
std::span<const CommandSpec> ServerCommands();
std::span<const CommandSpec> InfoCommands();
std::span<const CommandSpec> ConfigCommands();
std::span<const CommandSpec> AclCommands();  // ACL (acl_cmds.cc)
std::span<const CommandSpec> StringCommands();
std::span<const CommandSpec> HllCommands();  // PFADD PFCOUNT PFMERGE PFDEBUG
std::span<const CommandSpec> CounterCommands();
std::span<const CommandSpec> BitCommands();       // SETBIT GETBIT BITCOUNT BITPOS BITOP
std::span<const CommandSpec> BitfieldCommands();  // BITFIELD BITFIELD_RO
std::span<const CommandSpec> LcsCommands();       // LCS
std::span<const CommandSpec> KeyCommands();
std::span<const CommandSpec> ExpireCommands();
std::span<const CommandSpec> MultiCommands();
std::span<const CommandSpec> PubSubCommands();
std::span<const CommandSpec> KvCommands();
std::span<const CommandSpec> KvWatchCommands();
std::span<const CommandSpec> CondCommands();         // DIGEST DELEX (Redis 8.4)
std::span<const CommandSpec> EtagCommands();         // GETETAG EXEC* (Garnet ETag meta-commands)
std::span<const CommandSpec> WaitCommands();         // WAIT
std::span<const CommandSpec> HashCommands();         // HSET HGET ... (hash_cmds.cc)
std::span<const CommandSpec> ListCommands();         // LPUSH LPOP ... (list_cmds.cc)
std::span<const CommandSpec> ListEditCommands();     // LSET LMOVE ... (list_edit_cmds.cc)
std::span<const CommandSpec> SetCommands();          // SADD SPOP ... (set_cmds.cc)
std::span<const CommandSpec> SetAlgebraCommands();   // SINTER ... (set_algebra_cmds.cc)
std::span<const CommandSpec> ZSetCommands();         // ZADD ZSCORE ... (zset_cmds.cc)
std::span<const CommandSpec> ZSetRangeCommands();    // ZRANGE ... (zset_range_cmds.cc)
std::span<const CommandSpec> ZSetPopCommands();      // ZPOPMIN BZPOPMIN ... (zset_pop_cmds.cc)
std::span<const CommandSpec> ListBlockCommands();    // BLPOP BLMOVE ... (list_block_cmds.cc)
std::span<const CommandSpec> SortCommands();         // SORT SORT_RO (sort_cmds.cc)
std::span<const CommandSpec> ZSetAlgebraCommands();  // ZUNION ... (zset_algebra_cmds.cc)
std::span<const CommandSpec> DumpCommands();         // DUMP RESTORE MEMORY (dump_cmds.cc)
std::span<const CommandSpec> ScriptCommands();       // EVAL EVALSHA SCRIPT (script_cmds.cc)
std::span<const CommandSpec> FunctionCommands();     // FCALL FUNCTION (function_cmds.cc)
std::span<const CommandSpec> StreamCommands();       // XADD XRANGE ... (stream_cmds.cc)
std::span<const CommandSpec> StreamReadCommands();   // XREAD (stream_read_cmds.cc)
std::span<const CommandSpec> StreamReadGroupCommands();  // XREADGROUP (stream_readgroup_cmds.cc)
std::span<const CommandSpec> StreamClaimCommands();      // XPENDING XCLAIM (stream_claim_cmds.cc)
std::span<const CommandSpec> StreamInfoCommands();       // XINFO (stream_info_cmds.cc)
std::span<const CommandSpec> StreamGroupCommands();      // XGROUP XACK (stream_group_cmds.cc)

namespace {

using Family = std::span<const CommandSpec> (*)();
constexpr Family kFamilies[] = {
    ConnectionCommands,  ClientCommands,     ServerCommands,      InfoCommands,
    ConfigCommands,      AclCommands,        StringCommands,      HllCommands,
    CounterCommands,     BitCommands,        BitfieldCommands,    LcsCommands,
    KeyCommands,         ExpireCommands,     MultiCommands,       PubSubCommands,
    KvCommands,          KvWatchCommands,    CondCommands,        EtagCommands,
    WaitCommands,        HashCommands,       ListCommands,        ListEditCommands,
    SetCommands,         SetAlgebraCommands, ZSetCommands,        ZSetRangeCommands,
    ZSetAlgebraCommands, ZSetPopCommands,    ListBlockCommands,   SortCommands,
    DumpCommands,        ScriptCommands,     FunctionCommands,    StreamCommands,
    StreamReadCommands,  StreamInfoCommands, StreamGroupCommands, StreamReadGroupCommands,
    StreamClaimCommands,
};

// FNV-1a over the lower-cased bytes: the lookup never builds a lower-case copy.
uint64_t HashLower(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(protocols::AsciiLower(c));
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace

const CommandTable& CommandTable::Get() {
  static const CommandTable table;
  return table;
}

CommandTable::CommandTable() {
  for (Family family : kFamilies) {
    for (const CommandSpec& spec : family()) {
      all_.push_back(&spec);
      size_t i = HashLower(spec.name) & (kSlots - 1);
      while (slots_[i] != nullptr) {
        assert(!EqualsIgnoreCase(slots_[i]->name, spec.name) && "duplicate command");
        i = (i + 1) & (kSlots - 1);
      }
      slots_[i] = &spec;
    }
  }
  assert(all_.size() < kSlots / 2);
}

const CommandSpec* CommandTable::Find(std::string_view name) const {
  if (name.empty() || name.size() > 64) return nullptr;
  size_t i = HashLower(name) & (kSlots - 1);
  while (const CommandSpec* spec = slots_[i]) {
    if (EqualsIgnoreCase(spec->name, name)) return spec;
    i = (i + 1) & (kSlots - 1);
  }
  return nullptr;
}

const CommandSpec* CommandTable::FindSub(const CommandSpec& container, std::string_view name) {
  for (const CommandSpec& sub : container.subcommands) {
    if (EqualsIgnoreCase(sub.name, name)) return &sub;
  }
  return nullptr;
}

}  // namespace kvgate::redis
