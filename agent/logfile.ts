// The agent's log: a file in the data dir, rotated by size (agent.log, agent.log.1 … .N), and a
// copy on stderr when the agent runs in the foreground. Writes are synchronous and small, so the
// last lines before a crash are on disk; a log that cannot be written never stops the agent.
import { appendFileSync, renameSync, statSync, truncateSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { Logger, LogLevel } from './log';

export interface LogFileOptions {
  dataDir: string;
  /** Default 'agent.log'. */
  fileName?: string;
  /** Rotate when the file would grow past this; default 1 MB. */
  maxBytes?: number;
  /** Rotated files kept; default 3. */
  keep?: number;
  minimum?: LogLevel;
  /** Also write to stderr (foreground runs). */
  tee?: boolean;
}

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface FileLogger extends Logger {
  readonly file: string;
}

export function createFileLogger(options: LogFileOptions): FileLogger {
  const file = path.join(options.dataDir, options.fileName ?? 'agent.log');
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const keep = Math.max(1, options.keep ?? 3);
  const minimum = ORDER[options.minimum ?? 'info'];
  let size = sizeOf(file);
  let broken = false;

  const rotate = () => {
    for (let i = keep; i >= 1; i--) {
      const from = i === 1 ? file : `${file}.${i - 1}`;
      try {
        if (i === keep) unlinkSync(`${file}.${keep}`);
      } catch {
        /* none yet */
      }
      try {
        renameSync(from, `${file}.${i}`);
      } catch {
        /* none yet */
      }
    }
    size = 0;
  };

  const write = (level: LogLevel, message: string) => {
    if (ORDER[level] < minimum) return;
    // One line per entry, whatever a process name or an error message contains.
    const line = `${new Date().toISOString()} ${level.padEnd(5)} ${message.replace(/\r?\n/g, '\\n')}\n`;
    if (options.tee) process.stderr.write(line);
    const bytes = Buffer.byteLength(line);
    try {
      if (size > 0 && size + bytes > maxBytes) rotate();
      appendFileSync(file, line, { mode: 0o600 });
      size += bytes;
      if (broken) {
        broken = false;
        appendFileSync(file, `${new Date().toISOString()} info  log file writable again\n`);
      }
    } catch (error) {
      // A full disk can take part of a line before it refuses the rest: cut the file back to the
      // last whole line, so agent.log never holds half an entry (and the next one starts a line).
      try {
        if (statSync(file).size > size) truncateSync(file, size);
      } catch {
        /* nothing to cut back */
      }
      if (!broken && !options.tee)
        process.stderr.write(
          `process-tracker: cannot write ${file} (${(error as Error).message}); logging to stderr\n`,
        );
      broken = true;
      if (!options.tee) process.stderr.write(line);
    }
  };

  return {
    file,
    debug: (message) => write('debug', message),
    info: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message) => write('error', message),
  };
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
