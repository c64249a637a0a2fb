// A drift-corrected loop: ticks are due at start + k × interval, whatever each tick took, so the
// cadence does not creep. A tick never overlaps the previous one; when one runs long, the ticks it
// covered are skipped rather than queued. Consecutive failures back off exponentially.
import { performance } from 'node:perf_hooks';
import type { Logger } from './log';

export interface SchedulerStats {
  ticks: number;
  skipped: number;
  failures: number;
  /** How late the latest tick started compared with when it was due, ms. */
  lastLatenessMs: number;
  worstLatenessMs: number;
}

const MAX_BACKOFF_MS = 60_000;

export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private origin = 0;
  private dueAt = 0;
  private consecutiveFailures = 0;
  /** Waiting in clearFor: told when the current or next tick has run. */
  private readonly afterTick: (() => void)[] = [];
  readonly stats: SchedulerStats = {
    ticks: 0,
    skipped: 0,
    failures: 0,
    lastLatenessMs: 0,
    worstLatenessMs: 0,
  };

  constructor(
    private readonly intervalMs: number,
    private readonly task: () => Promise<void>,
    private readonly log: Logger,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Starts the loop; the first tick is due after `delayMs`, the next ones every interval after it. */
  start(delayMs = 0): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.origin = this.now() + delayMs;
    this.dueAt = this.origin;
    this.arm(delayMs);
  }

  /** Stops the loop and waits for a tick in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    this.releaseWaiting();
  }

  /**
   * For work that holds this thread `ms` in one piece (statistics answered on the agent's thread):
   * null when it can start now without making a tick late; else a promise that resolves right
   * after the tick due sooner (or running now) has run, the whole interval ahead.
   */
  clearFor(ms: number): Promise<void> | null {
    if (this.stopped || (!this.running && this.dueAt - this.now() >= ms)) return null;
    return new Promise((resolve) => this.afterTick.push(resolve));
  }

  private releaseWaiting(): void {
    for (const resolve of this.afterTick.splice(0)) resolve();
  }

  private arm(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.fire(), Math.max(0, delayMs));
  }

  private async fire(): Promise<void> {
    const startedAt = this.now();
    const lateness = Math.max(0, startedAt - this.dueAt);
    this.stats.lastLatenessMs = lateness;
    this.stats.worstLatenessMs = Math.max(this.stats.worstLatenessMs, lateness);
    this.running = this.task();
    try {
      await this.running;
      this.stats.ticks++;
      this.consecutiveFailures = 0;
    } catch (error) {
      this.stats.failures++;
      this.consecutiveFailures++;
      this.log.error(`sampling failed (${this.consecutiveFailures} in a row): ${(error as Error).message}`);
    } finally {
      this.running = undefined;
    }
    this.arm(this.nextDelay());
    this.releaseWaiting();
  }

  private nextDelay(): number {
    const now = this.now();
    if (this.consecutiveFailures > 0) {
      const backoff = Math.min(MAX_BACKOFF_MS, this.intervalMs * 2 ** Math.min(this.consecutiveFailures, 16));
      this.dueAt = now + backoff;
      return backoff;
    }
    // Next slot on the original grid; slots already past are skipped, not queued.
    const slots = Math.floor((now - this.origin) / this.intervalMs) + 1;
    const next = this.origin + slots * this.intervalMs;
    const missed = Math.max(0, Math.round((next - this.dueAt) / this.intervalMs) - 1);
    this.stats.skipped += missed;
    this.dueAt = next;
    return next - now;
  }
}
