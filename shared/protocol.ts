// Over 400 lines on purpose: the whole catalogue of messages in one file, as ARCHITECTURE.md asks
// ("one protocol file"), so every method and its shapes are found in one place.
// The agent's JSON-RPC protocol: one namespace per message, each holding its literal `method`, its
// vscode-jsonrpc `type` and its Params / Result shapes. Both sides use `.type`, never a string.
// Imports only vscode-jsonrpc's message-type classes and shared model types: this file loads in the
// agent, the extension and the CLI alike (no Node built-ins, no `vscode`).
import type { MessageRef } from './i18n/catalogue';
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type {
  ActiveAlert,
  AlertEvent,
  ContainerEvent,
  Finding,
  AtResult,
  Category,
  ExportFormat,
  Grouping,
  HistoryMetric,
  MachineSample,
  ProcessFilter,
  ProcessIdentity,
  ProcessMeta,
  ProcessRow,
  Resolution,
  Run,
  RunListing,
  RunSource,
  Series,
  SeriesMetric,
  SortKey,
  StatsResult,
  StatsRow,
} from './model';
import type { ConfigProblem } from './validate';

/**
 * Bumped on every incompatible change. `initialize` carries it both ways: a client newer than the
 * agent asks it to hand over (HandoverRequest, sent by the newer agent); a client older than
 * MIN_CLIENT_PROTOCOL_VERSION is told to update.
 */
export const PROTOCOL_VERSION = 1;
/** The oldest client protocol the agent still answers. */
export const MIN_CLIENT_PROTOCOL_VERSION = 1;

/** Largest message either side accepts, bytes of JSON body. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Deepest JSON nesting the agent accepts (its own messages stay far below). */
export const MAX_MESSAGE_DEPTH = 64;

/** Error codes beyond JSON-RPC's, in the range JSON-RPC leaves to applications. */
export const AgentErrorCodes = {
  /** The client's protocol is older than the agent accepts: update the client. */
  ClientTooOld: -32010,
  /** A query named something that does not exist (a gone process, an unknown identity). */
  NotFound: -32011,
  /** The user's input was wrong; the message names the thing and the fix (UserInputError). */
  BadInput: -32012,
  /** The agent is handing over or stopping and takes no new work. */
  ShuttingDown: -32013,
  /** The agent already serves as many clients as it will (ServiceLimits.maxConnections). */
  TooManyClients: -32014,
} as const;

// ---------------------------------------------------------------------------------------------
// Lifecycle: the LSP `initialize` handshake, extended with the protocol version both ways.

/** What a client puts in `initialize`'s `initializationOptions`. */
export interface ClientHello {
  protocolVersion: number;
  /** The client's product version, for logs ("extension 0.3.1", "cli 0.3.1"). */
  clientVersion: string;
  clientName: string;
}

/** What the agent adds to its `initialize` result under `processTracker`. */
export interface AgentHello {
  protocolVersion: number;
  agentVersion: string;
  pid: number;
  /** ms since the epoch. */
  startedAt: number;
  dataDir: string;
  intervalMs: number;
}

export interface InitializeResultWithAgent {
  capabilities: Record<string, never>;
  serverInfo: { name: string; version: string };
  processTracker: AgentHello;
}

/**
 * LSP's lifecycle messages, typed with our initialize result, so that neither side depends on the
 * LSP protocol package. The agent answers them per connection: `exit` closes that connection only.
 */
export namespace Lifecycle {
  /** client → agent, first on every connection; params.initializationOptions is a ClientHello. */
  export const initialize = new RequestType<unknown, InitializeResultWithAgent, void>('initialize');
  /** client → agent, after the initialize answer. */
  export const initialized = new NotificationType<unknown>('initialized');
  /** client → agent, before it leaves; later requests are refused. */
  export const shutdown = new RequestType<unknown, null, void>('shutdown');
  /** client → agent, last: the agent closes this connection. */
  export const exit = new NotificationType<unknown>('exit');
}

// ---------------------------------------------------------------------------------------------
// Live queries (answered from the newest tick in memory).

export namespace TopRequest {
  export const method = 'processTracker/top' as const;
  export interface Params {
    sort?: SortKey;
    /** How many rows; default 20, at most 1000. */
    n?: number;
    filter?: ProcessFilter;
  }
  export interface Result {
    /** Timestamp of the tick the rows come from; null before the first tick. */
    ts: number | null;
    machine: MachineSample | null;
    rows: ProcessRow[];
    /** Processes matching the filter before `n` was applied. */
    matched: number;
  }
  /** client → agent, whenever a view needs the current top processes. */
  export const type = new RequestType<Params, Result, void>(method);
}

