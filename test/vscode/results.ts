// The results file the extension-host suite writes and the launchers read: the browser (code-server)
// gives back no exit code, so this file is the only channel from the suite to the launcher.
import { readFileSync } from 'node:fs';

/** The name of the file, in the test workspace's root, that tells the suite where to write results. */
export const RESULTS_POINTER_FILE = '.process-tracker-test.json';
/** The environment variable naming the results file (the extension host inherits code-server's env). */
export const RESULTS_ENV = 'PROCESS_TRACKER_TEST_RESULTS';
/** 'restricted' runs only *.restricted.test.js, in a window with Workspace Trust on; else the rest. */
export const SUITE_MODE_ENV = 'PROCESS_TRACKER_SUITE_MODE';
/** Comma-separated parts of suite file names to run (all when unset): passed through from the launcher. */
export const SUITE_FILES_ENV = 'PROCESS_TRACKER_SUITE_FILES';

/** Beside the results file, the suite keeps its partial results and the test or hook now running. */
export const PROGRESS_SUFFIX = '.progress';

export interface TestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: string;
}

export interface SuiteResults {
  vscodeVersion: string;
  /** How the suite learned the results path: 'env' or 'workspace-file'. */
  resultsPathSource: string;
  passes: number;
  failures: number;
  pending: number;
  durationMs: number;
  tests: TestResult[];
  /** Set when the suite could not run at all (no test files, mocha failed to load, ...). */
  error?: string;
  /** In the progress file only: the test or hook that started last and has not finished. */
  running?: string;
}

export function readResults(file: string): SuiteResults {
  return JSON.parse(readFileSync(file, 'utf8')) as SuiteResults;
}

/** Mocha-like lines for the console, ending with the plain `N passed, N failed` line CI reads. */
export function formatResults(results: SuiteResults): string {
  const lines = [`VS Code ${results.vscodeVersion}: extension-host suite`];
  for (const test of results.tests) {
    const mark = test.state === 'passed' ? '✔' : test.state === 'failed' ? '✘' : '-';
    lines.push(`  ${mark} ${test.title} (${Math.round(test.durationMs)} ms)`);
    if (test.error) lines.push(...test.error.split('\n').map((line) => `      ${line}`));
  }
  if (results.error) lines.push(`suite error: ${results.error}`);
  const skipped = results.pending ? `, ${results.pending} skipped` : '';
  lines.push(`${results.passes} passed, ${results.failures} failed${skipped}`);
  return lines.join('\n');
}

/** A run succeeds when it ran at least one test, none failed and the suite itself did not break. */
export function succeeded(results: SuiteResults): boolean {
  return !results.error && results.failures === 0 && results.passes > 0;
}
