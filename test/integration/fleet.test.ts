// Many machines through Prometheus, end to end: three real agents (dist/agent.js, each with its
// own data folder and /metrics port), a real Prometheus (Debian's) finding them through a file_sd
// targets file as the README shows, with distinct `instance` labels, and `process-tracker fleet`
// and the panel's Prometheus data source (client/prometheus/history.ts) reading them back. A CPU
// burner we spawn (and end by PID) must show on every machine's list.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PrometheusApi } from '../../client/prometheus/api';
import type { MachineSummary } from '../../client/prometheus/fleet';
import { machineRange } from '../../client/prometheus/history';
import { freePort } from '../harness/codeServer';
import { cli, endByPid, requireBuild, startAgent, tempDir, waitFor, type RunningAgent } from './agentHarness';
import { requirePrometheus, startPrometheus, type RunningPrometheus } from './prometheusHarness';

requireBuild();
requirePrometheus();

const temp = tempDir('pt-fleet-');
const env = { XDG_RUNTIME_DIR: path.join(temp.dir, 'run'), XDG_CONFIG_HOME: path.join(temp.dir, 'config') };
mkdirSync(env.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
const NAMES = ['alpha', 'beta', 'gamma'] as const;
const BURNER = `ptfleet${process.pid % 100_000}`;
const JOB = 'process-tracker';

const agents = new Map<string, RunningAgent>();
let prometheus: RunningPrometheus | undefined;
let burner: ChildProcess | undefined;

/** MemTotal of /proc/meminfo, bytes: what every agent on this machine reports. */
function memTotal(): number {
  const kib = /^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]!;
  return Number(kib) * 1024;
}

async function fleetJson(): Promise<MachineSummary[]> {
  const result = await cli(['fleet', '--prometheus', prometheus!.url, '--json', '-n', '50'], env);
  assert.equal(result.status, 0, result.stderr);
  const body = JSON.parse(result.stdout) as { prometheus: string; machines: MachineSummary[] };
  assert.equal(body.prometheus, `${prometheus!.url}/`);
  return body.machines;
}

