// File: translate/redis/notifications.h
// Keyspace notification classes (`notify-keyspace-events`, Redis notify.c): parsing and
// printing the flag string, and the event classes commands fire.
//
//   uint32_t flags;
//   ParseKeyspaceEvents("KEA", &flags) == true;
//   FormatKeyspaceEvents(flags) == "AKE";
//   ctx.Notify(kNotifyString, "set", key);   // -> __keyspace@0__:key set, __keyevent@0__:set key
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kvgate::redis {

inline constexpr uint32_t kNotifyKeyspace = 1u << 0;  // K
inline constexpr uint32_t kNotifyKeyevent = 1u << 1;  // E
inline constexpr uint32_t kNotifyGeneric = 1u << 2;   // g
inline constexpr uint32_t kNotifyString = 1u << 3;    // $
inline constexpr uint32_t kNotifyList = 1u << 4;      // l
inline constexpr uint32_t kNotifySet = 1u << 5;       // s
inline constexpr uint32_t kNotifyHash = 1u << 6;      // h
inline constexpr uint32_t kNotifyZset = 1u << 7;      // z
inline constexpr uint32_t kNotifyExpired = 1u << 8;   // x
inline constexpr uint32_t kNotifyEvicted = 1u << 9;   // e
inline constexpr uint32_t kNotifyStream = 1u << 10;   // t
inline constexpr uint32_t kNotifyKeyMiss = 1u << 11;  // m (not part of A)
inline constexpr uint32_t kNotifyModule = 1u << 13;   // d
inline constexpr uint32_t kNotifyNew = 1u << 14;      // n (not part of A)
inline constexpr uint32_t kNotifyAll = kNotifyGeneric | kNotifyString | kNotifyList | kNotifySet |
                                       kNotifyHash | kNotifyZset | kNotifyExpired | kNotifyEvicted |
                                       kNotifyStream | kNotifyModule;

// Every class character ParseKeyspaceEvents accepts (Redis names them in its error text).
inline constexpr std::string_view kKeyspaceEventClasses = "Ag$lshzxeKEtmdn";

// False on a character outside kKeyspaceEventClasses.
bool ParseKeyspaceEvents(std::string_view text, uint32_t* flags);
std::string FormatKeyspaceEvents(uint32_t flags);

}  // namespace kvgate::redis
