// Statistics over a range, per name or per identity. The range is cut into pieces answered from
// the cheapest exact source: whole past days from the per-file aggregates (one small table per
// day, read from its sidecar, see dayTotals.ts), whole hours from the dense hour rows, and the edges from minute rows; the open buckets
// (the current hour and minute) come from the in-memory accumulators. Edges are minute-precise.
import {
  PARTIAL_FIELDS,
  type PartialField,
  type ProcessMeta,
  type SortKey,
  type StatsResult,
  type StatsRow,
} from '../../../shared/model';
import { compileFilter, type ProcessPredicate } from '../../../shared/filter';
import type { FileView } from '../files';
import type { Drained } from '../rollup';
import { addNullable, identityKey, maxNullable } from '../span';
import { DAY_MS, floorTo, HOUR_MS, MINUTE_MS } from '../tiers';
import type { StatsQuery } from '../types';
import { metaFromRow, num, query, type QueryContext, type Row } from './context';

interface Agg {
  meta: ProcessMeta;
  aliveS: number;
  cpuS: number | null;
  cpuMax: number | null;
  rssBs: number;
  rssS: number;
  rssMax: number | null;
  readB: number | null;
  writeB: number | null;
  /** When it was alive, ms [from, to) pieces: a name's Active is their union, not their sum. */
  alive: Interval[];
}

type Interval = [number, number];

type Part = Omit<Agg, 'meta'>;

/** Where each sum that can be partial is kept in an identity's Agg (null: unknown throughout). */
const SUM_OF: Record<PartialField, 'readB' | 'writeB'> = { readBytes: 'readB', writeBytes: 'writeB' };

class Totals {
  readonly byIdentity = new Map<string, Agg>();
  constructor(private readonly accept: ProcessPredicate) {}

  add(meta: ProcessMeta, p: Part): void {
    const key = identityKey(meta.pid, meta.startTime);
    const a = this.byIdentity.get(key);
    if (!a) {
      if (this.accept(meta)) this.byIdentity.set(key, { meta, ...p });
      return;
    }
    a.aliveS += p.aliveS;
    a.cpuS = addNullable(a.cpuS, p.cpuS);
    a.cpuMax = maxNullable(a.cpuMax, p.cpuMax);
    a.rssBs += p.rssBs;
    a.rssS += p.rssS;
    a.rssMax = maxNullable(a.rssMax, p.rssMax);
    a.readB = addNullable(a.readB, p.readB);
    a.writeB = addNullable(a.writeB, p.writeB);
    a.alive.push(...p.alive);
  }

  addDrained(d: Drained): void {
    for (const { meta, span } of d.spans) {
      this.add(meta, {
        // Alive for spanS seconds up to its last sight in the open bucket.
        alive: [[span.lastTs - span.spanS * 1000, span.lastTs]],
        aliveS: span.spanS,
        cpuS: span.cpuS,
        cpuMax: span.cpuMax,
        rssBs: span.rss === null ? 0 : span.rss * span.spanS,
        rssS: span.rss === null ? 0 : span.spanS,
        rssMax: maxNullable(span.rssMax, span.rss),
        readB: span.readB,
        writeB: span.writeB,
      });
    }
  }
}

const ceilTo = (ts: number, step: number) => Math.ceil(ts / step) * step;

