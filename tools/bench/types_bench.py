#!/usr/bin/env python3
"""redis-benchmark's default test list, kvgate vs redis-server, side by side (issue 12's bar).

Usage: tools/bench/types_bench.py [--rounds 5] [--requests 200000] [--memory-keys 0]
                                  [--only REGEX] [--out docs/benchmarks/types.csv]

Every test of redis-benchmark's default list (PING_INLINE PING_MBULK SET GET INCR LPUSH RPUSH
LPOP RPOP SADD HSET SPOP ZADD ZPOPMIN LRANGE_100 LRANGE_300 LRANGE_500 LRANGE_600 MSET) runs
alone (`-t name`) at -P 1 and -P 16, 50 clients, keyspace 100,000, on fresh servers alternating
which goes first, as redis_bench.py does (same table, same statistics). Bars: ops/s >= 1.0x
redis-server everywhere, CPU per op <= 0.9x at -P 16. The LRANGE tests first fill their list
(redis-benchmark's own "LPUSH (needed to benchmark LRANGE)" step); the figure is the LRANGE row.
"""
import sys

import redis_bench

TESTS = ["ping_inline", "ping_mbulk", "set", "get", "incr", "lpush", "rpush", "lpop", "rpop",
         "sadd", "hset", "spop", "zadd", "zpopmin", "lrange_100", "lrange_300", "lrange_500",
         "lrange_600", "mset"]

WORKLOADS = []
for pipeline, cpu_bar in (("1", None), ("16", ("<=", 0.9))):
    for test in TESTS:
        # -d 3: redis-benchmark's default value size, named so preload() fills GET's keys.
        WORKLOADS.append((f"{test.upper()} P{pipeline}", ["-t", test, "-d", "3", "-P", pipeline],
                          cpu_bar))

if __name__ == "__main__":
    if "--memory-keys" not in " ".join(sys.argv):
        sys.argv += ["--memory-keys", "0"]
    redis_bench.main(WORKLOADS, csv_prefix="Redis types")
