// The real bundled agent (dist/agent.js, `process-tracker run`) as child processes on a real socket:
// ten started at once, round after round; and a handover from an older build of the same agent
// with the store on disk proving that no sample was lost. (serviceStarters.test.ts and the
// service suite's handover test run a fixture agent; these run the agent users run.)
//   PT_BINARY_STARTER_ROUNDS raises the number of rounds (default and minimum 20) for longer runs.
// dist/agent.js is used when it is newer than every source file; else the source is bundled here.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as esbuild from 'esbuild';
import { VERSION } from '../../agent/cli/version';
import { silentLogger } from '../../agent/log';
import { connectToAgent, type AgentConnection } from '../../client/connection';
import { socketPathFor } from '../../client/socketDir';
import { compareVersions } from '../../agent/service/version';
import { Store } from '../../agent/store';
import {
  AgentEventNotification,
  AgentStatusRequest,
  DidSampleNotification,
  StopRequest,
  SubscribeRequest,
  type AgentEvent,
} from '../../shared/protocol';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { bundleForNode } from '../fixtures/service/harness';
import { childEnv } from '../harness/childEnv';
import { AGENT, tempDir, waitFor } from './agentHarness';

const ROOT = path.resolve(__dirname, '..', '..');
const ROUNDS = Math.max(20, Number(process.env.PT_BINARY_STARTER_ROUNDS ?? 20));
const STARTERS = 10;
const OLDER_VERSION = '0.0.9';

const work = tempDir('pt-agent-binary-');
/** Every agent we spawn, so that `after` can kill (by pid) whatever a failed test left running. */
const spawned: ChildProcess[] = [];

after(async () => {
  const running = spawned.filter((child) => child.exitCode === null && child.signalCode === null);
  await Promise.all(
    running.map((child) => {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      return gone;
    }),
  );
  work.remove();
});

// ---------------------------------------------------------------------------------------------
// The agent bundles.

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Bundles agent/main.ts as esbuild.mjs does, optionally with agent/cli/version.ts replaced. */
async function bundleAgent(outDir: string, version?: string): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, 'agent.js');
  let versionReplaced = false;
  const olderVersion: esbuild.Plugin = {
    name: 'agent-version',
    setup(build) {
      build.onLoad({ filter: /[\\/]agent[\\/]cli[\\/]version\.ts$/ }, () => {
        versionReplaced = true;
        return { contents: `export const VERSION = ${JSON.stringify(version)};\n`, loader: 'ts' };
      });
    },
  };
  await bundleForNode(
    path.join(ROOT, 'agent', 'main.ts'),
    outfile,
    version === undefined ? [] : [olderVersion],
  );
  if (version !== undefined) assert.ok(versionReplaced, 'the build never loaded agent/cli/version.ts');
  return outfile;
}

/**
 * dist/agent.js when it is at least as new as every source file under agent/ and shared/; else
 * the current source bundled into our temp dir (dist/ is left alone: others may be running it).
 */
async function currentAgent(): Promise<string> {
  const sources = Math.max(newestMtime(path.join(ROOT, 'agent')), newestMtime(path.join(ROOT, 'shared')));
  if (existsSync(AGENT) && statSync(AGENT).mtimeMs >= sources) return AGENT;
  return bundleAgent(path.join(work.dir, 'current'));
}

// ---------------------------------------------------------------------------------------------
// Running `process-tracker run`.

interface RunChild {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  /** Serving: it logged that it records (socket claimed, store open, scheduler started). */
  recording(): boolean;
  done(): boolean;
  /** Resolves once it records or has exited (output read to the end), whichever comes first. */
  settled: Promise<void>;
}

function runAgent(script: string, dataDir: string, env: NodeJS.ProcessEnv, extra: string[] = []): RunChild {
  const child = spawn(process.execPath, [script, 'run', '--quiet', '--data-dir', dataDir, ...extra], {
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned.push(child);
  let stdout = '';
  let stderr = '';
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const recording = () => /recording every /.test(stderr);
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (recording()) settle();
  });
  // 'close', not 'exit': by then everything it printed has been read.
  let closed = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      closed = true;
      settle();
      resolve(code);
    }),
  );
  const done = () => closed;
  return {
    child,
    pid: child.pid!,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    recording,
    done,
    settled,
  };
}

