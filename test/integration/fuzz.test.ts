// More than 10,000 hostile messages — malformed JSON, wrong types, huge strings, deep nesting, bad
// headers, binary junk — against the fixture agent on a real socket. The agent must keep answering
// a well-behaved client throughout and afterwards. The seed is fixed so a failure replays.
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { connectToAgent, type AgentConnection } from '../../client/connection';
import {
  AgentStatusRequest,
  DidSampleNotification,
  SubscribeRequest,
  TopRequest,
  type AgentStatus,
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
import { mulberry32 as random } from '../../shared/random';

const TOTAL = 10_500;
const SEED = 0x5eed1234;

// Stop, handover and export are real actions (they end the agent or write files), not malformed input;
// kill is fuzzed with identities that cannot match a live process (start time 0 is 1970).
const METHODS = [
  'processTracker/top',
  'processTracker/processes',
  'processTracker/processDetails',
  'processTracker/history',
  'processTracker/stats',
  'processTracker/at',
  'processTracker/panelDataset',
  'processTracker/processPage',
  'processTracker/status',
  'processTracker/subscribe',
  'processTracker/unsubscribe',
  'processTracker/kill',
  'initialize',
  'initialized',
  'shutdown',
  '$/cancelRequest',
  '$/setTrace',
  'processTracker/nope',
  '',
  'x'.repeat(500),
];

class Fuzzer {
  readonly rnd = random(SEED);
  counts = { sent: 0, fatal: 0, connections: 0, answers: 0 };

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rnd() * items.length)]!;
  }

  int(max: number): number {
    return Math.floor(this.rnd() * max);
  }

  value(depth = 0): unknown {
    const r = this.int(depth > 3 ? 7 : 10);
    switch (r) {
      case 0:
        return null;
      case 1:
        return this.rnd() < 0.5;
      case 2:
        return this.pick([0, -1, 1.5, 2 ** 31, -(2 ** 53), 1e308, 42, 1_700_000_000_000]);
      case 3:
        return this.pick(['', 'cpu', 'tree', 'SIGTERM', 'SIGKILL', '(', '.*', '\u0000', '\ud800', 'é🙂']);
      case 4:
        return 'x'.repeat(this.int(3000));
      case 5:
        return this.int(100);
      case 6:
        return { pid: this.pick([1, process.pid, -5, 'x', 0]), startTime: 0 };
      case 7:
        return Array.from({ length: this.int(4) }, () => this.value(depth + 1));
      default: {
        const keys = [
          'n',
          'sort',
          'filter',
          'grouping',
          'identity',
          'signal',
          'from',
          'to',
          'ts',
          'metric',
          'top',
          'minIntervalMs',
          'regex',
          'pid',
          'category',
          'includeEnvironment',
          'maxPoints',
          'name',
          'views',
          'roots',
          'id',
          'since',
          'tier',
          'known',
          'topN',
          'rows',
        ];
        const object: Record<string, unknown> = {};
        for (let i = this.int(5); i > 0; i--) object[this.pick(keys)] = this.value(depth + 1);
        return object;
      }
    }
  }

  frame(body: string | Buffer): Buffer {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`), bytes]);
  }

  request(): string {
    const message: Record<string, unknown> = {
      jsonrpc: '2.0',
      method: this.pick(METHODS),
      params: this.value(),
    };
    if (this.rnd() < 0.8) message.id = this.pick([this.int(1e6), `s${this.int(1e6)}`]);
    return JSON.stringify(message);
  }

  /** One hostile (or, sometimes, valid) message; `fatal` when the agent should close the stream. */
  next(): { bytes: Buffer; fatal: boolean } {
    const kind = this.int(100);
    if (kind < 30) return { bytes: this.frame(this.request()), fatal: false }; // wrong types, unknown methods
    if (kind < 45) {
      const text = this.request();
      const cut = this.int(text.length);
      const mangled =
        this.rnd() < 0.5
          ? text.slice(0, cut)
          : text.slice(0, cut) +
            this.pick(['}', ',', '"', '\\', 'undefined', 'NaN', '\u0000']) +
            text.slice(cut + 1);
      return { bytes: this.frame(mangled), fatal: false }; // malformed JSON (or, by chance, still valid)
    }
    if (kind < 55) {
      const depth = 65 + this.int(20_000);
      const open = this.rnd() < 0.5 ? '[' : '{"a":';
      const close = open === '[' ? ']' : '}';
      return {
        bytes: this.frame(
          `{"jsonrpc":"2.0","id":1,"method":"processTracker/top","params":${open.repeat(depth)}1${close.repeat(depth)}}`,
        ),
        fatal: false,
      };
    }
    if (kind < 57) {
      const huge = 'h'.repeat(100_000 + this.int(900_000));
      const key = this.pick(['regex', 'user', 'sort', 'name']);
      return {
        bytes: this.frame(
          `{"jsonrpc":"2.0","id":2,"method":"processTracker/top","params":{"filter":{"${key}":"${huge}"}}}`,
        ),
        fatal: false,
      };
    }
    if (kind < 67)
      return {
        bytes: this.frame(
          JSON.stringify(
            this.pick([
              42,
              'str',
              null,
              [],
              [{ jsonrpc: '2.0', id: 1, method: 'processTracker/top' }],
              { jsonrpc: '1.0', id: 1, method: 'x' },
              { id: 3 },
              { jsonrpc: '2.0', id: 4, result: 1 },
            ]),
          ),
        ),
        fatal: false,
      };
    if (kind < 72) {
      const junk = Buffer.alloc(1 + this.int(300));
      for (let i = 0; i < junk.length; i++) junk[i] = this.int(256);
      return { bytes: this.frame(junk), fatal: false }; // binary body in a valid frame
    }
    if (kind < 90) {
      // A notification: no answer expected, never an error.
      return {
        bytes: this.frame(
          JSON.stringify({
            jsonrpc: '2.0',
            method: this.pick(METHODS.filter((m) => m !== 'exit')),
            params: this.value(),
          }),
        ),
        fatal: false,
      };
    }
    const header = this.pick([
      'Content-Length: 2097152\r\n\r\n',
      'Content-Length: 99999999999\r\n\r\n',
      'Content-Length: abc\r\n\r\n',
      'Content-Type: application/json\r\n\r\n{}',
      'no colon here\r\n\r\n',
      'Content-Length: 5\r\nContent-Type: application/json; charset=latin1\r\n\r\nhello',
      `X-Junk: ${'y'.repeat(10_000)}`,
    ]);
    return { bytes: Buffer.from(header), fatal: true };
  }
}

const dir = tempDir('fuzz');
let agent: AgentChild;
let healthy: AgentConnection | undefined;

before(async () => {
  const script = await bundleFixtureAgent(dir);
  agent = spawnAgent(script, {
    PT_DATA_DIR: path.join(dir, 'data'),
    PT_SOCKET: path.join(dir, 'run', 'agent.sock'),
    PT_INTERVAL_MS: '200',
  });
  await agent.announced;
});
after(async () => {
  if (process.env.PT_FUZZ_DEBUG) process.stderr.write(agent.stderr().slice(-5000));
  await healthy?.close();
  await stopChild(agent);
  removeDir(dir);
});

function openConnection(
  socketPath: string,
  fuzzer: Fuzzer,
): Promise<{ socket: net.Socket; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    fuzzer.counts.connections++;
    socket.on('data', (chunk) => {
      fuzzer.counts.answers += chunk.toString('latin1').split('Content-Length:').length - 1;
    });
    socket.on('error', () => {});
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

test(`${TOTAL} fuzzed messages leave the agent answering`, { timeout: 600_000 }, async (t) => {
  const socketPath = path.join(dir, 'run', 'agent.sock');
  healthy = await connectToAgent({ socketPath });
  assert.ok(healthy);
  const ticks: number[] = [];
  healthy.onNotification(DidSampleNotification.type, (p) => ticks.push(p.ts));
  await healthy.request(SubscribeRequest.type, { top: 5 });

  const fuzzer = new Fuzzer();
  while (fuzzer.counts.sent < TOTAL) {
    const { socket, closed } = await openConnection(socketPath, fuzzer);
    if (fuzzer.rnd() < 0.7) {
      socket.write(
        fuzzer.frame(
          JSON.stringify({
            jsonrpc: '2.0',
            id: 0,
            method: 'initialize',
            params: {
              capabilities: {},
              initializationOptions: { protocolVersion: 1, clientName: 'fuzz', clientVersion: '0' },
            },
          }),
        ),
      );
    }
    let fatal = false;
    let last = '';
    let endedEarly = false;
    socket.once('end', () => (endedEarly = !fatal));
    for (let i = 0; i < 200 && !fatal && fuzzer.counts.sent < TOTAL; i++) {
      const message = fuzzer.next();
      fatal = message.fatal;
      fuzzer.counts.sent++;
      if (endedEarly) {
        assert.fail(
          `the agent closed a stream without a bad header; last message: ${last}\n${agent.stderr().slice(-2000)}`,
        );
      }
      last = message.bytes.subarray(0, 300).toString('latin1');
      if (!socket.write(message.bytes)) await new Promise((resolve) => socket.once('drain', resolve));
    }
    if (fatal) {
      fuzzer.counts.fatal++;
      await Promise.race([
        closed,
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('agent kept a stream with a bad header open')), 20_000),
        ),
      ]);
    } else {
      socket.end();
      await closed;
    }
    if (fuzzer.counts.connections % 5 === 0) {
      let status: AgentStatus;
      try {
        status = await healthy.request(AgentStatusRequest.type, {});
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${agent.stderr().slice(-3000)}`, { cause: error });
      }
      assert.equal(status.pid, agent.child.pid);
    }
  }

  t.diagnostic(JSON.stringify(fuzzer.counts));
  assert.ok(fuzzer.counts.sent >= 10_000);
  assert.ok(fuzzer.counts.fatal > 100, `only ${fuzzer.counts.fatal} bad headers sent`);
  assert.ok(fuzzer.counts.answers > 3000, `only ${fuzzer.counts.answers} answers came back`);
  assert.equal(agent.child.exitCode, null, 'the agent is still running');
  const before = ticks.length;
  await waitFor('ticks keep coming to the healthy client', () => ticks.length >= before + 3);
  const top = await healthy.request(TopRequest.type, { n: 3 });
  assert.equal(top.rows.length, 3);
  const check = await connectToAgent({ socketPath });
  assert.equal(check?.agent.pid, agent.child.pid, 'new clients are still accepted');
  await check?.close();
  assert.doesNotMatch(agent.stderr(), /uncaught|unhandled|TypeError|RangeError|heap out of memory/i);
});
