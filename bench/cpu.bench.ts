// Agent CPU and memory against top and atop, side by side on the same machine in one run, with
// 500 extra sleeping processes that this benchmark starts and ends itself (by PID).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cpuPercent, procUsage, type ProcUsage } from './procstat';
import { sleep, startSleepers } from './sleepers';

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
  seconds = Number(process.env.BENCH_SECONDS ?? 120),
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
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    agent.stderr!.on('data', (chunk: Buffer) => (agentStderr += chunk.toString()));
    const top = spawn('top', ['-b', '-d', '2'], { stdio: ['ignore', 'ignore', 'ignore'] });
    const atop = spawn('atop', ['-w', path.join(work, 'atop.raw'), '2'], { stdio: 'ignore' });
    tools.push(agent, top, atop);
    // Let start-up costs (wasm compile, first full reads) pass before measuring.
    await sleep(10_000);
    const pids = { agent: agent.pid!, top: top.pid!, atop: atop.pid! };
    const before: Record<string, ProcUsage> = {};
    for (const [name, pid] of Object.entries(pids)) before[name] = procUsage(pid);
    const started = performance.now();
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
