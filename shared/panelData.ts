// What the history panel asks, answered from the agent: a range's overview (machine CPU and
// memory, the top-N processes' series, the table's rows), a moment's snapshot, and one process's
// page (series, lifecycle, children, live details), for both hosts of the panel: the extension
// (extension/panel) and the browser (webview/browser). One agent request per answer: a live-tail
// refresh asks only for the points newer than the ones held and merges them in. No `vscode` here.
import { ErrorCodes, type RequestType } from 'vscode-jsonrpc';
import { identityKey, type ProcessIdentity, type ProcessRow, type Series } from './model';
import {
  AtRequest,
  PanelDatasetRequest,
  ProcessPageRequest,
  type ProcessDetails,
  type ProcessInstance,
} from './protocol';
import type {
  AtParams,
  DataParams,
  LifecycleEvent,
  LiveDetails,
  ProcessPageParams,
  RequestProcessParams,
  RequestRangeParams,
} from './webviewProtocol';
import { legacyDataset, legacyProcessPage } from './panelLegacy';

/** The agent client's `request` (extension/agentClient.ts). */
export type AgentRequest = <P, R>(type: RequestType<P, R, void>, params: P) => Promise<R>;

/** Rows in the table: enough for paging and search, bounded for the webview's message size. */
export const TABLE_ROWS = 500;

/**
 * What one panel keeps between its requests (HistorySession owns one; forget it on reconnect): the
 * last overview it was sent, which a live-tail refresh extends, and whether the agent is one from
 * before PanelDatasetRequest / ProcessPageRequest.
 */
export interface HeldData {
  last?: { shape: string; data: DataParams };
  legacyAgent?: boolean;
}

/** Live tail: the same width, ending now. */
export function liveRange(params: { from: number; to: number; live: boolean }, now: number) {
  return params.live
    ? { from: now - (params.to - params.from), to: now }
    : { from: params.from, to: params.to };
}

const isMethodNotFound = (error: unknown) =>
  (error as { code?: unknown } | null)?.code === ErrorCodes.MethodNotFound;

/** Asks the agent; an agent without `type` gets the finer requests instead, now and from then on. */
async function ask<P, R>(
  request: AgentRequest,
  held: HeldData,
  type: RequestType<P, R, void>,
  params: P,
  legacy: () => Promise<R>,
): Promise<R> {
  if (held.legacyAgent) return legacy();
  try {
    return await request(type, params);
  } catch (error) {
    if (!isMethodNotFound(error)) throw error;
    held.legacyAgent = true;
    return legacy();
  }
}

export async function rangeData(
  request: AgentRequest,
  params: RequestRangeParams,
  now = Date.now(),
  held: HeldData = {},
): Promise<DataParams> {
  const { from, to } = liveRange(params, now);
  const maxPoints = Math.max(2, params.maxPoints);
  // What must match for a refresh to extend the held data rather than replace it.
  const shape = JSON.stringify([params.metric, params.n, params.sort, maxPoints, to - from]);
  const base =
    params.live && held.last?.shape === shape && held.last.data.to <= to && held.last.data.to > from
      ? held.last.data
      : undefined;
  const since = base?.overview[0]?.points.at(-1)?.ts;
  const query: PanelDatasetRequest.Params = {
    from,
    to,
    metric: params.metric,
    topN: params.n,
    sort: params.sort,
    maxPoints,
    rows: TABLE_ROWS,
    ...(base && since !== undefined
      ? { since, tier: base.resolution.tier, known: base.top.map((series) => series.label) }
      : {}),
  };
  const answer = await ask(request, held, PanelDatasetRequest.type, query, () =>
    legacyDataset(request, query),
  );
  const data: DataParams = {
    from,
    to,
    resolution: answer.resolution,
    overview: extend(base?.overview, answer.machine, from, answer.since),
    top: extend(base?.top, answer.top, from, answer.since),
    rows: answer.rows,
    memTotal: answer.memTotal,
    cores: answer.cores ?? null,
    historyStart: (answer.since === undefined ? answer.historyStart : base?.historyStart) ?? null,
  };
  held.last = { shape, data };
  return data;
}

/**
 * The answer's series, each joined to the held points of the same series before `since` (and not
 * before the range's new start): without `since` (a whole answer) or a held match, as answered.
 */
