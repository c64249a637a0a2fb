// The packaged extension as a newcomer gets it: `npm run package` (in a copy of the sources, so the
// repo's dist/ stays as other runs expect it) builds a .vsix under 5 MB; code-server installs it
// into a fresh extensions folder; the workbench, opened without any development path, shows the
// Process Tracker container with a live row and the status bar with real CPU and memory figures.
// Timings are printed (and written to test/.tmp/vsix-timings.json), never asserted.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { REPO_ROOT, startCodeServer, type CodeServer } from '../harness/codeServer';
import { installVsix, packagedDist, packageVsix } from './vsixPackage';
import { activityBarItem, SCREENSHOT_DIR } from './workbench';

const MAX_VSIX_BYTES = 5 * 1024 * 1024;

describe('the packaged .vsix', () => {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'pt-vsix-'));
  const vsix = path.join(workDir, 'process-tracker.vsix');
  const extensionsDir = path.join(workDir, 'extensions');
  const workspace = path.join(workDir, 'workspace');
  const timings: Record<string, number> = {};
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let sleeper: ChildProcess | undefined;

  before(() => {
    mkdirSync(extensionsDir);
    mkdirSync(workspace);
  });

  after(async () => {
    if (sleeper?.pid && sleeper.exitCode === null) process.kill(sleeper.pid, 'SIGKILL');
    await browser?.close().catch(() => undefined);
    // stop() also ends the agent the extension started (it carries the server's temp dir in its env).
    await server?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  test('npm run package builds a .vsix under 5 MB holding only what runs', { timeout: 300_000 }, () => {
    const started = performance.now();
    assert.equal(packageVsix(workDir), vsix);
    timings.packageMs = Math.round(performance.now() - started);
    const size = statSync(vsix).size;
    timings.vsixBytes = size;
    assert.ok(size < MAX_VSIX_BYTES, `the .vsix is ${size} bytes`);
    const listing = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).split('\n').filter(Boolean);
    // Every file the build wrote for this package runs somewhere (the history worker is forked from
    // its own bundle): none may be left out by .vscodeignore.
    const dist = packagedDist(workDir);
    const built = readdirSync(dist, { recursive: true, encoding: 'utf8' })
      .filter((f) => !f.endsWith('.map') && statSync(path.join(dist, f)).isFile())
      .map((f) => `extension/dist/${f.split(path.sep).join('/')}`);
    for (const needed of [
      'extension/dist/extension.js',
      'extension/dist/agent.js',
      // The history worker process's entry: without it every query over the past fails.
      'extension/dist/history-worker.js',
      'extension/dist/sql-wasm.wasm',
      ...built,
    ])
      assert.ok(listing.includes(needed), `${needed} is not in the .vsix`);
    const strays = listing.filter(
      (f) => /^extension\/(agent|client|extension|shared|test|node_modules)\//.test(f) || f.endsWith('.map'),
    );
    assert.deepEqual(strays, [], 'sources, tests or source maps in the .vsix');
  });

  test('code-server installs it into a fresh extensions folder', { timeout: 120_000 }, () => {
    assert.ok(existsSync(vsix), 'no .vsix: the packaging test failed');
    const installed = installVsix(vsix, extensionsDir, workDir);
    assert.equal(installed.length, 1, readdirSync(extensionsDir).join(', '));
    assert.ok(existsSync(path.join(extensionsDir, installed[0]!, 'dist', 'agent.js')));
  });

  test(
    'the workbench shows a live row in the Process Tracker container and CPU / memory in the status bar',
    { timeout: 240_000 },
    async () => {
      assert.ok(readdirSync(extensionsDir).length > 0, 'nothing installed: the install test failed');
      const marker = `600.${Math.floor(Math.random() * 1e6)}`;
      sleeper = spawn('sleep', [marker], { stdio: 'ignore' });
      server = await startCodeServer({ folder: workspace, extensionsDir });
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const opened = performance.now();
      await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
      timings.workbenchMs = Math.round(performance.now() - opened);

      const status = page.locator('.part.statusbar .statusbar-item', {
        hasText: /CPU \d+% · Mem [\d.]+\/[\d.]+ GiB/,
      });
      await status.first().waitFor({ state: 'visible', timeout: 60_000 });
      timings.statusBarFiguresMs = Math.round(performance.now() - opened);

      await activityBarItem(page, 'Process Tracker').click();
      const rows = page.locator('.part.sidebar .pane', { hasText: 'Processes' }).locator('.monaco-list-row');
      const liveRow = page.locator('.part.sidebar .monaco-list-row', { hasText: /\d+(\.\d)?% · / });
      await liveRow.first().waitFor({ state: 'visible', timeout: 60_000 });
      timings.liveRowMs = Math.round(performance.now() - opened);
      assert.ok((await rows.count()) > 0);
      assert.match((await status.first().textContent()) ?? '', /CPU \d+% · Mem/);

      // The README's picture: live rows, the Alerts view, the status bar and the top-processes pick.
      await page.locator('.part.statusbar .statusbar-item', { hasText: /CPU/ }).first().click();
      await page
        .locator('.quick-input-widget .monaco-list-row')
        .first()
        .waitFor({ state: 'visible', timeout: 30_000 });
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'vsix-top-processes.png') });
      await page.keyboard.press('Escape');

      const out = path.join(REPO_ROOT, 'test', '.tmp', 'vsix-timings.json');
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, `${JSON.stringify(timings, null, 2)}\n`);
      console.log(`vsix: ${JSON.stringify(timings)}`);
    },
  );
});
