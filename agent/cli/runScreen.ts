// The compact live top that `process-tracker run` prints every interval.
import type { Tick } from '../../shared/model';
import { sortRows } from '../../shared/rowOrder';
import { machineLine, processTable } from './format';

export function liveTop(tick: Tick, n: number): string {
  const rows = sortRows(tick.processes, 'cpu').slice(0, n);
  return `${new Date(tick.ts).toLocaleTimeString()}  ${machineLine(tick.machine)}\n${processTable(rows, 50)}\n`;
}

/** On a terminal the screen is redrawn in place; piped output gets one block per tick. */
export function printLive(out: NodeJS.WriteStream, tick: Tick, n: number): void {
  const text = liveTop(tick, n);
  out.write(out.isTTY ? `\x1b[H\x1b[2J${text}` : `${text}\n`);
}
