// Which of a tick's processes belong to a run: the descendants of its root pid (and the root itself
// for a task, whose root is the task's own process; not for a terminal, whose root is the shell
// that was there before the command). A process once counted stays counted by identity, so a child
// that its parent left behind (reparented to init) is still the run's.
import { identityKey, type ProcessIdentity, type ProcessRow } from '../../shared/model';
import { isParentOf } from '../../shared/processTree';

export interface SubtreeRoot {
  pid: number;
  includeRoot: boolean;
  /** Descendants started before this (ms) are not the run's (a terminal's earlier background jobs). */
  startedFrom: number;
}

/** The children of each pid in one tick; built once per tick for all open runs. */
export function childrenOf(rows: readonly ProcessRow[]): Map<number, ProcessRow[]> {
  const children = new Map<number, ProcessRow[]>();
  for (const row of rows) {
    const list = children.get(row.ppid);
    if (list) list.push(row);
    else children.set(row.ppid, [row]);
  }
  return children;
}

/**
 * The run's rows in this tick. `members` (identity keys) is the run's memory of who belonged: read
 * for reparented processes and extended with the new ones.
 */
export function subtreeRows(
  root: SubtreeRoot,
  rows: readonly ProcessRow[],
  children: Map<number, ProcessRow[]>,
  members: Set<string>,
): ProcessRow[] {
  const found = new Map<string, ProcessRow>();
  const self = rows.find((row) => row.pid === root.pid);
  if (self && root.includeRoot) found.set(identityKey(self.pid, self.startTime), self);
  // A gone root still has its pid: its children are those that started after it (isParentOf).
  const queue: ProcessIdentity[] = [{ pid: root.pid, startTime: self?.startTime ?? 0 }];
  const seenPids = new Set<number>([root.pid]);
  while (queue.length > 0) {
    const parent = queue.pop()!;
    for (const row of children.get(parent.pid) ?? []) {
      if (seenPids.has(row.pid) || !isParentOf(parent, row)) continue;
      seenPids.add(row.pid);
      const key = identityKey(row.pid, row.startTime);
      // One second of slack: the window hears of a start a little after the process began.
      if (!members.has(key) && row.startTime < root.startedFrom - 1000) continue;
      found.set(key, row);
      queue.push(row);
    }
  }
  if (members.size > found.size) {
    for (const row of rows) {
      const key = identityKey(row.pid, row.startTime);
      if (members.has(key) && !found.has(key)) found.set(key, row);
    }
  }
  for (const key of found.keys()) members.add(key);
  return [...found.values()];
}
