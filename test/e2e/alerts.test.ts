// An alert as a person sees it in the workbench: a rule in the user's alerts file fires on a CPU
// burner this test starts → a warning toast naming the rule with its action buttons, and a row in
// the Alerts view; clicking "Silence 1 h" marks the row silenced.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { activityBarItem, openWorkbench, type Workbench } from './workbench';

describe('alerts in the workbench', () => {
  let workbench: Workbench;
  let burner: ChildProcess | undefined;
  const id = Math.floor(Math.random() * 1e6);
  const rule = `e2e-burner-${id}`;

  before(async () => {
    workbench = await openWorkbench();
  });

  after(async () => {
    if (burner?.pid && burner.exitCode === null && burner.signalCode === null)
      process.kill(burner.pid, 'SIGKILL');
    // stop() also ends the agent the extension started (its env names the server's temp dir).
    await workbench?.close();
  });

  test(
    'a firing rule shows a warning toast with its actions and a row in the Alerts view',
    { timeout: 180_000 },
    async () => {
      const { page, server } = workbench;
      await page
        .locator('.part.statusbar .statusbar-item', { hasText: /CPU \d+%/ })
        .first()
        .waitFor({ state: 'visible', timeout: 60_000 });
      burner = spawn(process.execPath, ['-e', 'for (;;) {}', `pt-e2e-burner-${id}`], { stdio: 'ignore' });
      // The agent started by the extension reads the harness's XDG config home.
      const configDir = path.join(server.tempDir, 'xdg-config', 'process-tracker');
      mkdirSync(configDir, { recursive: true });
      writeFileSync(
        path.join(configDir, 'alerts.yaml'),
        [
          'rules:',
          `  - name: ${rule}`,
          '    metric: cpu',
          `    match: { command: 'pt-e2e-burner-${id}' }`,
          '    group_by: process',
          "    operator: '>'",
          '    threshold: 10',
          '    severity: warning',
          '',
        ].join('\n'),
        { mode: 0o600 },
      );

      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: rule });
      await toast.first().waitFor({ state: 'visible', timeout: 90_000 });
      const text = (await toast.first().textContent()) ?? '';
      assert.match(text, new RegExp(`Process Tracker alert: ${rule}`));
      for (const action of ['Show Process', 'Open History', 'Silence 1 h', 'Kill'])
        assert.ok(
          (await toast.first().locator('.monaco-button', { hasText: action }).count()) > 0,
          `no "${action}" button on the toast`,
        );
      assert.equal(await toast.first().locator('.codicon-warning').count(), 1, 'not a warning toast');

      // The container's badge (the firing count) sits over its icon and takes the pointer.
      await activityBarItem(page, 'Process Tracker').click({ force: true });
      const row = page.locator('.part.sidebar .monaco-list-row', { hasText: rule });
      await row.first().waitFor({ state: 'visible', timeout: 30_000 });
      assert.match((await row.first().textContent()) ?? '', new RegExp(`PID ${burner.pid}`));
      await workbench.screenshot('alert-toast');

      await toast.first().locator('.monaco-button', { hasText: 'Silence 1 h' }).click();
      await page
        .locator('.part.sidebar .monaco-list-row', { hasText: new RegExp(`${rule}.*silenced`) })
        .first()
        .waitFor({ state: 'visible', timeout: 30_000 });
    },
  );
});
