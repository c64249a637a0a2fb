// The store's benchmark (issue 2, "Performance"): ingest cost per tick at 600 processes, flush
// and export times, file sizes per generated day, RSS of an agent-like process over 1 and 30 days
// of history, and the query timings. `runStoreBench()` returns the figures; run directly to print
// them. STORE_BENCH_DAYS (30) and STORE_BENCH_RAW_HOURS (24) size the generated history.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { silentLogger } from '../agent/log';
import { generateHistory, Store } from '../agent/store';
import { loadSqlJs } from '../agent/store/sqljs';
import type { StoreOptions } from '../agent/store/types';
import { CATEGORIES, type ProcessRow, type Tick } from '../shared/model';
import { DEFAULT_RETENTION } from '../shared/settings';
import { namedRange } from '../shared/time';

const PROCESSES = 600;
const INTERVAL_MS = 2000;

const storeOptions = (dataDir: string, over: Partial<StoreOptions> = {}): StoreOptions => ({
  dataDir,
  retention: DEFAULT_RETENTION,
  intervalMs: INTERVAL_MS,
  log: silentLogger,
  flushIntervalMs: 3_600_000,
  ...over,
});

/** Ticks `from` … `from + count - 1` of a run that began at `start` (same identities throughout). */
function* ticks(start: number, count: number, from = 0): Generator<Tick> {
  for (let k = from; k < from + count; k++) yield tick(start, k);
}

