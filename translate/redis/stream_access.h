// File: translate/redis/stream_access.h
// What the stream commands share: stream IDs as Redis 7.0 reads and prints them
// (streamGenericParseIDOrReply, with string2ull's strtoull fallback: "+5", " 5" and "01" are
// IDs there, and here), the MAXLEN / MINID / LIMIT options of XADD and XTRIM, and the reply
// shape of entries ([id, [field, value, ...]], arrays in RESP3 too).
//
//   engine::StreamId id;
//   if (!ParseStreamIdOrReply(ctx, ctx.arg(2), 0, /*strict=*/true, nullptr, &id)) return;
//   ctx.w.Bulk(FormatStreamId(id));                       // "1526919030474-55"
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/collections/stream_value.h"
#include "protocols/resp/reply_writer.h"
#include "translate/redis/command.h"

namespace kvgate::redis {

inline constexpr std::string_view kInvalidStreamId =
    "ERR Invalid stream ID specified as stream command argument";

// <ms>-<seq>, <ms> (seq = missing_seq), "-" and "+" unless `strict`, and <ms>-* when seq_given
// is not null (*seq_given = false then). False on anything else.
bool ParseStreamId(std::string_view arg, uint64_t missing_seq, bool strict, bool* seq_given,
                   engine::StreamId* out);
// The same, replying kInvalidStreamId on failure.
bool ParseStreamIdOrReply(CommandContext& ctx, std::string_view arg, uint64_t missing_seq,
                          bool strict, bool* seq_given, engine::StreamId* out);
std::string FormatStreamId(engine::StreamId id);

// A range bound (XRANGE, XPENDING, XAUTOCLAIM): "(" makes it exclusive (and strict: "(-" is
// invalid), as streamParseIntervalIDOrReply; false after replying kInvalidStreamId.
bool ParseStreamBound(CommandContext& ctx, std::string_view arg, uint64_t missing_seq,
                      bool* exclusive, engine::StreamId* out);

// "NOGROUP No such consumer group 'g' for key name 'k'" (XGROUP, XINFO CONSUMERS).
std::string NoGroupForKey(std::string_view key, std::string_view group);
// "NOGROUP No such key 'k' or consumer group 'g'" and `suffix` (XREADGROUP, XPENDING, XCLAIM,
// XAUTOCLAIM). Both print the names as C strings, as Redis's %s does.
std::string NoKeyOrGroup(std::string_view key, std::string_view group,
                         std::string_view suffix = {});

// XADD / XTRIM options (streamParseAddOrTrimArgsOrReply).
struct StreamAddArgs {
  engine::StreamTrim trim;
  size_t trim_arg = 0;  // where the MAXLEN count / MINID id is
  // XADD only:
  size_t id_arg = 0;  // the ID argument ("*" or an ID)
  engine::StreamId id;
  bool id_given = false;
  bool seq_given = true;
  bool no_mkstream = false;
};
// Parses from argument 2; false after replying Redis's error.
bool ParseStreamAddArgs(CommandContext& ctx, bool xadd, StreamAddArgs* out);

// One entry: *2 id *2n field value ...
void ReplyStreamEntry(resp::ReplyWriter& w, const engine::StreamEntry& e);

// Entries copied out of a stream for a reply written once the store has acknowledged a change
// (XREADGROUP, XCLAIM): each an entry, an ID alone (JUSTID), or the ID of a pending entry that
// was deleted ([id, nil]).
class StreamReplyItems {
 public:
  void AddEntry(const engine::StreamEntry& e);
  void AddId(engine::StreamId id) {
    items_.push_back({id, 0, Kind::kId, 0, 0});
  }
  void AddMissing(engine::StreamId id) {
    items_.push_back({id, 0, Kind::kMissing, 0, 0});
  }
  size_t size() const {
    return items_.size();
  }
  // The items as an array.
  void Reply(resp::ReplyWriter& w) const;

 private:
  enum class Kind : uint8_t { kEntry, kId, kMissing };
  struct Item {
    engine::StreamId id;
    uint32_t pairs;
    Kind kind;
    size_t offset;  // an entry's pairs in packed_
    size_t size;
  };
  std::vector<Item> items_;
  std::string packed_;
};
// Entries start..end (ascending, or descending with rev), at most `count` (0: all), as an array.
void ReplyStreamRange(resp::ReplyWriter& w, const engine::StreamValue& s, engine::StreamId start,
                      engine::StreamId end, bool rev, size_t count);

}  // namespace kvgate::redis
