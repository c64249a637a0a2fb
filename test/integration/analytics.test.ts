// Findings from real processes through the real agent: a leaker growing 5 MB/s, a program
// restarting every second, and a process that idles and then burns every core. Each finding must
// appear with the right kind and subject within the delay README "Findings" documents. The agent
// runs with a 1-minute leak window and 1 minute of own history before a baseline (the README's
// knobs), so the suite costs CI about two minutes rather than five; the defaults' promises (a 5 MB/s
// leak within 4 minutes) are held by test/unit/agent/analytics/engine.test.ts. Every process here is ours, ended by
// its pid. Findings about the machine's other processes are counted and printed, not asserted:
// this machine is shared with other builds.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { after, before, describe, it } from 'node:test';
import { cli, requireBuild, startAgent, tempDir, waitFor, type RunningAgent } from './agentHarness';

interface JsonFinding {
  kind: string;
  name: string | null;
  cmdline?: string;
  from: number;
  to: number;
  summary: string;
  summaryZh: string;
  evidence: Record<string, unknown>;
}

const MARK = `pt-analytics-${process.pid}`;
const BURN_AFTER_MS = 2 * 60_000;
/**
 * Threads the burner spins: one per core (at least two). On this shared 2-core machine at load 15
 * a single spinning thread got ~10 % of a core — the anomaly floor — and no anomaly held for 30 s
 * (CI run 2); each thread is one more runnable task in the scheduler's share.
 */
const BURN_THREADS = Math.max(2, os.availableParallelism());

/** CPU-seconds a process of ours has used (utime + stime, all threads), from /proc/PID/stat. */
function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

