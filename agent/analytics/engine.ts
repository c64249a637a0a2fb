// Over 400 lines on purpose: baselines, leak windows and anomaly streaks share per-identity state.
// The analytics engine: a tick listener that keeps baselines and makes findings (leak, anomaly,
// restart_loop) as the ticks come. It works from the ticks the agent hands its listeners, not from
// the store's minute rollups: a 5 MB/s leak must be reported within minutes and a restart loop
// within 90 s, which needs sub-minute samples and each identity's coming and going — and it keeps
// this feature out of the store, whose files another change is reworking. It folds its own
// per-minute averages (one sum per identity, no rows kept), so baselines are incremental: nothing
// re-scans history.
//
// Per tick the cost is one map lookup and a few additions per process, with no allocation except
// for identities seen for the first time; medians, MADs and slopes are computed once a minute (and
// the fast leak check once per leak step, after a cheap growth test).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  identityKey,
  type Finding,
  type FindingSubject,
  type ProcessRow,
  type Tick,
} from '../../shared/model';
import type { Logger } from '../log';
import { OnceLogger } from '../log';
import { loadJson, saveJsonAtomic } from '../alerts/outbox';
import { ContainerBook, containersFile, type ResolveName } from './containers';
import { FindingBook, findingsFile } from './findings';
import { checkLeak, FAST_LEAK, SLOW_LEAK } from './leak';
import { Program, RESTART_MIN, RESTART_WINDOW_MS } from './restarts';
import { Ring } from './ring';
import { addMoment, emptyMoments, MAD_TO_SIGMA, medianMad, type Moments } from './stats';
import { anomalySummary, leakSummary, restartSummary } from './text';

/** Per-minute points kept per name and per identity (an hour). */
export const BASELINE_MINUTES = 60;
/** Fast-leak samples per window. */
const LEAK_POINTS = 18;
/** Hourly machine points kept for the machine trend (30 days). */
export const MACHINE_HOURS = 30 * 24;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/**
 * An anomaly needs at least this distance from the median (CPU: percent of one core; memory: bytes,
 * or half the median). 10 % of a core: on a loaded 2-core machine a process spinning a core gets
 * only a share of one (0.19 of a core was seen in CI).
 */
const CPU_FLOOR = 10;
const RSS_FLOOR = 256 * 1024 * 1024;
/** A streak beyond the baseline survives calm samples this short (a scheduler's dip under load). */
const CALM_RESET_MS = 5_000;
/** An open anomaly closes after this long back within its baseline. */
const ANOMALY_CLEAR_MS = 60_000;
const SAVE_BASELINES_MS = 5 * MINUTE_MS;
/** A name not seen for this long leaves the baselines file. */
const NAME_KEEP_MS = 7 * 24 * HOUR_MS;

export interface AnalyticsOptions {
  /** Where baselines and findings are kept (DATA_DIR/analytics/); null keeps them in memory. */
  dataDir: string | null;
  log: Logger;
  /** The fast-leak window (default 3 min: a 5 MB/s leak is reported ~3 min after it starts). */
  leakWindowMs?: number;
  /** How long a figure must stay beyond its baseline to be an anomaly (default 30 s). */
  anomalySustainMs?: number;
  /** Minutes of an identity's own history before it has a baseline (default 3). */
  baselineMinutes?: number;
  /** How containers' names are read (default: collect/containerName.ts on this machine's files). */
  containerName?: ResolveName;
}

export const DEFAULT_LEAK_WINDOW_MS = 3 * MINUTE_MS;

/**
 * The key of a name's baseline: the name on the host; the name and its container together inside
 * one (a name's instances in a container are their own population — report's efficiency rows are
 * per name and container). Files written before keyed every instance by its name: read as the
 * host's.
 */
export const nameBaselineKey = (name: string, container: string | null): string =>
  container === null ? name : `${name}\u0000${container}`;

