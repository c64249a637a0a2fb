// `npm run test:vscode`: runs the extension-host suite inside code-server (VS Code OSS) driven by
// headless Chromium. Builds nothing: expects dist/ (npm run build) and out/test/vscode (build.mjs).
// The browser gives back no exit code, so the suite writes a results file that this waits for.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { REPO_ROOT, sleep, startCodeServer, type CodeServer } from '../harness/codeServer';
import {
  formatResults,
  PROGRESS_SUFFIX,
  readResults,
  RESULTS_ENV,
  RESULTS_POINTER_FILE,
  SUITE_FILES_ENV,
  SUITE_MODE_ENV,
  succeeded,
  type SuiteResults,
} from './results';

const SUITE_ENTRY = path.join(REPO_ROOT, 'out', 'test', 'vscode', 'suite', 'index.js');
const EXTENSION_BUNDLE = path.join(REPO_ROOT, 'dist', 'extension.js');
// The deadline is on progress: a window in which no test or hook started or ended. It is longer than
// the longest test's own mocha timeout (180 s), so a slow test fails in mocha with its own message and
// only a hang (the extension host stuck, the suite never loaded) reaches it. A loaded 2-core CI machine
// runs the whole trusted window in 4–6 minutes; the overall cap only stops a suite that keeps moving
// forever.
const IDLE_TIMEOUT_MS = Number(process.env.PROCESS_TRACKER_VSCODE_TIMEOUT_MS ?? 240_000);
const OVERALL_TIMEOUT_MS = 20 * 60_000;
const FAILURE_SCREENSHOT = path.join(REPO_ROOT, 'test', '.tmp', 'vscode-suite-failure.png');

async function main(): Promise<number> {
  // Two windows: the trusted one runs most tests; one with Workspace Trust on runs *.restricted.test.js.
  const trusted = await runSuite('trusted');
  // PROCESS_TRACKER_SUITE_FILES without "restricted" in it asks for trusted-window files only.
  const only = process.env[SUITE_FILES_ENV];
  if (only && !only.includes('restricted')) return trusted;
  const restricted = await runSuite('restricted');
  return Math.max(trusted, restricted);
}

async function runSuite(mode: 'trusted' | 'restricted'): Promise<number> {
  if (!existsSync(EXTENSION_BUNDLE))
    throw new Error(`${EXTENSION_BUNDLE} is missing: run \`npm run build\` first`);
  if (!existsSync(SUITE_ENTRY))
    throw new Error(`${SUITE_ENTRY} is missing: run \`node test/vscode/build.mjs\` first`);

  const workDir = mkdtempSync(path.join(os.tmpdir(), 'pt-vscode-suite-'));
  const workspace = path.join(workDir, 'workspace');
  const resultsFile = path.join(workDir, 'results.json');
  mkdirSync(workspace);
  // Belt and braces: the extension host inherits code-server's environment, but the pointer file works
  // even where it does not.
  writeFileSync(path.join(workspace, RESULTS_POINTER_FILE), JSON.stringify({ resultsPath: resultsFile }));

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const browserLog: string[] = [];
  try {
    server = await startCodeServer({
      folder: workspace,
      disableWorkspaceTrust: mode === 'trusted',
      env: {
        [RESULTS_ENV]: resultsFile,
        [SUITE_MODE_ENV]: mode,
        [SUITE_FILES_ENV]: process.env[SUITE_FILES_ENV] ?? '',
      },
    });
    browser = await launchChromium();
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') browserLog.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => browserLog.push(`page error: ${error.message}`));

    const remote = (file: string) => `vscode-remote://127.0.0.1:${server!.port}${file}`;
    const payload = [
      ['extensionDevelopmentPath', remote(REPO_ROOT)],
      ['extensionTestsPath', remote(SUITE_ENTRY)],
    ];
    const url = `${server.url}?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    console.log(
      `${mode} window: code-server ${server.url} (pid ${server.pid}); waiting for the suite (fails after ${IDLE_TIMEOUT_MS / 1000} s with no test started or ended)`,
    );
    await page.goto(url);

    const stalled = await waitForResults(resultsFile, server);
    if (stalled) {
      await page.screenshot({ path: FAILURE_SCREENSHOT }).catch(() => undefined);
      console.error(`FAILED: ${stalled} (screenshot: ${FAILURE_SCREENSHOT})`);
      const partial = readProgress(resultsFile);
      if (partial) {
        console.log(formatResults(partial));
        if (partial.running) console.error(`still running when the suite stalled: ${partial.running}`);
      }
      printDiagnostics(server, browserLog);
      console.log(`${partial?.passes ?? 0} passed, ${(partial?.failures ?? 0) + 1} failed`);
      return 1;
    }
    const results = readResults(resultsFile);
    console.log(`results path passed via: ${results.resultsPathSource}`);
    console.log(formatResults(results));
    if (!succeeded(results)) {
      if (results.passes + results.failures === 0) printDiagnostics(server, browserLog);
      return 1;
    }
    return 0;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Waits for the results file; says why not when the suite stalled, code-server died or the cap passed. */
async function waitForResults(file: string, server: CodeServer): Promise<string | undefined> {
  const started = Date.now();
  let lastProgress = started;
  let lastChange = 0;
  for (;;) {
    if (existsSync(file)) return undefined;
    if (!server.alive()) return 'code-server exited before the suite reported';
    const changed = progressChangedAt(file);
    if (changed > lastChange) {
      lastChange = changed;
      lastProgress = Date.now();
    }
    if (Date.now() - lastProgress > IDLE_TIMEOUT_MS)
      return `no test started or ended for ${IDLE_TIMEOUT_MS / 1000} s`;
    if (Date.now() - started > OVERALL_TIMEOUT_MS)
      return `the suite was still running after ${OVERALL_TIMEOUT_MS / 60_000} minutes`;
    await sleep(250);
  }
}

function progressChangedAt(resultsFile: string): number {
  try {
    return statSync(`${resultsFile}${PROGRESS_SUFFIX}`).mtimeMs;
  } catch {
    return 0;
  }
}

function readProgress(resultsFile: string): SuiteResults | undefined {
  try {
    return readResults(`${resultsFile}${PROGRESS_SUFFIX}`);
  } catch {
    return undefined;
  }
}

/** What helps when the suite never reported: code-server's output, the extension host's log, the page's errors. */
function printDiagnostics(server: CodeServer, browserLog: string[]): void {
  const tail = (text: string, lines: number) => text.split('\n').slice(-lines).join('\n');
  console.error(`--- code-server output (tail) ---\n${tail(server.output(), 40)}`);
  for (const log of findFiles(path.join(server.userDataDir, 'logs'), /exthost.*\.log$/)) {
    console.error(
      `--- ${path.relative(server.userDataDir, log)} (tail) ---\n${tail(readFileSync(log, 'utf8'), 60)}`,
    );
  }
  if (browserLog.length) console.error(`--- browser errors ---\n${browserLog.slice(-20).join('\n')}`);
}

function findFiles(dir: string, pattern: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return findFiles(full, pattern);
    return pattern.test(name) ? [full] : [];
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(`FAILED: ${error.message}`);
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
  },
);
