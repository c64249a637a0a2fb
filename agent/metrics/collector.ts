// What /metrics reports, from the ticks the agent already takes: no second walk of /proc. Counters
// (CPU seconds by mode, bytes read and written, starts) must count what happened between scrapes,
// so each tick adds its share to its group's totals (a loop over the tick's rows, a few µs per
// hundred processes); everything else is read from the latest tick when a scrape asks. A process
// that exits leaves its seconds in its group's totals: a counter never goes down while the group
// lives. CPU by mode: the row's kernel part (`cpuSystem`, from stime) is system, the rest user;
// where the platform does not split CPU time (macOS, Windows) all of it counts as user.
//
// Bounded: each process name gets a group of its own while there is room under `maxSeries`; names
// beyond it fold into `other`. A name keeps its group while any process of it lives, and loses it
// (its series disappear) once none does.
import type { ProcessRow, Tick } from '../../shared/model';
import type { MetricsSettings } from '../../shared/settings';

/** The group that takes every name beyond the cap. */
export const OTHER = 'other';

// Series counts, so the cap can be kept: kept in step with registry.ts (a unit test counts them).
/** build_info 1, machine 10, agent 7. */
export const fixedSeries = 18;
/** CPU ratio and resident bytes. */
export const seriesPerTopProcess = 2;
/** cpu user and system, rss, read, written, fds, threads, processes, oldest start, starts. */
export const seriesPerGroup = 10;
/** A process may be in the top N by CPU and by memory: at most 2N distinct processes. */
const topSeries = (n: number) => 2 * n * seriesPerTopProcess;

export interface GroupTotals {
  cpuUserSeconds: number;
  cpuSystemSeconds: number;
  readBytes: number;
  writtenBytes: number;
  starts: number;
}

export interface GroupView extends GroupTotals {
  name: string;
  processes: number;
  residentBytes: number;
  fds: number;
  threads: number;
  /** Seconds since the epoch. */
  oldestStart: number;
}

export interface TopProcess {
  pid: number;
  name: string;
  cmdline?: string;
  /** Share of one core over the latest tick; null before a process's second reading. */
  cpuRatio: number | null;
  residentBytes: number | null;
}

export interface MetricsView {
  tick?: Tick;
  groups: GroupView[];
  top: TopProcess[];
  machineCpuSeconds: number;
  ticks: number;
  foldedNames: number;
}

/** Command lines as labels (only when the user turns them on): cut so one cannot flood a scrape. */
const MAX_CMDLINE_LABEL = 256;

export class MetricsCollector {
  private readonly maxGroups: number;
  /** Process name → its group (the name itself, or OTHER). */
  private readonly groupOf = new Map<string, string>();
  private readonly totals = new Map<string, GroupTotals>();
  /** pid → start time of the processes on the latest tick: a pid not here (or reused) is a start. */
  private readonly alive = new Map<number, number>();
  private latest: Tick | undefined;
  private machineCpuSeconds = 0;
  private ticks = 0;

  constructor(
    private readonly settings: Pick<MetricsSettings, 'maxSeries' | 'topProcesses' | 'commandLineLabels'>,
  ) {
    // `other` is one of the groups, so at least one always fits (config.ts checks the room).
    this.maxGroups = Math.max(
      1,
      Math.floor((settings.maxSeries - fixedSeries - topSeries(settings.topProcesses)) / seriesPerGroup),
    );
  }

  onTick(tick: Tick): void {
    const first = this.latest === undefined;
    const seconds = tick.elapsedMs / 1000;
    this.assignGroups(tick.processes);
    const live = new Set<string>();
    const liveNames = new Set<string>();
    for (const row of tick.processes) {
      const group = this.groupOf.get(row.name)!;
      live.add(group);
      liveNames.add(row.name);
      let totals = this.totals.get(group);
      if (!totals) {
        totals = emptyTotals();
        this.totals.set(group, totals);
      }
      // The processes of the first tick were running before the agent: not starts it saw.
      if (!first && this.alive.get(row.pid) !== row.startTime) totals.starts++;
      if (row.cpu) {
        const system = Math.min(row.cpu, row.cpuSystem ?? 0);
        totals.cpuSystemSeconds += (system / 100) * seconds;
        totals.cpuUserSeconds += ((row.cpu - system) / 100) * seconds;
      }
      if (row.readBps) totals.readBytes += row.readBps * seconds;
      if (row.writeBps) totals.writtenBytes += row.writeBps * seconds;
    }
    for (const gone of tick.exited) {
      if (this.alive.get(gone.pid) === gone.startTime) this.alive.delete(gone.pid);
    }
    for (const row of tick.processes) this.alive.set(row.pid, row.startTime);
    // A group with no process left loses its series; its names may come back later as new ones.
    for (const group of this.totals.keys()) if (!live.has(group)) this.totals.delete(group);
    for (const name of this.groupOf.keys()) if (!liveNames.has(name)) this.groupOf.delete(name);
    if (tick.machine.cpu !== null) {
      this.machineCpuSeconds += (tick.machine.cpu / 100) * tick.machine.cores * seconds;
    }
    this.latest = tick;
    this.ticks++;
  }

