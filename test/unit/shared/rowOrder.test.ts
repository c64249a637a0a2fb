// One order for process rows wherever they are listed: the live top and tree (agent/service/tickRows.ts),
// the CLI's `run` screen (agent/cli/runScreen.ts) and a past instant (`at`, agent/store/queries/at.ts).
// Unknown figures come last and equal figures are ordered by PID as a number.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { liveTop } from '../../../agent/cli/runScreen';
import { silentLogger } from '../../../agent/log';
import { topRows } from '../../../agent/service/tickRows';
import { Store } from '../../../agent/store';
import { DEFAULT_RETENTION } from '../../../shared/settings';
import type { ProcessRow, SortKey } from '../../../shared/model';
import { compareRows, ioRate, sortRows } from '../../../shared/rowOrder';
import { MB, proc, T0, tick } from '../../fixtures/store/ticks';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const unknown = { cpu: null, rss: null, readBps: null, writeBps: null };
// Listed as text would list them (1, 10, 100, 11, 3, 50, 7), as a directory listing might.
const ROWS: ProcessRow[] = [
  proc(1, T0 - 5000, 'b', { cpu: 5 }),
  proc(10, T0 - 5000, 'b', { cpu: 5 }),
  proc(100, T0 - 5000, 'b', { cpu: 5 }),
  proc(11, T0 - 5000, 'b', { cpu: 5 }),
  proc(3, T0 - 5000, 'c', unknown),
  proc(50, T0 - 5000, 'z', { cpu: 9, rss: 20 * MB, readBps: 100 }),
  proc(7, T0 - 5000, 'c', unknown),
];

const EXPECTED: Record<SortKey, number[]> = {
  cpu: [50, 1, 10, 11, 100, 3, 7],
  mem: [50, 1, 10, 11, 100, 3, 7],
  io: [50, 1, 10, 11, 100, 3, 7],
  name: [1, 10, 11, 100, 3, 7, 50],
};

const pids = (rows: readonly ProcessRow[]) => rows.map((r) => r.pid);

describe('one row order everywhere: unknown last, ties by PID as a number', () => {
  test('the live top (TopRequest, the tree and the processes list)', () => {
    for (const sort of Object.keys(EXPECTED) as SortKey[]) {
      assert.deepEqual(pids(topRows(ROWS, { n: 100, sort }).rows), EXPECTED[sort], `sort ${sort}`);
    }
  });

  test("the CLI's live screen", () => {
    const text = liveTop(tick(T0 + 2000, ROWS), 100);
    // After the time+machine line and the header, each line starts with its PID.
    const listed = text
      .trim()
      .split('\n')
      .slice(2)
      .map((line) => Number(line.trim().split(/\s+/)[0]));
    assert.deepEqual(listed, EXPECTED.cpu);
  });

  test('a past instant (`at`)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-row-order-'));
    dirs.push(dir);
    const store = await Store.open({
      dataDir: dir,
      retention: DEFAULT_RETENTION,
      intervalMs: 2000,
      log: silentLogger,
      now: () => T0 + 10_000,
    });
    try {
      store.ingest(tick(T0 + 2000, ROWS));
      for (const sort of Object.keys(EXPECTED) as SortKey[]) {
        assert.deepEqual(pids(store.at({ ts: T0 + 2000, sort }).rows), EXPECTED[sort], `sort ${sort}`);
      }
    } finally {
      await store.close();
    }
  });
});

describe('compareRows', () => {
  test('every sort key: unknown after 0, ties by PID as a number, whatever the input order', () => {
    for (const sort of Object.keys(EXPECTED) as SortKey[]) {
      assert.deepEqual(pids(sortRows(ROWS, sort)), EXPECTED[sort], `sort ${sort}`);
      assert.deepEqual(pids(sortRows([...ROWS].reverse(), sort)), EXPECTED[sort], `sort ${sort}, reversed`);
    }
  });

  test('two unknown figures are equal (not NaN), so PID decides', () => {
    const [a, b] = [proc(9, 0, 'x', unknown), proc(2, 0, 'x', unknown)];
    for (const sort of ['cpu', 'mem', 'io'] as const) {
      assert.equal(compareRows(sort)(a, b) > 0, true, sort);
      assert.equal(compareRows(sort)(b, a) < 0, true, sort);
      assert.equal(compareRows(sort)(a, a), 0, sort);
    }
  });

  test('IO is unknown only when both directions are', () => {
    assert.equal(ioRate({ readBps: null, writeBps: null }), null);
    assert.equal(ioRate({ readBps: null, writeBps: 0 }), 0);
    assert.equal(ioRate({ readBps: 3, writeBps: 4 }), 7);
  });
});
