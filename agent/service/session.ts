// Over 400 lines on purpose: a client's lifecycle, subscriptions and requests share its state.
// One client connection: the LSP lifecycle (initialize / initialized / shutdown / exit), the
// processTracker/* requests, and this client's tick subscription. One client's `exit` ends this
// connection only; the agent serves on.
import type { Socket } from 'node:net';
import {
  createMessageConnection,
  ErrorCodes,
  ResponseError,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { compileFilter } from '../../shared/filter';
import type { AlertEvent, ProcessFilter, SortKey, Tick } from '../../shared/model';
import {
  ActiveAlertsRequest,
  AlertHistoryRequest,
  AlertNotification,
  AlertRulesCheckRequest,
  AlertRulesStatusRequest,
  AlertSecretsRequest,
  AlertSettingsRulesRequest,
  AlertsTestRequest,
  AgentErrorCodes,
  AgentEventNotification,
  AgentStatusRequest,
  AtRequest,
  DidSampleNotification,
  ExportRequest,
  HandoverRequest,
  HistoryRequest,
  KillRequest,
  LifecycleRequest,
  MIN_CLIENT_PROTOCOL_VERSION,
  PanelDatasetRequest,
  PanelWarmRequest,
  ProcessDetailsRequest,
  ProcessesRequest,
  ProcessPageRequest,
  SilenceRequest,
  StatsRequest,
  StopRequest,
  SubscribeRequest,
  TopRequest,
  UnsubscribeRequest,
  type AgentEvent,
  type AgentHello,
  type AgentStatus,
  type ClientHello,
  Lifecycle,
  type SubscribedView,
} from '../../shared/protocol';
import {
  ExplainRequest,
  ReportRequest,
  RunEndedRequest,
  RunsRequest,
  RunStartedRequest,
} from '../../shared/protocol';
import type { Logger } from '../log';
import type { FrameLimits } from './framing';
import { asResponseError, type Handlers } from './handlers';
import { topRows } from './tickRows';
import { BoundedMessageWriter, LimitedMessageReader, type WriterBounds } from './transport';
import * as v from './validate';
import { readSubscribedViews, viewProcesses } from './views';

const ServerNotInitialized = -32002;

export interface SessionHost {
  readonly log: Logger;
  readonly handlers: Handlers;
  readonly writerBounds: WriterBounds;
  readonly frameLimits: FrameLimits;
  /** How long a connection may stay without `initialize` before it is closed. */
  readonly handshakeMs: number;
  /** Why a connection may not initialize now (the agent serves as many clients as it will), or undefined. */
  refuseClient(): string | undefined;
  hello(): AgentHello;
  status(): AgentStatus;
  /** The newest tick, if one was sampled yet. */
  latestTick(): Tick | undefined;
  /** Called after the stop answer was queued. */
  stopRequested(): void;
  handover(params: HandoverRequest.Params): Promise<HandoverRequest.Result>;
  sessionClosed(session: Session): void;
}

interface Subscription {
  minIntervalMs: number;
  top: number;
  sort?: SortKey;
  filter?: ProcessFilter;
  views?: SubscribedView[];
  /** Same key, same rows: subscribers with equal settings share one computation per tick. */
  key: string;
  lastSentTs: number;
}

/** Per tick, per subscription key: the notification's params, one object shared by every
 * subscriber with that key, so the writer serializes it once (see transport.ts). */
export type TopCache = Map<string, DidSampleNotification.Params>;

export class Session {
  private readonly connection: MessageConnection;
  private readonly writer: BoundedMessageWriter;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private state: 'new' | 'ready' | 'shutdown' | 'closed' = 'new';
  private subscription: Subscription | undefined;
  private client = 'unknown client';

  constructor(
    readonly id: number,
    private readonly socket: Socket,
    private readonly host: SessionHost,
  ) {
    const log = host.log;
    const reader = new LimitedMessageReader(
      socket,
      (event) => {
        if (event.kind === 'ignored') return log.debug(`${this.label}: ${event.reason} ignored`);
        log.debug(`${this.label}: rejected message: ${event.message}`);
        const id = event.kind === 'reject' ? event.id : null;
        void writer.write({
          jsonrpc: '2.0',
          id,
          error: { code: event.code, message: event.message },
        } as never);
        if (event.kind === 'fatal') this.close(`unreadable stream (${event.message})`);
      },
      host.frameLimits,
    );
    const writer = (this.writer = new BoundedMessageWriter(socket, host.writerBounds, (why) => {
      log.warn(`${this.label} ${why}: dropping it`);
      this.close(why, true);
    }));
    // A connection that never initializes is not a client: it must not hold a place for long.
    this.handshakeTimer = setTimeout(() => {
      if (this.state === 'new') this.close(`no initialize within ${host.handshakeMs / 1000} s`, true);
    }, host.handshakeMs);
    this.handshakeTimer.unref();
    this.connection = createMessageConnection(reader, writer, {
      error: (message) => log.debug(`${this.label}: ${message}`),
      warn: (message) => log.debug(`${this.label}: ${message}`),
      info: () => {},
      log: () => {},
    });
    this.connection.onClose(() => this.close('disconnected'));
    this.connection.onError(([error]) => log.debug(`${this.label}: ${error.message}`));
    this.registerLifecycle();
    this.registerRequests();
    socket.on('error', (error) => log.debug(`${this.label}: socket error ${error.message}`));
    socket.on('close', () => this.close('disconnected'));
    this.connection.listen();
  }

  get label(): string {
    return `client #${this.id} (${this.client})`;
  }

  get ready(): boolean {
    return this.state === 'ready';
  }

  /** Sent `initialize` (it may have shut down since): a client, not a connection waiting for one. */
  get initialized(): boolean {
    return this.state !== 'new';
  }

  private registerLifecycle(): void {
    const c = this.connection;
    c.onRequest(Lifecycle.initialize, (params) => {
      if (this.state !== 'new')
        throw new ResponseError(ErrorCodes.InvalidRequest, 'initialize was already sent on this connection');
      const hello = readClientHello(params);
      if (hello) this.client = `${hello.clientName} ${hello.clientVersion}`.slice(0, 100);
      const agent = this.host.hello();
      const refused = this.host.refuseClient();
      if (refused) {
        setImmediate(() => this.close(refused));
        throw new ResponseError(AgentErrorCodes.TooManyClients, refused);
      }
      if (hello && hello.protocolVersion < MIN_CLIENT_PROTOCOL_VERSION) {
        throw new ResponseError(
          AgentErrorCodes.ClientTooOld,
          `${this.client} speaks Process Tracker protocol ${hello.protocolVersion}, but the running agent ` +
            `(version ${agent.agentVersion}, pid ${agent.pid}) needs ${MIN_CLIENT_PROTOCOL_VERSION} or newer: update the extension or CLI to version ${agent.agentVersion}`,
          { retry: false },
        );
      }
      this.state = 'ready';
      clearTimeout(this.handshakeTimer);
      this.host.log.info(`${this.label} connected (protocol ${hello?.protocolVersion ?? 'unstated'})`);
      return {
        capabilities: {},
        serverInfo: { name: 'process-tracker-agent', version: agent.agentVersion },
        processTracker: agent,
      };
    });
    c.onNotification(Lifecycle.initialized, () => {});
    c.onRequest(Lifecycle.shutdown, () => {
      this.state = 'shutdown';
      this.subscription = undefined;
      return null;
    });
    c.onNotification(Lifecycle.exit, () => this.close('exit'));
  }

  private registerRequests(): void {
    const h = this.host.handlers;
    const c = this.connection;
    const when =
      <R>(run: (params: unknown) => R | Promise<R>) =>
      async (params: unknown) => {
        if (this.state === 'new') throw new ResponseError(ServerNotInitialized, 'send initialize first');
        if (this.state !== 'ready')
          throw new ResponseError(ErrorCodes.InvalidRequest, 'this connection was shut down');
        try {
          return await run(params);
        } catch (error) {
          const answer = asResponseError(error);
          if (answer.code === ErrorCodes.InternalError)
            this.host.log.error(`${this.label}: ${answer.message}`);
          throw answer;
        }
      };
    c.onRequest(
      TopRequest.type,
      when((p) => h.top(p)),
    );
    c.onRequest(
      ProcessesRequest.type,
      when((p) => h.processes(p)),
    );
    c.onRequest(
      ProcessDetailsRequest.type,
      when((p) => h.details(p)),
    );
    c.onRequest(
      HistoryRequest.type,
      when((p) => h.history(p)),
    );
    c.onRequest(
      StatsRequest.type,
      when((p) => h.stats(p)),
    );
    c.onRequest(
      AtRequest.type,
      when((p) => h.at(p)),
    );
    c.onRequest(
      LifecycleRequest.type,
      when((p) => h.lifecycle(p)),
    );
    c.onRequest(
      PanelDatasetRequest.type,
      when((p) => h.panelDataset(p)),
    );
    c.onRequest(
      PanelWarmRequest.type,
      when((p) => h.panelWarm(p)),
    );
    c.onRequest(
      ProcessPageRequest.type,
      when((p) => h.processPage(p)),
    );
    c.onRequest(
      ExportRequest.type,
      when((p) => h.export(p)),
    );
    c.onRequest(
      KillRequest.type,
      when((p) => h.kill(p)),
    );
    c.onRequest(
      ActiveAlertsRequest.type,
      when((p) => h.activeAlerts(p)),
    );
    c.onRequest(
      AlertHistoryRequest.type,
      when((p) => h.alertHistory(p)),
    );
    c.onRequest(
      SilenceRequest.type,
      when((p) => h.silence(p)),
    );
    c.onRequest(
      AlertsTestRequest.type,
      when((p) => h.alertsTest(p)),
    );
    c.onRequest(
      AlertSettingsRulesRequest.type,
      when((p) => h.alertSettingsRules(p)),
    );
    c.onRequest(
      AlertSecretsRequest.type,
      when((p) => h.alertSecrets(p)),
    );
    c.onRequest(
      AlertRulesCheckRequest.type,
      when((p) => h.alertRulesCheck(p)),
    );
    c.onRequest(
      AlertRulesStatusRequest.type,
      when((p) => h.alertRulesStatus(p)),
    );
    c.onRequest(
      AgentStatusRequest.type,
      when(() => this.host.status()),
    );
    c.onRequest(
      SubscribeRequest.type,
      when((p) => this.subscribe(p)),
    );
    c.onRequest(
      UnsubscribeRequest.type,
      when(() => {
        this.subscription = undefined;
        return null;
      }),
    );
    c.onRequest(
      StopRequest.type,
      when(() => {
        setImmediate(() => this.host.stopRequested());
        return { pid: process.pid };
      }),
    );
    c.onRequest(
      HandoverRequest.type,
      when((p) => this.host.handover(readHandoverParams(p))),
    );
    // Analytics (agent/analytics).
    c.onRequest(
      ReportRequest.type,
      when((p) => h.report(p)),
    );
    c.onRequest(
      ExplainRequest.type,
      when((p) => h.explain(p)),
    );
    // Runs (agent/runs).
    c.onRequest(
      RunStartedRequest.type,
      when((p) => h.runStarted(p)),
    );
    c.onRequest(
      RunEndedRequest.type,
      when((p) => h.runEnded(p)),
    );
    c.onRequest(
      RunsRequest.type,
      when((p) => h.runList(p)),
    );
  }

  private subscribe(params: unknown): SubscribeRequest.Result {
    const p = v.fields(params, 'subscribe');
    const minIntervalMs = v.optionalInt(p.minIntervalMs, 'minIntervalMs', 0, 3_600_000) ?? 0;
    const top = v.optionalInt(p.top, 'top', 1, 200) ?? 20;
    const sort = v.optionalSort(p.sort);
    const filter = v.optionalFilter(p.filter);
    compileFilter(filter); // a bad regex is answered now, not on every tick
    const views = readSubscribedViews(p.views);
    const subscription = (this.subscription = {
      minIntervalMs,
      top,
      sort,
      filter,
      views,
      key: JSON.stringify([top, sort, filter, views]),
      lastSentTs: -Infinity,
    });
    // The newest tick at once, after this answer: a client that subscribes between ticks (a window
    // joining a running agent, or one a moment late for a just-started agent's first tick) shows
    // figures now instead of one interval later.
    setImmediate(() => {
      const tick = this.host.latestTick();
      if (tick && this.subscription === subscription) this.deliverTick(tick, new Map());
    });
    return { intervalMs: this.host.hello().intervalMs };
  }

  /** Sends the tick to a subscribed client unless it asked for fewer. Never waits on the client. */
  deliverTick(tick: Tick, cache: TopCache): void {
    // Every tick, subscribed or not: an unread answer ages too.
    if (this.writer.fellBehind()) return;
    const sub = this.subscription;
    if (!sub || this.state !== 'ready' || tick.ts - sub.lastSentTs < sub.minIntervalMs) return;
    let params = cache.get(sub.key);
    if (!params) {
      const top = topRows(tick.processes, { n: sub.top, sort: sub.sort, filter: sub.filter });
      params = { ts: tick.ts, machine: tick.machine, top: top.rows, processCount: tick.processes.length };
      if (sub.views)
        params.views = sub.views.map(({ id, ...view }) => ({
          id,
          processes: viewProcesses(tick.processes, tick.ts, view),
        }));
      cache.set(sub.key, params);
    }
    sub.lastSentTs = tick.ts;
    void this.connection.sendNotification(DidSampleNotification.type, params).catch(() => {});
  }

  notify(event: AgentEvent): void {
    if (this.state !== 'ready') return;
    void this.connection.sendNotification(AgentEventNotification.type, event).catch(() => {});
  }

  notifyAlert(event: AlertEvent): void {
    if (this.state !== 'ready') return;
    void this.connection.sendNotification(AlertNotification.type, event).catch(() => {});
  }

  /** Ends this connection; `now` drops queued output too (a client that stopped reading). */
  close(reason: string, now = false): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.subscription = undefined;
    clearTimeout(this.handshakeTimer);
    this.host.log.info(`${this.label} closed: ${reason}`);
    if (now) this.socket.destroy();
    else {
      this.socket.end();
      // A peer that never reads would keep a half-closed socket forever.
      setTimeout(() => this.socket.destroy(), 2000).unref();
    }
    this.connection.dispose();
    this.host.sessionClosed(this);
  }
}

function readClientHello(params: unknown): ClientHello | undefined {
  const options = (params as { initializationOptions?: unknown } | null)?.initializationOptions;
  if (typeof options !== 'object' || options === null) return undefined;
  const o = options as Record<string, unknown>;
  const protocolVersion = v.optionalInt(
    o.protocolVersion,
    'initializationOptions.protocolVersion',
    0,
    1_000_000,
  );
  if (protocolVersion === undefined) return undefined;
  return {
    protocolVersion,
    clientVersion: v.optionalString(o.clientVersion, 'initializationOptions.clientVersion', 100) ?? '?',
    clientName: v.optionalString(o.clientName, 'initializationOptions.clientName', 100) ?? 'client',
  };
}

function readHandoverParams(params: unknown): HandoverRequest.Params {
  const p = v.fields(params, 'handover');
  return {
    pid: v.requiredInt(p.pid, 'pid', 1, 2 ** 31 - 1),
    protocolVersion: v.requiredInt(p.protocolVersion, 'protocolVersion', 0, 1_000_000),
    agentVersion: v.optionalString(p.agentVersion, 'agentVersion', 100) ?? '0.0.0',
  };
}
