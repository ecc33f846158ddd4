#!/usr/bin/env python3
"""kvgate vs redis-server, side by side, with redis-benchmark.

Usage: tools/bench/redis_bench.py [--rounds 5] [--requests 200000] [--memory-keys 1000000]
                                  [--out docs/benchmarks/redis.csv]

For each workload both servers (fresh processes each round, loopback ports of their own) run it
alternately for --rounds rounds (redis-server first on even rounds, kvgate first on odd ones).
The table reports the median ops/s of each and two ratios (kvgate / redis): the ratio of those
medians, and the median of the per-round ratios, where each round runs both servers back to back
so the slow drift of a shared machine cancels out (the bar is judged on this one; "wins" counts
the rounds kvgate was ahead). Also each server's CPU time per operation (utime+stime from /proc
over the run divided by requests) and its ratio, the bar and whether the medians meet it.
Memory: RSS growth per key after loading N `SET key:NNNNNNN <16 bytes>` through redis-cli --pipe.
--appendfsync always|everysec|no runs both servers with `appendonly yes` and that policy, each
writing its log into its own temporary directory (persistence, issue 15).
"""
import argparse
import csv
import io
import re
import subprocess
import sys
import time

from common import (Server, alternate, bar_text, cpu_seconds, kvgate_binary, loadavg,
                    machine_line, median, met, print_table, rss_bytes, write_csv)

# name, redis-benchmark args, bar on the CPU/op ratio (the ops/s bar is >= 1.0 everywhere)
WORKLOADS = [
    ("SET 3B P1", ["-t", "set", "-d", "3", "-P", "1"], None),
    ("GET 3B P1", ["-t", "get", "-d", "3", "-P", "1"], None),
    ("SET 1KiB P1", ["-t", "set", "-d", "1024", "-P", "1"], None),
    ("GET 1KiB P1", ["-t", "get", "-d", "1024", "-P", "1"], None),
    ("SET 3B P16", ["-t", "set", "-d", "3", "-P", "16"], ("<=", 0.9)),
    ("GET 3B P16", ["-t", "get", "-d", "3", "-P", "16"], ("<=", 0.9)),
    ("SET 1KiB P16", ["-t", "set", "-d", "1024", "-P", "16"], ("<=", 0.9)),
    ("GET 1KiB P16", ["-t", "get", "-d", "1024", "-P", "16"], ("<=", 0.9)),
    ("MSET10 P1", ["-t", "mset", "-P", "1"], None),
    ("MSET10 P16", ["-t", "mset", "-P", "16"], None),
    ("INCR P1", ["-t", "incr", "-P", "1"], None),
    ("INCR P16", ["-t", "incr", "-P", "16"], None),
]
OPS_BAR = (">=", 1.0)


APPENDFSYNC = None  # --appendfsync: both servers log with this policy


def persistence_args():
    return ["--appendonly", "yes", "--appendfsync", APPENDFSYNC] if APPENDFSYNC else []


def redis_server():
    aof = persistence_args() or ["--appendonly", "no"]
    return Server("redis", lambda p, d: ["redis-server", "--port", str(p[0]), "--bind",
                                        "127.0.0.1", "--save", "", *aof, "--dir", d])


def kvgate_server(kvbin):
    return Server("kvgate", lambda p, d: [kvbin, "--dir", d, "--redis-port", str(p[0]),
                                          "--nats-port", "0", *persistence_args()])


def preload(server, args):
    """GET workloads read existing keys: fill the keyspace with the same value size first."""
    if "get" not in args:
        return
    size = args[args.index("-d") + 1]
    subprocess.run(["redis-benchmark", "-p", str(server.port), "-c", "50", "-r", "100000",
                    "-n", "300000", "-P", "32", "-t", "set", "-d", size, "-q"], check=True,
                   capture_output=True)


def run_benchmark(server, args, requests):
    # A workload may name its own request count (-n in its args): CPU per op is read from
    # /proc in 10 ms ticks, so a -P 16 round needs seconds of work, not a fraction of one.
    if "-n" in args:
        requests = int(args[args.index("-n") + 1])
    else:
        args = ["-n", str(requests)] + args
    cmd = ["redis-benchmark", "-p", str(server.port), "-c", "50", "-r", "100000",
           "--csv"] + args
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
    time.sleep(0.5)
    after = rss_bytes(server.pid)
    return (after - before) / n


