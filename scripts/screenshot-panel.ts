// Takes the README's picture of the history panel in a real workbench (docs/panel-vscode.png):
// code-server in headless Chromium, dark theme, the real agent serving two days of generated
// history for 60 processes, the 24 h range. Not a test (it checks nothing a test does not); run it
// by hand after the panel's look changes, after `npm run build` and `npm run setup:ci`:
//
//   node --import tsx scripts/screenshot-panel.ts [out.png]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentLogger } from '../agent/log';
import { generateHistory, Store } from '../agent/store';
import { DEFAULT_RETENTION } from '../shared/settings';
import { REPO_ROOT } from '../test/harness/codeServer';
import { openWorkbench, panelFrame, runCommand } from '../test/e2e/workbench';

const OUT = path.resolve(process.argv[2] ?? path.join(REPO_ROOT, 'docs', 'panel-vscode.png'));
const VIEWPORT = { width: 1440, height: 960 };
/** The README wants a picture, not a poster: a larger file means something else crept in. */
const MAX_BYTES = 300_000;

async function generatedDataDir(): Promise<string> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pt-screenshot-data-'));
  const store = await Store.open({
    dataDir,
    retention: DEFAULT_RETENTION,
    intervalMs: 2000,
    log: silentLogger,
  });
  // A fifth of 60 active: a dozen processes with CPU to draw, more than the chart's top 10.
  await generateHistory(store, { days: 2, processes: 60, activeShare: 0.2, rawHours: 2, churnPerHour: 0.02 });
  await store.close();
  return dataDir;
}

async function main(): Promise<void> {
  const dataDir = await generatedDataDir();
  const workbench = await openWorkbench({ env: { PROCESS_TRACKER_DATA_DIR: dataDir } });
  try {
    const { page } = workbench;
    await page.setViewportSize(VIEWPORT);
    // The theme picker here lists only the marketplace's themes; early after start the toggle may
    // do nothing while the themes load: try again.
    const dark = page.locator('.monaco-workbench.vs-dark');
    for (let attempt = 1; attempt <= 5 && !(await dark.count()); attempt++) {
      await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
      await dark.waitFor({ state: 'attached', timeout: 5_000 }).catch(() => undefined);
    }
    if (!(await dark.count())) throw new Error('the workbench did not switch to a dark theme');
    await runCommand(page, 'View: Close Primary Side Bar');

    await runCommand(page, 'Process Tracker: Open History');
    const frame = panelFrame(page);
    await frame.locator('.range-bar button.preset[data-preset="24h"]').click({ timeout: 60_000 });
    await frame.locator('.range-bar button.preset[data-preset="24h"][aria-pressed="true"]').waitFor();
    // Drawn from the agent's data once the top chart names a 24 h range and has its lines.
    await frame
      .locator('.chart-top svg.timeline-svg > title', { hasText: /last 24h/ })
      .waitFor({ state: 'attached', timeout: 60_000 });
    await frame.locator('.chart-top path.series-line').nth(4).waitFor({ state: 'attached', timeout: 60_000 });

    // A hover shows the crosshair and every series' value: what the panel is for.
    const plot = await frame.locator('.chart-top .brush .overlay').boundingBox();
    if (!plot) throw new Error('the top chart has no plot area');
    await page.mouse.move(plot.x + plot.width * 0.62, plot.y + plot.height * 0.4);
    await frame.locator('.chart-top .tooltip').waitFor({ state: 'visible' });

    await page.screenshot({ path: OUT });
    const bytes = statSync(OUT).size;
    console.log(`${OUT}: ${VIEWPORT.width}×${VIEWPORT.height}, ${Math.round(bytes / 1000)} kB`);
    if (bytes > MAX_BYTES) throw new Error(`${OUT} is ${bytes} bytes, over ${MAX_BYTES}`);
  } finally {
    // Also stops the agent the extension started (its environment names the server's temp dir).
    await workbench.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
