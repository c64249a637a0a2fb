// Synthetic ticks and rules for the alert tests.
import type { ProcessRow, Tick } from '../../shared/model';
import type { AlertRule } from '../../agent/alerts/types';

const MB = 1024 * 1024;

export function proc(pid: number, fields: Partial<ProcessRow> = {}): ProcessRow {
  return {
    pid,
    startTime: 1_700_000_000_000 + pid,
    ppid: 1,
    name: `proc${pid}`,
    cmdline: `/usr/bin/proc${pid}`,
    user: 'me',
    category: 'other',
    container: null,
    cpu: 0,
    rss: 100 * MB,
    readBps: 0,
    writeBps: 0,
    threads: 1,
    fds: 3,
    ...fields,
  };
}

export function tick(
  ts: number,
  processes: ProcessRow[],
  machine: Partial<Tick['machine']> = {},
  exited: Tick['exited'] = [],
): Tick {
  return {
    ts,
    elapsedMs: 1000,
    processes,
    exited,
    machine: {
      ts,
      cpu: 10,
      cores: 2,
      memUsed: 4 * 1024 * MB,
      memTotal: 16 * 1024 * MB,
      swapUsed: 0,
      swapTotal: 0,
      load1: 0,
      load5: 0,
      load15: 0,
      processCount: processes.length,
      ...machine,
    },
  };
}

export function rule(fields: Partial<AlertRule> & Pick<AlertRule, 'name' | 'metric'>): AlertRule {
  return {
    aggregate: 'max',
    groupBy: 'all',
    operator: '>',
    threshold: 80,
    forMs: 0,
    severity: 'warning',
    repeatMs: 0,
    channels: ['hook'],
    windowMs: 30 * 60_000,
    source: 'test',
    ...fields,
  };
}

export { MB };
