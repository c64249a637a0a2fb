// "Active" of a name is the wall-clock time any of its instances ran within the range, not the sum
// of their lifetimes: three processes of one name alive side by side for an hour are active one hour,
// not three. Real store files, filled through the store's ingest path, queried live and after a
// read-only reopen (the finished day read from its totals sidecar).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { silentLogger } from '../../../../agent/log';
import { Store } from '../../../../agent/store';
import type { StoreOptions } from '../../../../agent/store/types';
import type { StatsRow } from '../../../../shared/model';
import { DEFAULT_RETENTION } from '../../../../shared/settings';
import { proc, tick } from '../../../fixtures/store/ticks';

const HOUR = 3_600_000;
const INTERVAL = 10_000;
// 20:00 on one UTC day to 02:00 two days later: a past day, whole hours, edges and open buckets.
const START = Date.UTC(2026, 0, 9, 20, 0, 0);
const END = START + 30 * HOUR;

const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-active-union-'));
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
    // Three `worker`s side by side all along; `shift` runs one instance per hour, one after another.
    const hour = Math.floor((ts - START - 1) / HOUR);
    const shiftStart = START + hour * HOUR + 1;
    yield tick(
      ts,
      [
        proc(500, START - 1000, 'worker', { cpu: 10 }),
        proc(501, START - 1000, 'worker', { cpu: 10 }),
        proc(502, START - 1000, 'worker', { cpu: 10 }),
        proc(10_000 + hour, shiftStart, 'shift', { cpu: 5 }),
        proc(600, START - 1000, 'single', { cpu: 1 }),
      ],
      INTERVAL,
    );
  }
}

const ranges: Array<[string, number, number]> = [
  ['the whole range (past day, hours, edges, open buckets)', START, END + 1],
  ['whole past hours', START + 6 * HOUR, START + 9 * HOUR],
  ['minute-precise edges', START + 6 * HOUR + 90_000, START + 6 * HOUR + 30 * 60_000],
  ['one hour at the end', END - HOUR, END + 1],
];

function check(store: Store): void {
  for (const [label, from, to] of ranges) {
    const rangeS = (to - from) / 1000;
    const rows = store.stats({ from, to }).rows;
    for (const row of [...rows, ...store.stats({ from, to, groupBy: 'identity' }).rows])
      assert.ok(
        row.activeSeconds <= rangeS + 1e-6,
        `${label}: ${row.name} active ${row.activeSeconds} s > ${rangeS} s`,
      );
    const worker = rows.find((r) => r.name === 'worker') as StatsRow;
    assert.equal(worker.instances, 3, `${label}: three workers`);
    // Within a tick of the range: the first tick of the range may fall just after its start.
    assert.ok(worker.activeSeconds >= rangeS - (2 * INTERVAL) / 1000, `${label}: worker ran all along`);
    // CPU avg is per instance-second: each worker used 10 % of one core.
    assert.ok(Math.abs(worker.cpuAvg! - 10) < 0.5, `${label}: worker CPU avg ${worker.cpuAvg}`);
    const shift = rows.find((r) => r.name === 'shift') as StatsRow;
    assert.ok(shift.activeSeconds <= rangeS + 1e-6, `${label}: shift within the range`);
    assert.ok(
      shift.activeSeconds >= rangeS - (3 * INTERVAL) / 1000,
      `${label}: one shift at a time, all along`,
    );
  }
}

describe('store: Active is the wall-clock union of a name’s instances', () => {
  test('live, on the store that records the ticks', async () => {
    const store = await Store.open(options());
    try {
      for (const t of ticks()) store.ingest(t);
      check(store);
    } finally {
      await store.close();
    }
  });

  test('after a read-only reopen', async () => {
    const store = await Store.open(options({ readOnly: true }));
    try {
      check(store);
    } finally {
      await store.close();
    }
  });
});
