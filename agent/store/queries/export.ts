// Export of stored rows as CSV (with a header), one JSON document or InfluxDB line protocol (one
// point a row, agent/influx/points.ts). Each stretch of time comes
// from the finest tier that holds it, so nothing is counted twice. Rows are sparse, as stored: a
// process without a row at some time was idle, with the memory of its previous row.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { UserInputError } from '../../../shared/errors';
import { compileFilter } from '../../../shared/filter';
import { processLine } from '../../influx/points';
import { rates } from '../span';
import type { TierName } from '../tiers';
import type { ExportQuery } from '../types';
import type { Statement } from 'sql.js';
import { metaFromRow, sampleFigures, SAMPLE_COLUMNS, type QueryContext, type Row } from './context';

const COLUMNS = [
  'time',
  'tier',
  'pid',
  'start_time',
  'name',
  'user',
  'category',
  'container',
  'span_s',
  'cpu_pct',
  'cpu_max_pct',
  'rss_bytes',
  'rss_max_bytes',
  'read_bps',
  'write_bps',
  'threads',
  'fds',
  'cmdline',
] as const;

type ExportRow = Record<(typeof COLUMNS)[number], string | number | null>;

interface Stretch {
  tier: TierName;
  start: number;
  from: number;
  to: number;
}

/** [from, to) cut into stretches, each from the finest tier with a file there. */
export function coverage(ctx: QueryContext, from: number, to: number): Stretch[] {
  const order: TierName[] = ['raw', 'minute', 'hour'];
  const starts = Object.fromEntries(order.map((t) => [t, ctx.files.starts(t, from, to)])) as Record<
    TierName,
    number[]
  >;
  const stretches: Stretch[] = [];
  let cursor = from;
  while (cursor < to) {
    let chosen: Stretch | null = null;
    for (const [i, name] of order.entries()) {
      const span = ctx.tiers[name].fileSpanMs;
      const start = starts[name].find((s) => s <= cursor && cursor < s + span);
      if (start === undefined) continue;
      // Stop where a finer tier's file begins.
      let end = Math.min(start + span, to);
      for (const finer of order.slice(0, i)) {
        const next = starts[finer].find((s) => s > cursor);
        if (next !== undefined) end = Math.min(end, next);
      }
      chosen = { tier: name, start, from: cursor, to: end };
      break;
    }
    if (chosen) {
      stretches.push(chosen);
      cursor = chosen.to;
      continue;
    }
    const next = Math.min(...order.flatMap((t) => starts[t].filter((s) => s > cursor)), to);
    cursor = next;
  }
  return stretches;
}

/** Rounded to `digits` decimals; unknown stays unknown. */
const rounded = (v: number | null, digits: number): number | null =>
  v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * A row's CPU figures as a person reads them: the average to 0.1 % (the resolution the peak is
 * stored at, so no `24.349999999999998`), and the peak never below the average — an average is
 * computed from CPU seconds, the peak was rounded when stored, and a row reading 8.95 beside a
 * peak of 8.9 looks like a bug.
 */
function cpuCells(cpu: number | null, cpuMax: number | null): { cpu: number | null; max: number | null } {
  const average = rounded(cpu, 1);
  const peak = rounded(cpuMax, 1);
  return { cpu: average, max: peak === null || average === null ? peak : Math.max(peak, average) };
}

/** Rows written between two turns of the event loop (~5 ms of work on a busy 2-core machine). */
const ROWS_PER_TURN = 500;
/** A stretch is read an hour at a time: one piece's sort is what runs without a break. */
const PIECE_MS = 3_600_000;
/** A statement freed under the export before it read a row again is prepared again this often at most. */
const STALLS = 5;

const ROWS_SQL = `SELECT p.*, ${SAMPLE_COLUMNS('s', 's_')} FROM samples s JOIN processes p ON p.id = s.proc
  WHERE s.ts >= ? AND s.ts < ?`;
const ORDER_SQL = ' ORDER BY s.ts, p.pid, s.proc';

/**
 * sql.js frees every statement of a database it exports (a flush) or closes (an evicted past
 * file, a rolled-over live file): the export then prepares its query again after the last row.
 */
const wasFreed = (error: unknown) =>
  error === 'Statement closed' ||
  error === 'Database closed' ||
  (error instanceof Error && error.message === 'Database closed');

/**
 * A stretch's rows, read as they are written: one statement stepped between writes (never the
 * stretch's rows all at once), an hour's piece at a time. A past file found damaged is set aside
 * and yields no more rows.
 */