/** A parent shows itself plus all its descendants. Unknown figures count as 0 in totals. */
export interface FamilyTotals {
  cpu: number;
  rss: number;
  readBps: number;
  writeBps: number;
  /** Processes in the family, the parent included. */
  count: number;
}

export interface ProcessTreeNode {
  row: ProcessRow;
  family: FamilyTotals;
  children: ProcessTreeNode[];
}

export interface CategoryGroup {
  category: Category;
  totals: FamilyTotals;
  rows: ProcessRow[];
}

export namespace ProcessesRequest {
  export const method = 'processTracker/processes' as const;
  export interface Params {
    filter?: ProcessFilter;
    grouping: Grouping;
    sort?: SortKey;
    /**
     * Only the subtrees whose root is one of these pids (at most MAX_ROOTS; absent = the whole machine,
     * an empty list = nothing): each listed process that is alive, and all its descendants; then
     * `filter` and `grouping` apply to those processes. With grouping 'tree' the result's roots are
     * the listed processes, each with its descendants and family totals; a listed pid inside another
     * one's subtree is shown there, not again as a root. Agents before this field ignore it and
     * answer for the whole machine, so a client looks its pids up in the result rather than trusting
     * the roots to be exactly those.
     */
    roots?: number[];
  }
  /** The longest `roots` list an agent accepts. */
  export const MAX_ROOTS = 1000;
  export type Result =
    | { ts: number | null; grouping: 'flat'; rows: ProcessRow[] }
    | { ts: number | null; grouping: 'category'; groups: CategoryGroup[] }
    /**
     * Roots are processes whose parent is absent (or filtered out, or outside `roots`); a filter keeps
     * ancestors of matches.
     */
    | { ts: number | null; grouping: 'tree'; roots: ProcessTreeNode[] };
  /** client → agent, when the sidebar tree (re)builds its rows. */
  export const type = new RequestType<Params, Result, void>(method);
}

export interface OpenFile {
  fd: number;
  /** readlink of /proc/[pid]/fd/N: a path, `socket:[inode]`, `pipe:[inode]`, `anon_inode:…`. */
  target: string;
}

export interface NetworkConnection {
  protocol: 'tcp' | 'tcp6' | 'udp' | 'udp6';
  local: string;
  remote: string;
  /** TCP state name (LISTEN, ESTABLISHED…); for UDP `UNCONN` or `ESTABLISHED`. */
  state: string;
  fd: number;
}

export interface ThreadInfo {
  tid: number;
  name: string;
  /** One-letter state from /proc/[pid]/task/[tid]/stat (R, S, D, Z…). */
  state: string;
}

export interface ProcessDetails {
  identity: ProcessIdentity;
  name: string;
  /** argv as the process set it; empty for kernel threads. */
  argv: string[];
  exe: string | null;
  cwd: string | null;
  /** null where unreadable (another user's process): unknown, never empty. */
  openFiles: OpenFile[] | null;
  connections: NetworkConnection[] | null;
  threads: ThreadInfo[] | null;
  /** Raw /proc/[pid]/cgroup text, trimmed; null when unreadable. */
  cgroup: string | null;
  container: string | null;
  /** Present only when asked for; values of secret-looking names are replaced by `<redacted>`. */
  environment?: Record<string, string> | null;
  /** Lists were cut at this many entries each, when they were longer. */
  truncatedAt?: number;
}

export namespace ProcessDetailsRequest {
  export const method = 'processTracker/processDetails' as const;
  export interface Params {
    identity: ProcessIdentity;
    /** Read the environment too (secret-looking values redacted). */
    includeEnvironment?: boolean;
  }
  export type Result = ProcessDetails;
  /** client → agent, when a user opens one process's details; NotFound when it is gone or changed. */
  export const type = new RequestType<Params, Result, void>(method);
}

// ---------------------------------------------------------------------------------------------
// History queries (answered by the store).

export namespace HistoryRequest {
  export const method = 'processTracker/history' as const;
  export interface Params {
    /** One process; else all processes named `name`; else the machine. */
    identity?: ProcessIdentity;
    name?: string;
    metric: HistoryMetric;
    from: number;
    to: number;
    /** Resolution is chosen from the tiers so that about this many points come back (default 600). */
    maxPoints?: number;
  }
  export interface Result {
    from: number;
    to: number;
    /** The tier the points come from, as chosen by the agent. */
    resolution: Resolution;
    series: Series[];
  }
  /** client → agent, when a chart needs a series over a range. */
  export const type = new RequestType<Params, Result, void>(method);
}

/** What a StatsRequest's rows are per: a process name, or one process (its identity). */
export const STATS_GROUPINGS = ['name', 'identity'] as const;
export type StatsGrouping = (typeof STATS_GROUPINGS)[number];

