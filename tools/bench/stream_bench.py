#!/usr/bin/env python3
"""Streams, kvgate vs redis-server, side by side (the streams issue's bar).

Usage: tools/bench/stream_bench.py [--rounds 5] [--requests 200000] [--only REGEX]
                                   [--out docs/benchmarks/streams.csv]

Workloads, each with redis-benchmark on fresh servers alternating which goes first, with the
statistics of redis_bench.py (ratio of medians, median of per-round ratios, CPU per op):
  XADD P1 / P16          XADD s * f v, 50 clients, into an empty stream
  XADD 10M P16           the same into a stream (key big) already holding 10,000,000 entries (appending
                         must not depend on the stream's size)
  XRANGE 100 P1 / P16    XRANGE s - + COUNT 100 over a 100-entry stream
  XREADGROUP P1 / P16    10 clients as 10 consumers of one group (XREADGROUP GROUP g
                         c<0..9> COUNT 1 STREAMS s >) draining a stream filled beforehand
  XACK P1 / P16          XACK s g <random pending ID>, 10 clients, over a group whose PEL
                         holds every entry of the stream (200,000 / 2,000,000 pending: the
                         worst case for the PEL's lookups, not a steady consumer's)
The stream is filled through redis-cli --pipe with IDs 1-1, 2-1, ... so that XACK can name
them (redis-benchmark's __rand_int__ is a zero-padded number, which Redis reads as an ID).
Bar: ops/s >= 1.0x redis-server on every line.
"""
import subprocess
import sys

import redis_bench

FILL_BATCH = 100000


def fill(server, key, n, group=None, pending=False):
    """XADD key i-1 f v for i in 1..n, then the group at 0 (and every entry delivered)."""
    for start in range(1, n + 1, FILL_BATCH):
        end = min(n, start + FILL_BATCH - 1)
        data = "".join("*5\r\n$4\r\nXADD\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n$1\r\nf\r\n$1\r\nv\r\n"
                       % (len(key), key, len(f"{i}-1"), f"{i}-1") for i in range(start, end + 1))
        subprocess.run(["redis-cli", "-p", str(server.port), "--pipe"], input=data.encode(),
                       check=True, capture_output=True)
    cli = ["redis-cli", "-p", str(server.port)]
    if group:
        subprocess.run(cli + ["XGROUP", "CREATE", key, group, "0", "MKSTREAM"], check=True,
                       capture_output=True)
    if pending:
        for _ in range(0, n, FILL_BATCH):
            subprocess.run(cli + ["XREADGROUP", "GROUP", group, "loader", "COUNT",
                                  str(FILL_BATCH), "STREAMS", key, ">"], check=True,
                           capture_output=True)


def preload(server, args):
    """What each workload reads, filled before it runs (redis_bench calls this per round)."""
    if "XRANGE" in args:
        fill(server, "s", 100)
    elif "XREADGROUP" in args:
        fill(server, "s", int(args[args.index("-n") + 1]), group="g")
    elif "XACK" in args:
        fill(server, "s", int(args[args.index("-n") + 1]), group="g", pending=True)
    elif "big" in args:
        fill(server, "big", 10000000)


def workloads(requests):
    out = []
    for pipeline, n in (("1", requests), ("16", requests * 10)):
        base = ["-P", pipeline, "-n", str(n)]
        out += [
            (f"XADD P{pipeline}", base + ["XADD", "s", "*", "f", "v"], None),
            (f"XRANGE 100 P{pipeline}", base + ["XRANGE", "s", "-", "+", "COUNT", "100"], None),
            (f"XREADGROUP P{pipeline}",
             base + ["-c", "10", "-r", "10", "XREADGROUP", "GROUP", "g", "c__rand_int__",
                     "COUNT", "1", "STREAMS", "s", ">"], None),
            (f"XACK P{pipeline}",
             base + ["-c", "10", "-r", str(n), "XACK", "s", "g", "__rand_int__-1"], None),
        ]
    # Key "big" is the one filled with 10,000,000 entries first.
    out.append(("XADD 10M P16", ["-P", "16", "-n", str(requests * 10), "XADD", "big", "*", "f",
                                 "v"], None))
    return out


if __name__ == "__main__":
    requests = 200000
    if "--requests" in sys.argv:
        requests = int(sys.argv[sys.argv.index("--requests") + 1])
    if "--memory-keys" not in " ".join(sys.argv):
        sys.argv += ["--memory-keys", "0"]
    redis_bench.preload = preload
    redis_bench.main(workloads(requests), csv_prefix="Redis streams")
