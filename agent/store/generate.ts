// Generated history for benchmarks and tests: `days` of a machine with `processes` processes, of
// which `activeShare` use CPU and IO. Old days go straight into the rollup tiers as finished
// minutes (a day of raw ticks takes far longer to feed); the last `rawHours` are fed as real ticks.
import type { Category, MachineSample, ProcessMeta, ProcessRow, Tick } from '../../shared/model';
import { CATEGORIES } from '../../shared/model';
import type { Drained } from './rollup';
import type { MachineSpan, Span } from './span';
import type { Store } from './store';
import { floorTo, HOUR_MS, MINUTE_MS } from './tiers';
import { mulberry32 } from '../../shared/random';

export interface GenerateOptions {
  days: number;
  processes: number;
  intervalMs?: number;
  activeShare?: number;
  /** End of the generated history (default: now). */
  endTs?: number;
  /** How many of the last hours are fed as raw ticks (default 24, at most the whole history). */
  rawHours?: number;
  /** Share of processes replaced by a new instance (new pid) each hour. */
  churnPerHour?: number;
  seed?: number;
}

const NAMES = [
  'node',
  'code',
  'chrome',
  'firefox',
  'bash',
  'zsh',
  'postgres',
  'redis-server',
  'dockerd',
  'containerd',
  'systemd',
  'sshd',
  'python3',
  'java',
  'tsserver',
  'esbuild',
  'git',
  'make',
  'cargo',
  'rust-analyzer',
  'kworker/0:1',
  'Xorg',
  'pulseaudio',
  'gnome-shell',
  'nginx',
  'mysqld',
  'slack',
  'electron',
  'vim',
  'tmux',
];

interface Proc {
  meta: ProcessMeta;
  active: boolean;
  rss: number;
  threads: number;
  fds: number;
  /** An idle process's row, the same object tick after tick, as the sampler hands it out. */
  idleRow?: ProcessRow;
}

function rowOf(p: Proc, cpu: number, readBps: number, writeBps: number): ProcessRow {
  const m = p.meta;
  return {
    pid: m.pid,
    startTime: m.startTime,
    ppid: m.ppid,
    name: m.name,
    cmdline: m.cmdline,
    user: m.user,
    category: m.category,
    container: m.container,
    cpu,
    rss: p.rss,
    readBps,
    writeBps,
    threads: p.threads,
    fds: p.fds,
  };
}

export async function generateHistory(
  store: Store,
  o: GenerateOptions,
): Promise<{ ticks: number; minutes: number }> {
  const random = mulberry32(o.seed ?? 1);
  const intervalMs = o.intervalMs ?? 2000;
  const endTs = floorTo(o.endTs ?? Date.now(), intervalMs);
  const startTs = floorTo(endTs - o.days * 24 * HOUR_MS, MINUTE_MS);
  const rawStart = Math.max(startTs, floorTo(endTs - (o.rawHours ?? 24) * HOUR_MS, MINUTE_MS));
  const activeShare = o.activeShare ?? 0.1;
  const churn = o.churnPerHour ?? 0.01;
  let nextPid = 1000;

  const makeProc = (i: number, startTime: number): Proc => {
    const name = NAMES[i % NAMES.length]!;
    const category: Category = CATEGORIES[i % CATEGORIES.length]!;
    const pid = nextPid++;
    return {
      meta: {
        pid,
        startTime,
        ppid: 1,
        name,
        cmdline: `/usr/bin/${name} --worker ${i}`,
        user: 'bench',
        category,
        container: null,
      },
      active: i < o.processes * activeShare,
      rss: (8 + Math.floor(random() * 400)) * 1024 * 1024,
      threads: 1 + Math.floor(random() * 20),
      fds: 3 + Math.floor(random() * 60),
    };
  };
  const procs = Array.from({ length: o.processes }, (_, i) => makeProc(i, startTs - 3_600_000 - i * 1000));

  const replaceSome = (ts: number) => {
    for (let i = 0; i < procs.length; i++) if (random() < churn) procs[i] = makeProc(i, ts);
  };
  const machineAt = (ts: number, cpu: number): MachineSample => ({
    ts,
    cpu,
    cores: 8,
    memUsed: 8e9 + random() * 1e9,
    memTotal: 32e9,
    swapUsed: 0,
    swapTotal: 0,
    load1: 1,
    load5: 1,
    load15: 1,
    processCount: procs.length,
  });

  // Old history: finished minutes straight into the rollup tiers.
  let minutes = 0;
  const spans = procs.map(() => ({}) as Span);
  for (let bucket = startTs; bucket < rawStart; bucket += MINUTE_MS) {
    if (bucket % HOUR_MS === 0 && bucket !== startTs) replaceSome(bucket);
    const drained: Drained = { bucket, spans: [], machine: null };
    let cpuTotal = 0;
    procs.forEach((p, i) => {
      const cpu = p.active ? 1 + random() * 50 : 0;
      cpuTotal += cpu;
      // Field by field into the reused span: this loop runs ~600 × 42 000 times for 30 days.
      const s = spans[i]!;
      s.ts = bucket;
      s.firstTs = bucket;
      s.lastTs = bucket + MINUTE_MS - intervalMs;
      s.spanS = 60;
      s.cpuS = (cpu / 100) * 60;
      s.cpuMax = cpu * 1.5;
      s.rss = p.rss;
      s.rssMax = p.rss;
      s.readB = p.active ? Math.floor(random() * 1e6) : 0;
      s.writeB = p.active ? Math.floor(random() * 1e6) : 0;
      s.threads = p.threads;
      s.fds = p.fds;
      s.exitTs = null;
      drained.spans.push({ meta: p.meta, span: s });
    });
    const m = machineAt(bucket, Math.min(100, cpuTotal / 8));
    drained.machine = { ...m, spanS: 60, cpuMax: m.cpu, memMax: m.memUsed } as MachineSpan;
    store.ingestMinute(drained);
    minutes++;
    if ((bucket + MINUTE_MS) % (24 * HOUR_MS) === 0) await store.flush();
  }
  await store.flush();

  // Recent history: real ticks.
  let ticks = 0;
  for (let ts = rawStart; ts <= endTs; ts += intervalMs) {
    if (ts % HOUR_MS === 0 && ts !== rawStart) replaceSome(ts);
    let cpuTotal = 0;
    const rows: ProcessRow[] = procs.map((p) => {
      if (!p.active) return (p.idleRow ??= rowOf(p, 0, 0, 0));
      const cpu = 1 + random() * 50;
      cpuTotal += cpu;
      return rowOf(p, cpu, Math.floor(random() * 20_000), Math.floor(random() * 20_000));
    });
    const tick: Tick = {
      ts,
      elapsedMs: intervalMs,
      machine: machineAt(ts, Math.min(100, cpuTotal / 8)),
      processes: rows,
      exited: [],
    };
    store.ingest(tick);
    ticks++;
    if (ts % HOUR_MS === 0) await store.flush();
  }
  await store.flush();
  return { ticks, minutes };
}
