// The history panel in Chinese, in real Chromium: in the page that stands in for VS Code's webview
// (its <html lang> as the host writes it from vscode.env.language; test/unit/webview/html.test.ts
// checks the host's mapping, workbenchChinese.test.ts the panel in a zh-cn workbench), and in the browser from
// `run --http` asked in Chinese by Accept-Language (the browser's locale) and by ?lang=zh-cn.
// Everything on screen that is not data — headings, buttons, labels, axis ticks, tooltips
// (title), accessible names, placeholders, notes — must be Chinese, with no English word left
// but units and acronyms. Saves docs/panel-zh-cn.png, the README's Chinese screenshot.
// Run: node --import tsx --test test/e2e/panelChinese.test.ts (after `npm run build`)
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { untranslated } from './untranslated';
import {
  AtNotification,
  DataNotification,
  ProcessPageNotification,
  RequestRangeCommand,
  type IpcMessage,
} from '../../shared/webviewProtocol';
import { requireBuild } from '../integration/agentHarness';
import { agentWithHistory, DESKTOP, openBrowserPanel, waitInPage, type HistoryAgent } from './browserHarness';
import { atResult, processPage, rangeData } from './panelFixtures';
import {
  buildWebview,
  launchChromium,
  openPanel,
  ROOT,
  send,
  startPanelServer,
  waitForPosted,
  type PanelServer,
} from './panelHarness';

const HOUR = 3_600_000;
const TO = Date.UTC(2026, 10, 24, 15, 0);
const FROM = TO - 6 * HOUR;

async function sendAndWait(page: Page, message: IpcMessage, view: 'overview' | 'process'): Promise<void> {
  const before = await page.evaluate<number>('window.__fakeVscode.posted.length');
  await send(page, message);
  const rendered = await waitForPosted(page, 'panel/rendered', before);
  assert.equal((rendered.params as { view: string }).view, view);
}

