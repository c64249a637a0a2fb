// A process's life from the identity tables: its instances (every identity of a name, or one
// identity and the other instances of its command line — its restarts) and the children they
// started. The hour tier is read because it is dense and kept longest, so its `processes` table
// lists every identity of its day with first / last / exit seen; the open hour and minute buckets
// add what has not been rolled into a file yet.
import type { ProcessIdentity, ProcessMeta } from '../../../shared/model';
import type { ProcessInstance } from '../../../shared/protocol';
import type { LifecycleQuery, LifecycleResult } from '../types';
import { identityKey } from '../span';
import { metaFromRow, query, type QueryContext } from './context';

export const MAX_CHILDREN = 200;

interface Seen {
  meta: ProcessMeta;
  firstSeen: number;
  lastSeen: number;
  exitSeen: number | null;
}

class Catalog {
  readonly byKey = new Map<string, Seen>();

  add(seen: Seen): void {
    const key = identityKey(seen.meta.pid, seen.meta.startTime);
    const known = this.byKey.get(key);
    if (!known) return void this.byKey.set(key, { ...seen });
    known.firstSeen = Math.min(known.firstSeen, seen.firstSeen);
    known.lastSeen = Math.max(known.lastSeen, seen.lastSeen);
    known.exitSeen ??= seen.exitSeen;
  }
}

export function lifecycle(ctx: QueryContext, q: LifecycleQuery): LifecycleResult {
  const catalog = new Catalog();
  // The identity's own command line decides its restarts: look it up first (any day it was seen).
  const own = q.identity ? findIdentity(ctx, q.identity, q.from, q.to) : undefined;
  const cmdline = own?.meta.cmdline;
  const name = own?.meta.name ?? q.name ?? '';
  const isInstance = (m: ProcessMeta) =>
    q.identity && !own
      ? m.pid === q.identity.pid && m.startTime === q.identity.startTime
      : cmdline !== undefined
        ? m.name === name && m.cmdline === cmdline
        : m.name === name;

  for (const start of ctx.files.starts('hour', q.from, q.to)) {
    const view = ctx.files.view('hour', start);
    if (!view) continue;
    // Instances, and the processes whose parent pid is one of an instance's in the same file.
    const rows = query(
      ctx,
      view,
      `SELECT * FROM processes WHERE name = :name OR (pid = :pid AND start_time = :st)
         OR ppid IN (SELECT pid FROM processes WHERE name = :name OR (pid = :pid AND start_time = :st))`,
      { ':name': name, ':pid': q.identity?.pid ?? -1, ':st': q.identity?.startTime ?? -1 },
    );
    for (const r of rows) {
      catalog.add({
        meta: metaFromRow(r),
        firstSeen: r.first_seen as number,
        lastSeen: r.last_seen as number,
        exitSeen: (r.exit_seen as number | null) ?? null,
      });
    }
  }
  for (const open of [ctx.open.hour, ctx.open.minute]) {
    for (const { meta, span } of open?.spans ?? []) {
      catalog.add({ meta, firstSeen: span.firstTs, lastSeen: span.lastTs, exitSeen: span.exitTs });
    }
  }

  const newest = ctx.open.lastTs;
  const toInstance = (s: Seen): ProcessInstance => ({
    ...s.meta,
    firstSeen: s.firstSeen,
    lastSeen: s.lastSeen,
    exitSeen: s.exitSeen,
    running: s.exitSeen === null && newest > 0 && s.lastSeen >= newest,
  });
  const inRange = (s: Seen) => s.firstSeen < q.to && s.lastSeen >= q.from;
  const all = [...catalog.byKey.values()];
  const instances = all.filter((s) => isInstance(s.meta) && inRange(s));
  const parents = q.identity && own ? [own] : instances;
  const children = all
    .filter(
      (child) =>
        inRange(child) &&
        parents.some(
          (p) =>
            child.meta.ppid === p.meta.pid &&
            child.meta.startTime >= p.meta.startTime &&
            child.meta.startTime <= (p.exitSeen ?? p.lastSeen),
        ),
    )
    .sort((a, b) => b.meta.startTime - a.meta.startTime);
  return {
    from: q.from,
    to: q.to,
    instances: instances.sort((a, b) => a.meta.startTime - b.meta.startTime).map(toInstance),
    children: children.slice(0, MAX_CHILDREN).map(toInstance),
    childrenTruncated: children.length > MAX_CHILDREN,
  };
}

/** The identity's record: from the range's files first, then from its start day's (it may predate the range). */
function findIdentity(
  ctx: QueryContext,
  identity: ProcessIdentity,
  from: number,
  to: number,
): Seen | undefined {
  for (const open of [ctx.open.minute, ctx.open.hour]) {
    const found = open?.spans.find(
      (s) => s.meta.pid === identity.pid && s.meta.startTime === identity.startTime,
    );
    if (found) {
      return {
        meta: found.meta,
        firstSeen: found.span.firstTs,
        lastSeen: found.span.lastTs,
        exitSeen: found.span.exitTs,
      };
    }
  }
  const starts = [
    ...ctx.files.starts('hour', from, to).reverse(),
    ...ctx.files.starts('hour', identity.startTime, identity.startTime + 1),
  ];
  for (const start of starts) {
    const view = ctx.files.view('hour', start);
    if (!view) continue;
    const r = query(ctx, view, 'SELECT * FROM processes WHERE pid = ? AND start_time = ?', [
      identity.pid,
      identity.startTime,
    ])[0];
    if (r) {
      return {
        meta: metaFromRow(r),
        firstSeen: r.first_seen as number,
        lastSeen: r.last_seen as number,
        exitSeen: (r.exit_seen as number | null) ?? null,
      };
    }
  }
  return undefined;
}
