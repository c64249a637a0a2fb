// The store's public surface: what the CLI, the server and the benchmark call.
import type { Logger } from '../log';
import type {
  ExportFormat,
  HistoryMetric,
  ProcessFilter,
  ProcessIdentity,
  Resolution,
  Series,
  SortKey,
} from '../../shared/model';
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

export interface StatsQuery {
  from: number;
  to: number;
  filter?: ProcessFilter;
  /** Group per process name (default) or per identity. */
  groupBy?: 'name' | 'identity';
  sort?: SortKey;
  n?: number;
}

export interface AtQuery {
  ts: number;
  filter?: ProcessFilter;
  sort?: SortKey;
  n?: number;
}

export interface SeriesQuery {
  /** One process by identity, all processes of one name, or the machine when neither is set. */
  identity?: ProcessIdentity;
  name?: string;
  metric: HistoryMetric;
  from: number;
  to: number;
  /** Resolution is chosen from the tiers so that at most about this many points come back. */
  maxPoints?: number;
  /** Only points at or after this time, from the tier chosen for the whole range (a live tail's newer points). */
  since?: number;
}

export interface SeriesResult {
  from: number;
  to: number;
  resolution: Resolution;
  series: Series[];
}

export interface ExportQuery {
  format: ExportFormat;
  from: number;
  to: number;
  filter?: ProcessFilter;
}

/** What `status()` reports: the wire shape itself, declared once in the protocol. */
export type { StoreStatus, TierStatus } from '../../shared/protocol';
