// A process's start time read straight from /proc, computed exactly as agent/collect/procfs.ts does,
// so that an identity from a tick can be re-checked at the moment it matters (kill, details).
import { readFile } from 'node:fs/promises';
import { bootTimeMs, startTimeMs } from '../collect/bootTime';

/**
 * For start times written by *another* process (a lock holder's own): each process reads btime
 * once, and two reads can be a second apart (a clock step between them), so identities within this
 * of each other match there. Within the agent (kill, details) start times come from the same
 * derivation as the collector's and are compared exactly.
 */
export const START_TIME_TOLERANCE_MS = 1500;

/** Fields of /proc/[pid]/stat after the command name (which may hold spaces and parentheses). */
export function statFields(text: string): string[] {
  return text
    .slice(text.lastIndexOf(')') + 2)
    .trim()
    .split(' ');
}

/** Start time (ms since the epoch) from /proc/[pid]/stat text. */
export function startTimeFromStat(text: string, bootMs = bootTimeMs()): number {
  // starttime is field 22 of the file; statFields starts at field 3.
  const ticks = Number(statFields(text)[19]);
  if (!Number.isFinite(ticks)) throw new Error('unexpected /proc/[pid]/stat format');
  return startTimeMs(ticks, bootMs);
}

/** The pid's current start time, or null when no such process exists. */
export async function currentStartTime(pid: number): Promise<number | null> {
  try {
    return startTimeFromStat(await readFile(`/proc/${pid}/stat`, 'latin1'));
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'ESRCH'
    )
      return null;
    throw error;
  }
}

/** Only for start times from another process (see START_TIME_TOLERANCE_MS). */
export function sameStartTime(a: number, b: number): boolean {
  return Math.abs(a - b) <= START_TIME_TOLERANCE_MS;
}
