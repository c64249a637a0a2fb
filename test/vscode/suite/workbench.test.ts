// The workbench surfaces as a person reads them (issue 18, points 7–9): the status bar's text,
// tooltip and accessible label agree; the palette's titles, menus and reports say what they are.
import assert from 'node:assert/strict';
import type { ProcessTrackerApi } from '../../../extension/api';
import { connectedApi, killStarted, stopTestAgent, waitFor } from './helpers';

describe('the workbench surfaces, as a person reads them', () => {
  let pt: ProcessTrackerApi;

  before(async () => {
    pt = await connectedApi();
  });

  after(async () => {
    killStarted();
    if (pt) await stopTestAgent(pt);
  });

  it("the status bar's text, tooltip and accessible label show the same sample", async function () {
    this.timeout(90_000);
    // Several ticks in a row: the tooltip must never lag the text (it used to be re-read on its own timer).
    let checked = 0;
    await waitFor(
      'five ticks whose status bar text and tooltip agree',
      () => {
        const { text, tooltip, accessibilityLabel } = pt.statusBar();
        const figures = /CPU (\d+|–)%? · Mem ([\d.]+)\/([\d.]+ GiB)/.exec(text);
        if (!figures || !tooltip.includes('Top by CPU')) throw new Error(`not ready: "${text}"`);
        const [, cpu, used, total] = figures;
        const machineLine = tooltip.split('\n')[0]!;
        assert.ok(
          machineLine.includes(`Machine CPU ${cpu}%`) && machineLine.includes(`Memory ${used} of ${total}`),
          `the text says "${text}" but the tooltip says "${machineLine}"`,
        );
        // A sentence for a screen reader: no icon syntax, no markdown, the same figures.
        assert.doesNotMatch(accessibilityLabel, /\$\(|\*\*|\|/, accessibilityLabel);
        assert.match(accessibilityLabel, new RegExp(`CPU ${cpu} percent, memory ${used} of ${total} used`));
        checked++;
        return checked >= 5 ? true : undefined;
      },
      75_000,
    );
  });
});
