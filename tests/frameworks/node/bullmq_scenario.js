'use strict';
// BullMQ (ioredis; its Lua scripts, the marker sorted set a Worker waits on with BZPOPMIN, and
// the events stream QueueEvents reads with XREAD BLOCK) against 127.0.0.1:PORT: a Queue, a
// Worker (concurrency 1) with jobs that succeed, a job that fails once and succeeds on its retry
// (attempts and fixed backoff), a job that fails every attempt, a delayed job, results through
// job.waitUntilFinished(queueEvents), the events QueueEvents saw, job counts, a clean close, and
// the keys left.
// Prints "OUTCOME <json>"; exits non-zero on a broken expectation.
// Usage: node bullmq_scenario.js PORT
const { Queue, QueueEvents, Worker } = require('bullmq');
const Redis = require('ioredis');
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
  const connection = { host: '127.0.0.1', port, db: 11 };
  const admin = new Redis(connection);
  await admin.flushdb();
  await admin.quit();
  const queue = new Queue('mq', { connection });
  await queue.waitUntilReady();
  const queueEvents = new QueueEvents('mq', { connection });
  await queueEvents.waitUntilReady();
  const out = {};
  const attempts = {};
  const seen = { completed: [], failed: [], delayed: [], retries_exhausted: [] };
  queueEvents.on('completed', ({ jobId }) => seen.completed.push(jobId));
  queueEvents.on('failed', ({ jobId }) => seen.failed.push(jobId));
  queueEvents.on('delayed', ({ jobId }) => seen.delayed.push(jobId));
  queueEvents.on('retries-exhausted', ({ jobId }) => seen.retries_exhausted.push(jobId));

  const worker = new Worker('mq', async (job) => {
    attempts[job.id] = (attempts[job.id] || 0) + 1;
    switch (job.name) {
      case 'add': return job.data.a + job.data.b;
      case 'flaky':
        if (job.attemptsMade === 0) throw new Error('first attempt fails');
        return `ok after ${job.attemptsMade + 1}`;
      case 'doomed': throw new Error(`doomed ${job.data.n}`);
      default: throw new Error(`unknown job ${job.name}`);
    }
  }, { connection, concurrency: 1 });
  const workerFailures = [];
  worker.on('failed', (job, err) => workerFailures.push(`${job.id}: ${err.message}`));
  await worker.waitUntilReady();

  const sums = await queue.addBulk([1, 2, 3].map((i) => (
    { name: 'add', data: { a: i, b: 10 * i }, opts: { jobId: `add-${i}` } })));
  out.sums = await within(Promise.all(sums.map((j) => j.waitUntilFinished(queueEvents))), 'sums');
  const stored = await queue.getJob('add-2');
  out.stored = { state: await stored.getState(), returnvalue: stored.returnvalue,
    attemptsMade: stored.attemptsMade };

  const flaky = await queue.add('flaky', {},
    { jobId: 'flaky', attempts: 3, backoff: { type: 'fixed', delay: 100 } });
  out.flaky = await within(flaky.waitUntilFinished(queueEvents), 'flaky');
  out.flaky_attempts = attempts.flaky;
  out.flaky_attempts_made = (await queue.getJob('flaky')).attemptsMade;

  const doomed = await queue.add('doomed', { n: 7 },
    { jobId: 'doomed', attempts: 2, backoff: { type: 'fixed', delay: 100 } });
  out.doomed = await within(doomed.waitUntilFinished(queueEvents).then(
    () => 'completed', (e) => `rejected: ${e.message}`), 'doomed');
  const failed = await queue.getJob('doomed');
  out.doomed_job = { state: await failed.getState(), failedReason: failed.failedReason,
    attemptsMade: failed.attemptsMade, stacktraceLines: failed.stacktrace.length };
  out.failed_ids = (await queue.getFailed()).map((j) => j.id);

  const delayed = await queue.add('add', { a: 40, b: 2 }, { jobId: 'later', delay: 500 });
  out.delayed_state_at_once = await delayed.getState();
  out.delayed_result = await within(delayed.waitUntilFinished(queueEvents), 'delayed');
  out.delayed_attempts = attempts.later;

  // Every job is done: the counts, and the events QueueEvents read from the stream.
  out.counts = await queue.getJobCounts('completed', 'failed', 'delayed', 'waiting', 'active',
    'prioritized', 'waiting-children');
  out.completed_ids = (await queue.getCompleted()).map((j) => j.id).sort();
  out.worker_failures = workerFailures;
  await within((async () => {
    while (!seen.completed.includes('later')) await new Promise((r) => setTimeout(r, 20));
  })(), 'events');
  out.events = Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, [...v].sort()]));

  await worker.close();
  await queueEvents.close();
  await queue.close();
  out.closed = true;
  // What is left in the database (the marker and the stalled-check key come and go with timing).
  const after = new Redis(connection);
  const keys = (await after.keys('*')).filter((k) => !/:(marker|stalled-check)$/.test(k)).sort();
  out.keys = await Promise.all(keys.map(async (k) => `${k} ${await after.type(k)}`));
  await after.quit();
  return check(out, {
    sums: [11, 22, 33],
    stored: { state: 'completed', returnvalue: 22, attemptsMade: 1 },
    flaky: 'ok after 2', flaky_attempts: 2, flaky_attempts_made: 2,
    doomed: 'rejected: doomed 7',
    doomed_job: { state: 'failed', failedReason: 'doomed 7', attemptsMade: 2,
      stacktraceLines: 2 },
    failed_ids: ['doomed'],
    delayed_state_at_once: 'delayed', delayed_result: 42, delayed_attempts: 1,
    counts: { completed: 5, failed: 1, delayed: 0, waiting: 0, active: 0, prioritized: 0,
      'waiting-children': 0 },
    completed_ids: ['add-1', 'add-2', 'add-3', 'flaky', 'later'],
    worker_failures: ['flaky: first attempt fails', 'doomed: doomed 7', 'doomed: doomed 7'],
    events: { completed: ['add-1', 'add-2', 'add-3', 'flaky', 'later'],
      failed: ['doomed'], delayed: ['doomed', 'flaky', 'later'], retries_exhausted: ['doomed'] },
    closed: true,
    keys: ['bull:mq:add-1 hash', 'bull:mq:add-2 hash', 'bull:mq:add-3 hash',
      'bull:mq:completed zset', 'bull:mq:doomed hash', 'bull:mq:events stream',
      'bull:mq:failed zset', 'bull:mq:flaky hash', 'bull:mq:id string', 'bull:mq:later hash',
      'bull:mq:meta hash'],
  });
}

main(Number(process.argv[2])).then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(1);
});
