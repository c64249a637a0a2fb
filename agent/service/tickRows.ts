// Live views computed from the newest tick: top rows, and the processes grouped flat, by category
// or as a tree with family totals. Pure functions over plain rows.
import { compileFilter } from '../../shared/filter';
import type { Category, Grouping, ProcessFilter, ProcessRow, SortKey } from '../../shared/model';
import type { CategoryGroup, FamilyTotals, ProcessTreeNode, ProcessesRequest } from '../../shared/protocol';
import { sortRows } from '../../shared/rowOrder';
import { isParentOf } from '../../shared/processTree';

export function topRows(
  rows: readonly ProcessRow[],
  options: { sort?: SortKey; n: number; filter?: ProcessFilter },
): { rows: ProcessRow[]; matched: number } {
  const matches = compileFilter(options.filter);
  const kept = rows.filter(matches);
  return { rows: sortRows(kept, options.sort).slice(0, options.n), matched: kept.length };
}

function emptyTotals(): FamilyTotals {
  return { cpu: 0, rss: 0, readBps: 0, writeBps: 0, count: 0 };
}

function addRow(totals: FamilyTotals, row: ProcessRow): void {
  totals.cpu += row.cpu ?? 0;
  totals.rss += row.rss ?? 0;
  totals.readBps += row.readBps ?? 0;
  totals.writeBps += row.writeBps ?? 0;
  totals.count += 1;
}

function addTotals(into: FamilyTotals, from: FamilyTotals): void {
  into.cpu += from.cpu;
  into.rss += from.rss;
  into.readBps += from.readBps;
  into.writeBps += from.writeBps;
  into.count += from.count;
}

export function groupByCategory(rows: readonly ProcessRow[], sort?: SortKey): CategoryGroup[] {
  const groups = new Map<Category, CategoryGroup>();
  for (const row of rows) {
    let group = groups.get(row.category);
    if (!group)
      groups.set(row.category, (group = { category: row.category, totals: emptyTotals(), rows: [] }));
    group.rows.push(row);
    addRow(group.totals, row);
  }
  const result = [...groups.values()];
  for (const group of result) group.rows = sortRows(group.rows, sort);
  return result.sort((a, b) => b.totals.cpu - a.totals.cpu || a.category.localeCompare(b.category));
}

/**
 * The process tree of `all`, keeping the processes `matches` accepts and their ancestors (so a match
 * is shown where it lives). A node's family totals cover itself and every kept descendant.
 */
/** The row's parent in this snapshot, if it is there and truly its parent. */
function parentIn(byPid: ReadonlyMap<number, ProcessRow>, row: ProcessRow): ProcessRow | undefined {
  const parent = byPid.get(row.ppid);
  return parent && isParentOf(parent, row) ? parent : undefined;
}

export function buildTree(
  all: readonly ProcessRow[],
  matches: (row: ProcessRow) => boolean,
  sort?: SortKey,
): ProcessTreeNode[] {
  const byPid = new Map(all.map((row) => [row.pid, row]));
  const kept = new Set<number>();
  for (const row of all) {
    if (!matches(row)) continue;
    // Walk up to the root; the `kept` check also ends cycles a racy snapshot might contain.
    for (let cur: ProcessRow | undefined = row; cur && !kept.has(cur.pid); cur = parentIn(byPid, cur))
      kept.add(cur.pid);
  }
  const children = new Map<number, ProcessRow[]>();
  const roots: ProcessRow[] = [];
  for (const pid of kept) {
    const row = byPid.get(pid)!;
    if (kept.has(row.ppid) && parentIn(byPid, row)) {
      let list = children.get(row.ppid);
      if (!list) children.set(row.ppid, (list = []));
      list.push(row);
    } else roots.push(row);
  }
  const placed = new Set<number>();
  const build = (row: ProcessRow): ProcessTreeNode => {
    placed.add(row.pid);
    const node: ProcessTreeNode = { row, family: emptyTotals(), children: [] };
    addRow(node.family, row);
    for (const child of sortRows(children.get(row.pid) ?? [], sort)) {
      if (placed.has(child.pid)) continue;
      const childNode = build(child);
      node.children.push(childNode);
      addTotals(node.family, childNode.family);
    }
    return node;
  };
  const trees = sortRows(roots, sort).map(build);
  // A cycle has no root: show its members at the top rather than lose them.
  for (const pid of kept) if (!placed.has(pid)) trees.push(build(byPid.get(pid)!));
  return trees;
}

export function groupProcesses(
  rows: readonly ProcessRow[],
  ts: number | null,
  params: { grouping: Grouping; filter?: ProcessFilter; sort?: SortKey },
): ProcessesRequest.Result {
  const matches = compileFilter(params.filter);
  if (params.grouping === 'tree')
    return { ts, grouping: 'tree', roots: buildTree(rows, matches, params.sort) };
  const kept = rows.filter(matches);
  if (params.grouping === 'category')
    return { ts, grouping: 'category', groups: groupByCategory(kept, params.sort) };
  return { ts, grouping: 'flat', rows: sortRows(kept, params.sort) };
}