describe('analytics findings from real processes', { timeout: 15 * 60_000 }, () => {
  const data = tempDir('pt-analytics-');
  const runtime = tempDir('pt-analytics-run-');
  const env = {
    XDG_RUNTIME_DIR: runtime.dir,
    PROCESS_TRACKER_LEAK_WINDOW: '1m',
    PROCESS_TRACKER_BASELINE_MINUTES: '1',
  };
  let agent: RunningAgent;
  const children: ChildProcess[] = [];
  let startedAt = 0;
  let burnStart = 0;
  let burnerPid = 0;
  let burnerCpuAtStart: number | null = null;

  const spawnOwn = (command: string, args: string[]) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(child);
    return child;
  };

  const report = async (): Promise<JsonFinding[]> => {
    const result = await cli(['report', '--from', '1h ago', '--json', '--data-dir', data.dir], env);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as JsonFinding[];
  };

  const waitForFinding = async (kind: string, marker: string, deadlineMs: number, more = () => '') => {
    let found: JsonFinding | undefined;
    let last: JsonFinding[] = [];
    await waitFor(
      async () => {
        last = await report();
        found = last.find((f) => f.kind === kind && (f.cmdline ?? '').includes(marker));
        return found !== undefined;
      },
      deadlineMs,
      () => more() + JSON.stringify(last.filter((f) => f.kind !== 'efficiency').map((f) => f.summary)),
    );
    return found!;
  };

  before(async () => {
    requireBuild();
    agent = await startAgent(data.dir, env);
    startedAt = Date.now();
    // 5 MB/s: half a megabyte every 100 ms, filled so the pages are resident.
    spawnOwn(process.execPath, [
      '-e',
      'const keep = []; setInterval(() => keep.push(Buffer.alloc(500_000, 1)), 100);',
      `${MARK}-leaker`,
    ]);
    // A program that lives a second and is started again at once, by a shell loop.
    spawnOwn('/bin/sh', [
      '-c',
      `while true; do ${process.execPath} -e 'setTimeout(() => {}, 1000)' ${MARK}-crashy; done`,
    ]);
    // Idles until its baseline is made, then burns every core (worker threads, its main thread
    // idle) and says when it began.
    const burner = spawnOwn(process.execPath, [
      '-e',
      `const { Worker } = require('node:worker_threads');
       setTimeout(() => {
         for (let i = 0; i < ${BURN_THREADS}; i++) new Worker('for (;;) {}', { eval: true });
         console.log('burning ' + Date.now());
       }, ${BURN_AFTER_MS});`,
      `${MARK}-burner`,
    ]);
    burnerPid = burner.pid!;
    burner.stdout!.on('data', (d: Buffer) => {
      const m = /burning (\d+)/.exec(d.toString());
      if (m) {
        burnStart = Number(m[1]);
        burnerCpuAtStart = cpuSeconds(burnerPid);
      }
    });
  });

  after(async () => {
    for (const child of children)
      if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
    await agent?.stop();
    data.remove();
    runtime.remove();
  });

  it('reports the restart loop within 90 s, with lifetimes and no invented exit code', async () => {
    const loop = await waitForFinding('restart_loop', `${MARK}-crashy`, 120_000);
    assert.ok(Date.now() - startedAt <= 90_000 + 15_000, `took ${Date.now() - startedAt} ms`);
    assert.equal(loop.name, 'node');
    assert.ok(Number(loop.evidence.restarts) >= 5);
    assert.equal(loop.evidence.exitCode, null);
    assert.match(loop.summary, /exit not observed/);
    assert.match(loop.summaryZh, /未观测到退出码/);
  });

  it('reports the 5 MB/s leaker within 4 minutes of its start', async () => {
    const leak = await waitForFinding('leak', `${MARK}-leaker`, 5 * 60_000);
    const took = Date.now() - startedAt;
    // A poll every few seconds on a loaded machine: the finding's own end says when it was made.
    assert.ok(
      leak.to - startedAt <= 4 * 60_000,
      `made ${leak.to - startedAt} ms after the start (seen after ${took} ms)`,
    );
    const rate = Number(leak.evidence.rateBps);
    assert.ok(rate > 3e6 && rate < 7e6, `rate ${rate}`);
    assert.ok(Number(leak.evidence.r2) >= 0.9);
  });

  it('reports the burner as a CPU anomaly against its idle baseline', async () => {
    await waitFor(() => burnStart > 0, BURN_AFTER_MS + 60_000);
    // Should it not come, the message says what the burner got of the machine meanwhile.
    const share = () => {
      const now = cpuSeconds(burnerPid);
      const seconds = (Date.now() - burnStart) / 1000;
      const pct =
        now === null || burnerCpuAtStart === null ? NaN : ((now - burnerCpuAtStart) / seconds) * 100;
      return `the burner got ${pct.toFixed(0)} % of a core over ${seconds.toFixed(0)} s, load ${os.loadavg()[0]!.toFixed(1)}; `;
    };
    const anomaly = await waitForFinding('anomaly', `${MARK}-burner`, 3 * 60_000, share);
    assert.equal(anomaly.evidence.metric, 'cpu');
    assert.ok(Number(anomaly.evidence.baseline) < 5, `baseline ${String(anomaly.evidence.baseline)}`);
    assert.ok(anomaly.from >= burnStart - 5000, 'it began when the burning did');

    // explain at the burner's start ranks it first, on this shared machine where other builds'
    // busy `node` processes come and go: the burner is the one whose own figures changed then.
    const result = await cli(['explain', String(burnStart), '--json', '--data-dir', data.dir], env);
    assert.equal(result.status, 0, result.stderr);
    const explained = JSON.parse(result.stdout) as {
      ranked: {
        identity: { pid: number };
        name: string;
        cmdline: string;
        score: number;
        baseline: string;
        cpu: number | null;
      }[];
    };
    const rank = explained.ranked.findIndex((r) => r.cmdline.includes(`${MARK}-burner`));
    const top = explained.ranked
      .slice(0, 5)
      .map(
        (r) =>
          `${r.identity.pid} ${r.name} ${r.cmdline.slice(0, 60)} score ${r.score.toFixed(1)} cpu ${r.cpu?.toFixed(1)} (${r.baseline})`,
      );
    const place = rank === -1 ? 'outside the top 10' : `#${rank + 1}`;
    console.log(`# explain at the burner's start ranks it ${place}:\n#   ${top.join('\n#   ')}`);
    assert.equal(rank, 0, `explain ranked the burner ${place}: ${top.join('; ')}`);

    const all = await report();
    const others = all.filter(
      (f) => ['leak', 'restart_loop', 'anomaly'].includes(f.kind) && !(f.cmdline ?? '').includes(MARK),
    );
    // Counted for the record (README "Findings"): the machine's own processes, over this run.
    console.log(
      `# findings about other processes over ${Math.round((Date.now() - startedAt) / 1000)} s: ${others.length}`,
    );
    for (const f of others) console.log(`#   ${f.kind}: ${f.summary}`);
  });
});
