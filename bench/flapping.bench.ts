// Flapping by default (issue 13, item 8): one node process at 50 ± 10 % CPU for ten minutes
// against a rule with `threshold: 50` and neither `for` nor `resolve_below`. Counts the
// notifications the engine hands to delivery (a transition with channels, not held back) — with
// the default keep_firing_for (1m) and with `keep_firing_for: 0`, the behaviour before it.
// The rule goes through the real parser and the ticks through the real engine; the clock is the
// ticks' own timestamps, so ten minutes take milliseconds.
import { AlertEngine } from '../agent/alerts/engine';
import { parseAlertsYaml } from '../agent/alerts/rules';
import type { ProcessRow, Tick } from '../shared/model';

const FILE = (extra: string) => `rules:
  - name: node-cpu
    metric: cpu
    match: { name: "^node$" }
    threshold: 50
    channels: [hook]
${extra}channels:
  hook: { type: webhook, url: "http://127.0.0.1:9/hook" }
`;

/** mulberry32: the same "random" CPU on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function tickAt(ts: number, cpu: number): Tick {
  const node: ProcessRow = {
    pid: 4242,
    startTime: 1_700_000_000_000,
    ppid: 1,
    name: 'node',
    cmdline: 'node server.js',
    user: 'me',
    category: 'development',
    container: null,
    cpu,
    rss: 200 * 1024 * 1024,
    readBps: 0,
    writeBps: 0,
    threads: 8,
    fds: 30,
  };
  return {
    ts,
    elapsedMs: 2000,
    processes: [node],
    exited: [],
    machine: {
      ts,
      cpu: cpu / 2,
      cores: 2,
      memUsed: 4 * 2 ** 30,
      memTotal: 16 * 2 ** 30,
      swapUsed: 0,
      swapTotal: 0,
      load1: 1,
      load5: 1,
      load15: 1,
      processCount: 1,
    },
  };
}

/** Notifications in ten minutes, the most over `seeds` runs. */
function notifications(extra: string, intervalMs: number, seeds = 20): number {
  const { config, problems } = parseAlertsYaml(FILE(extra), 'alerts.yaml', { allowActions: true });
  if (problems.length) throw new Error(problems.map((p) => p.message).join('; '));
  let most = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const engine = new AlertEngine(config.rules);
    const next = random(seed);
    const start = Date.UTC(2026, 0, 5, 12);
    let sent = 0;
    for (let ts = start; ts < start + 600_000; ts += intervalMs) {
      for (const t of engine.evaluate(tickAt(ts, 50 + (next() * 20 - 10))))
        if (t.channels.length && !t.suppressed) sent++;
    }
    most = Math.max(most, sent);
  }
  return most;
}

export async function runFlappingBench(): Promise<Record<string, number>> {
  return {
    notifications10MinDefault: notifications('', 2000),
    notifications10MinDefault1sInterval: notifications('', 1000),
    notifications10MinKeepFiringFor0: notifications('    keep_firing_for: 0\n', 2000),
    notifications10MinKeepFiringFor0At1s: notifications('    keep_firing_for: 0\n', 1000),
  };
}

if (require.main === module) {
  void runFlappingBench().then((r) => console.log(JSON.stringify(r, null, 2)));
}