describe('the panel in the VS Code webview, zh-cn', () => {
  let server: PanelServer;
  let browser: Browser;

  before(async () => {
    await buildWebview();
    server = await startPanelServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('overview, moment and process page: Chinese chrome, Chinese times, no English left', async () => {
    const { page, errors } = await openPanel(browser, server.url, {
      lang: 'zh-CN',
      width: 1200,
      height: 1400,
    });
    try {
      assert.equal(await page.evaluate<string>('document.documentElement.lang'), 'zh-CN');
      const data = rangeData({ from: FROM, to: TO, stepMs: 60_000, topN: 10 });
      await sendAndWait(page, DataNotification.create('host-1', data), 'overview');
      // The chrome: presets, headings, the range table's headers and pager, the resolution.
      assert.equal(await page.locator('.preset[data-preset="24h"]').textContent(), '24 小时');
      assert.equal(await page.locator('.overview h2').first().textContent(), '整机 CPU');
      assert.equal(await page.locator('.chart-machine-mem .legend-label').textContent(), '整机内存');
      assert.match((await page.locator('.resolution').textContent()) ?? '', /1 分钟平均值/);
      assert.match((await page.locator('.range-table th').first().textContent()) ?? '', /名称/);
      assert.match((await page.locator('.page-status').first().textContent()) ?? '', /第 1\/\d+ 页/);
      assert.match((await page.locator('.export-csv').textContent()) ?? '', /导出 CSV/);
      // Axis ticks in the zh-CN clock (24-hour, no AM/PM) and a moment's tooltip time.
      const ticks = await page.locator('.chart-machine-cpu .axis-x .tick text').allTextContents();
      assert.ok(ticks.length > 0 && ticks.every((tick) => !/[AP]M/.test(tick)), ticks.join(' '));
      assert.deepEqual(await untranslated(page), [], 'the overview has English left');
      // Hover: the tooltip's unit line reads in Chinese.
      const box = (await page.locator('.chart-top svg.timeline-svg').boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await waitInPage(
        page,
        "document.querySelector('.chart-top .tooltip-unit')?.textContent === '%（单核）'",
        10_000,
      );

      await send(page, AtNotification.create('host-2', { at: atResult(FROM + HOUR) }));
      await waitInPage(
        page,
        "document.querySelector('.at-section h2')?.textContent?.includes('时在运行的进程') === true",
        10_000,
      );
      assert.deepEqual(await untranslated(page), [], 'the moment section has English left');
      await page.screenshot({ path: path.join(ROOT, 'docs/panel-zh-cn.png'), fullPage: false });
      // The range's from / to: the zh-CN date and 24-hour clock of the axis, typed back as such;
      // a box that is not a time says so in Chinese.
      const fromBox = page.locator('.range-from');
      assert.match(await fromBox.inputValue(), /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/);
      assert.match(
        (await fromBox.getAttribute('title')) ?? '',
        /^本地时间，写法与图表相同，例如 \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/,
      );
      let before = await page.evaluate<number>('window.__fakeVscode.posted.length');
      await fromBox.fill('2026/11/20 08:00');
      await page.locator('.range-to').fill('2026/11/20 14:30');
      await page.click('.custom-range button[type="submit"]');
      const request = await waitForPosted(page, RequestRangeCommand.method, before);
      assert.ok(RequestRangeCommand.is(request));
      assert.equal(request.params.from, new Date(2026, 10, 20, 8, 0).getTime());
      assert.equal(request.params.to, new Date(2026, 10, 20, 14, 30).getTime());
      before = await page.evaluate<number>('window.__fakeVscode.posted.length');
      await fromBox.fill('明天早上');
      await page.click('.custom-range button[type="submit"]');
      assert.match(
        await fromBox.evaluate((box) => (box as unknown as { validationMessage: string }).validationMessage),
        /^"明天早上" 不是时间：请写成 \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/,
      );
      assert.equal(await page.evaluate<number>('window.__fakeVscode.posted.length'), before, 'nothing asked');

      await page.evaluate("document.querySelector('.range-table .link-button').click()");
      await sendAndWait(page, ProcessPageNotification.create('host-3', processPage(FROM, TO)), 'process');
      assert.equal(await page.locator('.back-button').textContent(), '‹ 总览');
      assert.match((await page.locator('.lifecycle-legend').textContent()) ?? '', /启动（\d+）/);
      assert.deepEqual(await untranslated(page), [], 'the process page has English left');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  test('the same page without a language stays English (the check above can fail)', async () => {
    const { page } = await openPanel(browser, server.url, { width: 1200 });
    try {
      await sendAndWait(
        page,
        DataNotification.create('host-1', rangeData({ from: FROM, to: TO, stepMs: 60_000, topN: 5 })),
        'overview',
      );
      const english = await untranslated(page);
      assert.ok(
        english.some((text) => /Time range/.test(text)) &&
          english.some((text) => /Machine memory/.test(text)),
        english.join(' | '),
      );
    } finally {
      await page.close();
    }
  });
});

describe('the panel in a browser (run --http), zh-cn', () => {
  let served: HistoryAgent;
  let browser: Browser;

  before(async () => {
    requireBuild();
    served = await agentWithHistory(2, 30);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await served?.remove();
  });

  for (const [how, url, locale] of [
    ['Accept-Language (a Chinese browser)', '', 'zh-CN'],
    ['?lang=zh-cn in an English browser', '&lang=zh-cn', 'en-US'],
  ] as const) {
    test(`asked by ${how}: dashboard and panel in Chinese, no English left`, async () => {
      const { page, problems, close } = await openBrowserPanel(browser, `${served.agent.openUrl}${url}`, {
        viewport: DESKTOP,
        locale,
      });
      try {
        assert.equal(await page.evaluate<string>('document.documentElement.lang'), 'zh-CN');
        assert.equal(await page.title(), '进程历史');
        await waitInPage(page, "document.querySelectorAll('.dashboard .card-body .note').length === 0");
        assert.match((await page.locator('.card-today').textContent()) ?? '', /CPU 平均/);
        assert.equal(await page.locator('.overview h2').first().textContent(), '整机 CPU');
        // From / to in the panel's language whatever the browser's: zh-CN date, 24-hour clock.
        for (const box of ['.range-from', '.range-to'])
          assert.match(await page.locator(box).inputValue(), /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/, box);
        assert.deepEqual(await untranslated(page), []);
        assert.deepEqual(problems, []);
      } finally {
        await close();
      }
    });
  }
});
