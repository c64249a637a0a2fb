// The export file itself: private to its owner, and a path that cannot be written is the user's
// mistake (one UserInputError, which the agent answers as BadInput), never an internal error.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { silentLogger } from '../../../../agent/log';
import { Store } from '../../../../agent/store';
import { UserInputError } from '../../../../shared/errors';
import { DEFAULT_RETENTION } from '../../../../shared/settings';
import { scenario, T0 } from '../../../fixtures/store/ticks';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-export-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('an export file is created 0600; a folder or a missing folder is a UserInputError', async () => {
  const store = await Store.open({
    dataDir: path.join(dir, 'data'),
    retention: DEFAULT_RETENTION,
    intervalMs: 2000,
    log: silentLogger,
    now: () => T0 + 2 * 3_600_000 + 1000,
  });
  try {
    for (const t of scenario()) store.ingest(t);
    const query = { format: 'csv', from: T0, to: T0 + 60_000 } as const;
    const file = path.join(dir, 'out.csv');
    const { rows } = await store.exportTo(query, file);
    assert.ok(rows > 0);
    assert.equal(statSync(file).mode & 0o777, 0o600, 'command lines are for the owner only');
    for (const bad of [dir, path.join(dir, 'missing', 'out.csv')]) {
      await assert.rejects(
        store.exportTo(query, bad),
        (e: unknown) =>
          e instanceof UserInputError &&
          e.message.startsWith(`export file ${bad} cannot be written (`) &&
          !e.message.includes('\n'),
      );
    }
  } finally {
    await store.close();
  }
});
