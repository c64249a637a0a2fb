// A file for alert state (outbox, engine, restart runs) until the store takes it over:
// write to a temp file, fsync, rename over the old one, fsync the folder — so a crash leaves
// either the old or the new content, never half of one.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';

export function saveJsonAtomic(file: string, value: unknown): void {
  saveTextAtomic(file, JSON.stringify(value));
}

export function saveTextAtomic(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  try {
    const dir = openSync(path.dirname(file), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // Some platforms (Windows) cannot open a folder; the rename is still atomic there.
  }
}

/** Reads what saveJsonAtomic wrote; undefined when missing or unreadable (a fresh start). */
export function loadJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
