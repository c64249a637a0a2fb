// A process's start time read straight from /proc, computed exactly as agent/collect/procfs.ts does,
// so that an identity from a tick can be re-checked at the moment it matters (kill, details).
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

const CLK_TCK = 100;

/**
 * btime can read one second apart at different moments (the kernel derives it from the current
 * clock), and the sampler read its own at startup: identities within this of each other match.
 * A pid reused within 1.5 s would need the pid space to wrap that fast.
 */
export const START_TIME_TOLERANCE_MS = 1500;

let bootTimeMs: number | undefined;

function readBootTimeMs(): number {
  if (bootTimeMs === undefined) {
    const line = /\nbtime (\d+)/.exec(readFileSync('/proc/stat', 'latin1'));
    if (!line) throw new Error('/proc/stat has no btime line: is /proc mounted?');
    bootTimeMs = Number(line[1]) * 1000;
  }
  return bootTimeMs;
}

/** Fields of /proc/[pid]/stat after the command name (which may hold spaces and parentheses). */
export function statFields(text: string): string[] {
  return text
    .slice(text.lastIndexOf(')') + 2)
    .trim()
    .split(' ');
}

/** Start time (ms since the epoch) from /proc/[pid]/stat text. */
export function startTimeFromStat(text: string, bootMs = readBootTimeMs()): number {
  // starttime is field 22 of the file; statFields starts at field 3.
  const ticks = Number(statFields(text)[19]);
  if (!Number.isFinite(ticks)) throw new Error('unexpected /proc/[pid]/stat format');
  return Math.round(bootMs + (ticks * 1000) / CLK_TCK);
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

export function sameStartTime(a: number, b: number): boolean {
  return Math.abs(a - b) <= START_TIME_TOLERANCE_MS;
}