before(async () => {
  // Room for every name on a busy shared machine, so the burner gets a group of its own, and a
  // long top list: on a loaded 2-core machine the burner is not always among the busiest few.
  const configDir = path.join(env.XDG_CONFIG_HOME, 'process-tracker');
  mkdirSync(configDir, { recursive: true });
  writeFileSync(path.join(configDir, 'metrics.yaml'), 'max_series: 20000\ntop_processes: 100\n', {
    mode: 0o600,
  });
  const burnerPath = path.join(temp.dir, BURNER);
  symlinkSync(process.execPath, burnerPath);
  burner = spawn(burnerPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  const targets: { targets: string[]; labels: Record<string, string> }[] = [];
  for (const name of NAMES) {
    const agent = await startAgent(path.join(temp.dir, `data-${name}`), env, [
      '--interval',
      '500ms',
      '--metrics',
      '127.0.0.1:0',
    ]);
    agents.set(name, agent);
    await waitFor(
      () => /metrics on http:\/\/\S+/.test(agent.stderr()),
      15_000,
      () => agent.stderr(),
    );
    const address = new URL(/metrics on (http:\/\/\S+)/.exec(agent.stderr())![1]!).host;
    targets.push({ targets: [address], labels: { instance: name } });
  }
  const promDir = path.join(temp.dir, 'prometheus');
  mkdirSync(promDir, { recursive: true });
  const targetsFile = path.join(promDir, 'process-tracker.json');
  writeFileSync(targetsFile, JSON.stringify(targets, null, 2));
  prometheus = await startPrometheus(promDir, [
    `  - job_name: ${JOB}`,
    `    file_sd_configs: [{ files: [${JSON.stringify(targetsFile)}], refresh_interval: 1s }]`,
  ]);
});

after(async () => {
  await endByPid(burner);
  await prometheus?.stop();
  for (const agent of agents.values()) await agent.stop();
  temp.remove();
});

describe('process-tracker fleet', () => {
  test('lists the three machines by their instance labels, each with CPU, memory and the burner on top', async () => {
    let machines: MachineSummary[] = [];
    const ready = (m: MachineSummary) =>
      m.up && m.cpuRatio !== null && m.topCpu.some((p) => p.pid === burner!.pid && (p.cpuRatio ?? 0) > 0.05);
    await waitFor(
      async () => {
        machines = await fleetJson();
        return machines.length === 3 && machines.every(ready);
      },
      90_000,
      () =>
        `burner ${burner!.pid} (exit ${burner!.exitCode}): ${JSON.stringify(
          machines.map((m) => [
            m.instance,
            m.up,
            m.cpuRatio,
            m.topCpu.map((p) => `${p.name}/${p.pid}/${p.cpuRatio}`),
          ]),
        )}\n${prometheus!.log().slice(-2000)}`,
    );
    assert.deepEqual(
      machines.map((m) => [m.job, m.instance]),
      NAMES.map((name) => [JOB, name]),
    );
    const total = memTotal();
    for (const m of machines) {
      assert.equal(m.memTotal, total, `${m.instance}: memory total`);
      assert.ok(m.memUsed! > 0 && m.memUsed! <= total, `${m.instance}: memory used ${m.memUsed}`);
      assert.ok(m.cpuRatio! > 0 && m.cpuRatio! <= 1, `${m.instance}: cpu ${m.cpuRatio}`);
      assert.equal(m.cores, (await import('node:os')).availableParallelism());
      assert.match(m.version ?? '', /^\d+\.\d+\.\d+/);
      assert.ok(m.topCpu.length <= 50 && m.topMemory.length <= 50 && m.topMemory.length > 0);
      const burnerRow = m.topCpu.find((p) => p.pid === burner!.pid)!;
      assert.equal(burnerRow.name, BURNER);
      assert.ok(burnerRow.cpuRatio! <= 1.05, `one thread burns at most a core: ${burnerRow.cpuRatio}`);
      assert.ok(Date.now() - m.lastSample! < 60_000, `${m.instance}: sampled ${m.lastSample}`);
    }
  });

  test('the table names every machine and its top processes', async () => {
    const result = await cli(['fleet', '--prometheus', prometheus!.url, '-n', '50'], env);
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^INSTANCE\s+JOB\s+STATE\s+CPU\s+MEMORY\s+SAMPLED\s+TOP BY CPU$/);
    for (const name of NAMES) {
      const line = lines.find((l) => l.startsWith(`${name} `));
      assert.ok(line, `a line for ${name}:\n${result.stdout}`);
      assert.match(
        line,
        new RegExp(`^${name}\\s+${JOB}\\s+up\\s+\\d+\\.\\d%\\s+.*${BURNER} \\(${burner!.pid}\\)`),
      );
    }
  });

  test("the panel's Prometheus source: a machine's CPU and memory history and its top groups by CPU", async () => {
    const api = new PrometheusApi(new URL(`${prometheus!.url}/`));
    // A rate needs two scrapes, and the range's grid ends on the last whole second: the fleet's
    // instant query (evaluated at Prometheus' now) can see a machine's CPU a second before any
    // point of this grid can. Wait for that state rather than for time.
    let to = Date.now();
    let data: Awaited<ReturnType<typeof machineRange>> | undefined;
    const hasCpu = (d: typeof data) =>
      d?.overview.some((s) => s.metric === 'machineCpu' && s.points.some((p) => p.value !== null)) ?? false;
    await waitFor(
      async () => {
        to = Date.now();
        data = await machineRange(
          api,
          { job: JOB, instance: 'beta' },
          { from: to - 120_000, to, metric: 'cpu', n: 5, sort: 'cpu', live: false, maxPoints: 120 },
        );
        return hasCpu(data) && data.top.some((s) => s.label === BURNER);
      },
      30_000,
      () =>
        JSON.stringify(
          data?.overview.map((s) => [s.metric, s.points.filter((p) => p.value !== null).length]),
        ),
    );
    if (!data) throw new Error('no answer from the Prometheus source');
    assert.equal(data.resolution.tier, 'prometheus');
    assert.equal(data.resolution.stepMs, 1000);
    const cpu = data.overview.find((s) => s.metric === 'machineCpu')!;
    const mem = data.overview.find((s) => s.metric === 'machineMem')!;
    assert.ok(
      cpu.points.some((p) => p.value !== null && p.value > 0 && p.value <= 100),
      'machine CPU points',
    );
    assert.ok(
      mem.points.some((p) => p.value !== null && p.value > 0),
      'machine memory points',
    );
    assert.equal(data.memTotal, memTotal());
    const burnerSeries = data.top.find((s) => s.label === BURNER);
    assert.ok(burnerSeries, `the burner among the top: ${data.top.map((s) => s.label).join(', ')}`);
    const busy = burnerSeries.points.filter((p) => p.value !== null).map((p) => p.value!);
    assert.ok(Math.max(...busy) > 0 && Math.max(...busy) <= 105, `burner CPU % ${Math.max(...busy)}`);
    // Its CPU seconds over the range: no more than the kernel gave it since it started.
    const stat = readFileSync(`/proc/${burner!.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const kernelSeconds = (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, USER_HZ
    const row = data.rows.find((r) => r.name === BURNER)!;
    assert.ok(row.cpuAvg! > 0 && row.memAvg! > 0);
    assert.ok(row.cpuSeconds <= kernelSeconds * 1.1 + 1, `${row.cpuSeconds} s > kernel ${kernelSeconds} s`);
    // Another machine's label: none of beta's series, only gamma's (the selector holds).
    const none = await machineRange(
      api,
      { job: JOB, instance: 'nowhere' },
      { from: to - 60_000, to, metric: 'rss', n: 5, sort: 'mem', live: false, maxPoints: 60 },
    );
    assert.equal(none.top.length, 0);
    assert.ok(none.overview.every((s) => s.points.every((p) => p.value === null)));
  });

  test('a machine whose agent stopped stays listed, down', async () => {
    await agents.get('gamma')!.stop();
    let machines: MachineSummary[] = [];
    await waitFor(
      async () => !(machines = await fleetJson()).find((m) => m.instance === 'gamma')!.up,
      60_000,
      () => JSON.stringify(machines).slice(0, 2000),
    );
    assert.deepEqual(
      machines.map((m) => [m.instance, m.up]),
      [
        ['alpha', true],
        ['beta', true],
        ['gamma', false],
      ],
    );
    const table = await cli(['fleet', '--prometheus', prometheus!.url, '--job', JOB], env);
    assert.match(table.stdout, /^gamma\s+process-tracker\s+DOWN\s/m);
  });
});

describe('fleet refuses what it must', () => {
  test('no server: one line, exit 2', async () => {
    const result = await cli(['fleet'], env);
    assert.equal(result.status, 2);
    assert.equal(
      result.stderr,
      'process-tracker: fleet needs a Prometheus server: --prometheus http://127.0.0.1:9090\n',
    );
  });

  test('a URL that is not http(s), or carries a password: exit 2 without asking it', async () => {
    const ftp = await cli(['fleet', '--prometheus', 'ftp://127.0.0.1:21'], env);
    assert.equal(ftp.status, 2);
    assert.match(ftp.stderr, /^process-tracker: --prometheus "ftp:\/\/127\.0\.0\.1:21" is not http or https/);
    const secret = await cli(['fleet', '--prometheus', 'http://me:hunter2@127.0.0.1:9'], env);
    assert.equal(secret.status, 2);
    assert.ok(!secret.stderr.includes('hunter2'), secret.stderr);
    const n = await cli(['fleet', '--prometheus', prometheus!.url, '-n', '0'], env);
    assert.equal(n.status, 2);
    assert.match(n.stderr, /-n "0" is not a whole number from 1 to 50/);
  });

  test('nothing listening: one line naming the server, exit 1', async () => {
    const port = await freePort();
    const result = await cli(['fleet', '--prometheus', `http://127.0.0.1:${port}`], env);
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      new RegExp(`^process-tracker: Prometheus at 127\\.0\\.0\\.1:${port} did not answer: .+\\n$`),
    );
  });

  test('a job with no agent: says so, exit 0', async () => {
    const result = await cli(['fleet', '--prometheus', prometheus!.url, '--job', 'nobody'], env);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /scrapes no Process Tracker agent in job "nobody"/);
  });
});
