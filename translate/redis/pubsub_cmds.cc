// Pub/Sub: SUBSCRIBE PSUBSCRIBE UNSUBSCRIBE PUNSUBSCRIBE PUBLISH, the sharded SSUBSCRIBE
// SUNSUBSCRIBE SPUBLISH (as a standalone redis-server 7.0: one shard, the whole node), PUBSUB
// (specs/resp-subset.md §8-9): replies are arrays in RESP2 and push frames in RESP3.
#include <string>
#include <vector>

#include "translate/redis/command.h"
#include "translate/redis/command_table.h"
#include "translate/redis/errors.h"
#include "translate/redis/front.h"
#include "translate/redis/session.h"

namespace kvgate::redis {
namespace {

void SubscribeCmd(CommandContext& ctx) {
  for (size_t i = 1; i < ctx.argc(); ++i) {
    ctx.session.Subscribe(ctx.arg(i));
    ctx.session.WriteSubscriptionReply("subscribe", &ctx.args[i]);
  }
}

void PSubscribeCmd(CommandContext& ctx) {
  for (size_t i = 1; i < ctx.argc(); ++i) {
    ctx.session.PSubscribe(ctx.arg(i));
    ctx.session.WriteSubscriptionReply("psubscribe", &ctx.args[i]);
  }
}

void UnsubscribeCmd(CommandContext& ctx) {
  RedisSession& s = ctx.session;
  if (ctx.argc() == 1) {
    std::vector<std::string> channels(s.channels().begin(), s.channels().end());
    if (channels.empty()) return s.WriteSubscriptionReply("unsubscribe", nullptr);
    for (const std::string& c : channels) {
      s.Unsubscribe(c);
      std::string_view name = c;
      s.WriteSubscriptionReply("unsubscribe", &name);
    }
    return;
  }
  for (size_t i = 1; i < ctx.argc(); ++i) {
    s.Unsubscribe(ctx.arg(i));
    s.WriteSubscriptionReply("unsubscribe", &ctx.args[i]);
  }
}

void PUnsubscribeCmd(CommandContext& ctx) {
  RedisSession& s = ctx.session;
  if (ctx.argc() == 1) {
    std::vector<std::string> patterns(s.patterns().begin(), s.patterns().end());
    if (patterns.empty()) return s.WriteSubscriptionReply("punsubscribe", nullptr);
    for (const std::string& p : patterns) {
      s.PUnsubscribe(p);
      std::string_view name = p;
      s.WriteSubscriptionReply("punsubscribe", &name);
    }
    return;
  }
  for (size_t i = 1; i < ctx.argc(); ++i) {
    s.PUnsubscribe(ctx.arg(i));
    s.WriteSubscriptionReply("punsubscribe", &ctx.args[i]);
  }
}

void SSubscribeCmd(CommandContext& ctx) {
  // Redis 7.0 refuses it inside EXEC (CLIENT_DENY_BLOCKING), unlike (P)SUBSCRIBE.
  if (ctx.session.executing_transaction()) {
    return ctx.w.Error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
  }
  for (size_t i = 1; i < ctx.argc(); ++i) {
    ctx.session.SSubscribe(ctx.arg(i));
    ctx.session.WriteSubscriptionReply("ssubscribe", &ctx.args[i], true);
  }
}

void SUnsubscribeCmd(CommandContext& ctx) {
  RedisSession& s = ctx.session;
  if (ctx.argc() == 1) {
    std::vector<std::string> channels(s.shard_channels().begin(), s.shard_channels().end());
    if (channels.empty()) return s.WriteSubscriptionReply("sunsubscribe", nullptr, true);
    for (const std::string& c : channels) {
      s.SUnsubscribe(c);
      std::string_view name = c;
      s.WriteSubscriptionReply("sunsubscribe", &name, true);
    }
    return;
  }
  for (size_t i = 1; i < ctx.argc(); ++i) {
    s.SUnsubscribe(ctx.arg(i));
    s.WriteSubscriptionReply("sunsubscribe", &ctx.args[i], true);
  }
}

void PublishCmd(CommandContext& ctx) {
  int64_t receivers = ctx.front.pubsub().Publish(ctx.arg(1), ctx.arg(2));
  ++ctx.front.stats().pubsub_messages;
  ctx.w.Integer(receivers);
}

void SPublishCmd(CommandContext& ctx) {
  int64_t receivers = ctx.front.pubsub().PublishShard(ctx.arg(1), ctx.arg(2));
  ++ctx.front.stats().pubsub_messages;
  ctx.w.Integer(receivers);
}

void WriteNames(CommandContext& ctx, const std::vector<std::string>& names) {
  ctx.w.ArrayHeader(names.size());
  for (const std::string& c : names) ctx.w.Bulk(c);
}

void ChannelsCmd(CommandContext& ctx) {
  if (ctx.argc() > 3) return ReplySubcommandSyntax(ctx.w, ctx.arg(1), "PUBSUB");
  WriteNames(ctx, ctx.front.pubsub().Channels(ctx.argc() == 3 ? ctx.arg(2) : "", ctx.argc() == 2));
}

void NumSubCmd(CommandContext& ctx) {
  ctx.w.ArrayHeader((ctx.argc() - 2) * 2);  // a flat array in RESP3 too (Redis 7.0)
  for (size_t i = 2; i < ctx.argc(); ++i) {
    ctx.w.Bulk(ctx.arg(i));
    ctx.w.Integer(static_cast<int64_t>(ctx.front.pubsub().NumSubscribers(ctx.arg(i))));
  }
}

void NumPatCmd(CommandContext& ctx) {
  ctx.w.Integer(static_cast<int64_t>(ctx.front.pubsub().NumPatterns()));
}

void ShardChannelsCmd(CommandContext& ctx) {
  if (ctx.argc() > 3) return ReplySubcommandSyntax(ctx.w, ctx.arg(1), "PUBSUB");
  WriteNames(ctx,
             ctx.front.pubsub().ShardChannels(ctx.argc() == 3 ? ctx.arg(2) : "", ctx.argc() == 2));
}

void ShardNumSubCmd(CommandContext& ctx) {
  ctx.w.ArrayHeader((ctx.argc() - 2) * 2);  // a flat array in RESP3 too (redis-server 7.0.15)
  for (size_t i = 2; i < ctx.argc(); ++i) {
    ctx.w.Bulk(ctx.arg(i));
    ctx.w.Integer(static_cast<int64_t>(ctx.front.pubsub().NumShardSubscribers(ctx.arg(i))));
  }
}

void PubSubHelpCmd(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CHANNELS [<pattern>]",
      "    Return the currently active channels matching a <pattern> (default: '*').",
      "NUMPAT",
      "    Return number of subscriptions to patterns.",
      "NUMSUB [<channel> ...]",
      "    Return the number of subscribers for the specified channels, excluding",
      "    pattern subscriptions(default: no channels).",
      "SHARDCHANNELS [<pattern>]",
      "    Return the currently active shard level channels matching a <pattern> (default: '*').",
      "SHARDNUMSUB [<shardchannel> ...]",
      "    Return the number of subscribers for the specified shard level channel(s)",
      "HELP",
      "    Prints this help.",
  };
  ctx.w.ArrayHeader(std::size(kLines));
  for (std::string_view l : kLines) ctx.w.SimpleString(l);
}

constexpr uint32_t kPs = kPubSub | kLoading | kStale;

constexpr CommandSpec kSubcommands[] = {
    {"channels", -2, kPs, ChannelsCmd},
    {"numsub", -2, kPs, NumSubCmd},
    {"numpat", 2, kPs, NumPatCmd},
    {"shardchannels", -2, kPs, ShardChannelsCmd},
    {"shardnumsub", -2, kPs, ShardNumSubCmd},
    {"help", 2, kPs, PubSubHelpCmd},
};

constexpr CommandSpec kCommands[] = {
    {"subscribe", -2, kPs | kNoScript | kSubscribedOk, SubscribeCmd},
    {"psubscribe", -2, kPs | kNoScript | kSubscribedOk, PSubscribeCmd},
    {"unsubscribe", -1, kPs | kNoScript | kSubscribedOk, UnsubscribeCmd},
    {"punsubscribe", -1, kPs | kNoScript | kSubscribedOk, PUnsubscribeCmd},
    {"publish", 3, kPs | kFast | kMayReplicate, PublishCmd},
    {"ssubscribe", -2, kPs | kNoScript | kSubscribedOk, SSubscribeCmd, 1, -1, 1},
    {"sunsubscribe", -1, kPs | kNoScript | kSubscribedOk, SUnsubscribeCmd, 1, -1, 1},
    {"spublish", 3, kPs | kFast | kMayReplicate, SPublishCmd, 1, 1, 1},
    Container("pubsub", -2, kPs, kSubcommands),
};

}  // namespace

std::span<const CommandSpec> PubSubCommands() {
  return kCommands;
}

}  // namespace kvgate::redis
