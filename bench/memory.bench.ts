// The agent's memory (issue 14), side by side with top and atop (and Debian's
// prometheus-process-exporter when installed) in one run, ~600 processes, 2 s: RSS at start-up
// (peak), steady, right after each history query, 60 s later and the peak while it ran; the start-up
// window's CPU against top's; each query's tick lateness. Where the agent's RSS goes is read from
// /proc/PID/smaps (no hook in the agent): the wasm heap is the read-write mapping in front of the
// multi-GB reservation V8 makes for a wasm memory; malloc's [heap]; the node binary's pages; the rest
// is anonymous memory (V8's heap, thread stacks, large buffers).
// History queries run in a child process of the agent (agent/history/lane.ts) that ends when idle:
// the agent's RSS and its children's are read apart, every 200 ms. The children's peak is what the
// query costs the machine while it runs (it is gone 20 s after the last call); the agent's figures
// are what stays. A build whose workers are threads has no children: its child figures read 0.
// An agent's RSS drifts by itself by a few MB (its live files grow, V8 collects when it likes): a
// second agent on a copy of the same data, asked nothing, runs beside it (MEMORY_BENCH_CONTROL=0:
// without), and "left" is the queried agent's rise from steady minus the control's over the same time.
// Run: node --import tsx bench/memory.bench.ts (needs `npm run build`). MEMORY_BENCH_DATA=DIR uses a
// `process-tracker demo-data` folder (copied first); otherwise 30 days are generated.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectToAgent } from '../client/connection';
import { PanelDatasetRequest, StatsRequest } from '../shared/protocol';
import { withAgentMallocEnv } from '../shared/mallocEnv';
import { namedRange } from '../shared/time';
import { childrenOf, cpuPercent, procUsage } from './procstat';
import { sleep, startSleepers } from './sleepers';

// MEMORY_BENCH_AGENT: another build to measure (e.g. a copy of main's dist/ for a before/after pair).
const AGENT = process.env.MEMORY_BENCH_AGENT ?? path.resolve(__dirname, '..', 'dist', 'agent.js');
const MB = 2 ** 20;

export interface Breakdown {
  wasmMb: number;
  mallocMb: number;
  binaryMb: number;
  otherFileMb: number;
  anonMb: number;
}

/** Resident memory of `pid` by kind, from smaps (see the file's comment). */
export function breakdown(pid: number): Breakdown {
  const text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  const maps: { start: number; end: number; perms: string; name: string; rssKb: number }[] = [];
  for (const line of text.split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      maps.push({
        start: parseInt(head[1]!, 16),
        end: parseInt(head[2]!, 16),
        perms: head[3]!,
        name: head[4]!,
        rssKb: 0,
      });
    } else if (line.startsWith('Rss:')) maps.at(-1)!.rssKb = Number(/(\d+)/.exec(line)![1]);
  }
  const out: Breakdown = { wasmMb: 0, mallocMb: 0, binaryMb: 0, otherFileMb: 0, anonMb: 0 };
  const exe = process.execPath;
  maps.forEach((m, i) => {
    const next = maps[i + 1];
    const mb = m.rssKb / 1024;
    if (m.name === '[heap]') out.mallocMb += mb;
    else if (m.name === exe) out.binaryMb += mb;
    else if (m.name.startsWith('/')) out.otherFileMb += mb;
    else if (
      m.perms.startsWith('rw') &&
      next &&
      next.start === m.end &&
      next.perms.startsWith('---') &&
      next.end - next.start > 4 * 2 ** 30
    )
      out.wasmMb += mb;
    else out.anonMb += mb;
  });
  return out;
}

const rssMb = (pid: number) => procUsage(pid).rssBytes / MB;

/** The summed RSS of the agent's children now (0 with none). */
function childrenRssMb(pid: number): number {
  let sum = 0;
  for (const child of childrenOf(pid)) {
    try {
      sum += rssMb(child);
    } catch {
      // ended between the listing and the read
    }
  }
  return sum;
}

