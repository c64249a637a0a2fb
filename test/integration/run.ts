// `npm run test:integration`: every suite in test/integration, the campaigns in a lane of their own
// beside the rest (test/harness/lanes.ts says why).
import { integrationLanes, nodeTest, runLane } from '../harness/lanes';

void (async () => {
  const lanes = integrationLanes();
  const codes = await Promise.all([
    runLane('integration suites', nodeTest(lanes.suites), true),
    runLane('integration campaigns', nodeTest(lanes.campaigns), false),
  ]);
  process.exit(codes.every((c) => c === 0) ? 0 : 1);
})();
