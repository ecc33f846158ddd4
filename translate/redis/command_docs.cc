#include "translate/redis/command_docs.h"

namespace kvgate::redis {
namespace {

// What COMMAND DOCS says of each command, grouped by family file in COMMAND order.
constexpr CommandDoc kCommandDocs[] = {
    // conn_cmds.cc
    {"ping", "Returns the server's liveliness response."},
    {"echo", "Returns the given string."},
    {"select", "Changes the selected database."},
    {"quit", "Closes the connection."},
    {"reset", "Resets the connection."},
    {"hello", "Handshakes with the Redis server."},
    {"auth", "Authenticates the connection."},
    // client_cmds.cc
    {"client", "A container for client connection commands."},
    // server_cmds.cc
    {"command", "Returns detailed information about all commands."},
    {"command|count", "Returns a count of commands."},
    {"command|docs", "Returns documentary information about commands."},
    {"command|info", "Returns information about commands."},
    {"command|list", "Returns a list of command names."},
    {"command|getkeys", "Extracts the key names from a command."},
    {"command|help", "Returns helpful text about subcommands."},
    {"dbsize", "Returns the number of keys in the database."},
    {"flushdb", "Removes all keys from the current database."},
    {"flushall", "Removes all keys from all databases."},
    {"time", "Returns the server time."},
    {"lastsave", "Returns the Unix timestamp of the last save."},
    {"save", "Synchronously saves the database(s) to disk."},
    {"bgsave", "Asynchronously saves the database(s) to disk."},
    // info_cmd.cc
    {"info", "Returns information and statistics about the server."},
    // config_cmds.cc
    {"config", "A container for server configuration commands."},
    {"config|get", "Returns the effective values of configuration parameters."},
    {"config|set", "Sets configuration parameters in-flight."},
    {"config|resetstat", "Resets the server's statistics."},
    {"config|rewrite", "Persists the effective configuration to file."},
    {"config|help", "Returns helpful text about the different subcommands."},
    // string_cmds.cc
    {"get", "Returns the string value of a key."},
    {"set", "Sets the string value of a key."},
    {"setnx", "Set the string value of a key only when the key doesn't exist."},
    {"setex", "Sets the string value and expiration time of a key."},
    {"psetex", "Sets the string value and expiration time in milliseconds of a key."},
    {"getset", "Returns the previous string value of a key after setting it to a new value."},
    {"getdel", "Returns the string value of a key after deleting the key."},
    {"getex", "Returns the string value of a key after setting its expiration time."},
    {"mget", "Atomically returns the string values of one or more keys."},
    {"mset", "Atomically creates or modifies the string values of one or more keys."},
    {"msetnx",
     "Atomically modifies the string values of one or more keys only when all keys don't exist."},
    {"append", "Appends a string to the value of a key. Creates the key if it doesn't exist."},
    {"strlen", "Returns the length of a string value."},
    {"getrange", "Returns a substring of the string stored at a key."},
    {"substr", "Returns a substring from a string value."},
    {"setrange", "Overwrites a part of a string value with another by an offset."},
    // counter_cmds.cc
    {"incr", "Increments the integer value of a key by one."},
    {"decr", "Decrements the integer value of a key by one."},
    {"incrby", "Increments the integer value of a key by a number."},
    {"decrby", "Decrements a number from the integer value of a key."},
    {"incrbyfloat", "Increment the floating point value of a key by a number."},
    // key_cmds.cc
    {"del", "Deletes one or more keys."},
    {"unlink", "Asynchronously deletes one or more keys."},
    {"exists", "Determines whether one or more keys exist."},
    {"touch", "Returns the number of existing keys out of those specified."},
    {"type", "Determines the type of value stored at a key."},
    {"keys", "Returns all key names that match a pattern."},
    {"scan", "Iterates over the key names in the database."},
    {"randomkey", "Returns a random key name from the database."},
    {"rename", "Renames a key and overwrites the destination."},
    {"renamenx", "Renames a key only when the target key name doesn't exist."},
    {"copy", "Copies the value of a key to a new key."},
    {"move", "Moves a key to another database."},
    {"object", "Inspects the internals of Redis objects."},
    // expire_cmds.cc
    {"expire", "Sets the expiration time of a key in seconds."},
    {"pexpire", "Sets the expiration time of a key in milliseconds."},
    {"expireat", "Sets the expiration time of a key to a Unix timestamp."},
    {"pexpireat", "Sets the expiration time of a key to a Unix milliseconds timestamp."},
    {"ttl", "Returns the expiration time in seconds of a key."},
    {"pttl", "Returns the expiration time in milliseconds of a key."},
    {"expiretime", "Returns the expiration time of a key as a Unix timestamp."},
    {"pexpiretime", "Returns the expiration time of a key as a Unix milliseconds timestamp."},
    {"persist", "Removes the expiration time of a key."},
    // multi_cmds.cc
    {"multi", "Starts a transaction."},
    {"exec", "Executes all commands in a transaction."},
    {"discard", "Discards a transaction."},
    {"watch", "Monitors changes to keys to determine the execution of a transaction."},
    {"unwatch", "Forgets about watched keys of a transaction."},
    // pubsub_cmds.cc
    {"subscribe", "Listens for messages published to channels."},
    {"psubscribe", "Listens for messages published to channels that match one or more patterns."},
    {"unsubscribe", "Stops listening to messages posted to channels."},
    {"punsubscribe",
     "Stops listening to messages published to channels that match one or more patterns."},
    {"publish", "Posts a message to a channel."},
    {"pubsub", "A container for Pub/Sub commands."},
    {"pubsub|channels", "Returns the active channels."},
    {"pubsub|numsub", "Returns a count of subscribers to channels."},
    {"pubsub|numpat", "Returns a count of unique pattern subscriptions."},
    {"pubsub|shardchannels", "Returns the active shard channels."},
    {"pubsub|shardnumsub", "Returns the count of subscribers of shard channels."},
    {"pubsub|help", "Returns helpful text about the different subcommands."},
    // kv_cmds.cc
    {"kv.get", "Returns a key's entry, now or at a revision."},
    {"kv.mget", "Returns several keys' entries at one revision."},
    {"kv.put", "Writes a value and returns its revision."},
    {"kv.create", "Writes a key only if it is absent or deleted."},
    {"kv.update", "Writes a key only if it is at a revision."},
    {"kv.del", "Deletes a key (tombstone), optionally at a revision."},
    {"kv.purge", "Drops a key's history, leaving a purge marker."},
    {"kv.history", "Returns a key's retained entries."},
    {"kv.compact", "Removes history and tombstones up to a revision."},
    {"kv.info", "Returns a bucket's revisions, counts and limits."},
    {"kv.buckets", "Lists the buckets (Redis databases included)."},
    {"kv.use", "Switches the connection to a bucket."},
    // kv_watch.cc
    {"kv.watch",
     "Streams a bucket's changes: snapshot, replay from a revision or resume from a cursor."},
    {"kv.unwatch", "Stops a KV.WATCH stream."},
    // cond_cmds.cc
    {"digest", "Returns the XXH3 hash of a string value."},
    {"delex", "Conditionally removes the specified key based on value or digest comparison."},
    // etag_cmds.cc
    {"getetag", "Returns the ETag (kvgate revision) of a key's value."},
    {"execwithetag", "Runs a single-key command and returns its reply with the key's ETag."},
    {"execifmatch", "Runs a single-key command if the key's ETag matches."},
    {"execifnotmatch", "Runs a single-key command if the key's ETag does not match."},
    {"execifgreater", "Runs a single-key command if the given ETag is greater than the key's."},
    // hash_cmds.cc
    {"hset", "Set the string value of a hash field"},
    {"hmset", "Set multiple hash fields to multiple values"},
    {"hsetnx", "Set the value of a hash field, only if the field does not exist"},
    {"hdel", "Delete one or more hash fields"},
    {"hget", "Get the value of a hash field"},
    {"hmget", "Get the values of all the given hash fields"},
    {"hgetall", "Get all the fields and values in a hash"},
    {"hkeys", "Get all the fields in a hash"},
    {"hvals", "Get all the values in a hash"},
    {"hlen", "Get the number of fields in a hash"},
    {"hexists", "Determine if a hash field exists"},
    {"hstrlen", "Get the length of the value of a hash field"},
    {"hincrby", "Increment the integer value of a hash field by the given number"},
    {"hincrbyfloat", "Increment the float value of a hash field by the given amount"},
    {"hrandfield", "Get one or multiple random fields from a hash"},
    {"hscan", "Incrementally iterate hash fields and associated values"},
    // wait_cmds.cc
    {"wait",
     "Wait for the synchronous replication of all the write commands sent in the context of the "
     "current connection"},
    // zset_cmds.cc, zset_range_cmds.cc, zset_algebra_cmds.cc
    {"zadd", "Add one or more members to a sorted set, or update its score if it already exists"},
    {"zincrby", "Increment the score of a member in a sorted set"},
    {"zrem", "Remove one or more members from a sorted set"},
    {"zcard", "Get the number of members in a sorted set"},
    {"zscore", "Get the score associated with the given member in a sorted set"},
    {"zmscore", "Get the score associated with the given members in a sorted set"},
    {"zrank", "Determine the index of a member in a sorted set"},
    {"zrevrank",
     "Determine the index of a member in a sorted set, with scores ordered from high to low"},
    {"zcount", "Count the members in a sorted set with scores within the given values"},
    {"zlexcount",
     "Count the number of members in a sorted set between a given lexicographical range"},
    {"zpopmin", "Remove and return members with the lowest scores in a sorted set"},
    {"zpopmax", "Remove and return members with the highest scores in a sorted set"},
    {"zmpop", "Remove and return members with scores in a sorted set"},
    {"zrandmember", "Get one or multiple random elements from a sorted set"},
    {"zscan", "Incrementally iterate sorted sets elements and associated scores"},
    {"zrange", "Return a range of members in a sorted set"},
    {"zrangestore", "Store a range of members from sorted set into another key"},
    {"zrevrange",
     "Return a range of members in a sorted set, by index, with scores ordered from high to low"},
    {"zrangebyscore", "Return a range of members in a sorted set, by score"},
    {"zrevrangebyscore",
     "Return a range of members in a sorted set, by score, with scores ordered from high to low"},
    {"zrangebylex", "Return a range of members in a sorted set, by lexicographical range"},
    {"zrevrangebylex",
     "Return a range of members in a sorted set, by lexicographical range, ordered from higher to "
     "lower strings."},
    {"zremrangebyrank", "Remove all members in a sorted set within the given indexes"},
    {"zremrangebyscore", "Remove all members in a sorted set within the given scores"},
    {"zremrangebylex",
     "Remove all members in a sorted set between the given lexicographical range"},
    {"zunionstore", "Add multiple sorted sets and store the resulting sorted set in a new key"},
    {"zinterstore",
     "Intersect multiple sorted sets and store the resulting sorted set in a new key"},
    {"zdiffstore", "Subtract multiple sorted sets and store the resulting sorted set in a new key"},
    {"zunion", "Add multiple sorted sets"},
    {"zinter", "Intersect multiple sorted sets"},
    {"zdiff", "Subtract multiple sorted sets"},
    {"zintercard", "Intersect multiple sorted sets and return the cardinality of the result"},
};

}  // namespace

std::string_view CommandSummary(std::string_view full_name) {
  // Only COMMAND DOCS reads this, so a scan of ~100 entries is plenty.
  for (const CommandDoc& doc : kCommandDocs) {
    if (doc.full_name == full_name) return doc.summary;
  }
  return {};
}

std::span<const CommandDoc> AllCommandDocs() {
  return kCommandDocs;
}

}  // namespace kvgate::redis