/** What the baselines say of one name (in one container): its per-instance minute points and long-run moments. */
export interface NameBaseline {
  /** Rows [cpu %, rss bytes], oldest first. */
  ring: Ring;
  cpu: Moments;
  rss: Moments;
  lastSeen: number;
}

interface Hot {
  since: number | null;
  last: number;
  peak: number;
  /** Samples beyond the baseline in a row. */
  count: number;
  /** Its finding is open (saves building the key on every calm tick). */
  open: boolean;
}

class Ident {
  cpuSum = 0;
  cpuN = 0;
  rssSum = 0;
  rssN = 0;
  rss: number | null = null;
  lastTs: number;
  /** Per-minute [cpu, rss] of this identity. */
  ring: Ring | undefined;
  /** Fast-leak samples [seconds, rss]. */
  leak: Ring | undefined;
  nextLeakAt = 0;
  /** A leak finding about it is open. */
  leakOpen = false;
  // The baseline's medians and spreads, recomputed once a minute; thresholds Infinity until ready.
  cpuMed = 0;
  cpuSpread = 0;
  cpuThr = Infinity;
  rssMed = 0;
  rssSpread = 0;
  rssThr = Infinity;
  hotCpu: Hot = { since: null, last: 0, peak: 0, count: 0, open: false };
  hotRss: Hot = { since: null, last: 0, peak: 0, count: 0, open: false };
  private keyText: string | undefined;
  private nameKeyText: string | undefined;

  constructor(
    readonly row: ProcessRow,
    readonly program: Program,
    ts: number,
  ) {
    this.lastTs = ts;
  }

  get key(): string {
    return (this.keyText ??= identityKey(this.row.pid, this.row.startTime));
  }

  /** Its name's baseline (nameBaselineKey). */
  get nameKey(): string {
    return (this.nameKeyText ??= nameBaselineKey(this.row.name, this.row.container));
  }

  /** `nameOf`: the container's name as the engine's ContainerBook knows it now. */
  subject(nameOf: (container: string) => string | null): FindingSubject {
    const r = this.row;
    return {
      name: r.name,
      cmdline: r.cmdline,
      identities: [{ pid: r.pid, startTime: r.startTime }],
      container: r.container,
      containerName: r.container === null ? null : nameOf(r.container),
    };
  }
}

interface SavedBaselines {
  version: 1;
  savedAt: number;
  names: Record<string, { ring: number[]; cpu: Moments; rss: Moments; lastSeen: number }>;
  identities: Record<string, number[]>;
  /** Hourly machine rows [hour start, cpu %, memUsed, memTotal]. */
  machine: number[];
}

export const baselinesFile = (dataDir: string) => path.join(dataDir, 'analytics', 'baselines.json');

export class AnalyticsEngine {
  readonly findings: FindingBook;
  readonly containers: ContainerBook;
  private readonly byPid = new Map<number, Ident>();
  private readonly programs = new Map<string, Program>();
  /** Per name (and container: nameBaselineKey). */
  readonly names = new Map<string, NameBaseline>();
  /** Identities' rings from the file, taken when the identity is seen again. */
  private restored = new Map<string, number[]>();
  /** Hourly machine rows [hour start, cpu, memUsed, memTotal]. */
  machineHours = new Ring(MACHINE_HOURS, 4);
  private hour = { start: -1, cpu: 0, cpuN: 0, mem: 0, memTotal: 0, n: 0 };
  private minute = -1;
  private lastTickTs = 0;
  /** The newest tick's interval (restart loops allow one for starts too short to be seen). */
  private elapsedMs = 0;
  private memFree = 0;
  private nextSaveAt = 0;
  private readonly leakWindowMs: number;
  private readonly leakStepMs: number;
  private readonly sustainMs: number;
  private readonly baselineMinutes: number;
  private readonly once: OnceLogger;
  // Scratch buffers: medians and slopes without allocating.
  private readonly col = new Float64Array(BASELINE_MINUTES);
  private readonly col2 = new Float64Array(BASELINE_MINUTES);
  private readonly scratch = new Float64Array(BASELINE_MINUTES);
  private readonly pairs = new Float64Array((BASELINE_MINUTES * (BASELINE_MINUTES - 1)) / 2);

