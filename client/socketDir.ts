// Where the agent's socket lives: a directory only this user can open, one socket per data dir.
import { createHash } from 'node:crypto';
import { lstatSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserInputError } from '../shared/errors';
import { defaultCacheDir, makeDirs } from './paths';

type Env = Record<string, string | undefined>;

/** sun_path is 108 bytes on Linux and 104 on macOS, both counting the terminating NUL. */
const MAX_SOCKET_PATH_BYTES = 103;

/** Short, stable name part for a data dir, so that one user can run one agent per data dir. */
export function dataDirKey(dataDir: string): string {
  return createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12);
}

/** The folder that holds the sockets (not created here). */
export function socketDirFor(env: Env = process.env, platform = process.platform): string {
  if (env.XDG_RUNTIME_DIR && platform !== 'win32') return path.join(env.XDG_RUNTIME_DIR, 'process-tracker');
  return path.join(defaultCacheDir(env, platform), 'run');
}

/**
 * The socket (or, on Windows, named pipe) for an agent serving `dataDir`. When the usual folder
 * makes the path too long for a Unix socket, a per-user folder under the temp dir is used instead.
 */
export function socketPathFor(dataDir: string, env: Env = process.env, platform = process.platform): string {
  const key = dataDirKey(dataDir);
  if (platform === 'win32') {
    const user = createHash('sha256').update(os.userInfo().username).digest('hex').slice(0, 8);
    return `\\\\.\\pipe\\process-tracker-${user}-${key}`;
  }
  const name = `agent-${key}.sock`;
  const usual = path.join(socketDirFor(env, platform), name);
  if (Buffer.byteLength(usual) <= MAX_SOCKET_PATH_BYTES) return usual;
  return path.join(os.tmpdir(), `process-tracker-${process.getuid?.() ?? 'user'}`, name);
}

export function isNamedPipe(socketPath: string): boolean {
  return socketPath.startsWith('\\\\.\\pipe\\');
}

/**
 * Creates the socket's folder (0700) when missing and refuses one that another user owns or that
 * group/others can open: anyone who can reach the socket can kill this user's processes.
 */
export function ensurePrivateSocketDir(socketPath: string): void {
  if (isNamedPipe(socketPath)) return;
  const dir = path.dirname(socketPath);
  try {
    makeDirs(dir);
  } catch (error) {
    throw new UserInputError(
      `socket folder ${dir} cannot be created (${(error as NodeJS.ErrnoException).code}): set XDG_RUNTIME_DIR to a folder you own`,
    );
  }
  checkPrivateDir(dir);
}

/** Throws UserInputError unless `dir` is a real directory owned by this user with mode 0700 or stricter. */
export function checkPrivateDir(dir: string): void {
  const stat = lstatSync(dir);
  if (!stat.isDirectory()) {
    throw new UserInputError(
      `socket folder ${dir} is not a directory (a symlink or a file): remove it and start again`,
    );
  }
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new UserInputError(
      `socket folder ${dir} is owned by uid ${stat.uid}, not by you (uid ${uid}): remove it, or set XDG_RUNTIME_DIR to a folder you own`,
    );
  }
  const open = stat.mode & 0o077;
  if (open !== 0) {
    throw new UserInputError(
      `socket folder ${dir} is open to group or others (mode ${(stat.mode & 0o777).toString(8)}): run chmod 700 ${dir}`,
    );
  }
}
