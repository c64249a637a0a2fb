// The agent's history queries, kept out of its process when they read the past: a query whose
// range touches a closed file on disk (a month's statistics, a 30-day panel, `at` ten days ago, an
// export) runs in a worker child process over the store's hand-over (agent/store/handover.ts), so
// no tick waits on it and the memory it takes leaves with the process (lane.ts); a query that reads only the files the
// store holds in memory (the last minutes) is answered here at once, as before. Either way the
// same query functions run on the same state: results do not depend on where they were computed.
import { existsSync } from 'node:fs';
import path from 'node:path';
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
}

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

export class HistoryQueries implements CoreQueries {
  /** Queries and exports each have their own worker process: a long export never holds up a chart. */
  private readonly queries: WorkerLane;
  private readonly exports: WorkerLane;

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
      });
    this.queries = lane('history query');
    this.exports = lane('export');
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

  status() {
    return this.store.status();
  }

  close(): Promise<void> {
    return Promise.all([this.queries.close(), this.exports.close()]).then(() => undefined);
  }
}
