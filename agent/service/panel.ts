// The history panel's two questions, each answered in one call by composing the store's queries
// (stats, series, lifecycle) with the newest tick and the live details: PanelDatasetRequest (a
// range's overview, or a live tail's newer points) and ProcessPageRequest. Params arrive checked.
import type { ProcessIdentity, ProcessRow, Series, Tick } from '../../shared/model';
import {
  ProcessPageRequest,
  type PanelDatasetRequest,
  type ProcessDetails,
  type ProcessInstance,
} from '../../shared/protocol';
import type { CoreQueries } from './core';

export interface DatasetQuery extends Required<
  Pick<PanelDatasetRequest.Params, 'topN' | 'maxPoints' | 'rows'>
> {
  from: number;
  to: number;
  metric: PanelDatasetRequest.Params['metric'];
  sort?: PanelDatasetRequest.Params['sort'];
  filter?: PanelDatasetRequest.Params['filter'];
  since?: number;
  tier?: string;
  known?: string[];
}

export async function panelDataset(
  queries: CoreQueries,
  latest: Tick | undefined,
  q: DatasetQuery,
): Promise<PanelDatasetRequest.Result> {
  const { from, to, maxPoints } = q;
  const stats = await queries.stats({ from, to, filter: q.filter, groupBy: 'name', sort: q.sort, n: q.rows });
  const machine = (metric: 'machineCpu' | 'machineMem', since?: number) =>
    queries.series({ metric, from, to, maxPoints, since });
  // The tier is chosen for the whole range on every call; newer points only while it is the client's.
  let cpu = await machine('machineCpu', q.since);
  const since = q.since !== undefined && cpu.resolution.tier === q.tier ? q.since : undefined;
  if (q.since !== undefined && since === undefined) cpu = await machine('machineCpu');
  const mem = await machine('machineMem', since);
  const known = new Set(since === undefined ? [] : q.known);
  const top: Series[] = [];
  for (const { name } of stats.rows.slice(0, q.topN)) {
    const named = await queries.series({
      name,
      metric: q.metric,
      from,
      to,
      maxPoints,
      since: known.has(name) ? since : undefined,
    });
    if (named.series[0]) top.push({ ...named.series[0], label: name });
  }
  return {
    from,
    to,
    resolution: cpu.resolution,
    machine: [...cpu.series, ...mem.series],
    top,
    rows: stats.rows,
    memTotal: latest?.machine.memTotal ?? null,
    ...(since === undefined ? {} : { since }),
  };
}

export interface PageQuery {
  identity?: ProcessIdentity;
  name?: string;
  from: number;
  to: number;
  maxPoints: number;
}

const key = (p: ProcessIdentity) => `${p.pid}:${p.startTime}`;

export async function processPage(
  queries: CoreQueries,
  latest: Tick | undefined,
  details: (identity: ProcessIdentity) => Promise<ProcessDetails>,
  q: PageQuery,
): Promise<ProcessPageRequest.Result> {
  const who = q.identity ? { identity: q.identity } : { name: q.name };
  const { from, to, maxPoints } = q;
  const histories = [];
  for (const metric of ProcessPageRequest.METRICS)
    histories.push(await queries.series({ ...who, metric, from, to, maxPoints }));
  const lifecycle = await queries.lifecycle({ ...who, from, to });
  const live = new Map((latest?.processes ?? []).map((row) => [key(row), row]));
  const target = q.identity ?? runningInstance(lifecycle.instances, live, q.name);
  let found: ProcessDetails | null = null;
  if (target) {
    try {
      found = await details({ pid: target.pid, startTime: target.startTime });
    } catch {
      found = null; // gone, or its pid reused: not running
    }
  }
  const wanted = [...lifecycle.instances, ...lifecycle.children, ...(target ? [target] : [])];
  const running = new Map<string, ProcessRow>();
  for (const identity of wanted) {
    const row = live.get(key(identity));
    if (row) running.set(key(row), row);
  }
  return {
    from,
    to,
    resolution: histories[0]!.resolution,
    series: histories.flatMap((history) => history.series.slice(0, 1)),
    instances: lifecycle.instances,
    children: lifecycle.children,
    childrenTruncated: lifecycle.childrenTruncated,
    running: [...running.values()],
    details: found,
  };
}

/** For a name's page: its newest instance that runs, else its busiest process on the newest tick. */
function runningInstance(
  instances: ProcessInstance[],
  live: Map<string, ProcessRow>,
  name: string | undefined,
): ProcessIdentity | undefined {
  const newest = [...instances].reverse().find((i) => i.running || live.has(key(i)));
  if (newest) return newest;
  let busiest: ProcessRow | undefined;
  for (const row of live.values())
    if (row.name === name && (!busiest || (row.cpu ?? -1) > (busiest.cpu ?? -1))) busiest = row;
  return busiest;
}
