// A time series for one identity, all identities of one name (summed), or the machine. The tier is
// the finest whose step keeps the points under maxPoints and that holds everything recorded in the
// range (its start, or — on a store younger than the range — all there is).
// Sparse tiers are filled: an alive process without a row was idle (CPU 0, RSS carried forward).
import { identityKey, type ProcessMeta, type Series, type SeriesPoint } from '../../../shared/model';
import type { Drained } from '../rollup';
import { rates, type Span } from '../span';
import type { TierName } from '../tiers';
import type { SeriesQuery, SeriesResult } from '../types';
import {
  metaFromRow,
  num,
  query,
  sampleFigures,
  type QueryContext,
  type Row,
  type SampleFigures,
} from './context';

const DEFAULT_MAX_POINTS = 1500;

type Metric = SeriesQuery['metric'];

const COARSER: Record<'raw' | 'minute', TierName[]> = { raw: ['minute', 'hour'], minute: ['hour'] };

/** Whether a coarser tier recorded machine samples in [from, until): data the finer tier has lost. */
function recordedBefore(ctx: QueryContext, tiers: TierName[], from: number, until: number): boolean {
  return tiers.some((name) =>
    ctx.files.starts(name, from, until).some((start) => {
      const view = ctx.files.view(name, start);
      return (
        !!view &&
        query(ctx, view, 'SELECT 1 FROM machine WHERE ts >= ? AND ts < ? LIMIT 1', [from, until]).length > 0
      );
    }),
  );
}

export function chooseTier(ctx: QueryContext, from: number, to: number, maxPoints: number): TierName {
  for (const name of ['raw', 'minute'] as const) {
    if ((to - from) / ctx.tiers[name].stepMs > maxPoints) continue;
    const first = ctx.files.starts(name, from, to)[0];
    if (first === undefined) continue;
    // Retention removed the finer tier's older files: the coarser tier alone spans the range.
    if (first <= from || !recordedBefore(ctx, COARSER[name], from, first)) return name;
  }
  return 'hour';
}

type Figures = SampleFigures;

const fromRow = (r: Row): Figures => sampleFigures(r);

const fromSpan = (s: Span): Figures => ({ ...s, spanS: s.spanS });

/** The same identity, idle since `f`: nothing used, memory and threads unchanged. */
const idle = (f: Figures, ts: number): Figures => ({
  ...f,
  ts,
  cpuS: f.cpuS === null ? null : 0,
  cpuMax: f.cpuS === null ? null : 0,
  rssMax: f.rss,
  readB: f.readB === null ? null : 0,
  writeB: f.writeB === null ? null : 0,
});

function point(metric: Metric, f: Figures): { value: number | null; max: number | null } {
  const r = rates(f.cpuS, f.readB, f.writeB, f.spanS);
  switch (metric) {
    case 'cpu':
      return { value: r.cpu, max: f.cpuMax ?? r.cpu };
    case 'rss':
      return { value: f.rss, max: f.rssMax ?? f.rss };
    case 'readBps':
      return { value: r.readBps, max: r.readBps };
    case 'writeBps':
      return { value: r.writeBps, max: r.writeBps };
    case 'threads':
      return { value: f.threads, max: f.threads };
    default:
      return { value: f.fds, max: f.fds };
  }
}

const sum = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : a + b);

