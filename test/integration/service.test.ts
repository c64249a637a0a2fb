// The service over a real socket with the fixture agent (real Sampler, real /proc) as a child process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  createMessageConnection,
  NotificationType,
  RequestType,
  ResponseError,
  SocketMessageReader,
  SocketMessageWriter,
} from 'vscode-jsonrpc/node';
import { connectToAgent, type AgentConnection } from '../../client/connection';
import {
  AgentErrorCodes,
  AgentEventNotification,
  AgentStatusRequest,
  DidSampleNotification,
  HistoryRequest,
  KillRequest,
  ProcessDetailsRequest,
  ProcessesRequest,
  StopRequest,
  SubscribeRequest,
  TopRequest,
  type AgentEvent,
} from '../../shared/protocol';
import {
  bundleFixtureAgent,
  removeDir,
  spawnAgent,
  stopChild,
  tempDir,
  waitFor,
  type AgentChild,
} from '../fixtures/service/harness';

const dir = tempDir('service');
let script = '';
const started: AgentChild[] = [];
const clients: AgentConnection[] = [];

function start(name: string, env: Record<string, string> = {}): { agent: AgentChild; socketPath: string } {
  const socketPath = path.join(dir, name, 'run', 'agent.sock');
  const agent = spawnAgent(script, {
    PT_DATA_DIR: path.join(dir, name, 'data'),
    PT_SOCKET: socketPath,
    PT_INTERVAL_MS: '100',
    ...env,
  });
  started.push(agent);
  return { agent, socketPath };
}

async function connect(socketPath: string, options = {}): Promise<AgentConnection> {
  const client = await connectToAgent({ socketPath }, options);
  assert.ok(client, `no agent at ${socketPath}`);
  clients.push(client);
  return client;
}

before(async () => {
  script = await bundleFixtureAgent(dir);
});
after(async () => {
  for (const client of clients) await client.close();
  for (const agent of started) await stopChild(agent);
  removeDir(dir);
});

