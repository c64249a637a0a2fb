// The processes at one instant, from the finest tier that holds it. A sparse tier has no row for
// an idle process: its figures are CPU 0, no IO, and the memory of its previous row.
import type { AtResult, MachineSample, ProcessRow } from '../../../shared/model';
import { compileFilter } from '../../../shared/filter';
import { compareRows } from '../../../shared/rowOrder';
import { rates } from '../span';
import { floorTo, type TierName } from '../tiers';
import type { AtQuery } from '../types';
import {
  metaFromRow,
  num,
  query,
  sampleFigures,
  SAMPLE_COLUMNS,
  type QueryContext,
  type Row,
} from './context';

export function at(ctx: QueryContext, q: AtQuery): AtResult {
  const accept = compileFilter(q.filter);
  for (const name of ['raw', 'minute', 'hour'] as TierName[]) {
    const tier = ctx.tiers[name];
    const view = ctx.files.view(name, floorTo(q.ts, tier.fileSpanMs));
    if (!view) continue;
    const machineRow = query(ctx, view, 'SELECT * FROM machine WHERE ts <= ? ORDER BY ts DESC LIMIT 1', [
      q.ts,
    ])[0];
    if (!machineRow) continue;
    const sampleTs = machineRow.ts as number;
    const bucketEnd = name === 'raw' ? sampleTs : sampleTs + tier.stepMs - 1;
    const found = query(
      ctx,
      view,
      `SELECT p.*, ${SAMPLE_COLUMNS('s', 's_')}
       FROM processes p JOIN samples s ON s.proc = p.id
         AND s.ts = (SELECT MAX(ts) FROM samples WHERE proc = p.id AND ts <= :ts)
       WHERE p.first_seen <= :end AND p.last_seen >= :ts`,
      { ':ts': sampleTs, ':end': bucketEnd },
    );
    const rows: ProcessRow[] = [];
    for (const r of found) {
      const meta = metaFromRow(r);
      if (!accept(meta)) continue;
      rows.push({ ...meta, ...figures(r, sampleTs) });
    }
    rows.sort(compareRows(q.sort ?? 'cpu'));
    return {
      ts: q.ts,
      sampleTs,
      resolution: tier.resolution,
      machine: machineOf(machineRow),
      rows: q.n === undefined ? rows : rows.slice(0, q.n),
    };
  }
  return { ts: q.ts, sampleTs: null, resolution: ctx.tiers.raw.resolution, machine: null, rows: [] };
}

function figures(r: Row, sampleTs: number) {
  const f = sampleFigures(r, 's_');
  const current = f.ts === sampleTs;
  const r8 = rates(f.cpuS, f.readB, f.writeB, f.spanS);
  const idle = (v: number | null) => (v === null ? null : 0);
  return {
    cpu: current ? r8.cpu : idle(r8.cpu),
    rss: f.rss,
    readBps: current ? r8.readBps : idle(r8.readBps),
    writeBps: current ? r8.writeBps : idle(r8.writeBps),
    threads: f.threads,
    fds: f.fds,
  };
}

function machineOf(r: Row): MachineSample {
  return {
    ts: r.ts as number,
    cpu: num(r.cpu),
    cores: r.cores as number,
    memUsed: r.mem_used as number,
    memTotal: r.mem_total as number,
    swapUsed: r.swap_used as number,
    swapTotal: r.swap_total as number,
    load1: r.load1 as number,
    load5: r.load5 as number,
    load15: r.load15 as number,
    processCount: r.process_count as number,
  };
}
