// A finished day's per-identity totals (the hour file's `processes` table), kept beside the day
// file as `YYYYMMDD.totals.json`. Month statistics read thirty of these (~1 ms each) instead of
// opening thirty databases (~8 ms each, plus wasm heap that never shrinks). A sidecar is only a
// cache: it names the size and mtime of the database it was taken from (SQLite's change counter
// does not move in sql.js exports), is ignored when they no longer match or it does not parse,
// and is rebuilt from the database then (so a store copied without its timestamps pays once).
import { readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SqlValue } from 'sql.js';

export type TotalsRow = Record<string, SqlValue>;

const FORMAT = 1;

interface Sidecar {
  format: number;
  dbSize: number;
  dbMtimeMs: number;
  columns: string[];
  rows: SqlValue[][];
}

export function totalsPathOf(dbPath: string): string {
  return dbPath.replace(/\.sqlite$/, '.totals.json');
}

/** The totals of `dbPath` if a sidecar taken from exactly this file exists; otherwise null. */
export function readTotals(dbPath: string): TotalsRow[] | null {
  try {
    const db = statSync(dbPath);
    const sidecar = JSON.parse(readFileSync(totalsPathOf(dbPath), 'utf8')) as Sidecar;
    // Within a millisecond: copies that keep timestamps (fs.cpSync, some cp) round them to one.
    const stale = sidecar.dbSize !== db.size || Math.abs(sidecar.dbMtimeMs - db.mtimeMs) >= 1;
    if (sidecar.format !== FORMAT || stale) return null;
    const { columns } = sidecar;
    return sidecar.rows.map((values) => {
      const row: TotalsRow = {};
      for (let i = 0; i < columns.length; i++) row[columns[i]!] = values[i]!;
      return row;
    });
  } catch {
    return null;
  }
}

/**
 * Writes the sidecar for `dbPath` as it is on disk now. Temp file then rename, so a reader sees
 * a whole sidecar or none; no fsync: after a crash a stale or missing one is simply rebuilt.
 */
export function writeTotals(dbPath: string, rows: TotalsRow[]): void {
  const db = statSync(dbPath);
  const columns = rows.length > 0 ? Object.keys(rows[0]!) : [];
  const sidecar: Sidecar = {
    format: FORMAT,
    dbSize: db.size,
    dbMtimeMs: db.mtimeMs,
    columns,
    rows: rows.map((r) => columns.map((c) => r[c] ?? null)),
  };
  const file = totalsPathOf(dbPath);
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  writeFileSync(temp, JSON.stringify(sidecar), { mode: 0o600 });
  renameSync(temp, file);
}

export function removeTotals(dbPath: string): void {
  try {
    unlinkSync(totalsPathOf(dbPath));
  } catch {
    // none was written, or it is gone already
  }
}

export function totalsBytes(dbPath: string): number {
  try {
    return statSync(totalsPathOf(dbPath)).size;
  } catch {
    return 0;
  }
}
