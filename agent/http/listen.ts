// The one HTTP(S) listener the agent's web endpoints share (/metrics in agent/metrics, the history
// panel in agent/http): plain or TLS, short request timeouts, a URL to print, a close that ends
// keep-alive connections too. Also the equal-time secret comparison both use for their tokens.
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface ListenOptions {
  host: string;
  port: number;
  /** PEM text; absent = plain HTTP. */
  tls?: { cert: string; key: string };
  /** How long an idle keep-alive connection stays open; absent = Node's default (5 s). */
  keepAliveMs?: number;
}

export interface Listening {
  /** `http://127.0.0.1:9464` (no trailing slash): the endpoint appends its own path. */
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Equal-time comparison, so a wrong token's timing tells nothing about the right one. */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Rejects when the address cannot be had (EADDRINUSE, EADDRNOTAVAIL…); later errors go to onError. */
export function listenHttp(
  options: ListenOptions,
  handler: http.RequestListener,
  onError: (message: string) => void,
): Promise<Listening> {
  const server = options.tls
    ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, handler)
    : http.createServer(handler);
  // Clients send small requests: a slow one is not kept around, an idle one only as long as the
  // endpoint asks (keepAliveMs) or Node's default 5 s.
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  if (options.keepAliveMs !== undefined) server.keepAliveTimeout = options.keepAliveMs;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      server.on('error', (error) => onError(error.message));
      const { address, port } = server.address() as AddressInfo;
      const host = address.includes(':') ? `[${address}]` : address;
      resolve({
        origin: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
