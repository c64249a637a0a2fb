// Zooming the history panel's charts again and again: a redraw updates each chart in place (its
// brush, legend and axes stay), so the brush, the keyboard, the hover and the legend must all act
// on the latest range and data, not on the first draw's.
// Run: node --import tsx --test test/e2e/panelZoom.test.ts

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  DataNotification,
  RequestProcessCommand,
  RequestRangeCommand,
  type IpcMessage,
  type RequestRangeParams,
} from '../../shared/webviewProtocol';
import { formatPercent } from '../../webview/format';
import { rangeData } from './panelFixtures';
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

async function panelWithData(): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await openPanel(browser, server.url);
  opened.push(page);
  await send(
    page,
    DataNotification.create('host-1', rangeData({ from: FROM, to: TO, stepMs: 60_000, topN: 10 })),
  );
  await page.waitForSelector('.chart-top path.series-line');
  return { page, errors };
}

const RangeMethod = RequestRangeCommand.method;

type Box = { x: number; y: number; width: number; height: number };

async function plotBox(page: Page): Promise<Box> {
  const box = await page.locator('.chart-top .brush .overlay').boundingBox();
  assert.ok(box, 'the top chart has a brush overlay');
  return box;
}

function rangeRequest(message: IpcMessage): RequestRangeParams {
  assert.ok(RequestRangeCommand.is(message), `${message.method} is requestRange`);
  return message.params;
}

/** Drags the brush over [start, end] (fractions of the plot's width); returns the request it posts. */
async function brush(page: Page, start: number, end: number): Promise<RequestRangeParams> {
  const box = await plotBox(page);
  const y = box.y + box.height / 2;
  const before = await postedCount(page);
  await page.mouse.move(box.x + start * box.width, y);
  await page.mouse.down();
  await page.mouse.move(box.x + ((start + end) / 2) * box.width, y, { steps: 4 });
  await page.mouse.move(box.x + end * box.width, y, { steps: 4 });
  await page.mouse.up();
  return rangeRequest(await waitForPosted(page, RangeMethod, before));
}

