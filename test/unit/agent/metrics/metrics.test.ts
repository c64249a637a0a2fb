// /metrics' collector, exposition and settings: figures per process name from ticks, the series
// cap, gone groups and PIDs removed, no command line in any label unless turned on, and the
// address/auth rules of metrics.yaml.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { ProcessRow, Tick } from '../../../../shared/model';
import { UserInputError } from '../../../../shared/errors';
import { DEFAULT_METRICS } from '../../../../shared/settings';
import { fixedSeries, MetricsCollector, OTHER } from '../../../../agent/metrics/collector';
import { isLoopback, loadMetricsSettings, parseListen } from '../../../../agent/metrics/config';
import { MetricsRegistry, type Format } from '../../../../agent/metrics/registry';
import { processRow } from '../../../fixtures/rows';

const CANARY = 'CANARYpassw0rd-9f2c1e';

function row(pid: number, name: string, over: Partial<ProcessRow> = {}): ProcessRow {
  return processRow({ pid, name, cmdline: `/usr/bin/${name} --token=${CANARY} --worker ${pid}`, ...over });
}

let now = 1_800_000_000_000;
function tick(processes: ProcessRow[], previous?: Tick): Tick {
  now += 1000;
  const alive = new Set(processes.map((p) => `${p.pid}:${p.startTime}`));
  return {
    ts: now,
    elapsedMs: previous ? 1000 : 0,
    machine: {
      ts: now,
      cpu: previous ? 50 : null,
      cores: 2,
      memUsed: 1e9,
      memTotal: 4e9,
      swapUsed: 0,
      swapTotal: 0,
      load1: 1,
      load5: 1,
      load15: 1,
      processCount: processes.length,
    },
    processes,
    exited: (previous?.processes ?? [])
      .filter((p) => !alive.has(`${p.pid}:${p.startTime}`))
      .map(({ pid, startTime }) => ({ pid, startTime })),
  };
}

const settings = { ...DEFAULT_METRICS };

async function render(
  collector: MetricsCollector,
  format: Format = 'text',
  cmdline = false,
): Promise<string> {
  return new MetricsRegistry('1.2.3', cmdline).render(collector.view(), format);
}

/** Sample lines: name{labels} value. */
function samples(text: string): string[] {
  return text.split('\n').filter((line) => line && !line.startsWith('#'));
}

