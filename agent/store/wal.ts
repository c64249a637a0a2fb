// The write-ahead log: numbered segment files of JSON lines. A segment starts with a snapshot of
// the recorder (alive identities, open rollup buckets) and continues with one compact tick per
// line. A new segment starts at every flush; older ones are deleted once a flush has persisted
// every file, so replaying from the oldest segment always rebuilds what the files lack.
import {
  closeSync,
  fdatasync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { CompactTick, RecorderSnapshot } from './recorder';

const SEGMENT = /^(\d{10})\.wal$/;

export interface Segment {
  seq: number;
  path: string;
}

export function listSegments(dir: string): Segment[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((name) => ({ name, match: SEGMENT.exec(name) }))
    .filter((e) => e.match)
    .map((e) => ({ seq: Number(e.match![1]), path: path.join(dir, e.name) }))
    .sort((a, b) => a.seq - b.seq);
}

export interface SegmentContents {
  snapshot: RecorderSnapshot | null;
  ticks: CompactTick[];
  /** Lines that could not be read: a torn last line after a crash, or damage. */
  badLines: number;
}

export function readSegment(file: string): SegmentContents {
  const result: SegmentContents = { snapshot: null, ticks: [], badLines: 0 };
  const lines = readFileSync(file, 'utf8').split('\n');
  for (const [index, line] of lines.entries()) {
    if (!line) continue;
    try {
      const value = JSON.parse(line) as { snapshot?: RecorderSnapshot } & CompactTick;
      if (index === 0 && value.snapshot) result.snapshot = value.snapshot;
      else if (typeof value.t === 'number' && Array.isArray(value.r)) result.ticks.push(value);
      else result.badLines++;
    } catch {
      result.badLines++;
    }
  }
  return result;
}

export class WalWriter {
  private fd: number | null;
  private lastSync = 0;
  private syncing = false;

  private constructor(
    readonly segment: Segment,
    fd: number,
    private readonly syncEveryMs: number,
    private readonly onError: (error: Error) => void,
  ) {
    this.fd = fd;
  }

  /** Starts segment `seq` with `snapshot`; throws when the file cannot be created. */
  static start(
    dir: string,
    seq: number,
    snapshot: RecorderSnapshot,
    syncEveryMs: number,
    onError: (error: Error) => void,
  ): WalWriter {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, `${String(seq).padStart(10, '0')}.wal`);
    const fd = openSync(file, 'a', 0o600);
    const writer = new WalWriter({ seq, path: file }, fd, syncEveryMs, onError);
    writer.write(`${JSON.stringify({ snapshot })}\n`);
    return writer;
  }

  append(tick: CompactTick): void {
    this.write(`${JSON.stringify(tick)}\n`);
  }

  private write(line: string): void {
    if (this.fd === null) return;
    try {
      // A synchronous write lands in the page cache: a killed process loses nothing written.
      writeSync(this.fd, line);
    } catch (error) {
      this.onError(error as Error);
      return;
    }
    const now = Date.now();
    if (!this.syncing && now - this.lastSync >= this.syncEveryMs) {
      this.syncing = true;
      this.lastSync = now;
      // fdatasync off the tick path: it bounds what a power loss can take.
      fdatasync(this.fd, (error) => {
        this.syncing = false;
        if (error && this.fd !== null) this.onError(error);
      });
    }
  }

  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      closeSync(fd);
    } catch {
      // closing a file we are done with cannot lose anything we still need
    }
  }
}

export function deleteSegments(segments: Segment[]): void {
  for (const s of segments) {
    try {
      unlinkSync(s.path);
    } catch {
      // already gone, or the disk refuses: the next flush tries again
    }
  }
}
