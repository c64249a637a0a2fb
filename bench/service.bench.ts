// The agent service under load: top-50 latency while sampling ~600 processes, the CPU cost of ten
// subscribed clients, and tick lateness with a client that never reads.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connectToAgent, type AgentConnection } from '../client/connection';
import { socketPathFor } from '../client/socketDir';
import { AgentStatusRequest, DidSampleNotification, SubscribeRequest, TopRequest } from '../shared/protocol';
import { threadCpuSeconds } from './procstat';
import { sleep, startSleepers } from './sleepers';
import { childEnv, tempXdgHomes } from '../test/harness/childEnv';

const AGENT = path.resolve(__dirname, '..', 'dist', 'agent.js');

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** A client that initializes, subscribes, and then never reads a byte. */
function stalledClient(socketPath: string): net.Socket {
  const socket = net.connect(socketPath);
  const send = (message: object) => {
    const body = JSON.stringify({ jsonrpc: '2.0', ...message });
    socket.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  socket.once('connect', () => {
    send({
      id: 1,
      method: 'initialize',
      params: {
        processId: null,
        capabilities: {},
        initializationOptions: { protocolVersion: 1, clientName: 'stalled', clientVersion: '0' },
      },
    });
    send({ method: 'initialized', params: {} });
    send({ id: 2, method: SubscribeRequest.method, params: { top: 200 } });
    socket.pause();
  });
  socket.on('error', () => {});
  return socket;
}

export async function runServiceBench(
  seconds = Number(process.env.BENCH_SECONDS ?? 60),
): Promise<Record<string, number>> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'pt-bench-service-'));
  // Private XDG folders: the user's own alerts.yaml or metrics.yaml must never reach these agents.
  const env = childEnv(tempXdgHomes(work));
  // The in-process clients find the agents' sockets through it; restored after, or every later
  // suite (code-server windows included) would put its runtime files in this removed folder.
  const runtimeDirBefore = process.env.XDG_RUNTIME_DIR;
  process.env.XDG_RUNTIME_DIR = env.XDG_RUNTIME_DIR;
  const sleepers = startSleepers(500);
  // Two agents side by side, sampling the same processes (their own data dirs and sockets): one
  // gets ten subscribers, the other none. Measured over the same window, warm-up, JIT and
  // whatever else the machine does fall on both alike; the difference is what subscribers cost.
  const dataDirs = { quiet: path.join(work, 'quiet'), busy: path.join(work, 'busy') };
  const agents = Object.fromEntries(
    Object.entries(dataDirs).map(([name, dataDir]) => [
      name,
      spawn(process.execPath, [AGENT, 'run', '--quiet', '--data-dir', dataDir, '--interval', '2s'], {
        env,
        stdio: 'ignore',
      }),
    ]),
  ) as Record<keyof typeof dataDirs, ChildProcess>;
  const clients: AgentConnection[] = [];
  const connect = async (dataDir: string) => {
    for (let i = 0; i < 100; i++) {
      const client = await connectToAgent({ dataDir }).catch(() => undefined);
      if (client) {
        clients.push(client);
        return client;
      }
      await sleep(200);
    }
    throw new Error(`the agent for ${dataDir} did not come up`);
  };
  try {
    const main = await connect(dataDirs.busy);
    const other = await connect(dataDirs.quiet);
    await sleep(6000);

    // The same requests to both, so both have run (and compiled) the same code.
    const latencies: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const started = performance.now();
      await main.request(TopRequest.type, { n: 50, sort: 'cpu' });
      latencies.push(performance.now() - started);
      await other.request(TopRequest.type, { n: 50, sort: 'cpu' });
      if (i % 50 === 0) await sleep(20);
    }

    let notifications = 0;
    for (let i = 0; i < 10; i++) {
      const client = await connect(dataDirs.busy);
      client.onNotification(DidSampleNotification.type, () => notifications++);
      await client.request(SubscribeRequest.type, { top: 20 });
    }
    const window = Math.max(120, 2 * seconds);
    const before = { quiet: threadCpuSeconds(agents.quiet.pid!), busy: threadCpuSeconds(agents.busy.pid!) };
    const started = performance.now();
    await sleep(window * 1000);
    const elapsed = (performance.now() - started) / 1000;
    const pct = (name: 'quiet' | 'busy') =>
      ((threadCpuSeconds(agents[name].pid!) - before[name]) / elapsed) * 100;
    const idleCpu = pct('quiet');
    const subscribedCpu = pct('busy');

    const statusBefore = await main.request(AgentStatusRequest.type, {});
    const stalled = stalledClient(socketPathFor(dataDirs.busy));
    await sleep(seconds * 1000);
    const after = await main.request(AgentStatusRequest.type, {});
    stalled.destroy();

    return {
      processes: after.processCount ?? 0,
      top50P50Ms: percentile(latencies, 50),
      top50P99Ms: percentile(latencies, 99),
      cpuWindowSeconds: Math.round(elapsed),
      agentCpuNoClientsPct: idleCpu,
      agentCpuTenSubscribersPct: subscribedCpu,
      tenSubscribersOverheadPct: ((subscribedCpu - idleCpu) / idleCpu) * 100,
      notificationsReceived: notifications,
      worstLatenessBeforeStalledMs: statusBefore.sampling?.worstLatenessMs ?? NaN,
      lastLatenessWithStalledMs: after.sampling?.lastLatenessMs ?? NaN,
      worstLatenessWithStalledMs: after.sampling?.worstLatenessMs ?? NaN,
      clientsAfterStall: after.clients,
    };
  } finally {
    for (const client of clients) await client.close();
    for (const agent of Object.values(agents)) {
      agent.kill('SIGTERM');
      await new Promise((resolve) => (agent.exitCode !== null ? resolve(null) : agent.once('exit', resolve)));
    }
    sleepers.stop();
    if (runtimeDirBefore === undefined) delete process.env.XDG_RUNTIME_DIR;
    else process.env.XDG_RUNTIME_DIR = runtimeDirBefore;
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void runServiceBench().then((result) => console.log(JSON.stringify(result, null, 2)));
}
