// The history panel's two questions, each answered in one call by composing the store's queries
// (stats, series, lifecycle) with the newest tick and the live details: PanelDatasetRequest (a
// range's overview, or a live tail's newer points) and ProcessPageRequest. Params arrive checked.
import {
  identityKey,
  type MachineMetric,
  type ProcessIdentity,
  type ProcessRow,
  type Series,
  type Tick,
} from '../../shared/model';
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
  latest: Pick<Tick, 'machine'> | undefined,
  q: DatasetQuery,
): Promise<PanelDatasetRequest.Result> {
  const { from, to, maxPoints } = q;
  const stats = await queries.stats({ from, to, filter: q.filter, groupBy: 'name', sort: q.sort, n: q.rows });
  const machine = (metric: MachineMetric, since?: number) =>
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
    cores: latest?.machine.cores ?? null,
    // A live tail's points start at `since`: the client keeps the historyStart it was sent whole.
    ...(since === undefined
      ? { historyStart: await historyStart(queries, from, firstPoint(cpu.series), cpu.resolution.stepMs) }
      : { since }),
  };
}

const firstPoint = (series: Series[]) => series[0]?.points.find((point) => point.value !== null)?.ts;

/**
 * The first recorded moment, when the range begins before anything was recorded; null when the
 * range starts with data, or something was recorded before it. Asks the store again (one coarse
 * query) only when the range's first machine point comes late.
 */
async function historyStart(
  queries: CoreQueries,
  from: number,
  first: number | undefined,
  stepMs: number,
): Promise<number | null> {
  if (first === undefined || first <= from + Math.max(stepMs, 60_000)) return null;
  const oldest = Math.min(...queries.status().tiers.map((tier) => tier.oldest ?? Infinity));
  if (oldest >= first) return first;
  const earlier = await queries.series({ metric: 'machineCpu', from: oldest, to: from, maxPoints: 2 });
  const recorded = earlier.series.some((series) => series.points.some((point) => point.value !== null));
  return recorded ? null : first;
}

export interface PageQuery {
  identity?: ProcessIdentity;
  name?: string;
  from: number;
  to: number;
  maxPoints: number;
}

const key = (p: ProcessIdentity) => identityKey(p.pid, p.startTime);

export async function processPage(
  queries: CoreQueries,
  latest: Tick | undefined,
  details: (identity: ProcessIdentity) => Promise<ProcessDetails>,
  q: PageQuery,
): Promise<ProcessPageRequest.Result> {
  const who = q.identity ? { identity: q.identity } : { name: q.name };
  const { maxPoints } = q;
  let { from, to } = q;
  const lifecycle = await queries.lifecycle({ ...who, from, to });
  const read = async () => {
    const found = [];
    for (const metric of ProcessPageRequest.METRICS)
      found.push(await queries.series({ ...who, metric, from, to, maxPoints }));
    return found;
  };
  let histories = await read();
  // A young process in a long range has no point at the range's tier (one 1-hour average at
  // most): fit the range to its life, where a finer tier has points.
  const own = q.identity
    ? lifecycle.instances.filter((i) => key(i) === key(q.identity!))
    : lifecycle.instances;
  const life = lifeWithin(own, from, to);
  const fitted = drawable(histories) < 2 && life !== null && life.to - life.from < to - from;
  if (fitted) {
    ({ from, to } = life);
    histories = await read();
  }
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
    cores: latest?.machine.cores ?? null,
    ...(fitted ? { fitted } : {}),
  };
}

/** The most points with a value that any one series holds. */
function drawable(histories: Array<{ series: Series[] }>): number {
  let most = 0;
  for (const history of histories)
    for (const series of history.series)
      most = Math.max(most, series.points.filter((point) => point.value !== null).length);
  return most;
}

/** The span the instances lived within [from, to], a tick's margin either side; null if none. */
function lifeWithin(
  instances: ProcessInstance[],
  from: number,
  to: number,
): { from: number; to: number } | null {
  if (instances.length === 0) return null;
  const start = Math.min(...instances.map((i) => Math.min(i.startTime, i.firstSeen)));
  const end = Math.max(...instances.map((i) => (i.running ? to : (i.exitSeen ?? i.lastSeen))));
  const margin = Math.max(60_000, (end - start) / 20);
  const fit = { from: Math.max(from, start - margin), to: Math.min(to, end + margin) };
  return fit.to > fit.from ? fit : null;
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
