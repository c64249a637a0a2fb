// `npm test` after typecheck, lint, build and the unit tests: two lanes side by side, each a
// sequence that stops at its first failure, as `&&` would.
// - The integration suites, then the real-VS-Code suites (code-server): printed as they run.
// - The crash and start-up campaigns (test/harness/lanes.ts says why they are apart), then the
//   Playwright UI tests: printed whole as each step ends.
// One after the other these took ~24 minutes of CI's 20 (2026-12-07); the campaigns mostly wait for
// kill moments and the UI suites mostly wait for a workbench, so the two lanes share 2 cores well.
// Each suite waits for states, never for fixed sleeps, so both lanes hold on a loaded machine.
import { integrationLanes, nodeTest, runSteps } from './harness/lanes';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

void (async () => {
  const lanes = integrationLanes();
  const codes = await Promise.all([
    runSteps(
      [
        ['integration suites', nodeTest(lanes.suites)],
        ['vscode', [npm, 'run', 'test:vscode']],
      ],
      true,
    ),
    runSteps(
      [
        ['integration campaigns', nodeTest(lanes.campaigns)],
        ['e2e', [npm, 'run', 'test:e2e']],
      ],
      false,
    ),
  ]);
  process.exit(codes.every((c) => c === 0) ? 0 : 1);
})();
