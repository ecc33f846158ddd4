"""Shared by the Python scenarios: the outcome line differential.py reads, and guarded waits."""

import json
import sys
import time


def report(out, expected):
    """Prints "OUTCOME <json>" and returns the exit code: 1 when a value is not the expected."""
    print("OUTCOME " + json.dumps(out, sort_keys=True))
    broken = {k: (out.get(k), v) for k, v in expected.items() if out.get(k) != v}
    if broken:
        print(f"unexpected (got, expected): {broken}", file=sys.stderr)
        return 1
    return 0


def wait_for(predicate, guard_s):
    """Polls until predicate() is truthy and returns it; guard_s is a failure guard only."""
    deadline = time.monotonic() + guard_s
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached within the guard timeout")
        time.sleep(0.02)