def main(workloads=None, csv_prefix="Redis"):
    workloads = workloads or WORKLOADS
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--requests", type=int, default=200000)
    ap.add_argument("--memory-keys", type=int, default=1000000)
    ap.add_argument("--only", default="", help="regular expression: workloads to run")
    ap.add_argument("--out", default="", help="CSV of the ratios (chart input)")
    ap.add_argument("--appendfsync", choices=["always", "everysec", "no"], default=None,
                    help="run both servers with appendonly yes and this fsync policy")
    args = ap.parse_args()
    global APPENDFSYNC
    APPENDFSYNC = args.appendfsync
    kvbin = kvgate_binary()
    print("command:", " ".join(sys.argv))
    print("machine:", machine_line())
    print(f"date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, load average at start {loadavg():.2f}")
    aof = " ".join(persistence_args()) or "--appendonly no"
    print(f"kvgate: {kvbin} {' '.join(persistence_args()) or '(default flags)'}; redis-server "
          f"{subprocess.run(['redis-server', '--version'], capture_output=True, text=True).stdout.split()[2]}"
          f" --save '' {aof}")
    results, loads, csv_rows = {}, [loadavg()], []
    for name, wargs, cpu_bar in workloads:
        if args.only and not re.search(args.only, name):
            continue
        kv_rps, ref_rps, kv_cpu, ref_cpu = [], [], [], []
        cmdline = ""
        for rnd in range(args.rounds):
            def one(make, rps, cpus):
                nonlocal cmdline
                s = make()
                try:
                    preload(s, wargs)
                    r, c, cmdline = run_benchmark(s, wargs, args.requests)
                    rps.append(r)
                    cpus.append(c)
                finally:
                    s.stop()

            alternate(rnd, lambda: one(redis_server, ref_rps, ref_cpu),
                      lambda: one(lambda: kvgate_server(kvbin), kv_rps, kv_cpu))
        loads.append(loadavg())
        paired = [k / r for k, r in zip(kv_rps, ref_rps)]
        wins = f"{sum(p >= 1.0 for p in paired)}/{len(paired)}"
        results[name] = (median(kv_rps), median(ref_rps), median(kv_cpu), median(ref_cpu),
                         cpu_bar, cmdline, median(paired), wins)
        print(f"  {name}: kvgate {median(kv_rps):.0f} ops/s, redis {median(ref_rps):.0f} ops/s  "
              f"(kvgate rounds {[round(x) for x in kv_rps]}, redis {[round(x) for x in ref_rps]})",
              flush=True)

    rows = []
    for name, (kv, ref, kvc, refc, cpu_bar, _, ratio, wins) in results.items():
        cratio = kvc / refc if refc else float("nan")
        rows.append((name, f"{kv:.0f}", f"{ref:.0f}", f"{kv / ref:.2f}", f"{ratio:.2f}", wins,
                     met(ratio, OPS_BAR),
                     f"{kvc:.2f}", f"{refc:.2f}", f"{cratio:.2f}", bar_text(cpu_bar),
                     met(cratio, cpu_bar)))
        csv_rows.append(dict(workload=f"{csv_prefix} {name}", kvgate=f"{kv:.0f}", reference=f"{ref:.0f}",
                             ratio=f"{ratio:.3f}", better="higher", bar=bar_text(OPS_BAR),
                             met=met(ratio, OPS_BAR)))
        if cpu_bar:
            csv_rows.append(dict(workload=f"{csv_prefix} {name} CPU/op", kvgate=f"{kvc:.2f}",
                                 reference=f"{refc:.2f}", ratio=f"{cratio:.3f}",
                                 better="lower", bar=bar_text(cpu_bar),
                                 met=met(cratio, cpu_bar)))
    print()
    print_table(rows, ("workload", "kvgate ops/s", "redis ops/s", "ratio of medians",
                       "per-round ratio", "wins", "met (>= 1.0)",
                       "kvgate us CPU/op", "redis us CPU/op", "CPU ratio", "CPU bar", "met"))
    print(f"load average during the runs: min {min(loads):.2f}, max {max(loads):.2f}")
    print("\nexample command line:", next(iter(results.values()))[5] if results else "")

    if args.memory_keys:
        ref, kv = redis_server(), kvgate_server(kvbin)
        try:
            ref_b = load_keys(ref, args.memory_keys)
            kv_b = load_keys(kv, args.memory_keys)
        finally:
            ref.stop()
            kv.stop()
        ratio = kv_b / ref_b
        print(f"\nmemory, {args.memory_keys} keys x 16-byte values: kvgate {kv_b:.1f} B/key, "
              f"redis {ref_b:.1f} B/key, ratio {ratio:.2f} (bar <= 1.0: {met(ratio, ('<=', 1.0))})")
        csv_rows.append(dict(workload="Redis memory per key", kvgate=f"{kv_b:.1f}",
                             reference=f"{ref_b:.1f}", ratio=f"{ratio:.3f}", better="lower",
                             bar="<= 1.0",
                             met=met(ratio, ("<=", 1.0))))
    write_csv(args.out, csv_rows)


if __name__ == "__main__":
    main()
