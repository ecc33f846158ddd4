#!/usr/bin/env python3
"""kvgate vs nats-server -js, side by side, with nats.c's KeyValue API (nats_kv_loadgen).

Usage: tools/bench/nats_bench.py [--rounds 5] [--ops 20000] [--memory-keys 1000000]
                                 [--idle-watchers 10000] [--out docs/benchmarks/nats.csv]

Each workload runs against a fresh nats-server (memory-storage bucket, history 1) and a fresh
kvgate (default flags), alternately (reference first on even rounds, kvgate first on odd ones),
for --rounds rounds. The table shows medians, the ratio kvgate / nats-server (for latencies:
kvgate p99 / nats p99, lower is better), each server's CPU time per operation (utime+stime from
/proc over the run / operations), the bar and whether the median meets it. Then: memory per key
for --memory-keys keys (RSS growth), the cost of one extra retained revision per key, and the
idle-watcher scale check (kvgate's RSS growth for --idle-watchers watchers on other keys, and
put throughput to other keys with and without them, alternating).
"""
import argparse
import os
import re
import subprocess
import sys
import time

from common import (Server, alternate, bar_text, cpu_seconds, kvgate_binary, loadavg,
                    machine_line, median, met, print_table, release_build, rss_bytes,
                    write_csv)


def loadgen_binary():
    """KVGATE_LOADGEN, or the release build's nats_kv_loadgen (built first)."""
    env = os.environ.get("KVGATE_LOADGEN")
    if env:
        return env
    return os.path.join(release_build("nats_kv_loadgen"), "tools", "bench", "nats_kv_loadgen")


def workloads(ops):
    # name, loadgen args, metric, bar on the ratio
    return [
        ("put sync, 1 client", ["--mode", "put-sync", "--ops", str(ops), "--keys", "10000"],
         "ops_per_sec", (">=", 2.0)),
        ("get, 1 client", ["--mode", "get", "--ops", str(ops), "--keys", "10000"],
         "ops_per_sec", (">=", 2.0)),
        ("put sync, 10 clients", ["--mode", "put-sync", "--ops", str(ops * 2), "--keys", "10000",
                                  "--clients", "10"], "ops_per_sec", None),
        ("get, 10 clients", ["--mode", "get", "--ops", str(ops * 2), "--keys", "10000",
                             "--clients", "10"], "ops_per_sec", None),
        ("put async (window 256)", ["--mode", "put-async", "--ops", str(ops * 10), "--keys",
                                    "10000", "--window", "256"], "ops_per_sec", (">=", 1.5)),
        ("watch fan-out x10 (deliveries/s)", ["--mode", "watch-fanout", "--ops", str(ops),
                                              "--keys", "1000", "--watchers", "10"],
         "ops_per_sec", (">=", 1.5)),
        ("watch fan-out x10 p99 us", ["--mode", "watch-fanout", "--ops", str(ops), "--keys",
                                      "1000", "--watchers", "10"], "p99_us", ("<=", 0.7)),
        ("watch latency 500/s p99 us", ["--mode", "watch-latency", "--ops", "2000", "--rate",
                                        "500"], "p99_us", ("<=", 0.7)),
        ("list 100,000 keys (keys/s)", ["--mode", "list", "--keys", "100000"], "ops_per_sec",
         (">=", 1.5)),
        ("ping round trip (floor) us", ["--mode", "ping", "--ops", str(ops)], "p50_us", None),
    ]


def run(loadgen, server, args):
    cmd = [loadgen, "--url", f"nats://127.0.0.1:{server.port}"] + args
    before = cpu_seconds(server.pid)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    cpu = cpu_seconds(server.pid) - before
    fields = dict(re.findall(r"(\w+)=([\d.]+)", out))
    return fields, cpu, " ".join(cmd)


def nats_server():
    return Server("nats", lambda p, d: ["nats-server", "-js", "-a", "127.0.0.1", "-p", str(p[0]),
                                        "-sd", d])


def kvgate_server(kvbin, extra=()):
    return Server("kvgate", lambda p, d: [kvbin, "--dir", d, "--redis-port", "0", "--nats-port", str(p[0]),
                                          *extra])


def memory_per_key(loadgen, make, keys, history, passes):
    s = make()
    try:
        url = f"nats://127.0.0.1:{s.port}"
        # Create the bucket first so the baseline includes the empty stream.
        subprocess.run([loadgen, "--url", url, "--mode", "load", "--keys", "1", "--history",
                        str(history)], check=True, capture_output=True)
        before = rss_bytes(s.pid)
        subprocess.run([loadgen, "--url", url, "--mode", "load", "--keys", str(keys),
                        "--window", "1024", "--history", str(history), "--passes", str(passes)],
                       check=True, capture_output=True)
        time.sleep(0.5)
        return (rss_bytes(s.pid) - before) / keys
    finally:
        s.stop()