  /** A container's name for findings' subjects (a name read later shows on the next update). */
  private readonly nameOf = (container: string): string | null => this.containers.nameOf(container);

  constructor(private readonly options: AnalyticsOptions) {
    this.leakWindowMs = options.leakWindowMs ?? DEFAULT_LEAK_WINDOW_MS;
    this.leakStepMs = this.leakWindowMs / (LEAK_POINTS - 1);
    this.sustainMs = options.anomalySustainMs ?? 30_000;
    this.baselineMinutes = options.baselineMinutes ?? 3;
    this.once = new OnceLogger(options.log);
    this.findings = new FindingBook(options.dataDir ? findingsFile(options.dataDir) : null);
    this.containers = new ContainerBook(
      options.dataDir ? containersFile(options.dataDir) : null,
      options.containerName,
    );
    if (options.dataDir) this.load(baselinesFile(options.dataDir));
  }

  onTick(tick: Tick): void {
    const t = tick.ts;
    const minute = Math.floor(t / MINUTE_MS);
    if (this.minute !== minute) {
      if (this.minute !== -1) this.closeMinute(t);
      this.minute = minute;
    }
    this.lastTickTs = t;
    this.elapsedMs = tick.elapsedMs;
    const m = tick.machine;
    this.memFree = Math.max(0, m.memTotal - m.memUsed);
    this.addMachine(t, m.cpu, m.memUsed, m.memTotal);
    this.containers.onTick(tick);
    for (const gone of tick.exited) {
      const s = this.byPid.get(gone.pid);
      if (s && s.row.startTime === gone.startTime) this.gone(s, t);
    }
    for (const row of tick.processes) {
      let s = this.byPid.get(row.pid);
      if (!s || s.row.startTime !== row.startTime) {
        if (s) this.gone(s, t);
        s = this.arrive(row, t);
      }
      s.lastTs = t;
      const cpu = row.cpu;
      const rss = row.rss;
      if (cpu !== null) {
        s.cpuSum += cpu;
        s.cpuN++;
        if (s.cpuThr !== Infinity) this.watch(s, 'cpu', s.hotCpu, cpu > s.cpuThr, cpu, t);
      }
      if (rss !== null) {
        s.rssSum += rss;
        s.rssN++;
        s.rss = rss;
        if (s.rssThr !== Infinity) this.watch(s, 'rss', s.hotRss, rss > s.rssThr, rss, t);
        if (t >= s.nextLeakAt) this.leakSample(s, t, rss);
      }
    }
  }

  private arrive(row: ProcessRow, t: number): Ident {
    const key = `${row.name}\u0000${row.cmdline}`;
    let program = this.programs.get(key);
    if (!program) {
      program = new Program(key, row.name, row.cmdline, row.container);
      this.programs.set(key, program);
    }
    const s = new Ident(row, program, t);
    s.nextLeakAt = t;
    const saved = this.restored.get(s.key);
    if (saved) {
      s.ring = Ring.from(BASELINE_MINUTES, 2, saved);
      this.restored.delete(s.key);
      this.rebase(s);
    }
    this.byPid.set(row.pid, s);
    const parent = this.byPid.get(row.ppid)?.row;
    const subshell = row.category === 'shell' && parent !== undefined && parent.cmdline === row.cmdline;
    // The agent's own children (its history worker, forked per query and ended when idle) come and
    // go by design: reporting them would be the agent accusing itself.
    const ours = row.ppid === process.pid;
    program.started(row.pid, parentOf(row), row.startTime, t, this.elapsedMs, subshell || ours);
    this.checkRestarts(program, t);
    return s;
  }

