// Process-tree arithmetic shared by the views: cutting subtrees out of a family and its totals.
import type { FamilyTotals, ProcessTreeNode } from './protocol';

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
