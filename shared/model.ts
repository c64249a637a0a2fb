// Over 400 lines on purpose: the plain JSON types every part shares, each declared once.
// Plain JSON types shared by the agent, the extension and the webview.
// No `vscode`, no Node built-ins: this folder must load in all three.
import { oneOf } from './validate';

/** A process is its pid *and* its start time: a reused pid is a different process. */
export interface ProcessIdentity {
  pid: number;
  /** Start time, milliseconds since the Unix epoch (whole seconds on the portable path). */
  startTime: number;
}

/**
 * The key a process is told apart by in maps, sets and series keys (`1234:1700000000000`). It is on
 * the wire (a Series' key) and in tree item ids, so its form must not change.
 */
export function identityKey(pid: number, startTime: number): string {
  return `${pid}:${startTime}`;
}

// Each vocabulary below is declared once, as a const tuple: its type is derived from the tuple and
// its guard checks against it, so the CLI, the RPC validation, the settings and the webview guards
// all accept exactly the same words. (package.json's setting enums repeat two of them, as JSON must;
// test/unit/shared/vocabulary.test.ts keeps those equal.)

/** The guard of every vocabulary: true when `value` is one of `words`. */
export function isOneOf<T extends string>(words: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (words as readonly string[]).includes(value);
}

export const CATEGORIES = [
  'development',
  'browser',
  'database',
  'container',
  'shell',
  'system',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];
export const isCategory = (value: unknown): value is Category => isOneOf(CATEGORIES, value);

/** What does not change over a process's life (read once per identity). */
export interface ProcessMeta extends ProcessIdentity {
  ppid: number;
  name: string;
  /** Full command line, arguments joined by spaces; empty for kernel threads. */
  cmdline: string;
  /** User name (or numeric uid as text when it has no name); null when unreadable. */
  user: string | null;
  category: Category;
  /** Container or pod id from the cgroup, e.g. `docker:3f2a…`, `k8s:pod-uid`; null on the host. */
  container: string | null;
}

/**
 * One process's figures at one tick. null means *unknown* (unreadable, or the first sight of a
 * process whose rate needs two readings) — never a stand-in for 0.
 */
export interface ProcessSample {
  /** Percent of one core, clamped to [0, cores × 100]. */
  cpu: number | null;
  /**
   * The part of `cpu` spent in the kernel (system mode), percent of one core; the rest is user
   * mode. null when unknown; absent where the platform does not split CPU time (macOS, Windows).
   */
  cpuSystem?: number | null;
  /**
   * CPU time the process has used since it started (user + system), seconds — known from the
   * first sight, where `cpu` needs two readings: what a run spent in a process seen once (a
   * compiler living a second) or before it was first seen. null when unreadable; absent in rows
   * from the store and from older agents.
   */
  cpuTime?: number | null;
  /** Resident memory, bytes. */
  rss: number | null;
  readBps: number | null;
  writeBps: number | null;
  threads: number | null;
  fds: number | null;
}

export interface ProcessRow extends ProcessMeta, ProcessSample {}

/** Machine-wide figures at one tick. */
export interface MachineSample {
  ts: number;
  /** Percent of the whole machine (0–100); null on the first tick. */
  cpu: number | null;
  cores: number;
  memUsed: number;
  memTotal: number;
  swapUsed: number;
  swapTotal: number;
  load1: number;
  load5: number;
  load15: number;
  processCount: number;
}

/** What the sampler hands the store and the clients after each collection. */
/**
 * One sampling tick. Rows are shared, read-only values: a process that did not change since the
 * previous tick keeps the very same ProcessRow object (the agent's hot path relies on that — the
 * store skips a row it has already seen). So consumers must never mutate a row or the arrays of a
 * tick, and may keep rows across ticks only as immutable snapshots; "same object as last tick"
 * means "nothing changed and CPU and IO are 0 (or null where unknown)".
 */
export interface Tick {
  /** Wall-clock time of the reading, ms since the epoch. */
  ts: number;
  /** Monotonic time since the previous tick, ms (0 on the first tick). */
  elapsedMs: number;
  machine: MachineSample;
  processes: ProcessRow[];
  /** Identities seen on the previous tick and gone now. */
  exited: ProcessIdentity[];
}