  private gone(s: Ident, t: number): void {
    this.byPid.delete(s.row.pid);
    s.program.exited(parentOf(s.row), (s.lastTs - s.row.startTime) / 1000, t);
    this.checkRestarts(s.program, t);
    // Its open findings end where it was last seen.
    for (const key of [`leak:${s.key}`, `anomaly:cpu:${s.key}`, `anomaly:rss:${s.key}`])
      this.findings.release(key);
  }

  // --- anomaly ----------------------------------------------------------------------------------

  private watch(s: Ident, metric: 'cpu' | 'rss', hot: Hot, beyond: boolean, value: number, t: number): void {
    if (!beyond) {
      if (t - hot.last > CALM_RESET_MS) hot.since = null;
      if (hot.open && t - hot.last >= ANOMALY_CLEAR_MS) {
        hot.open = false;
        this.findings.release(`anomaly:${metric}:${s.key}`);
      }
      return;
    }
    if (hot.since === null) {
      hot.since = t;
      hot.peak = value;
      hot.count = 0;
    }
    hot.count++;
    hot.last = t;
    if (value > hot.peak) hot.peak = value;
    if (t - hot.since < this.sustainMs) return;
    const baseline = metric === 'cpu' ? s.cpuMed : s.rssMed;
    const spread = metric === 'cpu' ? s.cpuSpread : s.rssSpread;
    const subject = s.subject(this.nameOf);
    const sustainedS = (t - hot.since) / 1000;
    hot.open = true;
    this.findings.hold(`anomaly:${metric}:${s.key}`, hot.since, t, {
      kind: 'anomaly',
      subject,
      evidence: {
        metric,
        value,
        peak: hot.peak,
        baseline,
        spread,
        threshold: metric === 'cpu' ? s.cpuThr : s.rssThr,
        sustainedS,
        samples: hot.count,
      },
      summary: anomalySummary(subject, { metric, value: hot.peak, baseline, spread, sustainedS }),
    });
  }

  /** The identity's medians and MAD-scaled spreads from its minute ring. */
  private rebase(s: Ident): void {
    const ring = s.ring;
    if (!ring || ring.n < this.baselineMinutes) return;
    const n = ring.column(0, this.col);
    const cpu = medianMad(this.col, n, this.scratch);
    ring.column(1, this.col);
    const rss = medianMad(this.col, n, this.scratch);
    s.cpuMed = cpu.median;
    s.cpuSpread = MAD_TO_SIGMA * cpu.mad;
    s.cpuThr = cpu.median + Math.max(3 * s.cpuSpread, CPU_FLOOR);
    s.rssMed = rss.median;
    s.rssSpread = MAD_TO_SIGMA * rss.mad;
    s.rssThr = rss.median + Math.max(3 * s.rssSpread, RSS_FLOOR, 0.5 * rss.median);
  }

  // --- leaks ------------------------------------------------------------------------------------

  private leakSample(s: Ident, t: number, rss: number): void {
    s.nextLeakAt = t + this.leakStepMs;
    const ring = (s.leak ??= new Ring(LEAK_POINTS, 2));
    ring.push(t / 1000, rss);
    if (ring.n < LEAK_POINTS) return;
    const n = ring.column(0, this.col);
    ring.column(1, this.col2);
    const verdict = checkLeak(this.col, this.col2, n, FAST_LEAK, this.pairs);
    if (!verdict) {
      // The slow check (once a minute) may hold it open instead.
      if (s.leakOpen && !this.slowLeak(s, t, false)) {
        s.leakOpen = false;
        this.findings.release(`leak:${s.key}`);
      }
      return;
    }
    this.holdLeak(
      s,
      `leak:${s.key}`,
      t,
      verdict.rateBps,
      verdict.r2,
      verdict.windowS,
      rss,
      t - verdict.windowS * 1000,
      'fast',
    );
  }

