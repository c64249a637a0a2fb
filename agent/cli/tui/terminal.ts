// The terminal's modes for the full-screen view, and their undoing on every way out: q, Ctrl-C
// (a key in raw mode), SIGTERM/SIGHUP/SIGINT, a crash (uncaught exception or rejection) and plain
// process exit. The restore is written synchronously, so it is out before the process ends.
import { writeSync } from 'node:fs';
import { emitKeypressEvents, type Interface, type Key } from 'node:readline';

// Alternate screen, hidden cursor, no auto-wrap (a full last column must not scroll the screen).
const ENTER = '\x1b[?1049h\x1b[?25l\x1b[?7l\x1b[H\x1b[2J';
const LEAVE = '\x1b[0m\x1b[?7h\x1b[?25h\x1b[?1049l';

export interface Terminal {
  readonly columns: number;
  readonly rows: number;
  write(chunk: string): void;
  onKey(handler: (text: string | undefined, key: Key) => void): void;
  onResize(handler: () => void): void;
  /** Leaves the alternate screen and raw mode; safe to call more than once. */
  restore(): void;
}

export function openTerminal(
  input: NodeJS.ReadStream,
  output: NodeJS.WriteStream,
  /** output's file descriptor, for the synchronous writes. */
  outputFd: number,
  onExitSignal: (signal: NodeJS.Signals) => void,
): Terminal {
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    try {
      writeSync(outputFd, LEAVE);
    } catch {
      /* the terminal is gone (SSH dropped): nothing left to restore */
    }
    if (input.isTTY) input.setRawMode(false);
    input.pause();
    process.off('exit', restore);
    for (const signal of SIGNALS) process.off(signal, onSignal);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    restore();
    onExitSignal(signal);
  };
  // Restore first, then let the crash be seen as a crash: the message on the normal screen, exit 1.
  const onCrash = (error: unknown) => {
    restore();
    process.stderr.write(`process-tracker live: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exit(1);
  };
  process.on('exit', restore);
  for (const signal of SIGNALS) process.on(signal, onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  // Without a timeout a lone Esc waits for the next key and arrives as Meta+that key; 50 ms is
  // ncurses' ESCDELAY order (25 ms there), long enough for an F-key's bytes over SSH. Node reads only
  // this field of the interface it takes, so a plain object stands in for one.
  emitKeypressEvents(input, { escapeCodeTimeout: ESCAPE_TIMEOUT_MS } as unknown as Interface);
  if (input.isTTY) input.setRawMode(true);
  input.resume();
  writeSync(outputFd, ENTER);
  return {
    get columns() {
      return output.columns || 80;
    },
    get rows() {
      return output.rows || 24;
    },
    write: (chunk) => {
      if (!restored) output.write(chunk);
    },
    onKey: (handler) => input.on('keypress', handler),
    onResize: (handler) => output.on('resize', handler),
    restore,
  };
}

const ESCAPE_TIMEOUT_MS = 50;
const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];
