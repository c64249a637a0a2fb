// A bounded, durable JSON-lines file: alert history and the delivery log. Each append is one
// line written and fsynced, so a kill -9 loses at most the line being written (a torn last line
// is skipped when read). Past `maxBytes` the oldest half is dropped by an atomic rewrite, so the
// file stays bounded whatever the uptime.
import { closeSync, fsyncSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { saveTextAtomic } from './outbox';

export interface JournalOptions {
  /** Rewrite to the newest half once the file grows past this (default 4 MB). */
  maxBytes?: number;
  /** Applied to each line before it is written (secrets must never reach the disk). */
  redact?: (line: string) => string;
}

export class Journal<T> {
  private size: number;
  private readonly maxBytes: number;
  private readonly redact: (line: string) => string;

  constructor(
    readonly file: string,
    options: JournalOptions = {},
  ) {
    this.maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
    this.redact = options.redact ?? ((line) => line);
    this.size = sizeOf(file);
  }

  append(records: T[]): void {
    if (!records.length) return;
    const text = records.map((r) => `${this.redact(JSON.stringify(r))}\n`).join('');
    const fd = openSync(this.file, 'a', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.size += Buffer.byteLength(text);
    if (this.size > this.maxBytes) this.trim();
  }

  /** Every readable record, oldest first. */
  read(): T[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    const out: T[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line) as T);
      } catch {
        // A line torn by a crash mid-write: the rest of the file is still good.
      }
    }
    return out;
  }

  private trim(): void {
    const lines = readFileSync(this.file, 'utf8').split('\n').filter(Boolean);
    let bytes = 0;
    let start = lines.length;
    while (start > 0 && bytes + lines[start - 1]!.length + 1 <= this.maxBytes / 2) {
      bytes += lines[--start]!.length + 1;
    }
    const kept = lines
      .slice(start)
      .map((l) => `${l}\n`)
      .join('');
    saveTextAtomic(this.file, kept);
    this.size = Buffer.byteLength(kept);
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
