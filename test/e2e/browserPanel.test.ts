// The history panel in a browser (`run --http`), in real Chromium against the real agent on a day
// of generated history: desktop (light) and phone (390×844, dark) sizes, the dashboard and the
// panel's charts drawn from the HTTP API, no CSP violation or page error, no sideways scrolling on
// the phone, a process whose name is markup shown as text, Chinese from `lang`. Saves the two
// screenshots the README shows (docs/browser-desktop.png, docs/browser-phone.png).
// Run: node --import tsx --test test/e2e/browserPanel.test.ts (after `npm run build`)
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { restoreState } from '../../webview/state';
import { launchChromium } from '../harness/browser';
import { requireBuild, waitFor } from '../integration/agentHarness';
import {
  agentWithHistory,
  DESKTOP,
  openBrowserPanel,
  PHONE,
  waitInPage,
  type HistoryAgent,
} from './browserHarness';

const DOCS = path.resolve(__dirname, '..', '..', 'docs');
/** A process name that is markup: it must reach the screen as these characters. */
const MARKUP = `<i>pt${process.pid % 100_000}`;

let served: HistoryAgent;
let browser: Browser;
let burner: ChildProcess | undefined;
const burnerDir = mkdtempSync(path.join(os.tmpdir(), 'pt-browser-burner-'));

before(async () => {
  requireBuild();
  // `yes` under the markup name, so the agent records a process called that.
  const exe = path.join(burnerDir, MARKUP);
  copyFileSync('/usr/bin/yes', exe);
  burner = spawn(exe, [], { stdio: 'ignore' });
  served = await agentWithHistory(24, 120);
  const { base, token } = served.agent;
  // Until the store holds the burner with a CPU figure (its second tick): the range table keeps
  // the busiest 500 names, where a burner with no figure yet may not be.
  await waitFor(async () => {
    const now = Date.now();
    const params = encodeURIComponent(
      JSON.stringify({ from: now - 3_600_000, to: now, filter: { pid: burner!.pid } }),
    );
    const response = await fetch(`${base}/api/processTracker/stats?params=${params}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const { rows } = (await response.json()) as { rows: { cpuSeconds: number }[] };
    return (rows[0]?.cpuSeconds ?? 0) > 0;
  }, 120_000);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (burner?.pid && burner.exitCode === null) process.kill(burner.pid, 'SIGKILL');
  await served?.remove();
  rmSync(burnerDir, { recursive: true, force: true });
});

async function noSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate<{ scrollWidth: number; innerWidth: number }>(
    '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
  );
  assert.ok(scrollWidth <= innerWidth, `the page is ${scrollWidth} px wide in a ${innerWidth} px window`);
}

/** The dashboard's four cards with their figures in, and the panel's charts with points. */
async function drawn(page: Page): Promise<void> {
  await waitInPage(page, "document.querySelectorAll('.dashboard .card-body .note').length === 0");
  assert.equal(await page.locator('.dashboard .card').count(), 4);
  assert.match((await page.locator('.card-now').textContent()) ?? '', /CPU\s*\d+(\.\d)? %/);
  assert.match((await page.locator('.card-today').textContent()) ?? '', /CPU average \d/);
  const points = await page.evaluate<number[]>(
    "[...document.querySelectorAll('.overview svg[data-points]')].map((svg) => Number(svg.getAttribute('data-points')))",
  );
  assert.equal(points.length, 3, 'machine CPU, machine memory, top processes');
  for (const count of points) assert.ok(count > 10, `a chart drew ${count} points`);
}

const background = (page: Page) => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');

describe('the history panel in Chromium, served by run --http', () => {
  test('desktop, light: dashboard, charts, the token gone from the address, markup as text', async () => {
    const { page, problems, close } = await openBrowserPanel(browser, served.agent.openUrl, {
      viewport: DESKTOP,
      colorScheme: 'light',
    });
    try {
      assert.equal(page.url(), `${served.agent.base}/`);
      await drawn(page);
      await noSidewaysScroll(page);
      assert.equal(await background(page), 'rgb(255, 255, 255)');
      await page.screenshot({ path: path.join(DOCS, 'browser-desktop.png') });
      // The burner's own page (the panel's saved state names it, as a reload would restore it):
      // its name and command line on screen as text, no <i> element made of them.
      const state = { ...restoreState(null, Date.now()), view: 'process', process: { name: MARKUP } };
      await page.evaluate(
        `localStorage.setItem('process-tracker.panel-state', ${JSON.stringify(JSON.stringify(state))})`,
      );
      await page.reload();
      await waitInPage(page, "(window.processTrackerRendered ?? []).some((r) => r.view === 'process')");
      const text = (await page.locator('.process-page').textContent()) ?? '';
      assert.ok(text.includes(MARKUP), `the page shows ${MARKUP}: ${text.slice(0, 300)}`);
      assert.equal(await page.locator('.process-page i, .dashboard i').count(), 0);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test('phone 390×844, dark: nothing scrolls sideways, the charts fit, the colours are dark', async () => {
    const { page, problems, close } = await openBrowserPanel(browser, served.agent.openUrl, {
      viewport: PHONE,
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      colorScheme: 'dark',
    });
    try {
      await drawn(page);
      await noSidewaysScroll(page);
      const [r, g, b] = (await background(page)).match(/\d+/g)!.map(Number);
      assert.ok(r! + g! + b! < 150, `a dark background, got rgb(${r}, ${g}, ${b})`);
      const widest = await page.evaluate<number>(
        "Math.max(...[...document.querySelectorAll('svg[data-points]')].map((svg) => svg.getBoundingClientRect().right))",
      );
      assert.ok(widest <= PHONE.width, `a chart ends at ${widest} px`);
      const edge = await page.evaluate<number>(
        "Math.max(...[...document.querySelectorAll('.range-bar *')].map((e) => e.getBoundingClientRect().right))",
      );
      assert.ok(edge <= PHONE.width, `the range bar reaches ${edge} px`);
      await page.screenshot({ path: path.join(DOCS, 'browser-phone.png') });
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });

  test('Chinese from ?lang=zh-cn: the dashboard in Chinese', async () => {
    const { page, problems, close } = await openBrowserPanel(browser, `${served.agent.openUrl}&lang=zh-cn`, {
      viewport: PHONE,
      isMobile: true,
    });
    try {
      assert.equal(await page.evaluate<string>('document.documentElement.lang'), 'zh-CN');
      await waitInPage(
        page,
        "document.querySelector('.card-today')?.textContent?.includes('CPU 平均') === true",
      );
      assert.match((await page.locator('.card-week h2').textContent()) ?? '', /本周/);
      assert.deepEqual(problems, []);
    } finally {
      await close();
    }
  });
});
