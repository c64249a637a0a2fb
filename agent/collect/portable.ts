// The macOS / Windows collector: ps-list for the process list, one batched pidusage call for the
// cumulative CPU time and memory, node:os for the machine. It also runs on Linux, where the tests
// compare it with the /proc collector. IO, threads and open fds are not available here: null.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pidusage from 'pidusage';
import { UserNames } from './procfs/users';
import type { Collector, RawMachine, RawProcess, RawSnapshot } from './types';

type Usage = pidusage.Status;

/** Start times drift by up to a second between readings (they come from elapsed time): reuse within this. */
const START_TIME_SLACK_MS = 2000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class PortableCollector implements Collector {
  readonly kind = 'portable' as const;
  private readonly startTimes = new Map<number, number>();
  private readonly users = new UserNames();
  private readonly ownUid = process.getuid?.();
  private readonly ownName = ownUserName();
  private closed = false;

  async collect(): Promise<RawSnapshot> {
    if (this.closed) throw new Error('collector is closed');
    const { default: psList } = await import('ps-list');
    const listed = await psList({ all: true });
    const usage = await this.usageOf(listed.map((entry) => entry.pid));
    const wallMs = Date.now();
    const monotonicMs = performance.now();

    const processes: RawProcess[] = [];
    const stillListed = new Set<number>();
    for (const entry of listed) {
      const stats = usage[entry.pid];
      // No usage means it exited between the list and the usage call: vanished, silently.
      if (!stats) continue;
      stillListed.add(entry.pid);
      processes.push({
        pid: entry.pid,
        startTime: this.stableStartTime(entry.pid, entry.startTime?.getTime(), stats),
        ppid: entry.ppid,
        name: entry.name,
        cmdline: entry.cmd ?? '',
        user: entry.uid === undefined ? null : this.userName(entry.uid),
        cpuSeconds: Number.isFinite(stats.ctime) ? stats.ctime / 1000 : null,
        // pidusage gives one CPU time: no user / system split on these platforms.
        systemSeconds: null,
        rss: Number.isFinite(stats.memory) ? stats.memory : null,
        readBytes: null,
        writeBytes: null,
        threads: null,
        fds: null,
        container: null,
      });
    }
    for (const pid of this.startTimes.keys()) if (!stillListed.has(pid)) this.startTimes.delete(pid);
    return { monotonicMs, wallMs, machine: readMachine(), processes };
  }

  close(): void {
    this.closed = true;
    this.startTimes.clear();
    pidusage.clear();
  }

  private async usageOf(pids: number[]): Promise<Record<number, Usage | undefined>> {
    if (pids.length === 0) return {};
    try {
      return await pidusage(pids);
    } catch {
      // On the `ps` path (macOS) one vanished pid fails the whole batch: once more with the living.
      const alive = pids.filter(isAlive);
      return alive.length ? await pidusage(alive) : {};
    }
  }

  /**
   * Whole seconds, stable per pid: ps's own start time when it gives one, else the reading time
   * minus the elapsed time; an earlier value within the slack is kept so identities do not flicker.
   */
  private stableStartTime(pid: number, fromList: number | undefined, stats: Usage): number {
    const measured = Number.isFinite(fromList) ? fromList! : stats.timestamp - stats.elapsed;
    const candidate = Math.round(measured / 1000) * 1000;
    const earlier = this.startTimes.get(pid);
    if (earlier !== undefined && Math.abs(earlier - candidate) <= START_TIME_SLACK_MS) return earlier;
    this.startTimes.set(pid, candidate);
    return candidate;
  }

  private userName(uid: number): string {
    return uid === this.ownUid && this.ownName ? this.ownName : this.users.name(uid);
  }
}

function ownUserName(): string | null {
  try {
    return os.userInfo().username;
  } catch {
    // A uid without a passwd entry (common in containers).
    return null;
  }
}

function readMachine(): RawMachine {
  const cpus = os.cpus();
  let total = 0;
  let idle = 0;
  for (const { times } of cpus) {
    total += times.user + times.nice + times.sys + times.idle + times.irq;
    idle += times.idle;
  }
  const memTotal = os.totalmem();
  const [load1 = 0, load5 = 0, load15 = 0] = os.loadavg();
  return {
    cpuTotalMs: total,
    cpuIdleMs: idle,
    cores: Math.max(1, cpus.length),
    memTotal,
    memUsed: memTotal - os.freemem(),
    // node:os has no swap figures; reading them would mean spawning sysctl / wmic every tick.
    swapTotal: 0,
    swapUsed: 0,
    load: [load1, load5, load15],
  };
}
