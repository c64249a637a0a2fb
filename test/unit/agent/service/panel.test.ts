// The agent's answers to the history panel, on a real store (sql.js files filled through the
// store's ingest path): a young process's page in a long range is fitted to its life and has points
// to draw, a process that ran all along is not fitted, and a range that begins before anything was
// recorded says where history starts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { silentLogger } from '../../../../agent/log';
import { panelDataset, processPage } from '../../../../agent/service/panel';
import { Store } from '../../../../agent/store';
import { DEFAULT_RETENTION } from '../../../../shared/settings';
import { proc, tick } from '../../../fixtures/store/ticks';

const HOUR = 3_600_000;
const INTERVAL = 10_000;
const START = Date.UTC(2026, 0, 9, 20, 0, 0);
const END = START + 30 * HOUR;
const YOUNG = END - 6 * 60_000;

const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-panel-service-'));
let store: Store;

before(async () => {
  store = await Store.open({
    dataDir: dir,
    retention: DEFAULT_RETENTION,
    intervalMs: INTERVAL,
    log: silentLogger,
    now: () => END + 1000,
    flushIntervalMs: 24 * HOUR,
  });
  for (let ts = START + INTERVAL; ts <= END; ts += INTERVAL) {
    const rows = [proc(100, START - 1000, 'steady', { cpu: 20 })];
    if (ts >= YOUNG + 1000) rows.push(proc(200, YOUNG, 'young', { cpu: 50 }));
    store.ingest(tick(ts, rows, INTERVAL));
  }
});

after(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const noDetails = () => Promise.reject(new Error('not running here'));
const drawn = (series: { points: Array<{ value: number | null }> }) =>
  series.points.filter((point) => point.value !== null).length;

describe('agent: the panel’s process page and dataset', () => {
  test('a six-minute-old process at 24 h is fitted to its life and has points', async () => {
    const page = await processPage(store, undefined, noDetails, {
      name: 'young',
      from: END - 24 * HOUR,
      to: END,
      maxPoints: 600,
    });
    assert.equal(page.fitted, true);
    assert.ok(page.from >= YOUNG - 5 * 60_000 && page.from <= YOUNG, `from ${page.from - YOUNG} ms off`);
    assert.equal(page.to, END);
    const cpu = page.series.find((series) => series.metric === 'cpu')!;
    assert.ok(drawn(cpu) >= 2, `${drawn(cpu)} CPU points at ${page.resolution.label}`);
  });

  test('a process that ran all along keeps the asked range', async () => {
    const page = await processPage(store, undefined, noDetails, {
      name: 'steady',
      from: END - 24 * HOUR,
      to: END,
      maxPoints: 600,
    });
    assert.equal(page.fitted, undefined);
    assert.equal(page.from, END - 24 * HOUR);
  });

  test('a range that begins before history names where it starts; one inside history does not', async () => {
    const query = { metric: 'cpu' as const, topN: 3, maxPoints: 600, rows: 50, to: END };
    const before = await panelDataset(store, undefined, { ...query, from: START - 3 * 24 * HOUR });
    assert.ok(before.historyStart !== null && before.historyStart !== undefined, 'historyStart is set');
    assert.ok(
      Math.abs(before.historyStart - START) <= HOUR,
      `history starts ${(before.historyStart - START) / 60_000} min from the first tick`,
    );
    const early = await panelDataset(store, undefined, { ...query, from: START - 12 * HOUR });
    assert.ok(early.historyStart !== null && Math.abs(early.historyStart! - START) <= HOUR, 'same day too');
    const inside = await panelDataset(store, undefined, { ...query, from: START + 6 * HOUR });
    assert.equal(inside.historyStart, null);
  });
});