export function series(ctx: QueryContext, q: SeriesQuery): SeriesResult {
  const tierName = chooseTier(ctx, q.from, q.to, q.maxPoints ?? DEFAULT_MAX_POINTS);
  const tier = ctx.tiers[tierName];
  // The tier is the whole range's; only the points from `since` on are read.
  const from = Math.max(q.from, q.since ?? q.from);
  const points = new Map<number, SeriesPoint>();
  const machine = q.metric === 'machineCpu' || q.metric === 'machineMem';
  const add = (ts: number, value: number | null, max: number | null) => {
    const p = points.get(ts);
    if (!p) points.set(ts, { ts, value, max });
    else {
      p.value = sum(p.value, value);
      p.max = sum(p.max, max);
    }
  };
  const wanted = (m: Pick<ProcessMeta, 'pid' | 'startTime' | 'name'>) =>
    q.identity ? m.pid === q.identity.pid && m.startTime === q.identity.startTime : m.name === q.name;
  let label = machine ? 'machine' : (q.name ?? '');
  let identityMeta: ProcessMeta | undefined;

  for (const start of ctx.files.starts(tierName, from, q.to)) {
    const view = ctx.files.view(tierName, start);
    if (!view) continue;
    if (machine) {
      for (const r of query(ctx, view, 'SELECT * FROM machine WHERE ts >= ? AND ts < ? ORDER BY ts', [
        from,
        q.to,
      ])) {
        if (q.metric === 'machineCpu') add(r.ts as number, num(r.cpu), num(r.cpu_max) ?? num(r.cpu));
        else add(r.ts as number, num(r.mem_used), num(r.mem_max));
      }
      continue;
    }
    const grid = query(ctx, view, 'SELECT ts FROM machine WHERE ts >= ? AND ts < ? ORDER BY ts', [
      from,
      q.to,
    ]).map((r) => r.ts as number);
    const procs = q.identity
      ? query(ctx, view, 'SELECT * FROM processes WHERE pid = ? AND start_time = ?', [
          q.identity.pid,
          q.identity.startTime,
        ])
      : query(ctx, view, 'SELECT * FROM processes WHERE name = ?', [q.name ?? '']);
    for (const p of procs) {
      if (q.identity) identityMeta = metaFromRow(p);
      const firstSeen = p.first_seen as number;
      const lastSeen = p.last_seen as number;
      const rows = query(
        ctx,
        view,
        'SELECT * FROM samples WHERE proc = ? AND ts >= ? AND ts < ? ORDER BY ts',
        [p.id as number, from, q.to],
      ).map(fromRow);
      const before = query(
        ctx,
        view,
        'SELECT * FROM samples WHERE proc = ? AND ts < ? ORDER BY ts DESC LIMIT 1',
        [p.id as number, from],
      )[0];
      let carry: Figures | null = before ? fromRow(before) : null;
      let next = 0;
      const reach = tierName === 'raw' ? 0 : tier.stepMs - 1;
      for (const ts of grid) {
        while (next < rows.length && rows[next]!.ts < ts) carry = rows[next++]!;
        if (ts + reach < firstSeen || ts > lastSeen) continue;
        const row = rows[next]?.ts === ts ? rows[next]! : null;
        const f = row ?? (carry && idle(carry, ts));
        if (!f) continue;
        const pt = point(q.metric, f);
        add(ts, pt.value, pt.max);
      }
    }
  }

  // The open rollup bucket is not in the files yet.
  const open: Drained | null =
    tierName === 'minute' ? ctx.open.minute : tierName === 'hour' ? ctx.open.hour : null;
  if (open && open.bucket >= from && open.bucket < q.to && !points.has(open.bucket)) {
    if (machine && open.machine) {
      const m = open.machine;
      if (q.metric === 'machineCpu') add(open.bucket, m.cpu, m.cpuMax);
      else add(open.bucket, m.memUsed, m.memMax);
    }
    if (!machine) {
      for (const { meta, span } of open.spans) {
        if (!wanted(meta)) continue;
        if (q.identity) identityMeta = meta;
        const pt = point(q.metric, fromSpan(span));
        add(open.bucket, pt.value, pt.max);
      }
    }
  }

  if (q.identity) label = identityMeta ? `${identityMeta.name} (${q.identity.pid})` : `pid ${q.identity.pid}`;
  const key = machine
    ? 'machine'
    : q.identity
      ? identityKey(q.identity.pid, q.identity.startTime)
      : `name:${q.name}`;
  const result: Series = {
    key,
    label,
    metric: q.metric,
    points: [...points.values()].sort((a, b) => a.ts - b.ts),
    ...(q.identity ? { identity: q.identity } : {}),
  };
  return { from: q.from, to: q.to, resolution: tier.resolution, series: [result] };
}
