// Analytics cost. (1) The engine's CPU per wall-second at ~600 processes: one hour of 2 s ticks
// (10 % of the processes active, the rest handing out the same row object, as the sampler does,
// plus a 1 % hourly churn and one leaker) fed as fast as it takes them; CPU-seconds spent divided
// by the hour it stands for. (2) `report month` and `explain` over 30 generated days (600
// processes), through the same functions the agent and the offline CLI call, on a read-only store.
// Run: node --import tsx bench/analytics.ts  (ANALYTICS_BENCH_DAYS to shorten the history).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AnalyticsEngine } from '../agent/analytics/engine';
import { explain } from '../agent/analytics/explain';
import { buildReport } from '../agent/analytics/report';
import { fileSource } from '../agent/analytics/source';
import { silentLogger } from '../agent/log';
import { generateHistory, Store } from '../agent/store';
import type { ProcessRow, Tick } from '../shared/model';
import { namedRange } from '../shared/time';
import { DEFAULT_RETENTION } from '../shared/settings';

const MiB = 1024 * 1024;

function engineCost(): { processes: number; ticks: number; cpuPct: number; findings: number } {
  const engine = new AnalyticsEngine({ dataDir: null, log: silentLogger });
  const n = 600;
  const t0 = Date.UTC(2026, 0, 5);
  let nextPid = 1000;
  const make = (i: number, ts: number): ProcessRow => ({
    pid: nextPid++,
    startTime: ts - 1000,
    ppid: 1,
    name: `proc${i % 150}`,
    cmdline: `/usr/bin/proc${i % 150} --worker ${i}`,
    user: 'bench',
    category: 'other',
    container: null,
    cpu: 0,
    rss: (8 + (i % 400)) * MiB,
    readBps: 0,
    writeBps: 0,
    threads: 4,
    fds: 10,
  });
  const rows = Array.from({ length: n }, (_, i) => make(i, t0));
  const ticks = 1800;
  let random = 1;
  const rand = () => ((random = (random * 16807) % 2147483647) - 1) / 2147483646;
  // Warm up the JIT outside the measurement (one simulated minute).
  const feed = (from: number, count: number) => {
    for (let k = 0; k < count; k++) {
      const ts = from + k * 2000;
      const exited: Tick['exited'] = [];
      if (ts % 3_600_000 < 2000) {
        for (let i = 0; i < n; i++) {
          if (rand() < 0.01) {
            exited.push({ pid: rows[i]!.pid, startTime: rows[i]!.startTime });
            rows[i] = make(i, ts);
          }
        }
      }
      const processes = rows.map((r, i) =>
        i < n / 10 ? { ...r, cpu: 1 + rand() * 50, rss: r.rss! + Math.round(rand() * MiB) } : r,
      );
      processes[n - 1] = { ...rows[n - 1]!, rss: 50 * MiB + ((ts - from) / 1000) * 5e6 };
      const tick: Tick = {
        ts,
        elapsedMs: 2000,
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
          processCount: n,
        },
        processes,
        exited,
      };
      engine.onTick(tick);
    }
  };
  feed(t0, 30);
  // Building the rows is the sampler's cost, not the engine's: a second pass builds the same rows
  // without the engine, and its CPU is subtracted.
  const before = process.cpuUsage();
  feed(t0 + 60_000, ticks);
  const used = process.cpuUsage(before);
  const withEngineMs = (used.user + used.system) / 1000;
  const baseBefore = process.cpuUsage();
  const realOnTick = engine.onTick.bind(engine);
  engine.onTick = () => undefined;
  feed(t0 + 60_000 + ticks * 2000, ticks);
  const baseUsed = process.cpuUsage(baseBefore);
  engine.onTick = realOnTick;
  const buildMs = (baseUsed.user + baseUsed.system) / 1000;
  const engineMs = Math.max(0, withEngineMs - buildMs);
  const wallMs = ticks * 2000;
  return {
    processes: n,
    ticks,
    cpuPct: (engineMs / wallMs) * 100,
    findings: engine.findingsIn(0, Infinity).length,
  };
}

async function queryCost(days: number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-analytics-bench-'));
  try {
    const options = {
      dataDir: dir,
      retention: DEFAULT_RETENTION,
      intervalMs: 2000,
      log: silentLogger,
      flushIntervalMs: 3_600_000,
    };
    const endTs = Date.now();
    const g0 = performance.now();
    const writer = await Store.open(options);
    await generateHistory(writer, { days, processes: 600, activeShare: 0.1, endTs, rawHours: 2, seed: 3 });
    await writer.close();
    const generatedS = (performance.now() - g0) / 1000;
    const store = await Store.open({ ...options, readOnly: true });
    const source = fileSource(dir);
    const time = async <T>(run: () => Promise<T>) => {
      const times: number[] = [];
      let result: T | undefined;
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        result = await run();
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      return { first: times[0]!, median: times[2]!, worst: times[4]!, result: result! };
    };
    const month = await time(() => buildReport(store, source, { ...namedRange('month', endTs), to: endTs }));
    const thirty = await time(() => buildReport(store, source, { from: endTs - 30 * 86_400_000, to: endTs }));
    const explainRecent = await time(() => explain(store, source, { ts: endTs - 30 * 60_000, now: endTs }));
    const explainOld = await time(() => explain(store, source, { ts: endTs - 10 * 86_400_000, now: endTs }));
    await store.close();
    return {
      generatedS,
      reportMonthMs: month.median,
      reportMonthWorstMs: month.worst,
      report30DaysMs: thirty.median,
      report30DaysWorstMs: thirty.worst,
      report30DaysFindings: thirty.result.findings.length,
      explainRecentMs: explainRecent.median,
      explainRecentWorstMs: explainRecent.worst,
      explain10DaysAgoMs: explainOld.median,
      explain10DaysAgoWorstMs: explainOld.worst,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const engine = engineCost();
  console.log(
    `engine: ${engine.processes} processes, ${engine.ticks} ticks (1 h at 2 s): ${engine.cpuPct.toFixed(4)} % of a core (target ≤ 0.05), ${engine.findings} findings`,
  );
  const days = Number(process.env.ANALYTICS_BENCH_DAYS ?? 30);
  const q = await queryCost(days);
  console.log(`history: ${days} days × 600 processes generated in ${q.generatedS.toFixed(0)} s`);
  for (const [k, v] of Object.entries(q))
    if (k !== 'generatedS') console.log(`${k}: ${typeof v === 'number' ? v.toFixed(1) : v}`);
}

void main();
