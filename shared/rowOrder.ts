// The one order of process rows, wherever they are listed: the live top, tree and groups
// (agent/service/tickRows.ts), the CLI's live screen (agent/cli/runScreen.ts) and a past instant (`at`,
// agent/store/queries/at.ts). So equal rows come out in the same order on every surface.
import type { ProcessSample, SortKey } from './model';

/** The figures and names a row is ordered by. */
export type OrderedRow = Pick<ProcessSample, 'cpu' | 'rss' | 'readBps' | 'writeBps'> & {
  pid: number;
  name: string;
};

/** Read plus write, unknown only when both are unknown. */
export function ioRate(sample: Pick<ProcessSample, 'readBps' | 'writeBps'>): number | null {
  if (sample.readBps === null && sample.writeBps === null) return null;
  return (sample.readBps ?? 0) + (sample.writeBps ?? 0);
}

/** Largest first; an unknown figure after every known one (it is not 0: the value was unreadable). */
function descending(a: number | null, b: number | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return b - a;
}

const BY: Record<SortKey, (a: OrderedRow, b: OrderedRow) => number> = {
  cpu: (a, b) => descending(a.cpu, b.cpu),
  mem: (a, b) => descending(a.rss, b.rss),
  io: (a, b) => descending(ioRate(a), ioRate(b)),
  name: (a, b) => a.name.localeCompare(b.name),
};

/**
 * The comparator for `sort`: by the figure, largest first, unknown last; equal rows by PID as a
 * number (1, 10, 11, 100 — never as text), so the order does not depend on how rows were read.
 */
export function compareRows(sort: SortKey): (a: OrderedRow, b: OrderedRow) => number {
  const by = BY[sort];
  return (a, b) => by(a, b) || a.pid - b.pid;
}

/** A sorted copy of `rows`; the default order is CPU, as in top(1). */
export function sortRows<T extends OrderedRow>(rows: readonly T[], sort: SortKey = 'cpu'): T[] {
  return [...rows].sort(compareRows(sort));
}
