'use strict';
// Bull 4 (ioredis; lists, sorted sets, hashes, pub/sub and its Lua scripts, no streams) against
// 127.0.0.1:PORT: a producer queue and a separate worker queue object, jobs with results, a
// delayed job, a job retried with backoff, a failing job, priorities, pause/resume, job counts
// and clean. Prints "OUTCOME <json>"; exits non-zero on a broken expectation.
// Usage: node bull_scenario.js PORT
const Queue = require('bull');
const { check } = require('./scenario_util');

const GUARD_MS = 60000;  // failure guard for every wait, never an expectation

function within(promise, what) {
  let timer;
  const guard = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within the guard timeout`)), GUARD_MS);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

async function main(port) {
  const redis = { host: '127.0.0.1', port, db: 10 };
  const producer = new Queue('work', { redis });
  await producer.client.flushdb();
  const worker = new Queue('work', { redis });
  const out = {};
  const order = [];
  const attempts = {};

  worker.process('math', 1, async (job) => job.data.a + job.data.b);
  worker.process('flaky', 1, async (job) => {
    attempts[job.data.tag] = (attempts[job.data.tag] || 0) + 1;
    if (job.attemptsMade === 0) throw new Error('first attempt fails');
    return `ok after ${job.attemptsMade + 1}`;
  });
  worker.process('doomed', 1, async () => { throw new Error('doomed'); });
  worker.process('ordered', 1, async (job) => { order.push(job.data.name); });

  const sum = await producer.add('math', { a: 2, b: 3 });
  out.result = await within(sum.finished(), 'math');
  const stored = await producer.getJob(sum.id);
  out.stored_state = await stored.getState();
  out.stored_return = stored.returnvalue;

  const delayed = await producer.add('math', { a: 10, b: 5 }, { delay: 1000 });
  out.delayed_state_at_once = await delayed.getState();
  out.delayed_result = await within(delayed.finished(), 'delayed');

  const flaky = await producer.add('flaky', { tag: 'f' },
    { attempts: 3, backoff: { type: 'fixed', delay: 100 } });
  out.flaky_result = await within(flaky.finished(), 'flaky');
  out.flaky_attempts = attempts.f;

  const doomed = await producer.add('doomed', {}, { attempts: 1 });
  out.doomed = await within(doomed.finished().then(() => 'completed', (e) => e.message), 'doomed');
  out.failed_reason = (await producer.getJob(doomed.id)).failedReason;

  // Paused, the queue holds jobs; resumed, higher priorities (lower numbers) run first.
  await producer.pause();
  const ordered = await Promise.all([['low', 10], ['high', 1], ['mid', 5]].map(
    ([name, priority]) => producer.add('ordered', { name }, { priority })));
  out.waiting_while_paused = (await producer.getJobCounts()).paused;
  await producer.resume();
  await within(Promise.all(ordered.map((j) => j.finished())), 'ordered');
  out.priority_order = order;

  // A job the consumer's global events report as completed (pub/sub across connections).
  const globalDone = new Promise((resolve) => worker.on('global:completed',
    (id, result) => { if (String(id) === 'custom-id') resolve(JSON.parse(result)); }));
  await producer.add('math', { a: 20, b: 22 }, { jobId: 'custom-id' });
  out.global_completed = await within(globalDone, 'global:completed');

  const counts = await producer.getJobCounts();
  out.counts = { completed: counts.completed, failed: counts.failed, waiting: counts.waiting,
    delayed: counts.delayed, active: counts.active };
  out.cleaned_failed = (await producer.clean(0, 'failed')).length;
  out.failed_after_clean = await producer.getFailedCount();

  await worker.close();
  await producer.close();
  return check(out, {
    result: 5, stored_state: 'completed', stored_return: 5, delayed_state_at_once: 'delayed',
    delayed_result: 15, flaky_result: 'ok after 2', flaky_attempts: 2, doomed: 'doomed',
    failed_reason: 'doomed', waiting_while_paused: 3, priority_order: ['high', 'mid', 'low'],
    global_completed: 42,
    counts: { completed: 7, failed: 1, waiting: 0, delayed: 0, active: 0 },
    cleaned_failed: 1, failed_after_clean: 0,
  });
}

main(Number(process.argv[2])).then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(1);
});
