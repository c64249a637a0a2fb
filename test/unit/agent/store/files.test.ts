// Corrupt and foreign files, schema versions, WAL replay and disk write failures.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import initSqlJs from 'sql.js';
import type { Logger } from '../../../../agent/log';
import { Store } from '../../../../agent/store';
import { headerProblem } from '../../../../agent/store/fileCheck';
import { migrate, MIGRATIONS, SCHEMA_VERSION, userVersion } from '../../../../agent/store/schema';
import type { StoreOptions } from '../../../../agent/store/types';
import { DEFAULT_RETENTION } from '../../../../shared/settings';
import { MB, proc, scenario, T0, tick } from '../../../fixtures/store/ticks';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'pt-store-files-'));
  dirs.push(d);
  return d;
};

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (m: string) => void lines.push(`${level} ${m}`);
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const options = (dataDir: string, over: Partial<StoreOptions> = {}): StoreOptions => ({
  dataDir,
  retention: DEFAULT_RETENTION,
  intervalMs: 2000,
  log: recordingLogger(),
  now: () => T0 + 2 * 3_600_000 + 1000,
  ...over,
});

async function validFileBytes(): Promise<Uint8Array> {
  const dir = tempDir();
  const store = await Store.open(options(dir));
  for (const t of scenario(60)) store.ingest(t);
  await store.close();
  return readFileSync(path.join(dir, 'raw', '2026011010.sqlite'));
}

describe('store: corrupt and foreign files are moved aside, never overwritten', async () => {
  const valid = await validFileBytes();
  const SQL = await initSqlJs();
  const newer = (() => {
    const db = new SQL.Database();
    migrate(db);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    const bytes = db.export();
    db.close();
    return bytes;
  })();
  const flipped = Uint8Array.from(valid);
  flipped[3] ^= 0x20;
  const pageFlipped = Uint8Array.from(valid);
  // The b-tree header of page 2: its type byte and cell count become nonsense.
  const pageSize = (valid[16]! << 8) | valid[17]!;
  for (let i = pageSize; i < pageSize + 8; i++) pageFlipped[i]! ^= 0xa5;
  const cases: Record<string, Uint8Array> = {
    'zero length': new Uint8Array(0),
    truncated: valid.subarray(0, Math.floor(valid.length / 2) + 100),
    'bit-flipped header': flipped,
    'bit-flipped page': pageFlipped,
    'not SQLite': Buffer.from('{"hello": "this is JSON, not a database"}\n'.repeat(50)),
    'newer schema': newer,
  };

  for (const [name, bytes] of Object.entries(cases)) {
    test(name, async () => {
      const dir = tempDir();
      mkdirSync(path.join(dir, 'raw'), { recursive: true });
      const file = path.join(dir, 'raw', '2026011010.sqlite');
      writeFileSync(file, bytes);
      const log = recordingLogger();
      const store = await Store.open(options(dir, { log }));
      // Ticks in the damaged file's hour: the store must carry on with a fresh file.
      for (const t of scenario(30)) store.ingest(t);
      assert.equal(store.at({ ts: T0 + 30_000 }).rows.length, 2);
      await store.close();
      const aside = readdirSync(path.join(dir, 'raw')).filter((f) =>
        f.startsWith('2026011010.sqlite.corrupt-'),
      );
      assert.equal(aside.length, 1, `moved aside: ${readdirSync(path.join(dir, 'raw'))}`);
      assert.deepEqual(readFileSync(path.join(dir, 'raw', aside[0]!)), Buffer.from(bytes));
      assert.ok(
        log.lines.some((l) => l.includes(`moved aside to ${path.join(dir, 'raw', aside[0]!)}`)),
        log.lines.join('\n'),
      );
      assert.equal(headerProblem(readFileSync(file)), null, 'a fresh, whole file took its place');
    });
  }

  test('read-only open leaves a bad file where it is', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'raw'), { recursive: true });
    writeFileSync(path.join(dir, 'raw', '2026011010.sqlite'), newer);
    const store = await Store.open(options(dir, { readOnly: true }));
    store.at({ ts: T0 + 30_000 });
    await store.close();
    assert.deepEqual(readdirSync(path.join(dir, 'raw')), ['2026011010.sqlite']);
  });
});

describe('store: schema versions', () => {
  test('every old version migrates forward to the current one', async () => {
    const SQL = await initSqlJs();
    for (let version = 0; version < SCHEMA_VERSION; version++) {
      const db = new SQL.Database();
      for (let v = 0; v < version; v++) MIGRATIONS[v]!(db);
      db.exec(`PRAGMA user_version = ${version}`);
      assert.equal(migrate(db), version);
      assert.equal(userVersion(db), SCHEMA_VERSION);
      db.close();
    }
  });

  test('a version-1 file written by the store opens and answers', async () => {
    const dir = tempDir();
    const store = await Store.open(options(dir));
    for (const t of scenario(60)) store.ingest(t);
    await store.close();
    const SQL = await initSqlJs();
    const db = new SQL.Database(readFileSync(path.join(dir, 'raw', '2026011010.sqlite')));
    assert.equal(userVersion(db), 1);
    db.close();
    const again = await Store.open(options(dir));
    assert.equal(again.at({ ts: T0 + 60_000 }).rows.length, 2);
    await again.close();
  });
});

