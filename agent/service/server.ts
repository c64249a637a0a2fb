// startService: claims the agent's socket (one agent per user and data dir), serves every client
// connection, fans ticks out to subscribers, and hands over to a newer agent when asked.
import net from 'node:net';
import { ResponseError } from 'vscode-jsonrpc/node';
import type { AlertEvent, Tick } from '../../shared/model';
import {
  AgentErrorCodes,
  HandoverRequest,
  PROTOCOL_VERSION,
  type AgentEvent,
  type AgentHello,
  type AgentStatus,
} from '../../shared/protocol';
import type { Logger } from '../log';
import { connectToAgent } from '../../client/connection';
import type { AgentCore } from './core';
import { DEFAULT_FRAME_LIMITS, type FrameLimits } from './framing';
import type { WriterBounds } from './transport';
import { Handlers } from './handlers';
import { Session, type TopCache } from './session';
import { listenOrFindAgent, releaseAddress } from './singleInstance';
import { ensurePrivateSocketDir, socketPathFor } from '../../client/socketDir';
import { isNewerAgent } from './version';

export interface ServiceLimits {
  /** Bytes a client may leave unread before it is dropped; default 8 MB. */
  maxQueuedBytes?: number;
  /** How long output may wait for a client that reads too slowly before it is dropped; default 30 s. */
  maxLagMs?: number;
  /** Clients (connections that sent `initialize`) at once; more are refused. Default 128. */
  maxConnections?: number;
  /**
   * Connections that have not sent `initialize` yet, at once; one more closes the oldest of them,
   * so silent connections never keep a real client out. Default 32.
   */
  maxPending?: number;
  /** How long a connection may stay without `initialize`; default 10 s. */
  handshakeMs?: number;
  frame?: Partial<FrameLimits>;
}

export interface ServiceOptions {
  core: AgentCore;
  dataDir: string;
  /** Default socketPathFor(dataDir). */
  socketPath?: string;
  log: Logger;
  version: string;
  /** Flush and exit. Called after a client's stop was answered, on idle (without onIdle), and after a handover. */
  onStopRequested: () => Promise<void>;
  /**
   * Stop sampling and flush the store, for a newer agent about to take over; resolves with the last
   * stored sample's time. Without it this agent refuses to hand over.
   */
  onHandover?: () => Promise<{ lastSampleTs: number | null }>;
  /** Minutes without clients before stopping; 0 or absent = never. */
  stopAfterIdleMinutes?: number;
  /** Called instead of onStopRequested when the idle time ran out. */
  onIdle?: () => void;
  /** Ask an older agent found serving to hand over (default true). */
  takeOverOlder?: boolean;
  limits?: ServiceLimits;
}

export interface TakeOver {
  pid: number;
  agentVersion: string;
  protocolVersion: number;
  lastSampleTs: number | null;
}

export interface ServiceHandle {
  readonly socketPath: string;
  /** Set when this agent took over from an older one: start sampling after lastSampleTs. */
  readonly tookOverFrom: TakeOver | undefined;
  clients(): number;
  /** Tells every initialized client (store errors and recoveries, from main). */
  broadcast(event: AgentEvent): void;
  /** Sends an AlertNotification to every initialized client. */
  broadcastAlert(event: AlertEvent): void;
  /** Stops listening, releases the socket and ends every connection. */
  close(): Promise<void>;
}

export type AlreadyServing = { alreadyServing: { pid: number; socketPath: string; version: string } };

/** How long a starter waits for an agent that is going away (stopping, handing over) to let go. */
const GOING_AWAY_DEADLINE_MS = 15_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The agent refused a handover because it is already stopping or handing over to another. */
function isGoingAway(error: unknown): boolean {
  return (
    error instanceof ResponseError && (error.data as { stopping?: boolean } | undefined)?.stopping === true
  );
}

