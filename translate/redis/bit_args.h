// File: translate/redis/bit_args.h
// Argument readers shared by the bit command files (bit_cmds.cc, bitfield_cmds.cc): each
// replies the Redis 7.0 error itself and returns false when the argument is refused.
//
//   uint64_t offset = 0;
//   if (!ParseBitOffset(ctx, ctx.arg(2), 0, &offset)) return;   // SETBIT, GETBIT
//   if (!ParseBitOffset(ctx, ctx.arg(j), 8, &offset)) return;   // BITFIELD: "#3" is bit 24
#pragma once

#include <cstdint>
#include <string_view>

#include "translate/redis/command.h"

namespace kvgate::redis {

inline constexpr std::string_view kBadBitOffset =
    "ERR bit offset is not an integer or out of range";

// Redis getBitOffsetFromArgument: a bit offset >= 0 whose byte lies below proto-max-bulk-len.
// With `field_bits` > 0 the "#N" form is accepted too and means N * field_bits.
bool ParseBitOffset(CommandContext& ctx, std::string_view arg, unsigned field_bits,
                    uint64_t* offset);

}  // namespace kvgate::redis
