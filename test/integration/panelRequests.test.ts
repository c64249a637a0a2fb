// How often the history panel's host and the sidebar views ask the real agent (dist/agent.js): one
// request per range load, one per live-tail refresh (only the points newer than the panel's), one
// per process page; the Processes and This Window views get their grouped rows pushed with each
// tick instead of asking after it. Every request goes through the real client over the real socket;
// the test only counts them.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ErrorCodes, ResponseError, type RequestType } from 'vscode-jsonrpc/node';
import { connectToAgent, type AgentConnection } from '../../client/connection';
import { socketPathFor } from '../../client/socketDir';
import { processPage, rangeData, type AgentRequest } from '../../shared/panelData';
import type { ProcessRow } from '../../shared/model';
import {
  DidSampleNotification,
  PanelDatasetRequest,
  SubscribeRequest,
  TopRequest,
} from '../../shared/protocol';
import type { RequestRangeParams } from '../../shared/webviewProtocol';
import { requireBuild, startAgent, tempDir, waitFor, type RunningAgent } from './agentHarness';

const work = tempDir('pt-panel-requests-');
const dataDir = path.join(work.dir, 'data');
const env = { XDG_RUNTIME_DIR: path.join(work.dir, 'run'), XDG_CONFIG_HOME: path.join(work.dir, 'config') };
/** Two minutes: raw samples at the test's chart width, so a few seconds of agent give many points. */
const RANGE_MS = 2 * 60_000;
const DATASET = 'processTracker/panelDataset';
const PROCESS_PAGE = 'processTracker/processPage';
let agent: RunningAgent;
let client: AgentConnection;
const children: ChildProcess[] = [];

interface Sent {
  method: string;
  params: unknown;
  answer?: unknown;
}

/** The real client's request, counted: what the panel would have sent to the agent. */
function counted(refuse: readonly string[] = []): { request: AgentRequest; sent: Sent[] } {
  const sent: Sent[] = [];
  const request = (<P, R>(type: RequestType<P, R, void>, params: P): Promise<R> => {
    sent.push({ method: type.method, params });
    // An agent from before a request answers MethodNotFound: the same answer, without asking it.
    if (refuse.includes(type.method))
      return Promise.reject(new ResponseError(ErrorCodes.MethodNotFound, `Unhandled method ${type.method}`));
    return client.request(type, params).then((answer) => {
      sent.at(-1)!.answer = answer;
      return answer;
    });
  }) as AgentRequest;
  return { request, sent };
}

function rangeParams(now: number, live: boolean): RequestRangeParams {
  return { from: now - RANGE_MS, to: now, metric: 'cpu', n: 5, sort: 'cpu', live, maxPoints: 800 };
}