function value(text: string, series: string): number | undefined {
  const line = samples(text).find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('collector', () => {
  test('sums CPU seconds, bytes and starts per name from the ticks; the first tick holds no starts', async () => {
    const c = new MetricsCollector(settings);
    const t1 = tick([row(10, 'web'), row(11, 'web'), row(20, 'db')]);
    c.onTick(t1);
    const t2 = tick(
      [
        row(10, 'web', { cpu: 100, readBps: 1000 }),
        row(11, 'web', { cpu: 50, writeBps: 10 }),
        row(20, 'db'),
        row(12, 'web', { cpu: null }),
      ],
      t1,
    );
    c.onTick(t2);
    const text = await render(c);
    // No kernel part on these rows: all user.
    assert.equal(value(text, 'process_tracker_group_cpu_seconds_total{name="web",mode="user"}'), 1.5);
    assert.equal(value(text, 'process_tracker_group_cpu_seconds_total{name="web",mode="system"}'), 0);
    assert.equal(value(text, 'process_tracker_group_read_bytes_total{name="web"}'), 1000);
    assert.equal(value(text, 'process_tracker_group_written_bytes_total{name="web"}'), 10);
    assert.equal(value(text, 'process_tracker_group_starts_total{name="web"}'), 1);
    assert.equal(value(text, 'process_tracker_group_starts_total{name="db"}'), 0);
    assert.equal(value(text, 'process_tracker_group_processes{name="web"}'), 3);
    assert.equal(value(text, 'process_tracker_group_resident_memory_bytes{name="web"}'), 3000);
    assert.equal(value(text, 'process_tracker_group_open_fds{name="web"}'), 9);
    assert.equal(
      value(text, 'process_tracker_group_oldest_start_time_seconds{name="web"}'),
      1_700_000_000.01,
    );
    assert.equal(value(text, 'process_tracker_machine_cpu_seconds_total'), 1); // 50 % of 2 cores for 1 s
    assert.equal(value(text, 'process_tracker_top_process_cpu_ratio{pid="10",name="web"}'), 1);
    assert.equal(
      value(text, 'process_tracker_build_info{version="1.2.3",nodejs_version="' + process.version + '"}'),
      1,
    );
  });

  test('CPU seconds by mode: the kernel part is system, the rest user; an exit takes nothing back', async () => {
    const c = new MetricsCollector(settings);
    const cpu = (mode: string) => `process_tracker_group_cpu_seconds_total{name="web",mode="${mode}"}`;
    const t1 = tick([row(10, 'web'), row(11, 'web')]);
    c.onTick(t1);
    // One second: 10 at 80 % (30 % in the kernel), 11 at 50 % (all user).
    const t2 = tick(
      [row(10, 'web', { cpu: 80, cpuSystem: 30 }), row(11, 'web', { cpu: 50, cpuSystem: 0 })],
      t1,
    );
    c.onTick(t2);
    let text = await render(c);
    assert.equal(value(text, cpu('user')), 1);
    assert.equal(value(text, cpu('system')), 0.3);
    // 10 exits: the group's counters keep its seconds, and go on with 11's.
    const t3 = tick([row(11, 'web', { cpu: 20, cpuSystem: 10 })], t2);
    c.onTick(t3);
    text = await render(c);
    assert.equal(value(text, cpu('user')), 1.1);
    assert.equal(value(text, cpu('system')), 0.4);
    // A kernel part above the whole (never made by derive) is capped at the whole.
    c.onTick(tick([row(11, 'web', { cpu: 10, cpuSystem: 50 })], t3));
    assert.equal(value(await render(c), cpu('system')), 0.5);
  });

  test('a reused pid with another start time is a start', async () => {
    const c = new MetricsCollector(settings);
    const t1 = tick([row(10, 'job')]);
    c.onTick(t1);
    const t2 = tick([row(10, 'job', { startTime: 5 })], t1);
    c.onTick(t2);
    assert.equal(value(await render(c), 'process_tracker_group_starts_total{name="job"}'), 1);
  });

  test('series of gone names and gone PIDs are removed', async () => {
    const c = new MetricsCollector(settings);
    const t1 = tick([row(10, 'web', { cpu: 10 }), row(20, 'gone', { cpu: 90 })]);
    c.onTick(t1);
    let text = await render(c);
    assert.ok(text.includes('name="gone"'));
    assert.ok(text.includes('pid="20"'));
    c.onTick(tick([row(10, 'web', { cpu: 10 })], t1));
    text = await render(c);
    assert.ok(!text.includes('name="gone"'), text);
    assert.ok(!text.includes('pid="20"'), text);
  });

  test('at most maxSeries series; names beyond the cap fold into "other", whose counters stay monotonic', async () => {
    const c = new MetricsCollector(settings);
    const rows = (cpu: number) => Array.from({ length: 1000 }, (_, i) => row(100 + i, `name-${i}`, { cpu }));
    const t1 = tick(rows(0));
    c.onTick(t1);
    const t2 = tick(rows(1), t1);
    c.onTick(t2);
    for (const format of ['text', 'openmetrics'] as const) {
      const text = await render(c, format);
      const count = samples(text).filter((l) => l !== '# EOF').length;
      assert.ok(count <= DEFAULT_METRICS.maxSeries, `${count} series in ${format}`);
      // The room kept for 2N top processes (by CPU and by memory) is half used here: they overlap.
      assert.ok(count > DEFAULT_METRICS.maxSeries - 50, `${count} series: the cap is used, not wasted`);
    }
    const text = await render(c);
    const other = value(text, `process_tracker_group_processes{name="${OTHER}"}`)!;
    const named = samples(text).filter((l) => l.startsWith('process_tracker_group_processes{')).length - 1;
    assert.equal(other + named, 1000);
    assert.equal(value(text, 'process_tracker_folded_names'), other);
    const otherCpu = `process_tracker_group_cpu_seconds_total{name="${OTHER}",mode="user"}`;
    const before = value(text, otherCpu)!;
    c.onTick(tick(rows(1), t2));
    assert.ok(value(await render(c), otherCpu)! > before);
  });

  test('the fixed series are as many as the cap reckons with', async () => {
    const c = new MetricsCollector({ ...settings, topProcesses: 0 });
    c.onTick(tick([]));
    assert.equal(samples(await render(c)).length, fixedSeries);
  });

  test('no command line in any label by default, in either format', async () => {
    const c = new MetricsCollector(settings);
    const t1 = tick([row(10, 'web', { cpu: 10 }), row(11, 'db', { rss: 5e9 })]);
    c.onTick(t1);
    c.onTick(tick(t1.processes, t1));
    for (const format of ['text', 'openmetrics'] as const) {
      const text = await render(c, format);
      assert.ok(text.includes('pid="10"'), 'the top processes are there');
      assert.ok(!text.includes(CANARY), `a command line leaked into ${format}`);
      assert.ok(!text.includes('cmdline'), `a cmdline label in ${format}`);
    }
  });

  test('command lines as labels only when turned on, escaped and cut', async () => {
    const c = new MetricsCollector({ ...settings, commandLineLabels: true });
    c.onTick(tick([row(10, 'web', { cpu: 10, cmdline: `a "quoted"\nline ${'x'.repeat(400)}` })]));
    const text = await render(c, 'text', true);
    const line = samples(text).find((l) =>
      l.startsWith('process_tracker_top_process_resident_memory_bytes{'),
    )!;
    assert.ok(line.includes('cmdline="a \\"quoted\\"\\nline xxx'), line);
    assert.ok(line.length < 400, 'cut to 256 characters');
  });

  test('OpenMetrics: counters typed without _total, samples with it, and # EOF', async () => {
    const c = new MetricsCollector(settings);
    c.onTick(tick([row(10, 'web')]));
    const om = await render(c, 'openmetrics');
    assert.ok(om.includes('# TYPE process_tracker_group_cpu_seconds counter'));
    assert.ok(om.includes('process_tracker_group_cpu_seconds_total{name="web",mode="user"} 0'));
    assert.ok(om.endsWith('# EOF\n'));
    // The text registry is not touched by the OpenMetrics one.
    assert.ok((await render(c, 'text')).includes('# TYPE process_tracker_group_cpu_seconds_total counter'));
  });
});

describe('a registry kept between scrapes', () => {
  /** The agent's own CPU and memory are read live at each render: the only lines two renders may differ in. */
  const steady = (text: string) =>
    text.replace(/^(process_tracker_agent_(?:cpu_seconds_total|resident_memory_bytes)\S*) .*$/gm, '$1 …');

  test('renders what a fresh registry renders, tick after tick, as names and PIDs come and go', async () => {
    for (const cmdline of [false, true]) {
      // A small cap, so names also fold into "other" and come out of it.
      const c = new MetricsCollector({ maxSeries: 120, topProcesses: 2, commandLineLabels: cmdline });
      const kept = new MetricsRegistry('1.2.3', cmdline);
      const many = (from: number, count: number, cpu: number) =>
        Array.from({ length: count }, (_, i) => row(from + i, `n${(from + i) % 9}`, { cpu: (cpu * i) % 97 }));
      const steps: ProcessRow[][] = [
        [],
        many(10, 30, 3),
        [...many(10, 30, 5), row(500, 'web', { cpu: 90, cmdline: 'web "a"\\b\nc' })],
        // web gone, a name back, a pid reused by another name, no CPU reading yet for one
        [...many(12, 20, 7), row(10, 'fresh', { startTime: 9 }), row(600, 'late', { cpu: null, rss: null })],
        many(40, 12, 11),
        [row(700, 'web', { cpu: 1 })],
        [],
      ];
      let previous: Tick | undefined;
      for (const [i, processes] of steps.entries()) {
        const t = tick(processes, previous);
        c.onTick(t);
        previous = t;
        for (const format of ['openmetrics', 'text'] as const) {
          const view = c.view();
          const fresh = await new MetricsRegistry('1.2.3', cmdline).render(view, format);
          assert.equal(steady(await kept.render(view, format)), steady(fresh), `step ${i}, ${format}`);
        }
      }
    }
  });
});

describe('settings', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pt-metrics-unit-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const full = path.join(dir, name);
    writeFileSync(full, text, { mode: 0o600 });
    return full;
  };
  const missing = path.join(dir, 'none.yaml');

  test('addresses', () => {
    assert.deepEqual(parseListen('127.0.0.1:9464', 'x'), { host: '127.0.0.1', port: 9464 });
    assert.deepEqual(parseListen('9464', 'x'), { host: '127.0.0.1', port: 9464 });
    assert.deepEqual(parseListen('[::1]:9464', 'x'), { host: '::1', port: 9464 });
    assert.deepEqual(parseListen(':9464', 'x'), { host: '::', port: 9464 });
    for (const bad of ['', 'nope', '127.0.0.1:70000', 'example.com:9464', '1.2.3.4']) {
      assert.throws(() => parseListen(bad, '--metrics'), UserInputError, bad);
    }
    assert.ok(isLoopback('127.0.0.1') && isLoopback('::1') && isLoopback('localhost'));
    assert.ok(!isLoopback('0.0.0.0') && !isLoopback('::') && !isLoopback('192.168.1.2'));
  });

  test('off unless an address is given', () => {
    assert.equal(loadMetricsSettings(undefined, missing, false).settings, undefined);
    assert.deepEqual(loadMetricsSettings('127.0.0.1:9464', missing, false).settings, {
      host: '127.0.0.1',
      port: 9464,
      ...DEFAULT_METRICS,
    });
  });

  test('a non-loopback address is refused without auth, with one line naming the fix', () => {
    assert.throws(
      () => loadMetricsSettings('0.0.0.0:9464', missing, false),
      (error: Error) =>
        error instanceof UserInputError &&
        /0\.0\.0\.0:9464 is not loopback .*set bearer_token or basic_auth/.test(error.message) &&
        !error.message.includes('\n'),
    );
    const token = file('token.yaml', 'bearer_token: s3cret-token\n');
    assert.equal(loadMetricsSettings('0.0.0.0:9464', token, true).settings?.bearerToken, 's3cret-token');
    const basic = file('basic.yaml', 'basic_auth: { username: prom, password: pw-123456 }\n');
    assert.deepEqual(loadMetricsSettings('0.0.0.0:9464', basic, true).settings?.basicAuth, {
      username: 'prom',
      password: 'pw-123456',
    });
  });

  test('the file: listen, limits, mistakes named', () => {
    const full = file(
      'full.yaml',
      'listen: 127.0.0.1:9999\nmax_series: 1000\ntop_processes: 5\ncommand_line_labels: true\n',
    );
    assert.deepEqual(loadMetricsSettings(undefined, full, true).settings, {
      host: '127.0.0.1',
      port: 9999,
      maxSeries: 1000,
      topProcesses: 5,
      commandLineLabels: true,
    });
    assert.throws(
      () => loadMetricsSettings(undefined, file('u.yaml', 'lisen: 1\n'), true),
      /lisen: unknown setting/,
    );
    assert.throws(
      () => loadMetricsSettings('9464', file('s.yaml', 'max_series: 10\n'), true),
      /use at least \d+/,
    );
    assert.throws(() => loadMetricsSettings('9464', missing, true), /does not exist/);
    assert.throws(
      () => loadMetricsSettings('9464', file('t.yaml', 'tls: { cert_file: /nope }\n'), true),
      /needs both/,
    );
  });
});
