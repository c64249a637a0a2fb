// The agent's code cache (agent/boot.ts, agent/codeCache.ts) with the real dist/agent.js: the
// first `run` writes it into the data dir, readable by the user alone; the next start uses it
// (does not write it again); a damaged one — which V8 itself would run and abort on — or one of
// another bundle is ignored, the agent starts and answers, and a good one takes its place.
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { CODE_CACHE_FILE, cacheKey, readCodeCache } from '../../agent/codeCache';
import { AGENT, cli, requireBuild, startAgent, tempDir, waitFor, type RunningAgent } from './agentHarness';

requireBuild();
const work = tempDir('pt-code-cache-');
const dataDir = path.join(work.dir, 'data');
const file = path.join(dataDir, CODE_CACHE_FILE);
const key = cacheKey(readFileSync(path.join(path.dirname(AGENT), 'agent-main.js'), 'utf8'));
// The cache is made half a second after start rather than 20 s.
const env = { PROCESS_TRACKER_CODE_CACHE_AFTER_MS: '500' };
let running: RunningAgent | undefined;
after(async () => {
  await running?.stop();
  work.remove();
});

const good = () => readCodeCache(file, key) !== undefined;

/** Starts the agent, waits until it has recorded two ticks (well past the cache's moment), checks it answers. */
async function startAndAnswer(): Promise<void> {
  running = await startAgent(dataDir, env, ['--interval', '1s']);
  await waitFor(
    async () => {
      const status = await cli(['status', '--json', '--data-dir', dataDir], env);
      assert.equal(status.status, 0, status.stderr);
      return (JSON.parse(status.stdout) as { sampling: { ticks: number } | null }).sampling!.ticks >= 2;
    },
    30_000,
    () => running!.stderr(),
  );
}

async function stop(): Promise<void> {
  assert.equal(await running!.stop(), 0, running!.stderr());
  running = undefined;
}

test('the first run writes the cache, 0600, whole and for this bundle', async () => {
  await startAndAnswer();
  await waitFor(good, 30_000, () => running!.stderr());
  assert.equal(statSync(file).mode & 0o777, 0o600);
  await stop();
});

test('the next start uses it: it is not written again', async () => {
  const before = statSync(file);
  await startAndAnswer();
  const now = statSync(file);
  assert.equal(now.ino, before.ino, 'the cache was replaced: V8 rejected it, or it was not read');
  assert.equal(now.mtimeMs, before.mtimeMs);
  await stop();
});

test('a damaged cache is ignored (V8 would abort on it), the agent answers, a good one replaces it', async () => {
  const bytes = readFileSync(file);
  // The header stays: only our hash of the bytes tells this from a good cache.
  for (const at of [0.05, 0.3, 0.55, 0.8]) {
    const start = 72 + Math.floor((bytes.length - 200) * at);
    for (let i = start; i < start + 64; i++) bytes[i]! ^= 0x5a;
  }
  writeFileSync(file, bytes, { mode: 0o600 });
  await startAndAnswer();
  await waitFor(
    () => good() && !readFileSync(file).equals(bytes),
    30_000,
    () => running!.stderr(),
  );
  await stop();
});

test("another bundle's cache is ignored and replaced", async () => {
  const bytes = readFileSync(file);
  bytes.fill(0x11, 8, 40); // the key: made for some other bundle or Node
  writeFileSync(file, bytes, { mode: 0o600 });
  await startAndAnswer();
  await waitFor(
    () => good() && !readFileSync(file).equals(bytes),
    30_000,
    () => running!.stderr(),
  );
  await stop();
});