export namespace StatsRequest {
  export const method = 'processTracker/stats' as const;
  export interface Params {
    from: number;
    to: number;
    filter?: ProcessFilter;
    groupBy?: StatsGrouping;
    /**
     * Per name, one row per name and container (a name on the host and in a container, or in two
     * containers, is two rows), each with its `container`. Agents before this field ignore it.
     */
    byContainer?: boolean;
    sort?: SortKey;
    n?: number;
  }
  export type Result = StatsResult;
  /** client → agent, for today / week / month / any range statistics. */
  export const type = new RequestType<Params, Result, void>(method);
}

export namespace AtRequest {
  export const method = 'processTracker/at' as const;
  export interface Params {
    ts: number;
    filter?: ProcessFilter;
    sort?: SortKey;
    n?: number;
  }
  export type Result = AtResult;
  /** client → agent, for "what was running at 14:32 yesterday". */
  export const type = new RequestType<Params, Result, void>(method);
}

/** One identity as the store's identity tables know it, over the whole of its recorded life. */
export interface ProcessInstance extends ProcessMeta {
  /** First and last tick the process was seen on, ms since the epoch. */
  firstSeen: number;
  lastSeen: number;
  /** The first tick it was gone on, when the agent saw it go; null otherwise. */
  exitSeen: number | null;
  /** Seen on the agent's newest tick. */
  running: boolean;
}

export namespace LifecycleRequest {
  export const method = 'processTracker/lifecycle' as const;
  export interface Params {
    /** One process: it and every other instance of its command line (its restarts)… */
    identity?: ProcessIdentity;
    /** …or every process of this name. One of the two is required. */
    name?: string;
    from: number;
    to: number;
  }
  export interface Result {
    from: number;
    to: number;
    /** Instances alive at some point of the range, oldest start first. */
    instances: ProcessInstance[];
    /** Processes the instances started (same pid as parent, started while it ran), newest first, at most 200. */
    children: ProcessInstance[];
    /** More children than returned were seen. */
    childrenTruncated: boolean;
  }
  /** client → agent, for a process page's lifecycle timeline (starts, exits, restarts) and children. */
  export const type = new RequestType<Params, Result, void>(method);
}

// ---------------------------------------------------------------------------------------------
// The history panel's questions: one request answers everything one view of the panel draws (as
// GitLens' webviews ask their host one `getDataset`), so a range load, a live-tail refresh and a
// process page each cost one round trip. Agents before these requests answer MethodNotFound; the
// extension then asks the finer requests above.

export namespace PanelDatasetRequest {
  export const method = 'processTracker/panelDataset' as const;
  export interface Params {
    from: number;
    to: number;
    /** The metric the top-N series are drawn in. */
    metric: SeriesMetric;
    /** How many of the range's top names (by `sort`) get a series; 0 to 100, default 10. */
    topN?: number;
    /** Orders the table's rows and so picks the top N; default cpu. */
    sort?: SortKey;
    /** Which processes the table and the top N come from (the machine series are the whole machine). */
    filter?: ProcessFilter;
    /** About this many points per series (default 600): the tier is chosen for the whole range. */
    maxPoints?: number;
    /** Rows of the table (stats per name over the range), default 500, at most 10 000. */
    rows?: number;
    /**
     * Live tail: the time of the newest point the client holds. The series then carry only points at
     * or after it (that point's bucket may have grown since), for names in `known`, provided the tier
     * of the whole range is still `tier`; otherwise whole series come back (the answer's `since` says
     * which). The table's rows are always those of the whole range, recomputed.
     */
    since?: number;
    /** With `since`: the tier (Resolution.tier) of the points the client holds. */
    tier?: string;
    /** With `since`: the names whose series the client holds; a top name not listed comes whole. */
    known?: string[];
  }
  export interface Result {
    from: number;
    to: number;
    /** The tier every series comes from, chosen for the whole range. */
    resolution: Resolution;
    /** Machine CPU (`machineCpu`) then memory (`machineMem`). */
    machine: Series[];
    /** The top N names of the range, in `rows` order, each the sum of its processes, labelled by name. */
    top: Series[];
    /** Per name over the whole range, ordered by `sort`. */
    rows: StatsRow[];
    /** The machine's memory total on the newest tick, bytes; null before the first tick. */
    memTotal: number | null;
    /** The machine's cores on the newest tick (a process may use up to cores × 100 %). */
    cores?: number | null;
    /** When nothing was recorded from the range's start until some moment in it: that moment. */
    historyStart?: number | null;
    /**
     * Set (to the asked `since`) when the machine series and the `known` names' series hold only the
     * points from `since` on; absent when every series covers the whole range.
     */
    since?: number;
  }
  /** The longest `known` list an agent accepts (the panel draws at most 100 names). */
  export const MAX_KNOWN = 100;
  /** client → agent, for the panel's overview of a range and each live-tail refresh. */
  export const type = new RequestType<Params, Result, void>(method);
}

