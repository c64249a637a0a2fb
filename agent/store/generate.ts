// Generated history for benchmarks and tests: `days` of a machine with `processes` processes, of
// which `activeShare` use CPU and IO. Old days go straight into the rollup tiers as finished
// minutes (a day of raw ticks takes far longer to feed); the last `rawHours` are fed as real ticks.
// Two shapes: `uniform` (the benchmarks': every busy process draws the same random load) and
// `workday` (demo-data's: each program with its own habits, workday.ts).
import type { Category, MachineSample, ProcessMeta, ProcessRow, Tick } from '../../shared/model';
import { CATEGORIES } from '../../shared/model';
import type { Drained } from './rollup';
import type { MachineSpan, Span } from './span';
import type { Store } from './store';
import { floorTo, HOUR_MS, MINUTE_MS } from './tiers';
import { mulberry32 } from '../../shared/random';
import { habitLevels, WorkdayProcess } from './workday';

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
  /** `uniform` (default, what the benchmarks measure on) or `workday` (demo-data: see workday.ts). */
  shape?: 'uniform' | 'workday';
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
  /** Its habits, in the workday shape. */
  habits?: WorkdayProcess;
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

  const workday = o.shape === 'workday';
  const makeProc = (i: number, startTime: number): Proc => {
    const name = NAMES[i % NAMES.length]!;
    // Workday: the first instances of every program are the busy ones, so every program shows its habits.
    const active = workday
      ? Math.floor(i / NAMES.length) < Math.max(1, Math.round((o.processes / NAMES.length) * activeShare))
      : i < o.processes * activeShare;
    if (workday)
      return workdayProc(
        name,
        nextPid++,
        startTime,
        i,
        new WorkdayProcess(name, random, active, i === 0, startTime),
      );
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
      active,
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
    // The workday machine's memory is its processes' plus 2 GB for the kernel and caches.
    memUsed: workday ? 2e9 + procs.reduce((sum, p) => sum + p.rss, 0) : 8e9 + random() * 1e9,
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
    const levels = workday ? habitLevels(bucket) : undefined;
    procs.forEach((p, i) => {
      const load = p.habits?.load(bucket + MINUTE_MS, MINUTE_MS, levels!);
      if (p.habits) p.rss = p.habits.rss(bucket);
      const cpu = load ? load.cpu : p.active ? 1 + random() * 50 : 0;
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
      s.readB = load ? load.readBps * 60 : p.active ? Math.floor(random() * 1e6) : 0;
      s.writeB = load ? load.writeBps * 60 : p.active ? Math.floor(random() * 1e6) : 0;
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
    const levels = workday ? habitLevels(ts) : undefined;
    const rows: ProcessRow[] = procs.map((p) => {
      if (!p.active) return (p.idleRow ??= rowOf(p, 0, 0, 0));
      if (p.habits) {
        const load = p.habits.load(ts, intervalMs, levels!);
        p.rss = p.habits.rss(ts);
        cpuTotal += load.cpu;
        return rowOf(p, load.cpu, load.readBps, load.writeBps);
      }
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

/** A process in the workday shape: its program's category, user and memory; a kernel thread as one. */
function workdayProc(name: string, pid: number, startTime: number, i: number, habits: WorkdayProcess): Proc {
  return {
    meta: {
      pid,
      startTime,
      ppid: habits.kernelThread ? 2 : 1,
      name,
      cmdline: habits.kernelThread ? '' : `/usr/bin/${name} --instance ${i}`,
      user: habits.user,
      category: habits.category,
      container: null,
    },
    active: habits.active,
    rss: habits.rss(startTime),
    threads: habits.kernelThread ? 1 : 4 + (i % 24),
    fds: habits.kernelThread ? 0 : 8 + ((i * 7) % 120),
    habits,
  };
}
