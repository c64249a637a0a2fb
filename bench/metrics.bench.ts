// /metrics at ~600 processes (150 process names, the top 10, the default 500-series cap): what a
// scrape costs to render in each format and end to end over HTTP on 127.0.0.1, and what the
// per-tick bookkeeping costs the agent. Target: a scrape ≤ 20 ms (issue 15).
import { performance } from 'node:perf_hooks';
import { MetricsCollector } from '../agent/metrics/collector';
import { MetricsRegistry, type Format } from '../agent/metrics/registry';
import { startMetricsServer } from '../agent/metrics/server';
import { CATEGORIES, type ProcessRow, type Tick } from '../shared/model';
import { DEFAULT_METRICS } from '../shared/settings';

const PROCESSES = 600;
const NAMES = 150;
const MB = 1024 * 1024;

function tick(ts: number, previous?: Tick): Tick {
  const processes: ProcessRow[] = Array.from({ length: PROCESSES }, (_, i) => ({
    pid: 1000 + i,
    startTime: 1_700_000_000_000 + i,
    ppid: 1,
    name: `proc-${i % NAMES}`,
    cmdline: `/usr/bin/proc-${i % NAMES} --worker ${i}`,
    user: 'me',
    category: CATEGORIES[i % CATEGORIES.length]!,
    container: null,
    cpu: i % 5 === 0 ? (i * 37 + ts / 1000) % 100 : 0,
    rss: (50 + (i % 400)) * MB,
    readBps: (i % 13) * 1000,
    writeBps: (i % 17) * 1000,
    threads: 4,
    fds: 20,
  }));
  return {
    ts,
    elapsedMs: previous ? 2000 : 0,
    machine: {
      ts,
      cpu: previous ? 30 : null,
      cores: 8,
      memUsed: 8e9,
      memTotal: 16e9,
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

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function runMetricsBench(): Promise<object> {
  const collector = new MetricsCollector(DEFAULT_METRICS);
  const registry = new MetricsRegistry('bench', false);
  let ts = Date.now();
  let previous: Tick | undefined;
  const tickMs: number[] = [];
  // Ticks made one at a time, as the agent has them: a pile of 200 would time the GC, not us.
  for (let i = 0; i < 200; i++) {
    const t = tick((ts += 2000), previous);
    const start = performance.now();
    collector.onTick(t);
    tickMs.push(performance.now() - start);
    previous = t;
  }

  const render = async (format: Format, rounds: number) => {
    const times: number[] = [];
    let bytes = 0;
    let series = 0;
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < rounds; i++) {
      const start = performance.now();
      const text = await registry.render(collector.view(), format);
      times.push(performance.now() - start);
      bytes = text.length;
      series = text.split('\n').filter((line) => line && !line.startsWith('#')).length;
    }
    const cpu = process.cpuUsage(cpuBefore);
    // CPU time per render: what a scrape costs the agent, whatever else the machine runs.
    return { times, bytes, series, cpuMs: (cpu.user + cpu.system) / 1000 / rounds };
  };
  await render('text', 20); // warm-up (JIT)
  const text = await render('text', 300);
  const om = await render('openmetrics', 300);

  const server = await startMetricsServer(
    { host: '127.0.0.1', port: 0, ...DEFAULT_METRICS },
    async (format) => ({
      body: await registry.render(collector.view(), format),
      contentType: registry.contentType(format),
    }),
    () => undefined,
  );
  const http: number[] = [];
  try {
    for (let i = 0; i < 220; i++) {
      const start = performance.now();
      await (await fetch(server.url, { headers: { accept: 'application/openmetrics-text' } })).text();
      if (i >= 20) http.push(performance.now() - start);
    }
  } finally {
    await server.close();
  }
  return {
    processes: PROCESSES,
    names: NAMES,
    series: text.series,
    bodyKb: Math.round(text.bytes / 1024),
    textRenderCpuMs: text.cpuMs,
    openMetricsRenderCpuMs: om.cpuMs,
    textRenderP50Ms: percentile(text.times, 50),
    textRenderP99Ms: percentile(text.times, 99),
    openMetricsRenderP50Ms: percentile(om.times, 50),
    openMetricsRenderP99Ms: percentile(om.times, 99),
    httpScrapeP50Ms: percentile(http, 50),
    httpScrapeP99Ms: percentile(http, 99),
    perTickP50Ms: percentile(tickMs.slice(10), 50),
    perTickP99Ms: percentile(tickMs.slice(10), 99),
  };
}
