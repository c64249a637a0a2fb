// kill -9 during retries: the persisted outbox, loaded by a new Delivery, ends in exactly one
// delivery, with the same idempotency id the killed process used.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { Delivery, type DeliveryRecord, type DeliveryState } from '../../agent/alerts/delivery';
import { loadJson, saveJsonAtomic } from '../../agent/alerts/outbox';
import { silentLogger } from '../../agent/log';
import { startHook, waitFor } from './alerts-helpers';

const root = path.resolve(__dirname, '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-alert-outbox-'));
const children: number[] = [];
after(() => {
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

test('an agent killed with -9 during retries still delivers exactly once after restart', async () => {
  let failing = true;
  const hook = await startHook(() => ({ status: failing ? 500 : 200 }));
  after(hook.close);
  const outboxFile = path.join(dir, 'outbox.json');
  const script = path.join(dir, 'agent.ts');
  writeFileSync(
    script,
    `import { Delivery } from ${JSON.stringify(path.join(root, 'agent/alerts/delivery.ts'))};
import { saveJsonAtomic } from ${JSON.stringify(path.join(root, 'agent/alerts/outbox.ts'))};
import { silentLogger } from ${JSON.stringify(path.join(root, 'agent/log.ts'))};
const delivery = new Delivery({
  channels: { h: { type: 'webhook', url: ${JSON.stringify(hook.url + '/hook')} } },
  log: silentLogger,
  retry: { baseMs: 100, maxMs: 200, deadlineMs: 60000, timeoutMs: 2000 },
  persist: (state) => saveJsonAtomic(${JSON.stringify(outboxFile)}, state),
});
delivery.start();
delivery.enqueue([{ kind: 'firing', key: 'app-down|all', rule: 'app-down', scope: 'all', metric: 'absent', severity: 'critical',
  subject: 'app', value: 0, threshold: 0, operator: '>', unit: '', firedAt: Date.now(), ts: Date.now(), channels: ['h'] }]);
setInterval(() => {}, 1000);
`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, stdio: 'ignore' });
  children.push(child.pid!);
  await waitFor(() => hook.received.length >= 2, 'the agent to retry', 20_000);
  process.kill(child.pid!, 'SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  const attemptsBeforeKill = hook.received.length;
  const keys = new Set(hook.received.map((r) => r.headers['idempotency-key']));
  assert.equal(keys.size, 1);

  failing = false;
  const saved = loadJson<DeliveryState>(outboxFile);
  assert.equal(saved?.entries.length, 1, 'the outbox kept the undelivered message');
  const records: DeliveryRecord[] = [];
  const restarted = new Delivery({
    channels: { h: { type: 'webhook', url: `${hook.url}/hook` } },
    log: silentLogger,
    retry: { baseMs: 100, maxMs: 200, deadlineMs: 60_000, timeoutMs: 2000 },
    persist: (state) => saveJsonAtomic(outboxFile, state),
    onRecord: (r) => records.push(r),
  });
  restarted.restore(saved);
  restarted.start();
  await restarted.idle();
  await new Promise((r) => setTimeout(r, 300));
  await restarted.stop();

  const delivered = hook.received.filter((r) => r.status === 200);
  assert.equal(delivered.length, 1, 'exactly one delivery');
  assert.equal(hook.received.length, attemptsBeforeKill + 1);
  assert.equal(
    delivered[0]!.headers['idempotency-key'],
    [...keys][0],
    'same idempotency id across the restart',
  );
  assert.deepEqual(
    records.map((r) => r.outcome),
    ['delivered'],
  );
  assert.deepEqual(loadJson<DeliveryState>(outboxFile)?.entries, [], 'the outbox is empty afterwards');
  // A third start finds nothing to send.
  const third = new Delivery({ channels: { h: { type: 'webhook', url: hook.url } }, log: silentLogger });
  third.restore(loadJson<DeliveryState>(outboxFile));
  assert.equal(third.pending().length, 0);
});
