// The @vscode/test-electron contract: VS Code loads this module in the extension host and awaits
// run(). It runs every *.test.js beside it with mocha and writes the results to a file, because
// under code-server the launcher has no other way to learn the outcome.
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import {
  PROGRESS_SUFFIX,
  RESULTS_ENV,
  RESULTS_POINTER_FILE,
  SUITE_FILES_ENV,
  SUITE_MODE_ENV,
  type SuiteResults,
  type TestResult,
} from '../results';

export async function run(): Promise<void> {
  // Failure stacks then name test/vscode/suite/*.ts lines instead of the bundle's.
  process.setSourceMapsEnabled(true);
  const target = resultsTarget();
  const started = Date.now();
  const tests: TestResult[] = [];
  const results = (error?: string): SuiteResults => ({
    vscodeVersion: vscode.version,
    resultsPathSource: target.source,
    passes: tests.filter((t) => t.state === 'passed').length,
    failures: tests.filter((t) => t.state === 'failed').length,
    pending: tests.filter((t) => t.state === 'pending').length,
    durationMs: Date.now() - started,
    tests,
    ...(error ? { error } : {}),
  });

  try {
    // *.restricted.test.js run in their own window with Workspace Trust on (run.ts sets SUITE_MODE_ENV).
    const restricted = process.env[SUITE_MODE_ENV] === 'restricted';
    // A developer's shortcut: PROCESS_TRACKER_SUITE_FILES=workbench,alerts runs only those files.
    const only = (process.env[SUITE_FILES_ENV] ?? '').split(',').filter(Boolean);
    const files = readdirSync(__dirname)
      .filter((name) => name.endsWith('.test.js') && name.endsWith('.restricted.test.js') === restricted)
      .filter((name) => !only.length || only.some((part) => name.includes(part)))
      .sort();
    if (files.length === 0) throw new Error(`no *.test.js in ${__dirname}: run node test/vscode/build.mjs`);
    // Generous: the extension host shares 2 cores with code-server, Chromium and other test runs.
    const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false });
    for (const file of files) mocha.addFile(path.join(__dirname, file));

    // After every test and at the start of every test or hook, the partial results go to
    // <results>.progress: the launcher's deadline is on progress, not on the whole run, and when a
    // test hangs it can name the test or hook that was running.
    const progress = (running?: string) =>
      writeAtomically(`${target.path}${PROGRESS_SUFFIX}`, { ...results(), ...(running ? { running } : {}) });
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('test', (test) => progress(test.fullTitle()));
      runner.on('hook', (hook) => progress(hook.fullTitle()));
      runner.on('pass', (test) => {
        tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 });
        progress();
      });
      runner.on('pending', (test) => {
        tests.push({ title: test.fullTitle(), state: 'pending', durationMs: 0 });
        progress();
      });
      runner.on('fail', (test, error: Error) => {
        tests.push({
          title: test.fullTitle(),
          state: 'failed',
          durationMs: test.duration ?? 0,
          error: error?.stack ?? String(error),
        });
        progress();
      });
    });
    writeAtomically(target.path, results());
  } catch (error) {
    writeAtomically(target.path, results((error as Error)?.stack ?? String(error)));
    throw error;
  }
  const final = results();
  if (final.failures > 0) throw new Error(`${final.failures} test(s) failed`);
}

/** $PROCESS_TRACKER_TEST_RESULTS, else the path named by the pointer file in the workspace's root. */
function resultsTarget(): { path: string; source: string } {
  const fromEnv = process.env[RESULTS_ENV];
  if (fromEnv) return { path: fromEnv, source: 'env' };
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file' && folder.uri.scheme !== 'vscode-remote') continue;
    try {
      const pointer = JSON.parse(readFileSync(path.join(folder.uri.path, RESULTS_POINTER_FILE), 'utf8'));
      if (typeof pointer.resultsPath === 'string')
        return { path: pointer.resultsPath, source: 'workspace-file' };
    } catch {
      // not this folder
    }
  }
  throw new Error(
    `no results path: set $${RESULTS_ENV} or put ${RESULTS_POINTER_FILE} in the workspace folder`,
  );
}

/** The launcher polls for the file: it must never see half of it. */
function writeAtomically(file: string, results: SuiteResults): void {
  const partial = `${file}.partial`;
  writeFileSync(partial, JSON.stringify(results, null, 2));
  renameSync(partial, file);
}
