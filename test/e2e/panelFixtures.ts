// Generated history for the panel's tests and benchmark: deterministic (seeded), shaped like the
// host's answers (shared/webviewProtocol.ts), with one hostile process name among the rows.

import type { AtResult, ProcessRow, Series, SeriesPoint, StatsRow } from '../../shared/model';
import type { DataParams, ProcessPageParams } from '../../shared/webviewProtocol';
import { mulberry32 as seeded } from '../../shared/random';
import { processRow as baseRow } from '../fixtures/rows';

export const HOSTILE_NAME = '<img src=x onerror=alert(1)>';

const NAMES = [
  'code',
  'node',
  'chrome',
  'postgres',
  'dockerd',
  'bash',
  'tsserver',
  'esbuild',
  'firefox',
  'java',
];

export function topNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) =>
    i === 3 ? HOSTILE_NAME : NAMES[i % NAMES.length]! + (i >= NAMES.length ? `-${i}` : ''),
  );
}

function points(
  from: number,
  to: number,
  stepMs: number,
  random: () => number,
  base: number,
  spread: number,
): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  let value = base;
  for (let ts = from; ts <= to; ts += stepMs) {
    value = Math.max(0, value + (random() - 0.5) * spread);
    const v = Math.round(value * 100) / 100;
    out.push({ ts, value: v, max: v });
  }
  return out;
}

export interface RangeOptions {
  from: number;
  to: number;
  stepMs: number;
  topN: number;
  /** Extra table rows beyond the top-N (to exercise paging). */
  extraRows?: number;
  seed?: number;
}

export function rangeData({ from, to, stepMs, topN, extraRows = 30, seed = 1 }: RangeOptions): DataParams {
  const random = seeded(seed);
  const names = topNames(topN);
  const memTotal = 16 * 1024 ** 3;
  const top: Series[] = names.map((name, i) => ({
    key: `p${i}`,
    label: name,
    identity: { pid: 1000 + i, startTime: from - 3_600_000 },
    metric: 'cpu',
    points: points(from, to, stepMs, random, 40 / (i + 1), 6),
  }));
  const overview: Series[] = [
    {
      key: 'machineCpu',
      label: 'Machine CPU',
      metric: 'machineCpu',
      points: points(from, to, stepMs, random, 35, 8).map(clampPercent),
    },
    {
      key: 'machineMem',
      label: 'Machine memory',
      metric: 'machineMem',
      points: points(from, to, stepMs, random, 8 * 1024 ** 3, 2e8),
    },
  ];
  const rows: StatsRow[] = [
    ...names,
    ...Array.from({ length: extraRows }, (_, i) => `worker-${String(i).padStart(2, '0')}`),
  ].map((name, i) => statsRow(name, i, random));
  return {
    from,
    to,
    resolution: { tier: 'minute', stepMs, label: '1-minute averages' },
    overview,
    top,
    rows,
    memTotal,
  };
}

function clampPercent(point: SeriesPoint): SeriesPoint {
  const value = point.value === null ? null : Math.min(100, point.value);
  return { ...point, value, max: value };
}

function statsRow(name: string, i: number, random: () => number): StatsRow {
  const cpuAvg = Math.round(random() * 5000) / 100;
  const memAvg = Math.round(random() * 2 * 1024 ** 3);
  return {
    name,
    identity: { pid: 1000 + i, startTime: 1_700_000_000_000 + i },
    category: i % 3 === 0 ? 'development' : i % 3 === 1 ? 'browser' : 'system',
    activeSeconds: 3600,
    cpuAvg: i === 5 ? null : cpuAvg,
    cpuPeak: i === 5 ? null : Math.round(cpuAvg * 150) / 100,
    cpuSeconds: Math.round(cpuAvg * 36),
    memAvg,
    memPeak: Math.round(memAvg * 1.3),
    readBytes: null,
    writeBytes: Math.round(random() * 1e6),
    starts: 1 + (i % 4),
    instances: 1 + (i % 4),
  };
}

export function processRow(name: string, pid: number, overrides: Partial<ProcessRow> = {}): ProcessRow {
  return baseRow({
    pid,
    startTime: 1_700_000_000_000,
    name,
    cmdline: `/usr/bin/${name} --serve`,
    user: 'dev',
    category: 'development',
    cpu: 12.5,
    rss: 256 * 1024 ** 2,
    writeBps: 1024,
    threads: 8,
    fds: 40,
    ...overrides,
  });
}

export function atResult(ts: number): AtResult {
  return {
    ts,
    sampleTs: ts - 20_000,
    resolution: { tier: 'minute', stepMs: 60_000, label: '1-minute averages' },
    machine: null,
    rows: [
      processRow('code', 2001, { cpu: 31.2 }),
      processRow(HOSTILE_NAME, 2002, { cmdline: `${HOSTILE_NAME} --flag`, cpu: 20 }),
      processRow('node', 2003, { cpu: 3.5 }),
    ],
  };
}

export function processPage(from: number, to: number): ProcessPageParams {
  const random = seeded(7);
  const identity = { pid: 1003, startTime: from + 600_000 };
  const cmdline = `/usr/bin/${HOSTILE_NAME} --watch`;
  return {
    target: { identity, name: HOSTILE_NAME },
    name: HOSTILE_NAME,
    from,
    to,
    resolution: { tier: 'minute', stepMs: 60_000, label: '1-minute averages' },
    series: (['cpu', 'rss', 'readBps', 'writeBps'] as const).map((metric) => ({
      key: metric,
      label: metric,
      identity,
      metric,
      points: points(from, to, 60_000, random, metric === 'rss' ? 3e8 : 20, metric === 'rss' ? 1e7 : 5),
    })),
    lifecycle: [
      { ts: from + 60_000, kind: 'start', identity: { pid: 900, startTime: from + 60_000 }, cmdline },
      { ts: from + 500_000, kind: 'exit', identity: { pid: 900, startTime: from + 60_000 }, cmdline },
      { ts: from + 600_000, kind: 'start', identity, cmdline },
    ],
    children: [processRow(`${HOSTILE_NAME}-child`, 1100, { ppid: 1003 })],
    live: {
      cmdline,
      cwd: '/home/dev/project',
      openFiles: ['/home/dev/project/<script>alert(2)</script>.log', '/dev/null'],
      connections: [{ protocol: 'tcp', local: '127.0.0.1:5173', remote: '', state: 'LISTEN' }],
      threads: 8,
      container: null,
      user: 'dev',
    },
  };
}
