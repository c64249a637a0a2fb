// Numbers a user can trust at a glance (issue 18, the history panel): every figure says what it is
// ("% of one core" vs "% of the machine"), the table has Instances beside Active, a process page
// names read and write, fits or explains an empty range, times read one way per locale with the
// bucket of averages, the top-N legend hides / isolates / highlights, the time before history is
// named, and the moment section closes, pages and goes with its range. The panel's bundle in
// headless Chromium on the test page; the host's messages are fixtures.
// Run: node --import tsx --test test/e2e/panelTrust.test.ts

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { DataParams } from '../../shared/webviewProtocol';
import {
  AtNotification,
  DataNotification,
  ProcessPageNotification,
  RequestAtCommand,
} from '../../shared/webviewProtocol';
import { atResult, processPage, processRow, rangeData } from './panelFixtures';
import {
  buildWebview,
  launchChromium,
  openPanel,
  postedCount,
  send,
  startPanelServer,
  waitForPosted,
  type PanelServer,
} from './panelHarness';

const HOUR = 3_600_000;
const TO = Date.UTC(2026, 10, 24, 15, 0);
const FROM = TO - 6 * HOUR;

let server: PanelServer;
let browser: Browser;
const opened: Page[] = [];
let sent = 0;

before(async () => {
  await buildWebview();
  server = await startPanelServer();
  browser = await launchChromium();
});

after(async () => {
  for (const page of opened) await page.close();
  await browser?.close();
  await server?.close();
});

async function panelWith(patch: Partial<DataParams> = {}): Promise<{ page: Page; data: DataParams }> {
  const { page } = await openPanel(browser, server.url);
  opened.push(page);
  const data = { ...rangeData({ from: FROM, to: TO, stepMs: 60_000, topN: 6 }), cores: 4, ...patch };
  await send(page, DataNotification.create(`host-${++sent}`, data));
  await page.waitForSelector('.chart-top path.series-line');
  return { page, data };
}

async function openProcessPage(page: Page, patch: Record<string, unknown> = {}): Promise<void> {
  await page.locator('.range-table .link-button').first().click();
  await send(page, ProcessPageNotification.create(`host-${++sent}`, { ...processPage(FROM, TO), ...patch }));
  await page.waitForSelector('.process-page .process-name');
}

