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
  readResults,
  RESULTS_ENV,
  RESULTS_POINTER_FILE,
  SUITE_FILES_ENV,
  SUITE_MODE_ENV,
  succeeded,
} from './results';

const SUITE_ENTRY = path.join(REPO_ROOT, 'out', 'test', 'vscode', 'suite', 'index.js');
const EXTENSION_BUNDLE = path.join(REPO_ROOT, 'dist', 'extension.js');
const TIMEOUT_MS = Number(process.env.PROCESS_TRACKER_VSCODE_TIMEOUT_MS ?? 300_000);
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
      `${mode} window: code-server ${server.url} (pid ${server.pid}); waiting up to ${TIMEOUT_MS / 1000} s for the suite`,
    );
    await page.goto(url);

    const finished = await waitForFile(resultsFile, server, TIMEOUT_MS);
    if (!finished) {
      await page.screenshot({ path: FAILURE_SCREENSHOT }).catch(() => undefined);
      console.error(
        `FAILED: the suite wrote no results within ${TIMEOUT_MS / 1000} s (screenshot: ${FAILURE_SCREENSHOT})`,
      );
      printDiagnostics(server, browserLog);
      console.log('0 passed, 1 failed');
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

async function waitForFile(file: string, server: CodeServer, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(file)) return true;
    if (!server.alive()) {
      console.error('code-server exited before the suite reported');
      return false;
    }
    await sleep(250);
  }
  return existsSync(file);
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
