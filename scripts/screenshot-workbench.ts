// Takes the README's pictures of the sidebar and the status bar in a real workbench, in the light,
// dark and high-contrast themes (docs/workbench-light.png, -dark.png, -hc.png): code-server in
// headless Chromium with this machine's own processes, the Processes view open and the status bar
// item's tooltip shown. Not a test; run it by hand after the sidebar's or status bar's look
// changes, after `npm run build` and `npm run setup:ci`:
//
//   node --import tsx scripts/screenshot-workbench.ts
import { statSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../test/harness/codeServer';
import { activityBarItem, openWorkbench } from '../test/e2e/workbench';

const THEMES = [
  { file: 'workbench-light.png', theme: 'Default Light Modern' },
  { file: 'workbench-dark.png', theme: 'Default Dark Modern' },
  { file: 'workbench-hc.png', theme: 'Default High Contrast' },
] as const;
const VIEWPORT = { width: 1200, height: 720 };
/** The README wants pictures, not posters: a larger file means something else crept in. */
const MAX_BYTES = 300_000;

async function shoot(file: string, theme: string): Promise<void> {
  const out = path.join(REPO_ROOT, 'docs', file);
  const workbench = await openWorkbench({ settings: { 'workbench.colorTheme': theme } });
  try {
    const { page } = workbench;
    await page.setViewportSize(VIEWPORT);
    await activityBarItem(page, 'Process Tracker').click();
    const rows = page.locator('.part.sidebar .monaco-list-row[aria-label*="PID"]');
    await rows.nth(5).waitFor({ state: 'visible', timeout: 90_000 });
    // The status bar item with figures, hovered: its tooltip shows the same sample and the top 5.
    const item = page.locator('.part.statusbar .statusbar-item', { hasText: /CPU \d+% · Mem/ }).first();
    await item.waitFor({ state: 'visible', timeout: 60_000 });
    await page
      .locator('.part.statusbar .statusbar-item', { hasText: /CPU \d+%/ })
      .first()
      .hover();
    await page
      .locator('.monaco-hover, .workbench-hover', { hasText: 'Top by CPU' })
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 });
    await page.screenshot({ path: out });
    const bytes = statSync(out).size;
    console.log(`${out}: ${theme}, ${VIEWPORT.width}×${VIEWPORT.height}, ${Math.round(bytes / 1000)} kB`);
    if (bytes > MAX_BYTES) throw new Error(`${out} is ${bytes} bytes, over ${MAX_BYTES}`);
  } finally {
    await workbench.close();
  }
}

async function main(): Promise<void> {
  for (const { file, theme } of THEMES) await shoot(file, theme);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
