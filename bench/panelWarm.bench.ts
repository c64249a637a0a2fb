// The history panel's first answer when no history worker runs (issue 14: "the panel's first chart
// ≤ 300 ms"), with and without the warm-up the extension sends as the panel opens
// (PanelWarmRequest). A real agent (dist/agent.js) on a generated day of 300 processes, its worker
// ending 1 s after its last call; each round waits until no worker runs, then:
// - cold: the panel's PanelDatasetRequest (24 h, 1000 points, top 10) alone;
// - warmed: PanelWarmRequest, then the same request PANEL_WARM_PAGE_MS later — the time the panel's
//   page takes to load in VS Code before it asks (default 1100: the code-server suite's openToReady,
//   1118–1174 ms here, test/vscode/suite/panel.test.ts);
// - warmed at once: the request right after the warm-up, the worst case (the request queues behind
//   the warm-up's own read).
// Each figure is the time the panel waits after its page has loaded, median of the rounds.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { connectToAgent } from '../client/connection';
import { AgentStatusRequest, PanelDatasetRequest, PanelWarmRequest } from '../shared/protocol';
import { withAgentMallocEnv } from '../shared/mallocEnv';
import { childrenOf } from './procstat';
import { sleep } from './sleepers';

const AGENT = process.env.PANEL_WARM_AGENT ?? path.resolve(__dirname, '..', 'dist', 'agent.js');
const DAY = 86_400_000;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

function run(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AGENT, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (status) => (status === 0 ? resolve(out) : reject(new Error(`${args[0]}: ${out}`))));
  });
}

export async function runPanelWarmBench(): Promise<Record<string, number>> {
  const rounds = Number(process.env.PANEL_WARM_ROUNDS ?? 7);
  const pageMs = Number(process.env.PANEL_WARM_PAGE_MS ?? 1100);
  const work = mkdtempSync(path.join(os.tmpdir(), 'pt-bench-panelwarm-'));
  const dataDir = path.join(work, 'data');
  const env = {
    ...process.env,
    XDG_RUNTIME_DIR: path.join(work, 'run'),
    XDG_CONFIG_HOME: path.join(work, 'config'),
    PROCESS_TRACKER_DATA_DIR: '',
    PROCESS_TRACKER_QUERY_WORKER_IDLE: '1s',
  };
  await run(['demo-data', '--days', '1', '--processes', '300', '--data-dir', dataDir], env);
  const agent = spawn(
    process.execPath,
    [AGENT, 'run', '--quiet', '--data-dir', dataDir, '--interval', '2s'],
    {
      env: withAgentMallocEnv(env),
      stdio: ['ignore', 'ignore', 'ignore'],
    },
  );
  try {
    process.env.XDG_RUNTIME_DIR = env.XDG_RUNTIME_DIR;
    let connection = null;
    for (let i = 0; i < 100 && !connection; i++) {
      connection = await connectToAgent({ dataDir }, { clientName: 'panel-warm-bench', clientVersion: '0' });
      if (!connection) await sleep(200);
    }
    if (!connection) throw new Error('the agent does not answer');
    const client = connection;
    while (((await client.request(AgentStatusRequest.type, {})).sampling?.ticks ?? 0) < 3) await sleep(200);
    const noWorker = async () => {
      while (childrenOf(agent.pid!).length > 0) await sleep(50);
    };
    const panel = () =>
      client.request(PanelDatasetRequest.type, {
        from: Date.now() - DAY,
        to: Date.now(),
        metric: 'cpu',
        topN: 10,
        sort: 'cpu',
        maxPoints: 1000,
      });
    const timed = async () => {
      const started = performance.now();
      await panel();
      return performance.now() - started;
    };
    const warm = async () => {
      const { warming } = await client.request(PanelWarmRequest.type, {
        from: Date.now() - DAY,
        to: Date.now(),
      });
      if (!warming) throw new Error('the warm-up started no worker');
    };
    const cold: number[] = [];
    const warmed: number[] = [];
    const atOnce: number[] = [];
    // Interleaved, so that the machine's load weighs on each the same.
    for (let round = 0; round < rounds; round++) {
      await noWorker();
      cold.push(await timed());
      await noWorker();
      await warm();
      await sleep(pageMs);
      warmed.push(await timed());
      await noWorker();
      await warm();
      atOnce.push(await timed());
    }
    await client.close();
    return {
      rounds,
      pageMs,
      coldMs: Math.round(median(cold)),
      coldWorstMs: Math.round(Math.max(...cold)),
      warmedMs: Math.round(median(warmed)),
      warmedWorstMs: Math.round(Math.max(...warmed)),
      warmedAtOnceMs: Math.round(median(atOnce)),
      warmedAtOnceWorstMs: Math.round(Math.max(...atOnce)),
    };
  } finally {
    agent.kill('SIGTERM');
    await new Promise((resolve) => agent.once('exit', resolve));
    rmSync(work, { recursive: true, force: true });
  }
}
