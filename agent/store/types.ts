// The store's public surface: what the CLI, the server and the benchmark call.
import type { Logger } from '../log';
import type {
  AtRequest,
  ExportRequest,
  HistoryRequest,
  LifecycleRequest,
  StatsRequest,
} from '../../shared/protocol';
import type { RetentionSettings } from '../../shared/settings';

export interface StoreOptions {
  dataDir: string;
  retention: RetentionSettings;
  /** The sampling interval, ms: the raw tier's step. */
  intervalMs: number;
  /** Open for queries only: nothing on disk is created, changed or moved. */
  readOnly?: boolean;
  log: Logger;
  /** Clock for tests and generated history. */
  now?: () => number;
  /** How often the in-memory files are persisted, ms (default 5 min; also at every file rollover). */
  flushIntervalMs?: number;
  /** How often the write-ahead log is fdatasync'ed, ms (default 5 s). */
  walSyncMs?: number;
}

// The queries and their answers are the protocol's own Params and Result types: declared once, in
// shared/protocol.ts, so the store cannot drift from what the wire carries.

export type StatsQuery = StatsRequest.Params;

export type AtQuery = AtRequest.Params;

/**
 * HistoryRequest's params, plus `since`: only points at or after it, from the tier chosen for the
 * whole range (the panel's live tail, PanelDatasetRequest).
 */
export type SeriesQuery = HistoryRequest.Params & { since?: number };

export type SeriesResult = HistoryRequest.Result;

/** ExportRequest's params but the file, which the agent resolves. */
export type ExportQuery = Omit<ExportRequest.Params, 'file'>;

export type LifecycleQuery = LifecycleRequest.Params;

export type LifecycleResult = LifecycleRequest.Result;

/** What `status()` reports: the wire shape itself, declared once in the protocol. */
export type { StoreStatus, TierStatus } from '../../shared/protocol';