def idle_watchers(loadgen, kvbin, watchers, rounds, ops):
    """kvgate's cost of idle watchers: RSS growth, and async put ops/s to other keys with and
    without them (same server, alternating, medians)."""
    s = kvgate_server(kvbin)
    url = f"nats://127.0.0.1:{s.port}"
    put = [loadgen, "--url", url, "--mode", "put-async", "--ops", str(ops), "--keys", "100000",
           "--window", "256"]
    try:
        subprocess.run(put, check=True, capture_output=True)  # warm: bucket, keyspace
        with_w, without_w, rss = [], [], []
        for r in range(rounds):
            def measure():
                out = subprocess.run(put, check=True, capture_output=True, text=True).stdout
                return float(dict(re.findall(r"(\w+)=([\d.]+)", out))["ops_per_sec"])

            def with_watchers():
                before = rss_bytes(s.pid)
                holder = subprocess.Popen([loadgen, "--url", url, "--mode", "hold-watchers",
                                           "--watchers", str(watchers)], stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, text=True)
                line = holder.stdout.readline()
                if not line.startswith("ready"):
                    raise RuntimeError("hold-watchers failed")
                time.sleep(0.5)
                rss.append((rss_bytes(s.pid) - before) / 1e6)
                v = measure()
                holder.stdin.close()
                holder.wait(60)
                time.sleep(0.5)
                return v

            w, wo = alternate(r, with_watchers, measure)
            with_w.append(w)
            without_w.append(wo)
        # RSS: the largest growth (the first round; later rounds reuse memory the allocator
        # kept from earlier ones, so their growth understates the cost).
        return median(with_w), median(without_w), max(rss)
    finally:
        s.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--ops", type=int, default=20000)
    ap.add_argument("--memory-keys", type=int, default=1000000)
    ap.add_argument("--idle-watchers", type=int, default=10000)
    ap.add_argument("--only", default="", help="regular expression: workloads to run")
    ap.add_argument("--out", default="", help="CSV of the ratios (chart input)")
    ap.add_argument("--storage", choices=["memory", "file"], default="memory",
                    help="bucket storage: file compares kvgate's redo log (default appendfsync "
                         "everysec) with nats-server's file store")
    args = ap.parse_args()
    kvbin = kvgate_binary()
    loadgen = loadgen_binary()
    print("command:", " ".join(sys.argv))
    print("machine:", machine_line())
    print(f"date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, load average at start {loadavg():.2f}")
    print(f"kvgate: {kvbin} (default flags); nats-server: nats-server -js "
          f"({args.storage} buckets)")
    rows, csv_rows, loads = [], [], [loadavg()]
    for name, wargs, metric, bar in workloads(args.ops):
        if args.only and not re.search(args.only, name):
            continue
        kv_v, ref_v, kv_cpu, ref_cpu = [], [], [], []
        cmdline = ""
        for rnd in range(args.rounds):
            def one(make, values, cpus):
                nonlocal cmdline
                s = make()
                try:
                    f, c, cmdline = run(loadgen, s, wargs + ["--storage", args.storage])
                    values.append(float(f[metric]))
                    cpus.append(c / float(f["ops"]) * 1e6)
                finally:
                    s.stop()

            alternate(rnd, lambda: one(nats_server, ref_v, ref_cpu),
                      lambda: one(lambda: kvgate_server(kvbin), kv_v, kv_cpu))
        loads.append(loadavg())
        k, r = median(kv_v), median(ref_v)
        ratio = k / r
        rows.append((name, f"{k:.1f}", f"{r:.1f}", f"{ratio:.2f}", bar_text(bar), met(ratio, bar),
                     f"{median(kv_cpu):.2f}", f"{median(ref_cpu):.2f}"))
        csv_rows.append(dict(workload="NATS " + name, kvgate=f"{k:.1f}", reference=f"{r:.1f}",
                             ratio=f"{ratio:.3f}",
                             better="higher" if metric == "ops_per_sec" else "lower",
                             bar=bar_text(bar), met=met(ratio, bar)))
        print(f"  {name}: kvgate {k:.1f}, nats-server {r:.1f}, ratio {ratio:.2f}  "
              f"(kvgate rounds {[round(x, 1) for x in kv_v]}, nats {[round(x, 1) for x in ref_v]})"
              f"\n    {cmdline}", flush=True)
    print()
    print_table(rows, ("workload", "kvgate", "nats-server", "ratio", "bar", "met",
                       "kvgate us CPU/op", "nats us CPU/op"))
    print(f"load average during the runs: min {min(loads):.2f}, max {max(loads):.2f}")

    if args.memory_keys:
        n = args.memory_keys
        res = {}
        for name, make in (("nats-server", nats_server), ("kvgate", lambda: kvgate_server(kvbin))):
            res[name] = (memory_per_key(loadgen, make, n, 1, 1),
                         memory_per_key(loadgen, make, n, 2, 2))
        kv1, ns1 = res["kvgate"][0], res["nats-server"][0]
        ratio = kv1 / ns1
        print(f"\nmemory, {n} keys x 16-byte values, history 1: kvgate {kv1:.1f} B/key, "
              f"nats-server {ns1:.1f} B/key, ratio {ratio:.2f} (bar <= 0.5: {met(ratio, ('<=', 0.5))})")
        print(f"one extra retained revision (history 2, every key written twice): kvgate "
              f"+{res['kvgate'][1] - kv1:.1f} B/key, nats-server "
              f"+{res['nats-server'][1] - ns1:.1f} B/key")
        csv_rows.append(dict(workload="NATS memory per key", kvgate=f"{kv1:.1f}",
                             reference=f"{ns1:.1f}", ratio=f"{ratio:.3f}", better="lower",
                             bar="<= 0.5",
                             met=met(ratio, ("<=", 0.5))))

    if args.idle_watchers:
        w, wo, mb = idle_watchers(loadgen, kvbin, args.idle_watchers, args.rounds, args.ops * 10)
        slow = (wo / w - 1) * 100
        print(f"\n{args.idle_watchers} idle watchers (nats.c kvStore_Watch on other keys): kvgate "
              f"RSS +{mb:.1f} MB (bar < 50: {met(mb, ('<=', 50))}); async put to other keys "
              f"{wo:.0f} ops/s without, {w:.0f} with: slowdown {slow:+.1f}% "
              f"(bar <= 5%: {met(slow, ('<=', 5))})")
    write_csv(args.out, csv_rows)


if __name__ == "__main__":
    main()
