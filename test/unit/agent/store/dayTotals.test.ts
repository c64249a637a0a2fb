// Day totals sidecars: written when a day file is finished, read by month statistics instead of
// the database, ignored when stale or broken, removed with their day file by retention.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { silentLogger } from '../../../../agent/log';
import { generateHistory, Store } from '../../../../agent/store';
import { readTotals } from '../../../../agent/store/dayTotals';
import type { StoreOptions } from '../../../../agent/store/types';
import { DEFAULT_RETENTION } from '../../../../shared/settings';

const DAY = 86_400_000;
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

// A fixed UTC day and the store's clock pinned to a time of it: which day files exist, which are
// finished and which is live depends on the time of day, so the test must not take it from the wall.
const DAY0 = Date.UTC(2026, 10, 24);
const atHour = (hours: number) => DAY0 + hours * 3_600_000;

const options = (dataDir: string, now: number, over: Partial<StoreOptions> = {}): StoreOptions => ({
  dataDir,
  retention: DEFAULT_RETENTION,
  intervalMs: 2000,
  log: silentLogger,
  flushIntervalMs: 3_600_000,
  now: () => now,
  ...over,
});

/** `days` of history ending at `now`, its last hour fed as live ticks; the data folder. */
async function generated(now: number, days: number): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-day-totals-'));
  dirs.push(dir);
  const store = await Store.open(options(dir, now));
  await generateHistory(store, { days, processes: 30, activeShare: 0.3, endTs: now, rawHours: 1, seed: 7 });
  await store.close();
  return dir;
}

const dayName = (ts: number) => `${new Date(ts).toISOString().slice(0, 10).replaceAll('-', '')}.totals.json`;

const sidecars = (dir: string) =>
  readdirSync(path.join(dir, 'hour'))
    .filter((n) => n.endsWith('.totals.json'))
    .sort();

/** Every hour-tier day file but today's, as the sidecar names they should have. */
const finishedDays = (dir: string, now: number) => {
  const today = new Date(now).toISOString().slice(0, 10).replaceAll('-', '');
  return readdirSync(path.join(dir, 'hour'))
    .filter((n) => n.endsWith('.sqlite') && !n.startsWith(today))
    .map((n) => n.replace('.sqlite', '.totals.json'))
    .sort();
};

describe('store: day totals sidecars', () => {
  // Half past midnight: yesterday's last hour is in its file, while today's hour file does not
  // exist yet (today's first hour has not closed), so yesterday's file is still the live one.
  const now = atHour(0.5);
  const range = { from: Math.floor(now / DAY) * DAY - 3 * DAY, to: now };
  let dir = '';
  let reference: unknown;

  const statsNow = async () => {
    const store = await Store.open(options(dir, now, { readOnly: true }));
    try {
      return store.stats(range).rows;
    } finally {
      await store.close();
    }
  };

  before(async () => {
    dir = await generated(now, 4);
  });

  test('every finished day gets one, today does not', () => {
    assert.deepEqual(sidecars(dir), finishedDays(dir, now));
    assert.ok(sidecars(dir).length >= 4);
  });

  test('statistics from the sidecars equal those from the databases', async () => {
    reference = await statsNow();
    assert.ok((reference as unknown[]).length > 0);
    const saved = new Map(sidecars(dir).map((n) => [n, readFileSync(path.join(dir, 'hour', n))]));
    for (const n of saved.keys()) rmSync(path.join(dir, 'hour', n));
    assert.deepEqual(await statsNow(), reference);
    for (const [n, bytes] of saved) writeFileSync(path.join(dir, 'hour', n), bytes);
  });

  test('a sidecar is what the query reads while it matches its database', async () => {
    const name = dayName(range.from + DAY);
    const file = path.join(dir, 'hour', name);
    const original = readFileSync(file, 'utf8');
    const sidecar = JSON.parse(original) as { columns: string[]; rows: unknown[][] };
    const cpu = sidecar.columns.indexOf('cpu_s');
    for (const row of sidecar.rows) if (typeof row[cpu] === 'number') row[cpu] = (row[cpu] as number) + 1e6;
    writeFileSync(file, JSON.stringify(sidecar));
    try {
      assert.notDeepEqual(await statsNow(), reference, 'the doctored sidecar was not read');
      // Once the database changes (here: its mtime), the same sidecar is stale and ignored.
      const db = file.replace('.totals.json', '.sqlite');
      utimesSync(db, new Date(), new Date(now + 5_000));
      assert.deepEqual(await statsNow(), reference);
    } finally {
      writeFileSync(file, original);
    }
  });

  test('a copy that keeps timestamps (fs.cpSync rounds them to the millisecond) keeps its sidecars', () => {
    const copy = mkdtempSync(path.join(os.tmpdir(), 'pt-day-totals-copy-'));
    dirs.push(copy);
    cpSync(dir, copy, { recursive: true, preserveTimestamps: true });
    const current = sidecars(dir)
      .map((n) => n.replace('.totals.json', '.sqlite'))
      .filter((n) => readTotals(path.join(dir, 'hour', n)) !== null);
    assert.ok(current.length >= 2);
    for (const name of current) {
      assert.notEqual(
        readTotals(path.join(copy, 'hour', name)),
        null,
        `${name}'s sidecar was not used in the copy`,
      );
    }
  });

  test('a broken sidecar is ignored, and a writable store rebuilds it', async () => {
    const name = dayName(range.from);
    const file = path.join(dir, 'hour', name);
    writeFileSync(file, '{"format":1,"dbSize":');
    assert.deepEqual(await statsNow(), reference);
    const store = await Store.open(options(dir, now));
    store.stats(range);
    await store.close();
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).format, 1);
  });

  test('retention deletes a sidecar with its day file', async () => {
    const store = await Store.open(
      options(dir, now, { retention: { ...DEFAULT_RETENTION, hourDays: 1, minuteDays: 1 } }),
    );
    await store.flush();
    await store.close();
    const days = readdirSync(path.join(dir, 'hour')).filter((n) => n.endsWith('.sqlite'));
    assert.ok(days.length <= 2);
    for (const n of sidecars(dir)) assert.ok(days.includes(n.replace('.totals.json', '.sqlite')), n);
  });
});

describe('store: a finished day gets its sidecar whatever the time of day', () => {
  // 01:30: yesterday's last hour closed at midnight and was flushed while its file was still the
  // live one; the file rolls over only when today's first hour closes at 01:00, unchanged since.
  // 13:00: yesterday rolled over long before the last flush.
  for (const [label, hours] of [
    ['01:30', 1.5],
    ['13:00', 13],
  ] as const) {
    test(`at ${label}`, async () => {
      const now = atHour(hours);
      const dir = await generated(now, 2);
      assert.deepEqual(sidecars(dir), finishedDays(dir, now));
      assert.ok(sidecars(dir).includes(dayName(now - DAY)), `yesterday's sidecar at ${label}`);
    });
  }
});
