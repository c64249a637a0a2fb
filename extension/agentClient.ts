// The connection to the agent: a vscode-languageclient LanguageClient whose ServerOptions function
// connects to the running agent's socket, or starts the agent (detached, so it outlives the window)
// and then connects. The client's restart policy covers agent crashes: a closed connection brings
// up a new agent through the same function, without a window reload.
import * as vscode from 'vscode';
import type {
  ErrorHandler,
  LanguageClient,
  NotificationType,
  RequestType,
  StreamInfo,
} from 'vscode-languageclient/node';
import { defaultDataDir } from '../client/paths';
import { socketPathFor } from '../client/socketDir';
import {
  PROTOCOL_VERSION,
  StopRequest,
  type AgentHello,
  type ClientHello,
  type InitializeResultWithAgent,
} from '../shared/protocol';
import { connectOrStart, type AgentLaunch, type Connected } from '../client/launcher';
import { config } from './config';

type LanguageClientModule = typeof import('vscode-languageclient/node');
let languageClientModule: LanguageClientModule | undefined;

/**
 * vscode-languageclient is loaded on the first start, after the agent has been spawned: evaluating
 * it is most of this bundle's own load time (30–170 ms in an extension host busy starting a window),
 * which now overlaps the agent's start-up (~170 ms) instead of preceding it.
 */
function lc(): LanguageClientModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return (languageClientModule ??= require('vscode-languageclient/node') as LanguageClientModule);
}

interface NotificationHandler {
  type: NotificationType<unknown>;
  handler: (params: unknown) => void;
  registration?: vscode.Disposable;
}

export type AgentState = 'starting' | 'connected' | 'disconnected' | 'stopped';

/** Thrown by request() while no agent is connected; commands turn it into one clear message. */
export class AgentNotConnectedError extends Error {
  override readonly name = 'AgentNotConnectedError';
}

const RESTART_WINDOW_MS = 3 * 60_000;
const MAX_RESTARTS_IN_WINDOW = 5;

export class AgentClient implements vscode.Disposable {
  /** Made on the first start(), when vscode-languageclient is loaded. */
  private client: LanguageClient | undefined;
  /** The first start's agent, spawned (or found) before the client existed; taken by connect(). */
  private prestarted: Promise<Connected> | undefined;
  /** Registered on the client once it exists, and kept there across reconnects. */
  private readonly notificationHandlers = new Set<NotificationHandler>();
  private readonly stateEmitter = new vscode.EventEmitter<AgentState>();
  /** Fires on every change; 'connected' after each (re)connect, when subscriptions must be renewed. */
  readonly onDidChangeState = this.stateEmitter.event;
  private current: AgentState = 'starting';
  private userStopped = false;
  private restarts: number[] = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = 2000;
  /** The pid of the agent this window started last, if it did. */
  spawnedPid: number | undefined;

  constructor(
    private readonly extensionPath: string,
    private readonly extensionVersion: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  private createClient(): LanguageClient {
    const { CloseAction, ErrorAction, LanguageClient, RevealOutputChannelOn, State } = lc();
    const log = this.log;
    const errorHandler: ErrorHandler = {
      error: (_error, _message, count) => ({
        action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown,
        handled: true,
      }),
      closed: () => this.onClosed(CloseAction),
    };
    const client = new LanguageClient('processTracker', 'Process Tracker', () => this.connect(), {
      documentSelector: [],
      outputChannel: log,
      traceOutputChannel: log,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: (): ClientHello => ({
        protocolVersion: PROTOCOL_VERSION,
        clientName: `vscode ${vscode.version}`,
        clientVersion: `extension ${this.extensionVersion}`,
      }),
      errorHandler,
      initializationFailedHandler: (error) => {
        log.error(`the agent refused this window: ${(error as Error)?.message ?? error}`);
        return false;
      },
    });
    client.onDidChangeState((event) => {
      if (event.newState === State.Running) {
        this.retryDelayMs = 2000;
        this.setState('connected');
      } else if (event.newState === State.Starting) this.setState('starting');
      else this.setState(this.userStopped ? 'stopped' : 'disconnected');
    });
    for (const entry of this.notificationHandlers) {
      entry.registration = client.onNotification(entry.type, entry.handler);
    }
    return client;
  }

  get state(): AgentState {
    return this.current;
  }

  /** The agent's side of the handshake (pid, versions, data dir, interval), while connected. */
  get agent(): AgentHello | undefined {
    if (this.current !== 'connected') return undefined;
    return (this.client?.initializeResult as InitializeResultWithAgent | undefined)?.processTracker;
  }

  dataDir(): string {
    return config.dataDir() || defaultDataDir(process.env);
  }

  async start(): Promise<void> {
    this.userStopped = false;
    clearTimeout(this.retryTimer);
    if (!this.client) {
      // Spawned before vscode-languageclient loads (see lc()); connect() takes it.
      this.prestarted = connectOrStart(this.launch(), (message) => this.log.info(message));
      this.prestarted.catch(() => undefined);
    }
    try {
      this.client ??= this.createClient();
      await this.client.start();
    } catch (error) {
      this.log.error(`could not connect to the agent: ${(error as Error).message}`);
      this.setState('disconnected');
      this.scheduleRetry();
    }
  }

  request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R> {
    if (this.current !== 'connected') {
      return Promise.reject(
        new AgentNotConnectedError(vscode.l10n.t('The Process Tracker agent is not connected.')),
      );
    }
    return this.client!.sendRequest(type, params as never) as Promise<R>;
  }

  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): vscode.Disposable {
    // Registered on the client (now, or once it exists), so it survives reconnects.
    const entry = { type, handler } as NotificationHandler;
    this.notificationHandlers.add(entry);
    if (this.client) entry.registration = this.client.onNotification(type, handler);
    return {
      dispose: () => {
        this.notificationHandlers.delete(entry);
        entry.registration?.dispose();
      },
    };
  }

