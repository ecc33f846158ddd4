// File: translate/redis/store_result.cc
#include "translate/redis/store_result.h"

#include <utility>

#include "translate/redis/errors.h"
#include "translate/redis/notifications.h"

namespace kvgate::redis {

void StoreCollection(CommandContext& ctx, engine::StoreBucket& db, size_t dst_arg,
                     engine::CollectionRef result, uint32_t notify_type, std::string_view event) {
  if (result->size() == 0) {
    // An absent destination writes nothing (a Delete would leave another tombstone).
    if (!db.Get(ctx.arg(dst_arg)).ok()) return ctx.w.Integer(0);
    return ctx.AwaitWrite(db, engine::WriteRequest::Delete(ctx.arg(dst_arg)),
                          [dst_arg](CommandContext& c, engine::WriteResult r) {
                            if (!r.ok() && r.errc() != engine::Errc::kNotFound) {
                              return ReplyEngineError(c.w, r.errc());
                            }
                            if (r.ok()) c.Notify(kNotifyGeneric, "del", c.arg(dst_arg));
                            c.w.Integer(0);
                          });
  }
  const auto n = static_cast<int64_t>(result->size());
  engine::Collection* obj = result.get();
  // The reference rides along until the write is answered (a store may answer later).
  ctx.AwaitWrite(db, engine::WriteRequest::PutObject(ctx.arg(dst_arg), obj, {}),
                 [result = std::move(result), n, dst_arg, notify_type, event](
                     CommandContext& c, engine::WriteResult r) {
                   if (!r.ok()) return ReplyEngineError(c.w, r.errc());
                   c.Notify(notify_type, event, c.arg(dst_arg));
                   c.w.Integer(n);
                 });
}

}  // namespace kvgate::redis
