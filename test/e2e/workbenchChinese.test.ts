// Process Tracker in a real workbench whose display language is Chinese (code-server with the
// zh-cn language pack registered, as "Configure Display Language" leaves it; the pack is a test
// fixture standing in for Microsoft's, which this machine cannot download, so VS Code's own text
// stays English): the container, its views, the status bar, the palette's commands and the history
// panel read in Chinese, from package.nls.zh-cn.json, l10n/bundle.l10n.zh-cn.json and the panel's
// catalogue, chosen by vscode.env.language.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  activityBarItem,
  closeWorkbenchAndAgent,
  openWorkbench,
  panelFrame,
  runCommand,
  type Workbench,
} from './workbench';
import { untranslated } from './untranslated';

describe('a workbench in Chinese', () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench({ locale: 'zh-cn' });
  });

  after(async () => {
    await closeWorkbenchAndAgent(workbench);
  });

  test('the container, its views and the status bar speak Chinese', async () => {
    const { page } = workbench;
    await activityBarItem(page, '进程追踪').click({ timeout: 60_000 });
    const titles = page.locator('.part.sidebar .pane-header h3.title');
    await titles.first().waitFor({ state: 'visible', timeout: 60_000 });
    const names = await titles.allTextContents();
    assert.ok(names.includes('进程') && names.includes('本窗口'), `the panes are titled ${names.join(', ')}`);
    await page
      .locator('.part.sidebar .monaco-list-row')
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 });
    const status = page.locator('.part.statusbar .statusbar-item', { hasText: /CPU \d/ });
    await status.first().waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await status.first().innerText(), /CPU \d+(\.\d)?% · 内存 /);
    await workbench.screenshot('workbench-zh-cn');
  });

  test('the palette lists the commands by their Chinese titles, and the history panel opens in Chinese', async () => {
    const { page } = workbench;
    await runCommand(page, 'Process Tracker: 打开历史记录');
    await page
      .locator('.tabs-container .tab', { hasText: '进程历史' })
      .waitFor({ state: 'visible', timeout: 30_000 });
    const frame = panelFrame(page);
    await frame.locator('.chart-machine-cpu svg.timeline-svg').waitFor({ timeout: 60_000 });
    assert.equal(await frame.locator('html').getAttribute('lang'), 'zh-CN');
    assert.equal(await frame.locator('.preset[data-preset="24h"]').textContent(), '24 小时');
    assert.equal(await frame.locator('.overview h2').first().textContent(), '整机 CPU');
    const document = await (await frame.locator('body').elementHandle())!.ownerFrame();
    assert.deepEqual(await untranslated(document!), [], 'the panel has English left');
  });
});
