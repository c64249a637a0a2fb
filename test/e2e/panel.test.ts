// The history panel's bundle in headless Chromium, on a page standing in for VS Code's webview
// (test/e2e/pages): fixture data goes in as host messages, and what the panel draws and posts
// is checked. Run: node --import tsx --test test/e2e/panel.test.ts

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { DataParams, IpcMessage } from '../../shared/webviewProtocol';
import {
  AtNotification,
  DataNotification,
  ExportCommand,
  PANEL_COMMANDS,
  ProcessPageNotification,
  RequestAtCommand,
  RequestProcessCommand,
  RequestRangeCommand,
} from '../../shared/webviewProtocol';
import { atResult, HOSTILE_NAME, processPage, rangeData } from './panelFixtures';
import {
  buildWebview,
  launchChromium,
  openPanel,
  posted,
  postedCount,
  ROOT,
  send,
  startPanelServer,
  waitForPosted,
  type PanelPage,
  type PanelServer,
} from './panelHarness';

/** The few browser globals used inside page.evaluate (this project's tsconfig has no DOM lib). */
interface BrowserGlobals {
  document: {
    body: unknown;
    activeElement: { className: string } | null;
    querySelectorAll(selector: string): { length: number };
    addEventListener(
      type: string,
      listener: (event: { violatedDirective: string; blockedURI: string }) => void,
    ): void;
  };
  getComputedStyle(element: unknown): { backgroundColor: string };
}

const SCREENSHOTS = path.join(ROOT, 'test/e2e/screenshots');
const HOUR = 3_600_000;
const TO = Date.UTC(2026, 10, 24, 15, 0);
const FROM = TO - HOUR;

let server: PanelServer;
let browser: Browser;
const opened: Page[] = [];

