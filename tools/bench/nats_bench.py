#!/usr/bin/env python3
"""kvgate vs nats-server -js, side by side, with nats.c's KeyValue API (nats_kv_loadgen).

Usage: tools/bench/nats_bench.py [--rounds 5] [--ops 20000] [--memory-keys 1000000]

Each workload runs against a fresh nats-server (memory-storage bucket) and a fresh kvgate,
alternately, for --rounds rounds; the table shows medians, the ratio kvgate/nats-server (for
latency: kvgate p99 / nats p99, lower is better) and each server's CPU time per operation.
"""
import argparse
import os
import re
import subprocess
import sys

from common import ROOT, Server, cpu_seconds, kvgate_binary, median, print_table, rss_bytes


def loadgen_binary():
    env = os.environ.get("KVGATE_LOADGEN")
    if env:
        return env
    path = os.path.join(ROOT, "build", "release", "tools", "bench", "nats_kv_loadgen")
    if not os.path.exists(path):
        subprocess.run(["cmake", "--build", "--preset", "release", "--target", "nats_kv_loadgen"],
                       cwd=ROOT, check=True)
    return path


def workloads(ops):
    return [
        ("put sync", ["--mode", "put-sync", "--ops", str(ops), "--keys", "10000"], "ops_per_sec"),
        ("get", ["--mode", "get", "--ops", str(ops), "--keys", "10000"], "ops_per_sec"),
        ("put async (window 256)", ["--mode", "put-async", "--ops", str(ops * 10), "--keys",
                                    "10000", "--window", "256"], "ops_per_sec"),
        ("watch fan-out x10 (deliveries/s)", ["--mode", "watch-fanout", "--ops", str(ops),
                                              "--keys", "1000", "--watchers", "10"],
         "ops_per_sec"),
        ("watch fan-out x10 p99 us", ["--mode", "watch-fanout", "--ops", str(ops), "--keys",
                                      "1000", "--watchers", "10"], "p99_us"),
        ("watch latency 500/s p99 us", ["--mode", "watch-latency", "--ops", "2000", "--rate",
                                        "500"], "p99_us"),
        ("list 100,000 keys (keys/s)", ["--mode", "list", "--keys", "100000"], "ops_per_sec"),
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


def kvgate_server(kvbin):
    return Server("kvgate", lambda p, d: [kvbin, "--redis-port", "0", "--nats-port", str(p[0])])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--ops", type=int, default=20000)
    ap.add_argument("--memory-keys", type=int, default=1000000)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    kvbin = kvgate_binary()
    loadgen = loadgen_binary()
    print("command:", " ".join(sys.argv))
    rows = []
    for name, wargs, metric in workloads(args.ops):
        if args.only and name not in args.only.split(","):
            continue
        kv_v, ref_v, kv_cpu, ref_cpu = [], [], [], []
        for _ in range(args.rounds):
            ref = nats_server()
            kv = kvgate_server(kvbin)
            try:
                f, c, cmdline = run(loadgen, ref, wargs)
                ref_v.append(float(f[metric]))
                ref_cpu.append(c / float(f["ops"]) * 1e6)
                f, c, _ = run(loadgen, kv, wargs)
                kv_v.append(float(f[metric]))
                kv_cpu.append(c / float(f["ops"]) * 1e6)
            finally:
                ref.stop()
                kv.stop()
        k, r = median(kv_v), median(ref_v)
        rows.append((name, f"{k:.1f}", f"{r:.1f}", f"{k / r:.2f}", f"{median(kv_cpu):.2f}",
                     f"{median(ref_cpu):.2f}"))
        print(f"  {name}: kvgate {k:.1f}, nats-server {r:.1f}  ({cmdline})", flush=True)
    print()
    print_table(rows, ("workload", "kvgate", "nats-server", "ratio", "kvgate us CPU/op",
                       "nats us CPU/op"))

    if args.memory_keys:
        res = {}
        for name, make in (("nats-server", nats_server), ("kvgate", lambda: kvgate_server(kvbin))):
            s = make()
            try:
                # Create the bucket first so the baseline includes the empty stream.
                subprocess.run([loadgen, "--url", f"nats://127.0.0.1:{s.port}", "--mode", "load",
                                "--keys", "1"], check=True, capture_output=True)
                before = rss_bytes(s.pid)
                subprocess.run([loadgen, "--url", f"nats://127.0.0.1:{s.port}", "--mode", "load",
                                "--keys", str(args.memory_keys), "--window", "1024"],
                               check=True, capture_output=True)
                res[name] = (rss_bytes(s.pid) - before) / args.memory_keys
            finally:
                s.stop()
        print(f"\nmemory, {args.memory_keys} keys x 16-byte values: kvgate "
              f"{res['kvgate']:.1f} B/key, nats-server {res['nats-server']:.1f} B/key, ratio "
              f"{res['kvgate'] / res['nats-server']:.2f}")


if __name__ == "__main__":
    main()
