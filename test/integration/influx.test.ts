// InfluxDB end to end: a real influxd (Debian's `influxdb`, 1.x, started here on free 127.0.0.1
// ports with its own temp config and folders, ended by PID), the real agent (dist/agent.js) and
// a CPU burner with a hostile name we spawn and end by PID. export --format influx is written to
// /write and read back exactly; run --influx fills its outbox while InfluxDB is down, survives an
// agent restart, and delivers everything once InfluxDB is up — each line once. The 2.x endpoint
// is checked against a recording 127.0.0.1 server (Debian's 1.6 has no /api/v2). Never touches a
// system InfluxDB.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { freePort } from '../harness/codeServer';
import { cli, endByPid, requireBuild, startAgent, tempDir, waitFor, type RunningAgent } from './agentHarness';

requireBuild();
const INFLUXD = '/usr/bin/influxd';
if (!existsSync(INFLUXD))
  throw new Error(`${INFLUXD} is missing: run "bash scripts/setup-ci.sh" (Debian's influxdb)`);

const temp = tempDir('pt-influx-');
const env = { XDG_RUNTIME_DIR: path.join(temp.dir, 'run'), XDG_CONFIG_HOME: path.join(temp.dir, 'config') };
mkdirSync(env.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
const suffix = String(process.pid % 100_000);
const children: ChildProcess[] = [];
const agents: RunningAgent[] = [];
const servers: http.Server[] = [];

/** A program under a name of our choosing (comm is the link's name, up to 15 bytes). */
function burner(name: string, args: string[]): ChildProcess {
  const link = path.join(temp.dir, name);
  symlinkSync(process.execPath, link);
  const child = spawn(link, ['-e', 'for (;;) {}', '--', ...args], { stdio: 'ignore' });
  children.push(child);
  return child;
}

interface Influxd {
  url: string;
  child: ChildProcess;
  log: () => string;
}

async function startInfluxd(port?: number): Promise<Influxd> {
  const httpPort = port ?? (await freePort());
  const rpcPort = await freePort();
  const dir = path.join(temp.dir, `influxd-${httpPort}`);
  mkdirSync(dir, { recursive: true });
  const config = path.join(dir, 'influxd.conf');
  writeFileSync(
    config,
    [
      'reporting-enabled = false',
      `bind-address = "127.0.0.1:${rpcPort}"`,
      '[meta]',
      `  dir = "${dir}/meta"`,
      '[data]',
      `  dir = "${dir}/data"`,
      `  wal-dir = "${dir}/wal"`,
      '  query-log-enabled = false',
      '[monitor]',
      '  store-enabled = false',
      '[http]',
      `  bind-address = "127.0.0.1:${httpPort}"`,
      '  log-enabled = false',
      '[continuous_queries]',
      '  enabled = false',
      '',
    ].join('\n'),
  );
  const child = spawn(INFLUXD, ['-config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${httpPort}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`influxd exited ${child.exitCode}: ${log.slice(-2000)}`);
      return (await fetch(`${url}/ping`).catch(() => undefined))?.status === 204;
    },
    30_000,
    () => log.slice(-2000),
  );
  return { url, child, log: () => log };
}

interface InfluxSeries {
  name: string;
  columns: string[];
  values: unknown[][];
}

async function influxQuery(url: string, q: string, db?: string): Promise<InfluxSeries[]> {
  const params = new URLSearchParams({ q, epoch: 'ms', ...(db ? { db } : {}) });
  const response = await fetch(`${url}/query`, { method: 'POST', body: params });
  const body = (await response.json()) as { results: { series?: InfluxSeries[]; error?: string }[] };
  const result = body.results[0]!;
  if (result.error) throw new Error(`${q}: ${result.error}`);
  return result.series ?? [];
}

/** The rows of a series as objects keyed by column. */
const records = (series: InfluxSeries[]) =>
  series.flatMap((s) => s.values.map((v) => Object.fromEntries(s.columns.map((c, i) => [c, v[i]]))));

function writeConfig(name: string, text: string): string {
  const file = path.join(temp.dir, name);
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}

after(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await Promise.all(children.map((child) => endByPid(child)));
  for (const server of servers) server.close();
  temp.remove();
});