function tick(start: number, k: number): Tick {
  {
    const ts = start + k * INTERVAL_MS;
    const processes: ProcessRow[] = Array.from({ length: PROCESSES }, (_, i) => ({
      pid: 10_000 + i,
      startTime: start - 3_600_000 - i,
      ppid: 1,
      name: `proc${i % 40}`,
      cmdline: `/usr/bin/proc${i % 40} --worker ${i}`,
      user: 'bench',
      category: CATEGORIES[i % CATEGORIES.length]!,
      container: null,
      cpu: i < PROCESSES / 10 ? 1 + ((i * 7 + k) % 40) : 0,
      rss: (20 + (i % 300)) * 1_048_576,
      readBps: i < PROCESSES / 10 ? (k % 5) * 1000 : 0,
      writeBps: 0,
      threads: 4,
      fds: 20,
    }));
    return {
      ts,
      elapsedMs: INTERVAL_MS,
      machine: {
        ts,
        cpu: 20,
        cores: 8,
        memUsed: 8e9,
        memTotal: 32e9,
        swapUsed: 0,
        swapTotal: 0,
        load1: 1,
        load5: 1,
        load15: 1,
        processCount: PROCESSES,
      },
      processes,
      exited: [],
    };
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function time(fn: () => unknown, runs = 7): number {
  fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

/** One hour of raw ticks into a fresh store: ingest cost, flush time, worst event-loop stall. */
async function ingestAndFlush(): Promise<Record<string, number>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-store-bench-'));
  try {
    const start = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
    const store = await Store.open(storeOptions(dir));
    const hour = ticks(start, 1800);
    const costs: number[] = [];
    for (const t of hour) {
      const t0 = performance.now();
      store.ingest(t);
      costs.push(performance.now() - t0);
    }
    const stall = monitorEventLoopDelay({ resolution: 1 });
    stall.enable();
    const f0 = performance.now();
    await store.flush();
    const flushMs = performance.now() - f0;
    stall.disable();
    const status = store.status();
    await store.close();
    return {
      ingestMsPerTickMedian: median(costs),
      ingestMsPerTickP99: [...costs].sort((a, b) => a - b)[Math.floor(costs.length * 0.99)]!,
      flushMsOneHourRaw: flushMs,
      flushWorstStallMs: stall.max / 1e6,
      rawBytesPerHour: status.tiers.find((t) => t.name === 'raw')!.bytes,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * In a fresh process (like the agent): open the store, ten minutes of ticks, flush, a month's
 * stats and a day's series; RSS. On a copy of `history`, without the files ending before `since`.
 */
function rssProbe(history: string, since = 0, runs = 3): Record<string, number> {
  // RSS of one process varies by several MB from run to run: the median of three.
  const results: Record<string, number>[] = [];
  for (let run = 0; run < runs; run++) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-store-bench-probe-'));
    cpSync(history, dir, { recursive: true, preserveTimestamps: true });
    for (const tier of readdirSync(dir)) {
      const tierDir = path.join(dir, tier);
      if (!statSync(tierDir).isDirectory()) continue;
      for (const name of readdirSync(tierDir)) {
        const span = fileSpan(name);
        if (span && span.end <= since) unlinkSync(path.join(tierDir, name));
      }
    }
    try {
      results.push(runProbe(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return Object.fromEntries(Object.keys(results[0]!).map((k) => [k, median(results.map((r) => r[k]!))]));
}

function runProbe(dir: string): Record<string, number> {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', __filename, '--rss-probe', dir],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, number>;
}

/** The span of a tier file (or a day's totals sidecar) from its name, UTC; null for anything else. */
function fileSpan(name: string): { start: number; end: number } | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})?\.(sqlite|totals\.json)$/.exec(name);
  if (!m) return null;
  const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0));
  return { start, end: start + (m[4] === undefined ? 86_400_000 : 3_600_000) };
}

function newestFileEnd(dir: string): number {
  return Math.max(...readdirSync(path.join(dir, 'raw')).map((n) => fileSpan(n)?.end ?? 0));
}

async function statusOf(dir: string) {
  const store = await Store.open(storeOptions(dir, { readOnly: true }));
  try {
    return store.status();
  } finally {
    await store.close();
  }
}

async function probe(dir: string): Promise<void> {
  // What the process costs before the store opens (node, tsx, sql.js): reported beside the total.
  await loadSqlJs();
  global.gc?.();
  const baselineMb = process.memoryUsage().rss / 1e6;
  const store = await Store.open(storeOptions(dir));
  const now = Date.now();
  // Five flushes, each after another five minutes of ticks; the median is the figure.
  const flushes: number[] = [];
  const start = Math.floor(now / INTERVAL_MS) * INTERVAL_MS + INTERVAL_MS;
  for (let round = 0; round < 5; round++) {
    for (const t of ticks(start, 150, round * 150)) store.ingest(t);
    const f0 = performance.now();
    await store.flush();
    flushes.push(performance.now() - f0);
  }
  const flushMs = median(flushes);
  store.stats({ from: now - 30 * 86_400_000, to: now + 3_600_000 });
  store.series({ name: 'proc1', metric: 'cpu', from: now - 86_400_000, to: now });
  global.gc?.();
  const rssMb = process.memoryUsage().rss / 1e6;
  await store.close();
  process.stdout.write(`${JSON.stringify({ rssMb, baselineMb, flushMs })}\n`);
}

export async function runStoreBench(): Promise<Record<string, number>> {
  const days = Number(process.env.STORE_BENCH_DAYS ?? 30);
  const rawHours = Number(process.env.STORE_BENCH_RAW_HOURS ?? 24);
  const figures: Record<string, number> = { ...(await ingestAndFlush()) };

  // STORE_BENCH_HISTORY names a history generated earlier (it is copied, never changed).
  const reuse = process.env.STORE_BENCH_HISTORY;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-store-bench-'));
  try {
    let endTs = Date.now();
    if (reuse) {
      cpSync(reuse, dir, { recursive: true, preserveTimestamps: true });
      endTs = newestFileEnd(dir);
    } else {
      const store = await Store.open(storeOptions(dir));
      const g0 = performance.now();
      await generateHistory(store, {
        days,
        processes: PROCESSES,
        activeShare: 0.1,
        endTs,
        rawHours,
        seed: 2,
      });
      figures.generateSeconds = (performance.now() - g0) / 1000;
      const status = store.status();
      if (status.lastError) console.error(`store reported: ${status.lastError}`);
      await store.close();
    }
    const status = await statusOf(dir);
    for (const t of status.tiers) figures[`${t.name}Bytes`] = t.bytes;
    figures.diskMbTotal = status.tiers.reduce((s, t) => s + t.bytes, 0) / 1e6;
    figures.minuteMbPerDay = status.tiers.find((t) => t.name === 'minute')!.bytes / 1e6 / days;
    figures.hourMbPerDay = status.tiers.find((t) => t.name === 'hour')!.bytes / 1e6 / days;
    figures.rawMbPerDay =
      (status.tiers.find((t) => t.name === 'raw')!.bytes / 1e6 / Math.max(1, rawHours)) * 24;

    // "Flat whatever the uptime": the same machine after one day and after `days` days. The
    // one-day store is this history without the files that end before its last day (retention
    // deletes whole files, so this is exactly what an agent that has run one day holds).
    const oneDay = rssProbe(dir, endTs - 86_400_000);
    figures.rssMbWith1Day = oneDay.rssMb!;
    figures.rssMbBaselineBeforeOpen = oneDay.baselineMb!;
    figures.flushMsWith1Day = oneDay.flushMs!;
    const many = rssProbe(dir);
    figures[`rssMbWith${days}Days`] = many.rssMb!;
    figures[`flushMsWith${days}Days`] = many.flushMs!;
    figures[`rssMbIncrease1To${days}Days`] = many.rssMb! - oneDay.rssMb!;
    figures[`flushRatio${days}To1Day`] = many.flushMs! / oneDay.flushMs!;

    const reader = await Store.open(storeOptions(dir, { readOnly: true }));
    const now = endTs;
    figures.top10LastHourMs = time(() => reader.stats({ from: now - 3_600_000, to: now, n: 10 }));
    figures.series24hOneProcessMs = time(() =>
      reader.series({
        identity: { pid: 1000, startTime: 0 },
        name: 'node',
        metric: 'cpu',
        from: now - 86_400_000,
        to: now,
      }),
    );
    const anyPid = reader.at({ ts: now - 60_000, n: 1 }).rows[0];
    if (anyPid) {
      figures.series24hOneProcessMs = time(() =>
        reader.series({ identity: anyPid, metric: 'cpu', from: now - 86_400_000, to: now }),
      );
    }
    figures.at30hAgoMs = time(() => reader.at({ ts: now - 30 * 3_600_000, n: 10 }));
    await reader.close();

    // Month statistics, each first call in a freshly opened store (nothing cached, like the CLI):
    // `process-tracker month` (calendar month so far); thirty whole local days plus today; and
    // exactly 30 × 24 h back, whose far edge needs a past day's minute rows (the worst case).
    const local = new Date(now);
    const todayStart = new Date(local.getFullYear(), local.getMonth(), local.getDate()).getTime();
    const ranges = {
      monthStatsCalendarMs: namedRange('month', now),
      monthStats30WholeDaysMs: { from: todayStart - 30 * 86_400_000, to: now },
      monthStats30x24hMs: { from: now - 30 * 86_400_000, to: now },
    };
    for (const [figure, range] of Object.entries(ranges)) {
      const fresh = await Store.open(storeOptions(dir, { readOnly: true }));
      const m0 = performance.now();
      fresh.stats(range);
      figures[figure] = performance.now() - m0;
      figures[figure.replace(/Ms$/, 'RepeatMs')] = time(() => fresh.stats(range), 3);
      await fresh.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

if (require.main === module) {
  const at = process.argv.indexOf('--rss-probe');
  if (at > 0) {
    void probe(process.argv[at + 1]!);
  } else {
    void runStoreBench().then((f) => {
      for (const [k, v] of Object.entries(f)) console.log(`${k.padEnd(28)} ${v.toFixed(2)}`);
    });
  }
}