export namespace PanelWarmRequest {
  export const method = 'processTracker/panelWarm' as const;
  export interface Params {
    /** The range the panel is about to ask for (its restored or default state). */
    from: number;
    to: number;
  }
  export interface Result {
    /**
     * True when the agent started its history worker for this range; false when the range needs
     * none (it is all in memory) or a worker is running or busy already.
     */
    warming: boolean;
  }
  /**
   * client → agent, as a history panel opens, before its page has loaded: a range over past files
   * is read in a worker process that ends when idle, and a cold one (Node's start, sql.js, V8's
   * first compilation of the queries) cost more than the query. The agent starts the worker and
   * reads the range once, dropping the answer, so the panel's first PanelDatasetRequest finds it
   * warm. Answered at once. Agents before this request answer MethodNotFound: nothing to do then.
   */
  export const type = new RequestType<Params, Result, void>(method);
}

export namespace ProcessPageRequest {
  export const method = 'processTracker/processPage' as const;
  /** The series a process page draws, in this order. */
  export const METRICS: readonly SeriesMetric[] = ['cpu', 'rss', 'readBps', 'writeBps'];
  export interface Params {
    /** One process (and its restarts' lifecycle)… */
    identity?: ProcessIdentity;
    /** …or every process of this name. One of the two is required. */
    name?: string;
    from: number;
    to: number;
    /** About this many points per series (default 600). */
    maxPoints?: number;
  }
  export interface Result {
    from: number;
    to: number;
    resolution: Resolution;
    /** METRICS, in that order; for a name, the sum of its processes. */
    series: Series[];
    /** As LifecycleRequest answers them. */
    instances: ProcessInstance[];
    children: ProcessInstance[];
    childrenTruncated: boolean;
    /** The newest tick's rows of the instances, the children and the process `details` is about. */
    running: ProcessRow[];
    /**
     * Live details of the process (for a name: of its newest running instance); null when none runs
     * or it went away meanwhile. Without the environment.
     */
    details: ProcessDetails | null;
    /**
     * Set when the asked range held fewer than two points of the process at its tier (a young or
     * short-lived process in a long range): from/to are then its life within the asked range.
     */
    fitted?: boolean;
    /** The machine's cores on the newest tick, for CPU as a share of the machine. */
    cores?: number | null;
  }
  /** client → agent, when the panel opens (or re-ranges, or live-tails) one process's page. */
  export const type = new RequestType<Params, Result, void>(method);
}

export namespace ExportRequest {
  export const method = 'processTracker/export' as const;
  export interface Params {
    format: ExportFormat;
    from: number;
    to: number;
    filter?: ProcessFilter;
    /** Absolute path to write; default a new file under `<data dir>/exports/`. */
    file?: string;
  }
  export interface Result {
    file: string;
    rows: number;
  }
  /** client → agent, when a user exports a range; the agent writes the file and names it. */
  export const type = new RequestType<Params, Result, void>(method);
}

// ---------------------------------------------------------------------------------------------
// Actions.

export const KILL_SIGNALS = [
  'SIGTERM',
  'SIGKILL',
  'SIGINT',
  'SIGHUP',
  'SIGQUIT',
  'SIGSTOP',
  'SIGCONT',
  'SIGUSR1',
  'SIGUSR2',
] as const;
export type KillSignal = (typeof KILL_SIGNALS)[number];

export type KillResult =
  | { ok: true; pid: number; signal: KillSignal }
  | {
      ok: false;
      /** gone: no such process; changed: the pid now belongs to another process; denied: EPERM; refused: the agent will not (itself, pid 1). */
      reason: 'gone' | 'changed' | 'denied' | 'refused';
      message: string;
    };

export namespace KillRequest {
  export const method = 'processTracker/kill' as const;
  export interface Params {
    identity: ProcessIdentity;
    signal: KillSignal;
  }
  export type Result = KillResult;
  /** client → agent, after the user confirmed; the agent re-checks (pid, start time) right before signalling. */
  export const type = new RequestType<Params, Result, void>(method);
}

export interface TierStatus {
  name: string;
  label: string;
  files: number;
  bytes: number;
  oldest: number | null;
  newest: number | null;
}

/** A store file found damaged or foreign and renamed aside, byte-identical (never deleted). */
export interface SetAsideFile {
  /** Where it was: recording goes on in a fresh file of this name. */
  file: string;
  movedTo: string;
  reason: string;
  at: number;
}

