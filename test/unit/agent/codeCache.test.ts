// The code cache's file (agent/codeCache.ts): only a whole cache made from this very bundle by
// this Node is handed to V8 — V8 itself checks the source's length, not its text, and verifies no
// checksum in release builds, so a damaged or stale file given to it could run wrong code. Real
// files, real V8 cached data.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { Script } from 'node:vm';
import {
  CODE_CACHE_FILE,
  cacheKey,
  readCodeCache,
  runDataDir,
  writeCodeCache,
} from '../../../agent/codeCache';
import { defaultDataDir } from '../../../client/paths';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-code-cache-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const SOURCE = '(function twice(x) { return x * 2; })';
const made = () => {
  const script = new Script(SOURCE);
  (script.runInThisContext() as (x: number) => number)(21);
  return script.createCachedData();
};

describe('code cache file', () => {
  test('what is written is read back for the same bundle, readable by the user alone', () => {
    const file = path.join(dir, 'ok', CODE_CACHE_FILE);
    mkdirSync(path.dirname(file));
    const data = made();
    assert.equal(writeCodeCache(file, cacheKey(SOURCE), data), true);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const read = readCodeCache(file, cacheKey(SOURCE));
    assert.ok(read && read.equals(data));
    // And V8 takes it.
    assert.equal(new Script(SOURCE, { cachedData: read }).cachedDataRejected, false);
  });

  test('a cache of another bundle of the same length is not used', () => {
    const file = path.join(dir, 'other');
    const data = made();
    writeCodeCache(file, cacheKey(SOURCE), data);
    const sameLength = SOURCE.replace('* 2', '+ 2');
    assert.equal(sameLength.length, SOURCE.length);
    // Why the header: V8 alone takes it and runs the old code (x * 2, not x + 2).
    const unchecked = new Script(sameLength, { cachedData: data });
    assert.equal(unchecked.cachedDataRejected, false);
    assert.equal((unchecked.runInThisContext() as (x: number) => number)(21), 42);
    assert.equal(readCodeCache(file, cacheKey(sameLength)), undefined);
  });

  test('a damaged, truncated, foreign, empty or missing file is not used', () => {
    const file = path.join(dir, 'damaged');
    writeCodeCache(file, cacheKey(SOURCE), made());
    const whole = readFileSync(file);
    const flipped = Buffer.from(whole);
    flipped[flipped.length - 10]! ^= 0xff;
    for (const [what, bytes] of [
      ['a flipped byte', flipped],
      ['truncated', whole.subarray(0, whole.length - 1)],
      ['header only', whole.subarray(0, 72)],
      ['foreign', Buffer.concat([Buffer.from('SQLite format 3\0'), whole.subarray(16)])],
      ['empty', Buffer.alloc(0)],
    ] as const) {
      writeFileSync(file, bytes);
      assert.equal(readCodeCache(file, cacheKey(SOURCE)), undefined, what);
    }
    assert.equal(readCodeCache(path.join(dir, 'missing'), cacheKey(SOURCE)), undefined);
    assert.equal(readCodeCache(dir, cacheKey(SOURCE)), undefined, 'a folder');
  });

  test('a folder it cannot write in: false, nothing thrown, no temp file left', () => {
    const file = path.join(dir, 'no-such-folder', CODE_CACHE_FILE);
    assert.equal(writeCodeCache(file, cacheKey(SOURCE), made()), false);
    assert.deepEqual(
      readdirSync(dir).filter((name) => name.endsWith('.tmp')),
      [],
    );
  });
});

describe("run's data dir, read before the bundle is loaded", () => {
  test('as the CLI reads it: --data-dir DIR, --data-dir=DIR, the last one, else the default', () => {
    assert.equal(runDataDir(['run', '--data-dir', '/a/b']), '/a/b');
    assert.equal(runDataDir(['run', '--quiet', '--data-dir=/a/c', '--interval', '2s']), '/a/c');
    assert.equal(runDataDir(['run', '--data-dir', '/a', '--data-dir', '/b']), '/b');
    assert.equal(runDataDir(['run', '--data-dir', 'rel']), path.resolve('rel'));
    assert.equal(runDataDir(['run']), defaultDataDir());
  });

  test('only for run', () => {
    assert.equal(runDataDir(['top', '--data-dir', '/a']), undefined);
    assert.equal(runDataDir([]), undefined);
  });
});
