// `process-tracker report`: the findings the engine stored in a range, plus what is computed from
// the store's rollups when asked — efficiency per name, waste (large and idle for days) and trends
// (linear regression over the range's days, projected TREND_DAYS ahead). Whole past days come from
// the hour tier's day totals (a small JSON sidecar each), so a month costs ~30 small reads.
import type { Finding, FindingSubject, StatsRow } from '../../shared/model';
import type { ReportRequest } from '../../shared/protocol';
import type { CoreQueries } from '../service/core';
import { nameBaselineKey } from './engine';
import type { AnalyticsSource } from './source';
import { coefficientOfVariation, linearFit } from './stats';
import { efficiencySummary, trendSummary, wasteSummary } from './text';

const DAY_MS = 24 * 3_600_000;
/** How far ahead trends are projected. */
export const TREND_DAYS = 7;
/** Waste: at least this much memory on average… */
export const WASTE_MIN_BYTES = 256 * 1024 * 1024;
/** …at most this CPU (percent of one core) while alive… */
export const WASTE_MAX_CPU = 0.5;
/**
 * …for at least this long (alive time within the look-back, which is this long too) unless the
 * report asks for another (`report --idle-for`, at least WASTE_IDLE_FOR_MIN_MS).
 */
export const WASTE_MIN_MS = 2 * DAY_MS;
/** The shortest --idle-for: under a minute the store's per-tick noise is all there is to judge. */
export const WASTE_IDLE_FOR_MIN_MS = 60_000;
/** The longest: the store keeps its minute tier for about this long. */
export const WASTE_IDLE_FOR_MAX_MS = 366 * DAY_MS;
const WASTE_LIMIT = 20;
const TREND_MIN_R2 = 0.7;

/**
 * Who a row of the store's statistics is about: its name, its identity (per identity), and the
 * container its processes ran in, by name where the engine read one — as the engine's own
 * findings say it. Rows are asked per container (`byContainer`), so a name's row never mixes the
 * host and a container.
 */
function subjectOf(r: StatsRow, source: AnalyticsSource): FindingSubject {
  const container = r.container ?? null;
  return {
    name: r.name,
    identities: r.identity ? [r.identity] : [],
    container,
    containerName: container === null ? null : source.containerName(container),
  };
}

export async function buildReport(
  queries: CoreQueries,
  source: AnalyticsSource,
  range: { from: number; to: number; n?: number; idleForMs?: number },
): Promise<ReportRequest.Result> {
  const { from, to } = range;
  const byName = await queries.stats({ from, to, groupBy: 'name', byContainer: true, sort: 'cpu' });
  const efficiency = byName.rows
    .filter((r) => r.activeSeconds > 0)
    .sort((a, b) => b.cpuSeconds - a.cpuSeconds)
    .slice(0, range.n ?? 20)
    .map((r): Finding => {
      const moments = source.rssMoments(r.name, r.container ?? null);
      const cpuPerWall = (r.cpuSeconds / r.activeSeconds) * 100;
      const memCv = moments ? coefficientOfVariation(moments) : null;
      const subject = subjectOf(r, source);
      return {
        kind: 'efficiency',
        subject,
        from,
        to,
        open: false,
        evidence: {
          cpuPerWall,
          cpuSeconds: r.cpuSeconds,
          activeSeconds: r.activeSeconds,
          memAvg: r.memAvg,
          memPeak: r.memPeak,
          memCv,
          instances: r.instances,
          starts: r.starts,
        },
        summary: efficiencySummary(subject, { cpuPerWall, memAvg: r.memAvg, memCv }),
      };
    });
  const findings = [
    ...source.findings(from, to),
    ...(await waste(queries, source, to, range.idleForMs ?? WASTE_MIN_MS)),
    ...(await nameTrends(queries, source, from, to)),
    ...machineTrends(source, from, to),
  ].sort((a, b) => a.from - b.from);
  return { from, to, findings, efficiency };
}

/** Identities alive for `idleForMs` (days by default) with much memory and almost no CPU in it. */
async function waste(
  queries: CoreQueries,
  source: AnalyticsSource,
  to: number,
  idleForMs: number,
): Promise<Finding[]> {
  const from = to - idleForMs;
  const rows = (await queries.stats({ from, to, groupBy: 'identity', sort: 'mem' })).rows;
  return rows
    .filter(
      (r) =>
        r.identity &&
        r.activeSeconds * 1000 >= 0.9 * idleForMs &&
        (r.memAvg ?? 0) >= WASTE_MIN_BYTES &&
        (r.cpuSeconds / r.activeSeconds) * 100 <= WASTE_MAX_CPU,
    )
    .slice(0, WASTE_LIMIT)
    .map((r) => {
      const subject = subjectOf(r, source);
      const cpuPerWall = (r.cpuSeconds / r.activeSeconds) * 100;
      const evidence = { memAvg: r.memAvg!, cpuPerWall, idleS: r.activeSeconds };
      return {
        kind: 'waste',
        subject,
        from,
        to,
        open: false,
        evidence,
        summary: wasteSummary(subject, evidence),
      } satisfies Finding;
    });
}