export function stats(ctx: QueryContext, q: StatsQuery): StatsResult {
  const totals = new Totals(compileFilter(q.filter));
  const lastTs = ctx.open.lastTs;
  const dataEnd = lastTs > 0 ? lastTs + 1 : q.to;
  // A range reaches the open buckets when it ends after the tick before the newest: a client's
  // "now" is often read just before a tick the store has taken by the time it answers. Leaving
  // them out would drop the whole open minute (a process that started in it, the last seconds of a
  // busy one); counting them adds at most that one tick.
  const reachesNow = (b: number) => b >= dataEnd || (lastTs > 0 && b > lastTs - ctx.intervalMs);
  const end = Math.min(q.to, dataEnd);
  const hourOpen = ctx.open.hour?.bucket ?? null;
  const minuteOpen = ctx.open.minute?.bucket ?? null;
  let usedMinutes = false;

  const dayAggregates = (day: number) => {
    const read = (view: FileView) => query(ctx, view, 'SELECT * FROM processes');
    const found = ctx.files.dayTotals('hour', day, read) ?? ctx.files.dayTotals('minute', day, read) ?? [];
    for (const r of found) {
      totals.add(metaFromRow(r), {
        alive: [lifetime(r, ctx.intervalMs)],
        aliveS: r.alive_s as number,
        cpuS: num(r.cpu_s),
        cpuMax: num(r.cpu_max),
        rssBs: r.rss_bs as number,
        rssS: r.rss_s as number,
        rssMax: num(r.rss_max),
        readB: num(r.read_b),
        writeB: num(r.write_b),
      });
    }
  };

  const rows = (tierName: 'minute' | 'hour', a: number, b: number) => {
    if (a >= b) return;
    if (tierName === 'minute') usedMinutes = true;
    const tier = ctx.tiers[tierName];
    for (const start of ctx.files.starts(tierName, a, b)) {
      const view = ctx.files.view(tierName, start);
      if (!view) continue;
      const found = query(
        ctx,
        view,
        `SELECT p.*, SUM(s.span_ms) / 1000.0 AS span, SUM(s.cpu_ms) / 1000.0 AS cpu_sum,
           MAX(s.cpu_max_dp) / 10.0 AS cpu_peak, SUM(s.rss_kb * 1024.0 * s.span_ms) / 1000.0 AS rss_bs_rows,
           SUM(CASE WHEN s.rss_kb IS NULL THEN 0 ELSE s.span_ms END) / 1000.0 AS rss_s_rows,
           MAX(COALESCE(s.rss_max_kb, s.rss_kb)) * 1024.0 AS rss_peak,
           SUM(s.read_b) AS read_sum, SUM(s.write_b) AS write_sum,
           (SELECT c.rss_kb * 1024.0 FROM samples c WHERE c.proc = p.id AND c.ts < :a ORDER BY c.ts DESC LIMIT 1) AS carry
         FROM processes p LEFT JOIN samples s ON s.proc = p.id AND s.ts >= :a AND s.ts < :b
         WHERE p.first_seen < :b AND p.last_seen >= :a
         GROUP BY p.id`,
        { ':a': a, ':b': b },
      );
      for (const r of found) addPiece(totals, r, a, b, tier.dense, ctx.intervalMs);
    }
  };

  const minutes = (a: number, b: number) => {
    if (a >= b) return;
    usedMinutes = true;
    const first = ceilTo(a, MINUTE_MS);
    const openIncluded = minuteOpen !== null && reachesNow(b) && minuteOpen >= first;
    rows('minute', first, openIncluded ? minuteOpen : floorTo(b, MINUTE_MS));
    if (openIncluded) addOpen(totals, ctx.open.minute);
  };

  const hours = (a: number, b: number) => {
    if (a >= b) return;
    const first = ceilTo(a, HOUR_MS);
    let last = first;
    while (last + HOUR_MS <= b && last !== hourOpen) last += HOUR_MS;
    const openIncluded = hourOpen !== null && last === hourOpen && reachesNow(b) && hourOpen >= first;
    if (last === first && !openIncluded) return minutes(a, b);
    minutes(a, first);
    rows('hour', first, last);
    if (openIncluded) {
      addOpen(totals, ctx.open.hour);
      // The open hour's current minute has not reached the hour bucket yet.
      if (minuteOpen !== null && floorTo(minuteOpen, HOUR_MS) === hourOpen) {
        usedMinutes = true;
        addOpen(totals, ctx.open.minute);
      }
    } else {
      minutes(last, b);
    }
  };

  const firstDay = ceilTo(q.from, DAY_MS);
  let day = firstDay;
  while (day + DAY_MS <= end && (hourOpen === null || hourOpen >= day + DAY_MS)) day += DAY_MS;
  if (day > firstDay) {
    hours(q.from, firstDay);
    for (let d = firstDay; d < day; d += DAY_MS) dayAggregates(d);
    hours(day, end);
  } else {
    hours(q.from, end);
  }

  return {
    from: q.from,
    to: q.to,
    resolution: (usedMinutes ? ctx.tiers.minute : ctx.tiers.hour).resolution,
    rows: toRows([...totals.byIdentity.values()], q),
  };
}

function addOpen(totals: Totals, drained: Drained | null): void {
  if (drained) totals.addDrained(drained);
}

/** One identity's share of a piece of rows [a, b); idle time in sparse tiers keeps the last RSS. */
function addPiece(totals: Totals, r: Row, a: number, b: number, dense: boolean, intervalMs: number): void {
  const rowsS = num(r.span) ?? 0;
  const firstSeen = r.first_seen as number;
  const lastSeen = r.last_seen as number;
  const overlapS = Math.max(0, (Math.min(lastSeen, b) - Math.max(firstSeen - intervalMs, a)) / 1000);
  const aliveS = dense ? rowsS : Math.max(rowsS, overlapS);
  const rssRowsS = num(r.rss_s_rows) ?? 0;
  const rssRowsBs = num(r.rss_bs_rows) ?? 0;
  const carry = num(r.carry) ?? (rssRowsS > 0 ? rssRowsBs / rssRowsS : null);
  const idleS = aliveS - rowsS;
  totals.add(metaFromRow(r), {
    alive: [lifetime(r, intervalMs)],
    aliveS,
    cpuS: num(r.cpu_sum) ?? (rowsS === 0 && r.cpu_s !== null ? 0 : null),
    cpuMax: num(r.cpu_peak),
    rssBs: rssRowsBs + (carry !== null ? carry * idleS : 0),
    rssS: rssRowsS + (carry !== null ? idleS : 0),
    rssMax: maxNullable(num(r.rss_peak), carry),
    readB: num(r.read_sum) ?? (rowsS === 0 && r.read_b !== null ? 0 : null),
    writeB: num(r.write_sum) ?? (rowsS === 0 && r.write_b !== null ? 0 : null),
  });
}

