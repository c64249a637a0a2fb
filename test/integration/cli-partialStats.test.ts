// `process-tracker today` over a store where one name has a readable and an unreadable process
// (another user's /proc/PID/io): the built CLI marks the IO sums partial in --json and as "≥ …"
// in the table, and shows a never-readable name's IO as unknown, not 0 B. The store's files are
// real, written through the store's ingest path, and read by the CLI with no agent running.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { silentLogger } from '../../agent/log';
import { Store } from '../../agent/store';
import type { StatsRow } from '../../shared/model';
import { DEFAULT_RETENTION } from '../../shared/settings';
import { proc, tick } from '../fixtures/store/ticks';
import { cli, requireBuild, tempDir } from './agentHarness';

describe('process-tracker today: partial IO sums', () => {
  const work = tempDir('pt-cli-partial-');
  const dataDir = path.join(work.dir, 'data');
  // "today" starts at local midnight: pick a zone where it is not just after midnight, so the
  // last ten minutes fall inside today whatever the hour.
  const utcHour = new Date().getUTCHours();
  const env = {
    XDG_RUNTIME_DIR: path.join(work.dir, 'run'),
    TZ: utcHour >= 2 && utcHour <= 22 ? 'UTC' : 'Etc/GMT+4',
  };

  before(async () => {
    requireBuild();
    const store = await Store.open({
      dataDir,
      retention: DEFAULT_RETENTION,
      intervalMs: 2000,
      log: silentLogger,
    });
    const now = Date.now();
    for (let ts = now - 600_000; ts < now; ts += 2000) {
      store.ingest(
        tick(ts, [
          proc(500, now - 700_000, 'worker', { readBps: 1000, writeBps: 100 }),
          proc(501, now - 700_000, 'worker', { user: 'root', readBps: null, writeBps: null }),
          proc(600, now - 700_000, 'hidden', { user: 'root', readBps: null, writeBps: null }),
        ]),
      );
    }
    await store.close();
  });
  after(() => work.remove());

  test('--json carries the partial flag; unknown stays null', async () => {
    const result = await cli(['today', '--data-dir', dataDir, '--json'], env);
    assert.equal(result.status, 0, result.stderr);
    const rows = Object.fromEntries((JSON.parse(result.stdout).rows as StatsRow[]).map((r) => [r.name, r]));
    assert.ok(rows.worker!.readBytes! > 0, 'worker read what pid 500 read');
    assert.deepEqual(rows.worker!.partial, ['readBytes', 'writeBytes']);
    assert.equal(rows.hidden!.readBytes, null);
    assert.equal(rows.hidden!.partial, undefined);
  });

  test('the table shows the partial sums as lower bounds and says what "≥" means', async () => {
    const result = await cli(['today', '--data-dir', dataDir], env);
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.split('\n');
    const worker = lines.find((l) => l.startsWith('worker'));
    const hidden = lines.find((l) => l.startsWith('hidden'));
    assert.ok(worker && hidden, result.stdout);
    assert.equal(worker.match(/≥ \d/g)?.length, 2, `READ and WRITTEN are lower bounds: ${worker}`);
    assert.doesNotMatch(hidden, /≥|\b0 B\b/, `hidden's IO is unknown: ${hidden}`);
    assert.ok(
      lines.some((l) => l.startsWith('≥ a lower bound')),
      result.stdout,
    );
  });
});