export async function startService(options: ServiceOptions): Promise<ServiceHandle | AlreadyServing> {
  const socketPath = options.socketPath ?? socketPathFor(options.dataDir);
  ensurePrivateSocketDir(socketPath);
  let tookOverFrom: TakeOver | undefined;
  /** An agent found serving that is on its way out: wait for it rather than defer to it. */
  let goingAwayPid: number | undefined;
  let waitingSince: number | undefined;
  const waitForGoingAway = async (pid: number | undefined) => {
    waitingSince ??= Date.now();
    if (Date.now() - waitingSince > GOING_AWAY_DEADLINE_MS) {
      throw new Error(
        `the agent${pid ? ` ${pid}` : ''} at ${socketPath} is stopping but has not let go of its socket within ${GOING_AWAY_DEADLINE_MS / 1000} s: stop that process, or try again`,
      );
    }
    await pause(50);
  };
  for (;;) {
    const service = new Service(options, socketPath);
    const outcome = await listenOrFindAgent(socketPath, () => service.createServer(), options.log);
    if (outcome.kind === 'listening') {
      service.serve(outcome.server, tookOverFrom);
      return service;
    }
    const other = await connectToAgent(
      { socketPath },
      { clientName: 'process-tracker-agent', clientVersion: options.version },
    );
    if (!other) {
      // It went away between the probe and the handshake: try to listen again.
      await waitForGoingAway(goingAwayPid);
      continue;
    }
    const mine = { protocolVersion: PROTOCOL_VERSION, agentVersion: options.version };
    let goingAway = false;
    try {
      if (other.agent.pid === goingAwayPid) {
        goingAway = true;
      } else if (
        options.takeOverOlder === false ||
        tookOverFrom !== undefined ||
        !isNewerAgent(mine, other.agent)
      ) {
        return { alreadyServing: { pid: other.agent.pid, socketPath, version: other.agent.agentVersion } };
      } else {
        options.log.info(
          `agent ${other.agent.pid} (version ${other.agent.agentVersion}) is older: asking it to hand over`,
        );
        try {
          const released = await other.request(HandoverRequest.type, { pid: process.pid, ...mine });
          tookOverFrom = { ...other.agent, pid: released.pid, lastSampleTs: released.lastSampleTs };
        } catch (error) {
          if (!isGoingAway(error)) {
            // It stays in charge (it cannot hand over): this starter defers to it.
            options.log.warn(`agent ${other.agent.pid} did not hand over: ${(error as Error).message}`);
            return {
              alreadyServing: { pid: other.agent.pid, socketPath, version: other.agent.agentVersion },
            };
          }
          // Stopping, or handing over to another starter: whoever serves next is the one to name.
          options.log.info(`agent ${other.agent.pid} is going away (${(error as Error).message}): waiting`);
          goingAwayPid = other.agent.pid;
          goingAway = true;
        }
      }
    } finally {
      await other.close();
    }
    if (goingAway) await waitForGoingAway(goingAwayPid);
  }
}

class Service implements ServiceHandle {
  private server: net.Server | undefined;
  private readonly sessions = new Set<Session>();
  readonly handlers: Handlers;
  private readonly startedAt = Date.now();
  private nextId = 1;
  private unsubscribeTicks: (() => void) | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private closing = false;
  private handingOverTo: number | undefined;
  tookOverFrom: TakeOver | undefined;
  readonly writerBounds: WriterBounds;
  readonly frameLimits: FrameLimits;
  readonly handshakeMs: number;
  private readonly maxConnections: number;
  private readonly maxPending: number;

  constructor(
    private readonly options: ServiceOptions,
    readonly socketPath: string,
  ) {
    this.handlers = new Handlers(options.core, options.dataDir);
    const limits = options.limits;
    this.writerBounds = {
      maxQueuedBytes: limits?.maxQueuedBytes ?? 8 * 1024 * 1024,
      maxLagMs: limits?.maxLagMs ?? 30_000,
    };
    this.frameLimits = { ...DEFAULT_FRAME_LIMITS, ...limits?.frame };
    this.handshakeMs = limits?.handshakeMs ?? 10_000;
    this.maxConnections = limits?.maxConnections ?? 128;
    this.maxPending = limits?.maxPending ?? 32;
  }

  get log(): Logger {
    return this.options.log;
  }

  createServer(): net.Server {
    // No server.maxConnections: it counts connections that never initialized against clients.
    // accept() bounds clients and waiting connections apart.
    return net.createServer((socket) => this.accept(socket));
  }

  serve(server: net.Server, tookOverFrom: TakeOver | undefined): void {
    this.server = server;
    this.tookOverFrom = tookOverFrom;
    server.on('error', (error) => this.log.error(`agent socket ${this.socketPath}: ${error.message}`));
    this.unsubscribeTicks = this.options.core.onTick((tick) => this.fanOut(tick));
    this.log.info(`agent ${process.pid} serving on ${this.socketPath}`);
    this.armIdleTimer();
  }

  private accept(socket: net.Socket): void {
    if (this.closing || this.refuseClient()) {
      socket.destroy();
      return;
    }
    const pending = [...this.sessions].filter((session) => !session.initialized);
    if (pending.length >= this.maxPending) {
      pending[0]!.close(`one of ${this.maxPending} connections without initialize, the oldest`, true);
    }
    const session = new Session(this.nextId++, socket, this);
    this.sessions.add(session);
    this.disarmIdleTimer();
  }

  private fanOut(tick: Tick): void {
    const cache: TopCache = new Map();
    for (const session of this.sessions) {
      try {
        session.deliverTick(tick, cache);
      } catch (error) {
        this.log.error(`${session.label}: tick not delivered: ${(error as Error).message}`);
      }
    }
  }

  sessionClosed(session: Session): void {
    this.sessions.delete(session);
    if (this.sessions.size === 0) this.armIdleTimer();
  }

