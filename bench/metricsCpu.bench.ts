// What Prometheus scraping costs the agent, side by side in one run on the same machine: four
// agents recording (each its own data folder, 2 s ticks): one with /metrics scraped every 15 s,
// one with /metrics on but never scraped (what keeping the counters between scrapes costs), and
// two without (their ratio is the noise floor of the comparison: two identical agents), beside Debian's prometheus-process-exporter grouping every process by name
// and scraped every 15 s too. 500 extra sleeping processes (~600 in all) are started and ended
// by this benchmark (by PID). The scrapes go over HTTP on 127.0.0.1, timed end to end.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort } from '../test/harness/codeServer';
import { threadCpuSeconds } from './procstat';
import { sleep, startSleepers } from './sleepers';

const AGENT = path.resolve(__dirname, '..', 'dist', 'agent.js');
const EXPORTER = '/usr/bin/prometheus-process-exporter';
const SCRAPE_EVERY_MS = 15_000;
/** What Prometheus asks for. */
const OPENMETRICS = 'application/openmetrics-text; version=1.0.0';

export interface MetricsCpuResult {
  seconds: number;
  processes: number;
  scrapes: number;
  agentCpuPctNoScrape: number;
  agentCpuPctScraped: number;
  /** /metrics on, never scraped: the per-tick bookkeeping alone. */
  agentCpuPctListening: number;
  /** Scraped ÷ the mean of the two not scraped: target ≤ 1.1. */
  scrapedRatio: number;
  /** The CPU one scrape adds, from the same difference. */
  scrapeCpuMsEach: number;
  /** Measured around each scrape instead: the median and the most (a tick falling inside adds its own). */
  scrapeCpuMsP50: number;
  scrapeCpuMsMax: number;
  /** The first scrape of the agent's life, during the warm-up: code compiled on first use. */
  firstScrapeCpuMs: number;
  /** On but never scraped ÷ the mean of the two not scraped. */
  listeningRatio: number;
  /** The second agent without /metrics ÷ the first: how far two identical agents differ. */
  noiseRatio: number;
  exporterCpuPct: number;
  agentScrapeP50Ms: number;
  agentScrapeP99Ms: number;
  exporterScrapeP50Ms: number;
  exporterScrapeP99Ms: number;
  agentScrapeKb: number;
  exporterScrapeKb: number;
}

function ensureExporter(): void {
  if (spawnSync('sh', ['-c', `test -x ${EXPORTER}`]).status === 0) return;
  console.error('installing prometheus-process-exporter from Debian for the comparison…');
  const install = spawnSync(
    'sh',
    [
      '-c',
      'apt-get install -y prometheus-process-exporter || (apt-get update && apt-get install -y prometheus-process-exporter)',
    ],
    { stdio: 'inherit' },
  );
  if (install.status !== 0)
    throw new Error('could not install it: run apt-get install -y prometheus-process-exporter');
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function waitForLine(
  child: ChildProcess,
  read: () => string,
  pattern: RegExp,
): Promise<RegExpExecArray> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const match = pattern.exec(read());
    if (match) return match;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`no ${pattern} in: ${read()}`);
    await sleep(100);
  }
}

async function scrape(url: string, accept?: string): Promise<{ ms: number; bytes: number }> {
  const start = performance.now();
  const text = await (await fetch(url, accept ? { headers: { accept } } : {})).text();
  return { ms: performance.now() - start, bytes: text.length };
}

