// /metrics end to end: the real agent (dist/agent.js) with --metrics on a free loopback port, a
// real Prometheus (Debian's `prometheus`, started here on 127.0.0.1 with its own data folder,
// scraping every second), a CPU burner and short-lived processes we spawn and end by PID. PromQL
// over what Prometheus stored must match what the kernel and the agent say; promtool checks the
// exposition, the alerting rules (and their unit tests) and every Grafana panel's expression,
// each of which must return data. Never touches a system Prometheus (:9090 or its data).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { StatsRow } from '../../shared/model';
import { StatsRequest } from '../../shared/protocol';
import { connectToAgent } from '../../client/connection';
import { socketPathFor } from '../../client/socketDir';
import { cli, endByPid, requireBuild, startAgent, tempDir, waitFor, type RunningAgent } from './agentHarness';
import { PROMTOOL, requirePrometheus, startPrometheus, type RunningPrometheus } from './prometheusHarness';

requireBuild();
requirePrometheus();
const ROOT = path.resolve(__dirname, '..', '..');
const RULES = path.join(ROOT, 'contrib', 'prometheus', 'alerts.yml');
const RULE_TESTS = path.join(ROOT, 'contrib', 'prometheus', 'alerts.test.yml');
const DASHBOARD = path.join(ROOT, 'contrib', 'grafana', 'process-tracker.json');

const temp = tempDir('pt-metrics-');
const env = { XDG_RUNTIME_DIR: path.join(temp.dir, 'run'), XDG_CONFIG_HOME: path.join(temp.dir, 'config') };
mkdirSync(env.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
const dataDir = path.join(temp.dir, 'data');
const suffix = String(process.pid % 100_000);
/** Names no other process on the machine has (comm keeps 15 characters). */
const BURNER = `ptburn${suffix}`;
const STARTER = `ptstart${suffix}`;
const MARKER = `secret-token=CANARY${suffix}x7`;

const children: ChildProcess[] = [];
let agent: RunningAgent | undefined;
let prometheus: RunningPrometheus | undefined;
let metricsUrl = '';
let instance = '';
let promUrl = '';
let burner: ChildProcess | undefined;
let burnerStartedAt = 0;

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(expr: string): Promise<Sample[]> {
  const response = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await response.json()) as { status: string; error?: string; data: { result: Sample[] } };
  if (body.status !== 'success') throw new Error(`PromQL ${expr}: ${body.error}`);
  return body.data.result;
}

async function scalar(expr: string): Promise<number | undefined> {
  const [first] = await query(expr);
  return first ? Number(first.value[1]) : undefined;
}

/** Polls a PromQL expression until `ok` holds for its first value. */
async function until(expr: string, ok: (value: number) => boolean, timeoutMs = 30_000): Promise<number> {
  let last: number | undefined;
  await waitFor(
    async () => {
      last = await scalar(expr);
      return last !== undefined && ok(last);
    },
    timeoutMs,
    () => `${expr} = ${last}\n${prometheus?.log().slice(-2000)}`,
  );
  return last!;
}

/** What the agent says about a name over the last ten minutes, from its store, over its socket. */
async function agentSays(name: string): Promise<StatsRow | undefined> {
  const client = await connectToAgent(
    { socketPath: socketPathFor(dataDir, env) },
    { clientName: 'metrics-test' },
  );
  assert.ok(client, 'the agent serves');
  try {
    const to = Date.now();
    const result = await client.request(StatsRequest.type, {
      from: to - 600_000,
      to,
      filter: { regex: `^${name}$` },
    });
    return result.rows.find((row) => row.name === name);
  } finally {
    await client.close();
  }
}

function linkTo(target: string, name: string): string {
  const link = path.join(temp.dir, name);
  symlinkSync(target, link);
  return link;
}

function promtool(args: string[], input?: string) {
  return spawnSync(PROMTOOL, args, { input, encoding: 'utf8', timeout: 30_000 });
}

before(async () => {
  // Room for every name on a busy shared machine: at the default cap (500 series, ~49 names) the
  // test's names would be counted under "other" (the cap itself is proven in test/unit/agent/metrics).
  const configDir = path.join(env.XDG_CONFIG_HOME, 'process-tracker');
  mkdirSync(configDir, { recursive: true });
  writeFileSync(path.join(configDir, 'metrics.yaml'), 'max_series: 20000\n', { mode: 0o600 });
  agent = await startAgent(dataDir, env, ['--interval', '250ms', '--metrics', '127.0.0.1:0']);
  await waitFor(
    () => /metrics on http:\/\/\S+/.test(agent!.stderr()),
    15_000,
    () => agent!.stderr(),
  );
  metricsUrl = /metrics on (http:\/\/\S+)/.exec(agent.stderr())![1]!;
  instance = new URL(metricsUrl).host;

  prometheus = await startPrometheus(
    path.join(temp.dir, 'prometheus'),
    ['  - job_name: process-tracker', `    static_configs: [{ targets: [${JSON.stringify(instance)}] }]`],
    [RULES],
  );
  promUrl = prometheus.url;
  await until(`up{job="process-tracker",instance="${instance}"}`, (up) => up === 1, 40_000);
});