/**
 * Per-name memory and CPU per day over the range's whole days (at least three), fitted by least
 * squares and projected TREND_DAYS ahead; reported when the fit is good (R² ≥ 0.7) and the
 * projection moves by a quarter and at least 128 MiB (memory) or 10 % of a core (CPU).
 */
async function nameTrends(
  queries: CoreQueries,
  source: AnalyticsSource,
  from: number,
  to: number,
): Promise<Finding[]> {
  const firstDay = Math.ceil(from / DAY_MS) * DAY_MS;
  const days: number[] = [];
  for (let d = firstDay; d + DAY_MS <= to && days.length < 62; d += DAY_MS) days.push(d);
  if (days.length < 3) return [];
  // Per name and container: a name's instances on the host and in a container are two trends.
  const perName = new Map<string, { subject: FindingSubject; x: number[]; mem: number[]; cpu: number[] }>();
  for (const [i, day] of days.entries()) {
    const { rows } = await queries.stats({ from: day, to: day + DAY_MS, groupBy: 'name', byContainer: true });
    for (const r of rows) {
      if (r.memAvg === null || r.activeSeconds <= 0) continue;
      const key = nameBaselineKey(r.name, r.container ?? null);
      let p = perName.get(key);
      if (!p) perName.set(key, (p = { subject: subjectOf(r, source), x: [], mem: [], cpu: [] }));
      p.x.push(i);
      // Summed over instances: what the name holds on that day, not one instance's average.
      p.mem.push((r.memAvg * r.activeSeconds) / 86_400);
      p.cpu.push((r.cpuSeconds / 86_400) * 100);
    }
  }
  const out: Finding[] = [];
  const lastX = days.length - 1;
  for (const p of perName.values()) {
    if (p.x.length < 3) continue;
    const subject = p.subject;
    for (const metric of ['memory', 'cpu'] as const) {
      const y = metric === 'memory' ? p.mem : p.cpu;
      const fit = linearFit(p.x, y);
      if (!(fit.r2 >= TREND_MIN_R2)) continue;
      const now = fit.intercept + fit.slope * lastX;
      const projected = Math.max(0, fit.intercept + fit.slope * (lastX + TREND_DAYS));
      const change = Math.abs(projected - now);
      const minChange = metric === 'memory' ? 128 * 1024 * 1024 : 10;
      if (change < minChange || change < 0.25 * Math.abs(now)) continue;
      const evidence = {
        metric,
        now,
        projected,
        days: TREND_DAYS,
        r2: fit.r2,
        perDay: fit.slope,
        points: p.x.length,
      };
      out.push({
        kind: 'trend',
        subject,
        from: days[0]!,
        to: days[lastX]! + DAY_MS,
        open: false,
        evidence,
        summary: trendSummary(subject, evidence),
      });
    }
  }
  return out;
}

/** The machine's memory from the engine's hourly points in the range (at least a day of them). */
function machineTrends(source: AnalyticsSource, from: number, to: number): Finding[] {
  const ring = source.machineHours();
  const x: number[] = [];
  const mem: number[] = [];
  let memTotal = 0;
  for (let i = 0; i < ring.n; i++) {
    const ts = ring.at(i, 0);
    if (ts < from || ts > to) continue;
    x.push(ts / DAY_MS);
    mem.push(ring.at(i, 2));
    memTotal = ring.at(i, 3);
  }
  if (x.length < 24) return [];
  const fit = linearFit(x, mem);
  if (!(fit.r2 >= 0.5) || !(fit.slope > 0)) return [];
  const lastX = x[x.length - 1]!;
  const now = fit.intercept + fit.slope * lastX;
  const projected = fit.intercept + fit.slope * (lastX + TREND_DAYS);
  if (projected - now < 0.05 * memTotal) return [];
  const subject: FindingSubject = { name: null, identities: [], container: null };
  const evidence = {
    metric: 'memory' as const,
    now,
    projected,
    days: TREND_DAYS,
    r2: fit.r2,
    perDay: fit.slope,
    memTotal,
    points: x.length,
  };
  return [
    {
      kind: 'trend',
      subject,
      from: x[0]! * DAY_MS,
      to: lastX * DAY_MS,
      open: false,
      evidence,
      summary: trendSummary(subject, evidence),
    },
  ];
}
