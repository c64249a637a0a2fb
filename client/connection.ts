// The CLI's (and the agent's own, for handover) typed connection to a running agent. The
// extension uses vscode-languageclient instead; both speak shared/protocol.ts.
import { connectSocket } from './connectSocket';
import {
  ConnectionError,
  createMessageConnection,
  ErrorCodes,
  NotificationType,
  ResponseError,
  RequestType,
  SocketMessageReader,
  SocketMessageWriter,
  type Disposable,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import {
  PROTOCOL_VERSION,
  type AgentHello,
  type ClientHello,
  type InitializeResultWithAgent,
  Lifecycle,
} from '../shared/protocol';
import { socketPathFor } from './socketDir';

export interface ConnectOptions {
  clientName?: string;
  clientVersion?: string;
  /** Defaults to this build's PROTOCOL_VERSION (tests pretend to be older or newer clients). */
  protocolVersion?: number;
  /** How long connecting plus `initialize` may take; default 5 s. */
  timeoutMs?: number;
}

export interface AgentConnection {
  /** The agent's side of the handshake: its pid, versions, data dir, interval. */
  readonly agent: AgentHello;
  readonly socketPath: string;
  request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R>;
  onNotification<P>(type: NotificationType<P>, handler: (params: P) => void): Disposable;
  /** Fires when the agent goes away or the connection is closed. */
  onClose(handler: () => void): void;
  /** LSP shutdown + exit, then the socket closes. Never throws. */
  close(): Promise<void>;
}

/** The socket closed under a write (EPIPE, ECONNRESET) or before one: the agent is going away. */
function isGoneError(error: unknown): boolean {
  if (error instanceof ConnectionError) return true;
  return error instanceof ResponseError && error.code === ErrorCodes.MessageWriteError;
}

export type AgentTarget = { socketPath: string } | { dataDir: string };

/**
 * Connects and initializes; resolves undefined when no agent runs (no socket, or a stale one) or
 * the agent closes the connection during the handshake (it is stopping or handing over).
 * Rejects when an agent answers but refuses (e.g. this client is too old) or does not answer.
 */
export async function connectToAgent(
  target: AgentTarget,
  options: ConnectOptions = {},
): Promise<AgentConnection | undefined> {
  const socketPath = 'socketPath' in target ? target.socketPath : socketPathFor(target.dataDir);
  const timeoutMs = options.timeoutMs ?? 5000;
  const socket = await connectSocket(socketPath, timeoutMs);
  if (!socket) return undefined;
  const connection: MessageConnection = createMessageConnection(
    new SocketMessageReader(socket),
    new SocketMessageWriter(socket),
  );
  const closeHandlers: Array<() => void> = [];
  let closed = false;
  const markClosed = () => {
    if (closed) return;
    closed = true;
    for (const handler of closeHandlers) handler();
  };
  socket.on('close', markClosed);
  socket.on('error', () => {});
  connection.onClose(markClosed);
  connection.listen();
  const hello: ClientHello = {
    protocolVersion: options.protocolVersion ?? PROTOCOL_VERSION,
    clientName: options.clientName ?? 'process-tracker-cli',
    clientVersion: options.clientVersion ?? '0.0.0',
  };
  let timer: NodeJS.Timeout | undefined;
  // An agent that closes the connection before answering is going away (it is stopping or handing
  // over): that is "no agent", as for a stale socket, not a failure — and not a 5 s wait either.
  const goneFirst = new Promise<undefined>((resolve) => closeHandlers.push(() => resolve(undefined)));
  let result: InitializeResultWithAgent | undefined;
  try {
    result = await Promise.race([
      connection.sendRequest(Lifecycle.initialize, {
        processId: process.pid,
        capabilities: {},
        initializationOptions: hello,
      }),
      goneFirst,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(new Error(`the agent at ${socketPath} did not answer initialize within ${timeoutMs} ms`)),
          timeoutMs,
        );
      }),
    ]);
    if (result) await connection.sendNotification(Lifecycle.initialized, {});
  } catch (error) {
    connection.dispose();
    socket.destroy();
    if (isGoneError(error)) return undefined;
    throw error;
  } finally {
    clearTimeout(timer);
  }
  if (!result) {
    connection.dispose();
    socket.destroy();
    return undefined;
  }
  return {
    agent: result.processTracker,
    socketPath,
    request: (type, params) => connection.sendRequest(type, params as never),
    onNotification: (type, handler) => connection.onNotification(type, handler),
    onClose: (handler) => {
      if (closed) handler();
      else closeHandlers.push(handler);
    },
    close: async () => {
      if (!closed) {
        // Cleared once shutdown is answered: a pending timer would keep every CLI command (and every
        // starter that found an agent serving) alive for another second after its work is done.
        let giveUp: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            connection.sendRequest(Lifecycle.shutdown, {}),
            new Promise((resolve) => (giveUp = setTimeout(resolve, 1000))),
          ]);
          await connection.sendNotification(Lifecycle.exit, {});
        } catch {
          /* the agent went first */
        } finally {
          clearTimeout(giveUp);
        }
      }
      connection.dispose();
      socket.end();
      socket.destroy();
    },
  };
}
