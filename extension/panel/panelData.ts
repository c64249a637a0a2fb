// What the history panel asks, answered from the agent: a range's overview (machine CPU and
// memory, the top-N processes' series, the table's rows), a moment's snapshot, and one process's
// page (series, lifecycle, children, live details). No `vscode` here: only the agent's requests.
import {
  identityKey,
  type MachineMetric,
  type ProcessIdentity,
  type ProcessRow,
  type Series,
  type SeriesMetric,
} from '../../shared/model';
import {
  AtRequest,
  HistoryRequest,
  LifecycleRequest,
  ProcessDetailsRequest,
  StatsRequest,
  TopRequest,
  type ProcessDetails,
  type ProcessInstance,
} from '../../shared/protocol';
import type {
  AtParams,
  DataParams,
  LifecycleEvent,
  LiveDetails,
  ProcessPageParams,
  RequestProcessParams,
  RequestRangeParams,
} from '../../shared/webviewProtocol';
import type { RequestType } from 'vscode-jsonrpc';

/** The agent client's `request` (extension/agentClient.ts). */
export type AgentRequest = <P, R>(type: RequestType<P, R, void>, params: P) => Promise<R>;

/** Rows in the table: enough for paging and search, bounded for the webview's message size. */
export const TABLE_ROWS = 500;
/** The process page's series. */
export const PROCESS_METRICS: readonly SeriesMetric[] = ['cpu', 'rss', 'readBps', 'writeBps'];

/** Live tail: the same width, ending now. */
export function liveRange(params: { from: number; to: number; live: boolean }, now: number) {
  return params.live
    ? { from: now - (params.to - params.from), to: now }
    : { from: params.from, to: params.to };
}

export async function rangeData(
  request: AgentRequest,
  params: RequestRangeParams,
  now = Date.now(),
): Promise<DataParams> {
  const { from, to } = liveRange(params, now);
  const maxPoints = Math.max(2, params.maxPoints);
  const machine = (metric: MachineMetric) => request(HistoryRequest.type, { metric, from, to, maxPoints });
  const [cpu, mem, stats, live] = await Promise.all([
    machine('machineCpu'),
    machine('machineMem'),
    request(StatsRequest.type, { from, to, groupBy: 'name', sort: params.sort, n: TABLE_ROWS }),
    request(TopRequest.type, { n: 1 }),
  ]);
  // The top N of the range by the chosen order, each drawn as the sum of its processes.
  const topNames = stats.rows.slice(0, params.n).map((row) => row.name);
  const top = await Promise.all(
    topNames.map((name) =>
      request(HistoryRequest.type, { name, metric: params.metric, from, to, maxPoints }).then(
        (result): Series | undefined => result.series[0] && { ...result.series[0], label: name },
      ),
    ),
  );
  return {
    from,
    to,
    resolution: cpu.resolution,
    overview: [...cpu.series, ...mem.series],
    top: top.filter((series): series is Series => series !== undefined),
    rows: stats.rows,
    memTotal: live.machine?.memTotal ?? null,
  };
}

export async function atData(request: AgentRequest, ts: number): Promise<AtParams> {
  return { at: await request(AtRequest.type, { ts, sort: 'cpu', n: 100 }) };
}

export async function processPage(
  request: AgentRequest,
  params: RequestProcessParams,
): Promise<ProcessPageParams> {
  const { from, to } = params;
  const who = params.identity ? { identity: params.identity } : { name: params.name };
  const maxPoints = Math.max(2, params.maxPoints);
  const [histories, lifecycle, live] = await Promise.all([
    Promise.all(
      PROCESS_METRICS.map((metric) => request(HistoryRequest.type, { ...who, metric, from, to, maxPoints })),
    ),
    // An older agent has no lifecycle request: the page still shows its series.
    request(LifecycleRequest.type, { ...who, from, to }).catch(() => undefined),
    request(TopRequest.type, { n: 1000, sort: 'cpu' }).catch(() => undefined),
  ]);
  const instances = lifecycle?.instances ?? [];
  const named = params.identity
    ? instances.find((i) => sameIdentity(i, params.identity!))
    : instances.find((i) => i.name === params.name);
  const name = named?.name ?? params.name ?? `pid ${params.identity?.pid}`;
  const liveRows = new Map((live?.rows ?? []).map((row) => [key(row), row]));
  return {
    target: params.identity
      ? { identity: params.identity, ...(params.name ? { name: params.name } : {}) }
      : { name: params.name! },
    name,
    from,
    to,
    resolution: histories[0]!.resolution,
    series: histories.map((history) => history.series[0]!).filter((series) => series !== undefined),
    lifecycle: lifecycleEvents(instances, from, to),
    children: (lifecycle?.children ?? []).map((child) => liveRows.get(key(child)) ?? pastRow(child)),
    live: await liveDetails(request, params.identity, instances, liveRows),
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

/** Details of the process (or of the newest running instance of the name) while it runs. */
async function liveDetails(
  request: AgentRequest,
  identity: ProcessIdentity | undefined,
  instances: ProcessInstance[],
  liveRows: Map<string, ProcessRow>,
): Promise<LiveDetails | null> {
  const target =
    identity ??
    [...instances].reverse().find((i) => i.running || liveRows.has(key(i))) ??
    [...liveRows.values()].find((row) => instances.some((i) => i.name === row.name));
  if (!target) return null;
  let details: ProcessDetails;
  try {
    details = await request(ProcessDetailsRequest.type, {
      identity: { pid: target.pid, startTime: target.startTime },
    });
  } catch {
    return null; // gone, or its pid reused: not running
  }
  const row = liveRows.get(key(target));
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
    user: row?.user ?? instances.find((i) => sameIdentity(i, target))?.user ?? null,
  };
}
