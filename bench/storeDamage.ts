// The store's resilience campaigns against the real agent (dist/agent.js; `npm run build` first):
//   node --import tsx bench/storeDamage.ts [--damages 200] [--kills 1000] [--seed N]
// damages: one start per damage (fixtures/store/damage.ts) of a store the agent recorded and was
//   killed in; the agent must keep recording (it flushes, answers, stops with exit 0), the damaged
//   file set aside byte-identical (or proven harmless), every file under a store name whole.
// kills: kill -9 at random moments (every 25th after 14-16 s), every file passes integrity_check
//   after each kill, and at the end no kill lost more than 10 s of ticks.
// The CI-sized versions are test/integration/store-damage.test.ts and agent-crash.test.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { damage, DAMAGE_KINDS, rng } from '../test/fixtures/store/damage';
import { childEnv, tempXdgHomes } from '../test/harness/childEnv';

const AGENT = path.resolve(__dirname, '..', 'dist', 'agent.js');
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const DAMAGES = arg('damages', 200);
const KILLS = arg('kills', 1000);
const SEED = arg('seed', Date.now() % 1_000_000);
const INTERVAL = '200ms';
const work = mkdtempSync(path.join(os.tmpdir(), 'pt-bench-damage-'));
// Private XDG folders: the user's own alerts.yaml or metrics.yaml must never reach these agents.
const env = childEnv({ ...tempXdgHomes(work), PROCESS_TRACKER_FLUSH_INTERVAL: '1s' });

function storeFiles(dir: string): string[] {
  return ['raw', 'minute', 'hour'].flatMap((tier) => {
    const sub = path.join(dir, tier);
    return existsSync(sub) ? readdirSync(sub).map((n) => path.join(sub, n)) : [];
  });
}

function integrity(SQL: SqlJsStatic, file: string): string {
  let db;
  try {
    db = new SQL.Database(readFileSync(file));
    return String(db.exec('PRAGMA integrity_check')[0]!.values[0]![0]);
  } catch (error) {
    return (error as Error).message;
  } finally {
    db?.close();
  }
}

