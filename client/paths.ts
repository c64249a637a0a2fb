// Where the agent keeps things, per platform and per user.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inputError } from '../shared/errors';

const APP = 'process-tracker';

type Env = Record<string, string | undefined>;

/** The per-user data folder: `--data-dir`, else $PROCESS_TRACKER_DATA_DIR, else the platform's. */
export function defaultDataDir(
  env: Env = process.env,
  platform = process.platform,
  home = os.homedir(),
): string {
  if (env.PROCESS_TRACKER_DATA_DIR) return path.resolve(env.PROCESS_TRACKER_DATA_DIR);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP);
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), APP);
  return path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), APP);
}

/** The per-user configuration folder (alert rules live here). */
export function defaultConfigDir(
  env: Env = process.env,
  platform = process.platform,
  home = os.homedir(),
): string {
  if (platform === 'darwin') return path.join(home, 'Library', 'Preferences', APP);
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP);
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), APP);
}

/** The per-user cache folder. */
export function defaultCacheDir(
  env: Env = process.env,
  platform = process.platform,
  home = os.homedir(),
): string {
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', APP);
  if (platform === 'win32')
    return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), APP, 'cache');
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), APP);
}

/**
 * `mkdir -p` for a path the user gave, one level at a time from the nearest folder that exists.
 * Not Node's `{ recursive: true }`: under /proc it never returns (Node 20: procfs answers ENOENT to
 * a mkdir whose parent exists, and Node's recursion takes that as "make the parent first" forever),
 * so `--data-dir /proc/x` hung the CLI instead of giving its one line.
 */
export function makeDirs(dir: string, mode = 0o700): void {
  const missing: string[] = [];
  for (let at = path.resolve(dir); !existsSync(at); at = path.dirname(at)) {
    missing.unshift(at);
    if (path.dirname(at) === at) break;
  }
  for (const level of missing) {
    try {
      mkdirSync(level, { mode });
    } catch (error) {
      // Another starter made it a moment ago (ten agents started at once): a folder now, fine.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !isDirectory(level)) throw error;
    }
  }
}

function isDirectory(at: string): boolean {
  try {
    return statSync(at).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Checks that `dir` can be the data folder — creating it when `create` — and returns its absolute
 * path. A path that is a file, or that cannot be created, is the user's to fix: UserInputError.
 */
export function checkDataDir(dir: string, create: boolean): string {
  const absolute = path.resolve(dir);
  let stat;
  try {
    stat = statSync(absolute);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw inputError('dataDirUnreadable', { dir: absolute, detail: (error as Error).message });
    }
  }
  if (stat && !stat.isDirectory()) {
    throw inputError('dataDirIsFile', { dir: absolute });
  }
  if (!stat && create) {
    try {
      makeDirs(absolute);
    } catch (error) {
      throw inputError('dataDirCannotCreate', {
        dir: absolute,
        code: (error as NodeJS.ErrnoException).code ?? String(error),
      });
    }
  }
  return absolute;
}
