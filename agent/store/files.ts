// Over 400 lines on purpose: which tier files exist, live or are set aside is one state, updated together.
// The tier files: which exist on disk, which live in memory (each tier's current file and rolled
// files not yet persisted), loading and creating them, opening past files read-only for queries
// (a tiny LRU: sql.js memory is wasm heap, so files are closed as soon as they fall out), and
// moving bad files aside.
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import path from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import type { SetAsideFile } from '../../shared/protocol';
import type { Logger } from '../log';
import { headerProblem, moveAside } from './fileCheck';
import { migrate, tune } from './schema';
import { readTotals, writeTotals, type TotalsRow } from './dayTotals';
import { TierFile } from './tierFile';
import { fileNameFor, floorTo, parseFileName, type TierDef, type TierName } from './tiers';
import { errorText } from '../../shared/errors';

/** A file opened for a query: a live in-memory file, or a past file from disk. */
export interface FileView {
  tier: TierDef;
  start: number;
  end: number;
  db: Database;
  live: boolean;
}

export interface DiskFile {
  start: number;
  path: string;
  bytes: number;
}

const LRU_SIZE = 3;
/**
 * Closed hour files a query may open on the writer's thread (withoutClosedFiles): a month from a
 * local midnight needs one (its first hours), and one day whose sidecar must be made again.
 */
const BORROW_HOUR_FILES = 2;
/** Set-aside files the status reports (the log has them all). */
const SET_ASIDE_KEPT = 20;

export class FileSet {
  private readonly current = new Map<TierName, TierFile>();
  /** Rolled-over files waiting to be persisted, by path. */
  private readonly pending = new Map<string, TierFile>();
  private readonly lru = new Map<string, { db: Database; mtimeMs: number; size: number }>();
  private readonly asideLog: SetAsideFile[] = [];
  /** Read-only: bad files already reported (they stay in place, and each is named once). */
  private readonly skipped = new Set<string>();
  /**
   * A query worker's copies of the writer's live files, by path: newer than their disk copies,
   * read instead of them (see handover.ts).
   */
  private readonly handed = new Map<string, { tier: TierDef; start: number; db: Database }>();
  /**
   * Read-only: told of a bad file instead of skipping it silently — a query worker passes it to
   * the writer, which moves it aside (the worker itself never changes the data dir).
   */
  onDamaged: ((file: string, reason: string) => void) | undefined;
  /** Called with the size of each past file read for a query (the query worker's GC pacing). */
  onRead: ((bytes: number) => void) | undefined;
  /** A query worker's list of files as the writer saw them; null: read the folders. */
  private pinned: Record<TierName, number[]> | null = null;
  /** Inside withoutClosedFiles: how many closed hour files it may still open; null outside it. */
  private closedBudget: number | null = null;
  /** The closed files withoutClosedFiles opened, closed when it returns (never kept in the LRU). */
  private readonly borrowed = new Map<string, Database>();