function spawnAgent(dataDir: string): {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
  /** When the agent said it records (its first tick is at most one interval later); null before. */
  recordingAt: () => number | null;
} {
  const child = spawn(
    process.execPath,
    [AGENT, 'run', '--quiet', '--data-dir', dataDir, '--interval', INTERVAL],
    {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  let recordingAt: number | null = null;
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (recordingAt === null && /recording every/.test(stderr)) recordingAt = Date.now();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => stderr, exited, recordingAt: () => recordingAt };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** The newest write to a store file after `since` (a flush happened). */
const flushedSince = (dir: string, since: number) =>
  storeFiles(dir).some((f) => f.endsWith('.sqlite') && statSync(f).mtimeMs > since);

async function damages(SQL: SqlJsStatic): Promise<Record<string, unknown>> {
  const base = path.join(work, 'baseline');
  const first = spawnAgent(base);
  await until(() => storeFiles(base).some((f) => f.endsWith('.sqlite')), 60_000);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  first.child.kill('SIGKILL'); // leaves a WAL to replay, as after a crash
  await first.exited;
  const random = rng(SEED);
  const counts: Record<string, { runs: number; setAside: number; harmless: number; unread: number }> = {};
  const failures: string[] = [];
  let crashes = 0;
  const started = performance.now();
  for (let i = 0; i < DAMAGES; i++) {
    const kind = DAMAGE_KINDS[i % DAMAGE_KINDS.length]!;
    const dir = path.join(work, `damage-${i}`);
    cpSync(base, dir, { recursive: true });
    const targets = storeFiles(dir).filter((f) => f.endsWith('.sqlite'));
    const file = targets[Math.floor(random() * targets.length)]!;
    const damaged = damage(kind, readFileSync(file), random, SQL);
    writeFileSync(file, damaged);
    const what = `${i} ${kind} ${path.relative(dir, file)}`;
    const startedAt = Date.now();
    const agent = spawnAgent(dir);
    const flushed = await until(
      () => agent.child.exitCode !== null || flushedSince(dir, startedAt + 1500),
      60_000,
    );
    if (agent.child.exitCode !== null || !flushed) {
      crashes++;
      failures.push(`${what}: exited ${agent.child.exitCode} ${agent.stderr().slice(-400)}`);
      agent.child.kill('SIGKILL');
      continue;
    }
    agent.child.kill('SIGTERM');
    const code = await agent.exited;
    if (code !== 0) failures.push(`${what}: stop exit ${code}`);
    const c = (counts[kind] ??= { runs: 0, setAside: 0, harmless: 0, unread: 0 });
    c.runs++;
    const aside = readdirSync(path.dirname(file)).filter((n) =>
      n.startsWith(`${path.basename(file)}.corrupt-`),
    );
    if (aside.length === 1) {
      c.setAside++;
      if (!readFileSync(path.join(path.dirname(file), aside[0]!)).equals(Buffer.from(damaged)))
        failures.push(`${what}: set aside but not byte-identical`);
    } else if (integrity(SQL, file) === 'ok') c.harmless++;
    else if (readFileSync(file).equals(Buffer.from(damaged))) c.unread++;
    else failures.push(`${what}: damaged file rewritten`);
    for (const f of storeFiles(dir).filter((n) => n.endsWith('.sqlite') && n !== file)) {
      if (integrity(SQL, f) !== 'ok') failures.push(`${what}: ${f} fails integrity_check`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    damages: DAMAGES,
    seed: SEED,
    crashes,
    failures,
    counts,
    seconds: (performance.now() - started) / 1000,
  };
}

async function kills(SQL: SqlJsStatic): Promise<Record<string, unknown>> {
  const dir = path.join(work, 'kills');
  const runs: Array<{ spawnedAt: number; killedAt: number; recordingAt: number | null }> = [];
  const failures: string[] = [];
  const started = performance.now();
  for (let i = 0; i < KILLS; i++) {
    const delay = i % 25 === 24 ? 14_000 + Math.random() * 2000 : 50 + Math.random() * 1800;
    const spawnedAt = Date.now();
    const agent = spawnAgent(dir);
    await new Promise((resolve) => setTimeout(resolve, delay));
    const killedAt = Date.now();
    if (agent.child.exitCode !== null)
      failures.push(`kill ${i}: exited by itself ${agent.stderr().slice(-300)}`);
    agent.child.kill('SIGKILL');
    await agent.exited;
    runs.push({ spawnedAt, killedAt, recordingAt: agent.recordingAt() });
    for (const f of storeFiles(dir)) {
      if (/corrupt/.test(f)) failures.push(`kill ${i}: ${f} set aside`);
      else if (f.endsWith('.sqlite') && integrity(SQL, f) !== 'ok')
        failures.push(`kill ${i}: ${f} fails integrity_check`);
    }
  }
  const last = spawnAgent(dir);
  await until(() => /recording every/.test(last.stderr()), 60_000);
  last.child.kill('SIGTERM');
  await last.exited;
  const ticks: number[] = [];
  for (const f of storeFiles(dir).filter(
    (n) => n.includes(`${path.sep}raw${path.sep}`) && n.endsWith('.sqlite'),
  )) {
    const db = new SQL.Database(readFileSync(f));
    for (const row of db.exec('SELECT ts FROM machine')[0]?.values ?? []) ticks.push(Number(row[0]));
    db.close();
  }
  ticks.sort((a, b) => a - b);
  // A loss is what was recorded and is not in the files: from the newest stored tick before the
  // kill (or from when the agent began recording, if later) to the kill. An agent still starting
  // when it was killed had recorded nothing to lose; those runs are counted, with the start-up time.
  let worstLossMs = 0;
  let longRuns = 0;
  let neverRecorded = 0;
  let worstStartUpMs = 0;
  for (const run of runs) {
    if (run.recordingAt !== null) worstStartUpMs = Math.max(worstStartUpMs, run.recordingAt - run.spawnedAt);
    if (run.killedAt - run.spawnedAt < 13_000) continue;
    longRuns++;
    if (run.recordingAt === null) {
      neverRecorded++;
      continue;
    }
    const newest = ticks.filter((t) => t <= run.killedAt).at(-1) ?? -Infinity;
    worstLossMs = Math.max(worstLossMs, run.killedAt - Math.max(newest, run.recordingAt));
  }
  if (worstLossMs > 10_000) failures.push(`a kill lost ${worstLossMs} ms`);
  if (neverRecorded > longRuns / 4)
    failures.push(`${neverRecorded} of ${longRuns} long runs never began recording`);
  return {
    kills: KILLS,
    longRuns,
    neverRecorded,
    worstStartUpMs,
    worstLossMs,
    failures,
    seconds: (performance.now() - started) / 1000,
  };
}

void (async () => {
  if (!existsSync(AGENT)) throw new Error(`${AGENT} is missing: run "npm run build" first`);
  const SQL = await initSqlJs();
  try {
    if (DAMAGES > 0) console.log(JSON.stringify({ campaign: 'damages', ...(await damages(SQL)) }, null, 2));
    if (KILLS > 0) console.log(JSON.stringify({ campaign: 'kill -9', ...(await kills(SQL)) }, null, 2));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
})();
