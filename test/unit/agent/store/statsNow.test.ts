// Statistics "up to now" when a tick lands between the client reading its clock and the store
// answering: the range ends a moment before the newest tick, inside the open minute. That minute
// is the range's end, not past it — its processes must count. Before, everything in the open
// minute was dropped: a process started in it had no row, and a busy one lost its last seconds.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { silentLogger } from '../../../../agent/log';
import { Store } from '../../../../agent/store';
import { DEFAULT_RETENTION } from '../../../../shared/settings';
import { proc, tick } from '../../../fixtures/store/ticks';

const INTERVAL = 500;
const MINUTE = 60_000;
const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-stats-now-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a range ending just before the newest tick still counts the open minute', async () => {
  const minute = Date.UTC(2026, 0, 9, 20, 59, 0);
  const last = minute + 20_000;
  const store = await Store.open({
    dataDir: dir,
    retention: DEFAULT_RETENTION,
    intervalMs: INTERVAL,
    log: silentLogger,
    now: () => last,
    flushIntervalMs: 3_600_000,
  });
  try {
    // A burner busy since two minutes before; a starter seen only in the open minute.
    for (let ts = minute - 2 * MINUTE; ts <= last; ts += INTERVAL) {
      const rows = [proc(100, minute - 2 * MINUTE - 1000, 'burner', { cpu: 100 })];
      if (ts >= minute + 5_000) rows.push(proc(200, minute + 5_000, 'starter', { cpu: 1 }));
      store.ingest(tick(ts, rows, INTERVAL));
    }
    const q = (to: number) => store.stats({ from: to - 10 * MINUTE, to, groupBy: 'name' });
    const row = (to: number, name: string) => q(to).rows.find((r) => r.name === name);
    // The client's "now", read 200 ms before the newest tick was taken.
    const to = last - 200;
    assert.ok(row(to, 'starter'), 'the process that started in the open minute has its row');
    const burner = row(to, 'burner')!.cpuSeconds;
    const atNow = row(last + 1, 'burner')!.cpuSeconds;
    assert.ok(atNow - burner <= 0.5 + 1e-9, `at most one tick more than the range: ${burner} vs ${atNow}`);
    assert.ok(burner > 130, `two minutes and 20 s of one core: ${burner} s`);
  } finally {
    await store.close();
  }
});
