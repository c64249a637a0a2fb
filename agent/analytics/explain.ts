// `process-tracker explain TIME`: the machine then, and the processes ranked by how far they were
// from their own baseline — not merely the top by CPU — with the findings open at that time.
//
// The baseline is the one the process had *then*: its average over the hour before (from the
// store's rollups, ending two minutes before TIME so the moment itself does not pull it up), per
// identity when it had been alive for a while, else per name (the name's figures are summed from
// the same per-identity rows: one query). The distance is relative with a floor —
// (value − baseline) / (baseline + floor) — so an idle daemon that starts burning a core outranks
// a build tool that always burns one. Processes with no baseline at all are measured against a
// prior of a busy new process, so they rank after established ones that moved as far.
// "Then" is both the instant (the newest sample at or before TIME) and the average over the few
// minutes around it: a time typed by a person is a minute or so off, and the culprit may start
// just after it. Each process keeps the larger of its two scores.
import type { StatsRow } from '../../shared/model';
import type { ExplainRequest } from '../../shared/protocol';
import { identityKey } from '../../shared/model';
import type { CoreQueries } from '../service/core';
import type { AnalyticsSource } from './source';

type ExplainRow = ExplainRequest.Row;

const MiB = 1024 * 1024;
const CPU_FLOOR = 2;
const RSS_FLOOR = 64 * MiB;
/** The prior for a process whose name had no history: a busy new process. */
const NEW_CPU = 25;
const NEW_RSS = 256 * MiB;
const BASELINE_MS = 3_600_000;
const BASELINE_GAP_MS = 2 * 60_000;
/**
 * An identity with this much life in the baseline window is its own baseline: even a short own
 * history says more about it than its name's (a name such as `node` mixes idle and busy processes).
 */
const OWN_MIN_S = 30;
const NEAR_MS = 90_000;

export async function explain(
  queries: CoreQueries,
  source: AnalyticsSource,
  q: { ts: number; n?: number; now?: number },
): Promise<ExplainRequest.Result> {
  const now = q.now ?? Date.now();
  const instant = await queries.at({ ts: q.ts });
  const around = await queries.stats({
    from: q.ts - NEAR_MS,
    to: Math.min(now, q.ts + NEAR_MS),
    groupBy: 'identity',
  });
  const base = await queries.stats({
    from: q.ts - BASELINE_MS,
    to: q.ts - BASELINE_GAP_MS,
    groupBy: 'identity',
  });
  const own = new Map<string, StatsRow>();
  const names = new Map<string, Sums>();
  for (const r of base.rows) {
    if (!r.identity) continue;
    if (r.activeSeconds >= OWN_MIN_S) own.set(identityKey(r.identity.pid, r.identity.startTime), r);
    let sums = names.get(r.name);
    if (!sums) names.set(r.name, (sums = { aliveS: 0, cpuS: 0, rssS: 0, rssBs: 0 }));
    sums.aliveS += r.activeSeconds;
    sums.cpuS += r.cpuSeconds;
    if (r.memAvg !== null) {
      sums.rssS += r.activeSeconds;
      sums.rssBs += r.memAvg * r.activeSeconds;
    }
  }
  const baselineOf = (key: string, name: string): Baseline | undefined => {
    const o = own.get(key);
    if (o) return { kind: 'identity', cpu: o.cpuAvg, rss: o.memAvg };
    const n = names.get(name);
    if (!n || n.aliveS <= 0) return undefined;
    return { kind: 'name', cpu: (n.cpuS / n.aliveS) * 100, rss: n.rssS > 0 ? n.rssBs / n.rssS : null };
  };

  const best = new Map<string, ExplainRow>();
  const consider = (row: Figures, at: number) => {
    const key = identityKey(row.identity.pid, row.identity.startTime);
    const scored = score(row, baselineOf(key, row.name), at);
    const known = best.get(key);
    if (!known || scored.score > known.score) best.set(key, scored);
  };
  if (instant.sampleTs !== null) {
    for (const r of instant.rows)
      consider({ ...r, identity: { pid: r.pid, startTime: r.startTime } }, instant.sampleTs);
  }
  for (const r of around.rows) {
    if (!r.identity || r.activeSeconds <= 0) continue;
    consider(
      {
        identity: r.identity,
        name: r.name,
        cmdline: '',
        container: null,
        cpu: (r.cpuSeconds / r.activeSeconds) * 100,
        rss: r.memAvg,
      },
      q.ts,
    );
  }
  const ranked = [...best.values()].sort((a, b) => b.score - a.score).slice(0, q.n ?? 10);
  // Stats rows carry no command line: take it from the instant, or — for a process that started
  // after it — from the end of the window (one more read, only then).
  const fill = (rows: typeof instant.rows) => {
    for (const r of rows) {
      const row = best.get(identityKey(r.pid, r.startTime));
      if (row && !row.cmdline) Object.assign(row, { cmdline: r.cmdline, container: r.container });
    }
  };
  fill(instant.rows);
  if (ranked.some((r) => !r.cmdline)) fill((await queries.at({ ts: Math.min(now, q.ts + NEAR_MS) })).rows);
  return {
    ts: q.ts,
    sampleTs: instant.sampleTs,
    machine: instant.machine,
    ranked,
    findings: source.findings(q.ts, q.ts),
  };
}

interface Sums {
  aliveS: number;
  cpuS: number;
  rssS: number;
  rssBs: number;
}

interface Baseline {
  kind: 'identity' | 'name';
  cpu: number | null;
  rss: number | null;
}

type Figures = Pick<ExplainRow, 'identity' | 'name' | 'cmdline' | 'container' | 'cpu' | 'rss'>;

function score(row: Figures, base: Baseline | undefined, at: number): ExplainRow {
  const baseCpu = base ? base.cpu : null;
  const baseRss = base ? base.rss : null;
  const cpuScore =
    row.cpu === null ? 0 : (row.cpu - (baseCpu ?? NEW_CPU)) / ((baseCpu ?? NEW_CPU) + CPU_FLOOR);
  const rssScore =
    row.rss === null ? 0 : (row.rss - (baseRss ?? NEW_RSS)) / ((baseRss ?? NEW_RSS) + RSS_FLOOR);
  return {
    identity: row.identity,
    name: row.name,
    cmdline: row.cmdline,
    container: row.container,
    at,
    cpu: row.cpu,
    rss: row.rss,
    baselineCpu: baseCpu,
    baselineRss: baseRss,
    baseline: base?.kind ?? 'none',
    score: Math.max(cpuScore, rssScore),
    metric: rssScore > cpuScore ? 'rss' : 'cpu',
  };
}
