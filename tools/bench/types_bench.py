#!/usr/bin/env python3
"""redis-benchmark's default test list, kvgate vs redis-server, side by side (issue 12's bar).

Usage: tools/bench/types_bench.py [--rounds 5] [--requests 200000] [--memory-keys 0]
                                  [--only REGEX] [--out docs/benchmarks/types.csv]

Every test of redis-benchmark's default list (PING_INLINE PING_MBULK SET GET INCR LPUSH RPUSH
LPOP RPOP SADD HSET SPOP ZADD ZPOPMIN LRANGE_100 LRANGE_300 LRANGE_500 LRANGE_600 MSET) runs
alone (`-t name`) at -P 1 and -P 16, 50 clients, keyspace 100,000, on fresh servers alternating
which goes first, as redis_bench.py does (same table, same statistics). A -P 16 round makes
2,000,000 requests (ZADD 600,000; LRANGE_* the --requests), so that its CPU per op, read from
/proc in 10 ms ticks, is not one tick's worth. Bars: ops/s >= 1.0x redis-server everywhere, CPU
per op <= 0.9x at -P 16. The LRANGE tests first fill their list (redis-benchmark's own "LPUSH
(needed to benchmark LRANGE)" step); the figure is the LRANGE row.
"""
import sys

import redis_bench

TESTS = ["ping_inline", "ping_mbulk", "set", "get", "incr", "lpush", "rpush", "lpop", "rpop",
         "sadd", "hset", "spop", "zadd", "zpopmin", "lrange_100", "lrange_300", "lrange_500",
         "lrange_600", "mset"]

# Requests per -P 16 round: CPU per op is read in 10 ms ticks, so a round needs seconds of
# server CPU (200,000 fast requests at -P 16 take ~0.25 s: a 5% tick). The slow tests keep the
# command line's --requests.
P16_REQUESTS = {"lrange_100": None, "lrange_300": None, "lrange_500": None, "lrange_600": None,
                "zadd": 600000}

WORKLOADS = []
for pipeline, cpu_bar in (("1", None), ("16", ("<=", 0.9))):
    for test in TESTS:
        # -d 3: redis-benchmark's default value size, named so preload() fills GET's keys.
        args = ["-t", test, "-d", "3", "-P", pipeline]
        n = P16_REQUESTS.get(test, 2000000) if pipeline == "16" else None
        if n:
            args += ["-n", str(n)]
        WORKLOADS.append((f"{test.upper()} P{pipeline}", args, cpu_bar))

if __name__ == "__main__":
    if "--memory-keys" not in " ".join(sys.argv):
        sys.argv += ["--memory-keys", "0"]
    redis_bench.main(WORKLOADS, csv_prefix="Redis types")
