// `npm run bench`: every benchmark in one run on this machine, written to bench/RESULTS.md with the
// command, the machine and its load, each figure beside its target. BENCH_ONLY=cpu,service runs
// a subset; the other sections of the file, hand-written ones included, stay as they are.
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runAlertsBench } from './alerts.bench';
import { runCpuBench } from './cpu.bench';
import { EXT_HOST_TARGETS, runExtHostBench } from './extHost.bench';
import { FIRST_VIEW_TARGETS, runFirstViewBench } from './firstView.bench';
import { runFindingsQuietBench } from './findingsQuiet.bench';
import { runFlappingBench } from './flapping.bench';
import { runMemoryBench } from './memory.bench';
import { runMetricsBench } from './metrics.bench';
import { runMetricsCpuBench } from './metricsCpu.bench';
import { PANEL_TARGETS, runPanelBench } from './panel.bench';
import { runPanelWarmBench } from './panelWarm.bench';
import { BROWSER_PANEL_TARGETS, runBrowserPanelBench } from './browserPanel.bench';
import { runServiceBench } from './service.bench';
import { runStoreBench } from './store.bench';
import { mergeResults } from './resultsFile';

type Target = readonly ['≤' | '≥', number];

interface Suite {
  key: string;
  title: string;
  run: () => Promise<object>;
  targets: Record<string, Target>;
  note?: string;
}

const atMost = (n: number): Target => ['≤', n];

