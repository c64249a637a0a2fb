// Runs: each VS Code task run and terminal command a window reports (RunStarted / RunEnded) is
// followed tick by tick through its process subtree — CPU-seconds, peak memory, IO — and kept in
// the RunBook when it ends. Costs nothing on a tick while no run is open.
import { identityKey, type ProcessRow, type Run, type RunListing, type Tick } from '../../shared/model';
import type { RunEndedRequest, RunStart } from '../../shared/protocol';
import type { Logger } from '../log';
import { RunBook, runsFile } from './book';
import { compareRuns } from './compare';
import { redactCommand } from './redact';
import { childrenOf, subtreeRows, type SubtreeRoot } from './subtree';

/** Open runs kept at most: windows that never report an end cannot grow the agent without bound. */
export const MAX_OPEN_RUNS = 200;
/** An open run not ended after this long is dropped (its window went away without saying). */
export const MAX_RUN_MS = 7 * 24 * 3600_000;
const SAVE_EVERY_MS = 5_000;

interface OpenRun {
  run: Run;
  root: SubtreeRoot | null;
  /** Identity keys of the processes counted so far. */
  members: Set<string>;
  /**
   * Each member's CPU time since its start at its latest reading (ProcessRow.cpuTime): every
   * member was started by the run (its root or a descendant), so all of it is the run's — a
   * compiler seen once, and what a process did before the first tick that saw it, included.
   */
  cpuTime: Map<string, number>;
  /** CPU-seconds of members whose rows carry no cpuTime, from their rates over each tick. */
  cpuFromRates: number | null;
}

export interface RunsQuery {
  from?: number;
  to?: number;
  command?: string;
  n?: number;
}

export class RunTracker {
  private readonly open = new Map<string, OpenRun>();
  private readonly book: RunBook;
  private saveTimer: NodeJS.Timeout | undefined;

  constructor(
    dataDir: string | null,
    private readonly log: Logger,
  ) {
    this.book = new RunBook(dataDir === null ? null : runsFile(dataDir));
  }

  started(start: RunStart): void {
    // A start heard after its end (a window learns a shell's pid late) must not reopen it.
    if (this.open.has(start.id) || this.book.has(start.id)) return;
    if (this.open.size >= MAX_OPEN_RUNS) {
      const oldest = this.open.keys().next().value as string;
      this.open.delete(oldest);
    }
    this.open.set(start.id, this.openRun(start));
  }

  ended(end: RunEndedRequest.Params): Run {
    const known = this.open.get(end.id) ?? this.openRun(end);
    this.open.delete(end.id);
    const run: Run = {
      ...known.run,
      end: Math.max(end.end, known.run.start),
      exitCode: end.exitCode,
      pid: known.run.pid ?? end.pid ?? null,
    };
    this.book.add(run);
    this.scheduleSave();
    return run;
  }

  onTick(tick: Tick): void {
    if (this.open.size === 0) return;
    const children = childrenOf(tick.processes);
    for (const [id, open] of this.open) {
      if (tick.ts - open.run.start > MAX_RUN_MS) {
        this.open.delete(id);
        continue;
      }
      if (!open.root) continue;
      const rows = subtreeRows(open.root, tick.processes, children, open.members);
      addTick(open, rows, tick.elapsedMs);
      open.run.processes = open.members.size;
    }
  }

  /** Newest first, running ones included, each compared with the earlier runs of its command. */
  list(query: RunsQuery = {}): RunListing[] {
    const runs = [...this.book.all(), ...[...this.open.values()].map((o) => ({ ...o.run }))].sort(
      (a, b) => a.start - b.start,
    );
    return listing(runs, query);
  }

  /** Writes what is pending (the agent stops or hands over). */
  stop(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.save();
  }

  private openRun(start: RunStart): OpenRun {
    const pid = start.pid ?? null;
    return {
      run: {
        id: start.id,
        source: start.source,
        command: redactCommand(start.command),
        folder: start.folder ?? null,
        pid,
        start: start.start,
        end: null,
        exitCode: null,
        cpuSeconds: null,
        peakRss: null,
        readBytes: null,
        writeBytes: null,
        processes: 0,
      },
      root: pid === null ? null : { pid, includeRoot: start.source === 'task', startedFrom: start.start },
      members: new Set(),
      cpuTime: new Map(),
      cpuFromRates: null,
    };
  }

  private scheduleSave(): void {
    this.saveTimer ??= setTimeout(() => {
      this.saveTimer = undefined;
      this.save();
    }, SAVE_EVERY_MS);
    this.saveTimer.unref?.();
  }

  private save(): void {
    try {
      this.book.save();
    } catch (error) {
      this.log.error(`runs: could not save the runs file: ${(error as Error).message}`);
    }
  }
}

/** Adds one tick of the subtree's figures to the run: amounts over the tick's span, the peak of sums. */
function addTick(open: OpenRun, rows: readonly ProcessRow[], elapsedMs: number): void {
  const { run } = open;
  let rss: number | null = null;
  let read: number | null = null;
  let write: number | null = null;
  const add = (sum: number | null, value: number | null) => (value === null ? sum : (sum ?? 0) + value);
  const seconds = elapsedMs / 1000;
  for (const row of rows) {
    if (typeof row.cpuTime === 'number') open.cpuTime.set(identityKey(row.pid, row.startTime), row.cpuTime);
    else if (row.cpu !== null) open.cpuFromRates = (open.cpuFromRates ?? 0) + (row.cpu / 100) * seconds;
    rss = add(rss, row.rss);
    read = add(read, row.readBps);
    write = add(write, row.writeBps);
  }
  if (open.cpuTime.size > 0 || open.cpuFromRates !== null) {
    let total = open.cpuFromRates ?? 0;
    for (const used of open.cpuTime.values()) total += used;
    run.cpuSeconds = total;
  }
  if (rss !== null) run.peakRss = Math.max(run.peakRss ?? 0, rss);
  if (read !== null) run.readBytes = (run.readBytes ?? 0) + read * seconds;
  if (write !== null) run.writeBytes = (run.writeBytes ?? 0) + write * seconds;
}

/** The listing of `runs` (oldest first) for a query: compared first, then filtered, newest first. */
export function listing(runs: readonly Run[], query: RunsQuery): RunListing[] {
  const compared = compareRuns(runs);
  const out: RunListing[] = [];
  for (let i = runs.length - 1; i >= 0 && out.length < (query.n ?? 100); i--) {
    const run = runs[i]!;
    if (query.from !== undefined && run.start < query.from) continue;
    if (query.to !== undefined && run.start > query.to) continue;
    if (query.command !== undefined && run.command !== query.command) continue;
    out.push({ ...run, compare: compared[i]! });
  }
  return out;
}

/** The kept runs as the agent last wrote them, for the CLI when no agent runs (read only). */
export function savedRuns(dataDir: string): readonly Run[] {
  return new RunBook(runsFile(dataDir)).all();
}
