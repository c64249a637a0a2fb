// A tree view takes its rows from the tick when the agent pushed them for its current shape, and
// asks ProcessesRequest only when it did not (extension/tree/pushedView.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pushedView } from '../../../extension/tree/pushedView';
import type { PushedTick } from '../../../extension/subscription';
import type { ProcessesRequest, SubscribedView } from '../../../shared/protocol';

const machine = {
  ts: 1,
  cpu: 1,
  cores: 2,
  memUsed: 1,
  memTotal: 2,
  swapUsed: 0,
  swapTotal: 0,
  load1: 0,
  load5: 0,
  load15: 0,
  processCount: 0,
};
const tree: ProcessesRequest.Result = { ts: 1, grouping: 'tree', roots: [] };
const window: SubscribedView = { id: 'thisWindow', grouping: 'tree', sort: 'cpu', roots: [10, 20] };

function tick(subscribed: SubscribedView[] | undefined, pushed: boolean): PushedTick {
  return {
    ts: 1,
    machine,
    top: [],
    processCount: 0,
    ...(pushed && subscribed ? { views: subscribed.map(({ id }) => ({ id, processes: tree })) } : {}),
    demand: { top: 1, sort: 'cpu', ...(subscribed ? { views: subscribed } : {}) },
  };
}

describe('pushed view rows', () => {
  test('a tick computed for the view carries its rows: no request', () => {
    assert.equal(pushedView(tick([{ id: 'processes', grouping: 'category' }, window], true), window), tree);
  });

  test('a tick of an earlier shape (other roots, other grouping) is not used', () => {
    assert.equal(pushedView(tick([{ ...window, roots: [10] }], true), window), undefined);
    assert.equal(pushedView(tick([{ ...window, grouping: 'flat' }], true), window), undefined);
    assert.equal(pushedView(tick(undefined, false), window), undefined);
  });

  test('an agent from before subscribed views pushes none: the view asks', () => {
    assert.equal(pushedView(tick([window], false), window), undefined);
  });
});
