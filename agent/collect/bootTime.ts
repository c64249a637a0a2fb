// Start times in ms since the epoch from /proc/[pid]/stat's starttime (clock ticks since boot).
// btime (/proc/stat) moves when the clock is stepped, and an identity's start time must not: it is
// read once per process, and the collector and the identity checks (kill, details) both derive
// start times here — equal start ticks give equal ms, different ticks different ms (10 ms apart),
// so those checks compare exactly.
import { readFileSync } from 'node:fs';

/** USER_HZ: fixed at 100 by the Linux user ABI on every mainstream architecture. */
export const CLK_TCK = 100;

let bootMs: number | undefined;

export function bootTimeMs(): number {
  if (bootMs === undefined) {
    const btime = /\nbtime (\d+)/.exec(readFileSync('/proc/stat', 'latin1'))?.[1];
    if (btime === undefined) throw new Error('/proc/stat has no btime line: is /proc mounted?');
    bootMs = Number(btime) * 1000;
  }
  return bootMs;
}

export function startTimeMs(startTicks: number, boot = bootTimeMs()): number {
  return Math.round(boot + (startTicks * 1000) / CLK_TCK);
}
