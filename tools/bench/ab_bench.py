#!/usr/bin/env python3
"""A/B of two kvgate builds on the same workloads (no reference server): did a change slow what
exists? Each round starts a fresh server per build, alternating which build goes first, and
reports the median ops/s of each build and the median of the per-round ratios (new / old).

Usage: tools/bench/ab_bench.py OLD_KVGATE NEW_KVGATE [--rounds 11]
  Redis lines use redis-benchmark; NATS lines use the release build's nats_kv_loadgen.
"""
import argparse
import os
import re
import socket
import statistics
import subprocess
import tempfile
import time

from common import release_build

REDIS = [("SET 3B P16", ["-t", "set", "-d", "3", "-P", "16"]),
         ("GET 3B P16", ["-t", "get", "-d", "3", "-P", "16"]),
         ("INCR P16", ["-t", "incr", "-P", "16"]),
         ("SET 3B P1", ["-t", "set", "-d", "3", "-P", "1"]),
         ("INCR P1", ["-t", "incr", "-P", "1"])]
NATS = [("nats get, 1 client", ["--mode", "get", "--ops", "20000", "--keys", "10000"]),
        ("nats put sync, 1 client", ["--mode", "put-sync", "--ops", "20000", "--keys", "10000"]),
        ("nats watch fan-out x10", ["--mode", "watch-fanout", "--ops", "20000", "--keys", "1000",
                                     "--watchers", "10"])]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port):
    for _ in range(500):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.1):
                return
        except OSError:
            time.sleep(0.01)
    raise RuntimeError(f"port {port} never opened")


def run_once(binary, kind, args, loadgen):
    rport, nport = free_port(), free_port()
    workdir = tempfile.mkdtemp(prefix="kvgate-ab-")
    proc = subprocess.Popen([binary, "--dir", workdir, "--redis-port", str(rport),
                             "--nats-port", str(nport)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(rport)
        wait_port(nport)
        if kind == "redis":
            out = subprocess.run(["redis-benchmark", "-p", str(rport), "-c", "50", "-r", "100000",
                                  "-n", "200000", "--csv", *args], capture_output=True,
                                 text=True, check=True).stdout
            return float(out.strip().splitlines()[-1].split(",")[1].strip('"'))
        out = subprocess.run([loadgen, "--url", f"nats://127.0.0.1:{nport}", *args],
                             capture_output=True, text=True, check=True).stdout
        m = re.search(r"ops_per_sec=([0-9.]+)", out)
        if m is None:
            raise RuntimeError(f"no ops_per_sec in: {out}")
        return float(m.group(1))
    finally:
        proc.terminate()
        proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--rounds", type=int, default=11)
    ap.add_argument("--only", default="", help="regular expression: workloads to run")
    a = ap.parse_args()
    loadgen = os.path.join(release_build("nats_kv_loadgen"), "tools", "bench", "nats_kv_loadgen")
    print(f"command: ab_bench.py {a.old} {a.new} --rounds {a.rounds}"
          + (f" --only '{a.only}'" if a.only else ""), flush=True)
    print(f"date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}", flush=True)
    for kind, lines in (("redis", REDIS), ("nats", NATS)):
        for name, args in lines:
            if a.only and not re.search(a.only, name):
                continue
            old, new, ratios = [], [], []
            for r in range(a.rounds):
                order = [("old", a.old), ("new", a.new)]
                if r % 2:
                    order.reverse()
                got = {}
                for tag, binary in order:
                    got[tag] = run_once(binary, kind, args, loadgen)
                old.append(got["old"])
                new.append(got["new"])
                ratios.append(got["new"] / got["old"])
            print(f"{name:26s} old {statistics.median(old):10.0f}  new {statistics.median(new):10.0f}"
                  f"  new/old per round {statistics.median(ratios):.3f}"
                  f"  (ratios {[round(x, 3) for x in ratios]})", flush=True)


if __name__ == "__main__":
    main()
