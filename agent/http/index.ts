// The history panel in a browser (`run --http ADDR`): a fresh token in a 0600 file, the server
// (server.ts) over the socket's own handlers (api.ts), and the bundle from dist/webview. Off
// unless asked for; a port that cannot be had is logged and recording goes on without it.
import path from 'node:path';
import type { HttpEndpoint } from '../../shared/protocol';
import type { HttpSettings } from '../../shared/settings';
import type { Logger } from '../log';
import { formatListen } from '../metrics/config';
import type { Handlers } from '../service/handlers';
import { answerApi } from './api';
import { startPanelServer } from './server';
import { newToken, removeTokenFile, writeTokenFile } from './token';

export { loadHttpSettings } from './config';

export interface HttpPanel {
  /** What `status` shows: the URL without the token, and the token's file. */
  readonly endpoint: HttpEndpoint;
  /** The URL to open, token included: printed once to the terminal, never logged. */
  readonly openUrl: string;
  close(): Promise<void>;
}

export interface HttpPanelOptions {
  settings: HttpSettings;
  dataDir: string;
  handlers: Handlers;
  log: Logger;
  /** Default: dist/webview beside the bundled agent. */
  assetsDir?: string;
}

export async function startHttpPanel(options: HttpPanelOptions): Promise<HttpPanel | undefined> {
  const { settings, log } = options;
  const token = newToken();
  const onError = (message: string) => log.error(message);
  let server;
  try {
    server = await startPanelServer({
      settings,
      token,
      assetsDir: options.assetsDir ?? path.join(__dirname, 'webview'),
      api: (method, params) => answerApi(options.handlers, method, params, onError),
      onError,
    });
  } catch (error) {
    const where = formatListen(settings.host, settings.port);
    log.error(
      `http: cannot listen on ${where} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): choose another address with --http; recording goes on without the browser panel`,
    );
    return undefined;
  }
  const tokenFile = writeTokenFile(options.dataDir, token);
  const url = `${server.origin}/`;
  log.info(`http: the history panel on ${url} (its token is in ${tokenFile})`);
  return {
    endpoint: { url, tokenFile },
    openUrl: `${url}?token=${token}`,
    close: async () => {
      await server.close();
      removeTokenFile(tokenFile);
    },
  };
}
