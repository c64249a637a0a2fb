// Hostile regular expressions against hostile command lines, through the real agent (dist/agent.js)
// on its real socket: the issue's `top --filter '(a+)+b'` beside a process whose command line is
// seventy a's and a c, then a few hundred hostile patterns as filters (top, processes, subscribe)
// and alert rule matches. Every pattern is answered within a second and the ticks keep coming.
// Before user regexes ran in linear time the first test never got an answer: the agent spun.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connectToAgent, type AgentConnection } from '../../client/connection';
import { socketPathFor } from '../../client/socketDir';
import {
  AgentStatusRequest,
  AlertSettingsRulesRequest,
  DidSampleNotification,
  ProcessesRequest,
  SubscribeRequest,
  TopRequest,
} from '../../shared/protocol';
import { hostileCommandLines, hostilePatterns } from '../fixtures/hostileRegex';
import { cli, requireBuild, startAgent, tempDir, waitFor, type RunningAgent } from './agentHarness';

requireBuild();
const INTERVAL_MS = 250;
/** The issue's command line: backtracking `(a+)+b` over it takes 2^70 steps. */
const ISSUE_ARGV0 = 'a'.repeat(70) + 'c';
// The issue's targets (each answer within 1 s, no tick 100 ms late) are the campaign's, measured on a
// quiet machine by bench/hostileRegex.ts (bench/RESULTS.md). Here, on a CI machine that may be loaded,
// the bounds catch the failure mode itself — a pattern that stalls the agent's thread for seconds —
// with room for a busy scheduler: without the linear-time engine this test never answers at all.
// Both are "seconds": a tick read 673 ms late here at load 12–15 on 2 cores (quiet: 34 ms), the
// worst pattern's compile and match taking 170 ms of wall time for ~30 ms of CPU.
const ANSWER_BUDGET_MS = 3000;
const LATENESS_BUDGET_MS = 3000;

