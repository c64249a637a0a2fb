// Process-tree arithmetic shared by the agent and the views: picking the subtrees under given pids,
// cutting subtrees out of a family and its totals.
import type { ProcessRow } from './model';
import type { FamilyTotals, ProcessTreeNode } from './protocol';

/**
 * The rows of the subtrees rooted at `rootPids` (each root that is alive, and all its descendants),
 * in the order of `all`. Costs one pass to index children by parent plus the subtrees' size, so a
 * client asking for a few owners' processes does not pay for grouping the whole machine.
 */
export function subtreeRows(all: readonly ProcessRow[], rootPids: Iterable<number>): ProcessRow[] {
  const wanted = new Set(rootPids);
  if (wanted.size === 0) return [];
  const children = new Map<number, number[]>();
  const alive = new Set<number>();
  for (const row of all) {
    alive.add(row.pid);
    if (row.ppid === row.pid) continue; // its own parent: a root only, never its own child
    let list = children.get(row.ppid);
    if (!list) children.set(row.ppid, (list = []));
    list.push(row.pid);
  }
  const kept = new Set<number>();
  const stack = [...wanted].filter((pid) => alive.has(pid));
  // The `kept` check also ends cycles a racy snapshot might contain.
  for (let pid = stack.pop(); pid !== undefined; pid = stack.pop()) {
    if (kept.has(pid)) continue;
    kept.add(pid);
    for (const child of children.get(pid) ?? []) stack.push(child);
  }
  return all.filter((row) => kept.has(row.pid));
}

/**
 * `node` without the subtrees another owner shows (js-debug runs a debuggee from the extension
 * host, a terminal may start another), its totals reduced by them: each process shows and counts once.
 */
export function withoutOwnedDescendants(node: ProcessTreeNode, owned: ReadonlySet<number>): ProcessTreeNode {
  let changed = false;
  let family = node.family;
  const children: ProcessTreeNode[] = [];
  for (const child of node.children) {
    const kept = owned.has(child.row.pid) ? undefined : withoutOwnedDescendants(child, owned);
    if (kept === child) {
      children.push(child);
      continue;
    }
    changed = true;
    family = subtract(family, child.family);
    if (kept) {
      family = add(family, kept.family);
      children.push(kept);
    }
  }
  return changed ? { ...node, family, children } : node;
}

function add(a: FamilyTotals, b: FamilyTotals): FamilyTotals {
  return {
    cpu: a.cpu + b.cpu,
    rss: a.rss + b.rss,
    readBps: a.readBps + b.readBps,
    writeBps: a.writeBps + b.writeBps,
    count: a.count + b.count,
  };
}

/** Floating-point sums may leave a hair below zero: clamp. */
function subtract(a: FamilyTotals, b: FamilyTotals): FamilyTotals {
  return {
    cpu: Math.max(0, a.cpu - b.cpu),
    rss: Math.max(0, a.rss - b.rss),
    readBps: Math.max(0, a.readBps - b.readBps),
    writeBps: Math.max(0, a.writeBps - b.writeBps),
    count: Math.max(1, a.count - b.count),
  };
}
