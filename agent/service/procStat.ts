// A process's start time read straight from /proc with the collector's parser and derivation
// (agent/collect/procfs/parse.ts, agent/collect/bootTime.ts), so that an identity from a tick can
// be re-checked at the moment it matters (kill, details).
import { readFile } from 'node:fs/promises';
import { bootTimeMs, startTimeMs } from '../collect/bootTime';
import { isMissing, PROC_ROOT } from '../collect/procfs/files';
import { parseStatText } from '../collect/procfs/parse';

/**
 * For start times written by *another* process (a lock holder's own): each process reads btime
 * once, and two reads can be a second apart (a clock step between them), so identities within this
 * of each other match there. Within the agent (kill, details) start times come from the same
 * derivation as the collector's and are compared exactly.
 */
export const START_TIME_TOLERANCE_MS = 1500;

/** Start time (ms since the epoch) from /proc/[pid]/stat text. */
export function startTimeFromStat(text: string, bootMs = bootTimeMs()): number {
  const stat = parseStatText(text);
  if (!stat) throw new Error('unexpected /proc/[pid]/stat format');
  return startTimeMs(stat.startTicks, bootMs);
}

/** The pid's current start time, or null when no such process exists. */
export async function currentStartTime(pid: number, procRoot = PROC_ROOT): Promise<number | null> {
  try {
    return startTimeFromStat(await readFile(`${procRoot}/${pid}/stat`, 'latin1'), bootTimeMs(procRoot));
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/** Only for start times from another process (see START_TIME_TOLERANCE_MS). */
export function sameStartTime(a: number, b: number): boolean {
  return Math.abs(a - b) <= START_TIME_TOLERANCE_MS;
}
