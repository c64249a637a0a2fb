// Restart loops: the same program (name + command line) exiting and starting again, identity after
// identity. The sampler sees a process only on a tick, so a program that lives less than an
// interval is seen on some ticks only; each sighting is a start (by its kernel start time) and
// each disappearance an exit. Lifetimes are from the start time to the last tick the process was
// seen on: a lower bound, within one interval.
//
// A restart is a start that follows an exit of the same program from the same parent (or the same
// container) while none of that parent's instances is alive: one supervisor — a shell loop, systemd,
// a container runtime — starting it again — and at once: within RESTART_GAP_MS of the tick that saw
// the exit, plus one interval for the instances too short-lived to be seen in between (a shell loop
// restarts in milliseconds, systemd after RestartSec=100ms, Docker's backoff from 100 ms). The same
// command line started side by side, by different parents, or as someone's next job seconds later
// (a person's next command, a tool runner's next call, a polling script's sleep) is not a loop: in
// the first 10-minute quiet run (bench findingsquiet) `bash /dev/fd/3` of many tool runners, 500
// `sleep 3600` started together, esbuild services of separate builds and pipelines' `grep`s made
// 13 restart_loop findings.
//
// A row without a command line is a kernel thread (kworkers come and go by design) or a process
// caught while exiting, its memory already released — and, orphaned, handed to pid 1 or a
// subreaper, so "one parent" too: the quiet run after the rules above reported `esbuild` with an
// empty command line, tsx's services left by their exited node processes. Neither restarts.
//
// Nor does a shell's subshell — a fork of the shell, with its parent's very command line, that runs
// part of a script (a pipeline's stage, `( … )`, `$( … )`) and exec's nothing: that quiet run's
// other loops were `bash /dev/fd/3`, tool runners' shells forking one subshell per command.
// Nor do the agent's own children: its history worker is forked per query and ended when idle
// (agent/history/lane.ts), and a later quiet run saw an agent's worker "restart" 5 times a minute.
// Nor does any agent's history worker, whoever its parent: a second agent on the machine (another
// data dir, a suite's) forks and ends its own just the same — the quiet runs counted those as
// loops about others (agent/history/workerFile.ts tells one by its command line).
import { runsHistoryWorker } from '../history/workerFile';
import { quantileSorted } from './stats';

export const RESTART_WINDOW_MS = 60_000;
/** ≥ this many restarts within RESTART_WINDOW_MS is a loop. */
export const RESTART_MIN = 5;
/** A start this long after its parent's last exit was seen (beyond one interval) is no restart. */
export const RESTART_GAP_MS = 3_000;
const LIFETIMES = 64;

export class Program {
  /** Start times of the identities seen, newest last (only those within the last few windows). */
  readonly starts: number[] = [];
  /** Ticks on which an identity was seen gone, newest last. */
  readonly exits: number[] = [];
  /** Start times of the starts that were restarts (see the file's head), newest last. */
  readonly restartStarts: number[] = [];
  /** Per parent (ppid, or the container): instances alive and whether one has exited. */
  private readonly parents = new Map<string, { alive: number; exited: number | null }>();
  /** The newest lifetimes, seconds. */
  private readonly lifetimes = new Float64Array(LIFETIMES);
  private lifetimeCount = 0;
  alive = 0;
  /** An agent's history worker: started and ended by design, never a restart. */
  private readonly historyWorker: boolean;
  /** The newest identity's pid and start time (the finding names the newest few). */
  readonly recent: { pid: number; startTime: number }[] = [];

  constructor(
    readonly key: string,
    readonly name: string,
    readonly cmdline: string,
    readonly container: string | null,
  ) {
    this.historyWorker = runsHistoryWorker(cmdline);
  }

  /**
   * `intervalMs`: the sampling interval just past (starts between two ticks may go unseen);
   * `neverRestart`: a start that cannot be a restart — a shell's fork with its parent's command
   * line, or one of this agent's own children (its history worker, started and ended by design).
   */
  started(
    pid: number,
    parent: string,
    startTime: number,
    now: number,
    intervalMs: number,
    neverRestart = false,
  ): void {
    this.alive++;
    let p = this.parents.get(parent);
    if (!p) this.parents.set(parent, (p = { alive: 0, exited: null }));
    const restart =
      this.cmdline !== '' &&
      !neverRestart &&
      !this.historyWorker &&
      p.alive === 0 &&
      p.exited !== null &&
      startTime - p.exited <= RESTART_GAP_MS + intervalMs;
    p.alive++;
    if (startTime < now - 5 * RESTART_WINDOW_MS) return; // running before we looked: not a restart
    if (restart) this.restartStarts.push(startTime);
    this.starts.push(startTime);
    this.recent.push({ pid, startTime });
    if (this.recent.length > 5) this.recent.shift();
    this.prune(now);
  }

  exited(parent: string, lifetimeS: number, now: number): void {
    this.alive = Math.max(0, this.alive - 1);
    const p = this.parents.get(parent);
    if (p) {
      p.alive = Math.max(0, p.alive - 1);
      p.exited = now;
    }
    this.exits.push(now);
    this.lifetimes[this.lifetimeCount % LIFETIMES] = Math.max(0, lifetimeS);
    this.lifetimeCount++;
    this.prune(now);
  }

  prune(now: number): void {
    const keep = now - 5 * RESTART_WINDOW_MS;
    while (this.starts.length && this.starts[0]! < keep) this.starts.shift();
    while (this.exits.length && this.exits[0]! < keep) this.exits.shift();
    while (this.restartStarts.length && this.restartStarts[0]! < keep) this.restartStarts.shift();
    for (const [parent, p] of this.parents)
      if (p.alive === 0 && (p.exited === null || p.exited < keep)) this.parents.delete(parent);
  }

  /** Restarts within the window ending at `now`: starts that an exit could have preceded. */
  restarts(now: number): number {
    const since = now - RESTART_WINDOW_MS;
    let restarts = 0;
    let exits = 0;
    for (const s of this.restartStarts) if (s >= since) restarts++;
    for (const e of this.exits) if (e >= since) exits++;
    return Math.min(restarts, exits);
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
    return this.alive === 0 && this.starts.length === 0 && this.exits.length === 0 && this.parents.size === 0;
  }
}