describe('hostile regexes through the real agent', () => {
  const work = tempDir('pt-hostile-regex-');
  const env = {
    XDG_RUNTIME_DIR: path.join(work.dir, 'run'),
    XDG_CONFIG_HOME: path.join(work.dir, 'config'),
    PROCESS_TRACKER_DATA_DIR: '',
  };
  const dataDir = path.join(work.dir, 'data');
  const sleepers: ChildProcess[] = [];
  let agent: RunningAgent | undefined;
  let client: AgentConnection | undefined;
  const ticks: number[] = [];

  before(async () => {
    mkdirSync(env.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
    // argv0 sets the command line's first word: one process per hostile line, ended by its pid.
    // CI-sized: the issue's line and three of the bench's (bench/hostileRegex.ts runs them all).
    for (const argv0 of [ISSUE_ARGV0, ...hostileCommandLines().slice(-3)]) {
      sleepers.push(spawn('sleep', ['300'], { argv0, stdio: 'ignore' }));
    }
    agent = await startAgent(dataDir, env, ['--interval', `${INTERVAL_MS}ms`]);
    client = await connectToAgent(
      { socketPath: socketPathFor(dataDir, env) },
      { clientName: 'hostile-regex' },
    );
    assert.ok(client, 'the agent serves');
    client.onNotification(DidSampleNotification.type, () => ticks.push(Date.now()));
    await client.request(SubscribeRequest.type, { top: 5 });
    const first = sleepers[0]!.pid!;
    await waitFor(
      async () =>
        (await client!.request(TopRequest.type, { n: 1, filter: { pid: first } })).rows.length === 1,
      20_000,
    );
  });

  after(async () => {
    for (const sleeper of sleepers)
      if (sleeper.exitCode === null && sleeper.signalCode === null) sleeper.kill();
    await client?.close().catch(() => {});
    // An agent spinning in a regex never runs its SIGTERM handler: SIGKILL it, by its pid, after a deadline.
    if (agent && agent.child.exitCode === null && agent.child.signalCode === null) {
      const stopped = agent.stop();
      const timer = setTimeout(() => agent!.child.kill('SIGKILL'), 10_000);
      await stopped;
      clearTimeout(timer);
    }
    work.remove();
  });

  /** Waits for `count` more sample notifications: the agent is still ticking and serving. */
  async function moreTicks(count: number): Promise<void> {
    const target = ticks.length + count;
    await waitFor(
      () => ticks.length >= target,
      15_000,
      () => `: ${ticks.length} ticks, wanted ${target}`,
    );
  }

  test("`top --filter '(a+)+b'` answers promptly beside a process named seventy a's and a c", async () => {
    const started = Date.now();
    const top = await cli(['top', '--data-dir', dataDir, '--filter', '(a+)+b', '--json'], env, 15_000);
    const took = Date.now() - started;
    assert.equal(top.status, 0, top.stderr);
    const pids = (JSON.parse(top.stdout).rows as Array<{ pid: number }>).map((row) => row.pid);
    assert.ok(!pids.includes(sleepers[0]!.pid!), 'no b in its command line: no match');
    // The CLI's own start-up (a Node process) dominates; the agent's part is microseconds.
    assert.ok(took < 10_000, `answered in ${took} ms`);
    await moreTicks(3);
  });

  test('lookahead and backreferences get the one-line error naming the construct and the fix', async () => {
    const lookahead = await cli(['top', '--data-dir', dataDir, '--filter', 'node(?!x)'], env);
    assert.equal(lookahead.status, 2);
    assert.match(
      lookahead.stderr.trim(),
      /^[^\n]*filter "node\(\?!x\)" uses a negative lookahead[^\n]*: [^\n]+$/,
    );
    const backreference = await cli(['top', '--data-dir', dataDir, '--filter', '(a)\\1'], env);
    assert.equal(backreference.status, 2);
    assert.match(backreference.stderr.trim(), /^[^\n]*uses a backreference \\1[^\n]*: [^\n]+$/);
  });

  test('a few hundred hostile patterns as filters and rule matches: none stalls an answer or a tick', async () => {
    const c = client!;
    const before = (await c.request(AgentStatusRequest.type, {})).sampling!;
    const patterns = hostilePatterns(300, 0x13);
    let worstAnswerMs = 0;
    let rejected = 0;
    for (const [i, pattern] of patterns.entries()) {
      const started = performance.now();
      try {
        switch (i % 4) {
          case 0:
            await c.request(TopRequest.type, { n: 5, filter: { regex: pattern } });
            break;
          case 1:
            await c.request(ProcessesRequest.type, { grouping: 'tree', filter: { regex: pattern } });
            break;
          case 2:
            await c.request(SubscribeRequest.type, { top: 5, filter: { regex: pattern } });
            break;
          default:
            await c.request(AlertSettingsRulesRequest.type, {
              rules: [
                {
                  name: `hostile-${i}`,
                  metric: 'process_count',
                  threshold: 100_000,
                  match: { command: pattern },
                },
                { name: `hostile-name-${i}`, metric: 'cpu', threshold: 100_000, match: { name: pattern } },
              ],
            });
        }
      } catch {
        rejected++; // a pattern the engine does not support is answered with an error: also an answer
      }
      worstAnswerMs = Math.max(worstAnswerMs, performance.now() - started);
    }
    // The last subscribe's filter and the last rules run on the next ticks too.
    await moreTicks(4);
    const status = (await c.request(AgentStatusRequest.type, {})).sampling!;
    assert.ok(status.ticks > before.ticks, 'the agent kept sampling');
    assert.ok(worstAnswerMs < ANSWER_BUDGET_MS, `worst answer ${worstAnswerMs.toFixed(1)} ms`);
    assert.ok(
      status.worstLatenessMs <= LATENESS_BUDGET_MS,
      `worst tick lateness ${status.worstLatenessMs} ms over ${status.ticks} ticks, ${before.worstLatenessMs} ms before the patterns (${rejected} of ${patterns.length} patterns rejected)`,
    );
    await c.request(AlertSettingsRulesRequest.type, { rules: [] });
  });
});
