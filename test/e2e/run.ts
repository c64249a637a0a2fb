// `npm run test:e2e`: Playwright UI tests against code-server, with node:test as the runner. Checks
// what every test needs once, so a missing install gives one clear failure instead of one per test;
// it fails (never skips) when code-server or Chromium is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { CHROMIUM_PATH } from '../harness/browser';
import { codeServerEntry, REPO_ROOT, SETUP_HINT } from '../harness/codeServer';

const problems = [
  !existsSync(path.join(REPO_ROOT, 'dist', 'extension.js')) &&
    'dist/extension.js is missing: run `npm run build`',
  !existsSync(codeServerEntry()) && `code-server is not installed: ${SETUP_HINT}`,
  !existsSync(CHROMIUM_PATH) && `Chromium is not installed (${CHROMIUM_PATH}): ${SETUP_HINT}`,
].filter((problem): problem is string => typeof problem === 'string');

if (problems.length) {
  for (const problem of problems) console.error(`FAILED: ${problem}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const dir = path.join(REPO_ROOT, 'test', 'e2e');
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.test.ts'))
  .sort()
  .map((name) => path.join(dir, name));
// One workbench at a time: each is code-server plus Chromium, on a 2-core machine.
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files],
  { stdio: 'inherit', cwd: REPO_ROOT },
);
process.exit(result.status ?? 1);
