// The history panel in a real workbench (code-server, dark theme) with the real agent: "Open
// History" from the command palette draws the charts, a screenshot for the README, and after
// "Developer: Reload Window" the serializer brings the panel back in the state it was left in.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openWorkbench, panelFrame, runCommand, closeWorkbenchAndAgent, type Workbench } from './workbench';

/** Points the machine CPU chart drew (its SVG says how many), once it has some. */
async function drawnPoints(page: Page, timeoutMs: number): Promise<number> {
  const svg = panelFrame(page).locator('.chart-machine-cpu svg.timeline-svg[data-points]');
  const deadline = Date.now() + timeoutMs;
  let points = 0;
  while (Date.now() < deadline) {
    points = Number((await svg.getAttribute('data-points', { timeout: timeoutMs }).catch(() => '0')) ?? 0);
    if (points > 0) return points;
    await page.waitForTimeout(1000);
  }
  return points;
}

describe('History panel in code-server', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench();
    // Dark theme for the README's screenshot (the theme picker here lists only the marketplace's
    // themes). Early after start the toggle may do nothing while the themes load: try again.
    const dark = workbench.page.locator('.monaco-workbench.vs-dark');
    for (let attempt = 1; attempt <= 5 && !(await dark.count()); attempt++) {
      await runCommand(workbench.page, 'Preferences: Toggle between Light/Dark Themes');
      await dark.waitFor({ state: 'attached', timeout: 5_000 }).catch(() => undefined);
    }
    assert.equal(await dark.count(), 1, 'the workbench is in a dark theme');
  });

  after(async () => {
    await closeWorkbenchAndAgent(workbench);
  });

  test('Open History draws the charts from the real agent, and a reload restores the panel', async () => {
    const { page } = workbench;
    await runCommand(page, 'Process Tracker: Open History');
    const tab = page.locator('.tabs-container .tab', { hasText: 'Process History' });
    await tab.waitFor({ state: 'visible', timeout: 30_000 });
    const frame = panelFrame(page);
    await frame.locator('.chart-machine-cpu svg.timeline-svg').waitFor({ timeout: 60_000 });

    // Live tail, so the chart fills as the fresh agent's first minutes are stored.
    await frame.locator('input.live-tail').check();
    const points = await drawnPoints(page, 120_000);
    assert.ok(points > 0, 'the machine CPU chart has points from the agent');
    assert.ok((await frame.locator('.chart-top path.series-line').count()) > 0, 'top-N series drawn');
    assert.ok((await frame.locator('.table-section tbody tr').count()) > 0, 'the table lists processes');
    assert.equal(await frame.locator('input.live-tail').isChecked(), true);

    // The README's picture is taken by scripts/screenshot-panel.ts on richer, generated history.
    await workbench.screenshot('panel-vscode');

    // Switch to 6 h, so that the restored panel can be told from a fresh one (which shows 1 h).
    await frame.locator('.range-bar button.preset[data-preset="6h"]').click();
    await frame
      .locator('.range-bar button.preset[data-preset="6h"][aria-pressed="true"]')
      .waitFor({ timeout: 15_000 });

    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    await page
      .locator('.tabs-container .tab', { hasText: 'Process History' })
      .waitFor({ state: 'visible', timeout: 60_000 });
    const restored = panelFrame(page);
    await restored.locator('.chart-machine-cpu svg.timeline-svg').waitFor({ timeout: 60_000 });
    assert.equal(
      await restored.locator('.range-bar button.preset[aria-pressed="true"]').getAttribute('data-preset'),
      '6h',
      'the restored panel kept its range',
    );
    assert.ok((await drawnPoints(page, 60_000)) > 0, 'the restored panel drew the agent data');
  });
});