export async function runMetricsCpuBench(
  seconds = Number(process.env.BENCH_SECONDS ?? 240),
  warmUpSeconds = Number(process.env.BENCH_WARM_UP_SECONDS ?? 60),
): Promise<MetricsCpuResult> {
  ensureExporter();
  const work = mkdtempSync(path.join(os.tmpdir(), 'pt-bench-metrics-cpu-'));
  const sleepers = startSleepers(500);
  const children: ChildProcess[] = [];
  try {
    const agent = (name: string, extra: string[]) => {
      const child = spawn(
        process.execPath,
        [AGENT, 'run', '--quiet', '--data-dir', path.join(work, name), '--interval', '2s', ...extra],
        // Their own config folder: no user metrics.yaml, alert rules or socket folder reached.
        {
          stdio: ['ignore', 'ignore', 'pipe'],
          env: { ...process.env, XDG_CONFIG_HOME: path.join(work, 'config'), XDG_RUNTIME_DIR: work },
        },
      );
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      children.push(child);
      return { child, stderr: () => stderr };
    };
    const plain = agent('plain', []);
    const twin = agent('twin', []);
    const listening = agent('listening', ['--metrics', '127.0.0.1:0']);
    await waitForLine(listening.child, listening.stderr, /metrics on (http:\/\/\S+)/);
    const scraped = agent('scraped', ['--metrics', '127.0.0.1:0']);
    const metricsUrl = (await waitForLine(scraped.child, scraped.stderr, /metrics on (http:\/\/\S+)/))[1]!;
    const config = path.join(work, 'process-exporter.yml');
    writeFileSync(config, 'process_names:\n  - name: "{{.Comm}}"\n    cmdline: [".+"]\n');
    const port = await freePort();
    const exporter = spawn(
      EXPORTER,
      [
        `-web.listen-address=127.0.0.1:${port}`,
        `-config.path=${config}`,
        '-gather-smaps=false',
        '-threads=false',
      ],
      { stdio: 'ignore' },
    );
    children.push(exporter);
    const exporterUrl = `http://127.0.0.1:${port}/metrics`;
    const deadline = Date.now() + 60_000;
    while (!(await fetch(exporterUrl).catch(() => undefined))?.ok) {
      if (exporter.exitCode !== null || Date.now() > deadline) throw new Error(`${EXPORTER} did not serve`);
      await sleep(200);
    }
    // Scraped through the warm-up too, every 15 s as in the window: what is measured is the
    // steady cost of a scrape every 15 s. The first scrape compiles the render and HTTP code on
    // first use (tens of ms, once per agent); inside a 240 s window that one-off alone read as
    // ~0.06 of the ratio. It is reported apart.
    const warmUpEnds = performance.now() + warmUpSeconds * 1000;
    let firstScrapeCpuMs = NaN;
    while (performance.now() < warmUpEnds) {
      const cpuBefore = threadCpuSeconds(scraped.child.pid!);
      await Promise.all([
        scrape(metricsUrl, OPENMETRICS).then(() => {
          if (Number.isNaN(firstScrapeCpuMs))
            firstScrapeCpuMs = (threadCpuSeconds(scraped.child.pid!) - cpuBefore) * 1000;
        }),
        scrape(exporterUrl),
      ]);
      await sleep(Math.max(0, Math.min(SCRAPE_EVERY_MS, warmUpEnds - performance.now())));
    }
    const pids = {
      plain: plain.child.pid!,
      twin: twin.child.pid!,
      listening: listening.child.pid!,
      scraped: scraped.child.pid!,
      exporter: exporter.pid!,
    };
    const cpu = () => Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, threadCpuSeconds(pid)]));
    const before = cpu();
    const started = performance.now();
    const agentTimes: number[] = [];
    const exporterTimes: number[] = [];
    /** The scraped agent's CPU from just before to just after each scrape (a tick may fall inside). */
    const scrapeCpuMs: number[] = [];
    let agentKb = 0;
    let exporterKb = 0;
    while (performance.now() - started < seconds * 1000) {
      // Both scraped at the same moment, as one Prometheus would.
      const cpuBefore = threadCpuSeconds(pids.scraped);
      const [a, e] = await Promise.all([
        scrape(metricsUrl, OPENMETRICS).then((result) => {
          scrapeCpuMs.push((threadCpuSeconds(pids.scraped) - cpuBefore) * 1000);
          return result;
        }),
        scrape(exporterUrl),
      ]);
      agentTimes.push(a.ms);
      exporterTimes.push(e.ms);
      agentKb = a.bytes / 1024;
      exporterKb = e.bytes / 1024;
      const next = started + agentTimes.length * SCRAPE_EVERY_MS;
      await sleep(Math.max(0, Math.min(next, started + seconds * 1000) - performance.now()));
    }
    const elapsed = (performance.now() - started) / 1000;
    const after = cpu();
    const pct = (k: keyof typeof pids) => ((after[k]! - before[k]!) / elapsed) * 100;
    // Two identical agents differ by up to ~10 % in one run (noiseRatio): compare with their mean.
    const unscraped = (pct('plain') + pct('twin')) / 2;
    return {
      seconds: Math.round(elapsed),
      processes: readdirSync('/proc').filter((d) => /^\d+$/.test(d)).length,
      scrapes: agentTimes.length,
      agentCpuPctNoScrape: pct('plain'),
      agentCpuPctScraped: pct('scraped'),
      agentCpuPctListening: pct('listening'),
      scrapedRatio: pct('scraped') / unscraped,
      scrapeCpuMsEach: ((pct('scraped') - unscraped) * 10 * elapsed) / agentTimes.length,
      scrapeCpuMsP50: percentile(scrapeCpuMs, 50),
      scrapeCpuMsMax: Math.max(...scrapeCpuMs),
      firstScrapeCpuMs,
      listeningRatio: pct('listening') / unscraped,
      noiseRatio: pct('twin') / pct('plain'),
      exporterCpuPct: pct('exporter'),
      agentScrapeP50Ms: percentile(agentTimes, 50),
      agentScrapeP99Ms: percentile(agentTimes, 99),
      exporterScrapeP50Ms: percentile(exporterTimes, 50),
      exporterScrapeP99Ms: percentile(exporterTimes, 99),
      agentScrapeKb: Math.round(agentKb),
      exporterScrapeKb: Math.round(exporterKb),
    };
  } finally {
    for (const child of children)
      if (child.pid && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
    sleepers.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void runMetricsCpuBench().then((result) => console.log(JSON.stringify(result, null, 2)));
}
