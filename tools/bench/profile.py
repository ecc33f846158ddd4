#!/usr/bin/env python3
"""Profiles kvgate under one benchmark workload with perf (cpu-clock sampling, which works in
VMs without hardware counters) and prints the top costs.

Usage: tools/bench/profile.py redis -- -t set -d 3 -P 16 -n 1000000   (redis-benchmark args)
       tools/bench/profile.py nats -- --mode put-async --ops 300000      (nats_kv_loadgen args)
       [--top 25] [--save docs/benchmarks/profiles/redis-set-p16.txt]

The report has two parts: the split by binary (kernel vs kvgate vs libraries) and the top
symbols (self time), which is where BENCHMARKS.md's "top costs" come from.
"""
import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time

from common import Server, kvgate_binary
from nats_bench import loadgen_binary


def report(data, sort, top, extra=()):
    out = subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", sort,
                          "--stdio", *extra], capture_output=True, text=True).stdout
    lines = [ln for ln in out.splitlines()
             if ln.strip() and not ln.startswith("#") and "%" in ln and not ln.strip().startswith("|")
             and not ln.strip().startswith("-")]
    return lines[:top]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("front", choices=["redis", "nats"])
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--save", default="")
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    a = ap.parse_args(argv[:split])
    wargs = argv[split + 1:]
    kvbin = kvgate_binary()
    if a.front == "redis":
        s = Server("kvgate", lambda p, d: [kvbin, "--dir", d, "--redis-port", str(p[0]), "--nats-port", "0"])
        if "get" in wargs:
            subprocess.run(["redis-benchmark", "-p", str(s.port), "-c", "50", "-r", "100000",
                            "-n", "300000", "-P", "32", "-t", "set", "-q"], check=True,
                           capture_output=True)
        cmd = ["redis-benchmark", "-p", str(s.port), "-c", "50", "-r", "100000", "--csv", *wargs]
    else:
        s = Server("kvgate", lambda p, d: [kvbin, "--dir", d, "--redis-port", "0", "--nats-port", str(p[0])])
        cmd = [loadgen_binary(), "--url", f"nats://127.0.0.1:{s.port}", *wargs]
    lines = [f"workload: {' '.join(cmd)}"]
    try:
        with tempfile.TemporaryDirectory() as d:
            data = os.path.join(d, "perf.data")
            rec = subprocess.Popen(["perf", "record", "-F", "4000", "-g", "-p", str(s.pid), "-o",
                                    data], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(0.3)
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            lines.append("result: " + out.strip().splitlines()[-1])
            rec.send_signal(signal.SIGINT)
            rec.wait(60)
            lines.append("\nby binary (self time):")
            lines += report(data, "dso", 8)
            lines.append("\ntop symbols (self time):")
            lines += report(data, "dso,sym", a.top)
    finally:
        s.stop()
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if a.save:
        os.makedirs(os.path.dirname(os.path.abspath(a.save)), exist_ok=True)
        with open(a.save, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
