// The same extension-host suite through @vscode/test-electron, for machines that can download VS Code
// desktop (a developer laptop, a hosted CI). Not used here: the download comes from outside the package
// registries. Run: `npm run build && node test/vscode/build.mjs && node --import tsx test/vscode/runElectron.ts`.
// $VSCODE_VERSION picks the VS Code build (default: the engines floor in package.json).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests, TestRunFailedError } from '@vscode/test-electron';
import { childEnv, tempXdgHomes } from '../harness/childEnv';
import { REPO_ROOT } from '../harness/codeServer';
import { formatResults, readResults, RESULTS_ENV, RESULTS_POINTER_FILE, succeeded } from './results';

const SUITE_ENTRY = path.join(REPO_ROOT, 'out', 'test', 'vscode', 'suite', 'index.js');

async function main(): Promise<number> {
  if (!existsSync(path.join(REPO_ROOT, 'dist', 'extension.js')))
    throw new Error('dist/extension.js is missing: run `npm run build`');
  if (!existsSync(SUITE_ENTRY))
    throw new Error(`${SUITE_ENTRY} is missing: run \`node test/vscode/build.mjs\``);

  const workDir = mkdtempSync(path.join(os.tmpdir(), 'pt-vscode-electron-'));
  const workspace = path.join(workDir, 'workspace');
  const resultsFile = path.join(workDir, 'results.json');
  mkdirSync(workspace);
  writeFileSync(path.join(workspace, RESULTS_POINTER_FILE), JSON.stringify({ resultsPath: resultsFile }));
  try {
    try {
      await runTests({
        version: process.env.VSCODE_VERSION ?? '1.100.0',
        extensionDevelopmentPath: REPO_ROOT,
        extensionTestsPath: SUITE_ENTRY,
        // test-electron lays this over process.env: undefined removes what childEnv leaves out.
        extensionTestsEnv: {
          ...Object.fromEntries(Object.keys(process.env).map((name) => [name, undefined])),
          ...childEnv({ ...tempXdgHomes(path.join(workDir, 'xdg')), [RESULTS_ENV]: resultsFile }),
        },
        launchArgs: [
          workspace,
          '--disable-extensions',
          '--disable-workspace-trust',
          '--user-data-dir',
          path.join(workDir, 'user-data'),
          '--extensions-dir',
          path.join(workDir, 'extensions'),
        ],
      });
    } catch (error) {
      // A failing suite makes VS Code exit non-zero; the results file says why.
      if (!(error instanceof TestRunFailedError) || !existsSync(resultsFile)) throw error;
    }
    if (!existsSync(resultsFile)) throw new Error('VS Code exited without the suite writing results');
    const results = readResults(resultsFile);
    console.log(formatResults(results));
    return succeeded(results) ? 0 : 1;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
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
