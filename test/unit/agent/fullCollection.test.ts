// agent/fullCollection.ts: the agent runs without --expose-gc (a shell's `process-tracker run`), yet
// gets a full collection after a burst of history calls; it frees what nothing holds any more.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fullCollection } from '../../../agent/fullCollection';

/** Makes ~30 MB of objects and lets go of them: the heap's size while they were held. */
function heldThenDropped(): number {
  const garbage = Array.from({ length: 300_000 }, (_, i) => ({ i, s: `x${i}` }));
  assert.equal(garbage.length, 300_000);
  return process.memoryUsage().heapUsed;
}

test('a full collection without --expose-gc frees what nothing holds', () => {
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined', 'this test runs without --expose-gc');
  const holding = heldThenDropped();
  assert.equal(fullCollection(), true);
  const after = process.memoryUsage().heapUsed;
  assert.ok(after < holding - 10 * 2 ** 20, `heap used ${holding} -> ${after} bytes`);
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined', 'nothing added to the global scope');
});
