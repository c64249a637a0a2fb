// Over 400 lines on purpose: one facade over tiers, files, WAL and rollups, sharing the open files.
// The agent's history store. See README.md beside this file for the design and its measurements.
import { existsSync, mkdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import type { AtResult, ProcessMeta, StatsResult, Tick } from '../../shared/model';
import { OnceLogger } from '../log';
import { checkReadable, checkWritable, isDenied } from './access';
import { removeTotals, totalsBytes } from './dayTotals';
import { FileSet } from './files';
import { writeFileAtomic } from './persist';
import { at } from './queries/at';
import { allRows, type OpenBuckets, type QueryContext } from './queries/context';
import type { Handover, LiveBytes } from './handover';
import { exportTo } from './queries/export';
import { lifecycle } from './queries/lifecycle';
import { series } from './queries/series';
import { stats } from './queries/stats';
import { Recorder, type CompactTick, type SpanSink } from './recorder';
import type { Drained } from './rollup';
import type { MachineSpan, Span } from './span';
import { loadSqlJs } from './sqljs';
import type { TierFile } from './tierFile';
import { tierDefs, type TierDef, type TierName } from './tiers';
import type {
  AtQuery,
  ExportQuery,
  LifecycleQuery,
  LifecycleResult,
  SeriesQuery,
  SeriesResult,
  StatsQuery,
  StoreOptions,
  StoreStatus,
  TierStatus,
} from './types';
import { deleteSegments, listSegments, readSegment, WalWriter, type Segment } from './wal';
import { errorText } from '../../shared/errors';

const DEFAULT_FLUSH_MS = 5 * 60_000;
const RETRY_FLUSH_MS = 30_000;
// A SIGKILL loses nothing already written to the WAL; fdatasync only bounds what a power loss takes,
// and 5 s keeps that well inside the 10 s loss bound.
const DEFAULT_WAL_SYNC_MS = 5_000;

export class Store {
  private readonly files: FileSet;
  private readonly recorder: Recorder;
  private readonly tiers: Record<TierName, TierDef>;
  private readonly once: OnceLogger;
  private readonly now: () => number;
  private wal: WalWriter | null = null;
  private walSeq = 0;
  private flushing: Promise<void> | undefined;
  private followUp: Promise<void> | undefined;
  private nextFlushAt: number;
  private lastFlush: number | null = null;
  private lastError: string | null = null;
  private readonly touched = new Set<TierFile>();
  private closed = false;
  private writeFailing = false;
  /** Why writing to disk fails, while it does (status().writeProblem). */
  private writeProblem: string | null = null;
  /** Delivering pending idle spans outside a tick: files take them whatever their applied mark. */
  private settling = false;

  private constructor(
    SQL: SqlJsStatic,
    private readonly options: StoreOptions,
  ) {
    this.now = options.now ?? Date.now;
    const defs = tierDefs(options.intervalMs, options.retention);
    this.tiers = { raw: defs[0]!, minute: defs[1]!, hour: defs[2]! };
    this.once = new OnceLogger(options.log);
    this.files = new FileSet(SQL, options.dataDir, this.tiers, !!options.readOnly, options.log, this.now);
    this.recorder = new Recorder(options.intervalMs);
    this.nextFlushAt = Date.now() + this.flushEveryMs;
  }

  private get flushEveryMs(): number {
    return this.options.flushIntervalMs ?? DEFAULT_FLUSH_MS;
  }

  private get walDir(): string {
    return path.join(this.options.dataDir, 'wal');
  }

  /** Loads the files, replays the write-ahead log, moves corrupt files aside. */
  static async open(options: StoreOptions): Promise<Store> {
    const store = new Store(await loadSqlJs(), options);
    if (options.readOnly) checkReadable([options.dataDir, ...store.dirs]);
    else {
      store.makeDirs();
      checkWritable(store.dirs.filter((dir) => existsSync(dir)));
    }
    store.files.scan();
    store.replay();
    if (!options.readOnly) store.startSegment();
    return store;
  }

  private get dirs(): string[] {
    return [...Object.keys(this.tiers).map((t) => this.files.dirOf(t as TierName)), this.walDir];
  }

  private makeDirs(): void {
    for (const dir of this.dirs) {
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
      } catch (error) {
        if (isDenied(error)) checkWritable([path.dirname(dir)]);
        this.failed('mkdir', `store: cannot create ${dir} (${errorText(error)}); history stays in memory`);
      }
    }
  }

  private replay(): void {
    const segments = listSegments(this.walDir);
    this.walSeq = segments.at(-1)?.seq ?? 0;
    let restored = false;
    let ticks = 0;
    for (const segment of segments) {
      let contents;
      try {
        contents = readSegment(segment.path);
      } catch (error) {
        this.options.log.warn(`store: cannot read ${segment.path}: ${errorText(error)}`);
        continue;
      }
      if (contents.badLines > 1) {
        this.options.log.warn(
          `store: ${segment.path} has ${contents.badLines} unreadable lines; replayed the rest`,
        );
      }
      if (!restored && contents.snapshot) {
        this.recorder.restore(contents.snapshot);
        restored = true;
      }
      for (const tick of contents.ticks) {
        if (tick.t <= this.recorder.lastTs) continue;
        this.recorder.apply(tick, this.sink);
        ticks++;
      }
    }
    if (ticks) this.options.log.info(`store: replayed ${ticks} ticks from the write-ahead log`);
  }

  /**
   * Starts a new WAL segment; null when it cannot (the previous one, if any, takes the appends
   * meanwhile, and no older segment is deleted, since no snapshot covers them).
   */
  private startSegment(): Segment | null {
    const previous = this.wal;
    let started: WalWriter;
    try {
      started = WalWriter.start(
        this.walDir,
        this.walSeq + 1,
        this.recorder.snapshot(),
        this.options.walSyncMs ?? DEFAULT_WAL_SYNC_MS,
        (error) => this.walState(started, error),
      );
    } catch (error) {
      this.diskFailed(
        `store: cannot write the write-ahead log in ${this.walDir} (${errorText(error)}); keeping history in memory and retrying`,
      );
      return null;
    }
    this.walSeq++;
    this.wal = started;
    previous?.close();
    if (!this.writeFailing) this.diskRecovered();
    return started.segment;
  }

  private walState(writer: WalWriter, error: Error | null): void {
    if (writer !== this.wal) return;
    if (error) {
      this.diskFailed(
        `store: cannot write the write-ahead log ${writer.segment.path} (${error.message}); keeping history in memory and retrying`,
      );
    } else if (!this.writeFailing) this.diskRecovered();
  }

  private readonly sink: SpanSink = {
    raw: (meta: ProcessMeta, span: Span, t: number) => {
      this.write('raw', span.ts, t, (f) => f.addSpan(meta, span));
    },
    rawMachine: (m: MachineSpan, t: number) => {
      this.write('raw', m.ts, t, (f) => f.addMachine(m));
    },
    rawExit: (key: string, exitTs: number, t: number) => {
      this.write('raw', exitTs, t, (f) => f.markExit(key, exitTs));
    },
    rollup: (tier: 'minute' | 'hour', drained: Drained, t: number) => {
      this.write(tier, drained.bucket, t, (f) => {
        for (const { meta, span } of drained.spans) f.addSpan(meta, span);
        if (drained.machine) f.addMachine(drained.machine);
      });
    },
    done: (t: number) => {
      for (const f of [...this.touched]) {
        f.appliedTs = Math.max(f.appliedTs, t);
        try {
          f.commit();
        } catch (error) {
          this.broken(f, error).appliedTs = t;
        }
      }
      this.touched.clear();
    },
  };

  /**
   * Applies `op` to the file a tick's effects go to. A file that fails is set aside and a fresh
   * one takes `op` and the rest: an error in one file never stops the recording.
   */
  private write(tier: TierName, ts: number, t: number, op: (f: TierFile) => void): void {
    const f = this.target(tier, ts, t);
    if (!f) return;
    try {
      op(f);
    } catch (error) {
      const fresh = this.broken(f, error);
      this.touched.add(fresh);
      try {
        op(fresh);
      } catch (again) {
        this.failed('ingest', `store: cannot record into a fresh ${f.path}: ${errorText(again)}`);
      }
    }
  }

  private broken(f: TierFile, error: unknown): TierFile {
    this.touched.delete(f);
    this.lastError = `store: ${f.path} failed: ${errorText(error)}`;
    return this.files.replaceBroken(f, errorText(error));
  }

  /** The file a tick's effects go to, unless that file already holds tick `t` (replay). */
  private target(tier: TierName, ts: number, t: number): TierFile | null {
    const f = this.files.fileFor(tier, ts);
    if (!f || (!this.settling && t <= f.appliedTs && !this.touched.has(f))) return null;
    this.touched.add(f);
    return f;
  }

  /** Records one tick: in memory and in the write-ahead log. Cheap, synchronous, never throws on disk errors. */
  ingest(tick: Tick): void {
    if (this.closed) return;
    if (tick.ts <= this.recorder.lastTs) return;
    const compact = this.recorder.compact(tick);
    this.wal?.append(compact);
    this.applyCompact(compact);
    this.maybeFlush();
  }

  private applyCompact(compact: CompactTick): void {
    try {
      this.recorder.apply(compact, this.sink, true);
    } catch (error) {
      this.touched.clear();
      this.failed('ingest', `store: cannot record a tick: ${errorText(error)}`);
    }
  }

  /** For the history generator: a finished minute of rollups, written without raw ticks. */
  ingestMinute(drained: Drained): void {
    this.settle();
    const t = drained.bucket + 60_000;
    this.recorder.addMinute(drained, t, this.sink);
    this.recorder.lastTs = Math.max(this.recorder.lastTs, t - 1);
    this.sink.done(t);
  }

  private maybeFlush(): void {
    if (this.options.readOnly || this.flushing) return;
    // A rolled-over file is flushed at once (unless writing is failing: then at the retry time).
    if (Date.now() >= this.nextFlushAt || (this.files.hasPending() && !this.writeFailing)) void this.flush();
  }

  /**
   * Brings the in-memory files and open buckets up to date with idle identities' pending spans
   * (see Recorder): before anything reads them, exports them or snapshots the recorder.
   */
  private settle(): void {
    if (this.closed) return;
    this.settling = true;
    try {
      this.recorder.settle(this.sink, this.recorder.lastTs);
      for (const f of this.touched) f.commit();
    } catch (error) {
      this.failed('ingest', `store: cannot record idle spans: ${errorText(error)}`);
    } finally {
      this.touched.clear();
      this.settling = false;
    }
  }

  /** Persists the in-memory files (temp → fsync → rename → fsync dir), then applies retention. */
  flush(): Promise<void> {
    if (this.options.readOnly) return Promise.resolve();
    // A flush already running may have listed its files before the caller's changes: follow it.
    if (this.flushing) {
      return (this.followUp ??= this.flushing.then(() => {
        this.followUp = undefined;
        return this.flush();
      }));
    }
    // A flush never rejects: its callers are a tick (fire and forget) and close(); what failed is
    // logged and in status().
    this.flushing = this.persist()
      .catch((error: unknown) =>
        this.failed(
          'flush',
          `store: flush failed: ${error instanceof Error ? (error.stack ?? error.message) : errorText(error)}`,
        ),
      )
      .finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async persist(): Promise<void> {
    const older = listSegments(this.walDir);
    this.settle();
    const segment = this.startSegment();
    let ok = true;
    for (let f of this.files.live()) {
      if (!f.changed) continue;
      // One file per turn of the event loop, so a tick due meanwhile is not held up.
      await new Promise((resolve) => setImmediate(resolve));
      if (!f.changed || !this.files.live().includes(f)) continue;
      // Ticks may have come in since the last file: their idle spans belong in this export too.
      this.settle();
      let bytes: Uint8Array;
      try {
        bytes = f.exportBytes();
      } catch (error) {
        // Damage the load-time check missed: the file on disk is set aside, a fresh one written.
        f = this.broken(f, error);
        bytes = f.exportBytes();
      }
      try {
        mkdirSync(path.dirname(f.path), { recursive: true, mode: 0o700 });
        await writeFileAtomic(f.path, bytes);
        this.files.finished(f, (db) => allRows(db, 'SELECT * FROM processes'));
      } catch (error) {
        f.changed = true;
        ok = false;
        this.diskFailed(
          `store: cannot write ${f.path} (${errorText(error)}); keeping history in memory and retrying`,
        );
        break;
      }
    }
    this.nextFlushAt = Date.now() + (ok ? this.flushEveryMs : Math.min(this.flushEveryMs, RETRY_FLUSH_MS));
    this.writeFailing = !ok;
    if (!ok) return;
    if (!this.wal?.failing) this.diskRecovered();
    if (segment) deleteSegments(older.filter((s) => s.seq < segment.seq));
    this.files.releasePersisted();
    this.applyRetention();
    this.lastFlush = this.now();
  }

  private applyRetention(): void {
    const now = this.now();
    for (const tier of Object.values(this.tiers)) {
      for (const f of this.files.onDisk(tier.name)) {
        if (f.start + tier.fileSpanMs > now - tier.keepMs) continue;
        try {
          unlinkSync(f.path);
          removeTotals(f.path);
        } catch (error) {
          this.failed('retention', `store: cannot delete expired ${f.path}: ${errorText(error)}`);
        }
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    this.wal?.close();
    this.wal = null;
    this.files.closeAll();
  }

  private failed(key: string, message: string): void {
    this.lastError = message;
    this.once.failed(key, message);
  }

  /**
   * Writing to disk failed (a full disk, a folder made read-only, an I/O error): one line when the
   * store enters that state, one when it leaves it, whatever fails meanwhile and how often.
   */
  private diskFailed(message: string): void {
    this.lastError = message;
    if (this.writeProblem !== null) return;
    this.writeProblem = message;
    this.options.log.error(message);
  }

  private diskRecovered(): void {
    if (this.writeProblem === null) return;
    this.writeProblem = null;
    this.options.log.info('store: writing to disk works again');
  }

  private get context(): QueryContext {
    this.settle();
    return {
      tiers: this.tiers,
      files: this.files,
      open: this.openBuckets(),
      intervalMs: this.options.intervalMs,
      now: this.now(),
    };
  }

  private openBuckets(): OpenBuckets {
    const { lastTs, minute, hour } = this.recorder;
    return { lastTs, minute: minute.peek(), hour: hour.peek() };
  }

  /**
   * Everything a reader on another thread needs that is not on disk, taken at one instant: the
   * live files overlapping [from, to) as bytes (their disk copies, if any, are older), the open
   * buckets, and the list of files as of now (files written after it must not be read: their
   * ticks are newer than the open buckets, so counting them would mix two instants).
   */
  handover(from: number, to: number): Handover {
    const ctx = this.context;
    const live: LiveBytes[] = [];
    for (const f of this.files.live()) {
      if (f.start >= to || f.end <= from) continue;
      live.push({ tier: f.tier.name, start: f.start, bytes: f.snapshotBytes() });
    }
    const listing = Object.fromEntries(
      (Object.keys(this.tiers) as TierName[]).map((t) => [t, this.files.starts(t, -Infinity, Infinity)]),
    ) as Record<TierName, number[]>;
    return {
      dataDir: this.options.dataDir,
      intervalMs: this.options.intervalMs,
      retention: this.options.retention,
      now: ctx.now,
      open: ctx.open,
      live,
      listing,
    };
  }

  /** A closed file a query worker found damaged: moved aside, as when a query here meets it. */
  setAsideDamaged(file: string, reason: string): void {
    if (this.closed || this.options.readOnly) return;
    // Only a closed file of this data dir: never a live one, never a path from elsewhere.
    if (this.files.live().some((f) => f.path === file) || !this.dirs.includes(path.dirname(file))) return;
    this.files.setAside(file, reason);
  }

  /** Whether every file of every tier overlapping [from, to) is live (in memory): nothing to read from disk. */
  onlyLive(from: number, to: number): boolean {
    const live = new Set(this.files.live().map((f) => `${f.tier.name}:${f.start}`));
    return (Object.keys(this.tiers) as TierName[]).every((t) =>
      this.files.starts(t, from, to).every((start) => live.has(`${t}:${start}`)),
    );
  }

  stats(q: StatsQuery): StatsResult {
    return stats(this.context, q);
  }

  /**
   * The same statistics when the live files and the day totals sidecars answer them (whole past
   * days, the rest of the range inside the files held in memory); null, having opened no closed
   * database, when they do not.
   */
  statsWithoutClosedFiles(q: StatsQuery): StatsResult | null {
    return this.files.withoutClosedFiles(() => stats(this.context, q));
  }

  at(q: AtQuery): AtResult {
    return at(this.context, q);
  }

  series(q: SeriesQuery): SeriesResult {
    return series(this.context, q);
  }

  lifecycle(q: LifecycleQuery): LifecycleResult {
    return lifecycle(this.context, q);
  }

  exportTo(q: ExportQuery, out: NodeJS.WritableStream | string): Promise<{ rows: number }> {
    return exportTo(this.context, q, out);
  }

  status(): StoreStatus {
    const tiers: TierStatus[] = Object.values(this.tiers).map((tier) => {
      const disk = this.files.onDisk(tier.name);
      const starts = this.files.starts(tier.name, -Infinity, Infinity);
      return {
        name: tier.name,
        label: tier.resolution.label,
        files: starts.length,
        bytes: disk.reduce((sum, f) => sum + f.bytes + totalsBytes(f.path), 0),
        oldest: starts[0] ?? null,
        newest: starts.length ? starts[starts.length - 1]! + tier.fileSpanMs : null,
      };
    });
    return {
      dataDir: this.options.dataDir,
      tiers,
      lastFlush: this.lastFlush,
      lastError: this.lastError,
      setAside: this.files.setAsideFiles(),
      writeProblem: this.writeProblem,
    };
  }
}
