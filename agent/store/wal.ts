// The write-ahead log: numbered segment files of JSON lines. A segment starts with a snapshot of
// the recorder (alive identities, open rollup buckets) and continues with one compact tick per
// line. A new segment starts at every flush; older ones are deleted once a flush has persisted
// every file, so replaying from the oldest segment always rebuilds what the files lack.
import {
  closeSync,
  fdatasync,
  fstatSync,
  ftruncateSync,
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
  /** Bytes of whole lines in the file: a write that fails part-way is cut back to this. */
  private size: number;
  /** An append failed and none has succeeded since. */
  failing = false;

  private constructor(
    readonly segment: Segment,
    fd: number,
    private readonly syncEveryMs: number,
    /** Called when appending starts failing (with the error) and when it works again (null). */
    private readonly onState: (error: Error | null) => void,
  ) {
    this.fd = fd;
    this.size = fstatSync(fd).size;
  }

  /**
   * Starts segment `seq` with `snapshot`. Throws when the file cannot be created or the snapshot
   * not written, and then leaves no file behind: a segment always begins with its snapshot, and a
   * retry on a full disk does not leave an empty file each time.
   */
  static start(
    dir: string,
    seq: number,
    snapshot: RecorderSnapshot,
    syncEveryMs: number,
    onState: (error: Error | null) => void,
  ): WalWriter {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, `${String(seq).padStart(10, '0')}.wal`);
    const fd = openSync(file, 'w', 0o600);
    try {
      const writer = new WalWriter({ seq, path: file }, fd, syncEveryMs, onState);
      writer.writeAll(`${JSON.stringify({ snapshot })}\n`);
      return writer;
    } catch (error) {
      try {
        closeSync(fd);
        unlinkSync(file);
      } catch {
        // the disk refuses even this: the next start tries the same name again
      }
      throw error;
    }
  }

  append(tick: CompactTick): void {
    this.write(`${JSON.stringify(tick)}\n`);
  }

  /** Writes the whole line or nothing: a write cut short (a full disk) is truncated back. */
  private writeAll(line: string): void {
    const bytes = Buffer.from(line);
    let done = 0;
    try {
      // A synchronous write lands in the page cache: a killed process loses nothing written.
      while (done < bytes.length) done += writeSync(this.fd!, bytes, done, bytes.length - done);
    } catch (error) {
      if (done > 0) {
        try {
          ftruncateSync(this.fd!, this.size);
        } catch {
          // replay counts a torn line as unreadable and reads on
        }
      }
      throw error;
    }
    this.size += bytes.length;
  }

  private write(line: string): void {
    if (this.fd === null) return;
    try {
      this.writeAll(line);
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.onState(error as Error);
      }
      return;
    }
    if (this.failing) {
      this.failing = false;
      this.onState(null);
    }
    const now = Date.now();
    if (!this.syncing && now - this.lastSync >= this.syncEveryMs) {
      this.syncing = true;
      this.lastSync = now;
      // fdatasync off the tick path: it bounds what a power loss can take.
      fdatasync(this.fd, (error) => {
        this.syncing = false;
        if (error && this.fd !== null && !this.failing) {
          this.failing = true;
          this.onState(error);
        }
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