before(async () => {
  await buildWebview();
  server = await startPanelServer();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function panelWithData(
  options: { theme?: 'dark' | 'light' } = {},
): Promise<PanelPage & { data: DataParams }> {
  const panel = await openPanel(browser, server.url, options);
  opened.push(panel.page);
  const data = rangeData({ from: FROM, to: TO, stepMs: 60_000, topN: 10 });
  await send(panel.page, DataNotification.create('host-1', data));
  await panel.page.waitForSelector('.chart-top path.series-line');
  return { ...panel, data };
}

/** The plot area of a chart (its brush overlay), in page pixels. */
async function plotBox(
  page: Page,
  chart: string,
): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await page.locator(`${chart} .brush .overlay`).boundingBox();
  assert.ok(box, `${chart} has a brush overlay`);
  return box;
}

function pxForTs(box: { x: number; width: number }, ts: number): number {
  return box.x + ((ts - FROM) / (TO - FROM)) * box.width;
}

async function visibleColumn(page: Page, column: number): Promise<string[]> {
  return page.locator(`.range-table tbody tr td:nth-child(${column})`).allTextContents();
}

describe('history panel in Chromium', () => {
  after(async () => {
    for (const page of opened) await page.close();
  });

  test('posts ready, then asks for its range with the chart width as maxPoints', async () => {
    const { page } = await openPanel(browser, server.url);
    opened.push(page);
    const request = await waitForPosted(page, RequestRangeCommand.method);
    assert.ok(RequestRangeCommand.is(request));
    assert.equal(request.params.to - request.params.from, HOUR, 'the default range is the last hour');
    assert.ok(request.params.maxPoints >= 100 && request.params.maxPoints <= 1100);
    for (const message of await posted(page)) {
      assert.ok(
        PANEL_COMMANDS.some((type) => type.is(message)),
        `${message.method} is a valid panel command`,
      );
    }
  });

  test('draws axes, one path per series, a legend naming each, and bounded points', async () => {
    const { page, data, errors } = await panelWithData();
    for (const chart of ['.chart-machine-cpu', '.chart-machine-mem', '.chart-top']) {
      assert.ok((await page.locator(`${chart} .axis-x .tick`).count()) >= 3, `${chart} has a time axis`);
      assert.ok((await page.locator(`${chart} .axis-y .tick`).count()) >= 2, `${chart} has a value axis`);
      assert.equal(await page.locator(`${chart} svg.timeline-svg`).getAttribute('role'), 'img');
    }
    const paths = page.locator('.chart-top path.series-line');
    assert.equal(await paths.count(), 10);
    for (const d of await paths.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('d') ?? ''))) {
      assert.match(d, /^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+)+$/);
    }
    assert.match(
      (await page.locator('.chart-top svg.timeline-svg').getAttribute('aria-label')) ?? '',
      /Top 10 processes by CPU/,
    );
    assert.match(
      (await page.locator('.chart-top svg.timeline-svg > title').textContent()) ?? '',
      /^Top 10 processes by CPU, last 1 h$/,
    );
    const legend = await page.locator('.chart-top .legend .legend-label').allTextContents();
    assert.deepEqual(
      legend,
      data.top.map((series) => series.label),
    );
    const dashes = await paths.evaluateAll((nodes) =>
      nodes.map((node) => node.getAttribute('stroke-dasharray')),
    );
    assert.equal(new Set(dashes).size, 10, 'every series has its own dash pattern, not only its colour');
    const width = (await plotBox(page, '.chart-top')).width;
    const points = Number(await page.locator('.chart-top svg.timeline-svg').getAttribute('data-points'));
    assert.ok(points > 0 && points <= 10 * 2 * Math.ceil(width), `${points} points for ${width}px`);
    assert.equal(await page.locator('.resolution').textContent(), '1-minute averages');
    assert.deepEqual(errors, []);
  });

  test('a brush posts requestRange for the zoomed range and redraws at once', async () => {
    const { page } = await panelWithData();
    const box = await plotBox(page, '.chart-top');
    const before = await postedCount(page);
    const startTs = FROM + 15 * 60_000;
    const endTs = FROM + 45 * 60_000;
    await page.mouse.move(pxForTs(box, startTs), box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(pxForTs(box, (startTs + endTs) / 2), box.y + box.height / 2, { steps: 4 });
    await page.mouse.move(pxForTs(box, endTs), box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    const request = await waitForPosted(page, RequestRangeCommand.method, before);
    assert.ok(RequestRangeCommand.is(request));
    const tolerance = (2 * (TO - FROM)) / box.width; // two pixels' worth of time
    assert.ok(
      Math.abs(request.params.from - startTs) <= tolerance,
      `from ${request.params.from} ≈ ${startTs}`,
    );
    assert.ok(Math.abs(request.params.to - endTs) <= tolerance, `to ${request.params.to} ≈ ${endTs}`);
    assert.equal(request.params.live, false);
    // Redrawn for the zoomed range at once, before the finer data comes.
    assert.match(
      (await page.locator('.chart-top svg.timeline-svg > title').textContent()) ?? '',
      /\d{1,2}:\d{2}:\d{2}( [AP]M)? to \d/,
    );
    assert.equal(
      await page.locator('.presets [aria-pressed="true"]').count(),
      0,
      'no preset is pressed after a zoom',
    );
  });

  test('hovering shows a crosshair and every series’ value at that moment, largest first', async () => {
    const { page, data } = await panelWithData();
    const box = await plotBox(page, '.chart-top');
    const index = 20;
    const ts = data.top[0]!.points[index]!.ts;
    await page.mouse.move(pxForTs(box, ts), box.y + box.height / 2);
    const tooltip = page.locator('.chart-top .tooltip');
    await tooltip.waitFor({ state: 'visible' });
    assert.equal(await page.locator('.chart-top .crosshair').getAttribute('visibility'), 'visible');
    const byValue = [...data.top].sort((a, b) => b.points[index]!.value! - a.points[index]!.value!);
    const labels = await tooltip.locator('.tooltip-label').allTextContents();
    assert.deepEqual(
      labels,
      byValue.map((series) => series.label),
    );
    const values = await tooltip.locator('.tooltip-value').allTextContents();
    assert.deepEqual(
      values,
      byValue.map((series) => `${series.points[index]!.value!.toFixed(1)} %`),
    );
    await page.mouse.move(box.x + box.width / 2, box.y + box.height + 200);
    await tooltip.waitFor({ state: 'hidden' });
  });

  test('clicking a moment asks for it and shows the at-time table', async () => {
    const { page } = await panelWithData();
    const box = await plotBox(page, '.chart-machine-cpu');
    const before = await postedCount(page);
    const ts = FROM + 30 * 60_000;
    await page.mouse.click(pxForTs(box, ts), box.y + box.height / 2);
    const request = await waitForPosted(page, RequestAtCommand.method, before);
    assert.ok(RequestAtCommand.is(request));
    assert.ok(Math.abs(request.params.ts - ts) <= (2 * (TO - FROM)) / box.width);
    await send(page, AtNotification.create('host-2', { at: atResult(request.params.ts) }));
    const rows = page.locator('.at-table tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 3);
    assert.deepEqual(await page.locator('.at-table tbody td:first-child').allTextContents(), [
      'code',
      HOSTILE_NAME,
      'node',
    ]);
    assert.match((await page.locator('.at-section h2').textContent()) ?? '', /What was running at/);
    // The note gives the machine's CPU; the column says a process's is a share of one core.
    assert.ok((await page.locator('.at-table thead').textContent())!.includes('CPU % of one core'));
  });

  test('the keyboard reaches the chart: arrows move the cursor, Enter picks the moment', async () => {
    const { page } = await panelWithData();
    await page.locator('.chart-top svg.timeline-svg').focus();
    await page.keyboard.press('ArrowRight');
    await page.locator('.chart-top .tooltip').waitFor({ state: 'visible' });
    const before = await postedCount(page);
    await page.keyboard.press('Enter');
    const request = await waitForPosted(page, RequestAtCommand.method, before);
    assert.ok(RequestAtCommand.is(request));
    assert.ok(request.params.ts > FROM && request.params.ts < TO);
  });

  test('the range bar asks for presets, a custom range, live tail and a stacked top-N', async () => {
    const { page } = await panelWithData();
    let before = await postedCount(page);
    await page.click('[data-preset="7d"]');
    let request = await waitForPosted(page, RequestRangeCommand.method, before);
    assert.ok(RequestRangeCommand.is(request));
    assert.equal(request.params.to - request.params.from, 7 * 24 * HOUR);

    before = await postedCount(page);
    await page.check('.live-tail');
    request = await waitForPosted(page, RequestRangeCommand.method, before);
    assert.ok(RequestRangeCommand.is(request));
    assert.equal(request.params.live, true);

    before = await postedCount(page);
    await page.fill('.range-from', '2026-11-20T08:00');
    await page.fill('.range-to', '2026-11-20T12:30');
    await page.click('.custom-range button[type="submit"]');
    request = await waitForPosted(page, RequestRangeCommand.method, before);
    assert.ok(RequestRangeCommand.is(request));
    assert.equal(request.params.from, new Date(2026, 10, 20, 8, 0).getTime());
    assert.equal(request.params.to, new Date(2026, 10, 20, 12, 30).getTime());
    assert.equal(request.params.live, false, 'a custom range does not tail');

    before = await postedCount(page);
    await page.selectOption('.top-metric', 'rss');
    request = await waitForPosted(page, RequestRangeCommand.method, before);
    assert.ok(RequestRangeCommand.is(request));
    assert.equal(request.params.metric, 'rss');
    assert.equal(request.params.sort, 'mem');

    await page.selectOption('.chart-mode', 'stacked');
    await send(
      page,
      DataNotification.create('host-5', rangeData({ from: FROM, to: TO, stepMs: 60_000, topN: 10 })),
    );
    await page.waitForSelector('.chart-top path.series-area');
    assert.equal(await page.locator('.chart-top path.series-area').count(), 10);
    assert.equal(await page.locator('.chart-top path.series-line').count(), 0);
  });

  test('the table sorts, searches and pages', async () => {
    const { page, data } = await panelWithData();
    assert.equal(await page.locator('.range-table tbody tr').count(), 25);
    assert.match((await page.locator('.page-status').textContent()) ?? '', /Page 1 of 2 · 40 of 40/);
    assert.ok(await page.locator('.page-prev').isDisabled());

    const byCpu = (await visibleColumn(page, 3))
      .filter((text) => text !== '–')
      .map((text) => parseFloat(text));
    assert.deepEqual(
      byCpu,
      [...byCpu].sort((a, b) => b - a),
      'CPU avg, largest first',
    );

    await page.click('[data-sort="name"]');
    const names = await visibleColumn(page, 1);
    assert.deepEqual(
      names,
      [...names].sort((a, b) => a.localeCompare(b)),
    );
    assert.equal(await page.locator('th[aria-sort="ascending"]').textContent(), 'Name ▲');
    await page.click('[data-sort="name"]');
    const reversed = await visibleColumn(page, 1);
    assert.deepEqual(
      reversed,
      [...reversed].sort((a, b) => b.localeCompare(a)),
    );

    await page.click('.page-next');
    assert.equal(await page.locator('.range-table tbody tr').count(), 15);
    assert.match((await page.locator('.page-status').textContent()) ?? '', /Page 2 of 2/);
    assert.ok(await page.locator('.page-next').isDisabled());

    await page.fill('.table-search', 'worker-1');
    await page.waitForFunction(
      () =>
        (globalThis as unknown as BrowserGlobals).document.querySelectorAll('.range-table tbody tr')
          .length === 10,
    );
    assert.deepEqual(
      (await visibleColumn(page, 1)).sort(),
      data.rows
        .map((row) => row.name)
        .filter((name) => name.startsWith('worker-1'))
        .sort(),
    );
    assert.match((await page.locator('.page-status').textContent()) ?? '', /Page 1 of 1 · 10 of 40/);
    assert.equal(
      await page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.activeElement?.className),
      'table-search',
      'typing keeps focus',
    );
  });

  test('export writes exactly the rows shown, as CSV and as JSON', async () => {
    const { page } = await panelWithData();
    await page.fill('.table-search', 'worker-2');
    await page.waitForFunction(
      () =>
        (globalThis as unknown as BrowserGlobals).document.querySelectorAll('.range-table tbody tr')
          .length === 10,
    );
    const shownNames = await visibleColumn(page, 1);
    const shownCpu = await visibleColumn(page, 3);

    let before = await postedCount(page);
    await page.click('.export-csv');
    const csv = await waitForPosted(page, ExportCommand.method, before);
    assert.ok(ExportCommand.is(csv), 'the export message passes its guard');
    assert.equal(csv.params.format, 'csv');
    assert.match(csv.params.fileName, /\.csv$/);
    const [header, ...lines] = csv.params.content.trimEnd().split('\r\n');
    const columns = header!.split(',');
    const cells = lines.map((line) => line.split(','));
    assert.deepEqual(
      cells.map((cell) => cell[columns.indexOf('name')]),
      shownNames,
    );
    assert.deepEqual(
      cells.map((cell) => `${Number(cell[columns.indexOf('cpuAvg')]).toFixed(1)} %`),
      shownCpu,
    );

    before = await postedCount(page);
    await page.click('.export-json');
    const json = await waitForPosted(page, ExportCommand.method, before);
    assert.ok(ExportCommand.is(json));
    const records = JSON.parse(json.params.content) as Array<{ name: string }>;
    assert.deepEqual(
      records.map((record) => record.name),
      shownNames,
    );
    assert.deepEqual(
      json.params.rows.map((row) => row.name),
      shownNames,
    );
  });

  test(`a process named ${HOSTILE_NAME} is shown as text and runs nothing`, async () => {
    const { page, dialogs } = await panelWithData();
    await send(page, AtNotification.create('host-2', { at: atResult(FROM + HOUR / 2) }));
    await page.locator('.at-table').waitFor();
    await page.mouse.move(
      ...(await (async () => {
        const box = await plotBox(page, '.chart-top');
        return [box.x + box.width / 2, box.y + 10] as [number, number];
      })()),
    );
    await page.locator('.chart-top .tooltip').waitFor({ state: 'visible' });
    assert.ok((await page.locator('.chart-top .legend').textContent())!.includes(HOSTILE_NAME));
    assert.ok((await page.locator('.chart-top .tooltip').textContent())!.includes(HOSTILE_NAME));
    assert.ok((await page.locator('.at-table').textContent())!.includes(HOSTILE_NAME));
    assert.equal(await page.locator('img').count(), 0, 'no <img> element was created from a name');
    await page.waitForTimeout(100); // an onerror handler would have fired by now
    assert.deepEqual(dialogs, []);
  });

  test('the process page shows series, lifecycle, children and live details as text', async () => {
    const { page, dialogs } = await panelWithData();
    const before = await postedCount(page);
    await page.locator('.chart-top .legend button', { hasText: HOSTILE_NAME }).click();
    const request = await waitForPosted(page, RequestProcessCommand.method, before);
    assert.ok(RequestProcessCommand.is(request));
    assert.equal(request.params.identity?.pid, 1003);
    await send(page, ProcessPageNotification.create('host-3', processPage(FROM, TO)));
    await page.locator('.process-page .process-name').waitFor();
    assert.equal(await page.locator('.process-name').textContent(), HOSTILE_NAME);
    assert.equal(await page.locator('.process-page .timeline-svg').count(), 3, 'CPU, memory and IO charts');
    assert.equal(await page.locator('.process-page path.series-line').count(), 4);
    assert.equal(await page.locator('.mark-start').count(), 1);
    assert.equal(await page.locator('.mark-exit').count(), 1);
    assert.equal(
      await page.locator('.mark-restart').count(),
      1,
      'same command line after an exit is a restart',
    );
    assert.ok((await page.locator('.children-table').textContent())!.includes(`${HOSTILE_NAME}-child`));
    assert.ok((await page.locator('.live-details').textContent())!.includes('<script>alert(2)</script>.log'));
    assert.ok((await page.locator('.live-details').textContent())!.includes('127.0.0.1:5173'));
    assert.equal(await page.locator('img, script:not([src])').count(), 0);
    assert.ok(await page.locator('.overview').isHidden());
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'process-dark.png'), fullPage: true });

    await page.click('.back-button');
    assert.ok(await page.locator('.overview').isVisible());
    assert.deepEqual(dialogs, []);
  });

  test('a malformed host message is ignored, not drawn', async () => {
    const { page } = await panelWithData();
    const bad = DataNotification.create('host-9', rangeData({ from: FROM, to: TO, stepMs: 60_000, topN: 2 }));
    (bad.params.top[0]!.points[0] as unknown as { ts: string }).ts = 'yesterday';
    await send(page, bad as IpcMessage);
    assert.equal(await page.locator('.chart-top path.series-line').count(), 10, 'still the previous data');
  });

  test('state survives a reload', async () => {
    const { page } = await panelWithData();
    await page.click('[data-preset="24h"]');
    await page.fill('.table-search', 'code');
    await page.reload();
    const request = await waitForPosted(page, RequestRangeCommand.method);
    assert.ok(RequestRangeCommand.is(request));
    assert.equal(request.params.to - request.params.from, 24 * HOUR);
    assert.equal(await page.locator('[data-preset="24h"]').getAttribute('aria-pressed'), 'true');
    await send(
      page,
      DataNotification.create('host-1', rangeData({ from: FROM, to: TO, stepMs: 60_000, topN: 10 })),
    );
    assert.equal(await page.locator('.table-search').inputValue(), 'code');
  });

  test('the HTML the host serves (panelHtml) runs under its CSP with no violation', async () => {
    const page = await browser.newPage();
    opened.push(page);
    await page.addInitScript({ path: path.join(ROOT, 'test/e2e/pages/fakeVscodeApi.js') });
    await page.addInitScript(() => {
      const violations: string[] = [];
      (globalThis as unknown as { __csp: string[] }).__csp = violations;
      (globalThis as unknown as BrowserGlobals).document.addEventListener(
        'securitypolicyviolation',
        (event) => violations.push(`${event.violatedDirective} ${event.blockedURI}`),
      );
    });
    // Scripts in <body> find document.body; the init script above runs before it exists.
    await page.goto(`${server.url}/real.html`);
    await waitForPosted(page, 'panel/ready');
    await send(
      page,
      DataNotification.create('host-1', rangeData({ from: FROM, to: TO, stepMs: 60_000, topN: 10 })),
    );
    await page.waitForSelector('.chart-top path.series-line');
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(csp ?? '', /^default-src 'none'; /);
    assert.deepEqual(await page.evaluate(() => (globalThis as unknown as { __csp: string[] }).__csp), []);
    assert.equal(await page.locator('[onclick], [onerror], [onload]').count(), 0);
  });

  test('screenshots in light and dark', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const theme of ['dark', 'light'] as const) {
      const { page } = await panelWithData({ theme });
      const box = await plotBox(page, '.chart-top');
      await page.mouse.move(box.x + box.width * 0.62, box.y + box.height / 2);
      await page.locator('.chart-top .tooltip').waitFor({ state: 'visible' });
      const file = path.join(SCREENSHOTS, `panel-${theme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      assert.ok(readFileSync(file).length > 10_000, `${file} is a real picture`);
      const background = await page.evaluate(() => {
        const { getComputedStyle, document } = globalThis as unknown as BrowserGlobals;
        return getComputedStyle(document.body).backgroundColor;
      });
      assert.equal(
        background,
        theme === 'dark' ? 'rgb(31, 31, 31)' : 'rgb(255, 255, 255)',
        'the theme variables apply',
      );
    }
  });
});
