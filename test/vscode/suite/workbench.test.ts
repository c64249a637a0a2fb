// The workbench surfaces as a person reads them (issue 18, points 7–9): the status bar's text,
// tooltip and accessible label agree; the palette's titles, menus and reports say what they are.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ProcessTrackerApi } from '../../../extension/api';
import { connectedApi, EXTENSION_ID, killStarted, stopTestAgent, waitFor } from './helpers';

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

  it('every command in the palette says what it acts on (no bare "CPU", "Name", "None (Flat List)")', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const manifest = extension.packageJSON as {
      contributes: {
        commands: { command: string; title: string }[];
        menus: { commandPalette?: { command: string; when?: string }[] };
      };
    };
    const nls = JSON.parse(
      readFileSync(path.join(extension.extensionPath, 'package.nls.json'), 'utf8'),
    ) as Record<string, string>;
    const hidden = new Set(
      (manifest.contributes.menus.commandPalette ?? [])
        .filter((m) => m.when === 'false')
        .map((m) => m.command),
    );
    const bare = manifest.contributes.commands
      .filter((c) => !hidden.has(c.command))
      .map((c) => ({ command: c.command, title: nls[c.title.replace(/^%|%$/g, '')] ?? c.title }))
      // One word (or a word and a parenthesis) reads as nothing after "Process Tracker: ".
      .filter(
        ({ title }) =>
          title
            .replace(/\(.*\)|…/g, '')
            .trim()
            .split(/\s+/).length < 2 || /^None\b/.test(title),
      );
    assert.deepEqual(bare, [], 'palette titles without context');
  });
});
