// CLIENT TRACKING / CACHING / GETREDIR / TRACKINGINFO with redis-server 7.0's parsing order,
// errors and reply shapes (networking.c clientCommand; checked against 7.0.15 on the wire).
#include <string>
#include <vector>

#include "protocols/resp/number.h"
#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/session.h"
#include "translate/redis/tracking.h"

namespace kvgate::redis {

void ClientTrackingCmd(CommandContext& ctx) {
  uint64_t redirect = 0;
  uint32_t options = 0;
  std::vector<std::string_view> prefixes;
  for (size_t j = 3; j < ctx.argc(); ++j) {
    const bool more = j + 1 < ctx.argc();
    std::string_view opt = CString(ctx.arg(j));
    if (EqualsIgnoreCase(opt, "redirect") && more) {
      ++j;
      if (redirect != 0) {
        return ctx.w.Error("ERR A client can only redirect to a single other client");
      }
      int64_t id = 0;
      if (!resp::ParseInt64(ctx.arg(j), &id)) return ctx.w.Error(kNotInteger);
      // The target must exist now; if it goes away later, invalidations report it broken.
      if (id <= 0 || ctx.front.clients().count(static_cast<uint64_t>(id)) == 0) {
        return ctx.w.Error("ERR The client ID you want redirect to does not exist");
      }
      redirect = static_cast<uint64_t>(id);
    } else if (EqualsIgnoreCase(opt, "bcast")) {
      options |= kTrackBcast;
    } else if (EqualsIgnoreCase(opt, "optin")) {
      options |= kTrackOptIn;
    } else if (EqualsIgnoreCase(opt, "optout")) {
      options |= kTrackOptOut;
    } else if (EqualsIgnoreCase(opt, "noloop")) {
      options |= kTrackNoLoop;
    } else if (EqualsIgnoreCase(opt, "prefix") && more) {
      prefixes.push_back(ctx.arg(++j));
    } else {
      return ctx.w.Error(kSyntaxError);
    }
  }
  std::string_view mode = CString(ctx.arg(2));
  RedisSession& s = ctx.session;
  if (EqualsIgnoreCase(mode, "on")) {
    const TrackingState& t = s.tracking();
    const bool bcast = (options & kTrackBcast) != 0;
    if (!bcast && !prefixes.empty()) {
      return ctx.w.Error("ERR PREFIX option requires BCAST mode to be enabled");
    }
    if (t.on && ((t.options & kTrackBcast) != 0) != bcast) {
      return ctx.w.Error(
          "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and "
          "then re-enabling it with a different mode.");
    }
    if (bcast && (options & (kTrackOptIn | kTrackOptOut))) {
      return ctx.w.Error("ERR OPTIN and OPTOUT are not compatible with BCAST");
    }
    if ((options & kTrackOptIn) && (options & kTrackOptOut)) {
      return ctx.w.Error("ERR You can't specify both OPTIN mode and OPTOUT mode");
    }
    if (((options & kTrackOptIn) && (t.options & kTrackOptOut)) ||
        ((options & kTrackOptOut) && (t.options & kTrackOptIn))) {
      return ctx.w.Error(
          "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and "
          "then re-enabling it with a different mode.");
    }
    if (bcast) {
      std::string err = ctx.front.tracking().CheckPrefixes(s, prefixes);
      if (!err.empty()) return ctx.w.Error(err);
    }
    ctx.front.tracking().Enable(s, redirect, options, prefixes);
  } else if (EqualsIgnoreCase(mode, "off")) {
    ctx.front.tracking().Disable(s);
  } else {
    return ctx.w.Error(kSyntaxError);
  }
  ctx.w.Ok();
}

void ClientCachingCmd(CommandContext& ctx) {
  TrackingState& t = ctx.session.tracking();
  if (!t.on) {
    return ctx.w.Error(
        "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or "
        "OPTOUT mode enabled");
  }
  std::string_view opt = CString(ctx.arg(2));
  if (EqualsIgnoreCase(opt, "yes")) {
    if (!(t.options & kTrackOptIn)) {
      return ctx.w.Error(
          "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
    }
  } else if (EqualsIgnoreCase(opt, "no")) {
    if (!(t.options & kTrackOptOut)) {
      return ctx.w.Error(
          "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
    }
  } else {
    return ctx.w.Error(kSyntaxError);
  }
  t.caching = true;
  ctx.w.Ok();
}

void ClientGetRedirCmd(CommandContext& ctx) {
  const TrackingState& t = ctx.session.tracking();
  ctx.w.Integer(t.on ? static_cast<int64_t>(t.redirect) : -1);
}

void ClientTrackingInfoCmd(CommandContext& ctx) {
  const TrackingState& t = ctx.session.tracking();
  std::vector<std::string_view> flags;
  flags.push_back(t.on ? "on" : "off");
  if (t.options & kTrackBcast) flags.push_back("bcast");
  if (t.options & kTrackOptIn) {
    flags.push_back("optin");
    if (t.caching) flags.push_back("caching-yes");
  }
  if (t.options & kTrackOptOut) {
    flags.push_back("optout");
    if (t.caching) flags.push_back("caching-no");
  }
  if (t.options & kTrackNoLoop) flags.push_back("noloop");
  if (t.broken_redirect) flags.push_back("broken_redirect");
  ctx.w.MapHeader(3);
  ctx.w.Bulk("flags");
  ctx.w.SetHeader(flags.size());
  for (std::string_view f : flags) ctx.w.Bulk(f);
  ctx.w.Bulk("redirect");
  ctx.w.Integer(t.on ? static_cast<int64_t>(t.redirect) : -1);
  ctx.w.Bulk("prefixes");
  ctx.w.ArrayHeader(t.prefixes.size());
  for (const std::string& p : t.prefixes) ctx.w.Bulk(p);
}

}  // namespace kvgate::redis