const SUITES: Suite[] = [
  {
    key: 'cpu',
    title: 'Agent vs top and atop (2 s interval, current processes + 500 sleepers, same run)',
    run: () => runCpuBench(),
    targets: {
      ratioVsTop: atMost(0.5),
      ratioVsAtop: atMost(0.25),
      agentRssMb: atMost(100),
      worstTickLatenessMs: atMost(50),
    },
    note: 'CPU % is of one core, from utime+stime in /proc/[pid]/stat over the window, four minutes, after two minutes of start-up (reported on its own as startUp*).',
  },
  {
    key: 'memory',
    title: 'Agent memory (issue 14): 30 generated days, ~600 processes, 2 s, beside top and atop',
    run: () => runMemoryBench(),
    targets: {
      steadyRssMb: atMost(50),
      startUpPeakRssMb: atMost(150),
      startUpCpuRatioVsTop: atMost(1),
      monthStatsPeakMb: atMost(150),
      panel30DaysPeakMb: atMost(150),
      at10DaysAgoPeakMb: atMost(150),
      exportWholeDayPeakMb: atMost(150),
      monthStatsBackWithinMb: atMost(5),
      panel30DaysBackWithinMb: atMost(5),
      at10DaysAgoBackWithinMb: atMost(5),
      exportWholeDayBackWithinMb: atMost(5),
      exportWholeDayWorstLatenessMs: atMost(50),
    },
    note: "RSS from /proc/PID/stat every 200 ms; the agent's parts from /proc/PID/smaps (bench/memory.bench.ts says how). MEMORY_BENCH_DATA=DIR runs on a `process-tracker demo-data` folder, else 30 days are generated first.",
  },
  {
    key: 'service',
    title: 'Agent service (~600 processes sampled every 2 s)',
    run: () => runServiceBench(),
    targets: {
      top50P99Ms: atMost(10),
      tenSubscribersOverheadPct: atMost(10),
      worstLatenessWithStalledMs: atMost(50),
    },
  },
  {
    key: 'store',
    title: 'Store (generated history, 600 processes)',
    run: () => runStoreBench(),
    targets: {
      flushWorstStallMs: atMost(50),
      diskMbTotal: atMost(500),
      top10LastHourMs: atMost(20),
      series24hOneProcessMs: atMost(20),
      monthStatsCalendarMs: atMost(200),
      monthStats30WholeDaysMs: atMost(200),
      monthStats30x24hMs: atMost(200),
      // "Flat": 30 days of history cost what one day does (within measurement noise).
      rssMbIncrease1To30Days: atMost(5),
      flushRatio30To1Day: atMost(1.25),
    },
  },
  {
    key: 'alerts',
    title: 'Alerts (50 rules over 600 processes)',
    run: () => runAlertsBench(),
    targets: { p50MsPerTick: atMost(2) },
  },
  {
    key: 'flapping',
    title: 'Alert flapping: 50 ± 10 % CPU against `threshold: 50`, no `for`, no `resolve_below`, 10 minutes',
    run: () => runFlappingBench(),
    targets: { notifications10MinDefault: atMost(2), notifications10MinDefault1sInterval: atMost(2) },
    note: 'Notifications the engine hands to delivery, the most over 20 seeded runs of synthetic ticks through the real parser and engine; `keep_firing_for: 0` is the behaviour before the default hold.',
  },
  {
    key: 'findingsquiet',
    title: "Findings about the machine's ordinary processes: a real agent, default settings, 10 minutes",
    run: () => runFindingsQuietBench(),
    targets: { leakOrdinary: atMost(0), restart_loopOrdinary: atMost(0), anomalyOrdinary: atMost(0) },
    note: "Issue 16's proof: leak, restart_loop and anomaly findings in `report --json` about processes the bench did not start (the agent and its children are counted apart as aboutThisBench; this project's test fixtures built to be found, by their command-line marker, as aboutTestFixtures; processes working in a test suite's temp folder TMPDIR/pt-* — agents a suite crashes and restarts on purpose, a CLI it polls — as aboutTestSuites). Processes and the 1-minute load sampled every 5 s. FINDINGS_QUIET_MINUTES shortens the run. Each ordinary finding is listed below its counts.",
  },
  {
    key: 'metrics',
    title: 'Prometheus /metrics (~600 processes, 150 names, default caps)',
    run: () => runMetricsBench(),
    targets: {
      textRenderCpuMs: atMost(20),
      openMetricsRenderCpuMs: atMost(20),
      httpScrapeP99Ms: atMost(20),
      textRenderP99Ms: atMost(20),
      openMetricsRenderP99Ms: atMost(20),
    },
    note: "Render: the exposition from the latest tick (prom-client), CPU time per render and wall-clock percentiles (the latter include preemption when the machine is loaded; the load average is above); HTTP: a whole scrape over 127.0.0.1 (OpenMetrics, as Prometheus asks); per tick: the counters kept between scrapes. The agent's CPU with a scrape every 15 s against without, beside prometheus-process-exporter: the next section.",
  },
  {
    key: 'metricscpu',
    title:
      "Prometheus scraping every 15 s: the agent's CPU with and without, beside prometheus-process-exporter (~600 processes)",
    run: () => runMetricsCpuBench(),
    targets: { scrapedRatio: atMost(1.1), agentScrapeP99Ms: atMost(20) },
    note: "Four agents record at once (2 s ticks, own data folders): one scraped every 15 s (OpenMetrics over 127.0.0.1), one with /metrics on and never scraped (listening: the per-tick bookkeeping alone), and two without (noiseRatio: how far two identical agents differ in the same run); Debian's prometheus-process-exporter 0.7.10 groups every process by name (`{{.Comm}}`, `-gather-smaps=false -threads=false`, the nearest to what we export) and is scraped at the same moments. CPU from each process's threads' schedstat over the window after a 60 s warm-up, during which both are already scraped every 15 s (a steady state: the agent's first scrape compiles its code once, firstScrapeCpuMs, outside the window); the scraper keeps its connection as Prometheus does. The exporter walks /proc when scraped; the agent walks it every tick whether scraped or not, so its absolute CPU is the recording's, and the ratio is what scraping adds.",
  },
  {
    key: 'firstview',
    title: 'A fresh VS Code window (code-server, the packaged .vsix): sidebar opened, no agent running yet',
    run: () => runFirstViewBench(),
    targets: Object.fromEntries(Object.entries(FIRST_VIEW_TARGETS).map(([k, v]) => [k, atMost(v)])),
  },
  {
    key: 'exthost',
    title:
      'The extension host in code-server: our window beside one without the extension (~600 processes, 2 s)',
    run: () => runExtHostBench(),
    targets: Object.fromEntries(Object.entries(EXT_HOST_TARGETS).map(([k, v]) => [k, atMost(v)])),
  },
  {
    key: 'panel',
    title: 'History panel in headless Chromium',
    run: () => runPanelBench(),
    targets: Object.fromEntries(Object.entries(PANEL_TARGETS).map(([k, v]) => [k, atMost(v)])),
  },
  {
    key: 'browser',
    title: 'History panel in a browser (run --http), phone size 390×844, 24 h of history (300 processes)',
    run: () => runBrowserPanelBench(),
    targets: Object.fromEntries(Object.entries(BROWSER_PANEL_TARGETS).map(([k, v]) => [k, atMost(v)])),
    note: 'From the navigation start to the first chart drawn (the page, both bundles, the API requests and the drawing), median of 7 fresh loads with the 24 h preset; afterPanelReadyMs is the part after the panel script ran.',
  },
  {
    key: 'panelwarm',
    title:
      "The history panel's first answer from a cold history worker, with and without the warm-up (24 h, 300 processes)",
    run: () => runPanelWarmBench(),
    targets: { coldMs: atMost(300), warmedMs: atMost(300) },
    note: "A real agent on a generated day (`demo-data --days 1 --processes 300`), its worker ending 1 s after its last call. Each round waits until no worker runs, then times the panel's PanelDatasetRequest (24 h, 1000 points, top 10): alone (cold); pageMs after a PanelWarmRequest (warmed: the time the panel's page takes to load before it asks, PANEL_WARM_PAGE_MS); right after one (warmed at once, the worst case). Medians and worst of the rounds, interleaved. The chart's drawing comes on top (the panel section).",
  },
];

