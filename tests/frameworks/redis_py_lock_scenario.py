#!/usr/bin/env python3
"""redis-py's Lock (SET NX PX, then Lua scripts through EVALSHA for release, extend and
reacquire) against 127.0.0.1:PORT. Prints "OUTCOME <json>"; exits non-zero on a broken
expectation. Usage: redis_py_lock_scenario.py PORT"""

import sys
import threading

import redis
from redis.exceptions import LockError

from scenario_util import report, wait_for

GUARD_S = 30  # failure guard for the waits below, never an expectation


def attempt(call):
    """ "allowed" when call() succeeds, else the LockError subclass it raised."""
    try:
        call()
        return "allowed"
    except LockError as e:
        return type(e).__name__


def main(port):
    r = redis.Redis(host="127.0.0.1", port=port, db=3)
    r.flushdb()
    out = {}

    holder = r.lock("job:lock", timeout=20, thread_local=False)
    out["acquire"] = holder.acquire(blocking=False)
    token = r.get("job:lock")
    out["token_is_holders"] = token == holder.local.token
    out["pttl_set"] = 0 < r.pttl("job:lock") <= 20000
    out["locked"] = holder.locked()
    out["owned"] = holder.owned()

    # A second client cannot take it: non-blocking, then blocking with a timeout.
    rival = r.lock("job:lock", timeout=20)
    out["rival_nonblocking"] = rival.acquire(blocking=False)
    out["rival_blocking_timeout"] = rival.acquire(blocking=True, blocking_timeout=0.3)
    out["rival_owned"] = rival.owned()

    # A non-owner cannot release, extend or reacquire it (the Lua scripts compare tokens).
    for op, call in (("release", rival.release), ("extend", lambda: rival.extend(5)),
                     ("reacquire", rival.reacquire)):
        rival.local.token = b"not-the-owner"  # release() clears it
        out[f"rival_{op}"] = attempt(call)
    out["still_held_by_holder"] = r.get("job:lock") == holder.local.token

    # Extend adds to the TTL; replace_ttl sets it; reacquire resets it to the lock's timeout.
    before = r.pttl("job:lock")
    out["extend"] = holder.extend(30)
    after = r.pttl("job:lock")
    out["extend_added"] = after > before + 25000
    out["extend_replace"] = holder.extend(5, replace_ttl=True)
    out["replaced_ttl_bound"] = 0 < r.pttl("job:lock") <= 5000
    out["reacquire"] = holder.reacquire()
    out["reacquired_ttl_bound"] = 5000 < r.pttl("job:lock") <= 20000

    # A blocked acquirer gets the lock once the holder releases it from another thread.
    waiter = r.lock("job:lock", timeout=20, sleep=0.01)
    old_token = holder.local.token
    released = threading.Timer(0.2, holder.release)
    released.start()
    out["waiter_acquired_after_release"] = waiter.acquire(blocking=True, blocking_timeout=GUARD_S)
    released.join()
    out["holder_owned_after_release"] = holder.owned()
    holder.local.token = old_token  # a stale owner: the key now holds the waiter's token
    out["stale_owner_release"] = attempt(holder.release)
    waiter.release()
    out["release_unlocked"] = attempt(waiter.release)
    out["key_gone"] = r.exists("job:lock")

    # A lock whose TTL runs out is free for others; its old owner's release is refused.
    short = r.lock("short:lock", timeout=0.05)
    out["short_acquire"] = short.acquire(blocking=False)
    wait_for(lambda: not short.locked(), GUARD_S)
    taker = r.lock("short:lock", timeout=20)
    out["taker_after_expiry"] = taker.acquire(blocking=False)
    out["expired_owner_release"] = attempt(short.release)
    taker.release()

    # The context-manager form, and a lock with no timeout (no TTL on the key).
    with r.lock("ctx:lock", blocking_timeout=1) as ctx:
        out["ctx_owned"] = ctx.owned()
        out["ctx_ttl"] = r.ttl("ctx:lock")
    out["ctx_released"] = r.exists("ctx:lock")

    # Lua scripts were loaded and run through EVALSHA (SCRIPT EXISTS sees them).
    shas = [s.sha for s in (holder.lua_release, holder.lua_extend, holder.lua_reacquire)]
    out["scripts_cached"] = r.script_exists(*shas)

    expected = {
        "acquire": True, "token_is_holders": True, "pttl_set": True, "locked": True,
        "owned": True, "rival_nonblocking": False, "rival_blocking_timeout": False,
        "rival_owned": False, "rival_release": "LockNotOwnedError",
        "rival_extend": "LockNotOwnedError", "rival_reacquire": "LockNotOwnedError",
        "still_held_by_holder": True, "extend": True, "extend_added": True,
        "extend_replace": True, "replaced_ttl_bound": True, "reacquire": True,
        "reacquired_ttl_bound": True, "waiter_acquired_after_release": True,
        "holder_owned_after_release": False, "stale_owner_release": "LockNotOwnedError",
        "release_unlocked": "LockError", "key_gone": 0, "short_acquire": True,
        "taker_after_expiry": True, "expired_owner_release": "LockNotOwnedError",
        "ctx_owned": True, "ctx_ttl": -1, "ctx_released": 0,
        "scripts_cached": [True, True, True],
    }
    return report(out, expected)


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))