describe('export --format influx into a real InfluxDB', () => {
  test('every stored row of a hostile-named process reads back with the exact values', async () => {
    const influxd = await startInfluxd();
    const dataDir = path.join(temp.dir, 'export-data');
    // Space, comma, equals, quote and backslash in the name; newline, quotes, unicode in arguments.
    const name = `p t,=q"\\${suffix}`;
    const child = burner(name, ['say "hi"\\ C:\\tmp', 'two\nlines ünï😀']);
    const agent = await startAgent(dataDir, env, ['--interval', '250ms']);
    agents.push(agent);
    const started = Date.now();
    await waitFor(() => Date.now() - started > 3000, 10_000);
    assert.equal(await agent.stop(), 0);
    await endByPid(child);

    const range = ['--from', '-10m', '--pid', String(child.pid)];
    const lp = path.join(temp.dir, 'export.lp');
    const exported = await cli(
      ['export', '--data-dir', dataDir, '--format', 'influx', '--out', lp, ...range],
      env,
    );
    assert.equal(exported.status, 0, exported.stderr);
    const json = await cli(['export', '--data-dir', dataDir, '--format', 'json', ...range], env);
    assert.equal(json.status, 0, json.stderr);
    const rows = (JSON.parse(json.stdout) as { rows: Record<string, string | number | null>[] }).rows;
    assert.ok(rows.length >= 3, `stored rows of the burner: ${rows.length}`);
    const text = readFileSync(lp, 'utf8');
    assert.equal(
      text.trimEnd().split('\n').length,
      rows.length + rows.length,
      'one newline inside each cmdline',
    );

    await influxQuery(influxd.url, 'CREATE DATABASE pt');
    const write = await fetch(`${influxd.url}/write?db=pt&precision=ns`, { method: 'POST', body: text });
    assert.equal(write.status, 204, await write.text());

    const back = records(
      await influxQuery(influxd.url, `SELECT * FROM process_tracker WHERE pid = '${child.pid}'`, 'pt'),
    );
    assert.equal(back.length, rows.length);
    for (const [i, row] of rows.entries()) {
      const point = back[i]!;
      assert.equal(point.time, Date.parse(row.time as string));
      assert.equal(point.process_name, row.name);
      assert.equal(point.process_name, name);
      assert.equal(point.pid, String(row.pid));
      assert.equal(point.user, row.user);
      assert.equal(point.category, row.category);
      assert.equal(point.tier, row.tier);
      assert.equal(point.cmdline, row.cmdline);
      assert.match(point.cmdline as string, /say "hi"\\ C:\\tmp two\nlines ünï😀/);
      assert.equal(point.cpu_usage ?? null, row.cpu_pct);
      assert.equal(point.cpu_max_pct ?? null, row.cpu_max_pct);
      assert.equal(point.memory_rss ?? null, row.rss_bytes);
      assert.equal(point.rss_max_bytes ?? null, row.rss_max_bytes);
      assert.equal(point.read_bps ?? null, row.read_bps);
      assert.equal(point.write_bps ?? null, row.write_bps);
      assert.equal(point.num_threads ?? null, row.threads);
      assert.equal(point.num_fds ?? null, row.fds);
      assert.equal(point.span_s, row.span_s);
      assert.equal(Math.round((point.created_at as number) / 1e6), Date.parse(row.start_time as string));
    }
  });
});

