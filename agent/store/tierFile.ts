// One tier file held in memory: the current file of a tier (written every tick) or a rolled-over
// file waiting to be persisted. Per-identity aggregates over the whole file are kept in JS from
// every span — idle ones included — and written to the `processes` table before each export, so
// statistics over whole files never read samples.
import type { BindParams, Database, SqlJsStatic, Statement } from 'sql.js';
import type { ProcessMeta } from '../../shared/model';
import { allRows, metaFromRow } from './queries/context';
import { migrate, SCHEMA_VERSION, tune } from './schema';
import { addNullable, identityKey, maxNullable, rssChanged, type MachineSpan, type Span } from './span';
import type { TierDef } from './tiers';

interface ProcRecord {
  id: number;
  meta: ProcessMeta;
  firstSeen: number;
  lastSeen: number;
  exitSeen: number | null;
  aliveS: number;
  cpuS: number | null;
  cpuMax: number | null;
  rssBs: number;
  rssS: number;
  rssMax: number | null;
  readB: number | null;
  writeB: number | null;
  /** The values of the last row written for this identity in this file; null: none yet. */
  last: {
    rss: number | null;
    threads: number | null;
    fds: number | null;
    cpuNull: boolean;
    ioNull: boolean;
  } | null;
}

export class TierFile {
  /** Ticks up to this time are in the file (WAL replay skips them: replay is idempotent). */
  appliedTs = 0;
  /** Changed since the last export. */
  changed = false;
  private readonly procs = new Map<string, ProcRecord>();
  /**
   * The same records by the recorder's meta object, which stays the same for an identity while it
   * is alive: a span's record is found without building its key string.
   */
  private readonly byMeta = new Map<ProcessMeta, ProcRecord>();
  private readonly dirty = new Set<ProcRecord>();
  private nextId = 1;
  private inTransaction = false;
  private insertSample: Statement | undefined;
  private insertMachine: Statement | undefined;
  private upsertProcess: Statement | undefined;

  private constructor(
    readonly tier: TierDef,
    readonly start: number,
    readonly path: string,
    readonly db: Database,
  ) {}

  get end(): number {
    return this.start + this.tier.fileSpanMs;
  }

  static create(SQL: SqlJsStatic, tier: TierDef, start: number, path: string): TierFile {
    const db = new SQL.Database();
    tune(db);
    migrate(db);
    const file = new TierFile(tier, start, path, db);
    db.run('INSERT INTO meta VALUES (?, ?), (?, ?)', ['tier', tier.name, 'start', String(start)]);
    file.changed = true;
    return file;
  }