  constructor(
    private readonly SQL: SqlJsStatic,
    readonly dataDir: string,
    readonly tiers: Record<TierName, TierDef>,
    private readonly readOnly: boolean,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  dirOf(tier: TierName): string {
    return path.join(this.dataDir, tier);
  }

  pathOf(tier: TierDef, start: number): string {
    return path.join(this.dirOf(tier.name), fileNameFor(tier, start));
  }

  /** The writable file holding `ts`; null when `ts` is already past the tier's retention. */
  fileFor(name: TierName, ts: number): TierFile | null {
    const tier = this.tiers[name];
    const start = floorTo(ts, tier.fileSpanMs);
    const current = this.current.get(name);
    if (current?.start === start) return current;
    const file = this.pathOf(tier, start);
    const waiting = this.pending.get(file);
    if (waiting) return waiting;
    if (start + tier.fileSpanMs <= this.now() - tier.keepMs) return null;
    const opened = this.loadWritable(tier, start, file);
    if (current && current.start > start) {
      // A late tick for an older file (clock stepped back): keep it beside the current one.
      this.pending.set(file, opened);
      return opened;
    }
    if (current) this.pending.set(current.path, current);
    this.current.set(name, opened);
    return opened;
  }

  private loadWritable(tier: TierDef, start: number, file: string): TierFile {
    this.evict(file);
    let bytes: Uint8Array | undefined;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.log.warn(`store: cannot read ${file} (${errorText(error)}); starting it afresh in memory`);
        this.setAside(file, 'unreadable');
      }
    }
    if (bytes) {
      // The content check (quick_check) runs inside TierFile.load, on the one copy it loads.
      const problem = headerProblem(bytes);
      if (problem === null) {
        try {
          return TierFile.load(this.SQL, tier, start, file, bytes);
        } catch (error) {
          this.setAside(file, errorText(error));
        }
      } else {
        this.setAside(file, problem);
      }
    }
    return TierFile.create(this.SQL, tier, start, file);
  }

  /** Moves a bad file aside (not in read-only mode) and says where, once. */
  setAside(file: string, why: string): void {
    // integrity_check answers in several lines: one line per file in the log and on the CLI.
    const reason = why.replace(/\s*\n\s*/g, '; ');
    this.evict(file);
    if (this.readOnly) {
      if (!this.skipped.has(file)) {
        if (this.onDamaged) this.onDamaged(file, reason);
        else this.log.warn(`store: skipping ${file}: ${reason} (read-only: left in place)`);
      }
      this.skipped.add(file);
      return;
    }
    try {
      const moved = moveAside(file, this.now());
      this.log.warn(`store: ${file} is unusable (${reason}); moved aside to ${moved}`);
      this.asideLog.push({ file, movedTo: moved, reason, at: Date.now() });
      if (this.asideLog.length > SET_ASIDE_KEPT) this.asideLog.shift();
    } catch (error) {
      this.log.error(
        `store: ${file} is unusable (${reason}) and could not be moved aside: ${errorText(error)}`,
      );
    }
  }

  /** The files set aside since this store opened (the newest SET_ASIDE_KEPT). */
  setAsideFiles(): SetAsideFile[] {
    return [...this.asideLog];
  }

  /**
   * A live file failed (damage a load-time check cannot see, or an error while writing it): its
   * file on disk is set aside and a fresh, empty file takes its place, so recording goes on.
   */
  replaceBroken(f: TierFile, reason: string): TierFile {
    const fresh = TierFile.create(this.SQL, f.tier, f.start, f.path);
    if (this.current.get(f.tier.name) === f) this.current.set(f.tier.name, fresh);
    else if (this.pending.get(f.path) === f) this.pending.set(f.path, fresh);
    try {
      f.close();
    } catch {
      // the broken copy's memory is released all the same (TierFile.close)
    }
    if (existsSync(f.path)) this.setAside(f.path, reason);
    else this.log.warn(`store: the in-memory ${f.path} failed (${reason}); starting it afresh`);
    return fresh;
  }

  /** Files of a tier on disk, oldest first. */
  onDisk(name: TierName): DiskFile[] {
    const tier = this.tiers[name];
    const dir = this.dirOf(name);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return [];
    }
    const files: DiskFile[] = [];
    for (const entry of names) {
      const start = parseFileName(tier, entry);
      if (start === null) continue;
      const file = path.join(dir, entry);
      try {
        files.push({ start, path: file, bytes: statSync(file).size });
      } catch {
        // deleted meanwhile
      }
    }
    return files.sort((a, b) => a.start - b.start);
  }

  /** Checks every file's header; bad ones are moved aside (in read-only mode just skipped). */
  scan(): void {
    if (!this.readOnly) this.removeStaleTemps();
    for (const name of Object.keys(this.tiers) as TierName[]) {
      for (const f of this.onDisk(name)) {
        const problem = headerProblem(readHeader(f.path, f.bytes), f.bytes);
        if (problem) this.setAside(f.path, problem);
      }
    }
  }

  /**
   * Temp files of flushes a crash interrupted (persist.ts names them `.NAME.PID.N.tmp`). Only the
   * one writing agent gets here, at open, so none of them can still be in use.
   */
  private removeStaleTemps(): void {
    for (const name of Object.keys(this.tiers) as TierName[]) {
      const dir = this.dirOf(name);
      let entries: string[];
      try {
        entries = readdirSync(dir);
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (!/^\..+\.tmp$/.test(entry)) continue;
        try {
          unlinkSync(path.join(dir, entry));
        } catch {
          // gone already, or not ours to remove: harmless either way
        }
      }
    }
  }

  live(): TierFile[] {
    return [...this.current.values(), ...this.pending.values()];
  }

  hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** Forgets rolled files that are on disk now (or too old to keep). */
  releasePersisted(): void {
    for (const [file, f] of this.pending) {
      const expired = f.end <= this.now() - f.tier.keepMs;
      if (f.changed && !expired) continue;
      f.close();
      this.pending.delete(file);
    }
  }

  /** Starts of the files (live or on disk) of a tier that overlap [from, to). */
  starts(name: TierName, from: number, to: number): number[] {
    const tier = this.tiers[name];
    const set = new Set<number>(this.pinned?.[name]);
    if (!this.pinned) {
      for (const f of this.onDisk(name)) set.add(f.start);
      for (const f of this.live()) if (f.tier.name === name) set.add(f.start);
    }
    return [...set].filter((s) => s < to && s + tier.fileSpanMs > from).sort((a, b) => a - b);
  }

  /**
   * A query worker takes the writer's live files (as bytes) and its list of files at one instant:
   * until the next hand-over, queries read those copies and see no file the writer made since.
   */
  handOver(
    live: { tier: TierName; start: number; bytes: Uint8Array }[],
    listing: Record<TierName, number[]>,
  ): void {
    this.dropHanded();
    for (const { tier: name, start, bytes } of live) {
      const tier = this.tiers[name];
      const file = this.pathOf(tier, start);
      this.evict(file);
      const db = new this.SQL.Database(bytes);
      tune(db);
      this.handed.set(file, { tier, start, db });
    }
    this.pinned = listing;
  }

  private dropHanded(): void {
    for (const { db } of this.handed.values()) db.close();
    this.handed.clear();
  }

  /** A file for reading, or null when there is none (or it turned out unusable). */
  view(name: TierName, start: number): FileView | null {
    const tier = this.tiers[name];
    const file = this.pathOf(tier, start);
    const handed = this.handed.get(file);
    if (handed) return { tier, start, end: start + tier.fileSpanMs, db: handed.db, live: true };
    const live = this.current.get(name)?.start === start ? this.current.get(name) : this.pending.get(file);
    if (live) {
      let f = live;
      try {
        f.syncAggregates();
      } catch (error) {
        f = this.replaceBroken(f, errorText(error));
      }
      return { tier, start, end: f.end, db: f.db, live: true };
    }
    let stat;
    try {
      stat = statSync(file);
    } catch {
      this.evict(file);
      return null;
    }
    const cached = this.lru.get(file);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) {
      this.lru.delete(file);
      this.lru.set(file, cached);
      return { tier, start, end: start + tier.fileSpanMs, db: cached.db, live: false };
    }
    this.evict(file);
    if (this.closedBudget !== null) return this.borrow(tier, start, file);
    const db = this.openPast(file);
    if (!db) return null;
    this.lru.set(file, { db, mtimeMs: stat.mtimeMs, size: stat.size });
    while (this.lru.size > LRU_SIZE) this.evict(this.lru.keys().next().value!);
    return { tier, start, end: start + tier.fileSpanMs, db, live: false };
  }

  /**
   * Runs `read` over the live files, the day totals sidecars and at most BORROW_HOUR_FILES closed
   * hour files (~0.7 MB each at 600 processes: an edge inside a past day, a day whose sidecar must
   * be made again), which are closed when it returns; null, having opened nothing more, when it
   * would need more (a minute file, a third hour file). The agent answers such a query on its own
   * thread without a worker process's start, and without keeping anything of it in memory.
   */
  withoutClosedFiles<T>(read: () => T): T | null {
    this.closedBudget = BORROW_HOUR_FILES;
    try {
      return read();
    } catch (error) {
      if (error instanceof ClosedFileNeeded) return null;
      throw error;
    } finally {
      this.closedBudget = null;
      for (const db of this.borrowed.values()) db.close();
      this.borrowed.clear();
    }
  }

  private borrow(tier: TierDef, start: number, file: string): FileView | null {
    let db = this.borrowed.get(file);
    if (!db) {
      if (tier.name !== 'hour' || !this.closedBudget) throw new ClosedFileNeeded();
      this.closedBudget--;
      db = this.openPast(file) ?? undefined;
      if (!db) return null;
      this.borrowed.set(file, db);
    }
    return { tier, start, end: start + tier.fileSpanMs, db, live: false };
  }

  /**
   * A whole day's per-identity totals (`compute` reads them from a file): a past day's from its
   * sidecar when that is current, else computed and the sidecar written for next time; a live
   * file's always computed. Nothing is kept in memory, so thirty days cost what one does.
   */
  dayTotals(name: TierName, start: number, compute: (view: FileView) => TotalsRow[]): TotalsRow[] | null {
    const tier = this.tiers[name];
    const file = this.pathOf(tier, start);
    const live = this.current.get(name)?.start === start || this.pending.has(file) || this.handed.has(file);
    if (!live) {
      const saved = readTotals(file);
      if (saved) return saved;
    }
    const view = this.view(name, start);
    if (!view) return null;
    const rows = compute(view);
    if (!live) this.saveTotals(file, rows);
    return rows;
  }

  /**
   * Writes the totals sidecar of an hour-tier file just persisted once its day is over, its totals
   * final. Only the hour tier's: statistics read a day's totals from there (the minute file's are
   * computed only when the hour file is missing, which is rare enough not to cost a file a day).
   * The day is over once a tick from after its end has reached the file (that tick closed its last
   * hour, 23:00) — not only when it rolls over: that happens when the next day's first hour closes,
   * at 01:00, and a flush in between has usually written the file already, so it rolls over
   * unchanged and is not persisted (nor given its sidecar) again.
   */
  finished(f: TierFile, compute: (db: Database) => TotalsRow[]): void {
    if (f.tier.name !== 'hour' || (this.current.get(f.tier.name) === f && f.appliedTs < f.end)) return;
    let rows: TotalsRow[];
    try {
      rows = compute(f.db);
    } catch {
      return; // the sidecar is only a cache: a query computes the totals when it needs them
    }
    this.saveTotals(f.path, rows);
  }

  private saveTotals(file: string, rows: TotalsRow[]): void {
    if (this.readOnly) return;
    try {
      writeTotals(file, rows);
    } catch (error) {
      // Only a cache: the next query computes the totals again.
      this.log.debug(`store: cannot write the totals beside ${file}: ${errorText(error)}`);
    }
  }

  private openPast(file: string): Database | null {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      this.log.warn(`store: cannot read ${file}: ${errorText(error)}`);
      return null;
    }
    const problem = headerProblem(bytes);
    if (problem) {
      this.setAside(file, problem);
      return null;
    }
    let db: Database | undefined;
    this.onRead?.(bytes.length);
    try {
      db = new this.SQL.Database(bytes);
      tune(db);
      // Older files are brought up to date in memory only: past files stay as they are on disk.
      migrate(db);
      return db;
    } catch (error) {
      db?.close();
      this.setAside(file, errorText(error));
      return null;
    }
  }

  /**
   * A query hit damage inside a past file: set it aside and carry on without it. A live file is
   * only replaced when writing it fails: a query's error there may be the query's own fault.
   */
  damaged(view: FileView, error: unknown): void {
    if (view.live) throw error;
    this.setAside(this.pathOf(view.tier, view.start), errorText(error));
  }

  private evict(file: string): void {
    const cached = this.lru.get(file);
    if (!cached) return;
    cached.db.close();
    this.lru.delete(file);
  }

  closeAll(): void {
    this.dropHanded();
    for (const file of [...this.lru.keys()]) this.evict(file);
    for (const f of this.live()) {
      try {
        f.close();
      } catch {
        // a broken file's memory is released all the same (TierFile.close)
      }
    }
    this.current.clear();
    this.pending.clear();
  }
}

/** Thrown inside withoutClosedFiles when a closed database would be opened. */
class ClosedFileNeeded extends Error {}

function readHeader(file: string, size: number): Uint8Array {
  const header = new Uint8Array(Math.min(size, 100));
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    readSync(fd, header, 0, header.length, 0);
    return header;
  } catch {
    return new Uint8Array(0);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
