// Reads a process's CPU time and RSS straight from /proc: the yardstick every tool in the
// benchmark is measured with, ours included.
import { readdirSync, readFileSync } from 'node:fs';

const CLK_TCK = 100;
const PAGE = 4096;

export interface ProcUsage {
  cpuSeconds: number;
  rssBytes: number;
}

export function procUsage(pid: number, includeChildren = true): ProcUsage {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is state (field 3); utime is field 14 → index 11.
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
  const ticks = utime! + stime! + (includeChildren ? cutime! + cstime! : 0);
  return { cpuSeconds: ticks / CLK_TCK, rssBytes: Number(fields[21]) * PAGE };
}

/** CPU percent of one core used by `pid` between two readings. */
export function cpuPercent(before: ProcUsage, after: ProcUsage, seconds: number): number {
  return ((after.cpuSeconds - before.cpuSeconds) / seconds) * 100;
}

/**
 * CPU time of all of `pid`'s threads in seconds, from schedstat (nanoseconds): utime/stime count
 * 10 ms clock ticks, too coarse to tell 0.33 % from 0.37 % of a core over a minute.
 */
export function threadCpuSeconds(pid: number): number {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return ns / 1e9;
}

/** A process's children (an agent's history workers), from every thread's children list. */
export function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}
