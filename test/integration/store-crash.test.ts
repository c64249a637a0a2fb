// kill -9 at random moments: the store always opens, every file passes integrity_check, nothing
// is moved aside, and no tick older than the loss bound (10 s) is missing.
// PT_CRASH_ITERATIONS=2000 for a longer run.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import * as esbuild from 'esbuild';
import initSqlJs from 'sql.js';
import { silentLogger } from '../../agent/log';
import { Store } from '../../agent/store';
import { T0 } from '../fixtures/store/ticks';

const ITERATIONS = Number(process.env.PT_CRASH_ITERATIONS ?? 200);
const LOSS_BOUND_MS = 10_000;
const work = mkdtempSync(path.join(os.tmpdir(), 'pt-store-crash-'));
after(() => rmSync(work, { recursive: true, force: true }));

async function buildChild(): Promise<string> {
  const out = path.join(work, 'child.cjs');
  await esbuild.build({
    entryPoints: [path.join(__dirname, '../fixtures/store/crash-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: out,
    logLevel: 'silent',
  });
  copyFileSync(
    createRequire(__filename).resolve('sql.js/dist/sql-wasm.wasm'),
    path.join(work, 'sql-wasm.wasm'),
  );
  return out;
}

/** Runs the child from `start`, kills it `delayMs` after it is ready; returns the last tick it acknowledged. */
function runAndKill(child: string, dataDir: string, start: number, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, dataDir, String(start)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let acked = start;
    let buffer = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    p.stderr.on('data', (d) => (stderr += d));
    p.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        if (line === 'ready') timer = setTimeout(() => p.kill('SIGKILL'), delayMs);
        else if (line) acked = Number(line);
      }
    });
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child ended by itself (${code}): ${stderr}`));
      else resolve(acked);
    });
  });
}

test(`store survives ${ITERATIONS} SIGKILLs at random moments`, { timeout: 30 * 60_000 }, async () => {
  const child = await buildChild();
  const dataDir = path.join(work, 'data');
  const SQL = await initSqlJs();
  let acked = T0;
  let checked = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    acked = await runAndKill(child, dataDir, acked, Math.floor(Math.random() * 150));
    const store = await Store.open({
      dataDir,
      retention: { rawHours: 2, minuteDays: 31, hourDays: 366 },
      intervalMs: 2000,
      log: silentLogger,
      now: () => acked,
      readOnly: true,
    });
    const last = store.at({ ts: acked });
    assert.ok(
      acked === T0 || (last.sampleTs !== null && last.sampleTs >= acked - LOSS_BOUND_MS),
      `iteration ${i}: last acknowledged tick ${acked}, newest stored ${last.sampleTs}`,
    );
    // Up to the end of what was stored (stats edges are minute-precise otherwise).
    const busy = store.stats({ from: T0, to: acked + 3_600_000, filter: { regex: '^busy$' } }).rows[0];
    assert.ok(
      acked === T0 || (busy && busy.activeSeconds >= (acked - T0 - LOSS_BOUND_MS) / 1000 - 0.001),
      `iteration ${i}: busy alive ${busy?.activeSeconds} s of ${(acked - T0) / 1000} s`,
    );
    await store.close();
    if (i % 25 === 24 || i === ITERATIONS - 1) {
      for (const tier of ['raw', 'minute', 'hour']) {
        const names = readdirSync(path.join(dataDir, tier));
        assert.deepEqual(
          names.filter((n) => n.includes('corrupt')),
          [],
          `nothing moved aside in ${tier}`,
        );
        for (const name of names.filter((n) => n.endsWith('.sqlite'))) {
          const db = new SQL.Database(readFileSync(path.join(dataDir, tier, name)));
          assert.equal(db.exec('PRAGMA integrity_check')[0]!.values[0]![0], 'ok', `${tier}/${name}`);
          db.close();
          checked++;
        }
      }
    }
  }
  assert.ok(checked > 0);
});
