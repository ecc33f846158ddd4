// File: translate/redis/kv_common.h
// Reply pieces shared by the revision-aware commands (KV.*, KV.WATCH, ETag meta-commands): the
// entry triple, operation names, revision arguments and the revision error texts. Errors put
// the number right after the code so clients can parse it: "-WRONGREVISION 7 ...".
//
//   WriteEntry(ctx.w, *entry);                     // *3 $value :revision +PUT
//   if (!ParseRevision(ctx.w, ctx.arg(3), &rev)) return;
//   ReplyRevisionError(ctx.w, r.errc(), r.detail());  // -EXISTS 5 ... / -WRONGREVISION 7 ...
#pragma once

#include <string>
#include <string_view>

#include "engine/result.h"
#include "engine/types.h"
#include "protocols/resp/reply_writer.h"

namespace kvgate::redis {

// "PUT", "DEL" or "PURGE".
std::string_view OpName(engine::Op op);
// [value, revision, operation]: the reply shape of one entry (KV.GET, KV.MGET, KV.HISTORY).
void WriteEntry(resp::ReplyWriter& w, const engine::EntryView& e);
// A non-negative integer revision; false after replying with the error.
bool ParseRevision(resp::ReplyWriter& w, std::string_view arg, engine::Revision* rev);
// "CURSOREXPIRED <watermark> history up to revision <watermark> has been compacted; ..."
std::string CursorExpiredText(engine::Revision watermark);
// EXISTS / WRONGREVISION / CURSOREXPIRED with their revision, else the common engine mapping.
void ReplyRevisionError(resp::ReplyWriter& w, engine::Errc errc, uint64_t detail);

}  // namespace kvgate::redis
