import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  agentStatusMarkdown,
  atMarkdown,
  detailsMarkdown,
  escapeMarkdown,
  rowDescription,
  statusBarText,
  statusLevel,
  statusTooltip,
} from '../../extension/format';
import type { MachineSample, ProcessRow } from '../../shared/model';

const GIB = 1024 ** 3;
const machine: MachineSample = {
  ts: 0,
  cpu: 23.4,
  cores: 2,
  memUsed: 6.1 * GIB,
  memTotal: 15.6 * GIB,
  swapUsed: 0,
  swapTotal: 0,
  load1: 0.5,
  load5: 0.4,
  load15: 0.3,
  processCount: 321,
};
const row = (over: Partial<ProcessRow>): ProcessRow => ({
  pid: 42,
  startTime: 1_700_000_000_000,
  ppid: 1,
  name: 'node',
  cmdline: 'node server.js',
  user: 'dev',
  category: 'development',
  container: null,
  cpu: 12.34,
  rss: 512 * 1024 * 1024,
  readBps: 1024 * 1024,
  writeBps: 0.2 * 1024 * 1024,
  threads: 7,
  fds: 20,
  ...over,
});

describe('extension text', () => {
  test('the status bar format fills its placeholders and leaves unknown ones', () => {
    assert.equal(
      statusBarText('$(pulse) CPU {cpu} · Mem {memUsed}/{memTotal}', machine),
      '$(pulse) CPU 23% · Mem 6.1/15.6 GiB',
    );
    assert.equal(statusBarText('{processes} procs {nope}', machine), '321 procs {nope}');
    assert.equal(statusBarText('CPU {cpu}', { ...machine, cpu: null }), 'CPU –');
  });

  test('thresholds pick the worst of CPU and memory', () => {
    const thresholds = { cpuWarning: 70, cpuError: 90, memoryWarning: 80, memoryError: 95 };
    assert.equal(statusLevel(machine, thresholds), 'normal');
    assert.equal(statusLevel({ ...machine, cpu: 75 }, thresholds), 'warning');
    assert.equal(statusLevel({ ...machine, memUsed: 15.5 * GIB }, thresholds), 'error');
  });

  test('a row reads CPU · memory · IO, with unknown shown as a dash, never 0', () => {
    assert.equal(rowDescription(row({})), '12.3% · 512 MiB · 1.2 MiB/s');
    assert.equal(rowDescription(row({ cpu: null, readBps: null, writeBps: null })), '– · 512 MiB · –');
  });

  test("the tooltip's machine CPU and the processes' CPU say which they are", () => {
    const tooltip = statusTooltip(machine, [row({})], []).split('\n');
    // The same figures as the item's text (statusBarText), so the two never disagree.
    assert.equal(tooltip[0], '**Machine CPU 23% · Memory 6.1 of 15.6 GiB · 321 processes**');
    assert.match(tooltip[2]!, /^\| Top by CPU \| PID \| CPU % of one core \| Memory \|$/);
    const at = atMarkdown({
      ts: 0,
      sampleTs: 0,
      resolution: { tier: 'raw', stepMs: 2000, label: 'raw samples' },
      machine,
      rows: [row({})],
    });
    assert.match(at, /^Machine CPU 23\.4% · Memory 6\.1 GiB \/ 15\.6 GiB$/m);
    assert.match(at, /^\| PID \| Name \| CPU % of one core \| Memory \|/m);
  });

  test('a process name cannot inject markdown (links, HTML, table cells)', () => {
    const evil = '[x](command:processTracker.kill) <img src=x onerror=alert(1)> a|b';
    const escaped = escapeMarkdown(evil);
    assert.ok(!escaped.includes('[x]('));
    assert.ok(!/(?<!\\)<img/.test(escaped));
    const tooltip = statusTooltip(machine, [row({ name: evil })], [], (m) => m);
    const line = tooltip.split('\n').find((l) => l.includes('img'))!;
    assert.equal(line.split(/(?<!\\)\|/).length, 6, line); // 4 cells, not more
  });

  test('details say unknown for what cannot be read, and fence a command line holding backticks', () => {
    const text = detailsMarkdown(
      row({}),
      {
        identity: { pid: 42, startTime: 1_700_000_000_000 },
        name: 'node',
        argv: ['node', '-e', '```evil```'],
        exe: null,
        cwd: '/tmp',
        openFiles: null,
        connections: [],
        threads: null,
        cgroup: null,
        container: null,
      },
      1_700_000_060_000,
    );
    assert.match(text, /unknown \(not readable by this user\)/);
    assert.match(text, /````\nnode -e ```evil```\n````/);
    assert.match(text, /\| Uptime \| 1m \|/);
  });
});

test('agent status: a store that cannot write and the files set aside are shown, as text', () => {
  const text = agentStatusMarkdown({
    pid: 1,
    version: '1',
    protocolVersion: 1,
    startedAt: 0,
    uptimeMs: 1000,
    socketPath: '/s',
    dataDir: '/d',
    intervalMs: 2000,
    clients: 1,
    processCount: 1,
    lastSampleTs: null,
    sampling: null,
    lastError: null,
    store: {
      dataDir: '/d',
      tiers: [],
      lastFlush: null,
      lastError: null,
      writeProblem: 'store: cannot write /d/raw/x.sqlite (EACCES)',
      setAside: [
        { file: '/d/raw/<b>.sqlite', movedTo: '/d/raw/<b>.sqlite.corrupt-1', reason: 'malformed', at: 1 },
      ],
    },
  });
  assert.match(text, /Not writing to disk.*history kept in memory.*EACCES/);
  assert.match(text, /Set aside: .*corrupt-1 \(malformed\)/);
  assert.doesNotMatch(text, /<b>/, 'file names are escaped, never markup');
});