  /** The slow check over the identity's minute ring; true when it holds a leak. */
  private slowLeak(s: Ident, t: number, hold = true): boolean {
    const ring = s.ring;
    if (!ring || ring.n < 30) return false;
    const n = ring.n;
    for (let i = 0; i < n; i++) this.col[i] = i * 60;
    ring.column(1, this.col2);
    const verdict = checkLeak(this.col, this.col2, n, SLOW_LEAK, this.pairs);
    if (!verdict) return false;
    if (hold)
      this.holdLeak(
        s,
        `leak:${s.key}`,
        t,
        verdict.rateBps,
        verdict.r2,
        verdict.windowS,
        s.rss ?? 0,
        t - verdict.windowS * 1000,
        'slow',
      );
    return true;
  }

  private holdLeak(
    s: Ident,
    key: string,
    t: number,
    rateBps: number,
    r2: number,
    windowS: number,
    rss: number,
    from: number,
    window: 'fast' | 'slow',
  ): void {
    const fullInS = this.memFree > 0 ? this.memFree / rateBps : null;
    s.leakOpen = true;
    const subject = s.subject(this.nameOf);
    this.findings.hold(key, from, t, {
      kind: 'leak',
      subject,
      evidence: { rateBps, r2, windowS, window, rss, fullInS },
      summary: leakSummary(subject, { rateBps, r2, windowS, rss, fullInS }),
    });
  }

  // --- restart loops ----------------------------------------------------------------------------

  private checkRestarts(p: Program, t: number): void {
    const key = `restart_loop:${p.key}`;
    const restarts = p.restarts(t);
    if (restarts < RESTART_MIN) {
      // Closed at a minute's end once the loop has calmed for a whole window (see closeMinute).
      return;
    }
    const lifetimes = p.lifetimeSummary();
    const perMinute = p.startsPerMinute(t);
    const subject: FindingSubject = {
      name: p.name,
      cmdline: p.cmdline,
      identities: [...p.recent],
      container: p.container,
      containerName: p.container === null ? null : this.nameOf(p.container),
    };
    this.findings.hold(key, p.firstStartSince(t - RESTART_WINDOW_MS), t, {
      kind: 'restart_loop',
      subject,
      evidence: { restarts, perMinute, ...lifetimes, windowS: RESTART_WINDOW_MS / 1000, exitCode: null },
      summary: restartSummary(subject, { restarts, perMinute, ...lifetimes }),
    });
  }

  // --- minutes, hours, persistence --------------------------------------------------------------

  private closeMinute(t: number): void {
    for (const s of this.byPid.values()) {
      // Not seen for two minutes without an exit on record (a missed tick): let it go.
      if (t - s.lastTs > 2 * MINUTE_MS) {
        this.gone(s, t);
        continue;
      }
      if (s.cpuN === 0 && s.rssN === 0) continue;
      const cpu = s.cpuN ? s.cpuSum / s.cpuN : 0;
      const rss = s.rssN ? s.rssSum / s.rssN : (s.rss ?? 0);
      s.cpuSum = s.cpuN = s.rssSum = s.rssN = 0;
      (s.ring ??= new Ring(BASELINE_MINUTES, 2)).push(cpu, rss);
      this.rebase(s);
      let name = this.names.get(s.nameKey);
      if (!name) {
        name = { ring: new Ring(BASELINE_MINUTES, 2), cpu: emptyMoments(), rss: emptyMoments(), lastSeen: t };
        this.names.set(s.nameKey, name);
      }
      name.ring.push(cpu, rss);
      addMoment(name.cpu, cpu);
      addMoment(name.rss, rss);
      name.lastSeen = t;
      this.slowLeak(s, t);
    }
    for (const p of this.programs.values()) {
      p.prune(t);
      if (p.restarts(t) < RESTART_MIN) this.findings.release(`restart_loop:${p.key}`);
      if (p.idle()) this.programs.delete(p.key);
    }
    // Findings left open by a stopped agent whose condition did not come back.
    this.findings.expire(t - 2 * MINUTE_MS);
    this.restored.clear();
    this.save(t >= this.nextSaveAt);
  }

