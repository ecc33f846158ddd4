#!/usr/bin/env python3
"""kvgate vs redis-server, side by side, with redis-benchmark.

Usage: tools/bench/redis_bench.py [--rounds 5] [--requests 200000] [--memory-keys 1000000]

For each workload both servers run it alternately for --rounds rounds; the table reports the
median ops/s of each, their ratio (kvgate / redis), and each server's CPU time per operation
(utime+stime from /proc over the run divided by requests). Memory: RSS growth per key after
loading N `SET key:NNNNNNN <16 bytes>` through redis-cli --pipe.
"""
import argparse
import csv
import io
import subprocess
import sys

from common import Server, cpu_seconds, kvgate_binary, median, print_table, rss_bytes

WORKLOADS = [
    # name, redis-benchmark args
    ("SET 3B P1", ["-t", "set", "-d", "3", "-P", "1"]),
    ("GET 3B P1", ["-t", "get", "-d", "3", "-P", "1"]),
    ("SET 1KiB P1", ["-t", "set", "-d", "1024", "-P", "1"]),
    ("GET 1KiB P1", ["-t", "get", "-d", "1024", "-P", "1"]),
    ("SET 3B P16", ["-t", "set", "-d", "3", "-P", "16"]),
    ("GET 3B P16", ["-t", "get", "-d", "3", "-P", "16"]),
    ("SET 1KiB P16", ["-t", "set", "-d", "1024", "-P", "16"]),
    ("GET 1KiB P16", ["-t", "get", "-d", "1024", "-P", "16"]),
    ("MSET10 P1", ["-t", "mset", "-P", "1"]),
    ("MSET10 P16", ["-t", "mset", "-P", "16"]),
    ("INCR P1", ["-t", "incr", "-P", "1"]),
    ("INCR P16", ["-t", "incr", "-P", "16"]),
]


def preload(server, args):
    """GET workloads read existing keys: fill the keyspace with the same value size first."""
    if "get" not in args:
        return
    size = args[args.index("-d") + 1]
    subprocess.run(["redis-benchmark", "-p", str(server.port), "-c", "50", "-r", "100000",
                    "-n", "300000", "-P", "32", "-t", "set", "-d", size, "-q"], check=True,
                   capture_output=True)


def run_benchmark(server, args, requests):
    cmd = ["redis-benchmark", "-p", str(server.port), "-c", "50", "-r", "100000",
           "-n", str(requests), "--csv"] + args
    before = cpu_seconds(server.pid)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    cpu = cpu_seconds(server.pid) - before
    rows = [r for r in csv.reader(io.StringIO(out)) if r and r[0] != "test"]
    rps = float(rows[-1][1])
    return rps, cpu / requests * 1e6, " ".join(cmd)


def load_keys(server, n):
    lines = []
    for i in range(n):
        key = "key:%07d" % i
        lines.append("*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$16\r\n%016d\r\n" % (len(key), key, i))
    data = "".join(lines).encode()
    before = rss_bytes(server.pid)
    subprocess.run(["redis-cli", "-p", str(server.port), "--pipe"], input=data, check=True,
                   capture_output=True)
    after = rss_bytes(server.pid)
    return (after - before) / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--requests", type=int, default=200000)
    ap.add_argument("--memory-keys", type=int, default=1000000)
    ap.add_argument("--only", default="", help="comma-separated workload names to run")
    args = ap.parse_args()
    kvbin = kvgate_binary()
    print("command:", " ".join(sys.argv))
    results = {}
    for name, wargs in WORKLOADS:
        if args.only and name not in args.only.split(","):
            continue
        kv_rps, ref_rps, kv_cpu, ref_cpu = [], [], [], []
        for _ in range(args.rounds):
            # Fresh servers per round so both start from the same (empty) state.
            ref = Server("redis", lambda p, d: ["redis-server", "--port", str(p[0]), "--bind",
                                                "127.0.0.1", "--save", "", "--appendonly", "no",
                                                "--dir", d])
            kv = Server("kvgate", lambda p, d: [kvbin, "--redis-port", str(p[0]),
                                                "--nats-port", "0"])
            try:
                preload(ref, wargs)
                preload(kv, wargs)
                r, c, cmdline = run_benchmark(ref, wargs, args.requests)
                ref_rps.append(r)
                ref_cpu.append(c)
                r, c, _ = run_benchmark(kv, wargs, args.requests)
                kv_rps.append(r)
                kv_cpu.append(c)
            finally:
                ref.stop()
                kv.stop()
        results[name] = (median(kv_rps), median(ref_rps), median(kv_cpu), median(ref_cpu),
                         cmdline)
        print(f"  {name}: kvgate {median(kv_rps):.0f} ops/s, redis {median(ref_rps):.0f} ops/s",
              flush=True)

    rows = []
    for name, (kv, ref, kvc, refc, _) in results.items():
        rows.append((name, f"{kv:.0f}", f"{ref:.0f}", f"{kv / ref:.2f}", f"{kvc:.2f}",
                     f"{refc:.2f}", f"{kvc / refc:.2f}"))
    print()
    print_table(rows, ("workload", "kvgate ops/s", "redis ops/s", "ratio", "kvgate us CPU/op",
                       "redis us CPU/op", "CPU ratio"))
    print("\nexample command line:", next(iter(results.values()))[4] if results else "")

    if args.memory_keys:
        ref = Server("redis", lambda p, d: ["redis-server", "--port", str(p[0]), "--bind",
                                            "127.0.0.1", "--save", "", "--appendonly", "no",
                                            "--dir", d])
        kv = Server("kvgate", lambda p, d: [kvbin, "--redis-port", str(p[0]), "--nats-port", "0"])
        try:
            ref_b = load_keys(ref, args.memory_keys)
            kv_b = load_keys(kv, args.memory_keys)
        finally:
            ref.stop()
            kv.stop()
        print(f"\nmemory, {args.memory_keys} keys x 16-byte values: kvgate {kv_b:.1f} B/key, "
              f"redis {ref_b:.1f} B/key, ratio {kv_b / ref_b:.2f}")


if __name__ == "__main__":
    main()