  /** Loads a file's bytes for writing; throws when the database cannot be read or migrated. */
  static load(SQL: SqlJsStatic, tier: TierDef, start: number, path: string, bytes: Uint8Array): TierFile {
    const db = new SQL.Database(bytes);
    try {
      // Checked on this copy rather than a throw-away one: a second copy of a 5 MB file in the wasm
      // heap would stay there (wasm memory never shrinks). integrity_check, not quick_check: only it
      // compares indexes with their tables, and a damaged index is what fails the first insert.
      const check = String(db.exec('PRAGMA integrity_check(1)')[0]?.values[0]?.[0] ?? 'no answer');
      if (check !== 'ok') throw new Error(`integrity check: ${check}`);
      tune(db);
      const from = migrate(db);
      const own = db.exec("SELECT value FROM meta WHERE key = 'tier'")[0]?.values[0]?.[0];
      if (own !== tier.name) throw new Error(`not a ${tier.name} file (its meta says ${String(own)})`);
      const file = new TierFile(tier, start, path, db);
      file.changed = from < SCHEMA_VERSION;
      file.readBack();
      return file;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private readBack(): void {
    const applied = this.db.exec("SELECT value FROM meta WHERE key = 'applied_ts'")[0]?.values[0]?.[0];
    this.appliedTs = Number(applied ?? 0);
    for (const r of allRows(this.db, 'SELECT * FROM processes')) {
      const meta = metaFromRow(r);
      const record: ProcRecord = {
        id: r.id as number,
        meta,
        firstSeen: r.first_seen as number,
        lastSeen: r.last_seen as number,
        exitSeen: r.exit_seen as number | null,
        aliveS: r.alive_s as number,
        cpuS: r.cpu_s as number | null,
        cpuMax: r.cpu_max as number | null,
        rssBs: r.rss_bs as number,
        rssS: r.rss_s as number,
        rssMax: r.rss_max as number | null,
        readB: r.read_b as number | null,
        writeB: r.write_b as number | null,
        last: null,
      };
      this.procs.set(identityKey(meta.pid, meta.startTime), record);
      this.nextId = Math.max(this.nextId, record.id + 1);
    }
  }

  private begin(): void {
    if (this.inTransaction) return;
    this.db.exec('BEGIN');
    this.inTransaction = true;
  }

  commit(): void {
    if (!this.inTransaction) return;
    this.db.exec('COMMIT');
    this.inTransaction = false;
  }

  private run(statement: 'sample' | 'machine' | 'process', params: BindParams): void {
    this.begin();
    const sql = {
      sample: 'INSERT OR REPLACE INTO samples VALUES (?,?,?,?,?,?,?,?,?,?,?)',
      machine: 'INSERT OR REPLACE INTO machine VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
      process: 'INSERT OR REPLACE INTO processes VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
    }[statement];
    const prepared =
      statement === 'sample'
        ? (this.insertSample ??= this.db.prepare(sql))
        : statement === 'machine'
          ? (this.insertMachine ??= this.db.prepare(sql))
          : (this.upsertProcess ??= this.db.prepare(sql));
    prepared.run(params);
  }

  /** Adds one identity's span: always to the aggregates, as a row when it says something new. */
  addSpan(meta: ProcessMeta, span: Span): void {
    let record = this.byMeta.get(meta);
    if (!record) {
      record = this.procs.get(identityKey(meta.pid, meta.startTime));
      if (record) this.byMeta.set(meta, record);
    }
    if (!record) {
      record = {
        id: this.nextId++,
        meta,
        firstSeen: span.firstTs,
        lastSeen: span.lastTs,
        exitSeen: null,
        aliveS: 0,
        cpuS: null,
        cpuMax: null,
        rssBs: 0,
        rssS: 0,
        rssMax: null,
        readB: null,
        writeB: null,
        last: null,
      };
      this.procs.set(identityKey(meta.pid, meta.startTime), record);
      this.byMeta.set(meta, record);
    }
    record.firstSeen = Math.min(record.firstSeen, span.firstTs);
    record.lastSeen = Math.max(record.lastSeen, span.lastTs);
    if (span.exitTs !== null) record.exitSeen = span.exitTs;
    record.aliveS += span.spanS;
    record.cpuS = addNullable(record.cpuS, span.cpuS);
    record.cpuMax = maxNullable(record.cpuMax, span.cpuMax);
    if (span.rss !== null) {
      record.rssBs += span.rss * span.spanS;
      record.rssS += span.spanS;
    }
    record.rssMax = maxNullable(record.rssMax, maxNullable(span.rssMax, span.rss));
    record.readB = addNullable(record.readB, span.readB);
    record.writeB = addNullable(record.writeB, span.writeB);
    this.dirty.add(record);
    this.changed = true;

    const last = record.last;
    const cpuNull = span.cpuS === null;
    const ioNull = span.readB === null && span.writeB === null;
    const worthARow =
      this.tier.dense ||
      last === null ||
      (span.cpuS ?? 0) > 0 ||
      (span.readB ?? 0) > 0 ||
      (span.writeB ?? 0) > 0 ||
      cpuNull !== last.cpuNull ||
      ioNull !== last.ioNull ||
      rssChanged(span.rss, last.rss) ||
      rssChanged(span.rssMax, span.rss) ||
      span.threads !== last.threads ||
      span.fds !== last.fds ||
      span.exitTs !== null;
    if (!worthARow) return;
    record.last = { rss: span.rss, threads: span.threads, fds: span.fds, cpuNull, ioNull };
    this.run('sample', [
      record.id,
      span.ts,
      Math.round(span.spanS * 1000),
      scaled(span.cpuS, 1000),
      scaled(span.cpuMax, 10),
      scaled(span.rss, 1 / 1024),
      scaled(span.rssMax, 1 / 1024),
      scaled(span.readB, 1),
      scaled(span.writeB, 1),
      span.threads,
      span.fds,
    ]);
  }

  /** An exit seen on a tick whose span is already in the file (raw tier). */
  markExit(key: string, ts: number): void {
    const record = this.procs.get(key);
    if (!record) return;
    record.exitSeen = ts;
    this.dirty.add(record);
    this.changed = true;
  }

  addMachine(m: MachineSpan): void {
    this.changed = true;
    this.run('machine', [
      m.ts,
      m.spanS,
      m.cpu,
      m.cpuMax,
      m.cores,
      m.memUsed,
      m.memMax,
      m.memTotal,
      m.swapUsed,
      m.swapTotal,
      m.load1,
      m.load5,
      m.load15,
      m.processCount,
    ]);
  }

  /** Writes the aggregates and the applied mark into the database, so it can be queried or exported. */
  syncAggregates(): void {
    if (this.dirty.size === 0 && !this.inTransaction) return;
    for (const r of this.dirty) {
      const m = r.meta;
      this.run('process', [
        r.id,
        m.pid,
        m.startTime,
        m.name,
        m.cmdline,
        m.user,
        m.ppid,
        m.category,
        m.container,
        r.firstSeen,
        r.lastSeen,
        r.exitSeen,
        r.aliveS,
        r.cpuS,
        r.cpuMax,
        r.rssBs,
        r.rssS,
        r.rssMax,
        r.readB,
        r.writeB,
      ]);
    }
    this.dirty.clear();
    this.begin();
    this.db.run("INSERT OR REPLACE INTO meta VALUES ('applied_ts', ?)", [String(this.appliedTs)]);
    this.commit();
  }

  /** The whole database as bytes, aggregates included. */
  exportBytes(): Uint8Array {
    this.syncAggregates();
    this.changed = false;
    return this.db.export();
  }

  /** The whole database as bytes for a reader elsewhere; unlike exportBytes, still to be persisted. */
  snapshotBytes(): Uint8Array {
    this.syncAggregates();
    return this.db.export();
  }

  close(): void {
    try {
      this.commit();
    } finally {
      // A damaged database may refuse the commit; its memory is released all the same.
      this.db.close();
    }
  }
}

/** A value in the integer units of the samples table (see schema.ts). */
const scaled = (value: number | null, factor: number): number | null =>
  value === null ? null : Math.round(value * factor);
