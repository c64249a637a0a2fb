// Turns two raw readings into rates. Pure and on monotonic time, so wall-clock jumps (NTP, suspend,
// a user changing the clock) never produce negative or absurd rates.
import type { Category, MachineSample, ProcessIdentity, ProcessRow, Tick } from '../shared/model';
import type { RawMachine, RawProcess, RawSnapshot } from './collect/types';

export type CategorizeRaw = (process: RawProcess) => Category;

export function identityKey(identity: ProcessIdentity): string {
  return `${identity.pid}:${identity.startTime}`;
}

/** Rate per second of a cumulative counter; null when either reading is unknown or the counter went back. */
function ratePerSecond(
  previous: number | null | undefined,
  current: number | null,
  seconds: number,
): number | null {
  if (previous == null || current == null || seconds <= 0) return null;
  const delta = current - previous;
  return delta < 0 ? null : delta / seconds;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function machineCpu(previous: RawMachine | undefined, current: RawMachine): number | null {
  if (!previous) return null;
  const total = current.cpuTotalMs - previous.cpuTotalMs;
  const idle = current.cpuIdleMs - previous.cpuIdleMs;
  if (total <= 0 || idle < 0) return null;
  return clamp(((total - idle) / total) * 100, 0, 100);
}

function machineSample(previous: RawSnapshot | undefined, current: RawSnapshot): MachineSample {
  const m = current.machine;
  return {
    ts: current.wallMs,
    cpu: machineCpu(previous?.machine, m),
    cores: m.cores,
    memUsed: m.memUsed,
    memTotal: m.memTotal,
    swapUsed: m.swapUsed,
    swapTotal: m.swapTotal,
    load1: m.load[0],
    load5: m.load[1],
    load15: m.load[2],
    processCount: current.processes.length,
  };
}

/**
 * Derives a tick from the previous raw snapshot (undefined on the first tick) and the current one.
 * A process is matched across readings by its identity (pid, start time): a reused pid with another
 * start time is a new process, so its rates are null, like any first sight.
 */
export function derive(
  previous: RawSnapshot | undefined,
  current: RawSnapshot,
  categorize: CategorizeRaw,
): Tick {
  const elapsedMs = previous ? current.monotonicMs - previous.monotonicMs : 0;
  const seconds = elapsedMs / 1000;
  const maxCpu = Math.max(1, current.machine.cores) * 100;

  const before = new Map<string, RawProcess>();
  for (const process of previous?.processes ?? []) before.set(identityKey(process), process);

  const processes: ProcessRow[] = [];
  for (const process of current.processes) {
    const key = identityKey(process);
    const earlier = before.get(key);
    before.delete(key);
    const cpuPerSecond = ratePerSecond(earlier?.cpuSeconds, process.cpuSeconds, seconds);
    processes.push({
      pid: process.pid,
      startTime: process.startTime,
      ppid: process.ppid,
      name: process.name,
      cmdline: process.cmdline,
      user: process.user,
      category: categorize(process),
      container: process.container,
      cpu: cpuPerSecond === null ? null : clamp(cpuPerSecond * 100, 0, maxCpu),
      rss: process.rss,
      readBps: ratePerSecond(earlier?.readBytes, process.readBytes, seconds),
      writeBps: ratePerSecond(earlier?.writeBytes, process.writeBytes, seconds),
      threads: process.threads,
      fds: process.fds,
    });
  }

  // What is left in `before` was not seen now: those processes exited.
  const exited: ProcessIdentity[] = [...before.values()].map(({ pid, startTime }) => ({ pid, startTime }));
  return { ts: current.wallMs, elapsedMs, machine: machineSample(previous, current), processes, exited };
}
