// Statistics of a name whose processes are partly unreadable (another user's /proc/PID/io): the IO
// sums leave those processes out, so they are marked partial — not shown as complete — and a name
// whose IO was never readable has no IO figure at all (null), not 0 B. Real store files, filled
// through the store's ingest path, queried live, after a read-only reopen (day totals sidecars)
// and with the sidecars gone (the day's database).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { silentLogger } from '../../../../agent/log';
import { Store } from '../../../../agent/store';
import type { StoreOptions } from '../../../../agent/store/types';
import type { StatsResult, StatsRow } from '../../../../shared/model';
import { DEFAULT_RETENTION } from '../../../../shared/settings';
import { proc, tick } from '../../../fixtures/store/ticks';

const HOUR = 3_600_000;
const INTERVAL = 10_000;
// 20:00 on one UTC day to 02:00 two days later: a whole past day, whole hours, minute edges and
// the open buckets all take part in a query over the whole range.
const START = Date.UTC(2026, 0, 9, 20, 0, 0);
const END = START + 30 * HOUR;

const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-partial-stats-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const options = (over: Partial<StoreOptions> = {}): StoreOptions => ({
  dataDir: dir,
  retention: DEFAULT_RETENTION,
  intervalMs: INTERVAL,
  log: silentLogger,
  now: () => END + 1000,
  flushIntervalMs: 24 * HOUR,
  ...over,
});

function* ticks() {
  for (let ts = START + INTERVAL; ts <= END; ts += INTERVAL) {
    yield tick(
      ts,
      [
        // One name, two processes: this user's (IO readable) and another user's (IO unreadable).
        proc(500, START - 1000, 'worker', { readBps: 100, writeBps: 10 }),
        proc(501, START - 1000, 'worker', { user: 'root', readBps: null, writeBps: null }),
        // A name whose IO is never readable, and one whose IO always is.
        proc(600, START - 1000, 'hidden', { user: 'root', readBps: null, writeBps: null }),
        proc(700, START - 1000, 'plain', { readBps: 5, writeBps: 0 }),
      ],
      INTERVAL,
    );
  }
}

const byName = (result: StatsResult): Record<string, StatsRow> =>
  Object.fromEntries(result.rows.map((r) => [r.name, r]));

const ranges: Array<[string, number, number]> = [
  ['the whole range (past day, hours, edges, open buckets)', START, END + 1],
  ['whole past hours', START + 6 * HOUR, START + 9 * HOUR],
  ['minute-precise edges', START + 6 * HOUR + 90_000, START + 6 * HOUR + 30 * 60_000],
];

function check(store: Store): void {
  for (const [label, from, to] of ranges) {
    const rows = byName(store.stats({ from, to }));
    const worker = rows.worker!;
    assert.ok(worker.readBytes !== null && worker.readBytes > 0, `${label}: worker read what pid 500 read`);
    assert.deepEqual(worker.partial, ['readBytes', 'writeBytes'], `${label}: worker's IO sums are partial`);
    assert.equal(rows.hidden!.readBytes, null, `${label}: hidden's IO is unknown, not 0`);
    assert.equal(rows.hidden!.writeBytes, null, `${label}: hidden's IO is unknown, not 0`);
    assert.equal(rows.hidden!.partial, undefined, `${label}: unknown is not partial`);
    assert.equal(rows.plain!.partial, undefined, `${label}: plain's sums are complete`);
    assert.equal(rows.plain!.writeBytes, 0, `${label}: plain wrote nothing, and that is known`);
    // Per identity, each sum is one process's: either known or unknown, never partial.
    const identities = store.stats({ from, to, groupBy: 'identity', filter: { regex: '^worker$' } });
    assert.deepEqual(
      identities.rows.map((r) => [r.identity!.pid, r.readBytes === null, r.partial]).sort(),
      [
        [500, false, undefined],
        [501, true, undefined],
      ],
      label,
    );
  }
}

describe('store: statistics over readable and unreadable processes of one name', () => {
  // The tests run in order: the first records the files the others read.
  test('live, on the store that records the ticks', async () => {
    const store = await Store.open(options());
    try {
      for (const t of ticks()) store.ingest(t);
      check(store);
    } finally {
      await store.close();
    }
  });

  test('after a read-only reopen, with the finished day read from its totals sidecar', async () => {
    assert.ok(
      readdirSync(path.join(dir, 'hour')).some((n) => n.endsWith('.totals.json')),
      'the finished day has a sidecar',
    );
    const store = await Store.open(options({ readOnly: true }));
    try {
      check(store);
    } finally {
      await store.close();
    }
  });

  test('with the sidecars gone, the finished day read from its database', async () => {
    for (const n of readdirSync(path.join(dir, 'hour')).filter((n) => n.endsWith('.totals.json')))
      rmSync(path.join(dir, 'hour', n));
    const store = await Store.open(options({ readOnly: true }));
    try {
      check(store);
    } finally {
      await store.close();
    }
  });
});
