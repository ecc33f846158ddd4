#!/usr/bin/env python3
"""Django's cache API through django-redis (DefaultClient, pickle serializer) against
127.0.0.1:PORT: set/get/add/many, incr/decr (a Lua script, and its fallback past int64),
versions, delete_pattern/keys (SCAN MATCH), ttl/pttl/expire/persist/touch, and the lock
(redis-py's Lock). Prints "OUTCOME <json>"; exits non-zero on a broken expectation.
Usage: django_redis_scenario.py PORT"""

import sys

import django
from django.conf import settings

from scenario_util import report


def main(port):
    settings.configure(CACHES={
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/4",
            "KEY_PREFIX": "app",
            "TIMEOUT": 300,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    })
    django.setup()
    from django.core.cache import cache
    from django_redis import get_redis_connection
    raw = get_redis_connection("default")
    cache.clear()
    out = {}

    cache.set("greeting", {"text": "hello", "n": [1, 2, 3]})
    out["get_pickled"] = cache.get("greeting")
    out["get_missing"] = cache.get("nope", "fallback")
    out["raw_key_name"] = sorted(k.decode() for k in raw.keys("*"))
    out["add_existing"] = cache.add("greeting", "other")
    out["add_new"] = cache.add("fresh", "value", timeout=60)
    out["get_or_set"] = cache.get_or_set("computed", lambda: "made", timeout=60)
    out["get_or_set_again"] = cache.get_or_set("computed", lambda: "remade", timeout=60)
    out["set_nx"] = cache.set("fresh", "nx", nx=True)
    out["has_key"] = [cache.has_key("fresh"), cache.has_key("nope")]

    cache.set_many({"m1": 1, "m2": "two", "m3": 3.5}, timeout=120)
    out["get_many"] = cache.get_many(["m1", "m2", "m3", "m4"])
    out["ttl_many"] = [100 < cache.ttl(k) <= 120 for k in ("m1", "m2", "m3")]
    out["delete_many"] = cache.delete_many(["m1", "m2", "absent"])

    # Integers are stored raw, so INCRBY works on them (inside django-redis's Lua script).
    cache.set("counter", 10)
    out["incr"] = cache.incr("counter")
    out["incr_by"] = cache.incr("counter", 5)
    out["decr_by"] = cache.decr("counter", 20)
    out["raw_counter"] = raw.get(cache.make_key("counter")).decode()
    try:
        cache.incr("missing-counter")
        out["incr_missing"] = "allowed"
    except ValueError:
        out["incr_missing"] = "ValueError"
    # Past int64 INCRBY fails in the script and django-redis falls back to GET + SET.
    cache.set("big", 2**63 - 2, timeout=200)
    out["incr_past_int64"] = cache.incr("big", 10)
    out["big_ttl_kept"] = 150 < cache.ttl("big") <= 200

    # Versions: incr_version moves the value to a new key.
    cache.set("versioned", "v1", version=1)
    out["incr_version"] = cache.incr_version("versioned", version=1)
    out["versioned_old"] = cache.get("versioned", version=1)
    out["versioned_new"] = cache.get("versioned", version=2)

    # Expiry controls.
    cache.set("temp", "t", timeout=30)
    out["ttl"] = 20 < cache.ttl("temp") <= 30
    out["pttl"] = 20000 < cache.pttl("temp") <= 30000
    out["persist"] = cache.persist("temp")
    out["ttl_after_persist"] = cache.ttl("temp")
    out["expire"] = cache.expire("temp", 500)
    out["ttl_after_expire"] = 400 < cache.ttl("temp") <= 500
    out["touch"] = cache.touch("temp", 50)
    out["ttl_after_touch"] = 40 < cache.ttl("temp") <= 50
    cache.set("forever", "f", timeout=None)
    out["ttl_forever"] = cache.ttl("forever")
    out["ttl_missing"] = cache.ttl("nope")
    out["set_negative_timeout_deletes"] = [cache.set("forever", "x", timeout=-1),
                                           cache.get("forever")]

    # Patterns: SCAN MATCH over the prefixed keys.
    for i in range(30):
        cache.set(f"user:{i}", i)
        cache.set(f"session:{i}", i)
    out["keys_user"] = len(cache.keys("user:*"))
    out["iter_keys_session"] = len(list(cache.iter_keys("session:1*")))
    out["delete_pattern"] = cache.delete_pattern("user:*", itersize=7)
    out["keys_user_after"] = cache.keys("user:*")
    out["keys_session_after"] = len(cache.keys("session:*"))
    out["delete"] = [cache.delete("session:0"), cache.delete("session:0")]

    # The lock: redis-py's Lock on the prefixed key.
    lock = cache.lock("report-lock", timeout=10, blocking_timeout=0.2)
    out["lock_acquire"] = lock.acquire()
    out["lock_second"] = cache.lock("report-lock", timeout=10).acquire(blocking_timeout=0.2)
    out["lock_extend"] = lock.extend(10)
    out["lock_ttl"] = 10 < raw.ttl(cache.make_key("report-lock")) <= 20
    lock.release()
    out["lock_released"] = raw.exists(cache.make_key("report-lock"))

    cache.clear()
    out["after_clear"] = raw.dbsize()

    expected = {
        "get_pickled": {"text": "hello", "n": [1, 2, 3]}, "get_missing": "fallback",
        "raw_key_name": ["app:1:greeting"], "add_existing": False, "add_new": True,
        "get_or_set": "made", "get_or_set_again": "made", "set_nx": False,
        "has_key": [True, False], "get_many": {"m1": 1, "m2": "two", "m3": 3.5},
        "ttl_many": [True, True, True], "delete_many": 2, "incr": 11, "incr_by": 16,
        "decr_by": -4, "raw_counter": "-4", "incr_missing": "ValueError",
        "incr_past_int64": 2**63 + 8, "big_ttl_kept": True, "incr_version": 2,
        "versioned_old": None, "versioned_new": "v1", "ttl": True, "pttl": True,
        "persist": True, "ttl_after_persist": None, "expire": True, "ttl_after_expire": True,
        "touch": True, "ttl_after_touch": True, "ttl_forever": None, "ttl_missing": 0,
        "set_negative_timeout_deletes": [True, None], "keys_user": 30,
        "iter_keys_session": 11, "delete_pattern": 30, "keys_user_after": [],
        "keys_session_after": 30, "delete": [True, False], "lock_acquire": True,
        "lock_second": False, "lock_extend": True, "lock_ttl": True, "lock_released": 0,
        "after_clear": 0,
    }
    return report(out, expected)


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))