/** The orders of a process list (shared/rowOrder.ts sorts by them). */
export const SORT_KEYS = ['cpu', 'mem', 'io', 'name'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export const isSortKey = (value: unknown): value is SortKey => isOneOf(SORT_KEYS, value);

/** How the live processes view lays out its rows: a flat list, by category, or as a process tree. */
export const GROUPINGS = ['flat', 'category', 'tree'] as const;
export type Grouping = (typeof GROUPINGS)[number];
export const isGrouping = (value: unknown): value is Grouping => isOneOf(GROUPINGS, value);

/** A filter as a user types it; compile with `compileFilter` (shared/filter.ts). */
export interface ProcessFilter {
  /** Regular expression matched against the name and the command line. */
  regex?: string;
  pid?: number;
  category?: Category;
  user?: string;
  /**
   * The container a process runs in, as collect/cgroup.ts names it (`docker:3f2a…`, `lxc:web`):
   * the whole id, the id without its runtime, or a prefix of 4 or more characters of either.
   */
  container?: string;
  /** Leave out kernel threads (Linux: kthreadd, pid 2, and its children, which have no command line). */
  hideKernelThreads?: boolean;
}

/** A Linux kernel thread: kthreadd (pid 2) or one of its children. Always false elsewhere. */
export function isKernelThread(process: Pick<ProcessMeta, 'pid' | 'cmdline'> & { ppid?: number }): boolean {
  return (process.pid === 2 || process.ppid === 2) && process.cmdline === '';
}

/** A tier's resolution, as reported back to users ("raw samples", "1-minute averages"…). */
export interface Resolution {
  tier: string;
  /** Step between points, ms (the sampling interval for raw samples). */
  stepMs: number;
  label: string;
}

/**
 * The sums of a StatsRow that can leave processes out: a process whose IO could not be read
 * (another user's /proc/PID/io, or one seen only once) adds nothing to them.
 */
export const PARTIAL_FIELDS = ['readBytes', 'writeBytes'] as const;
export type PartialField = (typeof PARTIAL_FIELDS)[number];

/** Per-name (or per-identity) statistics over a range. */
export interface StatsRow {
  name: string;
  /** Set when the stats are per identity rather than per name. */
  identity?: ProcessIdentity;
  /**
   * The container the row's processes ran in (collect/cgroup.ts's id; null on the host): set per
   * identity, and per name when the query asks `byContainer`. Absent from older agents' rows.
   */
  container?: string | null;
  category: Category;
  /** Wall-clock seconds within the range that at least one instance was alive (never more than the range). */
  activeSeconds: number;
  cpuAvg: number | null;
  cpuPeak: number | null;
  cpuSeconds: number;
  memAvg: number | null;
  memPeak: number | null;
  readBytes: number | null;
  writeBytes: number | null;
  /** Instances that started within the range. */
  starts: number;
  /** Distinct identities seen in the range. */
  instances: number;
  /**
   * The sums that leave out some of the row's processes, whose figure was unknown: each is a lower
   * bound. Absent when every sum is complete. A sum of only unknown figures is null, not partial.
   */
  partial?: PartialField[];
}

export interface StatsResult {
  from: number;
  to: number;
  resolution: Resolution;
  rows: StatsRow[];
}

/** The processes at one past instant. */
export interface AtResult {
  /** The instant asked for. */
  ts: number;
  /** The instant the figures come from (nearest stored point at or before `ts`). */
  sampleTs: number | null;
  resolution: Resolution;
  machine: MachineSample | null;
  rows: ProcessRow[];
}

/** A process's figures that have a history (a HistoryRequest for a process or a name). */
export const SERIES_METRICS = ['cpu', 'rss', 'readBps', 'writeBps', 'threads', 'fds'] as const;
export type SeriesMetric = (typeof SERIES_METRICS)[number];
export const isSeriesMetric = (value: unknown): value is SeriesMetric => isOneOf(SERIES_METRICS, value);

/** The machine's figures that have a history (a HistoryRequest without identity or name). */
export const MACHINE_METRICS = ['machineCpu', 'machineMem'] as const;
export type MachineMetric = (typeof MACHINE_METRICS)[number];

/** Every series a HistoryRequest can ask for: a process's or the machine's. */
export const HISTORY_METRICS = [...SERIES_METRICS, ...MACHINE_METRICS] as const;
export type HistoryMetric = (typeof HISTORY_METRICS)[number];
export const isHistoryMetric = (value: unknown): value is HistoryMetric => isOneOf(HISTORY_METRICS, value);

/**
 * What a history metric's values are in. CPU is a percent of one core for a process (a busy
 * process on 4 cores reads up to 400 %) and of the whole machine for the machine: two units.
 */
export const VALUE_UNITS = ['percentOfCore', 'percentOfMachine', 'bytes', 'bytesPerSecond', 'count'] as const;
export type ValueUnit = (typeof VALUE_UNITS)[number];

export const METRIC_UNITS: Record<HistoryMetric, ValueUnit> = {
  cpu: 'percentOfCore',
  rss: 'bytes',
  readBps: 'bytesPerSecond',
  writeBps: 'bytesPerSecond',
  threads: 'count',
  fds: 'count',
  machineCpu: 'percentOfMachine',
  machineMem: 'bytes',
};

/** How a percent unit is named beside its figures (axes, tooltips, column headers). */
export const PERCENT_OF: Partial<Record<ValueUnit, string>> = {
  percentOfCore: '% of one core',
  percentOfMachine: '% of the machine',
};

export interface SeriesPoint {
  ts: number;
  /** Average over the point's step; null where unknown or not alive. */
  value: number | null;
  /** Maximum over the step (equal to value for raw samples). */
  max: number | null;
}

export interface Series {
  key: string;
  label: string;
  identity?: ProcessIdentity;
  metric: HistoryMetric;
  points: SeriesPoint[];
}

/** `influx`: InfluxDB line protocol (agent/influx/points.ts names the fields). */
export const EXPORT_FORMATS = ['csv', 'json', 'influx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const isExportFormat = (value: unknown): value is ExportFormat => isOneOf(EXPORT_FORMATS, value);

// ---------------------------------------------------------------------------------------------
// Alerts (agent/alerts; README there). Plain JSON: nothing here can hold a secret or a command.

/** What a rule watches; package.json's `processTracker.alerts.rules` schema lists the same. */
export const ALERT_METRICS = [
  'cpu',
  'memory',
  'io_read',
  'io_write',
  'process_count',
  'absent',
  'memory_growth',
  'system_cpu',
  'system_memory',
  // An open finding of that kind (agent/analytics) about a matching process: the value is how many.
  'leak',
  'restart_loop',
  'anomaly',
] as const;
/** The alert metrics that are findings (their FindingKind of the same name). */
export const FINDING_ALERT_METRICS = [
  'leak',
  'restart_loop',
  'anomaly',
] as const satisfies readonly FindingKind[];
export type FindingAlertMetric = (typeof FINDING_ALERT_METRICS)[number];
export const isFindingAlertMetric = (value: unknown): value is FindingAlertMetric =>
  isOneOf(FINDING_ALERT_METRICS, value);
export type AlertMetric = (typeof ALERT_METRICS)[number];
export const isAlertMetric = oneOf(ALERT_METRICS);

/** Toast style in VS Code: critical → error, warning → warning, info → information. */
export const ALERT_SEVERITIES = ['critical', 'warning', 'info'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** How a rule compares its value with its threshold. */
export const ALERT_OPERATORS = ['>', '>=', '<', '<='] as const;
export type AlertOperator = (typeof ALERT_OPERATORS)[number];

/** firing: started; repeat: still firing (reminder); escalated: still firing after `escalate.after`; resolved: cleared. */
export type AlertTransitionKind = 'firing' | 'resolved' | 'repeat' | 'escalated';

/** The process an alert is about (group_by: process, a single match, or the top one of a group). */
export interface AlertProcess {
  pid: number;
  startTime: number;
  name: string;
  cmdline: string;
}

/** One alert transition, as every window, the history and the CLI see it. */
export interface AlertEvent {
  kind: AlertTransitionKind;
  /** rule + "|" + scope: the de-duplication key. One live alert per key. */
  key: string;
  rule: string;
  /** "all", "machine", "name:nginx" or "pid:123@1700000000000"; SilenceRequest takes it as is. */
  scope: string;
  metric: AlertMetric;
  severity: AlertSeverity;
  /** What is alerting: a process name, "3 × node", "machine", or the rule's match for `absent`. */
  subject: string;
  process?: AlertProcess;
  value: number | null;
  threshold: number;
  operator: AlertOperator;
  /** Unit of value and threshold: "%", "MiB", "MiB/s", "MiB/h", "" for counts (ALERT_UNITS). */
  unit: string;
  /** When the alert started firing (for `resolved`: the fire time of the alert that cleared). */
  firedAt: number;
  ts: number;
  /** One line for the toast, e.g. "node-cpu: node (pid 4242) cpu 93% > 80%". */
  message: string;
  /** A silence or maintenance window held the notification back: list it, do not toast it. */
  suppressed?: 'silence' | 'maintenance';
  /** Sent by `alerts test` (AlertsTestRequest): a sample, not a real alert; not in the history. */
  test?: true;
}

/** An alert as it stands now: the Alerts view's rows. */
export interface ActiveAlert {
  key: string;
  rule: string;
  scope: string;
  metric: AlertMetric;
  severity: AlertSeverity;
  subject: string;
  process?: AlertProcess;
  /** pending: the condition holds but not yet for `for`; firing: announced (or held back). */
  state: 'pending' | 'firing';
  /** Pending since, or firing since. */
  since: number;
  value: number | null;
  threshold: number;
  unit: string;
  /** Set while a silence or maintenance window holds this alert's notifications back. */
  suppressed?: 'silence' | 'maintenance';
}

// ---------------------------------------------------------------------------------------------
// Analytics (agent/analytics; README "Findings"). What the agent concluded from the history.

/**
 * leak: memory growing steadily (Theil–Sen slope, good linear fit); trend: a figure projected days
 * ahead; restart_loop: one program exiting and starting again; anomaly: far from its own baseline;
 * efficiency: CPU per wall-second and memory stability; waste: large and idle for days.
 */
export const FINDING_KINDS = ['leak', 'trend', 'restart_loop', 'anomaly', 'efficiency', 'waste'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];
export const isFindingKind = (value: unknown): value is FindingKind => isOneOf(FINDING_KINDS, value);

/** Who a finding is about: a process (by name, its identities), a program (restarts), or the machine. */
export interface FindingSubject {
  /** Process name; null for the machine. */
  name: string | null;
  /** The command line, for a program's restarts (and a single process's findings). */
  cmdline?: string;
  /** The identities concerned (the newest few for a restart loop). */
  identities: ProcessIdentity[];
  /** Container or pod id from the cgroup; null on the host. */
  container: string | null;
  /**
   * The container's name where one could be read without privileges (ContainerEvent.name's
   * source, collect/containerName.ts); null when unknown or on the host. Absent in findings
   * stored before it was added.
   */
  containerName?: string | null;
}

/**
 * A container's start or stop as the agent saw it: the first and the last tick on which some
 * process's cgroup named the container (collect/cgroup.ts). `start` is its first process's start
 * time (before the agent's first tick for a container already running then); `stop` is the last
 * tick it was seen on.
 */
export interface ContainerEvent {
  ts: number;
  kind: 'start' | 'stop';
  /** The id as collect/cgroup.ts names it: `docker:3f2a…`, `k8s:pod-uid`, `lxc:web`. */
  container: string;
  /** Its name where one can be read without privileges (collect/containerName.ts); else null. */
  name: string | null;
}

/** One finding. Evidence figures are in base units: bytes, bytes per second, seconds, percent of one core. */
export interface Finding {
  kind: FindingKind;
  subject: FindingSubject;
  /** The window the finding covers, ms since the epoch; `to` moves on while it is open. */
  from: number;
  to: number;
  /** Still holding on the newest tick. */
  open: boolean;
  evidence: Record<string, number | string | null>;
  /** One line in English and in Simplified Chinese. */
  summary: { en: string; zh: string };
}

// ---------------------------------------------------------------------------------------------
// Runs (agent/runs; README "Runs"): what each VS Code task run and terminal command cost.

/** task: a VS Code task's process; terminal: a command a shell-integrated terminal ran. */
export const RUN_SOURCES = ['task', 'terminal'] as const;
export type RunSource = (typeof RUN_SOURCES)[number];
export const isRunSource = (value: unknown): value is RunSource => isOneOf(RUN_SOURCES, value);

/**
 * One run. Its figures are those of its process subtree as the agent sampled it (a task: its process
 * and descendants; a terminal command: the shell's descendants started after the command), so they
 * are lower bounds — a process that lived less than one interval may be missed. null: never sampled.
 */
export interface Run {
  /** Chosen by the window that saw it start; unique per run. */
  id: string;
  source: RunSource;
  /** The task's name and command, or the command line typed (secrets redacted). */
  command: string;
  /** The workspace folder (or the terminal's working directory); null when unknown. */
  folder: string | null;
  /** The subtree's root: the task's process, or the terminal's shell. */
  pid: number | null;
  start: number;
  /** null while it runs. */
  end: number | null;
  /** As VS Code reported it; null when not reported (killed terminal, no shell integration). */
  exitCode: number | null;
  cpuSeconds: number | null;
  /** The largest sum of the subtree's resident memory at one tick, bytes. */
  peakRss: number | null;
  readBytes: number | null;
  writeBytes: number | null;
  /** Distinct processes seen in the subtree. */
  processes: number;
}

/** A run against the earlier finished runs of the same command in the same folder. */
export interface RunComparison {
  /** How many earlier runs it is compared with (the newest 10 at most); 0: the first. */
  earlier: number;
  medianSeconds: number | null;
  medianPeakRss: number | null;
  /** This run's duration / the median (1.5 = 50 % slower); null without a median. */
  durationRatio: number | null;
  /** This run's peak memory / the median. */
  peakRatio: number | null;
}

export interface RunListing extends Run {
  compare: RunComparison;
}
