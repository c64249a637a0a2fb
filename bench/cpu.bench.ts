// Agent CPU and memory against top and atop, side by side on the same machine in one run, with
// 500 extra sleeping processes that this benchmark starts and ends itself (by PID).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cpuPercent, procUsage, type ProcUsage } from './procstat';
import { sleep, startSleepers } from './sleepers';
import { childEnv, tempXdgHomes } from '../test/harness/childEnv';

const AGENT = path.resolve(__dirname, '..', 'dist', 'agent.js');

export interface CpuBenchResult {
  seconds: number;
  processes: number;
  agentCpuPct: number;
  topCpuPct: number;
  atopCpuPct: number;
  ratioVsTop: number;
  ratioVsAtop: number;
  ratioVsTopSecondHalf: number;
  /** From the agent's spawn to the window: start-up included. */
  startUpSeconds: number;
  startUpAgentCpuPct: number;
  startUpRatioVsTop: number;
  agentRssMb: number;
  agentPeakRssMb: number;
  worstTickLatenessMs: number | null;
}

function ensureTools(): void {
  const missing = ['top', 'atop'].filter(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0,
  );
  if (missing.length === 0) return;
  const packages = missing.map((tool) => (tool === 'top' ? 'procps' : 'atop'));
  console.error(`installing ${packages.join(' ')} from Debian for the comparison…`);
  const install = spawnSync(
    'sh',
    [
      '-c',
      `apt-get install -y ${packages.join(' ')} || (apt-get update && apt-get install -y ${packages.join(' ')})`,
    ],
    {
      stdio: 'inherit',
    },
  );
  if (install.status !== 0)
    throw new Error(`could not install ${packages.join(' ')}: run apt-get install -y procps atop`);
}

function stopAll(children: ChildProcess[]): void {
  for (const child of children) if (child.pid && child.exitCode === null) child.kill('SIGKILL');
}

export async function runCpuBench(
  seconds = Number(process.env.BENCH_SECONDS ?? 240),
  warmUpSeconds = Number(process.env.BENCH_WARM_UP_SECONDS ?? 120),
): Promise<CpuBenchResult> {
  ensureTools();
  const work = mkdtempSync(path.join(os.tmpdir(), 'pt-bench-cpu-'));
  const sleepers = startSleepers(500);
  const tools: ChildProcess[] = [];
  let agentStderr = '';
  try {
    await sleep(2000);
    const agent = spawn(
      process.execPath,
      [AGENT, 'run', '--quiet', '--data-dir', path.join(work, 'data'), '--interval', '2s'],
      // Private XDG folders: the user's own alerts.yaml or metrics.yaml must never reach it.
      { env: childEnv(tempXdgHomes(work)), stdio: ['ignore', 'ignore', 'pipe'] },
    );
    agent.stderr!.on('data', (chunk: Buffer) => (agentStderr += chunk.toString()));
    const top = spawn('top', ['-b', '-d', '2'], { stdio: ['ignore', 'ignore', 'ignore'] });
    const atop = spawn('atop', ['-w', path.join(work, 'atop.raw'), '2'], { stdio: 'ignore' });
    tools.push(agent, top, atop);
    const pids = { agent: agent.pid!, top: top.pid!, atop: atop.pid! };
    const spawnedAt = performance.now();
    const atSpawn: Record<string, ProcUsage> = {};
    for (const [name, pid] of Object.entries(pids)) atSpawn[name] = procUsage(pid);
    // The steady state is what a recording agent costs: its first minutes also pay for start-up
    // (wasm and V8 compiling the hot paths, the once-a-minute rollups' only after a few calls;
    // every process read every tick until it has been idle for 30 s). Those minutes are measured
    // and reported on their own. The window is four minutes: the agent's cost is lumpy at the
    // minute (rollups), and two-minute windows read 0.36–0.66× top for the same build.
    await sleep(warmUpSeconds * 1000);
    const before: Record<string, ProcUsage> = {};
    for (const [name, pid] of Object.entries(pids)) before[name] = procUsage(pid);
    const started = performance.now();
    const startUp = (name: string) => cpuPercent(atSpawn[name]!, before[name]!, (started - spawnedAt) / 1000);
    let peakRss = 0;
    const processes = (await import('node:fs')).readdirSync('/proc').filter((d) => /^\d+$/.test(d)).length;
    // The second half of the window on its own: the agent's steady state, after JIT and first files.
    const middle: Record<string, ProcUsage> = {};
    let middleAt = 0;
    while (performance.now() - started < seconds * 1000) {
      await sleep(1000);
      peakRss = Math.max(peakRss, procUsage(pids.agent).rssBytes);
      if (!middleAt && performance.now() - started >= (seconds * 1000) / 2) {
        middleAt = performance.now();
        for (const [name, pid] of Object.entries(pids)) middle[name] = procUsage(pid);
      }
    }
    const ended = performance.now();
    const elapsed = (ended - started) / 1000;
    const after: Record<string, ProcUsage> = {};
    for (const [name, pid] of Object.entries(pids)) after[name] = procUsage(pid);
    const pct = (name: string) => cpuPercent(before[name]!, after[name]!, elapsed);
    const secondHalf = (name: string) => cpuPercent(middle[name]!, after[name]!, (ended - middleAt) / 1000);
    agent.kill('SIGTERM');
    await new Promise((resolve) => agent.once('exit', resolve));
    const lateness = /worst tick lateness (\d+(?:\.\d+)?) ms/.exec(agentStderr);
    return {
      seconds: Math.round(elapsed),
      processes,
      agentCpuPct: pct('agent'),
      topCpuPct: pct('top'),
      atopCpuPct: pct('atop'),
      ratioVsTop: pct('agent') / pct('top'),
      ratioVsAtop: pct('agent') / pct('atop'),
      ratioVsTopSecondHalf: secondHalf('agent') / secondHalf('top'),
      startUpSeconds: Math.round((started - spawnedAt) / 1000),
      startUpAgentCpuPct: startUp('agent'),
      startUpRatioVsTop: startUp('agent') / startUp('top'),
      agentRssMb: after.agent!.rssBytes / 2 ** 20,
      agentPeakRssMb: peakRss / 2 ** 20,
      worstTickLatenessMs: lateness ? Number(lateness[1]) : null,
    };
  } finally {
    stopAll(tools);
    sleepers.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void runCpuBench().then((result) => console.log(JSON.stringify(result, null, 2)));
}