describe('history panel: figures that say what they are', () => {
  test('the table has Instances beside Active, and CPU columns say "% of one core"', async () => {
    const { page, data } = await panelWith();
    const headers = await page.locator('.range-table thead th').allTextContents();
    const active = headers.findIndex((text) => text.startsWith('Active'));
    assert.ok(active >= 0, 'an Active column');
    assert.match(headers[active + 1] ?? '', /^Instances/, 'Instances right after Active');
    assert.ok(
      headers.some((text) => /^CPU avg.*% of one core$/.test(text)),
      headers.join(' | '),
    );
    const instances = await page
      .locator(`.range-table tbody tr td:nth-child(${active + 2})`)
      .allTextContents();
    const shown = await page.locator('.range-table tbody tr td:first-child').allTextContents();
    for (const [i, name] of shown.entries()) {
      const row = data.rows.find((r) => r.name === name)!;
      assert.equal(instances[i], String(row.instances), `${name}'s instances`);
    }
    assert.match(
      (await page.locator('.sort-button[data-sort="activeSeconds"]').getAttribute('title')) ?? '',
      /Wall-clock/,
    );
  });

  test('axes and tooltips name the unit; stacked CPU draws the cores', async () => {
    const { page, data } = await panelWith();
    assert.equal(await page.locator('.chart-machine-cpu .axis-unit').textContent(), '% of the machine');
    assert.equal(await page.locator('.chart-top .axis-unit').textContent(), '% of one core');
    assert.equal(await page.locator('.chart-machine-mem .axis-unit').textContent(), '');
    const box = (await page.locator('.chart-top .brush .overlay').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.locator('.chart-top .tooltip').waitFor({ state: 'visible' });
    assert.equal(await page.locator('.chart-top .tooltip-unit').textContent(), '% of one core');
    assert.equal(await page.locator('.chart-top .core-limit line').count(), 0, 'no core line on lines');

    await page.selectOption('.chart-mode', 'stacked');
    await send(page, DataNotification.create(`host-${++sent}`, data));
    await page.waitForSelector('.chart-top path.series-area');
    assert.equal(await page.locator('.chart-top .core-limit line').count(), 1);
    assert.equal(await page.locator('.chart-top .core-limit text').textContent(), '4 cores = 400 %');
    // The line sits at 400 on the value axis: the axis reaches it.
    const ticks = await page.locator('.chart-top .axis-y .tick text').allTextContents();
    assert.ok(ticks.includes('400%'), ticks.join(' '));
  });

  test('a process page can draw CPU as % of the machine', async () => {
    const { page } = await panelWith();
    await openProcessPage(page, { cores: 4 });
    const cpuChart = page.locator('.process-page .chart').first();
    assert.equal(await cpuChart.locator('.axis-unit').textContent(), '% of one core');
    const cpu = processPage(FROM, TO).series[0]!;
    const box = (await cpuChart.locator('.brush .overlay').boundingBox())!;
    const point = cpu.points[100]!;
    const x = box.x + ((point.ts - FROM) / (TO - FROM)) * box.width;
    await page.mouse.move(x, box.y + 10);
    assert.equal(await cpuChart.locator('.tooltip-value').textContent(), `${point.value!.toFixed(1)} %`);
    await page.selectOption('.cpu-scale', 'machine');
    await cpuChart.locator('.axis-unit', { hasText: '% of the machine' }).waitFor();
    await page.mouse.move(x + 1, box.y + 10);
    await page.mouse.move(x, box.y + 10);
    assert.equal(
      await cpuChart.locator('.tooltip-value').textContent(),
      `${(point.value! / 4).toFixed(1)} %`,
    );
  });
});

describe('history panel: a process page with something to show', () => {
  test('Disk IO names read and write', async () => {
    const { page } = await panelWith();
    await openProcessPage(page);
    const io = page.locator('.process-page .chart').nth(2);
    assert.deepEqual(await io.locator('.legend .legend-label').allTextContents(), ['read', 'write']);
  });

  test('says when the range was fitted to the process’s life', async () => {
    const { page } = await panelWith();
    await openProcessPage(page, { fitted: true });
    assert.match(
      (await page.locator('.process-page .fitted-note').textContent()) ?? '',
      /^Range fitted to the life of /,
    );
  });

  test('says why when there is nothing to draw', async () => {
    const { page } = await panelWith();
    const empty = processPage(FROM, TO);
    await openProcessPage(page, {
      series: empty.series.map((series) => ({ ...series, points: [] })),
      resolution: { tier: 'hour', stepMs: HOUR, label: '1-hour averages' },
    });
    assert.match(
      (await page.locator('.process-page .empty-note').textContent()) ?? '',
      /^Nothing recorded for .* between .*\(1-hour averages\)\. Pick a shorter range/,
    );
  });
});

describe('history panel: one time format, with the bucket of averages', () => {
  test('axis ticks read the locale’s clock or day, and the tooltip names the bucket', async () => {
    const { page, data } = await panelWith({
      resolution: { tier: 'minute', stepMs: 60_000, label: '1-minute averages' },
    });
    const mismatches = await page.evaluate(() => {
      const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
      const day = new Intl.DateTimeFormat(undefined, { month: '2-digit', day: '2-digit' });
      const wrong: string[] = [];
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): unknown[] } })
        .document;
      for (const node of doc.querySelectorAll('.chart-top .axis-x .tick') as Array<{
        __data__: Date;
        textContent: string;
      }>) {
        const d = node.__data__;
        const want = d.getHours() === 0 && d.getMinutes() === 0 ? day.format(d) : clock.format(d);
        if (node.textContent !== want) wrong.push(`${node.textContent} ≠ ${want}`);
      }
      return wrong;
    });
    assert.deepEqual(mismatches, []);
    const point = data.top[0]!.points[90]!;
    const box = (await page.locator('.chart-top .brush .overlay').boundingBox())!;
    await page.mouse.move(box.x + ((point.ts + 30_000 - FROM) / (TO - FROM)) * box.width, box.y + 5);
    const heading = page.locator('.chart-top .tooltip-time');
    await heading.waitFor({ state: 'visible' });
    assert.equal(await heading.getAttribute('data-ts'), String(point.ts), 'the bucket under the cursor');
    const expected = await page.evaluate(
      ([from, to]) => {
        const date = new Intl.DateTimeFormat(undefined, {
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: 'numeric',
          minute: '2-digit',
        });
        const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
        return `${date.format(from)}–${clock.format(to)}`;
      },
      [point.ts, point.ts + 60_000] as const,
    );
    assert.equal(await heading.textContent(), expected);
  });
});