function hasTool(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [AGENT, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (status) => resolve({ status, out }));
  });
}

/** A demo-data folder to start the agent on: the caller's (copied) or 30 days generated now. */
async function history(work: string, env: NodeJS.ProcessEnv): Promise<string> {
  const dataDir = path.join(work, 'data');
  const given = process.env.MEMORY_BENCH_DATA;
  if (given) {
    // With their times: a day totals sidecar names its database's mtime, and a copy that changes
    // it makes every sidecar stale (each query would then read the day files again).
    cpSync(given, dataDir, { recursive: true, preserveTimestamps: true });
    return dataDir;
  }
  const days = process.env.MEMORY_BENCH_DAYS ?? '30';
  const made = await cli(['demo-data', '--days', days, '--data-dir', dataDir], env);
  if (made.status !== 0) throw new Error(`demo-data failed: ${made.out}`);
  return dataDir;
}

interface QueryFigures {
  ms: number;
  rssAfterMb: number;
  peakMb: number;
  /** The agent's children (its history worker processes), summed, at their highest. */
  childPeakMb: number;
  /** Agent + children at the sample where their sum was highest: what the machine gave the query. */
  totalPeakMb: number;
  childrenAfter60s: number;
  rssAfter60sMb: number;
  controlAfter60sMb: number;
  worstLatenessBeforeMs: number;
  worstLatenessAfterMs: number;
  agentCpuS: number;
  breakdownAtPeak: Breakdown;
}

