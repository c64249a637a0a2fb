// Live ingest keeps idle identities' spans pending and delivers them summed (recorder.ts); WAL
// replay applies every span tick by tick. Both must leave the same history behind.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { silentLogger } from '../../../../agent/log';
import { Store } from '../../../../agent/store';
import type { StoreOptions } from '../../../../agent/store/types';
import type { ProcessRow, Tick } from '../../../../shared/model';
import { DEFAULT_RETENTION } from '../../../../shared/settings';
import { MB, proc, T0, tick } from '../../../fixtures/store/ticks';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'pt-store-idle-'));
  dirs.push(d);
  return d;
};

const options = (dataDir: string, over: Partial<StoreOptions> = {}): StoreOptions => ({
  dataDir,
  retention: DEFAULT_RETENTION,
  intervalMs: 2000,
  log: silentLogger,
  now: () => T0 + 3 * 3_600_000,
  flushIntervalMs: 3_600_000,
  ...over,
});

/**
 * 75 minutes (crossing a raw hour file) of: two idle processes whose row objects are reused tick
 * after tick as the sampler does, one that wakes every 37 ticks, one whose memory steps up once,
 * one that exits mid-minute, one that starts late, and uneven tick spacing.
 */
function* mixed(): Generator<Tick> {
  const sleeperA = proc(10, T0 - 5000, 'sleeper', { rss: 5 * MB });
  const sleeperB = proc(11, T0 - 5000, 'sleeper', { rss: 7 * MB, readBps: null, writeBps: null });
  const idleWaker = proc(12, T0 - 5000, 'waker', { rss: 20 * MB });
  let grower = proc(13, T0 - 5000, 'grower', { rss: 30 * MB });
  const leaver = proc(14, T0 - 5000, 'leaver', { rss: 9 * MB });
  const late = proc(15, T0 + 1_000_000, 'late', { rss: 3 * MB });
  let ts = T0;
  for (let k = 1; k <= 2200; k++) {
    const elapsed = k % 7 === 0 ? 2150 : 1950 + (k % 5) * 20;
    ts += elapsed;
    const rows: ProcessRow[] = [sleeperA, sleeperB];
    rows.push(
      k % 37 === 0 ? proc(12, T0 - 5000, 'waker', { rss: 20 * MB, cpu: 12.5, writeBps: 4096 }) : idleWaker,
    );
    if (k === 900) grower = proc(13, T0 - 5000, 'grower', { rss: 60 * MB });
    rows.push(grower);
    if (k < 1015) rows.push(leaver);
    if (ts >= late.startTime) rows.push(late);
    yield tick(ts, rows, elapsed);
  }
}

const close = (a: number | null, b: number | null) =>
  a === b || (a !== null && b !== null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)));

function assertSameNumbers(actual: unknown, expected: unknown, where = 'result'): void {
  if (typeof actual === 'number' && typeof expected === 'number') {
    assert.ok(close(actual, expected), `${where}: ${actual} vs ${expected}`);
    return;
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    assert.equal(actual.length, expected.length, `${where}: length`);
    actual.forEach((v, i) => assertSameNumbers(v, expected[i], `${where}[${i}]`));
    return;
  }
  if (actual && expected && typeof actual === 'object' && typeof expected === 'object') {
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${where}: keys`);
    for (const key of Object.keys(actual))
      assertSameNumbers(
        (actual as Record<string, unknown>)[key],
        (expected as Record<string, unknown>)[key],
        `${where}.${key}`,
      );
    return;
  }
  assert.deepEqual(actual, expected, where);
}

describe('store: idle identities cost nothing per tick, and lose nothing', () => {
  test('live ingest and WAL replay of the same ticks answer every query alike', async () => {
    const liveDir = tempDir();
    const live = await Store.open(options(liveDir));
    const ticks = [...mixed()];
    for (const t of ticks) live.ingest(t);
    // A crash now: the copy's history since the last flush is rebuilt by replaying the WAL,
    // which applies every identity's span tick by tick.
    const replayedDir = tempDir();
    cpSync(liveDir, replayedDir, { recursive: true });
    const replayed = await Store.open(options(replayedDir, { readOnly: true }));

    const from = T0;
    const to = ticks.at(-1)!.ts + 1;
    for (const groupBy of ['name', 'identity'] as const) {
      assertSameNumbers(
        live.stats({ from, to, groupBy }),
        replayed.stats({ from, to, groupBy }),
        `stats ${groupBy}`,
      );
    }
    assertSameNumbers(
      live.stats({ from: T0 + 1_234_567, to: T0 + 3_000_000 }),
      replayed.stats({ from: T0 + 1_234_567, to: T0 + 3_000_000 }),
      'stats partial',
    );
    for (const ts of [T0 + 30_000, T0 + 1_000_000, T0 + 3_599_000, T0 + 3_700_000, ticks.at(-1)!.ts]) {
      assertSameNumbers(live.at({ ts }), replayed.at({ ts }), `at ${ts}`);
    }
    for (const metric of ['cpu', 'rss'] as const) {
      for (const name of ['sleeper', 'waker', 'grower', 'leaver']) {
        assertSameNumbers(
          live.series({ name, metric, from, to }),
          replayed.series({ name, metric, from, to }),
          `series ${name} ${metric}`,
        );
      }
    }
    const liveCsv = path.join(liveDir, 'export.csv');
    const replayedCsv = path.join(replayedDir, 'export.csv');
    await live.exportTo({ format: 'csv', from, to }, liveCsv);
    await replayed.exportTo({ format: 'csv', from, to }, replayedCsv);
    assert.equal(readFileSync(liveCsv, 'utf8'), readFileSync(replayedCsv, 'utf8'));
    await replayed.close();
    await live.close();
  });

  test('an idle stretch is counted in full: alive time and memory of a process that never changes', async () => {
    const store = await Store.open(options(tempDir()));
    const idle = proc(10, T0 - 5000, 'idle', { rss: 64 * MB });
    // 10 minutes of one unchanged row object, then queried mid-minute (pending spans unsettled).
    for (let k = 1; k <= 315; k++) store.ingest(tick(T0 + k * 2000, [idle]));
    const row = store.stats({ from: T0, to: T0 + 700_000 }).rows[0]!;
    assert.equal(row.name, 'idle');
    assert.ok(Math.abs(row.activeSeconds - 630) < 1e-6, `alive ${row.activeSeconds} s`);
    assert.ok(Math.abs(row.memAvg! - 64 * MB) < 1, `memory ${row.memAvg}`);
    assert.equal(row.cpuSeconds, 0);
    await store.close();
  });
});
