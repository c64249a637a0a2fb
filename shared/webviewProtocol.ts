// Over 400 lines on purpose: every panel ↔ host message and guard in one catalogue, as shared/protocol.ts.
// Typed messages between the history panel (webview) and its host (extension/panel), in the style
// of GitLens' src/webviews/protocol.ts: every message is an IpcMessage `{ id, method, params }`,
// and each message type is a constant holding its literal method and a guard.
//
// Both sides validate on receipt — the panel because the host's data carries process names and
// command lines, the host because a webview is web content and must never be trusted to send
// well-formed requests. A guard checks every field, so a handler may use params without checks.
//
// Like the rest of shared/, this file imports neither `vscode`, Node built-ins nor the DOM.

import {
  EXPORT_FORMATS,
  isCategory,
  isHistoryMetric,
  PARTIAL_FIELDS,
  SERIES_METRICS,
  SORT_KEYS,
  type AtResult,
  type ExportFormat,
  type MachineSample,
  type ProcessIdentity,
  type ProcessRow,
  type Resolution,
  type Series,
  type SeriesMetric,
  type SeriesPoint,
  type SortKey,
  type StatsRow,
} from './model';
import {
  arrayOf,
  isBoolean,
  isCount,
  isNullableNumber,
  isNullableString,
  isNumber,
  isRecord,
  isString,
  oneOf,
  optional,
  type Guard,
} from './validate';

export interface IpcMessage {
  /** Unique per sender; lets a log or a test tell messages apart. */
  id: string;
  method: string;
  params: unknown;
}

abstract class IpcMessageType<Params> {
  constructor(
    readonly method: string,
    private readonly validParams: Guard<Params>,
  ) {}

  /** True when `message` is this type's message with every field valid. */
  is(message: unknown): message is IpcMessage & { params: Params } {
    return (
      isRecord(message) &&
      typeof message.id === 'string' &&
      message.method === this.method &&
      this.validParams(message.params)
    );
  }

  /** Builds a message of this type; `id` comes from the sender's counter. */
  create(id: string, params: Params): IpcMessage & { params: Params } {
    return { id, method: this.method, params };
  }
}

/** Sent from the panel to the extension. */
export class IpcCommandType<Params> extends IpcMessageType<Params> {}
/** Sent from the extension to the panel. */
export class IpcNotificationType<Params> extends IpcMessageType<Params> {}

// ── Value guards ─────────────────────────────────────────────────────────────────────────────

// The guards come from shared/validate.ts, the toolkit the agent's RPC params and rules use too.

const isRange = (v: unknown): v is Record<string, unknown> & { from: number; to: number } =>
  isRecord(v) && isNumber(v.from) && isNumber(v.to) && v.from < v.to;

export function isProcessIdentity(v: unknown): v is ProcessIdentity {
  return isRecord(v) && isCount(v.pid) && isNumber(v.startTime);
}

export function isResolution(v: unknown): v is Resolution {
  return isRecord(v) && isString(v.tier) && isNumber(v.stepMs) && v.stepMs >= 0 && isString(v.label);
}

export function isSeriesPoint(v: unknown): v is SeriesPoint {
  return isRecord(v) && isNumber(v.ts) && isNullableNumber(v.value) && isNullableNumber(v.max);
}

export function isSeries(v: unknown): v is Series {
  return (
    isRecord(v) &&
    isString(v.key) &&
    isString(v.label) &&
    optional(isProcessIdentity)(v.identity) &&
    isHistoryMetric(v.metric) &&
    arrayOf(isSeriesPoint)(v.points)
  );
}

export function isStatsRow(v: unknown): v is StatsRow {
  return (
    isRecord(v) &&
    isString(v.name) &&
    optional(isProcessIdentity)(v.identity) &&
    isCategory(v.category) &&
    isNumber(v.activeSeconds) &&
    isNullableNumber(v.cpuAvg) &&
    isNullableNumber(v.cpuPeak) &&
    isNumber(v.cpuSeconds) &&
    isNullableNumber(v.memAvg) &&
    isNullableNumber(v.memPeak) &&
    isNullableNumber(v.readBytes) &&
    isNullableNumber(v.writeBytes) &&
    isCount(v.starts) &&
    isCount(v.instances) &&
    optional(arrayOf(oneOf(PARTIAL_FIELDS)))(v.partial)
  );
}

export function isProcessRow(v: unknown): v is ProcessRow {
  return (
    isProcessIdentity(v) &&
    isRecord(v) &&
    isNumber(v.ppid) &&
    isString(v.name) &&
    isString(v.cmdline) &&
    isNullableString(v.user) &&
    isCategory(v.category) &&
    isNullableString(v.container) &&
    isNullableNumber(v.cpu) &&
    isNullableNumber(v.rss) &&
    isNullableNumber(v.readBps) &&
    isNullableNumber(v.writeBps) &&
    isNullableNumber(v.threads) &&
    isNullableNumber(v.fds)
  );
}