  private addMachine(t: number, cpu: number | null, mem: number, memTotal: number): void {
    const start = Math.floor(t / HOUR_MS) * HOUR_MS;
    const h = this.hour;
    if (h.start !== start) {
      if (h.start !== -1 && h.n > 0)
        this.machineHours.push(h.start, h.cpuN ? h.cpu / h.cpuN : 0, h.mem / h.n, h.memTotal);
      Object.assign(h, { start, cpu: 0, cpuN: 0, mem: 0, memTotal, n: 0 });
    }
    if (cpu !== null) {
      h.cpu += cpu;
      h.cpuN++;
    }
    h.mem += mem;
    h.memTotal = memTotal;
    h.n++;
  }

  /** Writes findings (when changed) and, every few minutes or when `all`, the baselines. */
  save(all = true): void {
    if (!this.options.dataDir) return;
    try {
      mkdirSync(path.join(this.options.dataDir, 'analytics'), { recursive: true, mode: 0o700 });
      this.findings.save();
      this.containers.save(all);
      if (all) {
        this.nextSaveAt = this.lastTickTs + SAVE_BASELINES_MS;
        saveJsonAtomic(baselinesFile(this.options.dataDir), this.snapshot());
      }
      this.once.recovered('analytics-save', 'analytics: writing baselines and findings works again');
    } catch (error) {
      this.once.failed(
        'analytics-save',
        `analytics: cannot write ${path.join(this.options.dataDir, 'analytics')}: ${(error as Error).message}`,
      );
    }
  }

  private snapshot(): SavedBaselines {
    const names: SavedBaselines['names'] = {};
    for (const [name, b] of this.names) {
      if (this.lastTickTs - b.lastSeen > NAME_KEEP_MS) {
        this.names.delete(name);
        continue;
      }
      names[name] = { ring: b.ring.toJSON(), cpu: b.cpu, rss: b.rss, lastSeen: b.lastSeen };
    }
    const identities: SavedBaselines['identities'] = {};
    for (const s of this.byPid.values()) if (s.ring) identities[s.key] = s.ring.toJSON();
    return { version: 1, savedAt: this.lastTickTs, names, identities, machine: this.machineHours.toJSON() };
  }

  private load(file: string): void {
    const saved = loadJson<SavedBaselines>(file);
    if (!saved || saved.version !== 1) return;
    for (const [name, b] of Object.entries(saved.names ?? {})) {
      if (!b || typeof b !== 'object') continue;
      this.names.set(name, {
        ring: Ring.from(BASELINE_MINUTES, 2, b.ring),
        cpu: moments(b.cpu),
        rss: moments(b.rss),
        lastSeen: typeof b.lastSeen === 'number' ? b.lastSeen : 0,
      });
    }
    for (const [key, ring] of Object.entries(saved.identities ?? {}))
      if (Array.isArray(ring)) this.restored.set(key, ring);
    this.machineHours = Ring.from(MACHINE_HOURS, 4, saved.machine);
  }

  /** Writes everything; the agent calls it when it stops. */
  stop(): void {
    this.save(true);
  }

  /** The findings holding now. */
  openFindings(): Finding[] {
    return this.findings.openFindings();
  }

  /** Open and closed findings meeting [from, to]. */
  findingsIn(from: number, to: number): Finding[] {
    return this.findings.inRange(from, to);
  }
}

/** Who restarts a process: its container's runtime, else its parent (restarts.ts says why). */
const parentOf = (row: ProcessRow): string => row.container ?? `ppid:${row.ppid}`;

function moments(value: unknown): Moments {
  const v = value as Partial<Moments> | undefined;
  return typeof v?.n === 'number' && typeof v.mean === 'number' && typeof v.m2 === 'number'
    ? { n: v.n, mean: v.mean, m2: v.m2 }
    : emptyMoments();
}
