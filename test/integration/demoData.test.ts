// `process-tracker demo-data`: generated history written into an empty folder, readable by the
// query commands; a folder that already holds a store is refused with one line, untouched.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cli, requireBuild, tempDir } from './agentHarness';

describe('process-tracker demo-data', () => {
  const work = tempDir('pt-demo-');
  const env = { XDG_RUNTIME_DIR: path.join(work.dir, 'run'), PROCESS_TRACKER_DATA_DIR: '' };
  before(requireBuild);
  after(() => work.remove());

  test('writes a day of history that today and at answer from', { timeout: 300_000 }, async () => {
    const dataDir = path.join(work.dir, 'fresh');
    const made = await cli(
      ['demo-data', '--days', '1', '--processes', '5', '--data-dir', dataDir],
      env,
      280_000,
    );
    assert.equal(made.status, 0, made.stderr);
    assert.match(made.stdout, /wrote 1 days of 5 processes into /);
    assert.ok(readdirSync(path.join(dataDir, 'raw')).length >= 24, 'a raw file per hour');
    const stats = await cli(['today', '--data-dir', dataDir, '--json'], env);
    assert.equal(stats.status, 0, stats.stderr);
    assert.ok(JSON.parse(stats.stdout).rows.length > 0, 'today has rows');
    const at = await cli(['at', '-2h', '--data-dir', dataDir, '--json'], env);
    assert.equal(at.status, 0, at.stderr);
    assert.equal(JSON.parse(at.stdout).rows.length, 5, 'five processes two hours ago');
  });

  test('refuses a folder that holds a store, and bad counts: one line, exit 2, nothing written', async () => {
    const held = path.join(work.dir, 'held');
    mkdirSync(path.join(held, 'wal'), { recursive: true });
    writeFileSync(path.join(held, 'wal', '0000000001.wal'), '');
    const refused = await cli(['demo-data', '--days', '1', '--data-dir', held], env);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /already holds a store .*choose another --data-dir\n$/);
    assert.equal(refused.stderr.split('\n').length, 2, 'one line');
    assert.deepEqual(readdirSync(held), ['wal'], 'nothing written beside it');

    for (const [args, message] of [
      [['--days', 'x'], /--days "x" is not a count/],
      [['--days', '1', '--processes', '0'], /--processes "0" is not a count/],
      [['--days', '1'], /demo-data needs --data-dir/],
      [['--data-dir', path.join(work.dir, 'none')], /demo-data needs --days/],
      [['--days', '1', '--bogus'], /Unknown option '--bogus'.*use process-tracker demo-data/],
    ] as const) {
      const result = await cli(['demo-data', ...args], env);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }
  });
});
