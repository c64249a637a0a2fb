// The agent's life cycle: claim the socket (one agent per user and data dir), then open the
// store, then sample. Claiming first means a second starter never opens the store for writing.
import path from 'node:path';
import type { Tick } from '../shared/model';
import type { AgentSettings } from '../shared/settings';
import { AlertsRuntime } from './alerts/runtime';
import { AnalyticsEngine } from './analytics/engine';
import { engineSource } from './analytics/source';
import { Redactor, redactingLogger } from './alerts/secrets';
import type { Logger } from './log';
import { startInflux, type InfluxPusher, type InfluxSettings } from './influx';
import { startMetrics, type MetricsExporter } from './metrics';
import { startHttpPanel, type HttpPanel } from './http';
import { defaultConfigDir } from '../client/paths';
import { startSampling, type Sampling } from './run';
import { RunTracker } from './runs/tracker';
import { killProcess, readProcessDetails, startService, type AgentCore, type ServiceHandle } from './service';
import type { CoreQueries } from './service/core';
import { Handlers } from './service/handlers';
import type { HttpEndpoint } from '../shared/protocol';
import { HistoryQueries } from './history/queries';
import { fullCollection } from './fullCollection';
import { keepYoungGenerationSmall } from './youngGeneration';
import { panelDataset } from './service/panel';

export interface AgentOptions {
  settings: AgentSettings;
  log: Logger;
  version: string;
  stopAfterIdleMinutes?: number;
  socketPath?: string;
  /** The alert rule file; default `<config dir>/alerts.yaml`. */
  alertsFile?: string;
  /** The InfluxDB push (agent/influx); absent = off, the default. */
  influx?: { settings: InfluxSettings; secrets: string[] };
  /** Called on every tick (the foreground live top). */
  onTick?: (tick: Tick) => void;
  /** The fast-leak window (agent/analytics; default 3 min). */
  leakWindowMs?: number;
  /** Minutes of a process's own history before it has a baseline (agent/analytics; default 3). */
  baselineMinutes?: number;
  /** The history query worker's idle end and hang detection, ms (agent/history; defaults 20 s, 120 s). */
  queryWorker?: { idleMs?: number; stallMs?: number };
}

export type AgentOutcome =
  | {
      kind: 'serving';
      stopped: Promise<void>;
      stop: () => Promise<void>;
      socketPath: string;
      /** `run --http`: the URL to open, token included (for the terminal only, never the log). */
      httpOpenUrl?: string;
    }
  | { kind: 'alreadyServing'; pid: number; socketPath: string; version: string };

/**
 * History queries that arrive while the store is still opening (replaying its log) wait for it,
 * rather than failing: a window connects the moment the socket answers.
 */
function queriesWhenOpen(opened: Promise<CoreQueries>, dataDir: string): CoreQueries {
  return {
    stats: async (q) => (await opened).stats(q),
    at: async (q) => (await opened).at(q),
    series: async (q) => (await opened).series(q),
    lifecycle: async (q) => (await opened).lifecycle(q),
    exportTo: async (q, file) => (await opened).exportTo(q, file),
    panelDataset: async (q, machine) => {
      const queries = await opened;
      return queries.panelDataset
        ? queries.panelDataset(q, machine)
        : panelDataset(queries, machine && { machine }, q);
    },
    status: () => ({
      dataDir,
      tiers: [],
      lastFlush: null,
      lastError: null,
      setAside: [],
      writeProblem: null,
    }),
  };
}

/**
 * An AgentCore over the sampling loop, which exists only once the socket is ours. Tick listeners are kept
 * here, not on the loop, because the service subscribes before the loop starts.
 */
function coreOver(
  get: () => Sampling | undefined,
  history: () => HistoryQueries | undefined,
  /** Queries that wait for the store while it opens; null once it failed to. */
  opening: () => CoreQueries | null,
  tickListeners: Set<(tick: Tick) => void>,
  intervalMs: number,
  alerts: () => AlertsRuntime | undefined,
  analytics: () => AnalyticsEngine | undefined,
  runs: () => RunTracker | undefined,
  http: () => HttpEndpoint | undefined,
): AgentCore {
  return {
    get runs() {
      return runs();
    },
    get alerts() {
      return alerts();
    },
    get analytics() {
      const engine = analytics();
      return engine && engineSource(engine);
    },
    latest: () => get()?.latest(),
    onTick(listener) {
      tickListeners.add(listener);
      return () => tickListeners.delete(listener);
    },
    get queries() {
      return history() ?? opening();
    },
    details: readProcessDetails,
    kill: killProcess,
    status: () => {
      const sampling = get();
      const endpoint = http();
      return {
        ...(endpoint ? { http: endpoint } : {}),
        intervalMs,
        lastError: sampling?.store.status().lastError ?? null,
        sampling: sampling ? { collector: sampling.collectorKind, ...sampling.scheduler.stats } : null,
      };
    },
  };
}