function extend(held: Series[] | undefined, answered: Series[], from: number, since?: number): Series[] {
  if (since === undefined || !held) return answered;
  const byKey = new Map(held.map((series) => [`${series.metric}\n${series.key}`, series]));
  return answered.map((series) => {
    const old = byKey.get(`${series.metric}\n${series.key}`);
    if (!old) return series;
    const kept = old.points.filter((point) => point.ts >= from && point.ts < since);
    return { ...series, points: kept.concat(series.points) };
  });
}

export async function atData(request: AgentRequest, ts: number): Promise<AtParams> {
  return { at: await request(AtRequest.type, { ts, sort: 'cpu', n: 100 }) };
}

export async function processPage(
  request: AgentRequest,
  params: RequestProcessParams,
  held: HeldData = {},
): Promise<ProcessPageParams> {
  const who = params.identity ? { identity: params.identity } : { name: params.name };
  const query = { ...who, from: params.from, to: params.to, maxPoints: Math.max(2, params.maxPoints) };
  const page = await ask(request, held, ProcessPageRequest.type, query, () =>
    legacyProcessPage(request, query),
  );
  // The agent may fit the range to the process's life (a young process in a long range).
  const { from, to } = page;
  const instances = page.instances;
  const named = params.identity
    ? instances.find((i) => sameIdentity(i, params.identity!))
    : instances.find((i) => i.name === params.name);
  const running = new Map(page.running.map((row) => [key(row), row]));
  return {
    target: params.identity
      ? { identity: params.identity, ...(params.name ? { name: params.name } : {}) }
      : { name: params.name! },
    name: named?.name ?? params.name ?? `pid ${params.identity?.pid}`,
    from,
    to,
    resolution: page.resolution,
    series: page.series,
    lifecycle: lifecycleEvents(instances, from, to),
    children: page.children.map((child) => running.get(key(child)) ?? pastRow(child)),
    live: page.details && liveDetails(page.details, instances, running),
    cores: page.cores ?? null,
    ...(page.fitted ? { fitted: true } : {}),
  };
}

const key = (identity: ProcessIdentity) => identityKey(identity.pid, identity.startTime);
const sameIdentity = (a: ProcessIdentity, b: ProcessIdentity) =>
  a.pid === b.pid && a.startTime === b.startTime;

/** Starts and exits inside the range; an instance no longer running without a seen exit ended when last seen. */
export function lifecycleEvents(instances: ProcessInstance[], from: number, to: number): LifecycleEvent[] {
  const events: LifecycleEvent[] = [];
  for (const instance of instances) {
    const identity = { pid: instance.pid, startTime: instance.startTime };
    if (instance.startTime >= from && instance.startTime <= to)
      events.push({ ts: instance.startTime, kind: 'start', identity, cmdline: instance.cmdline });
    const exit = instance.exitSeen ?? (instance.running ? null : instance.lastSeen);
    if (exit !== null && exit >= from && exit <= to)
      events.push({ ts: exit, kind: 'exit', identity, cmdline: instance.cmdline });
  }
  return events.sort((a, b) => a.ts - b.ts || (a.kind === 'exit' ? -1 : 1));
}

/** A child that is not running any more: its identity without figures (unknown, not zero). */
function pastRow(instance: ProcessInstance): ProcessRow {
  const { firstSeen: _first, lastSeen: _last, exitSeen: _exit, running: _running, ...meta } = instance;
  return { ...meta, cpu: null, rss: null, readBps: null, writeBps: null, threads: null, fds: null };
}

/** What the page shows of a running process: its details, with its tick row's figures as fallback. */
function liveDetails(
  details: ProcessDetails,
  instances: ProcessInstance[],
  running: Map<string, ProcessRow>,
): LiveDetails {
  const row = running.get(key(details.identity));
  return {
    cmdline: details.argv.join(' ') || row?.cmdline || details.name,
    cwd: details.cwd,
    openFiles: details.openFiles?.map((file) => file.target) ?? null,
    connections:
      details.connections?.map(({ protocol, local, remote, state }) => ({
        protocol,
        local,
        remote,
        state,
      })) ?? null,
    threads: details.threads?.length ?? row?.threads ?? null,
    container: details.container,
    user: row?.user ?? instances.find((i) => sameIdentity(i, details.identity))?.user ?? null,
  };
}
