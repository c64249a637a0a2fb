// Connecting to the agent's socket, shared by the CLI's client and the extension's launcher.
import net from 'node:net';

/** Resolves the connected socket, or undefined when nothing listens there (no socket, or a stale one). */
export function connectSocket(socketPath: string, timeoutMs = 5000): Promise<net.Socket | undefined> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(
          `the agent at ${socketPath} does not accept connections within ${timeoutMs} ms: it may be hung`,
        ),
      );
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') resolve(undefined);
      else reject(error);
    });
  });
}
