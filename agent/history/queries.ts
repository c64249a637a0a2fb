// The agent's history queries, kept out of its process when they read the past: a query whose
// range touches a closed file on disk (a month's statistics, a 30-day panel, `at` ten days ago, an
// export) runs in a worker child process over the store's hand-over (agent/store/handover.ts), so
// no tick waits on it and the memory it takes leaves with the process (lane.ts); a query that reads only the files the
// store holds in memory (the last minutes) is answered here at once, as before, and so are
// statistics that need no closed database besides whole past days' totals sidecars (small JSON
// files) and at most two hour files opened and closed at once (FileSet.withoutClosedFiles). Either way the same query functions run on the same state: results do
// not depend on where they were computed.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { errorText } from '../../shared/errors';
import type { MachineSample } from '../../shared/model';
import type { PanelDatasetRequest } from '../../shared/protocol';
import type { Logger } from '../log';
import type { CoreQueries } from '../service/core';
import { panelDataset, type DatasetQuery } from '../service/panel';
import type { Store } from '../store';
import type {
  AtQuery,
  ExportQuery,
  LifecycleQuery,
  LifecycleResult,
  SeriesQuery,
  StatsQuery,
} from '../store/types';
import { WorkerLane } from './lane';
import { WORKER_BUNDLE } from './workerFile';
import type { HistoryCall } from './protocol';

/** A worker idle this long ends (and gives its memory back); until then the next query skips its start-up. */
export const DEFAULT_IDLE_MS = 20_000;
/** A worker that sends nothing (not even its heartbeat) this long is taken for hung. */
export const DEFAULT_STALL_MS = 120_000;

export interface HistoryOptions {
  log: Logger;
  idleMs?: number;
  stallMs?: number;
  /** Every query to the worker, even one that reads only live files (tests compare the two threads). */
  alwaysWorker?: boolean;
  /**
   * The sampler's Scheduler.clearFor: statistics answered on this thread wait, when a tick is due
   * sooner than they take, until that tick has run. Without it (tests, no sampling) they run at once.
   */
  clearOfTicks?: (ms: number) => Promise<void> | null;
  /**
   * Runs once a worker has ended for want of calls (agent.ts: a full collection of the agent's
   * heap, which held the calls' hand-overs and answers), clear of the next tick.
   */
  afterCalls?: () => void;
}

/** What a full collection of the agent's heap is taken to hold its thread at the most. */
const FULL_COLLECTION_MS = 50;

/**
 * What statistics on the agent's thread are taken to hold it at the least: a month's (7 days of
 * totals and today's files) took 53–308 ms here (2 cores, load 2–3); the last such query's time,
 * with a margin, when longer.
 */
const ON_THREAD_MIN_MS = 250;

/** dist/history-worker.js beside the agent bundle; under tsx (tests) the TypeScript entry, loaded by tsx. */
function workerEntry(): { entry: string; execArgv: string[] } {
  const bundled = path.join(__dirname, WORKER_BUNDLE);
  if (existsSync(bundled)) return { entry: bundled, execArgv: [] };
  let tsx: string;
  try {
    tsx = require.resolve('tsx/cjs');
  } catch {
    // A bundle shipped without its worker: each history call then fails with the child's exit
    // (its stderr names the missing file); the agent starts and samples all the same.
    return { entry: bundled, execArgv: [] };
  }
  return { entry: path.join(__dirname, 'entry.ts'), execArgv: ['--require', tsx] };
}

/**
 * The warm-up's query: the panel's defaults (webview/state.ts) and about a chart's width of points,
 * so that it reads the tier, the files and the code paths the panel's first request will — but one
 * name's series rather than ten: a request that comes while the warm-up still runs waits for it
 * (bench/RESULTS.md, the panelwarm section: with ten, the panel then waited ~100 ms more than cold,
 * with one ~70 ms; with none, the warmed request itself was slower).
 */
const WARM_PANEL_SHAPE: Omit<DatasetQuery, 'from' | 'to'> = {
  metric: 'cpu',
  sort: 'cpu',
  topN: 1,
  maxPoints: 1000,
  rows: 500,
};

export class HistoryQueries implements CoreQueries {
  /** Queries and exports each have their own worker process: a long export never holds up a chart. */
  private readonly queries: WorkerLane;
  private readonly exports: WorkerLane;
  /** How long the next statistics on this thread are expected to hold it (see ON_THREAD_MIN_MS). */
  private onThreadMs = ON_THREAD_MIN_MS;

  constructor(
    private readonly store: Store,
    private readonly options: HistoryOptions,
  ) {
    const lane = (label: string) =>
      new WorkerLane({
        ...workerEntry(),
        idleMs: options.idleMs ?? DEFAULT_IDLE_MS,
        stallMs: options.stallMs ?? DEFAULT_STALL_MS,
        log: options.log,
        label,
        onDamaged: (file, reason) => store.setAsideDamaged(file, reason),
        onIdleEnd: () => this.afterCalls(),
      });
    this.queries = lane('history query');
    this.exports = lane('export');
  }

