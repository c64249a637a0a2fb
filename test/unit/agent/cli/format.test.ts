// The CLI's tables: which CPU a figure is (the machine's, or a process's share of one core), and
// sizes in binary units.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { machineLine, processTable, statsTable, statusText } from '../../../../agent/cli/format';
import type { MachineSample, ProcessRow, StatsResult } from '../../../../shared/model';
import type { AgentStatus } from '../../../../shared/protocol';

const GIB = 1024 ** 3;
const machine: MachineSample = {
  ts: 0,
  cpu: 23.4,
  cores: 8,
  memUsed: 6 * GIB,
  memTotal: 16 * GIB,
  swapUsed: 0,
  swapTotal: 2 * GIB,
  load1: 0.5,
  load5: 0.4,
  load15: 0.3,
  processCount: 321,
};
const row: ProcessRow = {
  pid: 42,
  startTime: 0,
  ppid: 1,
  name: 'node',
  cmdline: 'node server.js',
  user: 'dev',
  category: 'development',
  container: null,
  cpu: 100,
  rss: 347_904 * 1024,
  readBps: 0,
  writeBps: 0,
  threads: 1,
  fds: 20,
};

test('the machine line says its CPU is the whole machine; process columns say one core', () => {
  assert.match(
    machineLine(machine),
    /^Machine CPU 23\.4% of 8 cores · Mem 6\.0 GiB\/16\.0 GiB · Swap 0 B\/2\.0 GiB/,
  );
  const [header, line] = processTable([row]).split('\n');
  assert.match(header!, /^PID\s+NAME\s+CPU%\/CORE\s+MEM\s/);
  assert.match(line!, /\s100\.0\s+340 MiB\s/);
  const stats: StatsResult = {
    from: 0,
    to: 3_600_000,
    resolution: { tier: 'minute', stepMs: 60_000, label: '1-minute averages' },
    rows: [],
  };
  assert.match(statsTable(stats).split('\n')[1]!, /CPU%\/CORE AVG\s+CPU%\/CORE PEAK/);
});

test('status counts the other clients', () => {
  const status = {
    clients: 2,
    uptimeMs: 1000,
    intervalMs: 2000,
    sampling: null,
    store: null,
  } as unknown as AgentStatus;
  assert.match(statusText(status), /, 2 other client\(s\) connected/);
});
