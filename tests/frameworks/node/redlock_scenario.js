'use strict';
// redlock 4 (ioredis) against 127.0.0.1:PORT, with three "servers" (databases 7, 8 and 9 of
// the one server, each through its own connection) so the quorum logic runs: its Lua lock,
// unlock and extend scripts through EVALSHA, the NOSCRIPT fallback to EVAL, multi-key locks.
// Prints "OUTCOME <json>"; exits non-zero on a broken expectation.
// Usage: node redlock_scenario.js PORT
const Redis = require('ioredis');
const Redlock = require('redlock');
const { check } = require('./scenario_util');

async function main(port) {
  const clients = [7, 8, 9].map((db) => new Redis({ host: '127.0.0.1', port, db }));
  await Promise.all(clients.map((c) => c.flushdb()));
  await clients[0].script('FLUSH');  // so the first EVALSHA answers NOSCRIPT
  const redlock = new Redlock(clients, { retryCount: 0, driftFactor: 0.01 });
  const patient = new Redlock(clients, { retryCount: 50, retryDelay: 20, retryJitter: 0 });
  const out = {};

  const lock = await redlock.lock('locks:report', 10000);
  out.lock_value_everywhere = (await Promise.all(clients.map((c) => c.get('locks:report'))))
    .every((v) => v === lock.value);
  out.pttl_set = (await Promise.all(clients.map((c) => c.pttl('locks:report'))))
    .every((t) => t > 0 && t <= 10000);
  try {
    await redlock.lock('locks:report', 10000);
    out.second_lock = 'acquired';
  } catch (e) {
    out.second_lock = e.name;
  }
  const extended = await lock.extend(30000);
  out.extended_pttl = (await Promise.all(clients.map((c) => c.pttl('locks:report'))))
    .every((t) => t > 10000 && t <= 30000);
  out.extended_same_value = extended.value === lock.value;

  // A waiting acquirer gets the lock once the holder unlocks.
  const waiting = patient.lock('locks:report', 5000);
  setTimeout(() => extended.unlock(), 100);
  const next = await waiting;
  out.waiter_got_it = (await clients[1].get('locks:report')) === next.value;
  // The old holder's unlock and extend are refused: the keys hold another value now.
  try {
    await lock.extend(1000);
    out.stale_extend = 'extended';
  } catch (e) {
    out.stale_extend = e.name;
  }
  await next.unlock();
  out.keys_after_unlock = (await Promise.all(clients.map((c) => c.exists('locks:report'))));

  // A lock on several resources at once; one of them already held makes the whole lock fail.
  const multi = await redlock.lock(['locks:a', 'locks:b'], 10000);
  out.multi_keys = (await Promise.all(['locks:a', 'locks:b'].map((k) => clients[2].get(k))))
    .every((v) => v === multi.value);
  try {
    await redlock.lock(['locks:b', 'locks:c'], 10000);
    out.multi_overlap = 'acquired';
  } catch (e) {
    out.multi_overlap = e.name;
  }
  out.partial_not_left = await clients[0].exists('locks:c');
  await multi.unlock();

  // A lock that runs out is free again.
  const brief = await redlock.lock('locks:brief', 50);
  while (await clients[0].exists('locks:brief')) await new Promise((r) => setTimeout(r, 20));
  out.after_expiry = (await redlock.lock('locks:brief', 10000)).value !== brief.value;

  out.scripts_cached = await clients[0].script('EXISTS', ...Object.values(redlock.scripts)
    .map((s) => s.hash));

  await Promise.all(clients.map((c) => c.quit()));
  return check(out, {
    lock_value_everywhere: true, pttl_set: true, second_lock: 'LockError',
    extended_pttl: true, extended_same_value: true, waiter_got_it: true,
    stale_extend: 'LockError', keys_after_unlock: [0, 0, 0], multi_keys: true,
    multi_overlap: 'LockError', partial_not_left: 0, after_expiry: true,
    scripts_cached: [1, 1, 1],
  });
}

main(Number(process.argv[2])).then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(1);
});
