// Turns two raw readings into rates. Pure and on monotonic time, so wall-clock jumps (NTP, suspend,
// a user changing the clock) never produce negative or absurd rates.
import type { Category, MachineSample, ProcessIdentity, ProcessRow, Tick } from '../shared/model';
import type { RawMachine, RawProcess, RawSnapshot } from './collect/types';

export type CategorizeRaw = (process: RawProcess) => Category;

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
 *
 * `previousTick`, the tick derived from `previous`, lets an unchanged process keep last tick's row
 * object: when the collector returned the very same RawProcess object again (nothing changed) and
 * last tick's row already says "idle" (CPU and IO 0, or null where unknown), that row is this
 * tick's row too. Idle processes then cost no allocation and no categorizing.
 */
export function derive(
  previous: RawSnapshot | undefined,
  current: RawSnapshot,
  categorize: CategorizeRaw,
  previousTick?: Tick,
): Tick {
  const elapsedMs = previous ? current.monotonicMs - previous.monotonicMs : 0;
  const seconds = elapsedMs / 1000;
  const maxCpu = Math.max(1, current.machine.cores) * 100;
  const earlier = previous?.processes ?? [];
  const earlierRows =
    previousTick && previousTick.processes.length === earlier.length ? previousTick.processes : undefined;

  // Consecutive readings list processes in the same order, so `earlier` is walked alongside; a
  // pid → index map is built only when the order breaks (a process came or went).
  const matched = new Uint8Array(earlier.length);
  let before: Map<number, number> | undefined;
  let next = 0;
  const indexOf = (pid: number, startTime: number): number => {
    const e = earlier[next];
    if (e && e.pid === pid && e.startTime === startTime && !matched[next]) return next++;
    before ??= indexByPid(earlier, matched);
    const index = before.get(pid);
    if (index === undefined || matched[index] || earlier[index]!.startTime !== startTime) return -1;
    next = index + 1;
    return index;
  };

  const processes: ProcessRow[] = [];
  for (const process of current.processes) {
    const index = indexOf(process.pid, process.startTime);
    let prior: RawProcess | undefined;
    if (index >= 0) {
      prior = earlier[index];
      matched[index] = 1;
      const row = earlierRows?.[index];
      if (prior === process && row && isIdleRowOf(row, process, seconds)) {
        processes.push(row);
        continue;
      }
    }
    const cpuPerSecond = ratePerSecond(prior?.cpuSeconds, process.cpuSeconds, seconds);
    const systemPerSecond = ratePerSecond(prior?.systemSeconds, process.systemSeconds, seconds);
    // A process cannot use more than one core per thread: the collector may compare readings
    // further apart than this tick (see its idle rule), and tick-based accounting overshoots a bit.
    const threads = Math.max(prior?.threads ?? 0, process.threads ?? 0);
    const cap = threads > 0 ? Math.min(maxCpu, threads * 100) : maxCpu;
    const cpu = cpuPerSecond === null ? null : clamp(cpuPerSecond * 100, 0, cap);
    processes.push({
      pid: process.pid,
      startTime: process.startTime,
      ppid: process.ppid,
      name: process.name,
      cmdline: process.cmdline,
      user: process.user,
      category: categorize(process),
      container: process.container,
      cpu,
      // Never more than the whole (the two counters are read at the same instant, but clamped).
      cpuSystem: systemPerSecond === null || cpu === null ? null : clamp(systemPerSecond * 100, 0, cpu),
      cpuTime: process.cpuSeconds,
      rss: process.rss,
      readBps: ratePerSecond(prior?.readBytes, process.readBytes, seconds),
      writeBps: ratePerSecond(prior?.writeBytes, process.writeBytes, seconds),
      threads: process.threads,
      fds: process.fds,
    });
  }

  // What was not matched now: those processes exited.
  const exited: ProcessIdentity[] = [];
  for (let i = 0; i < earlier.length; i++) {
    if (!matched[i]) exited.push({ pid: earlier[i]!.pid, startTime: earlier[i]!.startTime });
  }
  return { ts: current.wallMs, elapsedMs, machine: machineSample(previous, current), processes, exited };
}

/** pid → index; the same identity twice in one reading: the later one counts (as a keyed map would). */
function indexByPid(earlier: readonly RawProcess[], matched: Uint8Array): Map<number, number> {
  const byPid = new Map<number, number>();
  for (let i = 0; i < earlier.length; i++) {
    const shadowed = byPid.get(earlier[i]!.pid);
    if (shadowed !== undefined && earlier[shadowed]!.startTime === earlier[i]!.startTime)
      matched[shadowed] = 1;
    byPid.set(earlier[i]!.pid, i);
  }
  return byPid;
}

/** The row `derive` would build for a process that did not change since the previous reading. */
function isIdleRowOf(row: ProcessRow, process: RawProcess, seconds: number): boolean {
  const known = seconds > 0;
  return (
    row.pid === process.pid &&
    row.startTime === process.startTime &&
    row.cpu === (known && process.cpuSeconds !== null ? 0 : null) &&
    row.cpuSystem === (known && process.cpuSeconds !== null && process.systemSeconds !== null ? 0 : null) &&
    row.readBps === (known && process.readBytes !== null ? 0 : null) &&
    row.writeBps === (known && process.writeBytes !== null ? 0 : null)
  );
}
