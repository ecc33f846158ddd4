#!/usr/bin/env python3
"""Randomized differential check of kvgate's Redis front against a real redis-server.

Sends the same random pipelines of deterministic string/key/expiry/transaction commands (small
key space, edge-case values, wrong arities, bad options) to both servers and compares the reply
bytes. Time-sensitive values are avoided (no TTLs of a few ms, no PEXPIRETIME); OBJECT ENCODING
is left out (Redis's embstr/raw depends on a value's history).

Usage: start redis-server and kvgate, then
  tests/translate/redis/differential/random_diff.py --ref-port 6399 --kv-port 6398 --seed 1 --rounds 50
Exit status 1 if any round differs (the first differing bytes and the commands are printed).
"""
import argparse
import random
import re
import socket
import sys
import time


def run(port, payload, wait=0.2):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(payload)
    time.sleep(wait)
    s.settimeout(0.3)
    out = b""
    try:
        while True:
            d = s.recv(1 << 20)
            if not d:
                break
            out += d
    except socket.timeout:
        pass
    s.close()
    return out


def enc(*cmds):
    out = b""
    for args in cmds:
        args = [a if isinstance(a, bytes) else a.encode() for a in args]
        out += b"*%d\r\n" % len(args)
        for a in args:
            out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


def norm(b):
    return re.sub(rb"\$2\r\nid\r\n:\d+\r\n", b"$2\r\nid\r\n:N\r\n", b)


KEYS = ["a", "b", "c", "", "k\x00z", "n", "f"]
VALS = ["", "1", "-1", "01", "abc", "10.5", "9223372036854775807", "-9223372036854775808", " 1",
        "1e3", "0.1", "x" * 5]
INTS = ["0", "1", "-1", "2", "100", "abc", "9223372036854775807", "-9223372036854775808", "1.5",
        "", "+1", "99999999999999999999"]
EXPIRES = ["100", "0", "abc", "99999999999999999999"]


def gen():
    k = lambda: random.choice(KEYS)
    v = lambda: random.choice(VALS)
    i = lambda: random.choice(INTS)
    return random.choice([
        lambda: ["SET", k(), v()] + random.choice(
            [[], ["NX"], ["XX"], ["GET"], ["EX", random.choice(EXPIRES)],
             ["PX", random.choice(["100000", "0", "abc"])], ["KEEPTTL"], ["NX", "GET"],
             ["XX", "EX", "100"], ["EXAT", "1"], ["FOO"], ["EX"], ["PX", "100", "EX", "1"]]),
        lambda: ["GET", k()], lambda: ["GETSET", k(), v()], lambda: ["GETDEL", k()],
        lambda: ["GETEX", k()] + random.choice(
            [[], ["PERSIST"], ["EX", random.choice(EXPIRES)], ["PXAT", "1"], ["EX", "10", "PX", "10"],
             ["FOO"]]),
        lambda: ["SETNX", k(), v()],
        lambda: ["SETEX", k(), random.choice(["100", "0", "abc", "-1", "9223372036854775807"]), v()],
        lambda: ["PSETEX", k(), random.choice(["100000", "0", "abc", "-1"]), v()],
        lambda: ["MSET", k(), v(), k(), v()], lambda: ["MSETNX", k(), v(), k(), v()],
        lambda: ["MGET", k(), k(), k()], lambda: ["MSET", k()],
        lambda: ["APPEND", k(), v()], lambda: ["STRLEN", k()],
        lambda: ["GETRANGE", k(), i(), i()],
        lambda: ["SETRANGE", k(), random.choice(["0", "1", "5", "-1", "abc"]), v()],
        lambda: ["INCR", k()], lambda: ["DECR", k()], lambda: ["INCRBY", k(), i()],
        lambda: ["DECRBY", k(), i()],
        lambda: ["INCRBYFLOAT", k(), random.choice(
            ["0.1", "1.5", "-0.0", "1e-5", "abc", "inf", "5.", "1e400", ".5", "3"])],
        lambda: ["DEL", k(), k()], lambda: ["UNLINK", k()], lambda: ["EXISTS", k(), k()],
        lambda: ["TYPE", k()], lambda: ["TOUCH", k()],
        lambda: ["RENAME", k(), k()], lambda: ["RENAMENX", k(), k()],
        lambda: ["COPY", k(), k()] + random.choice([[], ["REPLACE"], ["DB", "1"], ["DB", "x"], ["FOO"]]),
        lambda: ["MOVE", k(), random.choice(["0", "1", "x", "16"])],
        lambda: ["EXPIRE", k(), random.choice(["100", "0", "-1", "abc", "200"])] + random.choice(
            [[], ["NX"], ["XX"], ["GT"], ["LT"], ["NX", "XX"], ["GT", "LT"], ["XX", "GT"], ["FOO"]]),
        lambda: ["PEXPIRE", k(), random.choice(["100000", "0", "50000"])],
        lambda: ["EXPIREAT", k(), random.choice(["1", "32503680001"])],
        lambda: ["TTL", k()], lambda: ["PERSIST", k()],
        lambda: ["DBSIZE"], lambda: ["SELECT", random.choice(["0", "1", "16"])],
        lambda: ["MULTI"], lambda: ["EXEC"], lambda: ["DISCARD"], lambda: ["WATCH", k()],
        lambda: ["UNWATCH"], lambda: ["PING"], lambda: ["ECHO", v()],
        lambda: ["NOSUCH", k()], lambda: ["GET"], lambda: ["SET", k()],
    ])()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref-port", type=int, default=6399)
    ap.add_argument("--kv-port", type=int, default=6398)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=50)
    ap.add_argument("--commands", type=int, default=60)
    a = ap.parse_args()
    random.seed(a.seed)
    bad = 0
    for rnd in range(a.rounds):
        cmds = [["FLUSHALL"]] + [gen() for _ in range(a.commands)]
        payload = enc(*cmds)
        want = norm(run(a.ref_port, payload))
        got = norm(run(a.kv_port, payload))
        if want == got:
            continue
        bad += 1
        j = 0
        while j < min(len(want), len(got)) and want[j] == got[j]:
            j += 1
        print("round", rnd, "differs at byte", j)
        print("  redis-server:", want[max(0, j - 150):j + 100])
        print("  kvgate:      ", got[max(0, j - 150):j + 100])
        print("  commands:", cmds)
    print("rounds:", a.rounds, "differing:", bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
