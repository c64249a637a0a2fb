// Sample rows hold integers in small units (ms, CPU-ms, tenths of a percent, KiB, bytes): SQLite
// stores small integers in 1–4 bytes where a REAL always takes 8, which halves the files.
// One schema for every tier's files, versioned with PRAGMA user_version. A migration moves a file
// from version n to n + 1; files newer than SCHEMA_VERSION are foreign and are never touched.
import type { Database } from 'sql.js';

export const SCHEMA_VERSION = 1;

const V1 = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE processes (
  id INTEGER PRIMARY KEY, pid INTEGER NOT NULL, start_time INTEGER NOT NULL,
  name TEXT NOT NULL, cmdline TEXT NOT NULL, user TEXT, ppid INTEGER NOT NULL,
  category TEXT NOT NULL, container TEXT,
  first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, exit_seen INTEGER,
  alive_s REAL NOT NULL, cpu_s REAL, cpu_max REAL, rss_bs REAL NOT NULL, rss_s REAL NOT NULL,
  rss_max REAL, read_b REAL, write_b REAL,
  UNIQUE (pid, start_time));
CREATE TABLE samples (
  proc INTEGER NOT NULL, ts INTEGER NOT NULL, span_ms INTEGER NOT NULL,
  cpu_ms INTEGER, cpu_max_dp INTEGER, rss_kb INTEGER, rss_max_kb INTEGER,
  read_b INTEGER, write_b INTEGER, threads INTEGER, fds INTEGER,
  PRIMARY KEY (proc, ts)) WITHOUT ROWID;
CREATE TABLE machine (
  ts INTEGER PRIMARY KEY, span_s REAL NOT NULL, cpu REAL, cpu_max REAL, cores INTEGER NOT NULL,
  mem_used REAL NOT NULL, mem_max REAL NOT NULL, mem_total REAL NOT NULL,
  swap_used REAL NOT NULL, swap_total REAL NOT NULL,
  load1 REAL NOT NULL, load5 REAL NOT NULL, load15 REAL NOT NULL, process_count INTEGER NOT NULL);
`;

/** MIGRATIONS[n] takes a file from version n to n + 1. Version 0 is an empty, new file. */
export const MIGRATIONS: Record<number, (db: Database) => void> = {
  0: (db) => db.exec(V1),
};

export function userVersion(db: Database): number {
  return Number(db.exec('PRAGMA user_version')[0]?.values[0]?.[0] ?? 0);
}

/** Brings `db` up to SCHEMA_VERSION in one transaction per step; returns the version it had. */
export function migrate(db: Database): number {
  const from = userVersion(db);
  if (from > SCHEMA_VERSION) throw new Error(`schema version ${from} is newer than ${SCHEMA_VERSION}`);
  for (let version = from; version < SCHEMA_VERSION; version++) {
    const step = MIGRATIONS[version];
    if (!step) throw new Error(`no migration from schema version ${version}`);
    db.exec('BEGIN');
    try {
      step(db);
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
  return from;
}

/** Connection settings: the database lives in memory, durability comes from our own export + WAL. */
export function tune(db: Database): void {
  db.exec('PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY');
}
