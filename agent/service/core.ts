// The seam between the service (sockets, protocol) and the rest of the agent (sampler, store).
// agent/agent.ts builds one AgentCore from the real sampler and store; the service only sees this.
import type { AtResult, MachineSample, ProcessIdentity, StatsResult, Tick } from '../../shared/model';
import type { DatasetQuery } from './panel';
import type {
  ActiveAlertsRequest,
  AlertHistoryRequest,
  AlertRulesStatus,
  AlertSilence,
  AlertsTestRequest,
  KillResult,
  KillSignal,
  ProcessDetails,
  SamplingStatus,
  HttpEndpoint,
  PanelDatasetRequest,
  SilenceRequest,
} from '../../shared/protocol';
import type {
  AtQuery,
  ExportQuery,
  LifecycleQuery,
  LifecycleResult,
  SeriesQuery,
  SeriesResult,
  StatsQuery,
  StoreStatus,
} from '../store/types';
import type { AnalyticsSource } from '../analytics/source';
import type { RunTracker } from '../runs/tracker';

/** What the store answers; agent/store's Store satisfies it as is. */
export interface CoreQueries {
  stats(query: StatsQuery): StatsResult | Promise<StatsResult>;
  at(query: AtQuery): AtResult | Promise<AtResult>;
  series(query: SeriesQuery): SeriesResult | Promise<SeriesResult>;
  exportTo(query: ExportQuery, file: string): Promise<{ rows: number }>;
  lifecycle(query: LifecycleQuery): LifecycleResult | Promise<LifecycleResult>;
  status(): StoreStatus;
  /**
   * The panel's whole answer in one call, when the queries can do better than composing the calls
   * above (agent/history runs it on one hand-over in a worker process); else panel.ts composes them.
   */
  panelDataset?(query: DatasetQuery, machine: MachineSample | undefined): Promise<PanelDatasetRequest.Result>;
  /**
   * A history panel is opening on [from, to): start what its first request will need (a worker
   * process) now. Whether anything was started; absent when queries run in this process anyway.
   */
  warmPanel?(from: number, to: number): boolean;
}

/** The sampling side's own health, merged by the service into AgentStatus. */
export interface CoreStatus {
  intervalMs: number;
  lastError: string | null;
  sampling?: SamplingStatus | null;
  /** Set while the history panel is served over HTTP (agent/http). */
  http?: HttpEndpoint;
}

/** The alerts runtime (agent/alerts/runtime.ts) as the service sees it; params already validated. */
export interface CoreAlerts {
  active(): ActiveAlertsRequest.Result;
  history(query: {
    from: number;
    to: number;
    rule?: string;
    limit: number;
    offset: number;
  }): AlertHistoryRequest.Result;
  silence(silence: AlertSilence): SilenceRequest.Result;
  test(rule: string): Promise<AlertsTestRequest.Result>;
  setSettingsRules(rules: unknown[]): AlertRulesStatus;
  setSecrets(secrets: Record<string, string>): AlertRulesStatus;
  rulesStatus(): AlertRulesStatus;
}

export interface AgentCore {
  /** The newest tick (live figures); undefined before the first. */
  latest(): Tick | undefined;
  /** Called after every tick; returns the unsubscribe function. Listeners must not throw. */
  onTick(listener: (tick: Tick) => void): () => void;
  /** null when the store could not be opened: live queries still work, history answers an error. */
  queries: CoreQueries | null;
  /** /proc reader by default (agent/service/details.ts). */
  details(identity: ProcessIdentity, options: { includeEnvironment: boolean }): Promise<ProcessDetails>;
  /** Identity re-check then signal, by default (agent/service/kill.ts). */
  kill(identity: ProcessIdentity, signal: KillSignal): Promise<KillResult>;
  status(): CoreStatus;
  /** Undefined until the alerts runtime runs (alert requests then answer an error). */
  readonly alerts?: CoreAlerts;
  /** Findings and baselines (agent/analytics); undefined until the recorder runs. */
  readonly analytics?: AnalyticsSource;
  /** VS Code task runs and terminal commands (agent/runs); undefined until the recorder runs. */
  readonly runs?: Pick<RunTracker, 'started' | 'ended' | 'list'>;
}
