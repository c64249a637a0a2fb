// A lock file holding the holder's pid and start time. It guards one thing: removing a stale
// socket, so that two starters that both find it stale cannot both remove it (the second would
// remove the first one's fresh socket and leave two agents, one unreachable).
import {
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
  closeSync,
  statSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { sameStartTime, startTimeFromStat } from './procStat';

interface Holder {
  pid: number;
  startTime: number;
}

/** This process's start time: from /proc on Linux (comparable with what others read), else estimated. */
export function ownStartTime(pid = process.pid): number {
  return holderStartTime(pid) ?? Math.round(Date.now() - process.uptime() * 1000);
}

function holderStartTime(pid: number): number | null {
  if (process.platform !== 'linux') return null;
  try {
    return startTimeFromStat(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return null;
  }
}

function isAlive(holder: Holder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = holderStartTime(holder.pid);
  // Off Linux a live pid is trusted; on Linux a reused pid is told apart by its start time.
  return now === null ? process.platform !== 'linux' : sameStartTime(now, holder.startTime);
}

function parseHolder(text: string): Holder | null {
  try {
    const value = JSON.parse(text) as Partial<Holder>;
    return Number.isInteger(value.pid) && Number.isFinite(value.startTime) ? (value as Holder) : null;
  } catch {
    return null;
  }
}

export interface Lock {
  release(): void;
}

/** Takes the lock, or returns undefined when a live process holds it. A dead holder's lock is broken. */
export function tryLock(lockPath: string): Lock | undefined {
  for (let attempt = 0; attempt < 3; attempt++) {
    const mine = JSON.stringify({ pid: process.pid, startTime: ownStartTime() });
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      try {
        writeSync(fd, mine);
      } finally {
        closeSync(fd);
      }
      return {
        release: () => {
          // Only remove it if it is still ours (it could have been broken had we hung for long).
          try {
            if (readFileSync(lockPath, 'utf8') === mine) unlinkSync(lockPath);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let seen: string;
    try {
      seen = readFileSync(lockPath, 'utf8');
    } catch {
      continue; // released meanwhile
    }
    const holder = parseHolder(seen);
    // An empty or half-written file is a holder between open and write — unless it has been so for
    // seconds: then its writer died there (kill -9), and it would block every starter for good.
    if (holder === null ? seen.length === 0 && !abandoned(lockPath) : isAlive(holder)) return undefined;
    breakStaleLock(lockPath, seen);
  }
  return undefined;
}

const ABANDONED_AFTER_MS = 5000;

function abandoned(lockPath: string): boolean {
  try {
    return Date.now() - statSync(lockPath).mtimeMs > ABANDONED_AFTER_MS;
  } catch {
    return false;
  }
}

/**
 * Moves the lock aside under a unique name, then checks that what was moved is the stale content
 * that was read; if another starter had replaced it meanwhile, puts that one back.
 */
function breakStaleLock(lockPath: string, staleContent: string): void {
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(lockPath, aside);
  } catch {
    return;
  }
  try {
    if (readFileSync(aside, 'utf8') !== staleContent) {
      try {
        linkSync(aside, lockPath);
      } catch {
        /* someone took it meanwhile: theirs stands */
      }
    }
  } finally {
    try {
      unlinkSync(aside);
    } catch {
      /* nothing to clean */
    }
  }
}
