// What the collector keeps per process between ticks: its kept-open files, the bytes it last
// compared, the identity fields read once, and the times the read schedule (schedule.ts) decides on.
import type { RawProcess } from '../types';

export interface Tracked {
  pid: number;
  /** Kept-open /proc/[pid]/stat, or null when the kept-fd budget is spent (then opened per read). */
  fd: number | null;
  startTicks: number;
  startTime: number;
  comm: string;
  /** False until identity fields were read on a second tick (see the collector's readIdentity). */
  settled: boolean;
  name: string;
  cmdline: string;
  user: string | null;
  container: string | null;
  /** utime + stime at the last reading, clock ticks; -1 before the first. */
  ticks: number;
  readBytes: number | null;
  writeBytes: number | null;
  fds: number | null;
  /** Monotonic time of the last fd count, and whether the process ran since. */
  fdsAt: number;
  ranSinceFds: boolean;
  generation: number;
  /** The stat bytes behind `last`: unchanged bytes mean an unchanged reading. */
  statBytes: Buffer | null;
  statLength: number;
  /** The reading returned last tick; returned again while nothing in it changed. */
  last: RawProcess | null;
  /** Kept-open /proc/[pid]/schedstat of a single-threaded process (see schedule.ts). */
  gateFd: number | null;
  /** Its bytes when stat was last read after them; length 0: not comparable yet. */
  gateBytes: Buffer | null;
  gateLength: number;
  /** No schedstat for this one (it could not be opened). */
  noGate: boolean;
  /**
   * Kept-open /proc/[pid]/io of a process without schedstat, whose io is read on every reading
   * (a pread costs a quarter of open + read + close).
   */
  ioFd: number | null;
  /** io was refused (another user's process): not tried again for this identity. */
  noIo: boolean;
  /** Monotonic time by which stat must be read again even if schedstat did not move. */
  statDueAt: number;
  /** Monotonic time of the last reading whose CPU time had moved, and of the last reading at all. */
  ranAt: number;
  readAt: number;
}

export function newTracked(pid: number, fd: number | null): Tracked {
  return {
    pid,
    fd,
    startTicks: -1,
    startTime: 0,
    comm: '',
    settled: false,
    name: '',
    cmdline: '',
    user: null,
    container: null,
    ticks: -1,
    readBytes: null,
    writeBytes: null,
    fds: null,
    fdsAt: -1,
    ranSinceFds: false,
    generation: 0,
    statBytes: null,
    statLength: 0,
    last: null,
    gateFd: null,
    gateBytes: null,
    gateLength: 0,
    noGate: false,
    ioFd: null,
    noIo: false,
    statDueAt: 0,
    ranAt: -Infinity,
    readAt: -Infinity,
  };
}

/** Same reported figures: stat bytes also move for fields we do not report (page faults, vsize…). */
export function sameReading(a: RawProcess, b: RawProcess): boolean {
  return (
    a.cpuSeconds === b.cpuSeconds &&
    a.rss === b.rss &&
    a.threads === b.threads &&
    a.fds === b.fds &&
    a.readBytes === b.readBytes &&
    a.writeBytes === b.writeBytes &&
    a.ppid === b.ppid &&
    a.name === b.name &&
    a.cmdline === b.cmdline &&
    a.user === b.user &&
    a.container === b.container &&
    a.startTime === b.startTime
  );
}
