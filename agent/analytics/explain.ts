// `process-tracker explain TIME`: the machine then, and the processes ranked by how far their own
// figures moved at TIME — not merely the top by CPU — with the findings open at that time.
//
// "Why was it slow at 14:30" asks what changed then. So each process is measured over the minute
// that holds TIME and the minute after it (a culprit may start just after the moment a person
// names; the minute after is the store's open bucket while it is still running) — whole minutes
// of the store's rollups, one read — against its baseline *then*: its own average over the hour
// before TIME's minute. Whole minutes keep "before" and "after" apart: a window reaching back
// before TIME would mix a process's idle minutes into its busy ones.
//
// The distance is relative with a floor — (value − baseline) / (baseline + floor) — so an idle
// daemon that starts burning a core outranks a build tool that always burns one, and is weighed by
// how long the process was seen in those minutes (s / (s + 15 s)): a two-second blip says less than a
// whole minute. A process with too little life in the hour to be its own baseline is new: it is
// measured against what a busy new process uses (25 % of a core, 256 MiB), or its name's average
// when that is higher — not against its name's idle siblings, so that `node` processes of a build
// starting busy do not outrank a process that left its own long-standing baseline.
import type { StatsRow } from '../../shared/model';
import type { ExplainRequest } from '../../shared/protocol';
import { identityKey } from '../../shared/model';
import type { CoreQueries } from '../service/core';
import type { AnalyticsSource } from './source';

type ExplainRow = ExplainRequest.Row;

const MiB = 1024 * 1024;
const MINUTE_MS = 60_000;
const CPU_FLOOR = 2;
const RSS_FLOOR = 64 * MiB;
/** The prior for a process with no baseline of its own: a busy new process. */
const NEW_CPU = 25;
const NEW_RSS = 256 * MiB;
const BASELINE_MS = 3_600_000;
/** An identity with this much life in the baseline hour is its own baseline. */
const OWN_MIN_S = 30;
/** The window after TIME's minute starts: that minute and the next. */
const AFTER_MS = 2 * MINUTE_MS;
/** Seconds seen in the window at which its figure counts half (see the weight above). */
const EVIDENCE_S = 15;
/** Container starts and stops this long before TIME's minute are shown with it (a slow start's cause). */
const CONTAINERS_BEFORE_MS = 5 * MINUTE_MS;

export async function explain(
  queries: CoreQueries,
  source: AnalyticsSource,
  q: { ts: number; n?: number; now?: number },
): Promise<ExplainRequest.Result> {
  const now = q.now ?? Date.now();
  const minute = Math.floor(q.ts / MINUTE_MS) * MINUTE_MS;
  const end = minute + AFTER_MS;
  const instant = await queries.at({ ts: q.ts });
  const base = await queries.stats({ from: minute - BASELINE_MS, to: minute, groupBy: 'identity' });
  const baselineOf = baselines(base.rows);
  // One read for both minutes: the store answers whole minutes, the open one included.
  const after = await queries.stats({ from: minute, to: end, groupBy: 'identity' });
  const best = new Map<string, ExplainRow>();
  for (const r of after.rows) {
    if (!r.identity || r.activeSeconds <= 0) continue;
    const key = identityKey(r.identity.pid, r.identity.startTime);
    best.set(key, score(r, baselineOf(key, r.name), minute));
  }
  const ranked = [...best.values()]
    .sort((a, b) => b.score - a.score || (b.cpu ?? 0) - (a.cpu ?? 0))
    .slice(0, q.n ?? 10);
  // Stats rows carry no command line: take it from the instant, or — for a process that started
  // after it — from the end of the last minute (one more read, only then).
  const fill = (rows: typeof instant.rows) => {
    for (const r of rows) {
      const row = best.get(identityKey(r.pid, r.startTime));
      if (row && !row.cmdline) Object.assign(row, { cmdline: r.cmdline, container: r.container });
    }
  };
  fill(instant.rows);
  if (ranked.some((r) => !r.cmdline)) fill((await queries.at({ ts: Math.min(now, end - 1) })).rows);
  return {
    ts: q.ts,
    sampleTs: instant.sampleTs,
    machine: instant.machine,
    ranked,
    findings: source.findings(q.ts, q.ts),
    containers: source.containerEvents(minute - CONTAINERS_BEFORE_MS, end - 1),
  };
}

interface Baseline {
  kind: ExplainRow['baseline'];
  /** null: not known (its figures were unreadable then), so that metric does not score. */
  cpu: number | null;
  rss: number | null;
}

/** Each identity's baseline from the hour's per-identity rows: its own, else its name's or the prior. */
function baselines(rows: StatsRow[]): (key: string, name: string) => Baseline {
  const own = new Map<string, StatsRow>();
  const names = new Map<string, { aliveS: number; cpuS: number; rssS: number; rssBs: number }>();
  for (const r of rows) {
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
  return (key, name) => {
    const o = own.get(key);
    if (o) return { kind: 'identity', cpu: o.cpuAvg, rss: o.memAvg };
    // New: a name whose instances are busier than a busy new process is its own prior.
    const n = names.get(name);
    const cpu = n && n.aliveS > 0 ? (n.cpuS / n.aliveS) * 100 : 0;
    const rss = n && n.rssS > 0 ? n.rssBs / n.rssS : 0;
    return {
      kind: cpu > NEW_CPU || rss > NEW_RSS ? 'name' : 'new',
      cpu: Math.max(cpu, NEW_CPU),
      rss: Math.max(rss, NEW_RSS),
    };
  };
}

function score(row: StatsRow, base: Baseline, at: number): ExplainRow {
  const weight = row.activeSeconds / (row.activeSeconds + EVIDENCE_S);
  const cpu = row.cpuAvg;
  const rss = row.memAvg;
  const cpuScore =
    cpu === null || base.cpu === null ? 0 : (weight * (cpu - base.cpu)) / (base.cpu + CPU_FLOOR);
  const rssScore =
    rss === null || base.rss === null ? 0 : (weight * (rss - base.rss)) / (base.rss + RSS_FLOOR);
  return {
    identity: row.identity!,
    name: row.name,
    cmdline: '',
    container: row.container ?? null,
    at,
    cpu,
    rss,
    baselineCpu: base.cpu,
    baselineRss: base.rss,
    baseline: base.kind,
    score: Math.max(cpuScore, rssScore),
    metric: rssScore > cpuScore ? 'rss' : 'cpu',
  };
}