describe('agent service', () => {
  let socketPath = '';
  let agent: AgentChild;

  before(async () => {
    ({ agent, socketPath } = start('main'));
    await agent.announced;
  });

  test('two clients at once see the same ticks', async () => {
    const a = await connect(socketPath, { clientName: 'a' });
    const b = await connect(socketPath, { clientName: 'b' });
    const seen = { a: new Map<number, string>(), b: new Map<number, string>() };
    a.onNotification(DidSampleNotification.type, (p) => seen.a.set(p.ts, JSON.stringify(p)));
    b.onNotification(DidSampleNotification.type, (p) => seen.b.set(p.ts, JSON.stringify(p)));
    await a.request(SubscribeRequest.type, { top: 10, sort: 'mem' });
    await b.request(SubscribeRequest.type, { top: 10, sort: 'mem' });
    const common = await waitFor('three ticks seen by both', () => {
      const shared = [...seen.a.keys()].filter((ts) => seen.b.has(ts));
      return shared.length >= 3 && shared;
    });
    for (const ts of common) assert.equal(seen.a.get(ts), seen.b.get(ts));
    const status = await a.request(AgentStatusRequest.type, {});
    assert.equal(status.pid, agent.child.pid);
    assert.ok(status.clients >= 2);
    assert.ok((status.processCount ?? 0) > 5);
    const top = await b.request(TopRequest.type, { n: 5, sort: 'mem', filter: { pid: agent.child.pid! } });
    assert.deepEqual(
      top.rows.map((r) => r.pid),
      [agent.child.pid],
    );
  });

  test("a per-client minimum interval thins that client's ticks only", async () => {
    const slow = await connect(socketPath);
    const fast = await connect(socketPath);
    const slowTs: number[] = [];
    const fastTs: number[] = [];
    slow.onNotification(DidSampleNotification.type, (p) => slowTs.push(p.ts));
    fast.onNotification(DidSampleNotification.type, (p) => fastTs.push(p.ts));
    await slow.request(SubscribeRequest.type, { minIntervalMs: 600, top: 1 });
    await fast.request(SubscribeRequest.type, { top: 1 });
    await waitFor('slow client gets 3 ticks', () => slowTs.length >= 3);
    for (let i = 1; i < slowTs.length; i++) assert.ok(slowTs[i]! - slowTs[i - 1]! >= 600);
    assert.ok(fastTs.length > slowTs.length);
  });

  test('a client that subscribes between ticks gets the newest one at once, after the answer', async () => {
    // One tick at start, the next a minute later: only the subscribe itself can bring a tick soon.
    const quiet = start('between-ticks', { PT_INTERVAL_MS: '60000' });
    await quiet.agent.announced;
    const client = await connect(quiet.socketPath);
    const newest = await waitFor(
      'the first tick',
      async () => (await client.request(TopRequest.type, { n: 1 })).ts,
    );
    const order: string[] = [];
    const delivered = new Promise<number>((resolve) =>
      client.onNotification(DidSampleNotification.type, (p) => {
        order.push(`tick ${p.top.length} rows`);
        resolve(p.ts);
      }),
    );
    await client.request(SubscribeRequest.type, { top: 3, sort: 'mem' });
    order.push('answer');
    const ts = await Promise.race([
      delivered,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no tick within 5 s of subscribing')), 5000),
      ),
    ]);
    assert.equal(ts, newest);
    // The extension takes ticks only once its subscribe is answered: the answer must come first.
    assert.deepEqual(order, ['answer', 'tick 3 rows']);
  });

  test('processes as a tree carry family totals', async () => {
    const client = await connect(socketPath);
    await waitFor('a tick', async () => (await client.request(TopRequest.type, {})).ts !== null);
    const tree = await client.request(ProcessesRequest.type, {
      grouping: 'tree',
      filter: { pid: agent.child.pid! },
    });
    assert.equal(tree.grouping, 'tree');
    if (tree.grouping !== 'tree') return;
    // The agent's ancestors are kept so it shows where it lives; each family counts its descendants.
    let node = tree.roots[0];
    while (node && node.row.pid !== agent.child.pid) {
      assert.equal(node.children.length, 1);
      assert.ok(node.family.count >= 2);
      node = node.children[0];
    }
    assert.equal(node?.family.count, 1);
  });

  test('processes with roots: only the subtrees under those pids, the listed ones as roots', async () => {
    const client = await connect(socketPath);
    // A shell with two sleeping children, in its own process group so all three are ours to kill.
    const shell = spawn('sh', ['-c', 'sleep 120 & sleep 121 & wait'], { stdio: 'ignore', detached: true });
    const lone = spawn('sleep', ['122'], { stdio: 'ignore' });
    try {
      const ask = () =>
        client.request(ProcessesRequest.type, {
          grouping: 'tree',
          sort: 'name',
          roots: [shell.pid!, lone.pid!, 2 ** 31 - 1],
        });
      const tree = await waitFor('the shell and its two children in a tick', async () => {
        const answer = await ask();
        if (answer.grouping !== 'tree') return false;
        const family = answer.roots.find((root) => root.row.pid === shell.pid);
        return family?.children.length === 2 && answer;
      });
      assert.equal(tree.grouping, 'tree');
      if (tree.grouping !== 'tree') return;
      // Nothing else: no ancestors (this test runner), no other process; the dead pid is simply absent.
      assert.deepEqual(tree.roots.map((root) => root.row.pid).sort(), [shell.pid, lone.pid].sort());
      const family = tree.roots.find((root) => root.row.pid === shell.pid)!;
      assert.deepEqual(
        family.children.map((child) => child.row.name),
        ['sleep', 'sleep'],
      );
      assert.equal(family.family.count, 3);
      // The other groupings take the same selection; an empty list selects nothing.
      const flat = await client.request(ProcessesRequest.type, { grouping: 'flat', roots: [shell.pid!] });
      assert.equal(flat.grouping === 'flat' && flat.rows.length, 3);
      const none = await client.request(ProcessesRequest.type, { grouping: 'tree', roots: [] });
      assert.deepEqual(none.grouping === 'tree' && none.roots, []);
    } finally {
      process.kill(-shell.pid!, 'SIGKILL');
      lone.kill('SIGKILL');
    }
  });

  test('processes with a bad roots value: one error naming the field and the fix', async () => {
    const client = await connect(socketPath);
    await assert.rejects(
      client.request(ProcessesRequest.type, { grouping: 'tree', roots: 42 as never }),
      /"roots" must be a list of at most 1000 process ids \(whole numbers from 1 to 2147483647\)/,
    );
    await assert.rejects(
      client.request(ProcessesRequest.type, { grouping: 'tree', roots: [1, 'two' as never] }),
      /"roots\[1\]" must be a whole number from 1 to 2147483647/,
    );
    await assert.rejects(
      client.request(ProcessesRequest.type, { grouping: 'tree', roots: [0] }),
      /"roots\[0\]" must be a whole number from 1 to 2147483647/,
    );
    await assert.rejects(
      client.request(ProcessesRequest.type, {
        grouping: 'tree',
        roots: Array.from({ length: 1001 }, (_, i) => i + 1),
      }),
      /"roots" has 1001 entries; it must be a list of at most 1000 process ids/,
    );
    assert.equal((await client.request(AgentStatusRequest.type, {})).pid, agent.child.pid);
  });

  test('bad params get InvalidParams naming the field; history without a store says so; the agent stays up', async () => {
    const client = await connect(socketPath);
    await assert.rejects(
      client.request(TopRequest.type, { n: -1 }),
      /"n" must be a whole number from 1 to 1000/,
    );
    await assert.rejects(
      client.request(TopRequest.type, { filter: { regex: '(' } }),
      (e: ResponseError<void>) =>
        e.code === AgentErrorCodes.BadInput && /not a valid regular expression/.test(e.message),
    );
    await assert.rejects(
      client.request(ProcessesRequest.type, { grouping: 'pyramid' as never }),
      /"grouping" must be one of flat, category, tree/,
    );
    await assert.rejects(
      client.request(HistoryRequest.type, { metric: 'cpu', from: 10, to: 5 }),
      /before "from"/,
    );
    await assert.rejects(
      client.request(HistoryRequest.type, { metric: 'cpu', from: 0, to: 5 }),
      /history store is not open/,
    );
    assert.equal((await client.request(AgentStatusRequest.type, {})).pid, agent.child.pid);
  });

  test('details: argv, open files, connections, threads; environment only when asked, secrets redacted', async () => {
    const child = spawn(
      process.execPath,
      [
        '-e',
        "require('net').createServer().listen(0,'127.0.0.1',()=>console.log('up'));setInterval(()=>{},1e3)",
        'marker-arg',
      ],
      {
        env: {
          PATH: process.env.PATH,
          MY_API_TOKEN: 'tok-123',
          DB_PASSWORD: 'pw-456',
          PLAIN_SETTING: 'visible',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      await new Promise((resolve) => child.stdout!.once('data', resolve));
      const client = await connect(socketPath);
      const row = await waitFor(
        'the child in a tick',
        async () => (await client.request(TopRequest.type, { filter: { pid: child.pid! } })).rows[0],
      );
      const details = await client.request(ProcessDetailsRequest.type, { identity: row });
      assert.ok(details.argv.includes('marker-arg'));
      assert.equal(details.environment, undefined);
      assert.ok(details.openFiles && details.openFiles.length >= 3);
      assert.ok(details.threads && details.threads.length >= 2);
      assert.ok(
        details.connections?.some(
          (c) => c.protocol === 'tcp' && c.state === 'LISTEN' && c.local.startsWith('127.0.0.1:'),
        ),
        JSON.stringify(details.connections),
      );
      const withEnv = await client.request(ProcessDetailsRequest.type, {
        identity: row,
        includeEnvironment: true,
      });
      assert.equal(withEnv.environment?.PLAIN_SETTING, 'visible');
      assert.equal(withEnv.environment?.MY_API_TOKEN, '<redacted>');
      assert.equal(withEnv.environment?.DB_PASSWORD, '<redacted>');
      assert.ok(!JSON.stringify(withEnv).includes('tok-123') && !JSON.stringify(withEnv).includes('pw-456'));
      await assert.rejects(
        client.request(ProcessDetailsRequest.type, {
          identity: { pid: row.pid, startTime: row.startTime - 60_000 },
        }),
        (e: ResponseError<void>) =>
          e.code === AgentErrorCodes.NotFound && /now belongs to another process/.test(e.message),
      );
      await assert.rejects(
        client.request(ProcessDetailsRequest.type, {
          identity: { pid: row.pid, startTime: row.startTime - 10 },
        }),
        (e: ResponseError<void>) =>
          e.code === AgentErrorCodes.NotFound && /now belongs to another process/.test(e.message),
      );
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('kill refuses a changed identity and signals the right process', async () => {
    const child = spawn('sleep', ['120'], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    try {
      const client = await connect(socketPath);
      const row = await waitFor(
        'the sleeper in a tick',
        async () => (await client.request(TopRequest.type, { filter: { pid: child.pid! } })).rows[0],
      );
      const changed = await client.request(KillRequest.type, {
        identity: { pid: row.pid, startTime: row.startTime + 5_000 },
        signal: 'SIGTERM',
      });
      assert.equal(changed.ok, false);
      assert.equal(!changed.ok && changed.reason, 'changed');
      // One start tick (10 ms) off is another process too: a pid reused moments later must not be hit.
      const oneTickOff = await client.request(KillRequest.type, {
        identity: { pid: row.pid, startTime: row.startTime + 10 },
        signal: 'SIGTERM',
      });
      assert.equal(!oneTickOff.ok && oneTickOff.reason, 'changed');
      assert.equal(child.exitCode, null);
      assert.equal(child.signalCode, null);
      const killed = await client.request(KillRequest.type, {
        identity: { pid: row.pid, startTime: row.startTime },
        signal: 'SIGTERM',
      });
      assert.deepEqual(killed, { ok: true, pid: child.pid, signal: 'SIGTERM' });
      assert.equal(await exited, 'SIGTERM');
      const gone = await client.request(KillRequest.type, {
        identity: { pid: row.pid, startTime: row.startTime },
        signal: 'SIGKILL',
      });
      assert.equal(!gone.ok && gone.reason, 'gone');
      await assert.rejects(
        client.request(KillRequest.type, { identity: row, signal: 'SIGSEGV' as never }),
        /"signal" must be one of/,
      );
    } finally {
      child.kill('SIGKILL');
    }
  });

  test("LSP lifecycle through vscode-jsonrpc: one window's shutdown/exit closes its connection only", async () => {
    const other = await connect(socketPath);
    const socket = net.connect(socketPath);
    await new Promise((resolve) => socket.once('connect', resolve));
    const window = createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket));
    window.listen();
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await assert.rejects(
      window.sendRequest(TopRequest.type, {}),
      (e: ResponseError<void>) => e.code === -32002,
    );
    const init = await window.sendRequest(new RequestType<unknown, any, void>('initialize'), {
      processId: process.pid,
      capabilities: {},
      initializationOptions: { protocolVersion: 1, clientName: 'vscode', clientVersion: '0.1.0' },
    });
    assert.equal(init.processTracker.pid, agent.child.pid);
    assert.equal(init.processTracker.protocolVersion, 1);
    await window.sendNotification(new NotificationType<unknown>('initialized'), {});
    await assert.rejects(
      window.sendRequest(new RequestType<unknown, any, void>('initialize'), { capabilities: {} }),
      /already sent/,
    );
    assert.ok((await window.sendRequest(TopRequest.type, { n: 1 })).rows.length <= 1);
    assert.equal(await window.sendRequest(new RequestType<unknown, null, void>('shutdown'), {}), null);
    await assert.rejects(window.sendRequest(TopRequest.type, {}), /shut down/);
    await window.sendNotification(new NotificationType<unknown>('exit'), {});
    await closed;
    window.dispose();
    assert.equal((await other.request(AgentStatusRequest.type, {})).pid, agent.child.pid);
    assert.equal(agent.child.exitCode, null);
  });

  test('an older client is told to update', async () => {
    await assert.rejects(
      connectToAgent(
        { socketPath },
        { protocolVersion: 0, clientName: 'old-extension', clientVersion: '0.0.1' },
      ),
      (e: ResponseError<void>) =>
        e.code === AgentErrorCodes.ClientTooOld &&
        /old-extension 0\.0\.1 speaks Process Tracker protocol 0.*update the extension or CLI/.test(
          e.message,
        ),
    );
  });

  test('a client that stops reading is dropped while the others keep getting ticks', async () => {
    const small = start('stalled', { PT_MAX_QUEUED_BYTES: String(256 * 1024), PT_INTERVAL_MS: '100' });
    await small.agent.announced;
    const good = await connect(small.socketPath);
    const goodTs: number[] = [];
    good.onNotification(DidSampleNotification.type, (p) => goodTs.push(p.ts));
    await good.request(SubscribeRequest.type, { top: 1 });
    // The stalled client: initializes, subscribes to big ticks, never reads again.
    const stalled = net.connect(small.socketPath);
    await new Promise((resolve) => stalled.once('connect', resolve));
    const send = (message: object) => {
      const body = JSON.stringify({ jsonrpc: '2.0', ...message });
      stalled.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    send({
      id: 1,
      method: 'initialize',
      params: {
        capabilities: {},
        initializationOptions: { protocolVersion: 1, clientName: 'stalled', clientVersion: '0' },
      },
    });
    send({ id: 2, method: 'processTracker/subscribe', params: { top: 200 } });
    stalled.pause();
    const stalledClosed = new Promise((resolve) => stalled.once('close', resolve));
    stalled.on('error', () => {});
    await waitFor(
      'the stalled client dropped',
      () => /client #\d+ \(stalled 0\) stopped reading .*dropping it/.test(small.agent.stderr()),
      60_000,
    );
    stalled.resume();
    await stalledClosed;
    const before = goodTs.length;
    await waitFor('five more ticks for the good client', () => goodTs.length >= before + 5);
    // Ticks kept their cadence while the stalled client's queue grew (a generous bound: a stall would be unbounded).
    const gaps = goodTs.slice(1).map((ts, i) => ts - goodTs[i]!);
    assert.ok(Math.max(...gaps) < 3000, `largest gap between ticks ${Math.max(...gaps)} ms`);
    assert.equal((await good.request(AgentStatusRequest.type, {})).clients, 1);
  });

  test('a client that falls behind is dropped after the time bound, long before the byte bound', async () => {
    // 8 MB of queue would take minutes at these ticks; the lag bound is 2 s.
    const slow = start('lagging', { PT_MAX_LAG_MS: '2000', PT_INTERVAL_MS: '100' });
    await slow.agent.announced;
    const lagging = net.connect(slow.socketPath);
    await new Promise((resolve) => lagging.once('connect', resolve));
    lagging.on('error', () => {});
    const closed = new Promise((resolve) => lagging.once('close', resolve));
    const send = (message: object) => {
      const body = JSON.stringify({ jsonrpc: '2.0', ...message });
      lagging.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    send({
      id: 1,
      method: 'initialize',
      params: {
        capabilities: {},
        initializationOptions: { protocolVersion: 1, clientName: 'lagging', clientVersion: '0' },
      },
    });
    send({ id: 2, method: 'processTracker/subscribe', params: { top: 200 } });
    lagging.pause();
    await waitFor(
      'the lagging client dropped',
      () => /client #\d+ \(lagging 0\) fell \d+ ms behind .*dropping it/.test(slow.agent.stderr()),
      90_000,
    );
    lagging.resume();
    await closed;
  });

  test('connections that never send initialize are closed at the handshake deadline and never lock real clients out', async () => {
    const busy = start('idle-sockets', { PT_HANDSHAKE_MS: '3000' });
    await busy.agent.announced;
    // More silent connections than the 128 clients the agent serves at once.
    const silent: net.Socket[] = [];
    let closedByAgent = 0;
    for (let i = 0; i < 140; i++) {
      const socket = net.connect(busy.socketPath);
      socket.on('error', () => {});
      socket.once('close', () => closedByAgent++);
      await new Promise((resolve) => socket.once('connect', resolve));
      silent.push(socket);
    }
    try {
      const real = await connect(busy.socketPath, { clientName: 'real' });
      assert.equal((await real.request(AgentStatusRequest.type, {})).pid, busy.agent.child.pid);
      await waitFor('every silent connection closed by the agent', () => closedByAgent === 140, 60_000);
      assert.match(busy.agent.stderr(), /no initialize within 3 s/);
      // The real client was not among them.
      assert.equal((await real.request(AgentStatusRequest.type, {})).pid, busy.agent.child.pid);
    } finally {
      for (const socket of silent) socket.destroy();
    }
  });

  test("kill of another user's process reports the OS error plainly", async () => {
    const child = spawn('sleep', ['120'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const client = await connect(socketPath);
      const row = await waitFor(
        'the sleeper in a tick',
        async () => (await client.request(TopRequest.type, { filter: { pid: child.pid! } })).rows[0],
      );
      // The signal is sent by a process running as nobody, against this (root-owned) sleeper.
      const shared = path.join(dir, 'as-nobody');
      mkdirSync(shared, { mode: 0o755 });
      chmodSync(shared, 0o755);
      chmodSync(dir, 0o755);
      const killer = await bundleFixtureAgent(shared, 'killEntry.ts');
      const run = spawn(process.execPath, [killer, String(row.pid), String(row.startTime), 'SIGTERM'], {
        uid: 65534,
        gid: 65534,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      run.stdout!.on('data', (chunk) => (out += chunk));
      await new Promise((resolve) => run.once('exit', resolve));
      chmodSync(dir, 0o700);
      const result = JSON.parse(out);
      assert.equal(result.ok, false);
      assert.equal(result.reason, 'denied');
      assert.match(result.message, /not permitted to send SIGTERM to process \d+ \(EPERM/);
      assert.equal(child.exitCode, null);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  });

  test('with stopAfterIdleMinutes the agent stops that long after its last client leaves', async () => {
    // 4 s of idleness: the agent counts from its start, and on a loaded CI machine the connect
    // below once came more than the 1 s this test used to allow, after the agent had gone.
    const idle = start('idle', { PT_IDLE_MINUTES: String(4 / 60) });
    await idle.agent.announced;
    const client = await connectToAgent({ socketPath: idle.socketPath });
    assert.ok(client, 'connected within the idle time');
    // Connected for longer than the idle time: a connected client keeps it running.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    assert.equal(idle.agent.child.exitCode, null);
    await client.close();
    assert.equal(await idle.agent.exited, 0);
    assert.match(idle.agent.stderr(), /no clients for .* min: stopping/);
  });

  test('stop answers, tells clients, and the agent exits 0', async () => {
    const own = start('stop');
    await own.agent.announced;
    const client = await connect(own.socketPath);
    const events: AgentEvent[] = [];
    const stopping = new Promise<void>((resolve) =>
      client.onNotification(AgentEventNotification.type, (e) => {
        events.push(e);
        if (e.kind === 'stopping') resolve();
      }),
    );
    assert.deepEqual(await client.request(StopRequest.type, {}), { pid: own.agent.child.pid });
    assert.equal(await own.agent.exited, 0);
    // The agent wrote the notification before it exited, but this process may hear of the exit
    // before it has read the socket (a CI run saw no event yet): wait for it, within a bound.
    await Promise.race([stopping, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    assert.deepEqual(events, [{ kind: 'stopping', pid: own.agent.child.pid }]);
    assert.equal(await connectToAgent({ socketPath: own.socketPath }), undefined, 'no agent after stop');
  });
});

describe('single instance and the socket folder', () => {
  test('a stale socket (agent killed with -9) is removed and the new agent serves', async () => {
    const first = start('stale');
    await first.agent.announced;
    first.agent.child.kill('SIGKILL');
    await first.agent.exited;
    assert.equal(await connectToAgent({ socketPath: first.socketPath }), undefined);
    const second = spawnAgent(script, {
      PT_DATA_DIR: path.join(dir, 'stale', 'data'),
      PT_SOCKET: first.socketPath,
    });
    started.push(second);
    const announced = await second.announced;
    assert.equal(announced.serving?.pid, second.child.pid);
    assert.match(second.stderr(), /removing stale agent socket/);
    const client = await connect(first.socketPath);
    assert.equal(client.agent.pid, second.child.pid);
  });

  test('kill -9 the agent: the next agent serves the same socket and the history from before is there', async () => {
    const journal = path.join(dir, 'journal-killed');
    const first = start('killed', { PT_STORE: '1', PT_JOURNAL: journal });
    await first.agent.announced;
    await waitFor('samples before the kill', () => readLines(journal).length >= 5);
    first.agent.child.kill('SIGKILL');
    await first.agent.exited;
    const before = readLines(journal);
    const second = spawnAgent(script, {
      PT_DATA_DIR: path.join(dir, 'killed', 'data'),
      PT_SOCKET: first.socketPath,
      PT_INTERVAL_MS: '100',
      PT_STORE: '1',
    });
    started.push(second);
    assert.equal((await second.announced).serving?.pid, second.child.pid);
    const client = await connect(first.socketPath);
    const history = await client.request(HistoryRequest.type, {
      metric: 'machineMem',
      from: before[0]!,
      to: before.at(-1)!,
      maxPoints: 10_000,
    });
    const stored = new Set(history.series.flatMap((series) => series.points.map((point) => point.ts)));
    // The store's write-ahead log may lose at most the tick being written at the instant of the kill.
    const missing = before.slice(0, -1).filter((ts) => !stored.has(ts));
    assert.deepEqual(missing, []);
  });

  test('a socket folder open to others, or owned by someone else, is refused with a clear message', async () => {
    for (const [name, spoil, message] of [
      [
        'mode',
        (d: string) => chmodSync(d, 0o755),
        /socket folder .* is open to group or others \(mode 755\): run chmod 700/,
      ],
      [
        'owner',
        (d: string) => chownSync(d, 65534, 65534),
        /socket folder .* is owned by uid 65534, not by you/,
      ],
    ] as const) {
      const runDir = path.join(dir, `bad-${name}`, 'run');
      mkdirSync(runDir, { recursive: true, mode: 0o700 });
      spoil(runDir);
      const agent = spawnAgent(script, {
        PT_DATA_DIR: path.join(dir, `bad-${name}`, 'data'),
        PT_SOCKET: path.join(runDir, 'agent.sock'),
      });
      started.push(agent);
      assert.equal(await agent.exited, 1);
      assert.match(agent.stderr(), message);
    }
  });

  test('handover: a newer agent takes over from an older one with no samples lost', async () => {
    const base = path.join(dir, 'handover');
    const socketPath = path.join(base, 'run', 'agent.sock');
    const journalOld = path.join(dir, 'journal-old');
    const journalNew = path.join(dir, 'journal-new');
    const env = {
      PT_DATA_DIR: path.join(base, 'data'),
      PT_SOCKET: socketPath,
      PT_INTERVAL_MS: '100',
      PT_STORE: '1',
    };
    const old = spawnAgent(script, { ...env, PT_VERSION: '0.1.0', PT_JOURNAL: journalOld });
    started.push(old);
    await old.announced;
    const watcher = await connect(socketPath);
    const events: AgentEvent[] = [];
    watcher.onNotification(AgentEventNotification.type, (e) => events.push(e));
    await waitFor('old agent samples', () => readLines(journalOld).length >= 3);
    // An equal or older version does not take over.
    const same = spawnAgent(script, { ...env, PT_VERSION: '0.1.0' });
    started.push(same);
    assert.equal((await same.announced).alreadyServing?.pid, old.child.pid);
    const newer = spawnAgent(script, { ...env, PT_VERSION: '0.2.0', PT_JOURNAL: journalNew });
    started.push(newer);
    const announced = await newer.announced;
    assert.equal(announced.serving?.pid, newer.child.pid);
    assert.equal(announced.serving?.tookOverFrom?.pid, old.child.pid);
    assert.equal(await old.exited, 0);
    await waitFor('new agent samples', () => readLines(journalNew).length >= 3);
    const oldTs = readLines(journalOld);
    const newTs = readLines(journalNew);
    // Every sample the old agent took was stored and reported; the new one continues after it.
    assert.equal(announced.serving.tookOverFrom.lastSampleTs, oldTs.at(-1));
    assert.ok(newTs[0]! > oldTs.at(-1)!);
    assert.deepEqual(
      events.map((e) => e.kind),
      ['handover'],
    );
    const client = await connect(socketPath);
    assert.equal(client.agent.agentVersion, '0.2.0');
    // The new agent's store (opened after the old one's final flush) holds every old sample, then its own.
    const history = await client.request(HistoryRequest.type, {
      metric: 'machineMem',
      from: oldTs[0]!,
      to: Date.now(),
      maxPoints: 10_000,
    });
    assert.equal(history.resolution.tier, 'raw');
    const stored = new Set(history.series.flatMap((series) => series.points.map((point) => point.ts)));
    const missing = oldTs.filter((ts) => !stored.has(ts));
    assert.deepEqual(missing, [], `old samples missing from the store: ${missing.length} of ${oldTs.length}`);
    assert.ok(
      newTs.some((ts) => stored.has(ts)),
      'new samples are stored too',
    );
  });
});

function readLines(file: string): number[] {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
