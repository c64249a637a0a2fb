// The compact live top that `process-tracker run` prints every interval.
import type { SortKey, Tick } from '../../shared/model';
import { machineLine, processTable } from './format';

export function sortRows<
  T extends {
    cpu: number | null;
    rss: number | null;
    readBps: number | null;
    writeBps: number | null;
    name: string;
  },
>(rows: T[], sort: SortKey): T[] {
  const io = (r: T) => (r.readBps ?? 0) + (r.writeBps ?? 0);
  const key: Record<SortKey, (a: T, b: T) => number> = {
    cpu: (a, b) => (b.cpu ?? -1) - (a.cpu ?? -1),
    mem: (a, b) => (b.rss ?? -1) - (a.rss ?? -1),
    io: (a, b) => io(b) - io(a),
    name: (a, b) => a.name.localeCompare(b.name),
  };
  return [...rows].sort(key[sort]);
}

export function liveTop(tick: Tick, n: number): string {
  const rows = sortRows(tick.processes, 'cpu').slice(0, n);
  return `${new Date(tick.ts).toLocaleTimeString()}  ${machineLine(tick.machine)}\n${processTable(rows, 50)}\n`;
}

/** On a terminal the screen is redrawn in place; piped output gets one block per tick. */
export function printLive(out: NodeJS.WriteStream, tick: Tick, n: number): void {
  const text = liveTop(tick, n);
  out.write(out.isTTY ? `\x1b[H\x1b[2J${text}` : `${text}\n`);
}