/** Waits until every agent records or has exited; fails after `timeoutMs` with what they printed. */
async function allSettled(agents: RunChild[], timeoutMs = 60_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const outputs = agents.map((a) => `[${a.pid}] ${a.stdout()}${a.stderr()}`).join('\n');
      reject(new Error(`agents neither recording nor exited within ${timeoutMs} ms:\n${outputs}`));
    }, timeoutMs);
  });
  try {
    await Promise.race([Promise.all(agents.map((a) => a.settled)), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** What a starter that found another agent serving printed: `… pid N, version V, socket S`. */
function namedServer(stdout: string): { pid: number; version: string; socket: string } | undefined {
  const match = /an agent already records .*: pid (\d+), version (\S+), socket (\S+)/.exec(stdout);
  return match ? { pid: Number(match[1]), version: match[2]!, socket: match[3]! } : undefined;
}

/** Ticks stored in `dataDir`'s files, read with the agent's own store, read-only. */
async function storedTicks(dataDir: string, from: number, intervalMs: number): Promise<number[]> {
  const store = await Store.open({
    ...DEFAULT_SETTINGS,
    dataDir,
    intervalMs,
    readOnly: true,
    log: silentLogger,
  });
  try {
    const history = store.series({
      metric: 'machineMem',
      from,
      to: Date.now() + 60_000,
      maxPoints: 1_000_000,
    });
    assert.equal(history.resolution.tier, 'raw', 'every tick comes from the raw tier');
    const ticks = [...new Set(history.series.flatMap((series) => series.points.map((point) => point.ts)))];
    return ticks.sort((a, b) => a - b);
  } finally {
    await store.close();
  }
}

/** Files the store moved aside as corrupt, anywhere under the data dir. */
function corruptFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...corruptFiles(full));
    else if (entry.name.includes('.corrupt-')) found.push(full);
  }
  return found;
}

function agentEnv(base: string): NodeJS.ProcessEnv {
  // A private socket folder and config folder (no user alert rules), no data dir from the caller.
  return {
    XDG_RUNTIME_DIR: path.join(base, 'run'),
    XDG_CONFIG_HOME: path.join(base, 'config'),
    PROCESS_TRACKER_DATA_DIR: '',
  };
}

function pendingTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

async function connect(socketPath: string): Promise<AgentConnection> {
  const client = await connectToAgent(
    { socketPath },
    { clientName: 'agent-binary-test', clientVersion: VERSION },
  );
  assert.ok(client, `no agent answers on ${socketPath}`);
  return client;
}

/**
 * Waits until the agent has taken at least `ticks` ticks; returns how many it has taken and the
 * latest one's time (both from one status answer, so exactly `taken` ticks are at or before it).
 */
async function waitForTicks(
  client: AgentConnection,
  ticks: number,
): Promise<{ taken: number; lastTs: number }> {
  let taken = 0;
  let lastTs = 0;
  await waitFor(
    async () => {
      const status = await client.request(AgentStatusRequest.type, {});
      taken = status.sampling?.ticks ?? 0;
      lastTs = status.lastSampleTs ?? 0;
      return taken >= ticks && lastTs > 0;
    },
    30_000,
    () => `waiting for ${ticks} ticks`,
  );
  return { taken, lastTs };
}

// ---------------------------------------------------------------------------------------------

let script = '';
before(async () => {
  script = await currentAgent();
});