export async function startAgent(options: AgentOptions): Promise<AgentOutcome> {
  keepYoungGenerationSmall();
  const { settings } = options;
  // Every line the agent logs passes the redactor, which learns each channel secret the alert
  // file ever held: a webhook token in an error message never reaches agent.log.
  const redactor = new Redactor(options.influx?.secrets);
  const log = redactingLogger(options.log, redactor);
  let sampling: Sampling | undefined;
  let storeOpened!: { resolve: (queries: CoreQueries) => void; reject: (error: Error) => void };
  const opened = new Promise<CoreQueries>((resolve, reject) => (storeOpened = { resolve, reject }));
  let history: HistoryQueries | undefined;
  opened.catch(() => undefined);
  let opening: CoreQueries | null = queriesWhenOpen(opened, settings.dataDir);
  const tickListeners = new Set<(tick: Tick) => void>();
  let alerts: AlertsRuntime | undefined;
  let analytics: AnalyticsEngine | undefined;
  let runs: RunTracker | undefined;
  let service: ServiceHandle | undefined;
  let metrics: MetricsExporter | undefined;
  let influx: InfluxPusher | undefined;
  let httpPanel: HttpPanel | undefined;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await alerts?.stop();
      await metrics?.close();
      await httpPanel?.close();
      await history?.close();
      await sampling?.stop();
      analytics?.stop();
      runs?.stop();
      await influx?.close();
      await service?.close();
      resolveStopped();
    })());

  const core = coreOver(
    () => sampling,
    () => history,
    () => opening,
    tickListeners,
    settings.intervalMs,
    () => alerts,
    () => analytics,
    () => runs,
    () => httpPanel?.endpoint,
  );
  const result = await startService({
    core,
    dataDir: settings.dataDir,
    socketPath: options.socketPath,
    log,
    version: options.version,
    stopAfterIdleMinutes: options.stopAfterIdleMinutes,
    onStopRequested: stop,
    onHandover: async () => {
      const last = sampling?.latest()?.ts ?? null;
      await alerts?.stop();
      // The new agent serves /metrics on the same address.
      await metrics?.close();
      // The new agent serves the browser panel on the same address, with a new token.
      await httpPanel?.close();
      await history?.close();
      await sampling?.stop();
      // The new agent reads the baselines and findings from the files.
      analytics?.stop();
      runs?.stop();
      // What is not sent yet stays in the outbox, for the new agent to send.
      await influx?.close();
      return { lastSampleTs: last };
    },
  });
  if ('alreadyServing' in result) return { kind: 'alreadyServing', ...result.alreadyServing };
  service = result;
  if (result.tookOverFrom) {
    log.info(`took over from agent ${result.tookOverFrom.pid} (version ${result.tookOverFrom.agentVersion})`);
  }
  // Built before the sampling starts, so a client that connects at once finds it; it runs from
  // the first tick on.
  const handle = result;
  try {
    alerts = new AlertsRuntime({
      dataDir: settings.dataDir,
      file: options.alertsFile ?? path.join(defaultConfigDir(), 'alerts.yaml'),
      log,
      redactor,
      broadcast: (event) => handle.broadcastAlert(event),
      openFindings: () => analytics?.openFindings() ?? [],
    });
  } catch (error) {
    // Alerts are one feature among several: recording and queries go on without them.
    log.error(`alerts could not start: ${(error as Error).message}`);
  }
  try {
    sampling = await startSampling(settings, log);
    const { scheduler } = sampling;
    history = new HistoryQueries(sampling.store, {
      log,
      ...options.queryWorker,
      clearOfTicks: (ms) => scheduler.clearFor(ms),
      afterCalls: () => void fullCollection(),
    });
    storeOpened.resolve(history);
  } catch (error) {
    opening = null;
    storeOpened.reject(error as Error);
    await service.close();
    throw error;
  }
  if (options.onTick) tickListeners.add(options.onTick);
  sampling.onTick((tick) => {
    for (const listener of tickListeners) listener(tick);
  });
  try {
    const engine = new AnalyticsEngine({
      dataDir: settings.dataDir,
      log,
      leakWindowMs: options.leakWindowMs,
      baselineMinutes: options.baselineMinutes,
    });
    analytics = engine;
    sampling.onTick((tick) => engine.onTick(tick));
  } catch (error) {
    // Findings are one feature among several: recording goes on without them.
    log.error(`analytics could not start: ${(error as Error).message}`);
  }
  const tracker = new RunTracker(settings.dataDir, log);
  runs = tracker;
  sampling.onTick((tick) => tracker.onTick(tick));
  if (alerts) {
    const runtime = alerts;
    sampling.onTick((tick) => runtime.onTick(tick));
    runtime.start();
  }
  if (settings.metrics) {
    metrics = await startMetrics(settings.metrics, options.version, log);
    const exporter = metrics;
    // A stop that came while the port was being opened did not see it.
    if (stopping) await exporter?.close();
    else if (exporter) sampling.onTick((tick) => exporter.onTick(tick));
  }
  if (settings.http) {
    // The socket's own handlers, so the API checks params exactly as the socket does.
    const panel = await startHttpPanel({
      settings: settings.http,
      dataDir: settings.dataDir,
      handlers: new Handlers(core, settings.dataDir),
      log,
    });
    if (stopping) await panel?.close();
    else httpPanel = panel;
  }
  if (options.influx && !stopping) {
    const pusher = startInflux(options.influx.settings, settings.dataDir, log);
    influx = pusher;
    sampling.onTick((tick) => pusher.onTick(tick));
    log.info(
      `influx: pushing to ${new URL(options.influx.settings.url).origin} every ${options.influx.settings.batchTicks} ticks`,
    );
  }
  log.info(`serving on ${result.socketPath} (pid ${process.pid})`);
  return {
    kind: 'serving',
    stopped,
    stop,
    socketPath: result.socketPath,
    ...(httpPanel ? { httpOpenUrl: httpPanel.openUrl } : {}),
  };
}
