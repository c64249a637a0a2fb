// What collectors return: raw cumulative counters, not rates. agent/derive.ts turns two readings
// into rates, on monotonic time, in one pure function.

export interface RawProcess {
  pid: number;
  /** ms since the epoch; with pid, the process's identity. */
  startTime: number;
  ppid: number;
  name: string;
  cmdline: string;
  user: string | null;
  /** Cumulative user + system CPU time, seconds; null when unreadable. */
  cpuSeconds: number | null;
  /** The system (kernel mode) part of cpuSeconds; null where the platform does not split it. */
  systemSeconds: number | null;
  rss: number | null;
  /** Cumulative bytes read from / written to storage; null when unreadable (another user's io). */
  readBytes: number | null;
  writeBytes: number | null;
  threads: number | null;
  fds: number | null;
  container: string | null;
}

export interface RawMachine {
  /** Cumulative CPU time of all cores, and the idle part of it, ms. */
  cpuTotalMs: number;
  cpuIdleMs: number;
  cores: number;
  memTotal: number;
  memUsed: number;
  swapTotal: number;
  swapUsed: number;
  load: [number, number, number];
}

/**
 * `processes` may hold the very same RawProcess objects as the previous snapshot: a collector
 * returns last tick's object again when nothing in it changed (derive uses that to skip work).
 * So a RawProcess is never mutated once returned.
 */
export interface RawSnapshot {
  /** performance.now() at the reading. */
  monotonicMs: number;
  /** Date.now() at the reading. */
  wallMs: number;
  machine: RawMachine;
  processes: RawProcess[];
}

export interface Collector {
  readonly kind: 'procfs' | 'portable';
  collect(): Promise<RawSnapshot>;
  /** Releases kept file handles. */
  close(): void;
}