export interface StoreStatus {
  dataDir: string;
  tiers: TierStatus[];
  lastFlush: number | null;
  lastError: string | null;
  /** Files set aside since the agent started, oldest first (the newest 20). */
  setAside: SetAsideFile[];
  /** Set while the store cannot write to disk: history is kept in memory meanwhile and written on recovery. */
  writeProblem: string | null;
}

/** The sampling loop's health: how many ticks ran, and how late they started. */
export interface SamplingStatus {
  collector: 'procfs' | 'portable';
  ticks: number;
  skipped: number;
  failures: number;
  lastLatenessMs: number;
  worstLatenessMs: number;
}

export interface AgentStatus {
  pid: number;
  version: string;
  protocolVersion: number;
  startedAt: number;
  uptimeMs: number;
  socketPath: string;
  dataDir: string;
  intervalMs: number;
  /** Open connections, this one included. */
  clients: number;
  /** Processes on the newest tick; null before the first tick. */
  processCount: number | null;
  lastSampleTs: number | null;
  /** null until sampling has started. */
  sampling: SamplingStatus | null;
  /** null when the store could not say (it failed to open). */
  store: StoreStatus | null;
  lastError: string | null;
  /**
   * The history panel over HTTP (`run --http`): its address and the 0600 file holding its token
   * (never the token itself). Absent when not served, and from agents before it.
   */
  http?: HttpEndpoint;
}

export interface HttpEndpoint {
  /** e.g. http://127.0.0.1:8765/ */
  url: string;
  tokenFile: string;
}

export namespace AgentStatusRequest {
  export const method = 'processTracker/status' as const;
  export type Params = Record<string, never>;
  export type Result = AgentStatus;
  /** client → agent, for `process-tracker status` and the "Show Agent Status" command. */
  export const type = new RequestType<Params, Result, void>(method);
}

/** One view's shape in a subscription: what ProcessesRequest would be asked after each tick. */
export interface SubscribedView extends ProcessesRequest.Params {
  /** The client's name for the view (1 to 100 characters), echoed in DidSampleNotification.views. */
  id: string;
}

export namespace SubscribeRequest {
  export const method = 'processTracker/subscribe' as const;
  export interface Params {
    /** Ticks closer together than this are skipped for this client; default 0 (every tick). */
    minIntervalMs?: number;
    /** Rows per notification; default 20, at most 200. */
    top?: number;
    sort?: SortKey;
    filter?: ProcessFilter;
    /**
     * Grouped rows to push with every tick, one entry per view (the Processes view's category or
     * tree grouping, This Window's owner subtrees), so no view asks ProcessesRequest after a tick.
     * At most MAX_VIEWS; ids are the client's own. Agents before this field ignore it (their ticks
     * carry no `views`: ask ProcessesRequest then).
     */
    views?: SubscribedView[];
  }
  /** The most views one subscription may carry. */
  export const MAX_VIEWS = 8;
  export interface Result {
    /** The sampling interval: notifications come at most this often. */
    intervalMs: number;
  }
  /**
   * client → agent, to receive DidSampleNotification: the newest tick right after the answer (when
   * one was sampled yet), then every tick; a second subscribe replaces the first.
   */
  export const type = new RequestType<Params, Result, void>(method);
}

export namespace UnsubscribeRequest {
  export const method = 'processTracker/unsubscribe' as const;
  export type Params = Record<string, never>;
  export type Result = null;
  /** client → agent, to stop DidSampleNotification on this connection. */
  export const type = new RequestType<Params, Result, void>(method);
}

export namespace StopRequest {
  export const method = 'processTracker/stop' as const;
  export type Params = Record<string, never>;
  export interface Result {
    pid: number;
  }
  /** client → agent, for `process-tracker stop`: answered first, then the agent flushes and exits. */
  export const type = new RequestType<Params, Result, void>(method);
}

export namespace HandoverRequest {
  export const method = 'processTracker/handover' as const;
  export interface Params {
    /** The requesting (newer) agent. */
    pid: number;
    protocolVersion: number;
    agentVersion: string;
  }
  export interface Result {
    /** The old agent stopped sampling, flushed its store and released the socket. */
    released: true;
    pid: number;
    /** Timestamp of the last sample the old agent stored; the new agent samples from here on. */
    lastSampleTs: number | null;
  }
  /**
   * newer agent → older agent, when a newer agent starts and finds an older one serving. The old
   * agent refuses unless the requester is newer; otherwise it flushes, closes its listener and lock,
   * answers, tells its clients (AgentEventNotification 'handover') and exits.
   */
  export const type = new RequestType<Params, Result, void>(method);
}

// ---------------------------------------------------------------------------------------------
// Notifications.

