// The exposition, on prom-client: names, help, types, escaping, and both formats (Prometheus text
// and OpenMetrics). Names follow Prometheus' rules: one prefix of ours (not the reserved
// `process_`), base units, `_total` on counters, a `_build_info`, no timestamps, no host label.
//
// Two registries with their own metric objects, one per format: prom-client renames a counter in
// place (drops `_total`) while it writes OpenMetrics, so a shared object would lose its `_total` in
// the text format after the first OpenMetrics scrape.
import { Counter, Gauge, Registry, type RegistryContentType } from 'prom-client';
import type { MetricsView } from './collector';

const PREFIX = 'process_tracker_';

export type Format = 'text' | 'openmetrics';

function metricSet(registry: Registry<RegistryContentType>, commandLineLabels: boolean) {
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name: PREFIX + name, help, labelNames, registers: [registry] });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name: PREFIX + name, help, labelNames, registers: [registry] });
  const group = ['name'] as const;
  const top = commandLineLabels ? (['pid', 'name', 'cmdline'] as const) : (['pid', 'name'] as const);
  return {
    buildInfo: gauge('build_info', "The agent's version; always 1.", ['version', 'nodejs_version']),
    machineCpu: counter('machine_cpu_seconds_total', 'CPU time all cores spent busy (not idle), seconds.'),
    machineCores: gauge('machine_cpu_cores', 'Logical CPU cores.'),
    memUsed: gauge('machine_memory_used_bytes', 'Memory in use (total minus available), bytes.'),
    memTotal: gauge('machine_memory_total_bytes', 'Physical memory, bytes.'),
    swapUsed: gauge('machine_swap_used_bytes', 'Swap in use, bytes.'),
    swapTotal: gauge('machine_swap_total_bytes', 'Swap space, bytes.'),
    load1: gauge('machine_load1', 'Load average over 1 minute.'),
    load5: gauge('machine_load5', 'Load average over 5 minutes.'),
    load15: gauge('machine_load15', 'Load average over 15 minutes.'),
    machineProcesses: gauge('machine_processes', 'Processes on the machine at the latest sample.'),
    agentCpu: counter('agent_cpu_seconds_total', 'CPU time of the agent itself, seconds.', ['mode']),
    agentRss: gauge('agent_resident_memory_bytes', 'Resident memory of the agent itself, bytes.'),
    agentStart: gauge('agent_start_time_seconds', 'When the agent started, seconds since the epoch.'),
    ticks: counter('agent_samples_total', 'Samples the agent took since /metrics started.'),
    lastTick: gauge(
      'agent_last_sample_timestamp_seconds',
      'When the latest sample was taken, seconds since the epoch.',
    ),
    folded: gauge('folded_names', 'Process names beyond the series cap, counted in the group "other".'),
    groupCpu: counter(
      'group_cpu_seconds_total',
      'CPU time of the processes of a name, seconds, by mode (user, system).',
      ['name', 'mode'] as const,
    ),
    groupRss: gauge(
      'group_resident_memory_bytes',
      'Resident memory of the processes of a name, bytes.',
      group,
    ),
    groupRead: counter('group_read_bytes_total', 'Bytes the processes of a name read from storage.', group),
    groupWritten: counter(
      'group_written_bytes_total',
      'Bytes the processes of a name wrote to storage.',
      group,
    ),
    groupFds: gauge('group_open_fds', 'Open file descriptors of the processes of a name.', group),
    groupThreads: gauge('group_threads', 'Threads of the processes of a name.', group),
    groupCount: gauge('group_processes', 'Processes of a name running now.', group),
    groupOldest: gauge(
      'group_oldest_start_time_seconds',
      'Start of the oldest process of a name, seconds since the epoch.',
      group,
    ),
    groupStarts: counter('group_starts_total', 'Processes of a name the agent saw start.', group),
    topCpu: gauge(
      'top_process_cpu_ratio',
      'CPU of one of the top processes now, as a share of one core (1 = a whole core).',
      top,
    ),
    topRss: gauge(
      'top_process_resident_memory_bytes',
      'Resident memory of one of the top processes now, bytes.',
      top,
    ),
  };
}

type MetricSet = ReturnType<typeof metricSet>;

export class MetricsRegistry {
  private readonly registries: Record<
    Format,
    { registry: Registry<RegistryContentType>; metrics: MetricSet }
  >;
  private readonly startSeconds = Math.round(Date.now() / 1000 - process.uptime());

  constructor(
    private readonly version: string,
    commandLineLabels: boolean,
  ) {
    const make = (contentType: RegistryContentType) => {
      const registry = new Registry<RegistryContentType>();
      registry.setContentType(contentType);
      return { registry, metrics: metricSet(registry, commandLineLabels) };
    };
    this.registries = {
      text: make(Registry.PROMETHEUS_CONTENT_TYPE),
      openmetrics: make(Registry.OPENMETRICS_CONTENT_TYPE),
    };
  }

  contentType(format: Format): string {
    return this.registries[format].registry.contentType;
  }

  async render(view: MetricsView, format: Format): Promise<string> {
    const { registry, metrics } = this.registries[format];
    fill(metrics, view, this.version, this.startSeconds);
    return registry.metrics();
  }
}

function fill(m: MetricSet, view: MetricsView, version: string, startSeconds: number): void {
  for (const metric of Object.values(m)) metric.reset();
  m.buildInfo.set({ version, nodejs_version: process.version }, 1);
  const machine = view.tick?.machine;
  m.machineCpu.inc(view.machineCpuSeconds);
  if (machine) {
    m.machineCores.set(machine.cores);
    m.memUsed.set(machine.memUsed);
    m.memTotal.set(machine.memTotal);
    m.swapUsed.set(machine.swapUsed);
    m.swapTotal.set(machine.swapTotal);
    m.load1.set(machine.load1);
    m.load5.set(machine.load5);
    m.load15.set(machine.load15);
    m.machineProcesses.set(machine.processCount);
    m.lastTick.set(machine.ts / 1000);
  }
  const cpu = process.cpuUsage();
  m.agentCpu.inc({ mode: 'user' }, cpu.user / 1e6);
  m.agentCpu.inc({ mode: 'system' }, cpu.system / 1e6);
  m.agentRss.set(process.memoryUsage.rss());
  m.agentStart.set(startSeconds);
  m.ticks.inc(view.ticks);
  m.folded.set(view.foldedNames);
  for (const g of view.groups) {
    const labels = { name: g.name };
    m.groupCpu.inc({ ...labels, mode: 'user' }, g.cpuUserSeconds);
    m.groupCpu.inc({ ...labels, mode: 'system' }, g.cpuSystemSeconds);
    m.groupRss.set(labels, g.residentBytes);
    m.groupRead.inc(labels, g.readBytes);
    m.groupWritten.inc(labels, g.writtenBytes);
    m.groupFds.set(labels, g.fds);
    m.groupThreads.set(labels, g.threads);
    m.groupCount.set(labels, g.processes);
    m.groupOldest.set(labels, g.oldestStart);
    m.groupStarts.inc(labels, g.starts);
  }
  for (const p of view.top) {
    const labels: Record<string, string> = { pid: String(p.pid), name: p.name };
    if (p.cmdline !== undefined) labels.cmdline = p.cmdline;
    if (p.cpuRatio !== null) m.topCpu.set(labels, p.cpuRatio);
    if (p.residentBytes !== null) m.topRss.set(labels, p.residentBytes);
  }
}
