import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../../agent/log';
import { Scheduler } from '../../../agent/scheduler';

const waitFor = async (condition: () => boolean, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

test('ticks never overlap and skip slots a long tick covered', async () => {
  let active = 0;
  let overlapped = false;
  let calls = 0;
  const scheduler = new Scheduler(
    20,
    async () => {
      active++;
      overlapped ||= active > 1;
      calls++;
      await new Promise((r) => setTimeout(r, calls === 2 ? 70 : 1));
      active--;
    },
    silentLogger,
  );
  scheduler.start();
  await waitFor(() => calls >= 6);
  await scheduler.stop();
  assert.equal(overlapped, false);
  assert.ok(scheduler.stats.skipped >= 2, `skipped ${scheduler.stats.skipped}`);
});

test('failures back off and a recovery resets the cadence', async () => {
  let calls = 0;
  const times: number[] = [];
  const scheduler = new Scheduler(
    10,
    async () => {
      times.push(performance.now());
      if (++calls <= 3) throw new Error('boom');
    },
    silentLogger,
  );
  scheduler.start();
  await waitFor(() => calls >= 5);
  await scheduler.stop();
  assert.equal(scheduler.stats.failures, 3);
  // Backoff doubles: 20 ms, 40 ms, 80 ms after the 1st, 2nd, 3rd failure.
  assert.ok(times[3]! - times[2]! >= 75, `third gap ${times[3]! - times[2]!}`);
});

test('stop waits for a tick in progress', async () => {
  let finished = false;
  const scheduler = new Scheduler(
    1000,
    async () => {
      await new Promise((r) => setTimeout(r, 50));
      finished = true;
    },
    silentLogger,
  );
  scheduler.start();
  await new Promise((r) => setTimeout(r, 10));
  await scheduler.stop();
  assert.equal(finished, true);
});

test('clearFor: at once when the next tick is far enough off, else right after that tick', async () => {
  let ticks = 0;
  // A 1 s interval: the "far enough off" checks keep ~950 ms of margin on a loaded machine (at
  // 300 ms, a CI run's await came back late enough for the next tick to be under 50 ms off).
  const scheduler = new Scheduler(1000, async () => void ticks++, silentLogger);
  scheduler.start();
  await waitFor(() => ticks >= 1);
  assert.equal(scheduler.clearFor(10), null, 'just after a tick, the next is ~1 s off');
  const before = ticks;
  const waiting = scheduler.clearFor(2000);
  assert.ok(waiting, 'more than an interval: wait for the next tick');
  await waiting;
  assert.equal(ticks, before + 1, 'released right after the next tick has run');
  assert.equal(scheduler.clearFor(50), null, 'and the one after it is an interval away');
  const atStop = scheduler.clearFor(10_000);
  await scheduler.stop();
  await atStop;
  assert.equal(scheduler.clearFor(10), null, 'stopped: nothing to wait for');
});