export namespace DidSampleNotification {
  export const method = 'processTracker/didSample' as const;
  export interface Params {
    ts: number;
    machine: MachineSample;
    /** The subscriber's top rows, by its sort and filter. */
    top: ProcessRow[];
    processCount: number;
    /** One entry per subscribed view, in the subscription's order; absent without views. */
    views?: { id: string; processes: ProcessesRequest.Result }[];
  }
  /**
   * agent → subscribed client, after each tick (no more often than the client's minIntervalMs), and
   * once with the newest tick right after SubscribeRequest is answered.
   */
  export const type = new NotificationType<Params>(method);
}

export type AgentEvent =
  | { kind: 'started'; pid: number; version: string; protocolVersion: number }
  | { kind: 'storeError'; message: string }
  | { kind: 'storeRecovered'; message: string }
  | { kind: 'handover'; fromPid: number; toPid: number; toVersion: string }
  | { kind: 'stopping'; pid: number };

export namespace AgentEventNotification {
  export const method = 'processTracker/agentEvent' as const;
  export type Params = AgentEvent;
  /** agent → every initialized client, when the agent starts, its store fails or recovers, it hands over or stops. */
  export const type = new NotificationType<Params>(method);
}

// ---------------------------------------------------------------------------------------------
// Alerts (agent/alerts/README.md). Rules with channels (URLs, tokens, passwords) and restart
// commands come only from the user's alerts file, which only the agent reads. A client can add
// rules from the user's or machine's settings (AlertSettingsRulesRequest), silence alerts, and
// read state; it can never set a channel, a URL, a command, or see a secret.

export namespace AlertNotification {
  export const method = 'processTracker/alert' as const;
  export type Params = AlertEvent;
  /**
   * agent → every initialized client, on each fire / resolve / reminder / escalation (and for
   * `alerts test`, with `test: true`). Toast it unless `suppressed` is set; `resolved` may close
   * the firing toast. Also sent for suppressed transitions so the Alerts view stays current.
   */
  export const type = new NotificationType<Params>(method);
}

export namespace ActiveAlertsRequest {
  export const method = 'processTracker/activeAlerts' as const;
  export type Params = Record<string, never>;
  export interface Result {
    /** Pending and firing alerts, firing first, then newest first. */
    alerts: ActiveAlert[];
  }
  /** client → agent, when the Alerts view (re)builds, e.g. after an AlertNotification or a reconnect. */
  export const type = new RequestType<Params, Result, void>(method);
}

/** How often each rule fired and resolved within a history range. */
export interface AlertCount {
  rule: string;
  firing: number;
  resolved: number;
  /** repeat + escalated notifications. */
  reminders: number;
  /** Transitions a silence or maintenance window held back. */
  suppressed: number;
}

export namespace AlertHistoryRequest {
  export const method = 'processTracker/alertHistory' as const;
  export interface Params {
    /** Range, ms since the epoch; default the last 7 days. */
    from?: number;
    to?: number;
    /** Only this rule's events. */
    rule?: string;
    /** Page size, default 100, at most 1000. */
    limit?: number;
    /** Events to skip (newest first), for the next page; default 0. */
    offset?: number;
  }
  export interface Result {
    from: number;
    to: number;
    /** Newest first. */
    events: AlertEvent[];
    /** Events in the range (for paging: more remain when offset + events.length < total). */
    total: number;
    /** Per rule over the whole range (not just this page). */
    counts: AlertCount[];
    /** The oldest event the agent still keeps (history is bounded); null when it keeps none. */
    oldestKept: number | null;
  }
  /** client → agent, for "Process Tracker: Alert History" and its paging. */
  export const type = new RequestType<Params, Result, void>(method);
}

export interface AlertSilence {
  rule?: string;
  /** An alert's scope as in AlertEvent.scope ("pid:123@1700000000000", "name:nginx", "all"). */
  scope?: string;
  /** Regular expression on the process name. */
  process?: string;
  /** ms since the epoch. */
  until: number;
  comment?: string;
}

export namespace SilenceRequest {
  export const method = 'processTracker/silence' as const;
  export interface Params {
    /** At least one of rule, scope, process. A toast's "Silence 1 h" sends its event's rule and scope. */
    rule?: string;
    scope?: string;
    process?: string;
    /** Until this time (ms since the epoch, in the future, at most 30 days ahead)… */
    until?: number;
    /** …or for this long (ms, at most 30 days). Exactly one of until / durationMs. */
    durationMs?: number;
    comment?: string;
  }
  export interface Result {
    silence: AlertSilence;
    /** Every silence in force now (from the file and from clients). */
    active: AlertSilence[];
  }
  /** client → agent, to hold back an alert's notifications; kept across agent restarts. */
  export const type = new RequestType<Params, Result, void>(method);
}

