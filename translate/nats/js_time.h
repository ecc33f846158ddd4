// File: translate/nats/js_time.h
// Time formats of the JetStream wire: RFC 3339 UTC timestamps with up to nine fractional digits
// and trailing zeros trimmed (Go's time.RFC3339Nano), and Go duration strings (Nats-TTL).
//
//   FormatRfc3339Nano(1'700'000'000'123'456'000) == "2023-11-14T22:13:20.123456Z"
//   ParseRfc3339("2023-11-14T22:13:20.5Z", &ns);   ParseGoDuration("1m30s", &ns);
//   ParseNatsTtl("never", &ns) -> ns == -1 (no expiry)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kvgate::nats {

// 0 formats as Go's zero time "0001-01-01T00:00:00Z".
std::string FormatRfc3339Nano(int64_t unix_ns);
// Accepts "YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm)". False if malformed.
bool ParseRfc3339(std::string_view s, int64_t* unix_ns);
// Go time.ParseDuration: "300ms", "1.5h", "2h45m", units ns us µs ms s m h. False if malformed.
bool ParseGoDuration(std::string_view s, int64_t* ns);
// Nats-TTL header value: a Go duration, or integer seconds, or "never" (*ns = -1).
bool ParseNatsTtl(std::string_view s, int64_t* ns);

}  // namespace kvgate::nats
