// The panel's two answers (PanelDatasetRequest, ProcessPageRequest) built from the finer requests,
// for an agent from before those requests (it answers MethodNotFound): a window may be connected to
// an older agent that still records. Costs 4 + N requests per range and 7 per process page.
import { identityKey, type MachineMetric, type ProcessIdentity, type ProcessRow, type Series } from './model';
import {
  HistoryRequest,
  LifecycleRequest,
  ProcessDetailsRequest,
  ProcessPageRequest,
  StatsRequest,
  TopRequest,
  type PanelDatasetRequest,
  type ProcessDetails,
} from './protocol';
import type { AgentRequest } from './panelData';

type Who = { identity: ProcessIdentity; name?: undefined } | { name: string; identity?: undefined };

export async function legacyDataset(
  request: AgentRequest,
  params: PanelDatasetRequest.Params,
): Promise<PanelDatasetRequest.Result> {
  const { from, to, maxPoints } = params;
  const machine = (metric: MachineMetric) => request(HistoryRequest.type, { metric, from, to, maxPoints });
  const [cpu, mem, stats, live] = await Promise.all([
    machine('machineCpu'),
    machine('machineMem'),
    request(StatsRequest.type, { from, to, groupBy: 'name', sort: params.sort, n: params.rows }),
    request(TopRequest.type, { n: 1 }),
  ]);
  // The top N of the range by the chosen order, each drawn as the sum of its processes.
  const topNames = stats.rows.slice(0, params.topN).map((row) => row.name);
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
    machine: [...cpu.series, ...mem.series],
    top: top.filter((series): series is Series => series !== undefined),
    rows: stats.rows,
    memTotal: live.machine?.memTotal ?? null,
  };
}

const key = (identity: ProcessIdentity) => identityKey(identity.pid, identity.startTime);

export async function legacyProcessPage(
  request: AgentRequest,
  params: Who & { from: number; to: number; maxPoints: number },
): Promise<ProcessPageRequest.Result> {
  const { from, to, maxPoints } = params;
  const who = params.identity ? { identity: params.identity } : { name: params.name };
  const [histories, lifecycle, live] = await Promise.all([
    Promise.all(
      ProcessPageRequest.METRICS.map((metric) =>
        request(HistoryRequest.type, { ...who, metric, from, to, maxPoints }),
      ),
    ),
    // An agent older still has no lifecycle request: the page still shows its series.
    request(LifecycleRequest.type, { ...who, from, to }).catch(() => undefined),
    request(TopRequest.type, { n: 1000, sort: 'cpu' }).catch(() => undefined),
  ]);
  const instances = lifecycle?.instances ?? [];
  const children = lifecycle?.children ?? [];
  const liveRows = new Map((live?.rows ?? []).map((row) => [key(row), row]));
  const target =
    params.identity ??
    [...instances].reverse().find((i) => i.running || liveRows.has(key(i))) ??
    [...liveRows.values()].find((row) => instances.some((i) => i.name === row.name));
  let details: ProcessDetails | null = null;
  if (target) {
    details = await request(ProcessDetailsRequest.type, {
      identity: { pid: target.pid, startTime: target.startTime },
    }).catch(() => null); // gone, or its pid reused: not running
  }
  const running = [...instances, ...children, ...(target ? [target] : [])]
    .map((identity) => liveRows.get(key(identity)))
    .filter((row): row is ProcessRow => row !== undefined);
  return {
    from,
    to,
    resolution: histories[0]!.resolution,
    series: histories.flatMap((history) => history.series.slice(0, 1)),
    instances,
    children,
    childrenTruncated: lifecycle?.childrenTruncated ?? false,
    running,
    details,
  };
}
