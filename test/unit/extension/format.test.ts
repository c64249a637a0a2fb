import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  agentStatusMarkdown,
  atMarkdown,
  detailsMarkdown,
  escapeMarkdown,
  findingBadge,
  rowDescription,
  rowTooltip,
  statusBarText,
  statusLevel,
  statsMarkdown,
  statusTooltip,
} from '../../../extension/format';
import type { MachineSample, ProcessRow } from '../../../shared/model';
import { processRow } from '../../fixtures/rows';

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
const row = (over: Partial<ProcessRow>): ProcessRow =>
  processRow({
    startTime: 1_700_000_000_000,
    name: 'node',
    cmdline: 'node server.js',
    user: 'dev',
    category: 'development',
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

describe('reports as a person reads them (issue 18, point 9)', () => {
  test('details name the start time once, as a time: no epoch milliseconds', () => {
    const text = detailsMarkdown(
      row({}),
      {
        identity: { pid: 42, startTime: 1_796_606_205_180 },
        name: 'node',
        argv: ['node'],
        exe: null,
        cwd: null,
        openFiles: null,
        connections: [],
        threads: null,
        cgroup: null,
        container: null,
      },
      1_796_606_265_180,
    );
    assert.doesNotMatch(text, /1796606205180/);
  });

  test("stats cells and headers do not wrap ('2h 28m', 'CPU s' stay on one line)", () => {
    const text = statsMarkdown('Today', {
      from: 0,
      to: 3_600_000,
      resolution: { tier: 'minute', stepMs: 60_000, label: '1-minute averages' },
      rows: [
        {
          name: 'code helper',
          category: 'development',
          activeSeconds: 2 * 3600 + 28 * 60,
          cpuAvg: 1.5,
          cpuPeak: 20,
          cpuSeconds: 100,
          memAvg: 512 * 1024 * 1024,
          memPeak: 600 * 1024 * 1024,
          readBytes: 1024,
          writeBytes: 2048,
          starts: 1,
          instances: 1,
        },
      ],
    });
    const [header, , rowLine] = text.split('\n').filter((line) => line.startsWith('|'));
    // Every cell but the name (which may wrap) holds no breaking space.
    for (const line of [header!, rowLine!]) {
      const cells = line
        .split('|')
        .slice(2, -1)
        .map((c) => c.trim());
      for (const c of cells) assert.doesNotMatch(c, / /, `"${c}" can wrap`);
    }
    assert.match(rowLine!, /2h\u00a028m/);
  });

  test('Agent Status never shows a Newest time after the last sample (a day file ends at midnight)', () => {
    const now = Date.parse('2026-12-07T10:00:00Z');
    const text = agentStatusMarkdown(
      {
        pid: 1,
        version: '1',
        protocolVersion: 1,
        startedAt: now - 3_600_000,
        uptimeMs: 3_600_000,
        socketPath: '/s',
        dataDir: '/d',
        intervalMs: 2000,
        clients: 1,
        processCount: 1,
        lastSampleTs: now - 1000,
        sampling: null,
        lastError: null,
        store: {
          dataDir: '/d',
          tiers: [
            {
              name: 'hour',
              label: '1-hour averages',
              files: 1,
              bytes: 1,
              oldest: now - 86_400_000,
              newest: now + 14 * 3_600_000,
            },
          ],
          lastFlush: null,
          lastError: null,
          writeProblem: null,
          setAside: [],
        },
      },
      undefined,
      now,
    );
    const times = [...text.matchAll(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g)].map((m) => {
      const [date, time] = m[0].split(' ');
      return new Date(`${date}T${time}`).getTime();
    });
    assert.ok(times.length > 0);
    for (const ts of times) assert.ok(ts <= now, `${new Date(ts).toISOString()} is after now`);
  });
});

describe('findings on the surfaces', () => {
  const notes = [
    { kind: 'restart_loop' as const, summary: 'sleep restarted 9 times in a minute' },
    { kind: 'leak' as const, summary: 'evil](http://x) memory grows 5 MB/s' },
  ];

  test('a badge names each kind once', () => {
    assert.equal(findingBadge([]), '');
    assert.equal(findingBadge([...notes, notes[0]!]), '⚠ restart loop, memory leak');
  });

  test("a row's tooltip says why, with the process's text escaped, and its role first", () => {
    const text = rowTooltip(row({}), 1_700_000_100_000, undefined, {
      role: 'JSON language server',
      findings: notes,
    });
    const lines = text.split('\n\n');
    assert.match(lines[0]!, /^JSON language server · \*\*node\*\*/);
    assert.equal(lines[1], '⚠ **restart loop**: sleep restarted 9 times in a minute');
    assert.equal(lines[2], '⚠ **memory leak**: evil\\](http://x) memory grows 5 MB/s');
  });

  test("the status bar's tooltip lists the open findings under the machine line", () => {
    const lines = statusTooltip(machine, [], [], undefined, undefined, notes).split('\n');
    assert.match(lines[0]!, /^\*\*Machine CPU/);
    assert.equal(lines[2], '⚠ **restart loop**: sleep restarted 9 times in a minute');
    assert.equal(statusTooltip(machine, [], []).includes('⚠'), false);
  });
});
