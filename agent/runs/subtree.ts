// Which of a tick's processes belong to a run: the descendants of its root pid (and the root itself
// for a task, whose root is the task's own process; not for a terminal, whose root is the shell
// that was there before the command). A process once counted stays counted by identity, so a child
// that its parent left behind (reparented to init) is still the run's.
import { identityKey, type ProcessRow } from '../../shared/model';

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
  // A process's parent pid is read once, so a process whose parent exited still names that pid —
  // which this machine (pid_max 32768 is common) soon gives to another process. A child is only
  // a child if it started after its parent.
  const queue: [ProcessRow[] | undefined, number][] = [[children.get(root.pid), self?.startTime ?? 0]];
  const seenPids = new Set<number>([root.pid]);
  while (queue.length > 0) {
    const [list, parentStart] = queue.pop()!;
    for (const row of list ?? []) {
      if (seenPids.has(row.pid) || row.startTime < parentStart) continue;
      seenPids.add(row.pid);
      const key = identityKey(row.pid, row.startTime);
      // One second of slack: the window hears of a start a little after the process began.
      if (!members.has(key) && row.startTime < root.startedFrom - 1000) continue;
      found.set(key, row);
      queue.push([children.get(row.pid), row.startTime]);
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