before(async () => {
  requireBuild();
  mkdirSync(env.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
  agent = await startAgent(dataDir, env, ['--interval', '200ms']);
  const connected = await connectToAgent(
    { socketPath: socketPathFor(dataDir, env) },
    { clientName: 'panel-test' },
  );
  assert.ok(connected, 'the agent serves');
  client = connected;
  // A few ticks in the store, so the range has machine points and processes to rank.
  await waitFor(async () => {
    const { rows } = await client.request(TopRequest.type, { n: 1 });
    return rows.length > 0 && (await client.request(TopRequest.type, {})).ts! > Date.now() - 60_000;
  }, 30_000);
  await new Promise<void>((resolve) => {
    const start = Date.now();
    const poll = () => (Date.now() - start > 1500 ? resolve() : setTimeout(poll, 100));
    poll();
  });
});

after(async () => {
  await client?.close();
  await agent?.stop();
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  work.remove();
});

/** Waits until the agent's newest tick is later than `ts`. */
async function tickAfter(ts: number): Promise<void> {
  await waitFor(async () => ((await client.request(TopRequest.type, { n: 1 })).ts ?? 0) > ts, 30_000);
}

describe('the history panel asks the agent once per thing it draws', () => {
  test('a range load is one request, and it holds everything the overview draws', async () => {
    const { request, sent } = counted();
    const now = Date.now();
    const data = await rangeData(request, rangeParams(now, false), now, {});
    assert.deepEqual(
      sent.map((s) => s.method),
      [DATASET],
    );
    assert.deepEqual(
      data.overview.map((series) => series.metric),
      ['machineCpu', 'machineMem'],
    );
    assert.ok(data.overview[0]!.points.length >= 2, 'machine CPU points');
    assert.ok(data.rows.length > 0, 'the table has rows');
    assert.equal(data.top.length, Math.min(5, data.rows.length));
    assert.deepEqual(
      data.top.map((series) => series.label),
      data.rows.slice(0, 5).map((row) => row.name),
    );
    assert.ok(data.memTotal !== null && data.memTotal > 0, 'the memory total');
  });

  test('a live-tail refresh is one request for the points newer than the panel has, merged whole', async () => {
    const { request, sent } = counted();
    const held = {};
    const first = Date.now();
    const before = await rangeData(request, rangeParams(first, true), first, held);
    const lastPoint = before.overview[0]!.points.at(-1)!.ts;
    await tickAfter(lastPoint + 600);
    sent.length = 0;
    const now = Date.now();
    const data = await rangeData(request, rangeParams(now, true), now, held);
    assert.deepEqual(
      sent.map((s) => s.method),
      [DATASET],
    );
    const asked = sent[0]!.params as PanelDatasetRequest.Params;
    assert.equal(asked.since, lastPoint, 'only points from the last one the panel has');
    const answer = sent[0]!.answer as PanelDatasetRequest.Result;
    assert.equal(answer.since, lastPoint);
    assert.ok(answer.machine.every((series) => series.points.every((point) => point.ts >= lastPoint)));
    assert.equal(data.from, now - RANGE_MS);
    assert.equal(data.to, now);
    // The merged answer is what a whole load of the same range draws (up to the newest tick).
    const whole = await rangeData(counted().request, rangeParams(now, false), now, {});
    const upTo = (points: { ts: number }[]) => points.filter((p) => p.ts < lastPoint);
    assert.deepEqual(upTo(data.overview[0]!.points), upTo(whole.overview[0]!.points));
    assert.deepEqual(upTo(data.overview[1]!.points), upTo(whole.overview[1]!.points));
    assert.ok(data.overview[0]!.points.at(-1)!.ts > lastPoint, 'the newer points are there');
    assert.ok(data.rows.length > 0);
  });

  test('a process page is one request: series, lifecycle, children with live figures, details', async () => {
    // This test process's page: the agent is its child, running.
    const self = await client.request(TopRequest.type, { n: 1, filter: { pid: process.pid } });
    const me = self.rows[0];
    assert.ok(me, 'the test process is on the newest tick');
    const { request, sent } = counted();
    const now = Date.now();
    const page = await processPage(request, {
      identity: { pid: me.pid, startTime: me.startTime },
      from: now - RANGE_MS,
      to: now,
      maxPoints: 800,
    });
    assert.deepEqual(
      sent.map((s) => s.method),
      [PROCESS_PAGE],
    );
    assert.deepEqual(
      page.series.map((series) => series.metric),
      ['cpu', 'rss', 'readBps', 'writeBps'],
    );
    const child = page.children.find((row) => row.pid === agent.child.pid);
    assert.ok(child, 'the agent is among its children');
    assert.notEqual(child.rss, null, 'a running child carries its live figures');
    assert.ok(page.live, 'a running process has live details');
    assert.ok(page.live.cmdline.length > 0);
  });

  test('a live-tail refresh on a rollup tier re-reads the open bucket: replaced, not drawn twice', async () => {
    // Few points over a wide range: a rollup tier, whose newest point is the bucket still filling.
    const params = (now: number): RequestRangeParams => ({
      from: now - 6 * 3_600_000,
      to: now,
      metric: 'rss',
      n: 3,
      sort: 'mem',
      live: true,
      maxPoints: 8,
    });
    // A rollup tier holds the machine's figures once the agent's first minute has closed.
    await waitFor(async () => {
      const now = Date.now();
      const whole = await rangeData(counted().request, params(now), now, {});
      return whole.overview[0]!.points.length > 0;
    }, 150_000);
    const { request, sent } = counted();
    const held = {};
    const first = Date.now();
    const before = await rangeData(request, params(first), first, held);
    assert.notEqual(before.resolution.tier, 'raw');
    const lastPoint = before.overview[0]!.points.at(-1)!.ts;
    await tickAfter(Date.now());
    sent.length = 0;
    const now = Date.now();
    const data = await rangeData(request, params(now), now, held);
    assert.equal(sent.length, 1);
    assert.equal((sent[0]!.params as PanelDatasetRequest.Params).since, lastPoint);
    const whole = await rangeData(counted().request, { ...params(now), live: false }, now, {});
    for (const [i, series] of data.overview.entries()) {
      const stamps = series.points.map((point) => point.ts);
      assert.equal(new Set(stamps).size, stamps.length, 'no point twice');
      assert.deepEqual(
        stamps,
        whole.overview[i]!.points.map((point) => point.ts),
      );
    }
    assert.deepEqual(
      data.top.map((series) => [series.label, series.points.map((point) => point.ts)]),
      whole.top.map((series) => [series.label, series.points.map((point) => point.ts)]),
    );
  });

  test('the agent answers whole series when the tier changed, and refuses "since" without a tier', async () => {
    const now = Date.now();
    const params = { from: now - RANGE_MS, to: now, metric: 'cpu' as const, topN: 2, maxPoints: 800 };
    const whole = await client.request(PanelDatasetRequest.type, params);
    const since = whole.machine[0]!.points.at(-1)!.ts;
    const other = whole.resolution.tier === 'hour' ? 'minute' : 'hour';
    const answer = await client.request(PanelDatasetRequest.type, { ...params, since, tier: other });
    assert.equal(answer.since, undefined, 'not a partial answer');
    assert.ok(answer.machine[0]!.points[0]!.ts < since, 'the whole range');
    await assert.rejects(
      client.request(PanelDatasetRequest.type, { ...params, since }),
      (error: ResponseError<void>) =>
        error.code === ErrorCodes.InvalidParams && /"since" needs "tier"/.test(error.message),
    );
    await assert.rejects(
      client.request(PanelDatasetRequest.type, { ...params, known: [42 as never] }),
      (error: ResponseError<void>) =>
        error.code === ErrorCodes.InvalidParams && /"known\[0\]" must be a string/.test(error.message),
    );
  });

  test('against an agent without the new requests the panel still loads, the old way', async () => {
    const { request, sent } = counted([DATASET, PROCESS_PAGE]);
    const now = Date.now();
    const data = await rangeData(request, rangeParams(now, false), now, {});
    assert.ok(data.rows.length > 0);
    assert.equal(data.overview.length, 2);
    assert.ok(sent.length > 1, 'the old requests were used');
  });
});

describe('the sidebar views get their grouped rows pushed', () => {
  test("a subscription's views (category; a tree under given roots) come with every tick", async () => {
    const sub = await connectToAgent(
      { socketPath: socketPathFor(dataDir, env) },
      { clientName: 'views-test' },
    );
    assert.ok(sub);
    const shell = spawn('sh', ['-c', 'sleep 120 & wait'], { stdio: 'ignore', detached: true });
    children.push(shell);
    const ticks: DidSampleNotification.Params[] = [];
    sub.onNotification(DidSampleNotification.type, (params) => ticks.push(params));
    try {
      await sub.request(SubscribeRequest.type, {
        top: 1,
        views: [
          { id: 'processes', grouping: 'category', sort: 'cpu' },
          { id: 'thisWindow', grouping: 'tree', sort: 'cpu', roots: [shell.pid!] },
        ],
      });
      let tick: DidSampleNotification.Params | undefined;
      await waitFor(() => {
        const last = ticks.at(-1);
        const window = last?.views?.find((view) => view.id === 'thisWindow')?.processes;
        if (window?.grouping === 'tree' && window.roots[0]?.children.length === 1) tick = last;
        return tick !== undefined;
      }, 30_000);
      assert.ok(tick);
      const processes = tick.views!.find((view) => view.id === 'processes')!.processes;
      assert.equal(processes.grouping, 'category');
      if (processes.grouping !== 'category') return;
      const rows: ProcessRow[] = processes.groups.flatMap((group) => group.rows);
      assert.ok(rows.some((row) => row.pid === shell.pid));
      const window = tick.views!.find((view) => view.id === 'thisWindow')!.processes;
      assert.ok(window.grouping === 'tree');
      if (window.grouping !== 'tree') return;
      assert.deepEqual(
        window.roots.map((root) => root.row.pid),
        [shell.pid],
      );
      assert.equal(window.roots[0]!.children[0]!.row.name, 'sleep');
      assert.equal(window.roots[0]!.family.count, 2);
    } finally {
      process.kill(-shell.pid!, 'SIGKILL');
      await sub.close();
    }
  });

  test('a bad view is refused with one line naming the field', async () => {
    await assert.rejects(
      client.request(SubscribeRequest.type, { views: [{ id: 'x', grouping: 'sideways' as never }] }),
      (error: ResponseError<void>) =>
        error.code === ErrorCodes.InvalidParams &&
        /"views\[0\]\.grouping" must be one of/.test(error.message),
    );
  });
});
