// The extension's connection module (extension/agentLauncher.ts has no `vscode` import) against
// the real agent: start one when none runs, share it between windows, survive a kill -9.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { createMessageConnection, SocketMessageReader, SocketMessageWriter } from 'vscode-jsonrpc/node';
import { socketPathFor } from '../../client/socketDir';
import { connectOrStart, startLogPath, type AgentLaunch } from '../../client/launcher';
import { AgentStatusRequest, Lifecycle, StatsRequest } from '../../shared/protocol';
import { PROTOCOL_VERSION } from '../../shared/protocol';
import { AGENT, agentEnv, requireBuild, tempDir, waitFor } from './agentHarness';
import type net from 'node:net';

const work = tempDir('pt-launcher-');
const started = new Set<number>();
after(() => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  work.remove();
});

async function session(socket: net.Socket) {
  const connection = createMessageConnection(
    new SocketMessageReader(socket),
    new SocketMessageWriter(socket),
  );
  connection.listen();
  const hello = await connection.sendRequest(Lifecycle.initialize, {
    processId: process.pid,
    capabilities: {},
    initializationOptions: {
      protocolVersion: PROTOCOL_VERSION,
      clientName: 'launcher-test',
      clientVersion: '0',
    },
  });
  return {
    hello: hello.processTracker,
    connection,
    close: () => {
      connection.dispose();
      socket.destroy();
    },
  };
}

test(
  'start when none runs, share one agent, and come back after kill -9 with the history',
  { timeout: 120_000 },
  async () => {
    requireBuild();
    process.env.XDG_RUNTIME_DIR = path.join(work.dir, 'run');
    const dataDir = path.join(work.dir, 'data');
    const launch: AgentLaunch = {
      script: AGENT,
      nodePath: process.execPath,
      dataDir,
      socketPath: socketPathFor(dataDir),
      extraArgs: ['--interval', '250ms'],
      env: agentEnv({ XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR }),
      autoStart: true,
    };
    const log = () => undefined;

    // Two windows at once: one agent.
    const [first, second] = await Promise.all([connectOrStart(launch, log), connectOrStart(launch, log)]);
    for (const c of [first, second]) if (c.spawnedPid) started.add(c.spawnedPid);
    const a = await session(first.socket);
    const b = await session(second.socket);
    assert.equal(a.hello.pid, b.hello.pid, 'both windows talk to the same agent');
    started.add(a.hello.pid);
    if (process.platform === 'linux') {
      // glibc reads its allocator settings only at a process's start (shared/mallocEnv.ts).
      const environ = readFileSync(`/proc/${a.hello.pid}/environ`, 'utf8').split('\0');
      assert.ok(environ.includes('MALLOC_ARENA_MAX=1'), 'the agent starts with one malloc arena');
      assert.ok(environ.includes('MALLOC_TRIM_THRESHOLD_=131072'), 'and a fixed trim threshold');
    }

    // A process to remember, seen by the agent before it dies.
    const sleeper = spawn('sleep', ['300'], { stdio: 'ignore' });
    try {
      await waitFor(async () => {
        const stats = await a.connection.sendRequest(StatsRequest.type, {
          from: Date.now() - 60_000,
          to: Date.now(),
          filter: { pid: sleeper.pid! },
          groupBy: 'identity',
        });
        return stats.rows.length === 1;
      }, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 600)); // a few more ticks into the WAL
      const killedAt = Date.now();
      process.kill(a.hello.pid, 'SIGKILL');
      a.close();
      b.close();

      // The next call brings up a new agent; the history from before the kill is there.
      await waitFor(async () => {
        try {
          process.kill(a.hello.pid, 0);
          return false;
        } catch {
          return true;
        }
      }, 10_000);
      const again = await connectOrStart(launch, log);
      assert.ok(again.spawnedPid, 'a new agent was started');
      started.add(again.spawnedPid);
      const c = await session(again.socket);
      assert.notEqual(c.hello.pid, a.hello.pid);
      const stats = await c.connection.sendRequest(StatsRequest.type, {
        // Stats are minute-precise at the edges unless the range reaches the newest data.
        from: killedAt - 10 * 60_000,
        to: Date.now() + 60_000,
        filter: { pid: sleeper.pid! },
        groupBy: 'identity',
      });
      assert.equal(stats.rows.length, 1, 'the process seen before the kill is in the history');
      assert.ok(stats.rows[0]!.activeSeconds > 0);
      const status = await c.connection.sendRequest(AgentStatusRequest.type, {});
      assert.equal(status.pid, c.hello.pid);
      c.close();
      process.kill(c.hello.pid, 'SIGTERM');
      await waitFor(() => {
        try {
          process.kill(c.hello.pid, 0);
          return false;
        } catch {
          return true;
        }
      }, 20_000);
    } finally {
      sleeper.kill('SIGKILL');
    }
  },
);

test('every start keeps the earlier start logs: one header per start, the reasons of both', async () => {
  // A stand-in for an agent that cannot start: it says why on stderr and exits 1.
  const dataDir = path.join(work.dir, 'failing');
  const script = path.join(work.dir, 'fails.js');
  writeFileSync(
    script,
    'process.stderr.write(`cannot start: reason ${process.env.PT_REASON}\\n`); process.exit(1);\n',
  );
  for (const reason of ['one', 'two']) {
    const launch: AgentLaunch = {
      script,
      nodePath: process.execPath,
      dataDir,
      socketPath: path.join(work.dir, `none-${reason}.sock`),
      extraArgs: [],
      env: { ...process.env, PT_REASON: reason },
      autoStart: true,
      timeoutMs: 20_000,
    };
    await assert.rejects(
      connectOrStart(launch, () => undefined),
      new RegExp(`reason ${reason}`),
    );
  }
  const text = readFileSync(startLogPath(dataDir), 'utf8');
  assert.match(text, /reason one[\s\S]*reason two/);
  assert.equal(text.match(/^=== .* started /gm)?.length, 2, text);
});
