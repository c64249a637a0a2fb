import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { silentLogger } from '../../../../agent/log';
import { Store } from '../../../../agent/store';
import type { StoreOptions } from '../../../../agent/store/types';
import { DEFAULT_RETENTION } from '../../../../shared/settings';
import { MB, proc, scenario, T0, tick } from '../../../fixtures/store/ticks';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'pt-store-unit-'));
  dirs.push(d);
  return d;
};

const options = (dataDir: string, over: Partial<StoreOptions> = {}): StoreOptions => ({
  dataDir,
  retention: DEFAULT_RETENTION,
  intervalMs: 2000,
  log: silentLogger,
  now: () => T0 + 2 * 3_600_000 + 1000,
  ...over,
});

async function scenarioStore(dir = tempDir(), over: Partial<StoreOptions> = {}): Promise<Store> {
  const store = await Store.open(options(dir, over));
  for (const t of scenario()) store.ingest(t);
  return store;
}

const near = (actual: number | null, expected: number, tolerance = 1e-6) =>
  assert.ok(
    actual !== null && Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${actual} ≈ ${expected}`,
  );

function checkScenarioStats(store: Store) {
  const result = store.stats({ from: T0, to: T0 + 2 * 3_600_000 + 1 });
  const byName = Object.fromEntries(result.rows.map((r) => [r.name, r]));
  assert.deepEqual(
    result.rows.map((r) => r.name),
    ['busy', 'short', 'idle'],
  );
  near(byName.busy!.activeSeconds, 7200);
  near(byName.busy!.cpuSeconds, 3600);
  near(byName.busy!.cpuAvg, 50);
  near(byName.busy!.cpuPeak, 50);
  near(byName.busy!.memAvg, 100 * MB);
  near(byName.busy!.readBytes, 7_200_000);
  near(byName.busy!.writeBytes, 0);
  assert.equal(byName.busy!.starts, 0);
  near(byName.idle!.activeSeconds, 7200);
  near(byName.idle!.cpuSeconds, 0);
  near(byName.idle!.memAvg, 50 * MB);
  near(byName.short!.activeSeconds, 602);
  near(byName.short!.cpuSeconds, 60.2);
  assert.equal(byName.short!.starts, 1);
  assert.equal(byName.short!.instances, 1);
}

describe('store: queries against hand-computed values', () => {
  test('stats over the whole range, live and after reopening read-only', async () => {
    const dir = tempDir();
    const store = await scenarioStore(dir);
    checkScenarioStats(store);
    await store.close();
    const reopened = await Store.open(options(dir, { readOnly: true }));
    checkScenarioStats(reopened);
    await reopened.close();
  });

  test('stats with minute-precise edges and per-identity grouping', async () => {
    const store = await scenarioStore();
    // 10:20–10:40: busy alive the whole 20 minutes, short from 10:20 to 10:20 (ends at T0+1200s).
    const r = store.stats({
      from: T0 + 1_200_000,
      to: T0 + 2_400_000,
      groupBy: 'identity',
      filter: { regex: '^busy$' },
    });
    assert.equal(r.resolution.tier, 'minute');
    assert.equal(r.rows.length, 1);
    assert.deepEqual(r.rows[0]!.identity, { pid: 100, startTime: T0 - 1000 });
    near(r.rows[0]!.activeSeconds, 1200);
    near(r.rows[0]!.cpuSeconds, 600);
    await store.close();
  });

  test('at: an instant from raw samples, idle processes keep their memory', async () => {
    const store = await scenarioStore();
    const r = store.at({ ts: T0 + 900_500 });
    assert.equal(r.resolution.tier, 'raw');
    assert.equal(r.sampleTs, T0 + 900_000);
    assert.deepEqual(
      r.rows.map((p) => [p.name, p.cpu, p.rss]),
      [
        ['busy', 50, 100 * MB],
        ['short', 10, 10 * MB],
        ['idle', 0, 50 * MB],
      ],
    );
    assert.equal(r.rows[0]!.readBps, 1000);
    assert.equal(store.at({ ts: T0 + 900_500, filter: { regex: 'idle' } }).rows.length, 1);
    await store.close();
  });

  test('at: falls back to 1-minute averages once raw files have expired', async () => {
    const store = await scenarioStore(tempDir(), { retention: { ...DEFAULT_RETENTION, rawHours: 1 } });
    await store.flush();
    const r = store.at({ ts: T0 + 900_500 });
    assert.equal(r.resolution.tier, 'minute');
    assert.equal(r.sampleTs, T0 + 900_000);
    near(r.rows.find((p) => p.name === 'busy')!.cpu, 50);
    near(r.rows.find((p) => p.name === 'idle')!.rss, 50 * MB);
    await store.close();
  });

  test('series: resolution follows the range; idle gaps are filled', async () => {
    const store = await scenarioStore();
    const busy = { pid: 100, startTime: T0 - 1000 };
    const fine = store.series({ identity: busy, metric: 'cpu', from: T0, to: T0 + 1_800_000 });
    assert.equal(fine.resolution.label, 'raw samples (2 s)');
    assert.equal(fine.series[0]!.points.length, 899);
    assert.ok(fine.series[0]!.points.every((p) => p.value === 50));
    const coarse = store.series({ name: 'idle', metric: 'rss', from: T0, to: T0 + 7_200_000 });
    assert.equal(coarse.resolution.label, '1-minute averages');
    assert.equal(coarse.series[0]!.points.length, 120);
    assert.ok(coarse.series[0]!.points.every((p) => p.value === 50 * MB));
    const hourly = store.series({ metric: 'machineCpu', from: T0, to: T0 + 7_200_000, maxPoints: 10 });
    assert.equal(hourly.resolution.tier, 'hour');
    assert.deepEqual(
      hourly.series[0]!.points.map((p) => p.value),
      [10, 10],
    );
    await store.close();
  });

  test('export: CSV with a header and JSON, one row per stored sample', async () => {
    const store = await scenarioStore();
    const dir = tempDir();
    const csv = path.join(dir, 'out.csv');
    const { rows } = await store.exportTo(
      { format: 'csv', from: T0, to: T0 + 60_000, filter: { regex: 'busy' } },
      csv,
    );
    assert.equal(rows, 29);
    const lines = (await import('node:fs')).readFileSync(csv, 'utf8').trim().split('\n');
    assert.match(lines[0]!, /^time,tier,pid,start_time,name/);
    assert.equal(lines.length, 30);
    const json = path.join(dir, 'out.json');
    const exported = await store.exportTo({ format: 'json', from: T0, to: T0 + 60_000 }, json);
    const doc = JSON.parse((await import('node:fs')).readFileSync(json, 'utf8'));
    assert.equal(doc.rows.length, exported.rows);
    await store.close();
  });
});

describe('store: export cells a person can read', () => {
  test('CSV rounds CPU to the stored 0.1 % and rates to whole bytes, and cpu_max_pct is never below cpu_pct', async () => {
    const store = await Store.open(options(tempDir()));
    const cpus = [24.35, 8.95, 33.333333, 0.05, 12.25];
    for (const [k, cpu] of cpus.entries()) {
      const ts = T0 + (k + 1) * 2000;
      store.ingest(tick(ts, [proc(100, T0 - 1000, 'odd', { cpu, readBps: 1000 / 3, writeBps: 2 / 3 })]));
    }
    const csv = path.join(tempDir(), 'out.csv');
    await store.exportTo({ format: 'csv', from: T0, to: T0 + 60_000 }, csv);
    const [header, ...lines] = (await import('node:fs')).readFileSync(csv, 'utf8').trim().split('\n');
    const columns = header!.split(',');
    const at = (line: string, name: string) => line.split(',')[columns.indexOf(name)]!;
    assert.equal(lines.length, cpus.length);
    for (const line of lines) {
      for (const name of ['cpu_pct', 'cpu_max_pct'])
        assert.match(at(line, name), /^\d+(\.\d)?$/, `${name} in ${line}`);
      for (const name of ['read_bps', 'write_bps'])
        assert.match(at(line, name), /^\d+$/, `${name} in ${line}`);
      assert.ok(Number(at(line, 'cpu_max_pct')) >= Number(at(line, 'cpu_pct')), line);
    }
    await store.close();
  });
});

describe('store: files', () => {
  test('retention deletes whole expired files', async () => {
    const dir = tempDir();
    const store = await scenarioStore(dir, { retention: { rawHours: 1, minuteDays: 31, hourDays: 366 } });
    await store.flush();
    assert.deepEqual(
      readdirSync(path.join(dir, 'raw')).filter((f) => f.endsWith('.sqlite')),
      ['2026011011.sqlite', '2026011012.sqlite'],
    );
    assert.deepEqual(readdirSync(path.join(dir, 'minute')), ['20260110.sqlite']);
    await store.close();
  });

  test('a tick after reopening continues the same files', async () => {
    const dir = tempDir();
    const store = await scenarioStore(dir);
    await store.close();
    const again = await Store.open(options(dir));
    again.ingest(
      tick(T0 + 7_202_000, [proc(100, T0 - 1000, 'busy', { cpu: 50, rss: 100 * MB, readBps: 1000 })]),
    );
    const r = again.stats({ from: T0, to: T0 + 7_300_000, filter: { regex: '^busy$' } });
    near(r.rows[0]!.activeSeconds, 7202);
    await again.close();
  });

  test('read-only open writes nothing', async () => {
    const dir = tempDir();
    const ro = await Store.open(options(dir, { readOnly: true }));
    ro.ingest(tick(T0 + 2000, [proc(1, 0, 'x')]));
    await ro.close();
    assert.deepEqual(readdirSync(dir), []);
  });

  test('a bad tick value is recorded as unknown, never crashes ingest', async () => {
    const store = await Store.open(options(tempDir()));
    store.ingest(
      tick(T0 + 2000, [proc(1, 0, 'x', { cpu: null, rss: null, readBps: null, writeBps: null, fds: null })]),
    );
    const r = store.at({ ts: T0 + 2000 });
    assert.equal(r.rows[0]!.cpu, null);
    assert.equal(r.rows[0]!.readBps, null);
    await store.close();
  });

  test('files written by flush are whole databases (no temp files left behind)', async () => {
    const dir = tempDir();
    const store = await scenarioStore(dir);
    await store.close();
    for (const tier of ['raw', 'minute', 'hour']) {
      for (const f of readdirSync(path.join(dir, tier))) assert.match(f, /^\d+\.sqlite$/);
    }
    writeFileSync(path.join(dir, 'raw', 'notes.txt'), 'not ours');
    const again = await Store.open(options(dir, { readOnly: true }));
    checkScenarioStats(again);
    await again.close();
  });
});

describe('store: whole days from per-file aggregates', () => {
  test('a full day of minutes: stats read the day file, also the second (cached) time', async () => {
    const day = Date.UTC(2026, 0, 5);
    const store = await Store.open(options(tempDir(), { now: () => day + 2 * 86_400_000 }));
    const meta = {
      pid: 7,
      startTime: day - 1000,
      ppid: 1,
      name: 'daily',
      cmdline: 'daily',
      user: null,
      category: 'other' as const,
      container: null,
    };
    for (let bucket = day; bucket <= day + 86_400_000; bucket += 60_000) {
      const span = {
        ts: bucket,
        firstTs: bucket,
        lastTs: bucket + 58_000,
        spanS: 60,
        cpuS: 30,
        cpuMax: 80,
        rss: 20 * MB,
        rssMax: 20 * MB,
        readB: 10,
        writeB: 0,
        threads: 1,
        fds: 3,
        exitTs: null,
      };
      store.ingestMinute({ bucket, spans: [{ meta, span }], machine: null });
    }
    await store.flush();
    for (let i = 0; i < 2; i++) {
      const r = store.stats({ from: day, to: day + 86_400_000 });
      assert.equal(r.resolution.tier, 'hour');
      near(r.rows[0]!.activeSeconds, 86_400);
      near(r.rows[0]!.cpuSeconds, 43_200);
      near(r.rows[0]!.cpuPeak, 80);
      near(r.rows[0]!.readBytes, 14_400);
      near(r.rows[0]!.memAvg, 20 * MB);
    }
    await store.close();
  });
});
