#!/usr/bin/env python3
"""Memory per element of large Redis collections: kvgate vs redis-server, side by side.

Usage: tools/bench/collection_memory.py [--elements 1000000] [--types hash,set,zset,list]
                                        [--rounds 3]

For each type, both servers (fresh processes per round, loopback ports of their own) get one key
holding --elements elements (hash: field:N -> value:N, set: member:N, zset: member:N with score
N, list: member:N pushed at the tail), sent through redis-cli --pipe in commands of 1000
elements. Reported: RSS growth per element of each (from /proc, after a short settle) and the ratio kvgate / redis; the issue's bar is
<= 1.2. Rounds alternate which server loads first; the medians are reported, and every round.
"""
import argparse
import subprocess
import sys
import time

from common import Server, kvgate_binary, loadavg, machine_line, median, rss_bytes

BATCH = 1000


def redis_server():
    return Server("redis", lambda p, d: ["redis-server", "--port", str(p[0]), "--bind",
                                        "127.0.0.1", "--save", "", "--appendonly", "no",
                                        "--dir", d])


def kvgate_server(kvbin):
    return Server("kvgate", lambda p, d: [kvbin, "--dir", d, "--redis-port", str(p[0]), "--nats-port", "0"])


def encode(args):
    out = ["*%d\r\n" % len(args)]
    for a in args:
        out.append("$%d\r\n%s\r\n" % (len(a), a))
    return "".join(out)


def commands(kind, n):
    parts = []
    for start in range(0, n, BATCH):
        end = min(n, start + BATCH)
        if kind == "hash":
            args = ["HSET", "k"]
            for i in range(start, end):
                args += ["field:%d" % i, "value:%d" % i]
        elif kind == "list":
            args = ["RPUSH", "k"] + ["member:%d" % i for i in range(start, end)]
        elif kind == "set":
            args = ["SADD", "k"] + ["member:%d" % i for i in range(start, end)]
        else:
            args = ["ZADD", "k"]
            for i in range(start, end):
                args += [str(i), "member:%d" % i]
        parts.append(encode(args))
    return "".join(parts).encode()


def load(server, data, n):
    before = rss_bytes(server.pid)
    subprocess.run(["redis-cli", "-p", str(server.port), "--pipe"], input=data, check=True,
                   capture_output=True)
    time.sleep(0.5)
    return (rss_bytes(server.pid) - before) / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--elements", type=int, default=1000000)
    ap.add_argument("--types", default="hash,set,zset,list")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    kvbin = kvgate_binary()
    print("command:", " ".join(sys.argv))
    print("machine:", machine_line())
    print(f"date: {time.strftime('%Y-%m-%d %H:%M:%S %Z')}, load average at start {loadavg():.2f}")
    print(f"kvgate: {kvbin}; redis-server --save '' --appendonly no")
    print(f"{'type':6} {'round':>5} {'redis B/elt':>12} {'kvgate B/elt':>13} {'ratio':>7}")
    for kind in args.types.split(","):
        data = commands(kind, args.elements)
        ref_b, kv_b = [], []
        for r in range(args.rounds):
            order = [("redis", redis_server), ("kvgate", lambda: kvgate_server(kvbin))]
            if r % 2:
                order.reverse()
            got = {}
            for name, make in order:
                server = make()
                try:
                    got[name] = load(server, data, args.elements)
                finally:
                    server.stop()
            ref_b.append(got["redis"])
            kv_b.append(got["kvgate"])
            print(f"{kind:6} {r:>5} {got['redis']:>12.1f} {got['kvgate']:>13.1f} "
                  f"{got['kvgate'] / got['redis']:>7.2f}")
        ratio = median(kv_b) / median(ref_b)
        verdict = "met" if ratio <= 1.2 else "NOT met"
        print(f"{kind:6} {'median':>5} {median(ref_b):>12.1f} {median(kv_b):>13.1f} "
              f"{ratio:>7.2f}  (bar <= 1.2: {verdict})")


if __name__ == "__main__":
    main()
