// V8's code cache for the agent's bundle, kept in the data dir: the compiled bytecode of the
// functions a recording agent has run, so that the next start skips parsing and compiling them
// (bench/RESULTS.md "Start-up"). V8 checks only the source's length and its own version and
// flags, and verifies no checksum in release builds, so a cache read back from disk is trusted
// only when our own header says it was made from this exact bundle by this Node and its bytes are
// whole. A cache is never needed: any doubt, and the bundle is compiled as if there were none.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { defaultDataDir } from '../client/dataDir';

export const CODE_CACHE_FILE = 'agent-code.cache';

const MAGIC = Buffer.from('PTCODE01');
const HASH_BYTES = 32;
const HEADER_BYTES = MAGIC.length + 2 * HASH_BYTES;

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest();

/** What a cache must have been made for: this bundle's text, this Node, V8 and architecture. */
export function cacheKey(source: string): Buffer {
  return sha256(
    `${process.version}\0${process.versions.v8}\0${process.arch}\0${sha256(source).toString('hex')}`,
  );
}

/** The cached data made for `key`, or undefined: missing, unreadable, foreign, stale or damaged. */
export function readCodeCache(file: string, key: Buffer): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  if (bytes.length <= HEADER_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  if (!bytes.subarray(MAGIC.length, MAGIC.length + HASH_BYTES).equals(key)) return undefined;
  const payload = bytes.subarray(HEADER_BYTES);
  if (!sha256(payload).equals(bytes.subarray(MAGIC.length + HASH_BYTES, HEADER_BYTES))) return undefined;
  return payload;
}

/**
 * Writes `data` for `key` as `file`, readable by the user alone, through a temp file and a rename,
 * so a reader never sees half a file. Failing is harmless (the next start compiles as usual).
 */
export function writeCodeCache(file: string, key: Buffer, data: Buffer): boolean {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, Buffer.concat([MAGIC, key, sha256(data), data]));
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
    return true;
  } catch {
    rmSync(temp, { force: true });
    return false;
  }
}

/** `run`'s data dir as agent/cli/args.ts reads it (the last --data-dir wins), else undefined. */
export function runDataDir(argv: readonly string[]): string | undefined {
  if (argv[0] !== 'run') return undefined;
  let dir: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg === '--data-dir') dir = argv[++i];
    else if (arg.startsWith('--data-dir=')) dir = arg.slice('--data-dir='.length);
  }
  return path.resolve(dir ?? defaultDataDir());
}