  /** Asks the agent to stop (it flushes first) and stays disconnected until restart(). */
  async stopAgent(): Promise<number | undefined> {
    this.userStopped = true;
    clearTimeout(this.retryTimer);
    let pid: number | undefined;
    if (this.current === 'connected' && this.client) {
      try {
        pid = (await this.client.sendRequest(StopRequest.type, {})).pid;
      } catch (error) {
        this.log.warn(`stop request failed: ${(error as Error).message}`);
      }
    }
    await this.stopClient();
    if (pid !== undefined) await waitForExit(pid, 10_000);
    this.setState('stopped');
    return pid;
  }

  /** Stops the agent and brings up a new one (or reconnects, when another window's agent wins). */
  async restart(): Promise<void> {
    await this.stopAgent();
    await this.start();
  }

  /** Reconnects without stopping the agent (after the data folder setting changed). */
  async reconnect(): Promise<void> {
    this.userStopped = true;
    await this.stopClient();
    await this.start();
  }

  /** The window is closing: LSP shutdown + exit end this connection only; the agent keeps recording. */
  async dispose(): Promise<void> {
    this.userStopped = true;
    clearTimeout(this.retryTimer);
    await this.stopClient();
    this.stateEmitter.dispose();
  }

  private async stopClient(): Promise<void> {
    if (!this.client || this.client.state === lc().State.Stopped) return;
    try {
      await this.client.stop(2000);
    } catch (error) {
      this.log.warn(`closing the connection: ${(error as Error).message}`);
    }
  }

  private setState(state: AgentState): void {
    if (state === this.current) return;
    this.current = state;
    this.log.info(
      `agent connection: ${state}${state === 'connected' ? ` (agent pid ${this.agent?.pid})` : ''}`,
    );
    this.stateEmitter.fire(state);
  }

  private launch(): AgentLaunch {
    const dataDir = this.dataDir();
    return {
      script: `${this.extensionPath}/dist/agent.js`,
      nodePath: process.execPath,
      dataDir,
      socketPath: socketPathFor(dataDir),
      extraArgs: config.agentArgs(),
      env: process.env,
      autoStart: config.autoStart(),
    };
  }

  private async connect(): Promise<StreamInfo> {
    const prestarted = this.prestarted;
    this.prestarted = undefined;
    const started = await (prestarted ?? connectOrStart(this.launch(), (message) => this.log.info(message)));
    if (started.spawnedPid) this.spawnedPid = started.spawnedPid;
    started.socket.on('close', () => this.log.info('agent socket closed'));
    // detached: stopping the client must never try to kill the agent.
    return { reader: started.socket, writer: started.socket, detached: true };
  }

  private onClosed(CloseAction: LanguageClientModule['CloseAction']) {
    if (this.userStopped) return { action: CloseAction.DoNotRestart, handled: true };
    const now = Date.now();
    this.restarts = this.restarts.filter((ts) => now - ts < RESTART_WINDOW_MS);
    if (this.restarts.length >= MAX_RESTARTS_IN_WINDOW) {
      this.log.error(
        `the agent connection closed ${MAX_RESTARTS_IN_WINDOW} times in 3 minutes: not restarting`,
      );
      return {
        action: CloseAction.DoNotRestart,
        message: vscode.l10n.t(
          'The Process Tracker agent keeps stopping: see the log (Process Tracker: Show Log), then run Process Tracker: Restart Agent.',
        ),
      };
    }
    this.restarts.push(now);
    this.log.warn('the agent connection closed: reconnecting (starting a new agent when none runs)');
    return { action: CloseAction.Restart, handled: true };
  }

  private scheduleRetry(): void {
    if (this.userStopped) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(60_000, this.retryDelayMs * 2);
    this.log.info(`retrying in ${delay / 1000} s`);
    this.retryTimer = setTimeout(() => void this.start(), delay);
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
