// The agent's log file: whole lines only, even when the disk fills part-way through a line.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createFileLogger } from '../../../agent/logfile';

test('a full disk never leaves half a line in agent.log; lines resume whole once there is room', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-logfile-'));
  try {
    // A small tmpfs is a disk that really fills (root, as CI runs); elsewhere there is nothing to fill.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    t.diagnostic('tmpfs mount not available (not root): nothing to fill, nothing checked');
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  try {
    const errors: string[] = [];
    const stderrWrite = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (
      errors.push(String(chunk)),
      true
    )) as typeof process.stderr.write;
    try {
      const log = createFileLogger({ dataDir: dir, maxBytes: 1 << 20 });
      log.info('before the disk fills');
      // Fill the disk but for a few hundred bytes: the next long line fits only in part.
      const filler = path.join(dir, 'filler');
      try {
        writeFileSync(filler, Buffer.alloc(64 * 1024));
      } catch {
        // ENOSPC part-way: full, which is the point
      }
      // Give a little back (tmpfs frees whole pages): some of the lines below fit, one only in part.
      writeFileSync(filler, Buffer.alloc(readFileSync(filler).length - 100));
      for (let i = 0; i < 20; i++) log.warn(`line ${i} ${'x'.repeat(200)}`);
      const whileFull = readFileSync(log.file, 'utf8');
      assert.ok(whileFull.endsWith('\n'), `a cut line at the end: ${JSON.stringify(whileFull.slice(-60))}`);
      rmSync(filler);
      log.info('after the disk has room again');
      const lines = readFileSync(log.file, 'utf8').split('\n');
      assert.equal(lines.pop(), '', 'the file ends with a newline');
      for (const line of lines)
        assert.match(line, /^\d{4}-\d\d-\d\dT\S+Z (debug|info |warn |error) \S/, line);
      assert.ok(lines.some((l) => l.endsWith('after the disk has room again')));
    } finally {
      process.stderr.write = stderrWrite;
    }
  } finally {
    execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  }
});