export function isMachineSample(v: unknown): v is MachineSample {
  return (
    isRecord(v) &&
    isNumber(v.ts) &&
    isNullableNumber(v.cpu) &&
    [
      'cores',
      'memUsed',
      'memTotal',
      'swapUsed',
      'swapTotal',
      'load1',
      'load5',
      'load15',
      'processCount',
    ].every((key) => isNumber(v[key]))
  );
}

export function isAtResult(v: unknown): v is AtResult {
  return (
    isRecord(v) &&
    isNumber(v.ts) &&
    isNullableNumber(v.sampleTs) &&
    isResolution(v.resolution) &&
    (v.machine === null || isMachineSample(v.machine)) &&
    arrayOf(isProcessRow)(v.rows)
  );
}

// ── Panel state (kept by the webview's setState and by the host's serializer) ─────────────────

export const RANGE_PRESETS = ['1h', '6h', '24h', '7d', '30d'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export interface TableState {
  sortKey: TableSortKey;
  descending: boolean;
  search: string;
  /** Zero-based. */
  page: number;
  pageSize: number;
}
export const TABLE_SORT_KEYS = [
  'name',
  'category',
  'cpuAvg',
  'cpuPeak',
  'cpuSeconds',
  'memAvg',
  'memPeak',
  'activeSeconds',
  'starts',
  'instances',
  'readBytes',
  'writeBytes',
] as const;
export type TableSortKey = (typeof TABLE_SORT_KEYS)[number];

export const CPU_SCALES = ['core', 'machine'] as const;
export type CpuScale = (typeof CPU_SCALES)[number];

/** Which process a process page shows: one identity, or every process of one name. */
export type ProcessTarget =
  { identity: ProcessIdentity; name?: string } | { name: string; identity?: undefined };

export interface PanelState {
  view: 'overview' | 'process';
  /** A preset follows "now"; `custom` keeps from/to as typed. */
  preset: RangePreset | 'custom';
  from: number;
  to: number;
  liveTail: boolean;
  metric: SeriesMetric;
  sort: SortKey;
  n: number;
  chartMode: 'lines' | 'stacked';
  /** How a process page draws CPU: % of one core (as recorded) or % of the whole machine. */
  cpuScale?: CpuScale;
  table: TableState;
  /** Set while the process page is open. */
  process?: ProcessTarget;
}

export function isProcessTarget(v: unknown): v is ProcessTarget {
  if (!isRecord(v)) return false;
  if (v.identity !== undefined) return isProcessIdentity(v.identity) && optional(isString)(v.name);
  return isString(v.name) && v.name.length > 0;
}

export function isTableState(v: unknown): v is TableState {
  return (
    isRecord(v) &&
    oneOf(TABLE_SORT_KEYS)(v.sortKey) &&
    isBoolean(v.descending) &&
    isString(v.search) &&
    isCount(v.page) &&
    isCount(v.pageSize) &&
    v.pageSize > 0
  );
}

export function isPanelState(v: unknown): v is PanelState {
  return (
    isRecord(v) &&
    oneOf(['overview', 'process'] as const)(v.view) &&
    oneOf([...RANGE_PRESETS, 'custom'] as const)(v.preset) &&
    isRange(v) &&
    isBoolean(v.liveTail) &&
    oneOf(SERIES_METRICS)(v.metric) &&
    oneOf(SORT_KEYS)(v.sort) &&
    isCount(v.n) &&
    v.n > 0 &&
    oneOf(['lines', 'stacked'] as const)(v.chartMode) &&
    optional(oneOf(CPU_SCALES))(v.cpuScale) &&
    isTableState(v.table) &&
    optional(isProcessTarget)(v.process)
  );
}

// ── Panel → extension ────────────────────────────────────────────────────────────────────────

/** Panel → host, once its script has run: the host answers with `state` (if any) and `data`. */
export const ReadyCommand = new IpcCommandType<Record<string, never>>(
  'panel/ready',
  (v): v is Record<string, never> => isRecord(v),
);

export interface RequestRangeParams {
  from: number;
  to: number;
  /** Metric the top-N series are drawn in. */
  metric: SeriesMetric;
  /** How many top processes to draw. */
  n: number;
  sort: SortKey;
  /** Live tail: the host takes `to` as its own "now" and keeps sending fresh `data`. */
  live: boolean;
  /** The chart's width in pixels: the host may ask the store for about this many points. */
  maxPoints: number;
}
/** Panel → host, on a preset, a custom range, a brush zoom, an N / metric change, or live tail. */
export const RequestRangeCommand = new IpcCommandType<RequestRangeParams>(
  'history/requestRange',
  (v): v is RequestRangeParams =>
    isRange(v) &&
    isRecord(v) &&
    oneOf(SERIES_METRICS)(v.metric) &&
    isCount(v.n) &&
    v.n > 0 &&
    v.n <= 100 &&
    oneOf(SORT_KEYS)(v.sort) &&
    isBoolean(v.live) &&
    isCount(v.maxPoints) &&
    v.maxPoints <= 10_000,
);

export interface RequestAtParams {
  ts: number;
}
/** Panel → host, on a click on a chart: the host answers with `at`. */
export const RequestAtCommand = new IpcCommandType<RequestAtParams>(
  'history/requestAt',
  (v): v is RequestAtParams => isRecord(v) && isNumber(v.ts),
);

export type RequestProcessParams = ProcessTarget & { from: number; to: number; maxPoints: number };
/** Panel → host, on a click on a process (table, legend, at-time row): the host answers `process`. */
export const RequestProcessCommand = new IpcCommandType<RequestProcessParams>(
  'process/request',
  (v): v is RequestProcessParams =>
    isRange(v) && isProcessTarget(v) && isCount(v.maxPoints) && v.maxPoints <= 10_000,
);

export interface ExportParams {
  format: ExportFormat;
  /** The rows as shown (search and sort applied), for a host that prefers to format them itself. */
  rows: StatsRow[];
  /** The file's content as built by the panel from exactly those rows. */
  content: string;
  /** A suggested file name for the save dialog, without folder. */
  fileName: string;
}
/** Panel → host, on Export CSV / JSON: the host shows a save dialog and writes `content`. */
export const ExportCommand = new IpcCommandType<ExportParams>(
  'table/export',
  (v): v is ExportParams =>
    isRecord(v) &&
    oneOf(EXPORT_FORMATS)(v.format) &&
    arrayOf(isStatsRow)(v.rows) &&
    isString(v.content) &&
    isString(v.fileName) &&
    /^[\w.-]{1,100}$/.test(v.fileName),
);

export interface OpenProcessRowParams {
  identity: ProcessIdentity;
  name: string;
}
/**
 * Panel → host, on a row's "Actions…": the host offers its own row actions (details, copy, kill —
 * with the extension's own confirmation and identity re-check; the panel cannot kill by itself).
 */
export const OpenProcessRowCommand = new IpcCommandType<OpenProcessRowParams>(
  'process/openRow',
  (v): v is OpenProcessRowParams => isRecord(v) && isProcessIdentity(v.identity) && isString(v.name),
);

export interface SaveStateParams {
  state: PanelState;
}
/** Panel → host, whenever the state changes: the host keeps it for WebviewPanelSerializer. */
export const SaveStateCommand = new IpcCommandType<SaveStateParams>(
  'panel/saveState',
  (v): v is SaveStateParams => isRecord(v) && isPanelState(v.state),
);

export interface RenderedParams {
  view: 'overview' | 'process';
  /** The range drawn. */
  from: number;
  to: number;
  /** Series drawn (machine and top-N, or the process's). */
  series: number;
  /** SVG series paths in the page, and the points they hold. */
  paths: number;
  points: number;
  /** ms from posting `ready` to this draw, measured in the panel. */
  sinceReadyMs: number;
}
/** Panel → host, after it drew the data of a `data` or `process` message (tests and timings read it). */
export const RenderedCommand = new IpcCommandType<RenderedParams>(
  'panel/rendered',
  (v): v is RenderedParams =>
    isRecord(v) &&
    oneOf(['overview', 'process'] as const)(v.view) &&
    isRange(v) &&
    isCount(v.series) &&
    isCount(v.paths) &&
    isCount(v.points) &&
    isNumber(v.sinceReadyMs),
);

// ── Extension → panel ────────────────────────────────────────────────────────────────────────

export interface DataParams {
  from: number;
  to: number;
  resolution: Resolution;
  /** Machine CPU (`machineCpu`) and memory (`machineMem`) series. */
  overview: Series[];
  /** The top-N processes of the range in the requested metric. */
  top: Series[];
  /** The processes of the range, for the table. */
  rows: StatsRow[];
  /** Machine memory total, bytes, when known: the memory chart's upper bound. */
  memTotal: number | null;
  /** The machine's cores, when known: 100 % per core is what processes can reach together. */
  cores?: number | null;
  /** Set when the range begins before anything was recorded: the first recorded moment. */
  historyStart?: number | null;
}
/** Host → panel, answering `requestRange` (and again on every live-tail refresh). */
export const DataNotification = new IpcNotificationType<DataParams>(
  'history/data',
  (v): v is DataParams =>
    isRange(v) &&
    isRecord(v) &&
    isResolution(v.resolution) &&
    arrayOf(isSeries)(v.overview) &&
    arrayOf(isSeries)(v.top) &&
    arrayOf(isStatsRow)(v.rows) &&
    isNullableNumber(v.memTotal) &&
    optional(isNullableNumber)(v.cores) &&
    optional(isNullableNumber)(v.historyStart),
);

export interface AtParams {
  at: AtResult;
}
/** Host → panel, answering `requestAt`. */
export const AtNotification = new IpcNotificationType<AtParams>(
  'history/at',
  (v): v is AtParams => isRecord(v) && isAtResult(v.at),
);

export interface LifecycleEvent {
  ts: number;
  kind: 'start' | 'exit';
  identity: ProcessIdentity;
  /** Command line of the instance; equal command lines in a row make a restart. */
  cmdline: string;
}
export const isLifecycleEvent = (v: unknown): v is LifecycleEvent =>
  isRecord(v) &&
  isNumber(v.ts) &&
  oneOf(['start', 'exit'] as const)(v.kind) &&
  isProcessIdentity(v.identity) &&
  isString(v.cmdline);

export interface Connection {
  protocol: string;
  local: string;
  remote: string;
  state: string;
}
const isConnection = (v: unknown): v is Connection =>
  isRecord(v) && isString(v.protocol) && isString(v.local) && isString(v.remote) && isString(v.state);

/** What can only be read while the process runs; null fields could not be read. */
export interface LiveDetails {
  cmdline: string;
  cwd: string | null;
  openFiles: string[] | null;
  connections: Connection[] | null;
  threads: number | null;
  container: string | null;
  user: string | null;
}
const isLiveDetails = (v: unknown): v is LiveDetails =>
  isRecord(v) &&
  isString(v.cmdline) &&
  isNullableString(v.cwd) &&
  (v.openFiles === null || arrayOf(isString)(v.openFiles)) &&
  (v.connections === null || arrayOf(isConnection)(v.connections)) &&
  isNullableNumber(v.threads) &&
  isNullableString(v.container) &&
  isNullableString(v.user);

export interface ProcessPageParams {
  target: ProcessTarget;
  /** Display name (the process name, also for a page by identity). */
  name: string;
  from: number;
  to: number;
  resolution: Resolution;
  /** Series of the process (or of all processes of the name, summed): cpu, rss, readBps, writeBps. */
  series: Series[];
  lifecycle: LifecycleEvent[];
  /** Children seen in the range (their last known figures). */
  children: ProcessRow[];
  /** Null when the process (or every process of the name) is not running. */
  live: LiveDetails | null;
  /** The machine's cores, when known (for CPU as % of the machine). */
  cores?: number | null;
  /** Set when the range was fitted to the process's life rather than the one asked for. */
  fitted?: boolean;
}
/** Host → panel, answering `requestProcess`. */
export const ProcessPageNotification = new IpcNotificationType<ProcessPageParams>(
  'process/data',
  (v): v is ProcessPageParams =>
    isRange(v) &&
    isRecord(v) &&
    isProcessTarget(v.target) &&
    isString(v.name) &&
    isResolution(v.resolution) &&
    arrayOf(isSeries)(v.series) &&
    arrayOf(isLifecycleEvent)(v.lifecycle) &&
    arrayOf(isProcessRow)(v.children) &&
    (v.live === null || isLiveDetails(v.live)) &&
    optional(isNullableNumber)(v.cores) &&
    optional(isBoolean)(v.fitted),
);

export interface StateParams {
  state: PanelState;
}
/** Host → panel, after `ready`, with the state its serializer restored. */
export const StateNotification = new IpcNotificationType<StateParams>(
  'panel/state',
  (v): v is StateParams => isRecord(v) && isPanelState(v.state),
);

export interface ErrorParams {
  /** One sentence naming the problem and the fix, shown in the panel's status line. */
  message: string;
}
/** Host → panel, when a request could not be answered (agent down, bad range…). */
export const ErrorNotification = new IpcNotificationType<ErrorParams>(
  'panel/error',
  (v): v is ErrorParams => isRecord(v) && isString(v.message),
);

export const PANEL_COMMANDS = [
  ReadyCommand,
  RequestRangeCommand,
  RequestAtCommand,
  RequestProcessCommand,
  ExportCommand,
  OpenProcessRowCommand,
  SaveStateCommand,
  RenderedCommand,
] as const;

export const HOST_NOTIFICATIONS = [
  DataNotification,
  AtNotification,
  ProcessPageNotification,
  StateNotification,
  ErrorNotification,
] as const;