  /** New names get groups while there is room, the busiest first; the rest fold into `other`. */
  private assignGroups(rows: readonly ProcessRow[]): void {
    let fresh: Map<string, number> | undefined;
    for (const row of rows) {
      if (this.groupOf.has(row.name)) continue;
      fresh ??= new Map();
      fresh.set(row.name, (fresh.get(row.name) ?? 0) + (row.cpu ?? 0) + (row.rss ?? 0) / 2 ** 30);
    }
    if (!fresh) return;
    const groups = new Set(this.groupOf.values());
    let used = groups.size;
    let otherTaken = groups.has(OTHER);
    const names = [...fresh].sort((a, b) => b[1] - a[1]).map(([name]) => name);
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      // A name gets its own group when every fresh name still fits, or when one place is still
      // left for `other` after it.
      const fitsAll = used + (names.length - i) <= this.maxGroups;
      const fitsBesideOther = used + 1 + (otherTaken ? 0 : 1) <= this.maxGroups;
      if (name !== OTHER && (fitsAll || fitsBesideOther)) {
        this.groupOf.set(name, name);
        used++;
      } else {
        this.groupOf.set(name, OTHER);
        if (!otherTaken) used++;
        otherTaken = true;
      }
    }
  }

  /** The figures as of the latest tick; called once per scrape. */
  view(): MetricsView {
    const tick = this.latest;
    const groups = new Map<string, GroupView>();
    let folded = 0;
    for (const [name, group] of this.groupOf) if (group === OTHER && name !== OTHER) folded++;
    for (const row of tick?.processes ?? []) {
      const name = this.groupOf.get(row.name) ?? OTHER;
      let view = groups.get(name);
      if (!view) {
        const totals = this.totals.get(name) ?? emptyTotals();
        view = { name, ...totals, processes: 0, residentBytes: 0, fds: 0, threads: 0, oldestStart: Infinity };
        groups.set(name, view);
      }
      view.processes++;
      view.residentBytes += row.rss ?? 0;
      view.fds += row.fds ?? 0;
      view.threads += row.threads ?? 0;
      view.oldestStart = Math.min(view.oldestStart, row.startTime / 1000);
    }
    return {
      tick,
      groups: [...groups.values()],
      top: this.top(tick?.processes ?? []),
      machineCpuSeconds: this.machineCpuSeconds,
      ticks: this.ticks,
      foldedNames: folded,
    };
  }

  /** The top N by CPU and the top N by memory, each process once. */
  private top(rows: readonly ProcessRow[]): TopProcess[] {
    const n = this.settings.topProcesses;
    if (n === 0) return [];
    const chosen = new Set<ProcessRow>([
      ...topBy(rows, n, (row) => row.cpu ?? -1),
      ...topBy(rows, n, (row) => row.rss ?? -1),
    ]);
    return [...chosen].map((row) => ({
      pid: row.pid,
      name: row.name,
      ...(this.settings.commandLineLabels ? { cmdline: row.cmdline.slice(0, MAX_CMDLINE_LABEL) } : {}),
      cpuRatio: row.cpu === null ? null : row.cpu / 100,
      residentBytes: row.rss,
    }));
  }
}

function emptyTotals(): GroupTotals {
  return { cpuUserSeconds: 0, cpuSystemSeconds: 0, readBytes: 0, writtenBytes: 0, starts: 0 };
}

/** The n rows with the highest key, without sorting all of them (n is small). */
function topBy(rows: readonly ProcessRow[], n: number, key: (row: ProcessRow) => number): ProcessRow[] {
  const best: ProcessRow[] = [];
  const keys: number[] = [];
  for (const row of rows) {
    const k = key(row);
    if (best.length === n && k <= keys[n - 1]!) continue;
    let i = best.length;
    while (i > 0 && keys[i - 1]! < k) i--;
    best.splice(i, 0, row);
    keys.splice(i, 0, k);
    if (best.length > n) {
      best.pop();
      keys.pop();
    }
  }
  return best;
}