after(async () => {
  for (const child of children) await endByPid(child);
  await prometheus?.stop();
  await agent?.stop();
  temp.remove();
});

describe('the CLI refuses what it must', () => {
  test('a non-loopback address without auth: one line, exit 2, nothing started', async () => {
    const dir = path.join(temp.dir, 'refused');
    const result = await cli(['run', '--quiet', '--data-dir', dir, '--metrics', '0.0.0.0:9464'], env);
    assert.equal(result.status, 2, result.stderr);
    assert.match(
      result.stderr,
      /^process-tracker: metrics address 0\.0\.0\.0:9464 is not loopback and has no authentication: set bearer_token or basic_auth in .*metrics\.yaml, or listen on 127\.0\.0\.1\n$/,
    );
    assert.equal(existsSync(dir), false, 'no data dir was made');
  });

  test('an address that is not one: exit 2', async () => {
    const result = await cli(['run', '--metrics', 'somewhere'], env);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--metrics "somewhere" is not an address: give HOST:PORT/);
  });
});

describe('Prometheus scrapes a real agent', () => {
  test('promtool check metrics passes on the text format; OpenMetrics on request; no command line in any label', async () => {
    burnerStartedAt = Date.now();
    // Busy in both modes: reading /dev/zero a megabyte at a time in a loop (the kernel fills the
    // buffer), so the kernel's part is large enough to compare with /metrics' mode="system".
    const loop =
      "const fs = require('fs'); const b = Buffer.alloc(1 << 20); const fd = fs.openSync('/dev/zero', 'r'); for (;;) fs.readSync(fd, b, 0, b.length, null);";
    burner = spawn(linkTo(process.execPath, BURNER), ['-e', loop, '--', MARKER], {
      stdio: 'ignore',
    });
    children.push(burner);
    const pidLabel = `pid="${burner.pid}"`;
    let text = '';
    await waitFor(
      async () => (text = await (await fetch(metricsUrl)).text()).includes(pidLabel),
      20_000,
      () => 'the burner among the top processes',
    );
    const check = promtool(['check', 'metrics'], text);
    assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
    assert.ok(!text.includes(MARKER) && !text.includes('cmdline'), 'a command line in a label');
    assert.ok(!/^\S+\{[^}]*\} \S+ \d+$/m.test(text), 'no timestamps');
    const om = await fetch(metricsUrl, {
      headers: { accept: 'application/openmetrics-text; version=1.0.0' },
    });
    assert.match(om.headers.get('content-type') ?? '', /^application\/openmetrics-text/);
    const omText = await om.text();
    assert.ok(omText.endsWith('# EOF\n') && !omText.includes(MARKER));
  });

  test("the burner's CPU: its counter in Prometheus matches the kernel's figure, its rate at most one core and what the kernel gave it", async () => {
    const selector = `{instance="${instance}",name="${BURNER}"`;
    const user = `process_tracker_group_cpu_seconds_total${selector},mode="user"}`;
    const system = `process_tracker_group_cpu_seconds_total${selector},mode="system"}`;
    // Eight seconds of samples, then the burner is paused: its counter stops, and can be compared.
    await until(`count_over_time(${user}[1m])`, (n) => n >= 8);
    const both = `process_tracker_group_cpu_seconds_total${selector}}`;
    const peakRate = (await scalar(`max_over_time(sum without (mode) (rate(${both}[3s]))[20s:1s])`))!;
    process.kill(burner!.pid!, 'SIGSTOP');
    const stat = readFileSync(`/proc/${burner!.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, USER_HZ.
    const [kernelUser, kernelSystem] = [Number(fields[11]) / 100, Number(fields[12]) / 100];
    const kernelSeconds = kernelUser + kernelSystem;
    // Stored value unchanged over three scrapes: Prometheus holds the agent's final count.
    await until(`changes(${user}[3s]) == 0 and count_over_time(${user}[3s]) >= 3`, () => true);
    const [storedUser, storedSystem] = [(await scalar(user))!, (await scalar(system))!];
    const stored = storedUser + storedSystem;
    // The agent counts from its second reading of the burner: up to two ticks (0.5 s) of CPU before.
    // Each mode matches the kernel's own figure for it.
    for (const [mode, got, kernel] of [
      ['user', storedUser, kernelUser],
      ['system', storedSystem, kernelSystem],
    ] as const) {
      assert.ok(got <= kernel + 0.1 && got >= kernel - 1, `${mode}: stored ${got} s, kernel ${kernel} s`);
    }
    // The kernel's part is really there (its share of a core depends on the machine's load), and
    // counted as system, not user.
    assert.ok(
      kernelSystem >= 0.2 && storedSystem >= kernelSystem / 2,
      `system ${storedSystem} s, kernel ${kernelSystem} s`,
    );
    // One busy thread: at most a core. How much of one it gets depends on the machine's load (a
    // loaded 2-core CI machine gave it 0.19), so the floor is what the kernel says it got on average
    // over its life: Prometheus' peak rate cannot be below half of that.
    const lifeSeconds = (Date.now() - burnerStartedAt) / 1000;
    const kernelRate = kernelSeconds / lifeSeconds;
    assert.ok(
      peakRate > kernelRate / 2 && peakRate < 1.15,
      `peak rate ${peakRate} cores, the kernel's average ${kernelRate.toFixed(2)}`,
    );
    console.log(
      `burner: ${stored.toFixed(2)} CPU-s stored (user ${storedUser.toFixed(2)}, system ${storedSystem.toFixed(2)}), kernel ${kernelSeconds.toFixed(2)} s (user ${kernelUser}, system ${kernelSystem}), peak rate ${peakRate.toFixed(2)} cores`,
    );

    // What the agent says over its socket (its own store): the same CPU seconds.
    const row = await agentSays(BURNER);
    assert.ok(row, 'the agent knows the burner');
    assert.ok(Math.abs(row.cpuSeconds - stored) <= 0.3, `agent ${row.cpuSeconds} s, Prometheus ${stored} s`);
  });

  test('starts are counted: three processes of one name, one of them after another ended', async () => {
    const sleep = linkTo('/bin/sleep', STARTER);
    const start = () => {
      const child = spawn(sleep, ['60'], { stdio: 'ignore' });
      children.push(child);
      return child;
    };
    const processes = `process_tracker_group_processes{instance="${instance}",name="${STARTER}"}`;
    const first = start();
    start();
    await until(processes, (n) => n === 2);
    await endByPid(first);
    start();
    const starts = `max_over_time(process_tracker_group_starts_total{instance="${instance}",name="${STARTER}"}[1m])`;
    await until(starts, (n) => n === 3);
    assert.equal((await agentSays(STARTER))?.starts, 3);
  });

  test('every Grafana panel and variable: valid PromQL (promtool) that returns data', async () => {
    const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
      __inputs: { type: string; pluginId: string }[];
      panels: { title: string; targets?: { expr: string }[] }[];
      templating: { list: { name: string; query: { query: string } }[] };
    };
    assert.deepEqual(
      dashboard.__inputs.map((i) => [i.type, i.pluginId]),
      [['datasource', 'prometheus']],
    );
    assert.ok(dashboard.templating.list.some((v) => v.name === 'instance'));
    const substitute = (expr: string) =>
      expr
        .replaceAll('$instance', instance.replaceAll('.', '\\\\.'))
        .replaceAll('$group', BURNER)
        .replaceAll('$__rate_interval', '10s')
        .replaceAll('$__range', '1m')
        .replaceAll('$__interval', '2s');
    const exprs = [
      ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ title: p.title, expr: t.expr }))),
      // label_values(SELECTOR, LABEL) asks Prometheus for SELECTOR's series.
      ...dashboard.templating.list.map((v) => ({
        title: `variable ${v.name}`,
        expr: /^label_values\((.*), *\w+\)$/.exec(v.query.query)![1]!,
      })),
    ].map(({ title, expr }) => ({ title, expr: substitute(expr) }));
    assert.ok(exprs.length >= 15, `${exprs.length} expressions`);

    const rules = path.join(temp.dir, 'dashboard-rules.yml');
    writeFileSync(
      rules,
      `groups:\n  - name: dashboard\n    rules:\n${exprs
        .map(({ expr }, i) => `      - record: dashboard:expr${i}\n        expr: ${JSON.stringify(expr)}\n`)
        .join('')}`,
    );
    const check = promtool(['check', 'rules', rules]);
    assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
    for (const { title, expr } of exprs) {
      const result = await query(expr);
      assert.ok(result.length > 0, `panel "${title}": ${expr} returned no data`);
    }
  });

  test('the alerting rules: promtool check rules, promtool test rules, and loaded by the real Prometheus', async () => {
    const check = promtool(['check', 'rules', RULES]);
    assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
    const unit = promtool(['test', 'rules', RULE_TESTS]);
    assert.equal(unit.status, 0, `${unit.stdout}${unit.stderr}`);
    const response = await fetch(`${promUrl}/api/v1/rules`);
    const body = (await response.json()) as {
      data: { groups: { rules: { name: string; health: string }[] }[] };
    };
    const loaded = body.data.groups.flatMap((g) => g.rules);
    assert.equal(loaded.length, 6);
    assert.ok(
      loaded.every((r) => r.health !== 'err'),
      JSON.stringify(loaded),
    );
  });
});
