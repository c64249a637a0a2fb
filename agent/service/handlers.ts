// The answers to the agent's query and action requests: params checked off the wire, then handed
// to the live views or to the core. Connection state (lifecycle, subscriptions) lives in session.ts.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCodes, ResponseError } from 'vscode-jsonrpc/node';
import { UserInputError } from '../../shared/errors';
import { EXPORT_FORMATS, HISTORY_METRICS, SERIES_METRICS, type ProcessIdentity } from '../../shared/model';
import { compileRegex } from '../../shared/filter';
import {
  AgentErrorCodes,
  KILL_SIGNALS,
  STATS_GROUPINGS,
  type ActiveAlertsRequest,
  type AlertHistoryRequest,
  type AlertRulesStatus,
  type AlertSilence,
  type AlertsTestRequest,
  type AtRequest,
  type ExportRequest,
  type HistoryRequest,
  type KillRequest,
  type LifecycleRequest,
  PanelDatasetRequest,
  PanelWarmRequest,
  type ProcessDetailsRequest,
  type ProcessesRequest,
  type ProcessPageRequest,
  type SilenceRequest,
  type StatsRequest,
  type TopRequest,
  type AlertRulesCheckRequest,
} from '../../shared/protocol';
import type { AgentCore, CoreAlerts, CoreQueries } from './core';
import { ProcessGoneError } from './details';
import { topRows } from './tickRows';
import { panelDataset, processPage } from './panel';
import * as v from './validate';
import { parseAlertsYaml } from '../alerts/rules';
import { formatProblem } from '../../shared/validate';
import { readProcessesParams, viewProcesses } from './views';
import { buildReport, WASTE_IDLE_FOR_MAX_MS, WASTE_IDLE_FOR_MIN_MS } from '../analytics/report';
import { explain } from '../analytics/explain';
import type { AnalyticsSource } from '../analytics/source';
import type { ExplainRequest, ReportRequest, RunEndedRequest, RunsRequest } from '../../shared/protocol';
import { readRunEnd, readRunsQuery, readRunStart } from '../runs/params';

const MAX_RANGE_MS = 10 * 366 * 24 * 3600_000;
const DAY_MS = 24 * 3600_000;
const MAX_SILENCE_MS = 30 * DAY_MS;
const MAX_SETTINGS_RULES = 500;

function range(p: Record<string, unknown>): { from: number; to: number } {
  const from = v.requiredTime(p.from, 'from');
  const to = v.requiredTime(p.to, 'to');
  if (to < from) throw v.invalid(v.request('toBeforeFrom', { to: new Date(to).toISOString() }));
  if (to - from > MAX_RANGE_MS) throw v.invalid(v.request('rangeTooLong'));
  return { from, to };
}

/** Maps failures to answers a client can show: the user's mistakes verbatim, the rest as internal. */
export function asResponseError(error: unknown): ResponseError<void> {
  if (error instanceof ResponseError) return error as ResponseError<void>;
  // A catalogue message goes with its reference: the client says it in its user's language.
  if (error instanceof UserInputError)
    return new ResponseError(
      AgentErrorCodes.BadInput,
      error.message,
      error.text ? ({ text: error.text } satisfies v.ErrorData) : undefined,
    ) as ResponseError<void>;
  if (error instanceof ProcessGoneError) return new ResponseError(AgentErrorCodes.NotFound, error.message);
  return new ResponseError(ErrorCodes.InternalError, error instanceof Error ? error.message : String(error));
}

export class Handlers {
  constructor(
    private readonly core: AgentCore,
    private readonly dataDir: string,
  ) {}

  private queries(): CoreQueries {
    const queries = this.core.queries;
    if (!queries) {
      throw new ResponseError(
        ErrorCodes.InternalError,
        'the history store is not open (see `process-tracker status` for its error)',
      );
    }
    return queries;
  }

  top(params: unknown): TopRequest.Result {
    const p = v.fields(params, 'top');
    const n = v.optionalInt(p.n, 'n', 1, 1000) ?? 20;
    const sort = v.optionalSort(p.sort);
    const filter = v.optionalFilter(p.filter);
    const tick = this.core.latest();
    if (!tick) return { ts: null, machine: null, rows: [], matched: 0 };
    const { rows, matched } = topRows(tick.processes, { sort, n, filter });
    return { ts: tick.ts, machine: tick.machine, rows, matched };
  }

