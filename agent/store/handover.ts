// History queries on another thread (agent/history): the writer hands over what is not on disk —
// its live files as bytes, the open buckets, the list of files — all taken at one instant, and
// the reader runs the store's own query functions on its own sql.js over those copies and the
// closed files on disk. So a result is the writer's at that instant: the in-memory part is never
// missed, and a file written after it is never counted beside the open buckets it came from.
import type { SqlJsStatic } from 'sql.js';
import type { RetentionSettings } from '../../shared/settings';
import type { Logger } from '../log';
import { FileSet } from './files';
import type { OpenBuckets, QueryContext } from './queries/context';
import { loadSqlJs } from './sqljs';
import { tierDefs, type TierDef, type TierName } from './tiers';

/** One live file's bytes (a sql.js export: its disk copy, if any, is older). */
export interface LiveBytes {
  tier: TierName;
  start: number;
  bytes: Uint8Array;
}

export interface Handover {
  dataDir: string;
  intervalMs: number;
  retention: RetentionSettings;
  now: number;
  open: OpenBuckets;
  live: LiveBytes[];
  /** Every file's start per tier, live or on disk, as the writer saw them. */
  listing: Record<TierName, number[]>;
}

/** The reading side: one FileSet kept between hand-overs (its past-file LRU with it). */
export class HandoverReader {
  private files: FileSet | undefined;
  private key = '';
  private now = 0;

  private constructor(
    private readonly SQL: SqlJsStatic,
    private readonly log: Logger,
    private readonly hooks: Pick<FileSet, 'onRead' | 'onDamaged'>,
  ) {}

  /** hooks: told of every past file read and every bad file met (see FileSet). */
  static async create(log: Logger, hooks: Pick<FileSet, 'onRead' | 'onDamaged'>): Promise<HandoverReader> {
    return new HandoverReader(await loadSqlJs(), log, hooks);
  }

  /** The query context over a hand-over: its live copies replace the previous ones. */
  adopt(h: Handover): QueryContext {
    const defs = tierDefs(h.intervalMs, h.retention);
    const tiers: Record<TierName, TierDef> = { raw: defs[0]!, minute: defs[1]!, hour: defs[2]! };
    const key = JSON.stringify([h.dataDir, h.intervalMs, h.retention]);
    this.now = h.now;
    if (!this.files || key !== this.key) {
      this.files?.closeAll();
      this.files = new FileSet(this.SQL, h.dataDir, tiers, true, this.log, () => this.now);
      this.files.onRead = this.hooks.onRead;
      this.files.onDamaged = this.hooks.onDamaged;
      this.key = key;
    }
    this.files.handOver(h.live, h.listing);
    return { tiers, files: this.files, open: h.open, intervalMs: h.intervalMs, now: h.now };
  }

  close(): void {
    this.files?.closeAll();
  }
}
