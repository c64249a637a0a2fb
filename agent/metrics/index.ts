// /metrics for Prometheus: the collector (figures from the agent's ticks), the registry (the
// exposition) and the server (HTTP, auth, TLS). Off unless settings ask for it; see config.ts.
import type { Tick } from '../../shared/model';
import type { MetricsSettings } from '../../shared/settings';
import type { Logger } from '../log';
import { MetricsCollector } from './collector';
import { formatListen } from './config';
import { startMetricsServer, type MetricsServer } from './server';

export { loadMetricsSettings, parseListen } from './config';

export interface MetricsExporter {
  onTick(tick: Tick): void;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts serving; undefined when the address cannot be had (in use, not ours): recording goes on
 * without /metrics, and the log says why and what to do.
 */
export async function startMetrics(
  settings: MetricsSettings,
  version: string,
  log: Logger,
): Promise<MetricsExporter | undefined> {
  const collector = new MetricsCollector(settings);
  // prom-client is loaded only when /metrics is on (off by default).
  const { MetricsRegistry } = await import('./registry.js');
  const registry = new MetricsRegistry(version, settings.commandLineLabels);
  let server: MetricsServer;
  try {
    server = await startMetricsServer(
      settings,
      async (format) => ({
        body: await registry.render(collector.view(), format),
        contentType: registry.contentType(format),
      }),
      (message) => log.error(message),
    );
  } catch (error) {
    const where = formatListen(settings.host, settings.port);
    log.error(
      `metrics: cannot listen on ${where} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): choose another address with --metrics; recording goes on without /metrics`,
    );
    return undefined;
  }
  log.info(`metrics on ${server.url}`);
  return { onTick: (tick) => collector.onTick(tick), url: server.url, close: () => server.close() };
}
