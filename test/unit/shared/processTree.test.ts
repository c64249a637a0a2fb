// subtreeRows: the processes under given pids, as the agent answers a `roots` request.
// withoutOwnedDescendants: a subtree another owner shows is cut out, and the family totals with it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildTree } from '../../../agent/service/tickRows';
import type { ProcessRow } from '../../../shared/model';
import { subtreeRows, withoutOwnedDescendants } from '../../../shared/processTree';
import type { ProcessTreeNode } from '../../../shared/protocol';
import { proc } from '../../fixtures/store/ticks';

/** A node whose family totals are its own figures plus its children's, as the agent computes them. */
function node(row: ProcessRow, children: ProcessTreeNode[] = []): ProcessTreeNode {
  const family = { cpu: row.cpu ?? 0, rss: row.rss ?? 0, readBps: 0, writeBps: 0, count: 1 };
  for (const c of children) {
    family.cpu += c.family.cpu;
    family.rss += c.family.rss;
    family.count += c.family.count;
  }
  return { row, family, children };
}

// Extension host 10 → js-debug 11 → debuggee 12 → sleep 13; and an unrelated helper 14.
const sleep = node(proc(13, 0, 'sleep', { cpu: 1, rss: 1000 }));
const debuggee = node(proc(12, 0, 'node', { cpu: 20, rss: 50_000 }), [sleep]);
const jsDebug = node(proc(11, 0, 'js-debug', { cpu: 3, rss: 7000 }), [debuggee]);
const helper = node(proc(14, 0, 'helper', { cpu: 5, rss: 3000 }));
const host = node(proc(10, 0, 'extension-host', { cpu: 10, rss: 100_000 }), [jsDebug, helper]);

test('an owned subtree deep inside is cut out, with its totals', () => {
  const cut = withoutOwnedDescendants(host, new Set([12]));
  assert.deepEqual(
    cut.children.map((c) => [c.row.pid, c.children.map((g) => g.row.pid)]),
    [
      [11, []],
      [14, []],
    ],
  );
  assert.equal(cut.family.count, 3);
  assert.equal(cut.family.cpu, 10 + 3 + 5);
  assert.equal(cut.family.rss, 100_000 + 7000 + 3000);
  assert.equal(cut.children[0]!.family.count, 1);
});

test('nothing owned below: the very same node comes back', () => {
  assert.equal(withoutOwnedDescendants(host, new Set([99])), host);
  // The node's own pid is not a descendant: owners are matched below it only.
  assert.equal(withoutOwnedDescendants(host, new Set([10])), host);
});

test('totals never go below the process itself', () => {
  const skewed: ProcessTreeNode = { ...host, family: { ...host.family, cpu: 1, count: 2 } };
  const cut = withoutOwnedDescendants(skewed, new Set([11, 14]));
  assert.equal(cut.children.length, 0);
  assert.equal(cut.family.cpu, 0);
  assert.equal(cut.family.count, 1);
});

describe('subtreeRows', () => {
  // init 1 → bash 10 → (node 11 → worker 15, vim 12); init 1 → sshd 20 → bash 21; kthreadd 2 (ppid 0).
  const rows = [
    proc(1, 0, 'init', { ppid: 0 }),
    proc(2, 0, 'kthreadd', { ppid: 0 }),
    proc(10, 0, 'bash', { ppid: 1 }),
    proc(11, 0, 'node', { ppid: 10 }),
    proc(12, 0, 'vim', { ppid: 10 }),
    proc(15, 0, 'worker', { ppid: 11 }),
    proc(20, 0, 'sshd', { ppid: 1 }),
    proc(21, 0, 'bash', { ppid: 20 }),
  ];
  const pids = (list: readonly ProcessRow[]) => list.map((r) => r.pid);

  test('each root with all its descendants, in the order of the input, nothing else', () => {
    assert.deepEqual(pids(subtreeRows(rows, [10])), [10, 11, 12, 15]);
    assert.deepEqual(pids(subtreeRows(rows, [21, 11])), [11, 15, 21]);
    assert.deepEqual(pids(subtreeRows(rows, [1])), [1, 10, 11, 12, 15, 20, 21]);
  });

  test('a root inside another root’s subtree adds nothing twice; dead pids and an empty list give nothing', () => {
    assert.deepEqual(pids(subtreeRows(rows, [10, 11, 11])), [10, 11, 12, 15]);
    assert.deepEqual(pids(subtreeRows(rows, [999])), []);
    assert.deepEqual(pids(subtreeRows(rows, [])), []);
    // pid 0 is no process: its "children" are not the subtree of a live root.
    assert.deepEqual(pids(subtreeRows(rows, [0])), []);
  });

  test('a cycle from a racy snapshot, and a process that is its own parent, end', () => {
    const racy = [
      proc(30, 0, 'a', { ppid: 31 }),
      proc(31, 0, 'b', { ppid: 30 }),
      proc(40, 0, 'self', { ppid: 40 }),
    ];
    assert.deepEqual(pids(subtreeRows(racy, [30])), [30, 31]);
    assert.deepEqual(pids(subtreeRows(racy, [40])), [40]);
  });

  test('a parent pid the machine has since given to a younger process adopts nobody', () => {
    // 50 was read naming parent 60 after 60 exited and its pid went to a process started later
    // (pid_max 32768 wraps quickly): 50 is no child of today's 60; 51, started after it, is.
    const reused = [
      proc(60, 5000, 'newcomer', { ppid: 1 }),
      proc(50, 1000, 'older', { ppid: 60 }),
      proc(51, 6000, 'child', { ppid: 60 }),
    ];
    assert.deepEqual(pids(subtreeRows(reused, [60])), [60, 51]);
    assert.deepEqual(
      buildTree(reused, () => true, 'name').map((n) => [n.row.pid, n.children.map((c) => c.row.pid)]),
      [
        [60, [51]],
        [50, []],
      ],
    );
  });

  test('the agent builds the tree of just those rows: listed pids are its roots with family totals', () => {
    const tree = buildTree(subtreeRows(rows, [10, 21]), () => true, 'name');
    assert.deepEqual(
      tree.map((n) => [n.row.pid, n.family.count]),
      [
        [10, 4],
        [21, 1],
      ],
    );
  });
});
