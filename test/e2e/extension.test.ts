// The extension's UI in a real workbench: the Processes view shows a process this test started,
// the status bar shows CPU and memory, and clicking it opens the top-processes quick pick.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  openProcessTrackerSidebar,
  openWorkbench,
  closeWorkbenchAndAgent,
  type Workbench,
} from './workbench';

describe('Process Tracker UI', () => {
  let workbench: Workbench;
  let sleeper: ChildProcess;
  const marker = `600.${Math.floor(Math.random() * 1e6)}`;

  before(async () => {
    sleeper = spawn('sleep', [marker], { stdio: 'ignore' });
    workbench = await openWorkbench();
  });

  after(async () => {
    if (sleeper?.pid && sleeper.exitCode === null) process.kill(sleeper.pid, 'SIGKILL');
    await closeWorkbenchAndAgent(workbench);
  });

  test('the Processes view shows a row for a process the test started', async () => {
    const { page } = workbench;
    await openProcessTrackerSidebar(page);
    // Filter to the sleeper through the command palette, as a user would.
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').fill('>Process Tracker: Filter Processes');
    await page.locator('.quick-input-widget .monaco-list-row').first().waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget input').fill(`sleep ${marker.replace('.', '\\.')}`);
    await page.keyboard.press('Enter');
    const row = page.locator(`.part.sidebar .monaco-list-row[aria-label*="PID ${sleeper.pid}"]`);
    await row.first().waitFor({ state: 'visible', timeout: 60_000 });
    assert.match((await row.first().textContent()) ?? '', /sleep/);
    assert.ok(existsSync(await workbench.screenshot('processes-view')));
  });

  test('the status bar shows CPU and memory', async () => {
    const item = workbench.page.locator('.part.statusbar .statusbar-item', {
      hasText: /CPU \d+% · Mem [\d.]+\/[\d.]+ GiB/,
    });
    await item.first().waitFor({ state: 'visible', timeout: 60_000 });
    assert.ok(existsSync(await workbench.screenshot('status-bar')));
  });

  test('clicking the status bar opens the top processes quick pick', async () => {
    const { page } = workbench;
    await page.locator('.part.statusbar .statusbar-item', { hasText: /CPU/ }).first().click();
    const picks = page.locator('.quick-input-widget .monaco-list-row');
    await picks.first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.ok((await picks.count()) > 0);
    assert.match((await page.locator('.quick-input-widget').textContent()) ?? '', /PID \d+/);
    assert.ok(existsSync(await workbench.screenshot('top-processes-quick-pick')));
    await page.keyboard.press('Escape');
  });
});
