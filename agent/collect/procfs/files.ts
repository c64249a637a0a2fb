// Files under a proc root ('/proc', or a fixture tree in tests, or a host's /proc mounted
// elsewhere) and the budget of descriptors the collector may keep open between ticks.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { parseOpenFilesLimit } from './parse';

export const PROC_ROOT = '/proc';

export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ESRCH';
}

/** Half the soft limit on open files, so the agent keeps room for its store and sockets. */
export function keptFdBudget(limits: string | null): number {
  const soft = limits === null ? null : parseOpenFilesLimit(limits);
  return soft === null ? 256 : Math.max(0, Math.floor(soft / 2) - 64);
}

export class ProcFiles {
  readonly budget: number;
  /** Descriptors kept open now. */
  private kept = 0;
  /** Tracked processes whose stat could not be kept open (budget spent): they come first. */
  unkept = 0;

  constructor(readonly root: string) {
    this.budget = keptFdBudget(this.readText('self/limits', 'latin1'));
  }

  /** `${root}/${relative}`, e.g. of('123/stat'). */
  of(relative: string): string {
    return `${this.root}/${relative}`;
  }

  /** The whole file as text, or null when it cannot be read. */
  readText(relative: string, encoding: 'utf8' | 'latin1' = 'utf8'): string | null {
    try {
      return readFileSync(this.of(relative), encoding);
    } catch {
      return null;
    }
  }

  /** A descriptor may be kept for a process's stat. */
  canKeep(): boolean {
    return this.kept < this.budget;
  }

  /** A descriptor may be kept beyond stat: only once every tracked process's stat is kept. */
  canKeepMore(): boolean {
    return this.unkept === 0 && this.kept < this.budget;
  }

  /** Opens a file to keep, counted against the budget; throws as openSync does. */
  keep(path: string): number {
    const fd = openSync(path, 'r');
    this.kept++;
    return fd;
  }

  release(fd: number): void {
    try {
      closeSync(fd);
    } catch {
      // closing a /proc file cannot fail in a way that matters
    }
    this.kept--;
  }

  /** Re-reads a kept-open file from its start into `buffer`; its length. */
  static pread(fd: number, buffer: Buffer): number {
    return readSync(fd, buffer, 0, buffer.length, 0);
  }

  /** Opens, reads into `buffer` and closes; its length. */
  static readWhole(path: string, buffer: Buffer): number {
    const fd = openSync(path, 'r');
    try {
      return readSync(fd, buffer, 0, buffer.length, 0);
    } finally {
      closeSync(fd);
    }
  }
}