describe('store: write-ahead log', () => {
  test('an unclosed store is rebuilt from its files and the log', async () => {
    const dir = tempDir();
    const crashed = await Store.open(options(dir, { flushIntervalMs: 3_600_000 }));
    const ticks = [...scenario(1000)];
    for (const t of ticks) crashed.ingest(t);
    // No close(): the process "dies" here. Only the WAL holds the ticks since the last flush.
    const reopened = await Store.open(options(dir, { readOnly: true }));
    const r = reopened.stats({ from: T0, to: T0 + 3_600_000, filter: { regex: '^busy$' } });
    assert.equal(r.rows[0]!.activeSeconds, 2000);
    assert.equal(reopened.at({ ts: ticks.at(-1)!.ts }).sampleTs, ticks.at(-1)!.ts);
    await reopened.close();
  });

  test('a torn last line is ignored', async () => {
    const dir = tempDir();
    const store = await Store.open(options(dir, { flushIntervalMs: 3_600_000 }));
    for (const t of scenario(10)) store.ingest(t);
    const wal = path.join(dir, 'wal');
    const last = readdirSync(wal).sort().at(-1)!;
    writeFileSync(path.join(wal, last), '{"t": 17', { flag: 'a' });
    const reopened = await Store.open(options(dir, { readOnly: true }));
    assert.equal(reopened.at({ ts: T0 + 20_000 }).sampleTs, T0 + 20_000);
    await reopened.close();
  });
});

describe('store: disk write failures', () => {
  test('full disk: sampling goes on in memory, logged once, files untouched, writing resumes', async (t) => {
    const dir = tempDir();
    let mounted = false;
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir], { stdio: 'ignore' });
      mounted = true;
    } catch {
      t.diagnostic('tmpfs mount not available: blocking the minute folder with a file instead');
    }
    try {
      const log = recordingLogger();
      const store = await Store.open(options(dir, { log, flushIntervalMs: 0 }));
      const first = [...scenario(40)];
      for (const k of first) store.ingest(k);
      await store.flush();
      const minute = path.join(dir, 'minute', '20260110.sqlite');
      const before = readFileSync(path.join(dir, 'raw', '2026011010.sqlite'));
      if (mounted) {
        // Fill the disk.
        writeFileSync(path.join(dir, 'filler'), Buffer.alloc(0));
        try {
          writeFileSync(path.join(dir, 'filler'), Buffer.alloc(256 * 1024));
        } catch {
          // ENOSPC part-way: the disk is full, which is the point
        }
      } else {
        rmSync(path.join(dir, 'minute'), { recursive: true, force: true });
        writeFileSync(path.join(dir, 'minute'), 'blocker');
      }
      // Many ticks, several flush attempts: every one fails.
      const more = [...scenario(600)].slice(40);
      for (const k of more) {
        store.ingest(k);
        await store.flush();
      }
      const errors = log.lines.filter((l) => l.startsWith('error') && l.includes('cannot write'));
      assert.equal(errors.length, 1, log.lines.join('\n'));
      assert.deepEqual(
        readFileSync(path.join(dir, 'raw', '2026011010.sqlite')),
        before,
        'last good file untouched',
      );
      const live = store.stats({ from: T0, to: T0 + 3_600_000, filter: { regex: '^busy$' } });
      assert.equal(live.rows[0]!.activeSeconds, 1200, 'history kept in memory');
      // The disk frees up: writing resumes.
      rmSync(path.join(dir, mounted ? 'filler' : 'minute'), { force: true });
      await store.flush();
      assert.ok(
        log.lines.some((l) => l.includes('writing to disk works again')),
        log.lines.join('\n'),
      );
      assert.ok(existsSync(minute));
      await store.close();
      const reopened = await Store.open(options(dir, { readOnly: true }));
      const r = reopened.stats({ from: T0, to: T0 + 3_600_000, filter: { regex: '^busy$' } });
      assert.equal(r.rows[0]!.activeSeconds, 1200);
      assert.equal(reopened.at({ ts: T0 + 1_000_000 }).rows.find((p) => p.name === 'busy')!.rss, 100 * MB);
      await reopened.close();
    } finally {
      if (mounted) execFileSync('umount', [dir]);
    }
  });

  test('ingest keeps working when the data dir cannot be created', async () => {
    const parent = tempDir();
    const blocker = path.join(parent, 'file');
    writeFileSync(blocker, 'x');
    const store = await Store.open(options(path.join(blocker, 'data')));
    store.ingest(tick(T0 + 2000, [proc(1, 0, 'x', { cpu: 5 })]));
    assert.equal(store.at({ ts: T0 + 2000 }).rows[0]!.cpu, 5);
    await store.close();
    assert.ok(store.status().lastError);
  });
});
