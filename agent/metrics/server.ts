// The HTTP(S) endpoint: GET /metrics only, optional bearer token or basic auth, optional TLS, and
// OpenMetrics when the scraper's Accept header asks for it (Prometheus does by default).
import type http from 'node:http';
import { listenHttp, sameSecret } from '../http/listen';
import type { MetricsSettings } from '../../shared/settings';
import type { Format } from './registry';

export interface MetricsServer {
  /** e.g. http://127.0.0.1:9464/metrics */
  readonly url: string;
  close(): Promise<void>;
}

export interface Rendered {
  body: string;
  contentType: string;
}

function authorized(header: string | undefined, settings: MetricsSettings): boolean {
  if (!settings.bearerToken && !settings.basicAuth) return true;
  if (!header) return false;
  const [scheme = '', value = ''] = header.split(/\s+/, 2);
  if (settings.bearerToken && scheme.toLowerCase() === 'bearer')
    return sameSecret(value, settings.bearerToken);
  if (settings.basicAuth && scheme.toLowerCase() === 'basic') {
    const { username, password } = settings.basicAuth;
    return sameSecret(Buffer.from(value, 'base64').toString('utf8'), `${username}:${password}`);
  }
  return false;
}

/**
 * Prometheus keeps its scrape connection open (5 minutes idle) and Node closed it after 5 s, so at
 * a 15 s interval every scrape opened a new connection, and the agent paid to accept it, set up
 * its parser and close it again. Two minutes covers Prometheus' default interval (1 m) with room.
 */
export const METRICS_KEEP_ALIVE_MS = 120_000;

export function wantsOpenMetrics(accept: string | undefined): boolean {
  return accept !== undefined && /application\/openmetrics-text/i.test(accept);
}

export function startMetricsServer(
  settings: MetricsSettings,
  render: (format: Format) => Promise<Rendered>,
  onError: (message: string) => void,
): Promise<MetricsServer> {
  const handler: http.RequestListener = (request, response) => {
    const path = (request.url ?? '/').split('?', 1)[0];
    if (path !== '/metrics') {
      response
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end('not found: scrape /metrics\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (!authorized(request.headers.authorization, settings)) {
      const challenge = settings.basicAuth ? 'Basic realm="process-tracker"' : 'Bearer';
      response.writeHead(401, { 'www-authenticate': challenge }).end('unauthorized\n');
      return;
    }
    render(wantsOpenMetrics(request.headers.accept) ? 'openmetrics' : 'text').then(
      ({ body, contentType }) => {
        response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
        response.end(request.method === 'HEAD' ? undefined : body);
      },
      (error: Error) => {
        onError(`metrics: a scrape failed: ${error.message}`);
        response.writeHead(500).end();
      },
    );
  };
  return listenHttp({ ...settings, keepAliveMs: METRICS_KEEP_ALIVE_MS }, handler, (message) =>
    onError(`metrics: ${message}`),
  ).then((listening) => ({
    url: `${listening.origin}/metrics`,
    close: () => listening.close(),
  }));
}
