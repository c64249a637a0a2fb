// The history panel's overview for a machine of the fleet, from Prometheus range queries: the
// same DataParams the local agent's answer makes (extension/panel/panelData.ts), so the panel
// draws either without knowing which. A machine's "processes" here are its agent's name groups
// (process_tracker_group_*), the finest history Prometheus keeps.
import type { Series, SeriesMetric, SeriesPoint, SortKey, StatsRow } from '../../shared/model';
import type { DataParams, RequestRangeParams } from '../../shared/webviewProtocol';
import type { PrometheusApi, RangeSeries } from './api';
import { quoteLabel, type MachineId } from './fleet';

const P = 'process_tracker_';
/** Prometheus refuses a range query of more than 11,000 points per series. */
const MAX_POINTS = 11_000;
const MIN_STEP_MS = 1000;

/** A group series' expression, in the panel's units (shared/model ProcessSample). */
function groupExpr(metric: SeriesMetric, sel: string, window: string): string {
  switch (metric) {
    case 'cpu': // percent of one core
      // Both modes (user, system) together.
      return `100 * sum without (mode) (rate(${P}group_cpu_seconds_total${sel}[${window}]))`;
    case 'rss':
      return `${P}group_resident_memory_bytes${sel}`;
    case 'readBps':
      return `rate(${P}group_read_bytes_total${sel}[${window}])`;
    case 'writeBps':
      return `rate(${P}group_written_bytes_total${sel}[${window}])`;
    case 'threads':
      return `${P}group_threads${sel}`;
    case 'fds':
      return `${P}group_open_fds${sel}`;
  }
}

const SORT_METRIC: Record<Exclude<SortKey, 'name'>, SeriesMetric[]> = {
  cpu: ['cpu'],
  mem: ['rss'],
  io: ['readBps', 'writeBps'],
};

/** The grid of a range: every step from `from` (rounded up to it) to `to`. */
function grid(from: number, to: number, stepMs: number): number[] {
  const first = Math.ceil(from / stepMs) * stepMs;
  const out: number[] = [];
  for (let ts = first; ts <= to; ts += stepMs) out.push(ts);
  return out;
}

/** A range series on the grid: null where Prometheus has no value (not scraped, or gone). */
function points(series: RangeSeries | undefined, ticks: number[]): SeriesPoint[] {
  const values = new Map((series?.values ?? []).map(([t, v]) => [Math.round(t * 1000), Number(v)]));
  return ticks.map((ts) => {
    const value = values.get(ts);
    const known = value !== undefined && Number.isFinite(value) ? value : null;
    return { ts, value: known, max: known };
  });
}

const known = (pts: SeriesPoint[]) => pts.map((p) => p.value).filter((v): v is number => v !== null);
const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
const peak = (values: number[]) => (values.length ? Math.max(...values) : null);

/** The machine's overview over a range, the panel's `requestRange` answered from Prometheus. */
export async function machineRange(
  api: PrometheusApi,
  machine: MachineId,
  params: RequestRangeParams,
  now = Date.now(),
): Promise<DataParams> {
  const to = params.live ? now : params.to;
  const from = params.live ? now - (params.to - params.from) : params.from;
  const want = Math.min(MAX_POINTS, Math.max(2, params.maxPoints));
  const stepMs = Math.max(MIN_STEP_MS, Math.ceil((to - from) / want / 1000) * 1000);
  // A rate needs two scrapes in its window: at least a minute, and never narrower than a step.
  const window = `${Math.max(60, (2 * stepMs) / 1000)}s`;
  const sel = `{job=${quoteLabel(machine.job)},instance=${quoteLabel(machine.instance)}}`;
  // Asked on the grid itself, so every answer's timestamps are the grid's.
  const ticks = grid(from, to, stepMs);
  const range = (expr: string) => api.queryRange(expr, ticks[0] ?? from, ticks.at(-1) ?? to, stepMs);
  const sortMetrics = params.sort === 'name' ? [] : SORT_METRIC[params.sort];
  const metrics = [...new Set<SeriesMetric>([params.metric, 'cpu', 'rss', ...sortMetrics])];
  const [cpu, mem, total, ...groupAnswers] = await Promise.all([
    // rate() extrapolates to the window's edges: a busy machine can read a hair over 100 %.
    range(
      `clamp_max(100 * rate(${P}machine_cpu_seconds_total${sel}[${window}]) / ${P}machine_cpu_cores${sel}, 100)`,
    ),
    range(`${P}machine_memory_used_bytes${sel}`),
    api.query(`${P}machine_memory_total_bytes${sel}`, to),
    ...metrics.map((metric) => range(groupExpr(metric, sel, window))),
  ]);
  const groups = new Map<SeriesMetric, Map<string, SeriesPoint[]>>();
  metrics.forEach((metric, i) => {
    groups.set(
      metric,
      new Map(groupAnswers[i]!.map((series) => [series.metric.name ?? '', points(series, ticks)])),
    );
  });
  const names = [...new Set([...groups.values()].flatMap((byName) => [...byName.keys()]))];
  const score = (name: string) =>
    sortMetrics.reduce((sum, metric) => sum + (mean(known(groups.get(metric)!.get(name) ?? [])) ?? 0), 0);
  const ranked =
    params.sort === 'name'
      ? [...names].sort((a, b) => a.localeCompare(b))
      : [...names].sort((a, b) => score(b) - score(a) || a.localeCompare(b));
  const drawn = groups.get(params.metric)!;
  const top: Series[] = ranked.slice(0, params.n).map((name) => ({
    key: `name:${name}`,
    label: name,
    metric: params.metric,
    points: drawn.get(name) ?? points(undefined, ticks),
  }));
  const seconds = stepMs / 1000;
  const rows: StatsRow[] = ranked.map((name) => {
    const cpuValues = known(groups.get('cpu')!.get(name) ?? []);
    const memValues = known(groups.get('rss')!.get(name) ?? []);
    return {
      name,
      category: 'other',
      activeSeconds: Math.max(cpuValues.length, memValues.length) * seconds,
      cpuAvg: mean(cpuValues),
      cpuPeak: peak(cpuValues),
      cpuSeconds: cpuValues.reduce((sum, v) => sum + (v / 100) * seconds, 0),
      memAvg: mean(memValues),
      memPeak: peak(memValues),
      // Prometheus keeps rates, not the agent's per-process sums: unknown rather than made up.
      readBytes: null,
      writeBytes: null,
      starts: 0,
      instances: 0,
    };
  });
  const memTotal = total[0] ? Number(total[0].value[1]) : null;
  return {
    from,
    to,
    resolution: { tier: 'prometheus', stepMs, label: `Prometheus, every ${seconds} s` },
    overview: [
      { key: 'machine', label: machine.instance, metric: 'machineCpu', points: points(cpu[0], ticks) },
      { key: 'machine', label: machine.instance, metric: 'machineMem', points: points(mem[0], ticks) },
    ],
    top,
    // Bounded already: one row per name group, which the agent's series cap bounds (~49 by default).
    rows,
    memTotal: memTotal !== null && Number.isFinite(memTotal) ? memTotal : null,
  };
}
