// Runs the history panel's bundle in headless Chromium on a page that stands in for VS Code:
// a tiny HTTP server on 127.0.0.1 serves test/e2e/pages and dist/webview; the page's fake
// `acquireVsCodeApi` records what the panel posts and lets the test deliver host messages.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { IpcMessage } from '../../shared/webviewProtocol';
import { childEnv } from '../harness/childEnv';
import { panelHtml } from '../../webview/html';

export const ROOT = path.resolve(__dirname, '../..');
const PAGES = path.join(ROOT, 'test/e2e/pages');
const DIST = path.join(ROOT, 'dist/webview');
export const CHROMIUM = '/usr/bin/chromium';
const REAL_NONCE = 'realnonceABCDEF0123456789';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

/** Bundles webview/main.ts into dist/webview as esbuild.mjs does, so the test runs today's code. */
export async function buildWebview(): Promise<void> {
  await esbuild.build({
    entryPoints: { main: path.join(ROOT, 'webview/main.ts') },
    outdir: DIST,
    bundle: true,
    sourcemap: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'css' },
    logLevel: 'warning',
  });
}

export interface PanelServer {
  url: string;
  close(): Promise<void>;
}

/** Serves /pages/* and /dist/webview/*, and /real.html as the host would build it (panelHtml). */
export async function startPanelServer(): Promise<PanelServer> {
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- its one await is inside try/catch
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    let file: string | null = null;
    if (url.pathname === '/real.html') {
      const origin = `http://${request.headers.host}`;
      response.writeHead(200, { 'content-type': TYPES['.html']! });
      response.end(
        panelHtml({
          cspSource: origin,
          nonce: REAL_NONCE,
          scriptUri: `${origin}/dist/webview/main.js`,
          styleUri: `${origin}/dist/webview/main.css`,
        }),
      );
      return;
    }
    for (const [prefix, root] of [
      ['/pages/', PAGES],
      ['/dist/webview/', DIST],
    ] as const) {
      if (!url.pathname.startsWith(prefix)) continue;
      const candidate = path.resolve(root, `.${url.pathname.slice(prefix.length - 1)}`);
      if (candidate.startsWith(root + path.sep)) file = candidate;
    }
    try {
      if (!file) throw new Error('not served');
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Chromium with \`bash scripts/setup-ci.sh\` (or apt-get install -y chromium)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    env: childEnv(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface PanelPage {
  page: Page;
  /** Alerts, confirms and prompts the page opened: a script ran that should not have. */
  dialogs: string[];
  /** Console errors and CSP violations. */
  errors: string[];
}

export async function openPanel(
  browser: Browser,
  baseUrl: string,
  {
    theme = 'dark',
    width = 1100,
    height = 900,
    lang,
  }: { theme?: 'dark' | 'light'; width?: number; height?: number; lang?: string } = {},
): Promise<PanelPage> {
  // VS Code's Electron runs in its display language: the date pickers follow the browser's locale.
  const page = await browser.newPage({ viewport: { width, height }, ...(lang ? { locale: lang } : {}) });
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  // tsx compiles named functions inside page.evaluate callbacks to `__name(fn, "name")`, a helper
  // that exists in node but not in the page: give the page a no-op one.
  await page.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
  const language = lang ? `&lang=${encodeURIComponent(lang)}` : '';
  await page.goto(`${baseUrl}/pages/panel.html?theme=${theme}${language}`);
  await waitForPosted(page, 'panel/ready');
  return { page, dialogs, errors };
}

export async function posted(page: Page): Promise<IpcMessage[]> {
  return page.evaluate(
    () => (globalThis as unknown as { __fakeVscode: { posted: IpcMessage[] } }).__fakeVscode.posted,
  );
}

/** Waits (with a deadline) for the panel to post a message of `method`; returns the latest one. */
export async function waitForPosted(
  page: Page,
  method: string,
  after = 0,
  timeout = 10_000,
): Promise<IpcMessage> {
  const handle = await page.waitForFunction(
    ([wanted, skip]) => {
      const list = (globalThis as unknown as { __fakeVscode: { posted: IpcMessage[] } }).__fakeVscode.posted;
      const found = list.slice(skip).filter((message) => message.method === wanted);
      return found.length > 0 ? found[found.length - 1] : undefined;
    },
    [method, after] as const,
    { timeout },
  );
  return (await handle.jsonValue()) as IpcMessage;
}

export async function postedCount(page: Page): Promise<number> {
  return page.evaluate(
    () => (globalThis as unknown as { __fakeVscode: { posted: unknown[] } }).__fakeVscode.posted.length,
  );
}

/** Delivers a host → panel message. */
export async function send(page: Page, message: IpcMessage): Promise<void> {
  await page.evaluate(
    (data) => (globalThis as unknown as { __fakeVscode: { send(m: unknown): void } }).__fakeVscode.send(data),
    message,
  );
}
