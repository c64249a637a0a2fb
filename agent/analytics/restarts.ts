// Restart loops: the same program (name + command line) exiting and starting again, identity after
// identity. The sampler sees a process only on a tick, so a program that lives less than an
// interval is seen on some ticks only; each sighting is a start (by its kernel start time) and
// each disappearance an exit. Lifetimes are from the start time to the last tick the process was
// seen on: a lower bound, within one interval.
import { quantileSorted } from './stats';

export const RESTART_WINDOW_MS = 60_000;
/** ≥ this many restarts within RESTART_WINDOW_MS is a loop. */
export const RESTART_MIN = 5;
const LIFETIMES = 64;

export class Program {
  /** Start times of the identities seen, newest last (only those within the last few windows). */
  readonly starts: number[] = [];
  /** Ticks on which an identity was seen gone, newest last. */
  readonly exits: number[] = [];
  /** The newest lifetimes, seconds. */
  private readonly lifetimes = new Float64Array(LIFETIMES);
  private lifetimeCount = 0;
  alive = 0;
  /** The newest identity's pid and start time (the finding names the newest few). */
  readonly recent: { pid: number; startTime: number }[] = [];

  constructor(
    readonly key: string,
    readonly name: string,
    readonly cmdline: string,
    readonly container: string | null,
  ) {}

  started(pid: number, startTime: number, now: number): void {
    this.alive++;
    if (startTime < now - 5 * RESTART_WINDOW_MS) return; // running before we looked: not a restart
    this.starts.push(startTime);
    this.recent.push({ pid, startTime });
    if (this.recent.length > 5) this.recent.shift();
    this.prune(now);
  }

  exited(lifetimeS: number, now: number): void {
    this.alive = Math.max(0, this.alive - 1);
    this.exits.push(now);
    this.lifetimes[this.lifetimeCount % LIFETIMES] = Math.max(0, lifetimeS);
    this.lifetimeCount++;
    this.prune(now);
  }

  prune(now: number): void {
    const keep = now - 5 * RESTART_WINDOW_MS;
    while (this.starts.length && this.starts[0]! < keep) this.starts.shift();
    while (this.exits.length && this.exits[0]! < keep) this.exits.shift();
  }

  /** Restarts within the window ending at `now`: starts that an exit could have preceded. */
  restarts(now: number): number {
    const since = now - RESTART_WINDOW_MS;
    let starts = 0;
    let exits = 0;
    for (const s of this.starts) if (s >= since) starts++;
    for (const e of this.exits) if (e >= since) exits++;
    return Math.min(starts, exits);
  }

  /** First start within the window (the finding's beginning). */
  firstStartSince(since: number): number {
    return this.starts.find((s) => s >= since) ?? since;
  }

  /** Starts per minute over the starts kept (up to five windows). */
  startsPerMinute(now: number): number {
    if (this.starts.length < 2) return this.starts.length;
    const spanMs = Math.max(RESTART_WINDOW_MS, now - this.starts[0]!);
    return (this.starts.length * 60_000) / spanMs;
  }

  lifetimeSummary(): { minS: number; medianS: number; p90S: number } {
    const n = Math.min(this.lifetimeCount, LIFETIMES);
    const sorted = this.lifetimes.slice(0, n).sort();
    return {
      minS: n ? sorted[0]! : 0,
      medianS: n ? quantileSorted(sorted, 0.5, n) : 0,
      p90S: n ? quantileSorted(sorted, 0.9, n) : 0,
    };
  }

  /** Nothing alive and nothing in the last five windows: forget it. */
  idle(): boolean {
    return this.alive === 0 && this.starts.length === 0 && this.exits.length === 0;
  }
}