  processes(params: unknown): ProcessesRequest.Result {
    const query = readProcessesParams(params);
    const tick = this.core.latest();
    return viewProcesses(tick?.processes ?? [], tick?.ts ?? null, query);
  }

  details(params: unknown): Promise<ProcessDetailsRequest.Result> {
    const p = v.fields(params, 'processDetails');
    const identity = v.identity(p.identity);
    const includeEnvironment = v.optionalBoolean(p.includeEnvironment, 'includeEnvironment') ?? false;
    return this.core.details(identity, { includeEnvironment });
  }

  async history(params: unknown): Promise<HistoryRequest.Result> {
    const p = v.fields(params, 'history');
    const identity = v.optionalIdentity(p.identity);
    const name = v.optionalString(p.name, 'name', 1000);
    const metric = v.requiredOneOf(p.metric, 'metric', HISTORY_METRICS);
    const maxPoints = v.optionalInt(p.maxPoints, 'maxPoints', 2, 10_000) ?? 600;
    const query = { identity, name, metric, maxPoints, ...range(p) };
    return this.queries().series(query);
  }

  async stats(params: unknown): Promise<StatsRequest.Result> {
    const p = v.fields(params, 'stats');
    const query = {
      ...range(p),
      filter: v.optionalFilter(p.filter),
      groupBy: v.optionalOneOf(p.groupBy, 'groupBy', STATS_GROUPINGS),
      byContainer: v.optionalBoolean(p.byContainer, 'byContainer'),
      sort: v.optionalSort(p.sort),
      n: v.optionalInt(p.n, 'n', 1, 10_000),
    };
    return this.queries().stats(query);
  }

  async at(params: unknown): Promise<AtRequest.Result> {
    const p = v.fields(params, 'at');
    const query = {
      ts: v.requiredTime(p.ts, 'ts'),
      filter: v.optionalFilter(p.filter),
      sort: v.optionalSort(p.sort),
      n: v.optionalInt(p.n, 'n', 1, 10_000),
    };
    return this.queries().at(query);
  }

  async lifecycle(params: unknown): Promise<LifecycleRequest.Result> {
    const p = v.fields(params, 'lifecycle');
    const identity = v.optionalIdentity(p.identity);
    const name = v.optionalString(p.name, 'name', 1000);
    if (!identity && !name) throw v.invalid(v.request('identityOrName'));
    return this.queries().lifecycle({ identity, name, ...range(p) });
  }

  async panelDataset(params: unknown): Promise<PanelDatasetRequest.Result> {
    const p = v.fields(params, 'panelDataset');
    const since = p.since === undefined || p.since === null ? undefined : v.requiredTime(p.since, 'since');
    const tier = v.optionalString(p.tier, 'tier', 20);
    if (since !== undefined && tier === undefined) throw v.invalid(v.request('sinceNeedsTier'));
    const query = {
      ...range(p),
      metric: v.requiredOneOf(p.metric, 'metric', SERIES_METRICS),
      topN: v.optionalInt(p.topN, 'topN', 0, 100) ?? 10,
      sort: v.optionalSort(p.sort),
      filter: v.optionalFilter(p.filter),
      maxPoints: v.optionalInt(p.maxPoints, 'maxPoints', 2, 10_000) ?? 600,
      rows: v.optionalInt(p.rows, 'rows', 1, 10_000) ?? 500,
      since,
      tier,
      known: v.optionalStringList(p.known, 'known', PanelDatasetRequest.MAX_KNOWN, 1000),
    };
    const queries = this.queries();
    const latest = this.core.latest();
    return queries.panelDataset
      ? queries.panelDataset(query, latest?.machine)
      : panelDataset(queries, latest, query);
  }

  async panelWarm(params: unknown): Promise<PanelWarmRequest.Result> {
    const p = v.fields(params, 'panelWarm');
    const { from, to } = range(p);
    // No store (its error is in status): nothing to warm, and the panel's own request will say so.
    return { warming: this.core.queries?.warmPanel?.(from, to) ?? false };
  }

