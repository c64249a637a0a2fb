// The workday shape of generated history (demo-data's): programs keep their own habits, the machine
// is busier in working hours than at night, kernel threads hold no memory, and one process leaks.
// Read back through the store's own queries, from real sql.js files.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { silentLogger } from '../../../../agent/log';
import { generateHistory, Store } from '../../../../agent/store';
import { DEFAULT_RETENTION } from '../../../../shared/settings';
import type { StatsRow } from '../../../../shared/model';

const HOUR = 3_600_000;
// A Wednesday at 23:00 local time: the day before it is a whole weekday of hour-tier history.
const END = new Date(2026, 10, 25, 23, 0, 0).getTime();
const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-workday-'));
let store: Store;
let rows: StatsRow[];
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

before(async () => {
  store = await Store.open({
    dataDir: dir,
    retention: DEFAULT_RETENTION,
    intervalMs: 2000,
    log: silentLogger,
    now: () => END,
    flushIntervalMs: 24 * HOUR,
  });
  await generateHistory(store, {
    days: 2,
    processes: 120,
    endTs: END,
    rawHours: 1,
    seed: 3,
    shape: 'workday',
  });
  rows = store.stats({ from: END - 2 * 24 * HOUR, to: END, groupBy: 'name', n: 100 }).rows;
});

const row = (name: string) => rows.find((r) => r.name === name)!;

test('each program keeps its habits: a browser uses far more CPU than sshd, a build tool peaks high', () => {
  assert.ok(
    row('chrome').cpuSeconds > 20 * row('sshd').cpuSeconds,
    `${row('chrome').cpuSeconds} vs ${row('sshd').cpuSeconds}`,
  );
  assert.ok(row('cargo').cpuPeak! > 50, `cargo's peak ${row('cargo').cpuPeak}`);
  assert.ok(row('code').memPeak! > 10 * row('bash').memPeak!, 'an editor holds more than a shell');
  assert.equal(row('postgres').category, 'database');
  assert.equal(row('chrome').category, 'browser');
});

test('a kernel thread holds no memory and has no command line', () => {
  assert.equal(row('kworker/0:1').memPeak, 0);
  const at = store.at({ ts: END - 10 * 60_000 });
  const kworker = at.rows.find((r) => r.name === 'kworker/0:1')!;
  assert.equal(kworker.cmdline, '');
  assert.equal(kworker.ppid, 2);
});

test('the machine is busier in working hours than at night', () => {
  const day = new Date(END);
  const atHour = (h: number) => new Date(day.getFullYear(), day.getMonth(), day.getDate() - 1, h).getTime();
  const cpu = (from: number) =>
    store
      .series({ metric: 'machineCpu', from, to: from + HOUR, maxPoints: 10 })
      .series[0]!.points.map((p) => p.value ?? 0);
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const working = mean(cpu(atHour(11)));
  const night = mean(cpu(atHour(3)));
  assert.ok(working > 4 * night, `11:00 ${working.toFixed(2)} % vs 03:00 ${night.toFixed(2)} %`);
});
