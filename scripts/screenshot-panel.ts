// Takes the README's pictures of the history panel in a real workbench: code-server in headless
// Chromium, the real agent serving two days of generated history for 60 processes, in the Dark
// Modern, Light Modern and Dark High Contrast themes — each theme's 24 h range in lines (hovered)
// and stacked, a process page, and the moment section ("What was running at …"). Not a test (it
// checks nothing a test does not); run it by hand after the panel's look changes, after
// `npm run build` and `npm run setup:ci`:
//
//   node --import tsx scripts/screenshot-panel.ts [out-dir] [themes, e.g. dark,hc]
//
// It writes docs/panel-<theme>-<view>.png (theme: dark, light, hc; view: lines, stacked, process,
// moment).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { silentLogger } from '../agent/log';
import { generateHistory, Store } from '../agent/store';
import { DEFAULT_RETENTION } from '../shared/settings';
import { REPO_ROOT } from '../test/harness/codeServer';
import { openWorkbench, panelFrame, runCommand } from '../test/e2e/workbench';

const OUT_DIR = path.resolve(process.argv[2] ?? path.join(REPO_ROOT, 'docs'));
const ONLY = process.argv[3]?.split(',');
const VIEWPORT = { width: 1440, height: 960 };
/** The README wants a picture, not a poster: a larger file means something else crept in. */
const MAX_BYTES = 300_000;

/** Each theme by its id, and the class VS Code puts on the workbench once it is applied. */
const THEMES = [
  { name: 'dark', id: 'Default Dark Modern', workbenchClass: 'vs-dark' },
  { name: 'light', id: 'Default Light Modern', workbenchClass: 'vs' },
  { name: 'hc', id: 'Default High Contrast', workbenchClass: 'hc-black' },
] as const;

async function generatedDataDir(): Promise<string> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pt-screenshot-data-'));
  const store = await Store.open({
    dataDir,
    retention: DEFAULT_RETENTION,
    intervalMs: 2000,
    log: silentLogger,
  });
  // A fifth of 60 active: a dozen processes with CPU to draw, more than the chart's top 10.
  await generateHistory(store, {
    days: 2,
    processes: 60,
    activeShare: 0.2,
    rawHours: 2,
    churnPerHour: 0.02,
    shape: 'workday',
  });
  await store.close();
  return dataDir;
}

async function shoot(page: Page, theme: string, view: string): Promise<void> {
  const out = path.join(OUT_DIR, `panel-${theme}-${view}.png`);
  await page.screenshot({ path: out });
  const bytes = statSync(out).size;
  console.log(`${out}: ${VIEWPORT.width}×${VIEWPORT.height}, ${Math.round(bytes / 1000)} kB`);
  if (bytes > MAX_BYTES) throw new Error(`${out} is ${bytes} bytes, over ${MAX_BYTES}`);
}

/** Hovers the top chart at a fraction of its width: the crosshair and its sorted tooltip. */
async function hoverTop(page: Page, frame: FrameLocator): Promise<void> {
  const plot = await frame.locator('.chart-top .brush .overlay').boundingBox();
  if (!plot) throw new Error('the top chart has no plot area');
  await page.mouse.move(plot.x + plot.width * 0.62, plot.y + plot.height * 0.4);
  await frame.locator('.chart-top .tooltip').waitFor({ state: 'visible' });
}

async function themeShots(dataDir: string, theme: (typeof THEMES)[number]): Promise<void> {
  const workbench = await openWorkbench({
    env: { PROCESS_TRACKER_DATA_DIR: dataDir },
    settings: { 'workbench.colorTheme': theme.id },
  });
  try {
    const { page } = workbench;
    await page.setViewportSize(VIEWPORT);
    await page
      .locator(`.monaco-workbench.${theme.workbenchClass}`)
      .waitFor({ state: 'attached', timeout: 60_000 });
    // The workbench lays itself out again for the new size, not always at once.
    await page.waitForFunction(
      (width) =>
        (
          globalThis as unknown as { document: { querySelector(s: string): { clientWidth: number } | null } }
        ).document.querySelector('.monaco-workbench')?.clientWidth === width,
      VIEWPORT.width,
      { timeout: 60_000 },
    );
    await runCommand(page, 'View: Close Primary Side Bar');

    await runCommand(page, 'Process Tracker: Open History');
    const frame = panelFrame(page);
    await frame.locator('.range-bar button.preset[data-preset="24h"]').click({ timeout: 60_000 });
    await frame.locator('.range-bar button.preset[data-preset="24h"][aria-pressed="true"]').waitFor();
    // Drawn from the agent's data once the top chart names a 24 h range and has its lines.
    await frame
      .locator('.chart-top svg.timeline-svg > title', { hasText: /last 24 h/ })
      .waitFor({ state: 'attached', timeout: 60_000 });
    await frame.locator('.chart-top path.series-line').nth(4).waitFor({ state: 'attached', timeout: 60_000 });
    await hoverTop(page, frame);
    await shoot(page, theme.name, 'lines');

    await frame.locator('.chart-mode').selectOption('stacked');
    await frame.locator('.chart-top path.series-area').nth(4).waitFor({ state: 'attached', timeout: 60_000 });
    await hoverTop(page, frame);
    await shoot(page, theme.name, 'stacked');

    // The moment: a click on the machine CPU chart, the section scrolled into view.
    const cpu = await frame.locator('.chart-machine-cpu .brush .overlay').boundingBox();
    if (!cpu) throw new Error('the machine CPU chart has no plot area');
    await page.mouse.click(cpu.x + cpu.width * 0.7, cpu.y + cpu.height / 2);
    await frame.locator('.at-section .at-table').waitFor({ timeout: 60_000 });
    await frame
      .locator('.at-section')
      .evaluate((node) => (node as unknown as { scrollIntoView(): void }).scrollIntoView());
    await page.mouse.move(0, 0);
    await shoot(page, theme.name, 'moment');

    // A process page: the table's first name (the busiest by CPU).
    await frame.locator('.at-close').click();
    await frame.locator('.range-table .link-button').first().click();
    await frame.locator('.process-page .process-name').waitFor({ timeout: 60_000 });
    await frame
      .locator('.process-page path.series-line')
      .first()
      .waitFor({ state: 'attached', timeout: 60_000 });
    await frame
      .locator('.process-page')
      .evaluate((node) => (node as unknown as { scrollIntoView(): void }).scrollIntoView());
    await shoot(page, theme.name, 'process');
  } finally {
    // Also stops the agent the extension started (its environment names the server's temp dir).
    await workbench.close();
  }
}

async function main(): Promise<void> {
  const dataDir = await generatedDataDir();
  try {
    for (const theme of THEMES) if (!ONLY || ONLY.includes(theme.name)) await themeShots(dataDir, theme);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
