// What a row means: amounts over a span of time, so that rollups and statistics are sums and
// maxima. Rates are derived in exactly one place (`rates`).

/** One identity's figures over one span: a tick (raw) or a bucket (rollups). */
export interface Span {
  /** Row time: the tick's time for raw rows, the bucket's start for rollups. */
  ts: number;
  /** First and last tick at which the identity was seen within the span. */
  firstTs: number;
  lastTs: number;
  /** Seconds the identity was alive within the span. */
  spanS: number;
  /** CPU-seconds used (null: unknown throughout). */
  cpuS: number | null;
  /** Highest CPU % of one tick. */
  cpuMax: number | null;
  /** Time-weighted average RSS, bytes. */
  rss: number | null;
  rssMax: number | null;
  readB: number | null;
  writeB: number | null;
  threads: number | null;
  fds: number | null;
  /** When the identity was seen to exit within the span. */
  exitTs: number | null;
}

export interface MachineSpan {
  ts: number;
  spanS: number;
  cpu: number | null;
  cpuMax: number | null;
  cores: number;
  memUsed: number;
  memMax: number;
  memTotal: number;
  swapUsed: number;
  swapTotal: number;
  load1: number;
  load5: number;
  load15: number;
  processCount: number;
}

export interface Rates {
  cpu: number | null;
  readBps: number | null;
  writeBps: number | null;
}

/** CPU % and IO bytes/s from amounts over `spanS` seconds. */
export function rates(
  cpuS: number | null,
  readB: number | null,
  writeB: number | null,
  spanS: number,
): Rates {
  if (!(spanS > 0))
    return {
      cpu: cpuS === null ? null : 0,
      readBps: readB === null ? null : 0,
      writeBps: writeB === null ? null : 0,
    };
  return {
    cpu: cpuS === null ? null : (cpuS / spanS) * 100,
    readBps: readB === null ? null : readB / spanS,
    writeBps: writeB === null ? null : writeB / spanS,
  };
}

export const addNullable = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : a + b;
export const maxNullable = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.max(a, b);

/** RSS moves a little all the time; below this a change is not worth a row. */
export function rssChanged(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a !== b;
  return Math.abs(a - b) > Math.max(64 * 1024, 0.01 * Math.abs(b));
}

// Declared once in shared/model.ts; the store's files import it from here.
export { identityKey } from '../../shared/model';