export async function runMemoryBench(): Promise<Record<string, number | string>> {
  const warmUpS = Number(process.env.MEMORY_BENCH_STARTUP_S ?? 120);
  const steadyS = Number(process.env.MEMORY_BENCH_STEADY_S ?? 600);
  const settleS = Number(process.env.MEMORY_BENCH_SETTLE_S ?? 60);
  const work = mkdtempSync(path.join(os.tmpdir(), 'pt-bench-memory-'));
  const env = {
    ...process.env,
    XDG_RUNTIME_DIR: path.join(work, 'run'),
    XDG_CONFIG_HOME: path.join(work, 'config'),
    PROCESS_TRACKER_DATA_DIR: '',
  };
  const children: ChildProcess[] = [];
  const sleepers = startSleepers(500);
  try {
    const dataDir = await history(work, env);
    const agent = spawn(
      process.execPath,
      [AGENT, 'run', '--quiet', '--data-dir', dataDir, '--interval', '2s'],
      {
        // As the launcher and the systemd unit start it; MEMORY_BENCH_MALLOC=default measures without.
        env: process.env.MEMORY_BENCH_MALLOC === 'default' ? env : withAgentMallocEnv(env),
        stdio: ['ignore', 'ignore', 'ignore'],
      },
    );
    let control: ChildProcess | undefined;
    if (process.env.MEMORY_BENCH_CONTROL !== '0') {
      const controlDir = path.join(work, 'control');
      cpSync(dataDir, controlDir, { recursive: true, preserveTimestamps: true });
      control = spawn(
        process.execPath,
        [AGENT, 'run', '--quiet', '--data-dir', controlDir, '--interval', '2s'],
        {
          env: process.env.MEMORY_BENCH_MALLOC === 'default' ? env : withAgentMallocEnv(env),
          stdio: ['ignore', 'ignore', 'ignore'],
        },
      );
      children.push(control);
    }
    const controlRss = () => (control ? rssMb(control.pid!) : NaN);
    const top = spawn('top', ['-b', '-d', '2'], { stdio: 'ignore' });
    const atop = spawn('atop', ['-w', path.join(work, 'atop.raw'), '2'], { stdio: 'ignore' });
    children.push(agent, top, atop);
    const pids: Record<string, number> = { agent: agent.pid!, top: top.pid!, atop: atop.pid! };
    if (hasTool('prometheus-process-exporter')) {
      const exporter = spawn('prometheus-process-exporter', ['-web.listen-address', '127.0.0.1:0'], {
        stdio: 'ignore',
      });
      children.push(exporter);
      pids.processExporter = exporter.pid!;
    }
    const a = agent.pid!;
    const spawnedAt = performance.now();
    const atSpawn = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, procUsage(pid)]));
    // RSS sampled every 200 ms: the peak of each phase.
    let peak = 0;
    let childPeak = 0;
    let totalPeak = 0;
    let peakBreakdown = breakdown(a);
    const sampler = setInterval(() => {
      try {
        const now = rssMb(a);
        const children = childrenRssMb(a);
        childPeak = Math.max(childPeak, children);
        totalPeak = Math.max(totalPeak, now + children);
        if (now > peak) {
          peak = now;
          peakBreakdown = breakdown(a);
        }
      } catch {
        // the agent has exited: the phase's figures say so
      }
    }, 200);
    const figures: Record<string, number | string> = {};
    try {
      await sleep(warmUpS * 1000);
      const elapsed = (performance.now() - spawnedAt) / 1000;
      const cpu = (name: string) => cpuPercent(atSpawn[name]!, procUsage(pids[name]!), elapsed);
      figures.startUpSeconds = Math.round(elapsed);
      figures.startUpCpuRatioVsTop = cpu('agent') / cpu('top');
      figures.startUpPeakRssMb = peak;
      figures.startUpPeakWasmMb = peakBreakdown.wasmMb;
      await sleep(Math.max(0, steadyS * 1000 - (performance.now() - spawnedAt)));
      const steady = rssMb(a);
      const controlSteady = controlRss();
      figures.controlSteadyRssMb = controlSteady;
      const steadyParts = breakdown(a);
      figures.steadyAfterSeconds = Math.round((performance.now() - spawnedAt) / 1000);
      figures.steadyRssMb = steady;
      for (const [k, v] of Object.entries(steadyParts)) figures[`steady_${k}`] = v;
      for (const [name, pid] of Object.entries(pids))
        if (name !== 'agent') figures[`${name}RssMb`] = rssMb(pid);

      // The socket is found through XDG_RUNTIME_DIR, the agent's (client/paths.ts).
      process.env.XDG_RUNTIME_DIR = env.XDG_RUNTIME_DIR;
      const connection = await connectToAgent(
        { dataDir },
        { clientName: 'memory-bench', clientVersion: '0' },
      );
      if (!connection) throw new Error('the agent does not answer');
      const worst = async () => {
        const status = await cli(['status', '--json', '--data-dir', dataDir], env);
        return (
          (JSON.parse(status.out) as { sampling?: { worstLatenessMs: number } }).sampling?.worstLatenessMs ??
          NaN
        );
      };
      const day = 86_400_000;
      const midnight = Math.floor(Date.now() / day) * day;
      const queries: [string, () => Promise<unknown>][] = [
        ['monthStats', () => cli(['month', '--json', '--data-dir', dataDir], env)],
        [
          'panel30Days',
          () =>
            connection.request(PanelDatasetRequest.type, {
              from: Date.now() - 30 * day,
              to: Date.now(),
              metric: 'cpu',
            }),
        ],
        [
          'at10DaysAgo',
          () =>
            cli(['at', new Date(Date.now() - 10 * day).toISOString(), '--json', '--data-dir', dataDir], env),
        ],
        [
          'exportWholeDay',
          () =>
            cli(
              [
                'export',
                '--format',
                'csv',
                '--from',
                new Date(midnight - day).toISOString(),
                '--to',
                new Date(midnight).toISOString(),
                '--out',
                path.join(work, 'day.csv'),
                '--data-dir',
                dataDir,
              ],
              env,
            ),
        ],
      ];
      const results: Record<string, QueryFigures> = {};
      for (const [name, run] of queries) {
        const worstBefore = await worst();
        const cpuBefore = procUsage(a).cpuSeconds;
        peak = rssMb(a);
        childPeak = childrenRssMb(a);
        totalPeak = peak + childPeak;
        peakBreakdown = breakdown(a);
        const t0 = performance.now();
        const answer = await run();
        const ms = performance.now() - t0;
        if (answer && typeof answer === 'object' && 'status' in answer && answer.status !== 0) {
          throw new Error(`${name} failed: ${JSON.stringify(answer)}`);
        }
        const rssAfterMb = rssMb(a);
        const worstAfter = await worst();
        await sleep(settleS * 1000);
        results[name] = {
          ms,
          rssAfterMb,
          peakMb: peak,
          childPeakMb: childPeak,
          totalPeakMb: totalPeak,
          rssAfter60sMb: rssMb(a),
          controlAfter60sMb: controlRss(),
          childrenAfter60s: childrenOf(a).length,
          worstLatenessBeforeMs: worstBefore,
          worstLatenessAfterMs: worstAfter,
          agentCpuS: procUsage(a).cpuSeconds - cpuBefore,
          breakdownAtPeak: peakBreakdown,
        };
      }
      // Month statistics' latency as the agent answers it (no CLI start-up): first with no worker
      // running (it ended at least 60 s ago: a cold start), then at once again (the worker kept warm).
      // The range is `month`'s (the calendar month so far, day-aligned: the per-day totals answer it).
      const month = { ...namedRange('month'), n: 20 };
      figures.monthStatsWorkersBeforeCold = childrenOf(a).length;
      let t0 = performance.now();
      await connection.request(StatsRequest.type, month);
      figures.monthStatsColdMs = performance.now() - t0;
      t0 = performance.now();
      await connection.request(StatsRequest.type, month);
      figures.monthStatsWarmMs = performance.now() - t0;
      await connection.close();
      figures.exportDayCsvMb = statSync(path.join(work, 'day.csv')).size / MB;
      for (const [name, r] of Object.entries(results)) {
        figures[`${name}Ms`] = r.ms;
        figures[`${name}RssAfterMb`] = r.rssAfterMb;
        figures[`${name}PeakMb`] = r.peakMb;
        figures[`${name}ChildPeakMb`] = r.childPeakMb;
        figures[`${name}AgentPlusChildPeakMb`] = r.totalPeakMb;
        figures[`${name}ChildrenAfter60s`] = r.childrenAfter60s;
        figures[`${name}PeakWasmMb`] = r.breakdownAtPeak.wasmMb;
        figures[`${name}RssAfter60sMb`] = r.rssAfter60sMb;
        figures[`${name}BackWithinMb`] = r.rssAfter60sMb - steady;
        figures[`${name}ControlDriftMb`] = r.controlAfter60sMb - controlSteady;
        figures[`${name}LeftMb`] = r.rssAfter60sMb - steady - (r.controlAfter60sMb - controlSteady);
        // status has the worst lateness since start: a query raised it only when it is higher after.
        figures[`${name}WorstLatenessBeforeMs`] = r.worstLatenessBeforeMs;
        figures[`${name}WorstLatenessMs`] = r.worstLatenessAfterMs;
        figures[`${name}AgentCpuS`] = r.agentCpuS;
      }
      figures.steadyAtEndRssMb = rssMb(a);
      figures.controlAtEndRssMb = controlRss();
      for (const [k, v] of Object.entries(breakdown(a))) figures[`end_${k}`] = v;
    } finally {
      clearInterval(sampler);
    }
    agent.kill('SIGTERM');
    await new Promise((resolve) => agent.once('exit', resolve));
    return figures;
  } finally {
    for (const child of children) if (child.pid && child.exitCode === null) child.kill('SIGKILL');
    sleepers.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const started = new Date().toISOString();
  void runMemoryBench().then((figures) => {
    console.log(
      `started ${started}; load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    for (const [k, v] of Object.entries(figures))
      console.log(`${k}\t${typeof v === 'number' ? v.toFixed(2) : v}`);
  });
}
