// What every query reads: the tier definitions, the files and the open rollup buckets.
import type { BindParams, Database, SqlValue } from 'sql.js';
import type { ProcessMeta } from '../../../shared/model';
import type { FileSet, FileView } from '../files';
import type { Drained } from '../rollup';
import type { TierDef, TierName } from '../tiers';

/**
 * What the recorder holds that no file has yet: the newest tick's time and the open minute and
 * hour buckets (null: none open). Plain data, so the writer can hand it to a query worker.
 */
export interface OpenBuckets {
  lastTs: number;
  minute: Drained | null;
  hour: Drained | null;
}

export interface QueryContext {
  tiers: Record<TierName, TierDef>;
  files: FileSet;
  open: OpenBuckets;
  intervalMs: number;
  now: number;
}

export type Row = Record<string, SqlValue>;

/** Runs a query on a file; a past file found damaged is set aside and yields no rows. */
export function query(ctx: QueryContext, view: FileView, sql: string, params: BindParams = []): Row[] {
  try {
    return allRows(view.db, sql, params);
  } catch (error) {
    ctx.files.damaged(view, error);
    return [];
  }
}

export function allRows(db: Database, sql: string, params: BindParams = []): Row[] {
  const statement = db.prepare(sql);
  try {
    statement.bind(params);
    // Not getAsObject(): it decodes every column name again for every row (most of a query's time).
    const names = statement.getColumnNames();
    const rows: Row[] = [];
    while (statement.step()) {
      const values = statement.get();
      const row: Row = {};
      for (let i = 0; i < names.length; i++) row[names[i]!] = values[i]!;
      rows.push(row);
    }
    return rows;
  } finally {
    statement.free();
  }
}

export function metaFromRow(r: Row): ProcessMeta {
  return {
    pid: r.pid as number,
    startTime: r.start_time as number,
    ppid: r.ppid as number,
    name: r.name as string,
    cmdline: r.cmdline as string,
    user: r.user as string | null,
    category: r.category as ProcessMeta['category'],
    // A day-totals sidecar is a cache of any age: a column it lacks is no container, not undefined.
    container: (r.container as string | null | undefined) ?? null,
  };
}

export const num = (v: SqlValue | undefined): number | null => (typeof v === 'number' ? v : null);

/** A samples row back in natural units (seconds, CPU-seconds, percent, bytes). */
export interface SampleFigures {
  ts: number;
  spanS: number;
  cpuS: number | null;
  cpuMax: number | null;
  rss: number | null;
  rssMax: number | null;
  readB: number | null;
  writeB: number | null;
  threads: number | null;
  fds: number | null;
}

const unscaled = (v: SqlValue | undefined, factor: number): number | null =>
  typeof v === 'number' ? v * factor : null;

/** Reads the samples columns, optionally prefixed (`s_span_ms`…) when joined with other tables. */
export function sampleFigures(r: Row, prefix = ''): SampleFigures {
  return {
    ts: r[`${prefix}ts`] as number,
    spanS: (r[`${prefix}span_ms`] as number) / 1000,
    cpuS: unscaled(r[`${prefix}cpu_ms`], 1 / 1000),
    cpuMax: unscaled(r[`${prefix}cpu_max_dp`], 1 / 10),
    rss: unscaled(r[`${prefix}rss_kb`], 1024),
    rssMax: unscaled(r[`${prefix}rss_max_kb`], 1024),
    readB: num(r[`${prefix}read_b`]),
    writeB: num(r[`${prefix}write_b`]),
    threads: num(r[`${prefix}threads`]),
    fds: num(r[`${prefix}fds`]),
  };
}

/** The samples columns renamed with a prefix, for joins with `processes`. */
export const SAMPLE_COLUMNS = (alias: string, prefix: string): string =>
  ['ts', 'span_ms', 'cpu_ms', 'cpu_max_dp', 'rss_kb', 'rss_max_kb', 'read_b', 'write_b', 'threads', 'fds']
    .map((c) => `${alias}.${c} AS ${prefix}${c}`)
    .join(', ');