/** One channel's answer to a test notification. Errors are redacted: no URL or token in them. */
export interface AlertChannelResult {
  channel: string;
  /** webhook, slack, … ; "unknown" for a channel the rule names but the file does not define. */
  type: string;
  ok: boolean;
  /** HTTP status or SMTP reply code, when there was one. */
  status?: number;
  error?: string;
  durationMs: number;
}

export namespace AlertsTestRequest {
  export const method = 'processTracker/alertsTest' as const;
  export interface Params {
    rule: string;
  }
  export interface Result {
    rule: string;
    /** One per channel of the rule (escalation channels included), in the rule's order. */
    results: AlertChannelResult[];
  }
  /**
   * client → agent, for `process-tracker alerts test RULE` and a "Test Alert Rule" command: sends a
   * sample notification once (no retries, no outbox) through each of the rule's channels, and
   * an AlertNotification with `test: true` to every client. BadInput when no such rule.
   */
  export const type = new RequestType<Params, Result, void>(method);
}

/** A loaded rule, without anything secret (channels by name only). */
export interface AlertRuleSummary {
  name: string;
  metric: AlertEvent['metric'];
  severity: AlertEvent['severity'];
  /** "alerts.yaml:12" or "settings processTracker.alerts.rules[0]". */
  source: string;
  channels: string[];
  /** The rule has a restart action (only possible from the file). */
  hasAction: boolean;
  /** One line, e.g. "cpu max > 80% for 5m" (English). */
  summary: string;
  /** The same in any language (shared/i18n/alertText.ts), for VS Code's pick list. */
  summaryRef?: MessageRef;
}

/** A problem of the rules (where: the file path, or "settings"), as the agent reports it. */
export interface AlertRuleProblem extends ConfigProblem {
  /** The whole line as the CLI prints it: "alerts.yaml:12 rules[2].threshold: expected a number…". */
  text: string;
}

export interface AlertRulesStatus {
  /** The rule file the agent reads (default `<config dir>/alerts.yaml`, or `run --alerts FILE`). */
  file: string;
  fileExists: boolean;
  /** When the file was last (re)read, ms since the epoch. */
  loadedAt: number;
  rules: AlertRuleSummary[];
  /** Channel names defined in the file (their settings stay in the agent). */
  channels: string[];
  /** Problems of the file's last read and of the settings rules. */
  problems: AlertRuleProblem[];
  /**
   * Names of rules and channels kept from the last good read because the file's last read had
   * errors and they vanished from it (a broken rule cannot be told from a deleted one).
   */
  keptFromLastGood: string[];
  /**
   * Channels whose `${secret:NAME}` values no client has sent yet (AlertSecretsRequest): their
   * notifications wait in the outbox. Ask the user for these secret names.
   */
  waitingForSecrets: { channel: string; secrets: string[] }[];
}

export namespace AlertRulesStatusRequest {
  export const method = 'processTracker/alertRulesStatus' as const;
  export type Params = Record<string, never>;
  export type Result = AlertRulesStatus;
  /** client → agent, for "Manage Alert Rules" and to show the file's problems. */
  export const type = new RequestType<Params, Result, void>(method);
}

export namespace AlertRulesCheckRequest {
  export const method = 'processTracker/alertRulesCheck' as const;
  /** The rules file's text as the editor has it (unsaved edits included), at most 1 MB. */
  export interface Params {
    text: string;
  }
  export interface Result {
    /** What a save of this text would report (the agent's own parser and checks); nothing is loaded. */
    problems: AlertRuleProblem[];
  }
  /** client → agent, while the rules file has unsaved edits: its diagnostics follow the typing. */
  export const type = new RequestType<Params, Result, void>(method);
}

export namespace AlertSettingsRulesRequest {
  export const method = 'processTracker/alertSettingsRules' as const;
  export interface Params {
    /**
     * The `processTracker.alerts.rules` setting's value from the user and machine scopes only
     * (never workspace / folder values). Same fields as a rule in the file; `channels` may only
     * name channels the file defines; `action` is ignored (reported as a warning). Replaces what
     * any client sent before; the agent keeps it across restarts.
     */
    rules: unknown[];
  }
  export type Result = AlertRulesStatus;
  /** client → agent, on connect and whenever the setting changes. */
  export const type = new RequestType<Params, Result, void>(method);
}

export namespace AlertSecretsRequest {
  export const method = 'processTracker/alertSecrets' as const;
  export interface Params {
    /**
     * Values from VS Code's SecretStorage for `${secret:NAME}` placeholders in the alerts file's
     * channels (e.g. `url: "${secret:team-hook-url}"`, `password: "${secret:smtp}"`). NAME is
     * letters, digits, `_ . -`. Replaces what was sent before. The agent keeps them in memory
     * only (never on disk, never logged): after an agent restart a window must send them again.
     */
    secrets: Record<string, string>;
  }
  export type Result = AlertRulesStatus;
  /** client → agent, on connect and whenever the user sets or deletes an alert secret. */
  export const type = new RequestType<Params, Result, void>(method);
}