/**
 * When a process row says it was alive, give or take a tick at each end (a tick's span reaches
 * back before its first sight; it ran on after its last until the next tick). Not cut to the piece
 * being read: the union is cut to the range, and capped by the summed spans, which are exact.
 */
function lifetime(r: Row, intervalMs: number): Interval {
  return [(r.first_seen as number) - intervalMs, (r.last_seen as number) + intervalMs];
}

/** Seconds covered by the union of `pieces` clipped to [from, to). */
function unionSeconds(pieces: Interval[], from: number, to: number): number {
  const sorted = pieces
    .map(([lo, hi]): Interval => [Math.max(lo, from), Math.min(hi, to)])
    .filter(([lo, hi]) => hi > lo)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let end = -Infinity;
  for (const [lo, hi] of sorted) {
    if (hi <= end) continue;
    total += hi - Math.max(lo, end);
    end = hi;
  }
  return total / 1000;
}

interface Group {
  row: StatsRow;
  a: Agg;
  count: number;
  /** The sums some identity of the group knows, and those some identity does not. */
  known: Set<PartialField>;
  unknown: Set<PartialField>;
}

function toRows(aggs: Agg[], q: StatsQuery): StatsRow[] {
  const groups = new Map<string, Group>();
  const perIdentity = q.groupBy === 'identity';
  const withContainer = perIdentity || q.byContainer === true;
  for (const a of aggs) {
    const key = perIdentity
      ? identityKey(a.meta.pid, a.meta.startTime)
      : withContainer
        ? `${a.meta.name}\u0000${a.meta.container ?? ''}`
        : a.meta.name;
    const started = a.meta.startTime >= q.from && a.meta.startTime < q.to ? 1 : 0;
    let g = groups.get(key);
    if (!g) {
      g = {
        row: {
          name: a.meta.name,
          ...(perIdentity ? { identity: { pid: a.meta.pid, startTime: a.meta.startTime } } : {}),
          ...(withContainer ? { container: a.meta.container } : {}),
          category: a.meta.category,
          activeSeconds: 0,
          cpuAvg: null,
          cpuPeak: null,
          cpuSeconds: 0,
          memAvg: null,
          memPeak: null,
          readBytes: null,
          writeBytes: null,
          starts: started,
          instances: 1,
        },
        a: { ...a, alive: [...a.alive] },
        count: 1,
        known: new Set(),
        unknown: new Set(),
      };
      groups.set(key, g);
    } else {
      g.row.starts += started;
      g.row.instances++;
      g.a.aliveS += a.aliveS;
      g.a.cpuS = addNullable(g.a.cpuS, a.cpuS);
      g.a.cpuMax = maxNullable(g.a.cpuMax, a.cpuMax);
      g.a.rssBs += a.rssBs;
      g.a.rssS += a.rssS;
      g.a.rssMax = maxNullable(g.a.rssMax, a.rssMax);
      g.a.readB = addNullable(g.a.readB, a.readB);
      g.a.writeB = addNullable(g.a.writeB, a.writeB);
      g.a.alive.push(...a.alive);
    }
    // Known sums add up; an identity whose figure is unknown (another user's IO) adds nothing, so
    // a group that mixes the two has only a lower bound: partial, not complete.
    for (const field of PARTIAL_FIELDS) (a[SUM_OF[field]] === null ? g.unknown : g.known).add(field);
  }
  const rows = [...groups.values()].map(({ row, a, known, unknown }) => {
    const partial = PARTIAL_FIELDS.filter((field) => known.has(field) && unknown.has(field));
    // Instances of one name overlap: Active is the wall-clock time any of them ran (never longer
    // than the range), while CPU avg stays per instance-second (CPU time over summed lifetimes).
    const activeSeconds = Math.min(a.aliveS, unionSeconds(a.alive, q.from, q.to));
    return {
      ...row,
      activeSeconds,
      cpuSeconds: a.cpuS ?? 0,
      cpuAvg: a.cpuS === null || a.aliveS <= 0 ? null : (a.cpuS / a.aliveS) * 100,
      cpuPeak: a.cpuMax,
      memAvg: a.rssS > 0 ? a.rssBs / a.rssS : null,
      memPeak: a.rssMax,
      readBytes: a.readB,
      writeBytes: a.writeB,
      ...(partial.length > 0 ? { partial } : {}),
    };
  });
  rows.sort(comparator(q.sort ?? 'cpu'));
  return q.n === undefined ? rows : rows.slice(0, q.n);
}

function comparator(sort: SortKey): (a: StatsRow, b: StatsRow) => number {
  switch (sort) {
    case 'name':
      return (a, b) => a.name.localeCompare(b.name);
    case 'mem':
      return (a, b) => (b.memAvg ?? -1) - (a.memAvg ?? -1) || a.name.localeCompare(b.name);
    case 'io':
      return (a, b) =>
        (b.readBytes ?? 0) + (b.writeBytes ?? 0) - ((a.readBytes ?? 0) + (a.writeBytes ?? 0)) ||
        a.name.localeCompare(b.name);
    default:
      return (a, b) => b.cpuSeconds - a.cpuSeconds || a.name.localeCompare(b.name);
  }
}