function assertNear(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} ≈ ${expected} (± ${tolerance})`);
}

/** Every x of the top chart's paths, in the plot's own coordinates. */
async function pathXs(page: Page): Promise<number[]> {
  const ds = await page
    .locator('.chart-top path.series-line')
    .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('d') ?? ''));
  return ds.flatMap((d) => [...d.matchAll(/[ML]([-\d.]+),/g)].map((match) => Number(match[1])));
}

describe('history panel zoom in Chromium', () => {
  test('a second brush zooms within the first zoom, on the redrawn scale', async () => {
    const { page, errors } = await panelWithData();
    const box = await plotBox(page);
    const first = await brush(page, 0.25, 0.75);
    const span = TO - FROM;
    const pixel = span / box.width;
    assertNear(first.from, FROM + span / 4, 2 * pixel, 'first zoom from');
    assertNear(first.to, FROM + (3 * span) / 4, 2 * pixel, 'first zoom to');

    // The chart is redrawn for the first zoom before any finer data: the second brush's pixels
    // mean times in the zoomed range, not in the six hours first drawn.
    const second = await brush(page, 0.5, 1);
    const zoomedSpan = first.to - first.from;
    const zoomedPixel = zoomedSpan / box.width;
    assertNear(second.from, first.from + zoomedSpan / 2, 2 * zoomedPixel, 'second zoom from');
    assertNear(second.to, first.to, 2 * zoomedPixel, 'second zoom to');
    assert.equal(second.live, false);

    // Only the points inside the zoomed range are drawn: none left of or beyond the plot.
    const xs = await pathXs(page);
    assert.ok(xs.length > 0, 'the zoomed chart has points');
    assert.ok(
      xs.every((x) => x >= -0.5 && x <= box.width + 0.5),
      `every x within the plot's ${box.width} px: ${Math.min(...xs)}..${Math.max(...xs)}`,
    );
    assert.equal(await page.locator('.chart-top path.series-line').count(), 10);
    assert.equal(await page.locator('.chart-top .brush').count(), 1, 'one brush, not one per draw');
    assert.deepEqual(errors, []);
  });

  test('+ zooms around the centre and the chart keeps the focus for the next key', async () => {
    const { page } = await panelWithData();
    await page.locator('.chart-top svg.timeline-svg').focus();
    let before = await postedCount(page);
    await page.keyboard.press('+');
    const first = rangeRequest(await waitForPosted(page, RangeMethod, before));
    const span = TO - FROM;
    assertNear(first.from, FROM + span / 4, 1, 'first + from');
    assertNear(first.to, FROM + (3 * span) / 4, 1, 'first + to');
    assert.match(
      (await page.locator('.chart-top svg.timeline-svg > title').textContent()) ?? '',
      / to /,
      'redrawn for the zoomed range at once',
    );

    before = await postedCount(page);
    await page.keyboard.press('+');
    const second = rangeRequest(await waitForPosted(page, RangeMethod, before));
    assertNear(second.to - second.from, span / 4, 1, 'the second + halves the zoomed span');
    assertNear((second.from + second.to) / 2, (first.from + first.to) / 2, 1, 'around the same centre');
  });

  test('after the finer data comes, hover shows its values and the legend opens a process', async () => {
    const { page } = await panelWithData();
    const zoom = await brush(page, 0.25, 0.75);
    // The host answers the zoom with 10-second points, with values unlike the first range's.
    const finer = rangeData({ from: zoom.from, to: zoom.to, stepMs: 10_000, topN: 10, seed: 7 });
    await send(page, DataNotification.create('host-2', finer));
    await page.waitForFunction(
      (count) =>
        (
          globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
        ).document.querySelectorAll('.chart-top path.series-line').length === count,
      finer.top.length,
    );
    const box = await plotBox(page);
    const point = finer.top[0]!.points[Math.floor(finer.top[0]!.points.length / 3)]!;
    const x = box.x + ((point.ts - zoom.from) / (zoom.to - zoom.from)) * box.width;
    await page.mouse.move(x, box.y + box.height / 2);
    const tooltip = page.locator('.chart-top .tooltip');
    await tooltip.waitFor({ state: 'visible' });
    const labels = await tooltip.locator('.tooltip-label').allTextContents();
    assert.deepEqual([...labels].sort(), finer.top.map((series) => series.label).sort());
    // The tooltip's moment is the cursor's point (its bucket's start for averages), and series 0's
    // value is its finer point at that time: not the six-hour range's minute points drawn before.
    const shownTime = (await tooltip.locator('.tooltip-time').textContent()) ?? '';
    const shownTs = Number(await tooltip.locator('.tooltip-time').getAttribute('data-ts'));
    const pixel = (zoom.to - zoom.from) / box.width;
    assertNear(shownTs, point.ts, 2 * pixel + 1000, `the tooltip's time ${shownTime}`);
    const bracketing = finer.top[0]!.points.filter((p) => Math.abs(p.ts - shownTs) <= 10_000);
    const shownValue =
      (await tooltip
        .locator('li', { has: page.locator('.tooltip-label', { hasText: finer.top[0]!.label }) })
        .first()
        .locator('.tooltip-value')
        .textContent()) ?? '';
    assert.ok(
      bracketing.some((p) => formatPercent(p.value) === shownValue),
      `${shownValue} is one of ${bracketing.map((p) => formatPercent(p.value)).join(', ')}`,
    );

    const before = await postedCount(page);
    await page.locator('.chart-top .legend .legend-label.link-button').first().click();
    const request = await waitForPosted(page, RequestProcessCommand.method, before);
    assert.ok(RequestProcessCommand.is(request));
    assert.equal(request.params.name, finer.top[0]!.label);
  });
});