// ---------------------------------------------------------------------------------------------
// Analytics (agent/analytics): findings over a range, and "why was it slow at 14:30".

export namespace ReportRequest {
  export const method = 'processTracker/report' as const;
  export interface Params {
    from: number;
    to: number;
    /** Rows of the efficiency table (default 20). */
    n?: number;
    /**
     * Only the findings still open (the sidebar's badges): no efficiency table, waste or trends
     * computed. Agents before this field ignore it and answer the whole report.
     */
    open?: boolean;
    /**
     * `waste`: alive, large and idle for at least this long, ms (default 2 days; `report
     * --idle-for`). Agents before this field use 2 days.
     */
    idleForMs?: number;
  }
  export interface Result {
    from: number;
    to: number;
    /** Stored findings (leak, anomaly, restart_loop) and those computed now (trend, waste), oldest first. */
    findings: Finding[];
    /** The efficiency table: one `efficiency` finding per name, most CPU-seconds first. */
    efficiency: Finding[];
  }
  /** client → agent, for `process-tracker report`. */
  export const type = new RequestType<Params, Result, void>(method);
}

export namespace ExplainRequest {
  export const method = 'processTracker/explain' as const;
  export interface Params {
    ts: number;
    /** How many processes to rank (default 10). */
    n?: number;
  }
  export interface Row {
    identity: ProcessIdentity;
    name: string;
    cmdline: string;
    container: string | null;
    /** The start of the minute of `ts`: the figures are over that minute and the next. */
    at: number;
    /** Its averages over those two minutes, or the part of them recorded so far (percent of one core; bytes). */
    cpu: number | null;
    rss: number | null;
    baselineCpu: number | null;
    baselineRss: number | null;
    /**
     * What it was measured against: its own average over the hour before (`identity`); too new for
     * that, a busy new process's figures (`new`: 25 % of a core, 256 MiB) or its name's average
     * where that is higher (`name`).
     */
    baseline: 'identity' | 'name' | 'new';
    /**
     * How far from its baseline, the larger of CPU and memory:
     * s / (s + 15) × (value − baseline) / (baseline + floor), s its seconds seen in those minutes.
     */
    score: number;
    /** Which figure set the score. */
    metric: 'cpu' | 'rss';
  }

  export interface Result {
    ts: number;
    sampleTs: number | null;
    machine: MachineSample | null;
    ranked: Row[];
    /** Findings whose window holds `ts`. */
    findings: Finding[];
    /** Containers that started or stopped from 5 minutes before TIME's minute to the end of the next one. */
    containers: ContainerEvent[];
  }
  /** client → agent, for `process-tracker explain TIME`. */
  export const type = new RequestType<Params, Result, void>(method);
}

// ---------------------------------------------------------------------------------------------
// Runs (agent/runs): each VS Code task run and terminal command, with its subtree's cost.

/** What a window knows of a run when it starts. */
export interface RunStart {
  /** Unique per run (the window makes it: its session id and a counter). */
  id: string;
  source: RunSource;
  command: string;
  folder?: string | null;
  /** The subtree's root: the task's process id, or the terminal's shell. */
  pid?: number | null;
  /** ms since the epoch. */
  start: number;
}

export namespace RunStartedRequest {
  export const method = 'processTracker/runStarted' as const;
  export type Params = RunStart;
  export type Result = null;
  /** client → agent, when a task's process or a terminal command starts. */
  export const type = new RequestType<Params, Result, void>(method);
}

export namespace RunEndedRequest {
  export const method = 'processTracker/runEnded' as const;
  /** The start's fields again, so a run whose start this agent did not see (it restarted) is kept. */
  export interface Params extends RunStart {
    end: number;
    exitCode: number | null;
  }
  /** The run as kept. */
  export type Result = Run;
  /** client → agent, when it ends. */
  export const type = new RequestType<Params, Result, void>(method);
}

export namespace RunsRequest {
  export const method = 'processTracker/runs' as const;
  export interface Params {
    /** Runs that started at or after `from` (default: all kept). */
    from?: number;
    to?: number;
    /** Only this exact command. */
    command?: string;
    /** Newest first, at most n (default 100). */
    n?: number;
  }
  export interface Result {
    /** Newest first; running ones too (end null). */
    runs: RunListing[];
  }
  /** client → agent, for the Runs view and `process-tracker runs`. */
  export const type = new RequestType<Params, Result, void>(method);
}
