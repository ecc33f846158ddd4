#!/usr/bin/env python3
"""Lua scripts, kvgate vs redis-server, side by side (the scripting issue's bar).

Usage: tools/bench/script_bench.py [--rounds 5] [--requests 200000] [--only REGEX]
                                   [--out docs/benchmarks/scripts.csv]

Workloads, each with redis-benchmark (50 clients) on fresh servers alternating which goes
first, with the statistics of redis_bench.py (ratio of medians, median of per-round ratios,
CPU per op):
  EVALSHA INCR P1 / P16      EVALSHA of `return redis.call('INCR', KEYS[1])`, random keys
  EVALSHA JOBQ P1 / P16      EVALSHA of a job-queue-sized script (~25 calls over a counter, a
                             hash, a list, a sorted set and a stream, as a BullMQ `addJob`
                             does), one queue
  EVAL INCR P1 / P16         the small script through EVAL: the body's SHA-1 and the cache
                             lookup on every call (what a client that never loads pays)
Both scripts are loaded (SCRIPT LOAD) before each round. Bar: ops/s >= 1.0x redis-server.
"""
import hashlib
import subprocess
import sys

import redis_bench

INCR = "return redis.call('INCR', KEYS[1])"
JOBQ = """local q = KEYS[1]
local id = redis.call('INCR', q .. ':id')
local job = q .. ':job:' .. (id % 1000)
redis.call('HSET', job, 'name', ARGV[1], 'data', ARGV[2], 'ts', id, 'attempts', 0)
redis.call('LPUSH', q .. ':wait', id)
redis.call('ZADD', q .. ':delayed', id, 'j' .. (id % 1000))
if redis.call('LLEN', q .. ':wait') > 100 then redis.call('LTRIM', q .. ':wait', 0, 99) end
redis.call('ZREMRANGEBYRANK', q .. ':delayed', 0, -101)
for i = 1, 10 do redis.call('HINCRBY', q .. ':stats', 'f' .. i, 1) end
local first = redis.call('ZRANGE', q .. ':delayed', 0, 4)
redis.call('HGET', job, 'name')
redis.call('HINCRBY', job, 'attempts', 1)
redis.call('XADD', q .. ':events', 'MAXLEN', '~', 1000, '*', 'event', 'added', 'jobId', id)
redis.call('PUBLISH', q .. ':added', id)
return #first"""


def sha(body):
    return hashlib.sha1(body.encode()).hexdigest()


def preload(server, args):
    """Both scripts in the server's cache before the round (EVALSHA needs them)."""
    for body in (INCR, JOBQ):
        subprocess.run(["redis-cli", "-p", str(server.port), "SCRIPT", "LOAD", body], check=True,
                       capture_output=True)


def workloads():
    out = []
    # -P 16 rounds: 2,000,000 small scripts (seconds of server CPU), 200,000 job-queue ones.
    for pipeline, small_n, big_n in (("1", 200000, 50000), ("16", 2000000, 200000)):
        p = ["-P", pipeline]
        out += [
            (f"EVALSHA INCR P{pipeline}",
             p + ["-n", str(small_n), "EVALSHA", sha(INCR), "1", "key:__rand_int__"], None),
            (f"EVALSHA JOBQ P{pipeline}",
             p + ["-n", str(big_n), "EVALSHA", sha(JOBQ), "1", "q", "job-name", "payload"], None),
            (f"EVAL INCR P{pipeline}",
             p + ["-n", str(small_n), "EVAL", INCR, "1", "key:__rand_int__"], None),
        ]
    return out


if __name__ == "__main__":
    if "--memory-keys" not in " ".join(sys.argv):
        sys.argv += ["--memory-keys", "0"]
    redis_bench.preload = preload
    redis_bench.main(workloads(), csv_prefix="Redis scripts")
