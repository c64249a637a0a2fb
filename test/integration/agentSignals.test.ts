// Stopping the real agent by signal. A terminal's Ctrl-C reaches every process of the foreground
// group, and wrappers forward it too (`npm start`, `timeout`, a process-group kill), so the agent
// often hears the same signal twice: the second must not cut short the clean stop the first began.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { cli, requireBuild, startAgent, tempDir, waitFor } from './agentHarness';

const tmp = tempDir('pt-agent-signals-');
after(() => tmp.remove());

for (const [first, second] of [
  ['SIGINT', 'SIGINT'],
  ['SIGTERM', 'SIGTERM'],
] as const) {
  test(`${first} then ${second} while stopping: the stop still flushes the store and exits 0`, async () => {
    requireBuild();
    const dataDir = path.join(tmp.dir, `${first}-${second}`);
    const agent = await startAgent(dataDir, {}, ['--interval', '250ms']);
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      agent.child.once('exit', (code, signal) => resolve([code, signal])),
    );
    // A few ticks recorded first, so the stop has rows to write.
    await waitFor(
      async () => {
        const status = await cli(['status', '--json', '--data-dir', dataDir]);
        return (
          status.status === 0 &&
          ((JSON.parse(status.stdout) as { sampling?: { ticks: number } }).sampling?.ticks ?? 0) >= 4
        );
      },
      30_000,
      agent.stderr,
    );
    // More of them the moment the first has been heard, until the store is flushed: they arrive
    // while it is being flushed, however fast this machine stops it. Not after the flush: a signal in
    // the last milliseconds of Node's own exit still ends it by default, which loses nothing.
    let flood: NodeJS.Timeout | undefined;
    const send = () => {
      if (agent.stderr().includes('store flushed') || agent.child.exitCode !== null) clearInterval(flood);
      else agent.child.kill(second);
    };
    agent.child.stderr!.on('data', () => {
      if (flood === undefined && agent.stderr().includes(`${first}: stopping`)) {
        flood = setInterval(send, 1);
        send();
      }
    });
    agent.child.kill(first);
    const [code, signal] = await exited;
    clearInterval(flood);
    assert.match(
      agent.stderr(),
      /store flushed/,
      `the agent was ended (${signal ?? code}) mid-stop: ${agent.stderr()}`,
    );
    assert.ok(code === 0 || signal === second, `exit ${code} ${signal}: ${agent.stderr()}`);
    assert.equal(
      agent.stderr().split(`${second}: already stopping`).length - 1,
      1,
      'said once, however many came',
    );
    const raw = path.join(dataDir, 'raw');
    assert.ok(
      existsSync(raw) && readdirSync(raw).some((f) => f.endsWith('.sqlite')),
      'no raw tier file written',
    );
  });
}