function format(value: unknown): string {
  if (typeof value !== 'number') return String(value);
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100
    ? value.toFixed(0)
    : Math.abs(value) >= 1
      ? value.toFixed(2)
      : value.toFixed(3);
}

function verdict(value: unknown, target: Target | undefined): string {
  if (!target || typeof value !== 'number') return '';
  const [op, limit] = target;
  const ok = op === '≤' ? value <= limit : value >= limit;
  return `${op} ${limit} ${ok ? '✅' : '❌ missed'}`;
}

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const processes = execSync('ls /proc | grep -c "^[0-9]"', { encoding: 'utf8' }).trim();
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}, Node ${process.version}, ${processes} processes before the run`;
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',');
  const suites = SUITES.filter((s) => !only || only.includes(s.key));
  const command = only ? `BENCH_ONLY=${only.join(',')} npm run bench` : 'npm run bench';
  const sections = new Map<string, string>();
  for (const suite of suites) {
    const loadBefore = os.loadavg()[0]!.toFixed(2);
    const started = Date.now();
    console.error(`bench: ${suite.title}…`);
    let rows: string[];
    try {
      const result = (await suite.run()) as Record<string, unknown>;
      rows = Object.entries(result).map(
        ([key, value]) => `| ${key} | ${format(value)} | ${verdict(value, suite.targets[key])} |`,
      );
    } catch (error) {
      rows = [`| failed | ${(error as Error).message.replace(/\|/g, '\\|')} | ❌ |`];
    }
    const loadAfter = os.loadavg()[0]!.toFixed(2);
    sections.set(
      suite.title,
      [
        `## ${suite.title}`,
        '',
        `\`${command}\` on ${new Date(started).toISOString()}. Load average ${loadBefore} → ${loadAfter}; took ${Math.round((Date.now() - started) / 1000)} s.${suite.note ? ` ${suite.note}` : ''}`,
        '',
        '| figure | value | target |',
        '| --- | ---: | --- |',
        ...rows,
        '',
      ].join('\n'),
    );
    console.error(rows.join('\n'));
  }
  const file = path.join(__dirname, 'RESULTS.md');
  const previous = (() => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return '';
    }
  })();
  const fresh = new Map(
    SUITES.flatMap((suite) => {
      const text = sections.get(suite.title);
      return text === undefined ? [] : [[suite.title, text] as const];
    }),
  );
  writeFileSync(
    file,
    mergeResults(
      previous,
      [
        '# Benchmark results',
        '',
        'Produced by `npm run bench` (every suite); a suite re-run alone with `BENCH_ONLY=key npm run bench`',
        'replaces its own section. Each section names the command and the time that produced it.',
        `Machine: ${machine()}.`,
        '',
      ],
      fresh,
    ),
  );
  console.error(`bench: wrote ${file}`);
}

void main();