describe('run --influx', () => {
  test('InfluxDB down: the outbox fills and survives a restart; once up, every line arrives once', async () => {
    const influxPort = await freePort();
    // A recording proxy in front of where influxd will listen: it sees every attempt and answer.
    const delivered: string[] = [];
    let attempts = 0;
    const proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      // eslint-disable-next-line @typescript-eslint/no-misused-promises -- its try/catch answers every outcome
      req.on('end', async () => {
        attempts++;
        const body = Buffer.concat(chunks).toString('utf8');
        try {
          const upstream = await fetch(`http://127.0.0.1:${influxPort}${req.url}`, {
            method: 'POST',
            headers: { 'content-type': String(req.headers['content-type']) },
            body,
          });
          if (upstream.status === 204) delivered.push(...body.trimEnd().split('\n'));
          res.writeHead(upstream.status).end(await upstream.text());
        } catch {
          res.writeHead(503).end('influxd is down');
        }
      });
    });
    servers.push(proxy);
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    const config = writeConfig('push.yaml', 'database: pt2\nbatch_ticks: 2\nmax_backoff: 500ms\n');
    const dataDir = path.join(temp.dir, 'push-data');
    const outboxDir = path.join(dataDir, 'influx-outbox');
    const child = burner(`ptpush${suffix}`, []);
    const flags = ['--interval', '200ms', '--influx', proxyUrl, '--influx-config', config];

    const first = await startAgent(dataDir, env, flags);
    agents.push(first);
    const batches = () =>
      existsSync(outboxDir) ? readdirSync(outboxDir).filter((f) => f.endsWith('.lp')) : [];
    await waitFor(
      () => batches().length >= 4 && attempts >= 2,
      20_000,
      () => first.stderr(),
    );
    assert.equal(await first.stop(), 0);
    assert.match(
      first.stderr(),
      /influx: InfluxDB at http:\/\/127\.0\.0\.1:\d+ did not take a batch \(HTTP 503/,
    );
    const kept = batches().flatMap((f) =>
      readFileSync(path.join(outboxDir, f), 'utf8').trimEnd().split('\n'),
    );
    assert.ok(
      kept.some((line) => line.includes(`pid=${child.pid},`)),
      'the burner is in the outbox',
    );

    const second = await startAgent(dataDir, env, flags);
    agents.push(second);
    // The pusher starts after the agent serves (the store opens first): wait for its line.
    await waitFor(
      () => /influx: \d+ batch\(es\) left from before/.test(second.stderr()),
      20_000,
      () => second.stderr(),
    );
    const influxd = await startInfluxd(influxPort);
    await influxQuery(influxd.url, 'CREATE DATABASE pt2');
    await waitFor(
      () => kept.every((line) => delivered.includes(line)) && batches().length <= 1,
      30_000,
      () => `${delivered.length} delivered; ${batches().length} batches left\n${second.stderr()}`,
    );
    assert.equal(await second.stop(), 0);

    assert.equal(new Set(delivered).size, delivered.length, 'no line delivered twice');
    const [count] = records(
      await influxQuery(influxd.url, 'SELECT count(created_at) FROM process_tracker', 'pt2'),
    );
    assert.equal(count!.count, delivered.length, 'InfluxDB holds one point per delivered line');
    const burnerPoints = records(
      await influxQuery(
        influxd.url,
        `SELECT cpu_usage FROM process_tracker WHERE pid = '${child.pid}'`,
        'pt2',
      ),
    );
    const burnerLines = delivered.filter((line) => line.includes(`pid=${child.pid},`));
    assert.equal(burnerPoints.length, burnerLines.length);
    assert.ok(burnerLines.length >= kept.filter((l) => l.includes(`pid=${child.pid},`)).length);
  });

  test('InfluxDB 2.x: /api/v2/write with org, bucket, precision and the Token header; the token never logged', async () => {
    const requests: { url: string; auth: string | undefined; body: string }[] = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        requests.push({
          url: req.url!,
          auth: req.headers.authorization,
          body: Buffer.concat(chunks).toString(),
        });
        res.writeHead(204).end();
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/base`;
    const token = `tok-${suffix}-secret-value`;
    const config = writeConfig('v2.yaml', `org: my org\nbucket: procs/1\ntoken: ${token}\nbatch_ticks: 1\n`);
    const dataDir = path.join(temp.dir, 'v2-data');
    const agent = await startAgent(dataDir, env, [
      '--interval',
      '200ms',
      '--influx',
      url,
      '--influx-config',
      config,
    ]);
    agents.push(agent);
    await waitFor(
      () => requests.length >= 2,
      20_000,
      () => agent.stderr(),
    );
    assert.equal(await agent.stop(), 0);
    const first = new URL(requests[0]!.url, 'http://x');
    assert.equal(first.pathname, '/base/api/v2/write');
    assert.equal(first.searchParams.get('org'), 'my org');
    assert.equal(first.searchParams.get('bucket'), 'procs/1');
    assert.equal(first.searchParams.get('precision'), 'ns');
    assert.equal(requests[0]!.auth, `Token ${token}`);
    assert.match(requests[0]!.body, /^process_tracker,category=\w+,pid=\d+,/);
    const log = readFileSync(path.join(dataDir, 'agent.log'), 'utf8');
    assert.ok(!log.includes(token) && !agent.stderr().includes(token), 'the token is not in the log');
  });

  test('refused settings: exit 2 with one line naming the fix', async () => {
    const remote = await cli(
      ['run', '--influx', 'http://192.0.2.1:8086', '--influx-config', writeConfig('r.yaml', 'database: x\n')],
      env,
    );
    assert.equal(remote.status, 2);
    assert.match(
      remote.stderr,
      /is not this machine and not https: use https:\/\/, or set allow_insecure_http: true in /,
    );
    const creds = await cli(
      [
        'run',
        '--influx',
        'https://u:p@example.org',
        '--influx-config',
        writeConfig('c.yaml', 'database: x\n'),
      ],
      env,
    );
    assert.equal(creds.status, 2);
    assert.match(creds.stderr, /give the server's address only; put username\/password or token in /);
    const none = await cli(
      ['run', '--influx', 'http://127.0.0.1:8086', '--influx-config', writeConfig('n.yaml', 'org: o\n')],
      env,
    );
    assert.equal(none.status, 2);
    assert.match(none.stderr, /InfluxDB 2\.x needs org, bucket and token: set all three/);
  });
});
