// File: translate/nats/kv_headers.h
// The NATS headers a stored KV entry presents on get and watch: the publish's header block as
// stored (verbatim, in order), or for markers written without one (Redis DEL, TTL expiry) the
// `KV-Operation` header NATS KV clients recognise. Plus the base64 that STREAM.MSG.GET uses.
//
//   std::string block;
//   if (AppendEntryHeaderBlock(entry, {{"Nats-Msg-Size", "4"}}, &block)) WriteHmsg(...block...);
//   Base64Encode("v1") == "djE="
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include "engine/filter.h"
#include "engine/result.h"
#include "engine/types.h"

namespace kvgate::nats {

// Appends the entry's `Name: value\r\n` field lines (stored, or synthesized for markers).
void AppendEntryFieldLines(const engine::EntryView& entry, std::string* out);

// Appends a complete header block (NATS/1.0 line, the entry's fields, `extra` fields, blank
// line) unless there is nothing to say: returns false (and appends nothing) when the entry has
// no fields and `extra` is empty.
bool AppendEntryHeaderBlock(
    const engine::EntryView& entry,
    std::initializer_list<std::pair<std::string_view, std::string_view>> extra, std::string* out);

// "$KV.<bucket>.<key>"
std::string KvSubject(std::string_view bucket, std::string_view key);

// The keys of `bucket` whose subjects `$KV.<bucket>.<key>` match the subject filter (which may
// hold wildcards, e.g. ">", "$KV.*.>", "$KV.b.dir.*"). kNotFound when no key subject can match.
engine::Result<engine::KeyFilter> KeyFilterForSubject(std::string_view bucket,
                                                      std::string_view subject_filter);

// Standard base64 with padding.
std::string Base64Encode(std::string_view in);

}  // namespace kvgate::nats