describe('the real agent binary', () => {
  test(`${STARTERS} agents started at once, ${ROUNDS} rounds: exactly one serves, the rest exit 0 naming it`, async () => {
    const base = path.join(work.dir, 'starters');
    const env = agentEnv(base);
    const dataDir = path.join(base, 'data');
    const socketPath = socketPathFor(dataDir, { XDG_RUNTIME_DIR: env.XDG_RUNTIME_DIR });
    const startedAt = Date.now();
    // Short, so that each round's agent records its first tick soon after it starts.
    const intervalMs = 100;
    const interval = ['--interval', `${intervalMs}ms`];
    /** The latest tick each round's agent had stored when it was stopped or killed. */
    const recorded: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const starters = Array.from({ length: STARTERS }, () => runAgent(script, dataDir, env, interval));
      await allSettled(starters);
      const serving = starters.filter((s) => !s.done());
      const outcomes = () =>
        starters.map((s) => `[${s.pid}] exit ${s.child.exitCode}: ${s.stdout()}${s.stderr()}`);
      assert.equal(serving.length, 1, `round ${round}: ${outcomes().join('\n')}`);
      const winner = serving[0]!;
      for (const starter of starters) {
        if (starter === winner) continue;
        assert.equal(await starter.exited, 0, `round ${round}: ${outcomes().join('\n')}`);
        const named = namedServer(starter.stdout());
        assert.ok(
          named,
          `round ${round}: starter ${starter.pid} does not say who serves: ${starter.stdout()}`,
        );
        assert.equal(named.pid, winner.pid, `round ${round}: starter ${starter.pid} names another agent`);
        assert.equal(named.version, VERSION);
        assert.equal(named.socket, socketPath);
      }
      // The one that serves answers on the socket, and records.
      const timersBefore = pendingTimers();
      const client = await connect(socketPath);
      assert.equal(client.agent.pid, winner.pid);
      recorded.push((await waitForTicks(client, 1)).lastTs);
      if (round % 2 === 0 && round < ROUNDS - 1) {
        // Killed: the next round's starters find a stale socket, and the store a log to replay.
        await client.close();
        // A closed connection keeps nothing alive: the starters above, and every CLI command that
        // asks the agent, exit as soon as they are done rather than when a leftover timer fires.
        assert.equal(pendingTimers(), timersBefore, 'the closed connection left a timer pending');
        winner.child.kill('SIGKILL');
        await winner.exited;
        assert.ok(existsSync(socketPath), 'a killed agent leaves its socket behind');
      } else {
        await client.request(StopRequest.type, {});
        await client.close();
        assert.equal(await winner.exited, 0, winner.stderr());
      }
    }
    const elapsed = Date.now() - startedAt;
    // The store every round's agent wrote into (half of them killed with -9) opens and holds
    // each round's ticks.
    assert.deepEqual(corruptFiles(dataDir), []);
    const stored = new Set(await storedTicks(dataDir, startedAt, intervalMs));
    const missing = recorded.filter((ts) => !stored.has(ts));
    assert.deepEqual(missing, [], `ticks missing from the store: ${missing.length} of ${recorded.length}`);
    process.stderr.write(`# ${ROUNDS} rounds of ${STARTERS} starters: ${(elapsed / 1000).toFixed(1)} s\n`);
  });

  test('an older agent hands over to the current one: no tick is lost, the old one exits 0', async () => {
    const older = await startOlderAgent('handover');
    const current = runAgent(script, older.dataDir, older.env, older.interval);
    await allSettled([current]);
    assert.equal(current.done(), false, current.stderr());
    const { toPid } = await checkHandover(older, current);
    assert.equal(toPid, current.pid);
    const took = `took over from agent ${older.agent.pid} (version ${OLDER_VERSION})`;
    assert.ok(current.stderr().includes(took), current.stderr());
  });

  test(`${STARTERS} current agents started at once against an older one: one takes over, the rest name it`, async () => {
    // After an update every open window may start the new agent at the same moment.
    const older = await startOlderAgent('handover-many');
    const starters = Array.from({ length: STARTERS }, () =>
      runAgent(script, older.dataDir, older.env, older.interval),
    );
    await allSettled(starters);
    const outcomes = () =>
      starters.map((s) => `[${s.pid}] exit ${s.child.exitCode}: ${s.stdout()}${s.stderr()}`);
    const serving = starters.filter((s) => !s.done());
    assert.equal(serving.length, 1, outcomes().join('\n'));
    const winner = serving[0]!;
    for (const starter of starters) {
      if (starter === winner) continue;
      assert.equal(await starter.exited, 0, outcomes().join('\n'));
      assert.equal(namedServer(starter.stdout())?.pid, winner.pid, outcomes().join('\n'));
    }
    const { toPid } = await checkHandover(older, winner);
    assert.ok(
      starters.some((s) => s.pid === toPid),
      `the old agent handed over to ${toPid}, not one of the starters`,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Handover helpers.

interface OlderAgent {
  agent: RunChild;
  dataDir: string;
  env: NodeJS.ProcessEnv;
  intervalMs: number;
  interval: string[];
  testStart: number;
  watcher: AgentConnection;
  /** Ticks the old agent reported to the watcher. */
  seen: number[];
  events: AgentEvent[];
  /** The old agent's own count of ticks taken, all at or before `takenUpTo`. */
  taken: number;
  takenUpTo: number;
  /** The watcher's connection ended (the old agent closes it after handing over). */
  watcherClosed: Promise<void>;
}

let olderScript: Promise<string> | undefined;

/** An older build of this agent recording into a fresh data dir, watched tick by tick. */
async function startOlderAgent(name: string): Promise<OlderAgent> {
  assert.ok(
    compareVersions(VERSION, OLDER_VERSION) > 0,
    `this build (${VERSION}) must be newer than ${OLDER_VERSION}`,
  );
  olderScript ??= bundleAgent(path.join(work.dir, 'older'), OLDER_VERSION);
  const testStart = Date.now();
  const base = path.join(work.dir, name);
  const env = agentEnv(base);
  const dataDir = path.join(base, 'data');
  // The new agent’s first recorded tick comes a quarter second after it starts (its first sample is
  // the baseline for rates): an interval of 1 s keeps that inside the gap's bound with room to spare.
  const intervalMs = 1000;
  const interval = ['--interval', `${intervalMs}ms`];
  const agent = runAgent(await olderScript, dataDir, env, interval);
  await allSettled([agent]);
  assert.equal(agent.done(), false, agent.stderr());
  // A client that sees every tick the old agent takes, and the handover event.
  const watcher = await connect(socketPathFor(dataDir, { XDG_RUNTIME_DIR: env.XDG_RUNTIME_DIR }));
  assert.equal(watcher.agent.agentVersion, OLDER_VERSION);
  const watcherClosed = new Promise<void>((resolve) => watcher.onClose(resolve));
  const seen: number[] = [];
  const events: AgentEvent[] = [];
  watcher.onNotification(DidSampleNotification.type, (tick) => seen.push(tick.ts));
  watcher.onNotification(AgentEventNotification.type, (event) => events.push(event));
  await watcher.request(SubscribeRequest.type, { minIntervalMs: 0, top: 1 });
  // The ticks taken before the watcher's first are accounted for by count: exactly `taken` of
  // them, none later than `takenUpTo`; every later one reaches the watcher.
  const { taken, lastTs: takenUpTo } = await waitForTicks(watcher, 2);
  await waitFor(
    () => seen.filter((ts) => ts > takenUpTo).length >= 3,
    30_000,
    () => agent.stderr(),
  );
  return {
    agent,
    dataDir,
    env,
    intervalMs,
    interval,
    testStart,
    watcher,
    watcherClosed,
    seen,
    events,
    taken,
    takenUpTo,
  };
}

/**
 * `current` took over from the older agent: the old one exited 0 after telling its client once,
 * and the store on disk holds every tick the old agent took, then the new agent's, with a gap
 * across the handover of at most two intervals plus the handover's own length.
 */
async function checkHandover(older: OlderAgent, current: RunChild): Promise<{ toPid: number }> {
  const { agent: old, dataDir, intervalMs, seen, taken, takenUpTo } = older;
  assert.equal(await old.exited, 0, old.stderr());
  await older.watcherClosed;
  // Told once, naming the starter it released the socket to (the one that serves, unless another
  // starter listened first once the socket was free).
  assert.equal(older.events.length, 1, JSON.stringify(older.events));
  const [event] = older.events;
  assert.ok(event?.kind === 'handover', JSON.stringify(event));
  assert.equal(event.fromPid, old.pid);
  assert.equal(event.toVersion, VERSION);
  await older.watcher.close();

  const client = await connect(older.watcher.socketPath);
  assert.equal(client.agent.pid, current.pid);
  assert.equal(client.agent.agentVersion, VERSION);
  await waitForTicks(client, 2);
  await client.request(StopRequest.type, {});
  await client.close();
  assert.equal(await current.exited, 0, current.stderr());

  // The handover's length, from the old agent's "handing over" to the new one's "recording" (agent.log).
  const log = readFileSync(path.join(dataDir, 'agent.log'), 'utf8').split('\n');
  const at = (line: string) => Date.parse(line.slice(0, line.indexOf(' ')));
  const handingOver = log.findIndex((line) => line.includes('handing over to agent '));
  assert.ok(handingOver >= 0, 'the old agent logged the handover');
  const recordingLine = log.slice(handingOver).find((line) => line.includes('recording every'));
  assert.ok(recordingLine, 'the new agent logged that it records');
  const handoverMs = at(recordingLine) - at(log[handingOver]!);

  // From the files on disk. The new agent's ticks are those from its "recording" line on (it
  // samples after logging it); the old agent's all came before (it stopped before answering).
  const ticks = await storedTicks(dataDir, older.testStart, intervalMs);
  const oldTicks = ticks.filter((ts) => ts < at(recordingLine));
  const newTicks = ticks.filter((ts) => ts >= at(recordingLine));
  assert.equal(
    oldTicks.filter((ts) => ts <= takenUpTo).length,
    taken,
    'the store holds every tick the old agent took before the watcher counted them',
  );
  assert.deepEqual(
    oldTicks.filter((ts) => ts > takenUpTo),
    seen.filter((ts) => ts > takenUpTo),
    'the store holds exactly the ticks the old agent reported after that, to its last',
  );
  assert.ok(newTicks.length >= 2, `the new agent's ticks are stored (${newTicks.length})`);
  const gap = newTicks[0]! - oldTicks.at(-1)!;
  process.stderr.write(
    `# handover: ${handoverMs} ms (old agent's "handing over" to new agent's "recording"); tick gap across it ${gap} ms at ${intervalMs} ms interval\n`,
  );
  assert.ok(
    gap <= 2 * intervalMs + handoverMs,
    `gap between the old agent's last tick and the new agent's first: ${gap} ms > 2 × ${intervalMs} ms + ${handoverMs} ms handover`,
  );
  return { toPid: event.toPid };
}
