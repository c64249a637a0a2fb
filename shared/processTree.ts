// Process-tree arithmetic shared by the agent and the views: picking the subtrees under given pids,
// cutting subtrees out of a family and its totals.
import type { ProcessIdentity, ProcessRow } from './model';

/**
 * Whether `parent` is `child`'s parent. A snapshot is read process by process, and a run remembers
 * rows across ticks, so a child can still name a parent pid that has exited and that the machine
 * (pid_max 32768 is common) has since given to a younger process: a child starts after its parent.
 */
export function isParentOf(parent: ProcessIdentity, child: ProcessRow): boolean {
  return child.ppid === parent.pid && child.pid !== parent.pid && child.startTime >= parent.startTime;
}
import type { FamilyTotals, ProcessTreeNode } from './protocol';

/**
 * The rows of the subtrees rooted at `rootPids` (each root that is alive, and all its descendants),
 * in the order of `all`. Costs one pass to index children by parent plus the subtrees' size, so a
 * client asking for a few owners' processes does not pay for grouping the whole machine.
 */
export function subtreeRows(all: readonly ProcessRow[], rootPids: Iterable<number>): ProcessRow[] {
  const wanted = new Set(rootPids);
  if (wanted.size === 0) return [];
  const byPid = new Map<number, ProcessRow>();
  const children = new Map<number, ProcessRow[]>();
  for (const row of all) {
    byPid.set(row.pid, row);
    let list = children.get(row.ppid);
    if (!list) children.set(row.ppid, (list = []));
    list.push(row);
  }
  const kept = new Set<number>();
  const stack = [...wanted].flatMap((pid) => byPid.get(pid) ?? []);
  // The `kept` check also ends cycles a racy snapshot might contain.
  for (let row = stack.pop(); row !== undefined; row = stack.pop()) {
    if (kept.has(row.pid)) continue;
    kept.add(row.pid);
    for (const child of children.get(row.pid) ?? []) if (isParentOf(row, child)) stack.push(child);
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
