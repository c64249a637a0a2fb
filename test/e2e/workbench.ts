// A VS Code workbench (code-server in headless Chromium) with this repo's extension loaded as the
// development extension, for UI end-to-end tests. Expects dist/ built (npm run build).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { childEnv, xdgHomesUnder } from '../harness/childEnv';
import { REPO_ROOT, startCodeServer, type CodeServer } from '../harness/codeServer';

const AGENT = path.join(REPO_ROOT, 'dist', 'agent.js');
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'test', 'e2e', 'screenshots');

export interface WorkbenchOptions {
  /** Default true; false opens the workspace in restricted mode (Workspace Trust on). */
  disableWorkspaceTrust?: boolean;
  /** Added to code-server's environment, which the extension host (and so the extension) inherits. */
  env?: Record<string, string>;
  /** Called with the fresh workspace folder before the workbench opens it (to add files). */
  prepareWorkspace?: (folder: string) => void;
  /**
   * The development extension's folder; default this repo. Another (e.g. an empty stub) opens the same
   * kind of window without our extension: a benchmark's baseline. null: none, for a window that runs
   * only what `extensionsDir` has installed (a packaged .vsix, as a newcomer has it).
   */
  extensionDevelopmentPath?: string | null;
  /** An extensions folder with extensions installed (default: a fresh empty one). */
  extensionsDir?: string;
  /** User settings for the window (merged over the harness's DEFAULT_USER_SETTINGS). */
  settings?: Record<string, unknown>;
  /** The display language (code-server's `--locale`); needs its language pack in `extensionsDir`. */
  locale?: string;
}

export interface Workbench {
  page: Page;
  server: CodeServer;
  browser: Browser;
  /** The fresh folder the workbench has open; removed by close(). */
  workspace: string;
  /** Saves a full-window PNG as test/e2e/screenshots/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'pt-e2e-'));
  const workspace = path.join(workDir, 'workspace');
  mkdirSync(workspace);
  options.prepareWorkspace?.(workspace);

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    server = await startCodeServer({
      folder: workspace,
      ...(options.disableWorkspaceTrust === undefined
        ? {}
        : { disableWorkspaceTrust: options.disableWorkspaceTrust }),
      ...(options.env ? { env: options.env } : {}),
      ...(options.settings ? { settings: options.settings } : {}),
      ...(options.extensionsDir ? { extensionsDir: options.extensionsDir } : {}),
      ...(options.locale ? { locale: options.locale } : {}),
    });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const extension =
      options.extensionDevelopmentPath === undefined ? REPO_ROOT : options.extensionDevelopmentPath;
    const development = extension && [
      ['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${server.port}${extension}`],
    ];
    const payload = development ? `&payload=${encodeURIComponent(JSON.stringify(development))}` : '';
    await page.goto(`${server.url}?folder=${encodeURIComponent(workspace)}${payload}`);
    // The status bar is among the last parts the workbench lays out.
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    const screenshot = async (name: string) => {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const file = path.join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    };
    return { page, server, browser, workspace, screenshot, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The activity-bar entry of a view container, by its title (VS Code puts the title in aria-label). */
export function activityBarItem(page: Page, title: string) {
  return page.locator(`.part.activitybar .action-item a[aria-label^="${title}"]`);
}

/** Opens the Process Tracker container and waits for its first row (the agent may start first). */
export async function openProcessTrackerSidebar(page: Page): Promise<void> {
  await activityBarItem(page, 'Process Tracker').click();
  await page.locator('.part.sidebar .monaco-list-row').first().waitFor({ state: 'visible', timeout: 60_000 });
}

/** A webview panel's document: VS Code nests it in two iframes (the webview host and its active frame). */
export function panelFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** Runs a command from the palette by its title. */
export async function runCommand(page: Page, title: string): Promise<void> {
  // Right after start the palette may open before the commands are listed: ask again.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').fill(`>${title}`);
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ timeout: 10_000 });
      await row.click();
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/** The environment and data dir of the agent this workbench's extension starts (the harness's XDG homes). */
export function workbenchAgentEnv(workbench: Workbench): { env: NodeJS.ProcessEnv; dataDir: string } {
  const homes = xdgHomesUnder(workbench.server.tempDir);
  return {
    env: childEnv(homes),
    dataDir: path.join(homes.XDG_DATA_HOME, 'process-tracker'),
  };
}

/** Stops the agent this workbench's extension started, if one came up (for runs that keep the server). */
export function stopWorkbenchAgent(workbench: Workbench): void {
  const { env, dataDir } = workbenchAgentEnv(workbench);
  try {
    execFileSync(process.execPath, [AGENT, 'stop', '--data-dir', dataDir], {
      env,
      stdio: 'ignore',
      timeout: 15_000,
    });
  } catch {
    // no agent came up: the caller's own wait has already failed and says so
  }
}

/**
 * Closes the window, then ends the agent it started, by pid. The window goes first: while it is
 * open, its extension would start a new agent after the kill.
 */
export async function closeWorkbenchAndAgent(workbench: Workbench | undefined): Promise<void> {
  const pid = workbench ? workbenchAgentPid(workbench) : undefined;
  await workbench?.close();
  if (!pid) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** The pid of the agent serving this workbench (ask before the workbench closes and its folders go). */
export function workbenchAgentPid(workbench: Workbench): number | undefined {
  const { env, dataDir } = workbenchAgentEnv(workbench);
  try {
    const status = JSON.parse(
      execFileSync(process.execPath, [AGENT, 'status', '--json', '--data-dir', dataDir], {
        env,
        encoding: 'utf8',
      }),
    );
    return status.running && typeof status.pid === 'number' ? status.pid : undefined;
  } catch {
    return undefined;
  }
}
