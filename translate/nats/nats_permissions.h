// File: translate/nats/nats_permissions.h
// A user's publish/subscribe permissions checked as nats-server's client.go does it: an allow
// list (absent = all) then a deny list that wins; `*`/`>` in the lists; subscribe entries may
// name a queue group ("subject queue"). The subscription subject itself is matched token by
// token as a literal (so `foo.*` in a list matches a SUB to `foo.>`, as in nats-server).
// A wildcard subscription wider than a subscribe deny entry turns on a delivery-time filter.
//
//   if (!PublishAllowed(*perms, "$KV.b.k")) WriteErr(out, PublishViolationText("$KV.b.k"));
#pragma once

#include <string>
#include <string_view>

#include "translate/nats/nats_auth_config.h"

namespace kvgate::nats {

// The queue group nats-server keeps for itself: no client may subscribe with it.
inline constexpr std::string_view kSystemQueueGroup = "_sys_";

// Publish allow/deny only (allow_responses is the session's business).
bool PublishAllowed(const NatsPermissions& perms, std::string_view subject);
// `queue` empty for a plain subscription.
bool SubscribeAllowed(const NatsPermissions& perms, std::string_view subject,
                      std::string_view queue);
// True when a subscription to (wildcard) `subject` covers some subscribe deny entry: messages
// are then checked against the deny list at delivery.
bool NeedsDeliveryFilter(const NatsPermissions& perms, std::string_view subject);
// True if a message on `subject` must not be delivered (a subscribe deny entry matches it).
bool DeliveryDenied(const NatsPermissions& perms, std::string_view subject);

// `-ERR` texts (without the quotes around them), with Go's %q quoting of the subject.
std::string PublishViolationText(std::string_view subject);
std::string SubscribeViolationText(std::string_view subject, std::string_view queue);
// Go's strconv.Quote for the ASCII subjects NATS carries.
std::string GoQuote(std::string_view s);

}  // namespace kvgate::nats
