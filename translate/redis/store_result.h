// File: translate/redis/store_result.h
// The write of a command that stores a computed collection (SINTERSTORE, ZUNIONSTORE,
// ZRANGESTORE, SORT ... STORE, ...): the new value whole at the destination (one revision,
// WriteRequest::PutObject), or, when it is empty, the destination's deletion ("del" if it
// existed; an absent destination writes nothing). The reply is the stored size.
//
//   StoreCollection(ctx, *db, 1, std::move(result), kNotifySet, "sinterstore");
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/collection.h"
#include "engine/store.h"
#include "translate/redis/command.h"

namespace kvgate::redis {

void StoreCollection(CommandContext& ctx, engine::StoreBucket& db, size_t dst_arg,
                     engine::CollectionRef result, uint32_t notify_type, std::string_view event);

}  // namespace kvgate::redis
