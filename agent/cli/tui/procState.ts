// The state letter (R running, S sleeping, D disk wait, Z zombie, T stopped, I idle) of the rows on
// screen. The agent's rows do not carry it, and the view runs on the agent's own machine (it talks
// over a local socket), so it reads /proc/[pid]/stat itself — only for the few rows shown.
import { readFileSync } from 'node:fs';
import { parseStat } from '../../collect/procfs/parse';

export function processStates(pids: readonly number[]): Map<number, string> {
  const states = new Map<number, string>();
  if (process.platform !== 'linux') return states;
  for (const pid of pids) {
    try {
      const stat = parseStat(readFileSync(`/proc/${pid}/stat`));
      if (stat) states.set(pid, stat.state);
    } catch {
      /* gone since the tick, or unreadable: shown as "?" */
    }
  }
  return states;
}
