// `process-tracker explain TIME`: the machine then, and the processes ranked by how far they were
// from their own baseline — not merely the top by CPU — with the findings open at that time.
//
// The baseline is the one the process had *then*: its average over the hour before (from the
// store's rollups, ending two minutes before TIME so the moment itself does not pull it up), per
// identity when it had been alive for a while, else per name. The distance is relative with a
// floor — (value − baseline) / (baseline + floor) — so an idle daemon that starts burning a core
// outranks a build tool that always burns one. Processes with no baseline at all are measured
// against a prior of a busy new process, so they rank after established ones that moved as far.
// The figures are taken at three instants (TIME − 30 s, TIME, TIME + 30 s): a time typed by a
// person is a minute or so off, and the culprit may start just after it.
import type { ProcessRow, StatsRow } from '../../shared/model';
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
/** An identity needs this much life in the baseline window to be its own baseline. */
const OWN_MIN_S = 120;
const NEAR_MS = 30_000;

export async function explain(
  queries: CoreQueries,
  source: AnalyticsSource,
  q: { ts: number; n?: number; now?: number },
): Promise<ExplainRequest.Result> {
  const now = q.now ?? Date.now();
  const instants = [q.ts - NEAR_MS, q.ts, Math.min(now, q.ts + NEAR_MS)];
  const snapshots = [];
  for (const ts of instants) snapshots.push(await queries.at({ ts }));
  const base = { from: q.ts - BASELINE_MS, to: q.ts - BASELINE_GAP_MS };
  const own = new Map<string, StatsRow>();
  for (const r of (await queries.stats({ ...base, groupBy: 'identity' })).rows)
    if (r.identity && r.activeSeconds >= OWN_MIN_S)
      own.set(identityKey(r.identity.pid, r.identity.startTime), r);
  const names = new Map<string, StatsRow>();
  for (const r of (await queries.stats({ ...base, groupBy: 'name' })).rows) names.set(r.name, r);

  const best = new Map<string, ExplainRow>();
  for (const snapshot of snapshots) {
    if (snapshot.sampleTs === null) continue;
    for (const row of snapshot.rows) {
      const key = identityKey(row.pid, row.startTime);
      const scored = score(row, own.get(key), names.get(row.name), snapshot.sampleTs);
      const known = best.get(key);
      if (!known || scored.score > known.score) best.set(key, scored);
    }
  }
  const ranked = [...best.values()].sort((a, b) => b.score - a.score).slice(0, q.n ?? 10);
  const middle = snapshots[1]!;
  return {
    ts: q.ts,
    sampleTs: middle.sampleTs,
    machine: middle.machine,
    ranked,
    findings: source.findings(q.ts, q.ts),
  };
}

function score(
  row: ProcessRow,
  own: StatsRow | undefined,
  name: StatsRow | undefined,
  at: number,
): ExplainRow {
  const from = own ?? name;
  const baseCpu = from ? from.cpuAvg : null;
  const baseRss = from ? from.memAvg : null;
  const cpuScore =
    row.cpu === null ? 0 : (row.cpu - (baseCpu ?? NEW_CPU)) / ((baseCpu ?? NEW_CPU) + CPU_FLOOR);
  const rssScore =
    row.rss === null ? 0 : (row.rss - (baseRss ?? NEW_RSS)) / ((baseRss ?? NEW_RSS) + RSS_FLOOR);
  return {
    identity: { pid: row.pid, startTime: row.startTime },
    name: row.name,
    cmdline: row.cmdline,
    container: row.container,
    at,
    cpu: row.cpu,
    rss: row.rss,
    baselineCpu: baseCpu,
    baselineRss: baseRss,
    baseline: own ? 'identity' : name ? 'name' : 'none',
    score: Math.max(cpuScore, rssScore),
    metric: rssScore > cpuScore ? 'rss' : 'cpu',
  };
}
