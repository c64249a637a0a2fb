// Start times in ms since the epoch from /proc/[pid]/stat's starttime (clock ticks since boot).
// btime (/proc/stat) moves when the clock is stepped, and an identity's start time must not: it is
// read once per process (per proc root), and the collector and the identity checks (kill, details)
// both derive start times here — equal start ticks give equal ms, different ticks different ms
// (10 ms apart), so those checks compare exactly.
import { readFileSync } from 'node:fs';
import { PROC_ROOT } from './procfs/files';
import { parseBootTime } from './procfs/parse';

/** USER_HZ: fixed at 100 by the Linux user ABI on every mainstream architecture. */
export const CLK_TCK = 100;

const bootMs = new Map<string, number>();

export function bootTimeMs(procRoot = PROC_ROOT): number {
  let ms = bootMs.get(procRoot);
  if (ms === undefined) {
    const parsed = parseBootTime(readFileSync(`${procRoot}/stat`, 'latin1'));
    if (parsed === null)
      throw new Error(`${procRoot}/stat has no btime line: is proc mounted at ${procRoot}?`);
    ms = parsed;
    bootMs.set(procRoot, ms);
  }
  return ms;
}

export function startTimeMs(startTicks: number, boot = bootTimeMs()): number {
  return Math.round(boot + (startTicks * 1000) / CLK_TCK);
}
