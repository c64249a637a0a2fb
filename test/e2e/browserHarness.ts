// What the browser panel's tests and its bench share: a data dir with generated history (the
// store's own generator, as the other benches use), the agent serving it with `run --http`, and
// Chromium opened on the printed URL, waiting for the panel's first drawn chart.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { generateHistory, Store } from '../../agent/store';
import { silentLogger } from '../../agent/log';
import { DEFAULT_RETENTION } from '../../shared/settings';
import { serveHttp, tempDir, waitFor, type HttpAgent } from '../integration/agentHarness';

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

export interface HistoryAgent {
  agent: HttpAgent;
  dataDir: string;
  remove(): Promise<void>;
}

/** `hours` of generated history for `processes` processes, ending now, then `run --http` on it. */
export async function agentWithHistory(
  hours: number,
  processes: number,
  extra: string[] = [],
): Promise<HistoryAgent> {
  const work = tempDir('pt-browser-');
  const dataDir = path.join(work.dir, 'data');
  const run = path.join(work.dir, 'run');
  mkdirSync(run, { recursive: true, mode: 0o700 });
  const writer = await Store.open({
    dataDir,
    retention: DEFAULT_RETENTION,
    intervalMs: 2000,
    log: silentLogger,
    flushIntervalMs: 3_600_000,
  });
  await generateHistory(writer, {
    days: hours / 24,
    processes,
    activeShare: 0.15,
    endTs: Date.now(),
    rawHours: Math.min(hours, 1),
    seed: 17,
  });
  await writer.close();
  const agent = await serveHttp(dataDir, { XDG_RUNTIME_DIR: run }, ['--http', '127.0.0.1:0', ...extra]);
  return {
    agent,
    dataDir,
    remove: async () => {
      await agent.stop();
      work.remove();
    },
  };
}

interface Rendered {
  view: string;
  from: number;
  to: number;
  series: number;
  points: number;
  sinceReadyMs: number;
  at: number;
}

/** What the panel reported drawing (webview/browser/host.ts keeps the list). */
export function renderedList(page: Page): Promise<Rendered[]> {
  return page.evaluate(
    () => (globalThis as unknown as { processTrackerRendered?: Rendered[] }).processTrackerRendered ?? [],
  );
}

/**
 * Polls `expression` in the page until it is true. Not page.waitForFunction: that evaluates its
 * predicate with eval inside the page, which the panel's CSP refuses (as it should).
 */
export async function waitInPage(page: Page, expression: string, timeoutMs = 120_000): Promise<void> {
  await waitFor(
    async () => (await page.evaluate<unknown>(expression)) === true,
    timeoutMs,
    () => expression,
  );
}

/** A fresh context (no cookie) at `viewport`, opened on the URL with the token; waits for a chart. */
export async function openBrowserPanel(
  browser: Browser,
  openUrl: string,
  options: BrowserContextOptions,
): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text()))
      problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} for ${response.url()}`);
  });
  await page.goto(openUrl, { timeout: 120_000 });
  await waitInPage(page, '(window.processTrackerRendered ?? []).length > 0');
  return { page, problems, close: () => context.close() };
}
