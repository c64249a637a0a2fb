// A store folder this user may not use (issue 13, Medium 5 and item 18): one clear line and exit 2,
// never a recording that keeps nothing or an empty table. Permissions do not stop root, so under
// root the agent runs as `nobody` (child_process uid/gid) on temp folders; as any other user it
// runs as that user.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { AGENT, requireBuild, tempDir, type CliResult } from './agentHarness';

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
const work = tempDir('pt-store-access-');
after(() => work.remove());
chmodSync(work.dir, 0o755);

/** A folder the agent's user owns (under root: nobody). */
function ownDir(name: string): string {
  const dir = path.join(work.dir, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (asRoot) chownSync(dir, NOBODY, NOBODY);
  return dir;
}

const runtime = ownDir('xdg');

function run(args: string[], timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AGENT, ...args], {
      env: { ...process.env, XDG_RUNTIME_DIR: runtime, HOME: runtime },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} took over ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

function chmodTree(dir: string, mode: (isDir: boolean) => number): void {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) chmodTree(p, mode);
    chmodSync(p, mode(statSync(p).isDirectory()));
  }
  chmodSync(dir, mode(true));
}

test('a data folder that cannot be written: one line naming it, exit 2, nothing "recorded"', async () => {
  requireBuild();
  const dataDir = ownDir('readonly');
  for (const tier of ['raw', 'minute', 'hour', 'wal']) {
    mkdirSync(path.join(dataDir, tier));
    if (asRoot) chownSync(path.join(dataDir, tier), NOBODY, NOBODY);
  }
  chmodTree(dataDir, (isDir) => (isDir ? 0o555 : 0o444));
  const r = await run(['run', '--quiet', '--data-dir', dataDir, '--interval', '200ms']);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /process-tracker: cannot write the store in .*readonly.* \(EACCES\)/);
  assert.doesNotMatch(r.stderr, /recording every|store flushed|\n\s+at /, r.stderr);
});

test("another user's store (0700 subfolders): one line naming the folder, exit 2", async () => {
  requireBuild();
  if (!asRoot) return; // needs a second user to own the folders
  const dataDir = path.join(work.dir, 'theirs');
  for (const tier of ['raw', 'minute', 'hour', 'wal'])
    mkdirSync(path.join(dataDir, tier), { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o755);
  for (const args of [['today'], ['export', '--format', 'csv']]) {
    const r = await run([...args, '--data-dir', dataDir]);
    assert.equal(r.status, 2, `${args[0]}: ${r.stdout}${r.stderr}`);
    assert.equal(r.stdout, '', args[0]);
    assert.match(r.stderr.trim(), /^process-tracker: cannot read the store in .*theirs.*\(EACCES\)[^\n]*$/);
  }
});