async function* stretchRows(ctx: QueryContext, stretch: Stretch): AsyncGenerator<Row> {
  for (let from = stretch.from; from < stretch.to;) {
    const to = Math.min(stretch.to, Math.floor(from / PIECE_MS) * PIECE_MS + PIECE_MS);
    let after: [number, number, number] | null = null;
    let stalls = 0;
    for (;;) {
      const view = ctx.files.view(stretch.tier, stretch.start);
      if (!view) return;
      let statement: Statement | undefined;
      try {
        statement = view.db.prepare(
          after ? `${ROWS_SQL} AND (s.ts, p.pid, s.proc) > (?, ?, ?)${ORDER_SQL}` : ROWS_SQL + ORDER_SQL,
        );
        statement.bind(after ? [from, to, ...after] : [from, to]);
        const names = statement.getColumnNames();
        while (statement.step()) {
          const values = statement.get();
          const row: Row = {};
          for (let i = 0; i < names.length; i++) row[names[i]!] = values[i]!;
          after = [row.s_ts as number, row.pid as number, row.id as number];
          stalls = 0;
          yield row;
        }
        break;
      } catch (error) {
        // Freed is not damaged: never set a file aside for it.
        if (wasFreed(error)) {
          if (++stalls <= STALLS) continue;
          throw new Error(
            `export: ${stretch.tier} file of ${new Date(stretch.start).toISOString()} kept closing under it`,
            { cause: error },
          );
        }
        ctx.files.damaged(view, error);
        return;
      } finally {
        try {
          statement?.free();
        } catch {
          // freed already, with its database
        }
      }
    }
    from = to;
  }
}

const csvField = (v: string | number | null) => {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export async function exportTo(
  ctx: QueryContext,
  q: ExportQuery,
  out: NodeJS.WritableStream | string,
): Promise<{ rows: number }> {
  const accept = compileFilter(q.filter);
  // Rows hold full command lines (tokens, passwords in arguments): the file is its owner's only.
  const stream = typeof out === 'string' ? createWriteStream(out, { mode: 0o600 }) : out;
  // A path that cannot be written fails here, before anything is read: the user's to fix.
  if (typeof out === 'string') {
    try {
      await once(stream, 'open');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new UserInputError(
        `export file ${out} cannot be written (${code}): choose a file in a folder you can write`,
      );
    }
  }
  const write = async (text: string) => {
    if (!stream.write(text)) await once(stream, 'drain');
  };
  let count = 0;
  if (q.format === 'csv') await write(`${COLUMNS.join(',')}\n`);
  else if (q.format === 'json')
    await write(
      `{"from":${JSON.stringify(new Date(q.from).toISOString())},"to":${JSON.stringify(new Date(q.to).toISOString())},"rows":[`,
    );
  let sinceTurn = 0;
  for (const stretch of coverage(ctx, q.from, q.to)) {
    const resolution = ctx.tiers[stretch.tier].resolution.tier;
    for await (const r of stretchRows(ctx, stretch)) {
      // A due tick waits for one batch of rows at most, not for the export.
      if (++sinceTurn >= ROWS_PER_TURN) {
        sinceTurn = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const meta = metaFromRow(r);
      if (!accept(meta)) continue;
      const f = sampleFigures(r, 's_');
      const rr = rates(f.cpuS, f.readB, f.writeB, f.spanS);
      const cpu = cpuCells(rr.cpu, f.cpuMax);
      // Whole bytes per second: a third of a byte is noise, not information.
      const readBps = rounded(rr.readBps, 0);
      const writeBps = rounded(rr.writeBps, 0);
      const row: ExportRow = {
        time: new Date(f.ts).toISOString(),
        tier: resolution,
        pid: meta.pid,
        start_time: new Date(meta.startTime).toISOString(),
        name: meta.name,
        user: meta.user,
        category: meta.category,
        container: meta.container,
        span_s: f.spanS,
        cpu_pct: cpu.cpu,
        cpu_max_pct: cpu.max,
        rss_bytes: f.rss,
        rss_max_bytes: f.rssMax,
        read_bps: readBps,
        write_bps: writeBps,
        threads: f.threads,
        fds: f.fds,
        cmdline: meta.cmdline,
      };
      if (q.format === 'csv') await write(`${COLUMNS.map((c) => csvField(row[c])).join(',')}\n`);
      else if (q.format === 'influx') {
        // The same figures as the CSV row (rounded alike), command line included (the file is the owner's only).
        const { pid, startTime, name, user, category, container, cmdline } = meta;
        const point = { pid, startTime, name, user, category, container, cmdline, ts: f.ts };
        const figures = { spanS: f.spanS, cpuMax: cpu.max, rss: f.rss, rssMax: f.rssMax };
        const more = {
          threads: f.threads,
          fds: f.fds,
          tier: resolution,
          cpu: cpu.cpu,
          readBps,
          writeBps,
        };
        await write(`${processLine({ ...point, ...figures, ...more })}\n`);
      } else await write(`${count ? ',' : ''}\n${JSON.stringify(row)}`);
      count++;
    }
  }
  if (q.format === 'json') await write(`\n],"count":${count}}\n`);
  if (typeof out === 'string') {
    stream.end();
    await once(stream, 'finish');
  }
  return { rows: count };
}
