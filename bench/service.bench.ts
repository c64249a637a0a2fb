// The agent service under load: top-50 latency while sampling ~600 processes, the CPU cost of ten
// subscribed clients, and tick lateness with a client that never reads.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connectToAgent, socketPathFor, type AgentConnection } from '../agent/service';
import {
  AgentStatusRequest,
  DidSampleNotification,
  SubscribeRequest,
  TopRequest,
  UnsubscribeRequest,
} from '../shared/protocol';
import { cpuPercent, procUsage } from './procstat';
import { sleep, startSleepers } from './sleepers';

const AGENT = path.resolve(__dirname, '..', 'dist', 'agent.js');

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function agentCpuOver(pid: number, seconds: number): Promise<number> {
  const before = procUsage(pid);
  const started = performance.now();
  await sleep(seconds * 1000);
  return cpuPercent(before, procUsage(pid), (performance.now() - started) / 1000);
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
  const env = { ...process.env, XDG_RUNTIME_DIR: path.join(work, 'run') };
  process.env.XDG_RUNTIME_DIR = env.XDG_RUNTIME_DIR;
  const dataDir = path.join(work, 'data');
  const sleepers = startSleepers(500);
  const agent = spawn(
    process.execPath,
    [AGENT, 'run', '--quiet', '--data-dir', dataDir, '--interval', '2s'],
    { env, stdio: 'ignore' },
  );
  const clients: AgentConnection[] = [];
  try {
    let main: AgentConnection | undefined;
    for (let i = 0; i < 100 && !main; i++) {
      await sleep(200);
      main = await connectToAgent({ dataDir }).catch(() => undefined);
    }
    if (!main) throw new Error('the agent did not come up');
    clients.push(main);
    await sleep(6000);

    const latencies: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const started = performance.now();
      await main.request(TopRequest.type, { n: 50, sort: 'cpu' });
      latencies.push(performance.now() - started);
      if (i % 50 === 0) await sleep(20);
    }

    // Ten clients connected throughout; their subscriptions are switched on and off in windows
    // ordered A B B A A B, so warm-up and drift fall on both sides alike.
    let notifications = 0;
    const subscribers: AgentConnection[] = [];
    for (let i = 0; i < 10; i++) {
      const client = (await connectToAgent({ dataDir }))!;
      client.onNotification(DidSampleNotification.type, () => notifications++);
      subscribers.push(client);
      clients.push(client);
    }
    const windowSeconds = seconds / 3;
    const cpu = { idle: [] as number[], subscribed: [] as number[] };
    for (const subscribed of [false, true, true, false, false, true]) {
      await Promise.all(
        subscribers.map((c) =>
          subscribed ? c.request(SubscribeRequest.type, { top: 20 }) : c.request(UnsubscribeRequest.type, {}),
        ),
      );
      cpu[subscribed ? 'subscribed' : 'idle'].push(await agentCpuOver(agent.pid!, windowSeconds));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const idleCpu = mean(cpu.idle);
    const subscribedCpu = mean(cpu.subscribed);

    const before = await main.request(AgentStatusRequest.type, {});
    const stalled = stalledClient(socketPathFor(dataDir));
    await sleep(seconds * 1000);
    const after = await main.request(AgentStatusRequest.type, {});
    stalled.destroy();

    return {
      processes: after.processCount ?? 0,
      top50P50Ms: percentile(latencies, 50),
      top50P99Ms: percentile(latencies, 99),
      agentCpuNoClientsPct: idleCpu,
      agentCpuTenSubscribersPct: subscribedCpu,
      tenSubscribersOverheadPct: ((subscribedCpu - idleCpu) / idleCpu) * 100,
      notificationsReceived: notifications,
      worstLatenessBeforeStalledMs: before.sampling?.worstLatenessMs ?? NaN,
      lastLatenessWithStalledMs: after.sampling?.lastLatenessMs ?? NaN,
      worstLatenessWithStalledMs: after.sampling?.worstLatenessMs ?? NaN,
      clientsAfterStall: after.clients,
    };
  } finally {
    for (const client of clients) await client.close();
    agent.kill('SIGTERM');
    await new Promise((resolve) => (agent.exitCode !== null ? resolve(null) : agent.once('exit', resolve)));
    sleepers.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void runServiceBench().then((result) => console.log(JSON.stringify(result, null, 2)));
}