describe('history panel: a readable top-N chart', () => {
  test('the legend hides, isolates and shows again; hovering an entry highlights its line', async () => {
    const { page, data } = await panelWith();
    const paths = page.locator('.chart-top path.series-line');
    assert.equal(await paths.count(), 6);
    const entries = page.locator('.chart-top .legend li');
    await entries.nth(1).locator('.legend-toggle').click();
    await page.waitForFunction(
      () =>
        (
          globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
        ).document.querySelectorAll('.chart-top path.series-line').length === 5,
    );
    assert.equal(await paths.count(), 5);
    assert.equal(
      await page.locator(`.chart-top path[data-series="${data.top[1]!.key}"]`).count(),
      0,
      'the hidden series is not drawn',
    );
    assert.equal(await entries.nth(1).locator('.legend-toggle').getAttribute('aria-pressed'), 'false');
    // The tooltip leaves the hidden series out.
    const box = (await page.locator('.chart-top .brush .overlay').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const labels = await page.locator('.chart-top .tooltip-label').allTextContents();
    assert.equal(labels.length, 5);
    assert.ok(!labels.includes(data.top[1]!.label));

    await entries.nth(2).locator('.legend-only').click();
    await page.locator('.chart-top .legend li').nth(2).locator('.legend-only', { hasText: 'all' }).waitFor();
    assert.equal(await paths.count(), 1, 'only one series drawn');
    await page.locator('.chart-top .legend li').nth(2).locator('.legend-only').click();
    await page.locator('.chart-top .legend li').nth(2).locator('.legend-only', { hasText: 'only' }).waitFor();
    assert.equal(await paths.count(), 6, 'every series again');

    await page.locator('.chart-top .legend li').nth(3).hover();
    const key = data.top[3]!.key;
    await page.locator(`.chart-top path.highlighted[data-series="${key}"]`).waitFor({ state: 'attached' });
    assert.equal(await page.locator('.chart-top path.dimmed').count(), 5);
  });

  test('hovering near a line highlights it and bolds it in the tooltip', async () => {
    const { page } = await panelWith();
    const box = (await page.locator('.chart-top .brush .overlay').boundingBox())!;
    // Sweep down the plot until some line is under the pointer.
    let found = 0;
    for (let dy = 2; dy < box.height && !found; dy += 3) {
      await page.mouse.move(box.x + box.width / 2, box.y + dy);
      found = await page.locator('.chart-top path.highlighted').count();
    }
    assert.equal(found, 1, 'one line highlighted');
    const key = await page.locator('.chart-top path.highlighted').getAttribute('data-series');
    assert.ok(key);
    assert.equal(await page.locator('.chart-top .tooltip li.current').count(), 1);
  });

  test('the time before history begins is shaded and named', async () => {
    const historyStart = FROM + 2 * HOUR;
    const { page } = await panelWith({ historyStart });
    for (const chart of ['.chart-machine-cpu', '.chart-top']) {
      const rect = page.locator(`${chart} .before-history rect`);
      assert.equal(await rect.count(), 1, `${chart} shades the time before history`);
      const width = Number(await rect.getAttribute('width'));
      const plot = (await page.locator(`${chart} .brush .overlay`).boundingBox())!;
      assert.ok(Math.abs(width - plot.width / 3) < 2, `a third of the plot: ${width} of ${plot.width}`);
      const day = await page.evaluate(
        (ts) => new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' }).format(ts),
        historyStart,
      );
      assert.equal(
        await page.locator(`${chart} .before-history text`).textContent(),
        `history starts ${day}`,
      );
    }
  });
});

describe('history panel: the moment section', () => {
  const manyRows = (ts: number) => ({
    ...atResult(ts),
    rows: Array.from({ length: 40 }, (_, i) => processRow(`proc-${String(i).padStart(2, '0')}`, 3000 + i)),
  });

  async function pickMoment(page: Page): Promise<void> {
    const before = await postedCount(page);
    const box = (await page.locator('.chart-machine-cpu .brush .overlay').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    const request = await waitForPosted(page, RequestAtCommand.method, before);
    assert.ok(RequestAtCommand.is(request));
    await send(page, AtNotification.create(`host-${++sent}`, { at: manyRows(request.params.ts) }));
    await page.locator('.at-section .at-table').waitFor();
  }

  test('pages its rows and closes', async () => {
    const { page } = await panelWith();
    await pickMoment(page);
    const names = () => page.locator('.at-table tbody tr td:first-child').allTextContents();
    assert.equal((await names()).length, 15, 'a page of rows');
    assert.equal((await names())[0], 'proc-00');
    await page.locator('.at-pager .page-next').click();
    await page.locator('.at-table tbody tr td:first-child', { hasText: 'proc-15' }).waitFor();
    assert.match((await page.locator('.at-pager .page-status').textContent()) ?? '', /Page 2 of 3 · 40/);
    await page.locator('.at-close').click();
    await page.locator('.at-section').waitFor({ state: 'hidden' });
  });

  test('goes away when the range changes', async () => {
    const { page } = await panelWith();
    await pickMoment(page);
    await page.locator('.range-bar button.preset[data-preset="24h"]').click();
    await page.locator('.at-section').waitFor({ state: 'hidden' });
  });
});
