// The sidebar as a person uses it (issue 18, point 8): a hovered row keeps its process while the
// figures change under it, so its inline ✕ hits the process the person aimed at.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import {
  openProcessTrackerSidebar,
  openWorkbench,
  runCommand,
  closeWorkbenchAndAgent,
  type Workbench,
} from './workbench';

/**
 * Two processes that take turns being busy (1.5 s each), so sorted by CPU they swap places every
 * tick or two — what made rows move under the mouse.
 */
const BURNER = `
const phase = Number(process.argv[2]);
for (;;) {
  const busy = (Math.floor(Date.now() / 1500) + phase) % 2 === 0;
  const until = Date.now() + 100;
  if (busy) while (Date.now() < until);
  else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
}`;

describe('the Processes view stays still under the mouse', () => {
  let workbench: Workbench;
  const marker = `burn${Math.floor(Math.random() * 1e6)}`;
  const burners: ChildProcess[] = [];

  before(async () => {
    for (const phase of [0, 1])
      burners.push(spawn(process.execPath, ['-e', BURNER, String(phase), marker], { stdio: 'ignore' }));
    workbench = await openWorkbench();
  });

  after(async () => {
    // The test kills one of them itself: end the others, by pid.
    for (const burner of burners)
      if (burner.pid && burner.exitCode === null && burner.signalCode === null) burner.kill('SIGKILL');
    await closeWorkbenchAndAgent(workbench);
  });

  test('a hovered row keeps its process across ticks while the order underneath changes', async () => {
    const { page } = workbench;
    await openProcessTrackerSidebar(page);
    await runCommand(page, 'Process Tracker: Filter Processes');
    await page.locator('.quick-input-widget input').fill(marker);
    await page.keyboard.press('Enter');
    const pids = burners.map((burner) => burner.pid!);
    const rowOf = (pid: number) => page.locator(`.part.sidebar .monaco-list-row[aria-label*="PID ${pid},"]`);
    for (const pid of pids) await rowOf(pid).first().waitFor({ state: 'visible', timeout: 60_000 });
    const firstRow = page.locator('.part.sidebar .monaco-list-row[data-index="0"]').first();
    const firstPid = async () =>
      Number(/PID (\d+),/.exec((await firstRow.getAttribute('aria-label')) ?? '')?.[1]);

    // Unhovered, the busier process comes first: the two swap places (the test's premise).
    const seen = new Set<number>();
    const deadline = Date.now() + 60_000;
    while (seen.size < 2 && Date.now() < deadline) {
      seen.add(await firstPid());
      await page.waitForTimeout(200);
    }
    assert.equal(seen.size, 2, 'the two burners never swapped places: the premise does not hold');

    // Hovered (VS Code shows the row's tooltip), the row keeps its process for the next ticks.
    await firstRow.hover();
    await page
      .locator('.monaco-hover, .workbench-hover')
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    const aimed = await firstPid();
    const until = Date.now() + 6000;
    while (Date.now() < until) {
      assert.equal(await firstPid(), aimed, 'the hovered row changed to another process');
      await page.waitForTimeout(200);
    }
    assert.ok(existsSync(await workbench.screenshot('sidebar-hovered-row')));

    // Its inline ✕ asks with Cancel focused: Enter keeps the process.
    const kill = firstRow.locator('.actions .action-label[aria-label="Kill"]');
    const confirmation = page.locator('.quick-input-widget');
    await kill.click();
    await confirmation
      .locator('.monaco-list-row.focused', { hasText: 'Cancel' })
      .waitFor({ timeout: 30_000 });
    assert.match((await confirmation.textContent()) ?? '', new RegExp(`PID ${aimed}`));
    await page.keyboard.press('Enter');
    await confirmation.waitFor({ state: 'hidden', timeout: 30_000 });
    const burner = burners.find((b) => b.pid === aimed)!;
    assert.equal(burner.exitCode ?? burner.signalCode, null, 'Enter on the confirmation killed the process');

    // Chosen Kill: the process aimed at ends, the other one runs on, and a notification says so.
    await firstRow.hover();
    await kill.click();
    await confirmation.locator('.monaco-list-row', { hasText: 'Kill' }).first().click();
    await page
      .locator('.notifications-toasts', { hasText: new RegExp(`PID ${aimed}\\) ended`) })
      .waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(burner.signalCode, 'SIGTERM');
    const other = burners.find((b) => b.pid !== aimed)!;
    assert.equal(other.exitCode ?? other.signalCode, null, 'the other process was killed');
  });
});
