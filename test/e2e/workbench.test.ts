import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { activityBarItem, openWorkbench, type Workbench } from './workbench';

describe('workbench with Process Tracker', () => {
  let workbench: Workbench;
  before(async () => {
    workbench = await openWorkbench();
  });
  after(async () => {
    await workbench?.close();
  });

  test('the activity bar shows the Process Tracker container', async () => {
    const item = activityBarItem(workbench.page, 'Process Tracker');
    await item.waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await item.count(), 1);
    assert.ok(existsSync(await workbench.screenshot('workbench')));
  });

  test('opening the container shows its Processes view', async () => {
    await activityBarItem(workbench.page, 'Process Tracker').click();
    // With a single view VS Code hides the pane header and titles the side bar with the container.
    const title = workbench.page.locator('.part.sidebar .composite.title');
    await title.filter({ hasText: /process tracker/i }).waitFor({ state: 'visible', timeout: 30_000 });
    const pane = workbench.page.locator(
      '.part.sidebar .pane[aria-label^="Processes"], .part.sidebar [aria-label="Processes Section"]',
    );
    await pane.first().waitFor({ state: 'attached', timeout: 30_000 });
    assert.ok(existsSync(await workbench.screenshot('process-tracker-container')));
  });
});
