// Ten agents started at once, twenty times over: exactly one serves, the rest exit 0 naming it.
// Every other round starts with a stale socket left by an agent killed with -9.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { connectToAgent } from '../../client/connection';
import { StopRequest } from '../../shared/protocol';
import {
  bundleFixtureAgent,
  removeDir,
  spawnAgent,
  stopChild,
  tempDir,
  type AgentChild,
} from '../fixtures/service/harness';

const ROUNDS = 20;
const STARTERS = 10;
const dir = tempDir('starters');
let script = '';
const started: AgentChild[] = [];

before(async () => {
  script = await bundleFixtureAgent(dir);
});
after(async () => {
  for (const agent of started) await stopChild(agent);
  removeDir(dir);
});

test(`${STARTERS} concurrent starters, ${ROUNDS} rounds: exactly one serves`, async () => {
  const env = {
    PT_DATA_DIR: path.join(dir, 'data'),
    PT_SOCKET: path.join(dir, 'run', 'agent.sock'),
    PT_NO_SAMPLING: '1',
  };
  for (let round = 0; round < ROUNDS; round++) {
    const agents = Array.from({ length: STARTERS }, () => spawnAgent(script, env));
    started.push(...agents);
    const outcomes = await Promise.all(agents.map((agent) => agent.announced));
    const serving = outcomes.filter((o) => o.serving);
    assert.equal(serving.length, 1, `round ${round}: ${JSON.stringify(outcomes)}`);
    const winner = serving[0]!.serving.pid as number;
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.serving) continue;
      assert.equal(outcome.alreadyServing?.pid, winner, `round ${round}: starter ${i} names another agent`);
      assert.equal(await agents[i]!.exited, 0);
    }
    const winnerChild = agents.find((a) => a.child.pid === winner)!;
    if (round % 2 === 0) {
      // Leave a stale socket behind for the next round.
      winnerChild.child.kill('SIGKILL');
      await winnerChild.exited;
    } else {
      const client = await connectToAgent({ socketPath: env.PT_SOCKET });
      assert.equal(client?.agent.pid, winner);
      await client!.request(StopRequest.type, {});
      await client!.close();
      assert.equal(await winnerChild.exited, 0);
    }
  }
});