  private armIdleTimer(): void {
    const minutes = this.options.stopAfterIdleMinutes ?? 0;
    if (minutes <= 0 || this.idleTimer || this.closing) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.sessions.size > 0) return;
      this.log.info(`no clients for ${minutes} min: stopping`);
      if (this.options.onIdle) this.options.onIdle();
      else void this.options.onStopRequested();
    }, minutes * 60_000);
    this.idleTimer.unref();
  }

  private disarmIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  refuseClient(): string | undefined {
    let clients = 0;
    for (const session of this.sessions) if (session.initialized) clients++;
    return clients >= this.maxConnections
      ? `this agent already serves ${clients} clients, its limit: close one and connect again`
      : undefined;
  }

  latestTick(): Tick | undefined {
    return this.options.core.latest();
  }

  hello(): AgentHello {
    return {
      protocolVersion: PROTOCOL_VERSION,
      agentVersion: this.options.version,
      pid: process.pid,
      startedAt: this.startedAt,
      dataDir: this.options.dataDir,
      intervalMs: this.options.core.status().intervalMs,
    };
  }

  status(): AgentStatus {
    const core = this.options.core.status();
    const tick = this.options.core.latest();
    let store: AgentStatus['store'] = null;
    let storeError: string | null = null;
    try {
      store = this.options.core.queries?.status() ?? null;
    } catch (error) {
      storeError = `store status failed: ${(error as Error).message}`;
    }
    return {
      pid: process.pid,
      version: this.options.version,
      protocolVersion: PROTOCOL_VERSION,
      startedAt: this.startedAt,
      uptimeMs: Date.now() - this.startedAt,
      socketPath: this.socketPath,
      dataDir: this.options.dataDir,
      intervalMs: core.intervalMs,
      clients: this.sessions.size,
      processCount: tick ? tick.processes.length : null,
      lastSampleTs: tick?.ts ?? null,
      sampling: core.sampling ?? null,
      store,
      lastError: core.lastError ?? store?.lastError ?? storeError,
      ...(core.http ? { http: core.http } : {}),
    };
  }

  stopRequested(): void {
    this.log.info('stop requested by a client');
    this.broadcast({ kind: 'stopping', pid: process.pid });
    void this.options.onStopRequested();
  }

  async handover(params: HandoverRequest.Params): Promise<HandoverRequest.Result> {
    const mine = { protocolVersion: PROTOCOL_VERSION, agentVersion: this.options.version };
    if (!isNewerAgent(params, mine)) {
      throw new ResponseError(
        AgentErrorCodes.BadInput,
        `agent ${params.pid} (version ${params.agentVersion}, protocol ${params.protocolVersion}) is not newer than this one (version ${mine.agentVersion}): no handover`,
      );
    }
    if (!this.options.onHandover)
      throw new ResponseError(AgentErrorCodes.ShuttingDown, 'this agent cannot hand over: stop it first');
    // `stopping: true` tells the starter to wait for whoever serves next instead of naming this agent.
    if (this.handingOverTo !== undefined) {
      throw new ResponseError(
        AgentErrorCodes.ShuttingDown,
        `this agent is already handing over to agent ${this.handingOverTo}`,
        { stopping: true },
      );
    }
    if (this.closing) {
      throw new ResponseError(AgentErrorCodes.ShuttingDown, 'this agent is already stopping', {
        stopping: true,
      });
    }
    // Set before the first await: two newer starters asking at once must not both be told "released".
    this.handingOverTo = params.pid;
    this.log.info(`handing over to agent ${params.pid} (version ${params.agentVersion})`);
    let lastSampleTs: number | null;
    try {
      ({ lastSampleTs } = await this.options.onHandover());
    } catch (error) {
      this.handingOverTo = undefined;
      throw error;
    }
    // Release the address before answering: the new agent listens as soon as it reads the answer.
    this.releaseSocket();
    this.broadcast({
      kind: 'handover',
      fromPid: process.pid,
      toPid: params.pid,
      toVersion: params.agentVersion,
    });
    setTimeout(() => {
      void this.close().then(() => this.options.onStopRequested());
    }, 200);
    return { released: true, pid: process.pid, lastSampleTs };
  }

  private releaseSocket(): void {
    this.closing = true;
    if (this.server) releaseAddress(this.server);
    this.unsubscribeTicks?.();
    this.unsubscribeTicks = undefined;
  }

  clients(): number {
    return this.sessions.size;
  }

  broadcast(event: AgentEvent): void {
    for (const session of this.sessions) session.notify(event);
  }

  broadcastAlert(event: AlertEvent): void {
    for (const session of this.sessions) session.notifyAlert(event);
  }

  async close(): Promise<void> {
    this.disarmIdleTimer();
    if (!this.closing) this.releaseSocket();
    for (const session of [...this.sessions]) session.close('agent stopping');
  }
}