  async processPage(params: unknown): Promise<ProcessPageRequest.Result> {
    const p = v.fields(params, 'processPage');
    const identity = v.optionalIdentity(p.identity);
    const name = v.optionalString(p.name, 'name', 1000);
    if (!identity && !name) throw v.invalid(v.request('identityOrName'));
    const maxPoints = v.optionalInt(p.maxPoints, 'maxPoints', 2, 10_000) ?? 600;
    const details = (of: ProcessIdentity) => this.core.details(of, { includeEnvironment: false });
    return processPage(this.queries(), this.core.latest(), details, {
      identity,
      name,
      maxPoints,
      ...range(p),
    });
  }

  async export(params: unknown): Promise<ExportRequest.Result> {
    const p = v.fields(params, 'export');
    const format = v.requiredOneOf(p.format, 'format', EXPORT_FORMATS);
    const { from, to } = range(p);
    const filter = v.optionalFilter(p.filter);
    const requested = v.optionalString(p.file, 'file', 4096);
    if (requested !== undefined && !path.isAbsolute(requested)) {
      throw v.invalid(v.request('fileRelative', { file: requested }));
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const queries = this.queries();
    const file = requested ?? path.join(this.dataDir, 'exports', `processes-${stamp}.${format}`);
    if (requested === undefined) await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const { rows } = await queries.exportTo({ format, from, to, filter }, file);
    return { file, rows };
  }

  kill(params: unknown): Promise<KillRequest.Result> {
    const p = v.fields(params, 'kill');
    const identity = v.identity(p.identity);
    const signal = v.requiredOneOf(p.signal, 'signal', KILL_SIGNALS);
    return this.core.kill(identity, signal);
  }

  // --- alerts (agent/alerts/runtime.ts behind core.alerts) ----------------------------------------

  private alerts(): CoreAlerts {
    const alerts = this.core.alerts;
    if (!alerts)
      throw new ResponseError(ErrorCodes.InternalError, 'alerts are not running in this agent yet');
    return alerts;
  }

  activeAlerts(params: unknown): ActiveAlertsRequest.Result {
    v.fields(params, 'activeAlerts');
    return this.alerts().active();
  }

  alertHistory(params: unknown): AlertHistoryRequest.Result {
    const p = v.fields(params, 'alertHistory');
    const to = p.to === undefined || p.to === null ? Date.now() : v.requiredTime(p.to, 'to');
    const from = p.from === undefined || p.from === null ? to - 7 * DAY_MS : v.requiredTime(p.from, 'from');
    if (to < from) throw v.invalid(v.request('toBeforeFrom', { to: new Date(to).toISOString() }));
    return this.alerts().history({
      from,
      to,
      rule: v.optionalString(p.rule, 'rule', 200),
      limit: v.optionalInt(p.limit, 'limit', 1, 1000) ?? 100,
      offset: v.optionalInt(p.offset, 'offset', 0, 10_000_000) ?? 0,
    });
  }

  silence(params: unknown): SilenceRequest.Result {
    const p = v.fields(params, 'silence');
    const silence: Partial<AlertSilence> = {};
    const rule = v.optionalString(p.rule, 'rule', 200);
    const scope = v.optionalString(p.scope, 'scope', 1000);
    const processName = v.optionalString(p.process, 'process', 1000);
    const comment = v.optionalString(p.comment, 'comment', 500);
    if (rule === undefined && scope === undefined && processName === undefined)
      throw v.invalid(v.request('silenceWhat'));
    if (processName !== undefined) compileRegex(processName, 'process');
    const now = Date.now();
    const until = p.until === undefined || p.until === null ? undefined : v.requiredTime(p.until, 'until');
    const durationMs = v.optionalInt(p.durationMs, 'durationMs', 1000, MAX_SILENCE_MS);
    if ((until === undefined) === (durationMs === undefined)) throw v.invalid(v.request('untilOrDuration'));
    const end = until ?? now + durationMs!;
    if (end <= now) throw v.invalid(v.request('untilPast', { until: new Date(end).toISOString() }));
    if (end > now + MAX_SILENCE_MS) throw v.invalid(v.request('untilFar'));
    if (rule !== undefined) silence.rule = rule;
    if (scope !== undefined) silence.scope = scope;
    if (processName !== undefined) silence.process = processName;
    if (comment !== undefined) silence.comment = comment;
    return this.alerts().silence({ ...silence, until: end });
  }

  alertsTest(params: unknown): Promise<AlertsTestRequest.Result> {
    const p = v.fields(params, 'alertsTest');
    const rule = v.optionalString(p.rule, 'rule', 200);
    if (!rule) throw v.invalid(v.request('ruleRequired'));
    return this.alerts().test(rule);
  }

  alertSettingsRules(params: unknown): AlertRulesStatus {
    const p = v.fields(params, 'alertSettingsRules');
    if (!Array.isArray(p.rules) || p.rules.length > MAX_SETTINGS_RULES)
      throw v.invalid(v.request('rulesList', { max: MAX_SETTINGS_RULES }));
    return this.alerts().setSettingsRules(p.rules);
  }

  alertSecrets(params: unknown): AlertRulesStatus {
    const p = v.fields(params, 'alertSecrets');
    const given = p.secrets;
    if (typeof given !== 'object' || given === null || Array.isArray(given))
      throw v.invalid(v.request('secretsObject'));
    const entries = Object.entries(given as Record<string, unknown>);
    if (entries.length > 100) throw v.invalid(v.request('secretsMax', { max: 100 }));
    const secrets: Record<string, string> = {};
    for (const [name, value] of entries) {
      // Never echo the value: an error message could end up in a log.
      if (!/^[A-Za-z0-9_.-]{1,100}$/.test(name))
        throw v.invalid(v.request('secretName', { name: name.slice(0, 100) }));
      if (typeof value !== 'string' || value.length === 0 || value.length > 8192)
        throw v.invalid(v.request('secretValue', { name, max: 8192 }));
      secrets[name] = value;
    }
    return this.alerts().setSecrets(secrets);
  }

  alertRulesCheck(params: unknown): AlertRulesCheckRequest.Result {
    const p = v.fields(params, 'alertRulesCheck');
    const text = v.optionalString(p.text, 'text', 1_000_000);
    if (text === undefined) throw v.invalid(v.request('rulesCheckText'));
    const file = path.basename(this.alerts().rulesStatus().file);
    const { problems } = parseAlertsYaml(text, file, { allowActions: true });
    return { problems: problems.map((problem) => ({ ...problem, text: formatProblem(problem) })) };
  }

  alertRulesStatus(params: unknown): AlertRulesStatus {
    v.fields(params, 'alertRulesStatus');
    return this.alerts().rulesStatus();
  }

  // --- analytics (agent/analytics behind core.analytics) ------------------------------------------

  private analytics(): AnalyticsSource {
    const analytics = this.core.analytics;
    if (!analytics)
      throw new ResponseError(ErrorCodes.InternalError, 'analytics are not running in this agent yet');
    return analytics;
  }

  report(params: unknown): Promise<ReportRequest.Result> {
    const p = v.fields(params, 'report');
    const n = v.optionalInt(p.n, 'n', 1, 1000);
    // The tree's badges and the status bar ask every few seconds: the stored open findings only,
    // without the efficiency, waste and trend figures a report computes from the store.
    if (v.optionalBoolean(p.open, 'open')) {
      const { from, to } = range(p);
      const findings = this.analytics()
        .findings(from, to)
        .filter((finding) => finding.open);
      return Promise.resolve({ from, to, findings, efficiency: [] });
    }
    const idleForMs = v.optionalInt(p.idleForMs, 'idleForMs', WASTE_IDLE_FOR_MIN_MS, WASTE_IDLE_FOR_MAX_MS);
    return buildReport(this.queries(), this.analytics(), { ...range(p), n, idleForMs });
  }

  explain(params: unknown): Promise<ExplainRequest.Result> {
    const p = v.fields(params, 'explain');
    const ts = v.requiredTime(p.ts, 'ts');
    const n = v.optionalInt(p.n, 'n', 1, 1000);
    return explain(this.queries(), this.analytics(), { ts, n });
  }

  // --- runs (agent/runs behind core.runs) ---------------------------------------------------------

  private runs(): NonNullable<AgentCore['runs']> {
    const runs = this.core.runs;
    if (!runs) throw new ResponseError(ErrorCodes.InternalError, 'runs are not recorded by this agent yet');
    return runs;
  }

  runStarted(params: unknown): null {
    this.runs().started(readRunStart(params));
    return null;
  }

  runEnded(params: unknown): RunEndedRequest.Result {
    return this.runs().ended(readRunEnd(params));
  }

  runList(params: unknown): RunsRequest.Result {
    return { runs: this.runs().list(readRunsQuery(params)) };
  }
}
