// Alert history queries: a page of events newest first, with counts per rule. Used by the agent
// (AlertHistoryRequest) and by the offline CLI (`alerts history` reading history.jsonl itself).
import type { AlertEvent } from '../../shared/model';
import type { AlertCount, AlertHistoryRequest } from '../../shared/protocol';

const DAY = 86_400_000;

export interface HistoryQuery {
  from: number;
  to: number;
  rule?: string;
  limit: number;
  offset: number;
}

/** A page of alert history, newest first, with counts per rule: for the agent and the offline CLI. */
export function queryHistory(all: AlertEvent[], query: HistoryQuery): AlertHistoryRequest.Result {
  const inRange = all.filter(
    (e) => e.ts >= query.from && e.ts <= query.to && (query.rule === undefined || e.rule === query.rule),
  );
  const counts = new Map<string, AlertCount>();
  for (const e of inRange) {
    let c = counts.get(e.rule);
    if (!c) counts.set(e.rule, (c = { rule: e.rule, firing: 0, resolved: 0, reminders: 0, suppressed: 0 }));
    if (e.suppressed) c.suppressed++;
    else if (e.kind === 'firing') c.firing++;
    else if (e.kind === 'resolved') c.resolved++;
    else c.reminders++;
  }
  inRange.reverse();
  return {
    from: query.from,
    to: query.to,
    events: inRange.slice(query.offset, query.offset + query.limit),
    total: inRange.length,
    counts: [...counts.values()].sort((a, b) => b.firing - a.firing || a.rule.localeCompare(b.rule)),
    oldestKept: all[0]?.ts ?? null,
  };
}

export const HISTORY_DEFAULT_RANGE_MS = 7 * DAY;