  /** Both lanes idle: what the calls left in this process can go (options.afterCalls). */
  private afterCalls(): void {
    const { afterCalls, clearOfTicks } = this.options;
    if (!afterCalls || this.queries.running || this.exports.running) return;
    const clear = clearOfTicks?.(FULL_COLLECTION_MS);
    if (clear) void clear.then(afterCalls);
    else afterCalls();
  }

  /** How many worker processes run now. */
  get workers(): number {
    return Number(this.queries.running) + Number(this.exports.running);
  }

  /** The PIDs of the worker processes running now (tests). */
  get workerPids(): number[] {
    return [this.queries.pid, this.exports.pid].filter((pid): pid is number => pid !== undefined);
  }

  /** Whether [from, to) can be answered here: it reads only files the store holds in memory. */
  private here(from: number, to: number): boolean {
    return !this.options.alwaysWorker && this.store.onlyLive(from, to);
  }

  private ask<T>(lane: WorkerLane, call: HistoryCall, from: number, to: number): Promise<T> {
    return lane.run<T>(() => ({ id: 0, call, handover: this.store.handover(from, to) }));
  }

  stats(q: StatsQuery) {
    if (this.here(q.from, q.to)) return this.store.stats(q);
    if (this.options.alwaysWorker) return this.statsInWorker(q);
    // Whole past days from their totals sidecars and the rest from memory (`month`, `week`,
    // `today`): a cold worker process would cost more than the query (bench/RESULTS.md, issue 14,
    // "cold month statistics"). It holds the thread in one piece, so not across a tick's time.
    const clear = this.options.clearOfTicks?.(this.onThreadMs);
    return clear ? clear.then(() => this.statsOnThread(q)) : this.statsOnThread(q);
  }

  /** Statistics the totals and the files in memory answer, here; any other, in the worker. */
  private statsOnThread(q: StatsQuery) {
    const started = performance.now();
    const fromTotals = this.store.statsWithoutClosedFiles(q);
    this.onThreadMs = Math.max(ON_THREAD_MIN_MS, 1.5 * (performance.now() - started));
    return fromTotals ?? this.statsInWorker(q);
  }

  private statsInWorker(q: StatsQuery) {
    return this.ask<ReturnType<Store['stats']>>(this.queries, { kind: 'stats', query: q }, q.from, q.to);
  }

  at(q: AtQuery) {
    if (this.here(q.ts, q.ts + 1)) return this.store.at(q);
    return this.ask<ReturnType<Store['at']>>(this.queries, { kind: 'at', query: q }, q.ts, q.ts + 1);
  }

  series(q: SeriesQuery) {
    if (this.here(q.from, q.to)) return this.store.series(q);
    return this.ask<ReturnType<Store['series']>>(this.queries, { kind: 'series', query: q }, q.from, q.to);
  }

  lifecycle(q: LifecycleQuery): LifecycleResult | Promise<LifecycleResult> {
    // The identity's own record may be in the file of the day it started, before the range.
    const from = Math.min(q.from, q.identity?.startTime ?? q.from);
    if (this.here(from, q.to)) return this.store.lifecycle(q);
    return this.ask(this.queries, { kind: 'lifecycle', query: q }, from, q.to);
  }

  exportTo(q: ExportQuery, file: string): Promise<{ rows: number }> {
    return this.ask(this.exports, { kind: 'export', query: q, file }, q.from, q.to);
  }

  /**
   * The whole panel answer (statistics, machine and top-N series) in one call on one hand-over:
   * one round trip, one instant. It may ask for the history before the range (where recording
   * began), so every live file goes with it.
   */
  panelDataset(q: DatasetQuery, machine: MachineSample | undefined): Promise<PanelDatasetRequest.Result> {
    if (this.here(-Infinity, q.to)) return panelDataset(this, machine && { machine }, q);
    const call: HistoryCall = { kind: 'panelDataset', query: q, machine, status: this.store.status() };
    return this.ask(this.queries, call, -Infinity, Infinity);
  }

  /**
   * A history panel is opening on [from, to): when that range reads past files and no worker runs,
   * start one and read the range once as the panel's first request will (its answer dropped). A 24 h
   * panel's first answer from a cold worker took 274–321 ms quiet, 466–533 beside a CI run, most of
   * it Node's start, sql.js and V8 compiling the queries; warmed, 75–90 / 174–185 ms. VS Code takes
   * ~1.1 s to load the panel's page, so the warm-up is over before the panel asks (bench/RESULTS.md,
   * "The panel's warm-up"). A busy or running worker is left alone: the panel's request will find
   * it warm, or queue behind what it is doing either way.
   */
  warmPanel(from: number, to: number): boolean {
    if (this.here(-Infinity, to) || this.queries.running || this.queries.busy) return false;
    const query: DatasetQuery = { ...WARM_PANEL_SHAPE, from, to };
    this.panelDataset(query, undefined).catch((error: unknown) =>
      this.options.log.debug(`history panel warm-up: ${errorText(error)}`),
    );
    return true;
  }

  status() {
    return this.store.status();
  }

  close(): Promise<void> {
    return Promise.all([this.queries.close(), this.exports.close()]).then(() => undefined);
  }
}
