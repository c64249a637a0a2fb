// Cheap checks on a database file's header, before sql.js is asked to load it, and moving a bad
// file aside. The header tells us everything the corrupt-file cases need: the magic string, the
// page size, the page count (a truncated file is shorter than it says) and user_version.
import { existsSync, renameSync } from 'node:fs';
import { SCHEMA_VERSION } from './schema';

const MAGIC = 'SQLite format 3\0';

/**
 * null when the file looks like a whole database of a schema we can read; else the reason.
 * `bytes` holds at least the first 100 bytes; `length` is the whole file's size.
 */
export function headerProblem(bytes: Uint8Array, length = bytes.length): string | null {
  if (length === 0) return 'zero length';
  if (length < 100 || bytes.length < 100) return `truncated (${length} bytes)`;
  if (Buffer.from(bytes.buffer, bytes.byteOffset, 16).toString('latin1') !== MAGIC)
    return 'not an SQLite database';
  const view = new DataView(bytes.buffer, bytes.byteOffset, 100);
  const raw = view.getUint16(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0)
    return 'damaged header (page size)';
  if (length % pageSize !== 0) return `truncated (${length} bytes is not a whole number of pages)`;
  const pages = view.getUint32(28);
  const changeCounter = view.getUint32(24);
  const validFor = view.getUint32(92);
  if (changeCounter === validFor && pages * pageSize !== length) {
    return `truncated (header says ${pages} pages, file holds ${length / pageSize})`;
  }
  const version = view.getUint32(60);
  // The store writes a file only after migrating it, so a file at version 0 is not one of ours: some
  // other program's database, which must not get our tables added (it is set aside, untouched).
  if (version === 0) return 'not a Process Tracker file (schema version 0)';
  if (version > SCHEMA_VERSION)
    return `schema version ${version} is newer than this agent's ${SCHEMA_VERSION}`;
  return null;
}

/** Renames `file` to `file.corrupt-<ts>` (never over an existing name) and returns the new path. */
export function moveAside(file: string, now: number): string {
  for (let attempt = 0; ; attempt++) {
    const target = `${file}.corrupt-${now}${attempt ? `-${attempt}` : ''}`;
    // renameSync would overwrite an earlier casualty: pick a free name.
    if (existsSync(target)) continue;
    renameSync(file, target);
    return target;
  }
}
