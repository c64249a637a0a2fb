// One process at one time as a line-protocol point. Names follow Telegraf's `procstat` input where
// the meaning is the same (cpu_usage: percent of one core; memory_rss: bytes; num_threads,
// num_fds; created_at: start time in ns; tags pid, process_name, user), so dashboards built for
// procstat read these with little change. Where procstat means something else (its read_bytes is
// a running total, ours a rate) the export's CSV column name is used. The measurement is our own,
// not `procstat`, so a Telegraf writing into the same database is never overwritten.
import { formatLine, type FieldValue } from '../../shared/lineProtocol';

export const MEASUREMENT = 'process_tracker';

export interface ProcessPoint {
  ts: number;
  pid: number;
  startTime: number;
  name: string;
  user: string | null;
  category: string;
  container: string | null;
  /** The store tier the row came from (export); absent for live ticks (push). */
  tier?: string;
  spanS?: number;
  cpu: number | null;
  cpuMax?: number | null;
  rss: number | null;
  rssMax?: number | null;
  readBps: number | null;
  writeBps: number | null;
  threads: number | null;
  fds: number | null;
  /** Only where the caller's output already holds command lines (they carry secrets). */
  cmdline?: string;
}

const int = (value: number | null | undefined): FieldValue =>
  value === null || value === undefined ? null : { int: value };

/** Always a line: created_at is always there. Tags sorted by key, as the reference advises. */
export function processLine(p: ProcessPoint): string {
  return formatLine(
    MEASUREMENT,
    [
      ['category', p.category],
      ['container', p.container],
      ['pid', String(p.pid)],
      ['process_name', p.name],
      ['tier', p.tier],
      ['user', p.user],
    ],
    [
      ['cpu_usage', p.cpu],
      ['cpu_max_pct', p.cpuMax],
      ['memory_rss', int(p.rss)],
      ['rss_max_bytes', int(p.rssMax)],
      ['read_bps', p.readBps],
      ['write_bps', p.writeBps],
      ['num_threads', int(p.threads)],
      ['num_fds', int(p.fds)],
      ['span_s', p.spanS],
      // ns since the epoch: an int64 holds it, a double would round it.
      ['created_at', { int: BigInt(Math.round(p.startTime)) * 1_000_000n }],
      ['cmdline', p.cmdline],
    ],
    p.ts,
  )!;
}
