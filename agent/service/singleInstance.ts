// Exactly one agent per user and data dir. Try to listen; if the address is taken, connect; if the
// connection is refused the socket is stale: remove it, under the lock, and try again.
import net from 'node:net';
import { lstatSync, unlinkSync } from 'node:fs';
import type { Logger } from '../log';
import { tryLock } from './lock';
import { isNamedPipe } from '../../client/socketDir';

export type ListenOutcome = { kind: 'listening'; server: net.Server } | { kind: 'inUse' };

function listen(server: net.Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(socketPath);
  });
}

/** 'alive' when something accepts connections on the socket, 'dead' when nothing does. */
export function probeSocket(socketPath: string, timeoutMs = 2000): Promise<'alive' | 'dead'> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    const done = (result: 'alive' | 'dead') => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    // A listener too busy to accept within the timeout is alive, not stale: never remove it.
    const timer = setTimeout(() => done('alive'), timeoutMs);
    socket.once('connect', () => done('alive'));
    socket.once('error', () => done('dead'));
  });
}

function inodeOf(file: string): number | null {
  try {
    return lstatSync(file).ino;
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stops listening and lets go of the address. libuv removes a Unix socket's file itself, before it
 * closes the descriptor; removing it again here would race with another starter: one that binds the
 * path in between would lose its fresh socket, and the next starter would bind beside it — two
 * agents on one data dir. A file left behind by a killed agent is the stale case listenOrFindAgent
 * handles under its lock.
 */
export function releaseAddress(server: net.Server): void {
  server.close();
}

/**
 * Listens on `socketPath` with a server from `createServer`, or reports that a live agent serves it.
 * Starters that race all end in one of these two states: exactly one listens.
 */
export async function listenOrFindAgent(
  socketPath: string,
  createServer: () => net.Server,
  log: Logger,
  deadlineMs = 15_000,
): Promise<ListenOutcome> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    const server = createServer();
    try {
      await listen(server, socketPath);
      return { kind: 'listening', server };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
    const staleInode = inodeOf(socketPath);
    if ((await probeSocket(socketPath)) === 'alive') return { kind: 'inUse' };
    if (isNamedPipe(socketPath)) {
      // A named pipe vanishes with its server; "in use but refusing" is a server closing down.
    } else {
      const lock = tryLock(`${socketPath}.lock`);
      if (lock) {
        try {
          // Re-check under the lock: the socket may belong to a starter between bind and listen.
          await sleep(30);
          if ((await probeSocket(socketPath)) === 'alive') return { kind: 'inUse' };
          // A different file now means an agent closed and another bound meanwhile: not ours to remove.
          if (inodeOf(socketPath) !== staleInode) continue;
          log.info(`removing stale agent socket ${socketPath}`);
          try {
            unlinkSync(socketPath);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
          }
          const retry = createServer();
          try {
            await listen(retry, socketPath);
            return { kind: 'listening', server: retry };
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
          }
        } finally {
          lock.release();
        }
      }
    }
    if (Date.now() - started > deadlineMs) {
      throw new Error(
        `agent socket ${socketPath} stays in use but nothing answers on it: stop the process holding it, or remove the file`,
      );
    }
    await sleep(Math.min(20 * 2 ** Math.min(attempt, 5), 500) + Math.random() * 20);
  }
}
