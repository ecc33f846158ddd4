#!/usr/bin/env python3
"""Per-operation cost against the size of a collection: 10 vs 1,000,000 elements (issue 12).

Usage: tools/bench/collection_scale.py [--rounds 3] [--requests 200000] [--big 1000000] [--only REGEX]

For each operation, a fresh server gets two keys of the type, one of 10 elements and one of
--big elements (loaded through redis-cli --pipe), then redis-benchmark runs the operation on the
small key and on the big key (50 clients, -P 16). The figure is big/small ops/s for each server:
1.0 means the cost does not depend on the size (O(1) or O(log n) operations). Updates touch
existing members (`-r` over the loaded ones) so sizes stay put; LPUSH grows the list by the
requests made, RPOP then takes as many off. kvgate and redis-server alternate per round.
"""
import argparse
import re
import subprocess
import sys
import time

from common import alternate, kvgate_binary, loadavg, machine_line, median, print_table
from redis_bench import kvgate_server, redis_server


def resp(*args):
    out = "*%d\r\n" % len(args)
    for a in args:
        out += "$%d\r\n%s\r\n" % (len(a), a)
    return out


# name, type, fill command for element i, benchmark command (key substituted), -r range
OPS = [
    ("LPUSH", "list", lambda k, i: resp("RPUSH", k, "e%d" % i), ["LPUSH", "{k}", "x"], False),
    ("RPOP", "list", lambda k, i: resp("RPUSH", k, "e%d" % i), ["RPOP", "{k}"], False),
    ("HSET (update)", "hash", lambda k, i: resp("HSET", k, "f:%012d" % i, "v"),
     ["HSET", "{k}", "f:__rand_int__", "w"], True),
    ("HGET", "hash", lambda k, i: resp("HSET", k, "f:%012d" % i, "v"),
     ["HGET", "{k}", "f:__rand_int__"], True),
    ("SADD (existing)", "set", lambda k, i: resp("SADD", k, "m:%012d" % i),
     ["SADD", "{k}", "m:__rand_int__"], True),
    ("SISMEMBER", "set", lambda k, i: resp("SADD", k, "m:%012d" % i),
     ["SISMEMBER", "{k}", "m:__rand_int__"], True),
    ("ZADD (update)", "zset", lambda k, i: resp("ZADD", k, str(i), "m:%012d" % i),
     ["ZADD", "{k}", "7", "m:__rand_int__"], True),
    ("ZRANK", "zset", lambda k, i: resp("ZADD", k, str(i), "m:%012d" % i),
     ["ZRANK", "{k}", "m:__rand_int__"], True),
]


def fill(server, key, n, make):
    data = "".join(make(key, i) for i in range(n)).encode()
    subprocess.run(["redis-cli", "-p", str(server.port), "--pipe"], input=data, check=True,
                   capture_output=True)


def bench(server, cmd, key, size, ranged, requests):
    argv = ["redis-benchmark", "-p", str(server.port), "-c", "50", "-n", str(requests), "-P",
            "16", "--csv"]
    if ranged:
        argv += ["-r", str(size)]
    argv += [a.replace("{k}", key) for a in cmd]
    out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    rows = [line.split(",") for line in out.splitlines() if line and not line.startswith('"test')]
    return float(rows[-1][1].strip('"')), " ".join(argv)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--requests", type=int, default=200000)
    ap.add_argument("--big", type=int, default=1000000)
    ap.add_argument("--only", default="", help="regular expression: operations to run")
    args = ap.parse_args()
    kvbin = kvgate_binary()
    print("command:", " ".join(sys.argv))
    print("machine:", machine_line())
    print(f"date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, load average {loadavg():.2f}")
    rows, example = [], ""
    for name, _, make, cmd, ranged in OPS:
        if args.only and not re.search(args.only, name):
            continue
        ratios = {"kvgate": [], "redis": []}
        rates = {"kvgate": ([], []), "redis": ([], [])}

        def one(label, factory):
            nonlocal example
            s = factory()
            try:
                fill(s, "small", 10, make)
                fill(s, "big", args.big, make)
                small, _ = bench(s, cmd, "small", 10, ranged, args.requests)
                big, example = bench(s, cmd, "big", args.big, ranged, args.requests)
                rates[label][0].append(small)
                rates[label][1].append(big)
                ratios[label].append(big / small)
            finally:
                s.stop()

        for rnd in range(args.rounds):
            alternate(rnd, lambda: one("redis", redis_server),
                      lambda: one("kvgate", lambda: kvgate_server(kvbin)))
        rows.append((name, f"{median(rates['kvgate'][0]):.0f}", f"{median(rates['kvgate'][1]):.0f}",
                     f"{median(ratios['kvgate']):.2f}", f"{median(rates['redis'][0]):.0f}",
                     f"{median(rates['redis'][1]):.0f}", f"{median(ratios['redis']):.2f}"))
        print(f"  {name}: kvgate big/small {[round(r, 2) for r in ratios['kvgate']]}, "
              f"redis {[round(r, 2) for r in ratios['redis']]}", flush=True)
    print()
    print_table(rows, ("operation", "kvgate ops/s (10)", f"kvgate ops/s ({args.big})",
                       "kvgate big/small", "redis ops/s (10)", f"redis ops/s ({args.big})",
                       "redis big/small"))
    print("\nexample command line:", example)


if __name__ == "__main__":
    main()
