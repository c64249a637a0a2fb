// `npm test` after typecheck, lint, build and the unit tests: the integration campaigns in a lane
// of their own (test/harness/lanes.ts says why), beside the integration suites, then the
// real-VS-Code suites (code-server), then the Playwright UI tests — those three one after the
// other, stopping at the first that fails, as `&&` would. The campaigns always run to their end.
import { integrationLanes, nodeTest, runLane } from './harness/lanes';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

void (async () => {
  const lanes = integrationLanes();
  const campaigns = runLane('integration campaigns', nodeTest(lanes.campaigns), false);
  const rest = (async () => {
    const steps: [string, string[]][] = [
      ['integration suites', nodeTest(lanes.suites)],
      ['vscode', [npm, 'run', 'test:vscode']],
      ['e2e', [npm, 'run', 'test:e2e']],
    ];
    for (const [name, command] of steps) {
      const code = await runLane(name, command, true);
      if (code !== 0) return code;
    }
    return 0;
  })();
  const codes = await Promise.all([rest, campaigns]);
  process.exit(codes.every((c) => c === 0) ? 0 : 1);
})();
