// The history panel in a browser (`run --http`) at phone size (390×844): the real agent over 24 h
// of generated history (300 processes), Chromium loading the page with the 24 h preset saved, and
// the time from the navigation's start to the panel's first drawn chart (its `rendered` report,
// in the page's own clock) — the page, both bundles, the dashboard's and the panel's API requests
// and the drawing, all included. Medians of fresh loads (cookie set, bundles not cached: no-store).
//
// Run: node --import tsx bench/browserPanel.bench.ts (after `npm run build`)
import { restoreState } from '../webview/state';
import { launchChromium } from '../test/harness/browser';
import {
  agentWithHistory,
  openBrowserPanel,
  PHONE,
  renderedList,
  waitInPage,
} from '../test/e2e/browserHarness';

export const BROWSER_PANEL_TARGETS: Record<string, number> = { firstChartPhone24hMs: 500 };

const RUNS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export async function runBrowserPanelBench(): Promise<Record<string, number>> {
  const served = await agentWithHistory(24, 300);
  const browser = await launchChromium();
  try {
    const { page, close } = await openBrowserPanel(browser, served.agent.openUrl, {
      viewport: PHONE,
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const state = { ...restoreState(null, Date.now()), preset: '24h' };
    await page.evaluate(
      `localStorage.setItem('process-tracker.panel-state', ${JSON.stringify(JSON.stringify(state))})`,
    );
    const times: number[] = [];
    /** The part after the panel's script ran: its request, the agent's answer, the drawing. */
    const afterReady: number[] = [];
    let points = 0;
    for (let run = 0; run < RUNS; run++) {
      await page.goto(`${served.agent.base}/`);
      await waitInPage(page, '(window.processTrackerRendered ?? []).length > 0');
      const first = (await renderedList(page))[0]!;
      if (first.to - first.from < 23 * 3_600_000) throw new Error('the panel did not draw the 24 h range');
      times.push(first.at);
      afterReady.push(first.sinceReadyMs);
      points = first.points;
    }
    await close();
    return {
      firstChartPhone24hMs: median(times),
      firstChartPhone24hWorstMs: Math.max(...times),
      afterPanelReadyMs: median(afterReady),
      pointsDrawn: points,
    };
  } finally {
    await browser.close();
    await served.remove();
  }
}

if (require.main === module) {
  void runBrowserPanelBench().then((result) => console.log(result));
}
