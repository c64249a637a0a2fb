// The exposition, on prom-client: names, help, types, escaping, and both formats (Prometheus text
// and OpenMetrics). Names follow Prometheus' rules: one prefix of ours (not the reserved
// `process_`), base units, `_total` on counters, a `_build_info`, no timestamps, no host label.
//
// Two registries with their own metric objects, one per format: prom-client renames a counter in
// place (drops `_total`) while it writes OpenMetrics, so a shared object would lose its `_total` in
// the text format after the first OpenMetrics scrape.
//
// The ~500 labelled series (per name and per top process) are kept between scrapes: each one's
// sample object and label object are made once and only their values change. Resetting every
// metric and setting each series again through prom-client's set()/inc() re-hashed and re-checked
// every label set and allocated ~230 KB a scrape (a fifth of a scrape's garbage); with a scrape
// every 15 s that code and its garbage run cold each time. prom-client still names, types,
// escapes and formats every sample: Registry.metrics() asks each metric's get() for its samples.
import { Counter, Gauge, Registry, type RegistryContentType } from 'prom-client';
import type { MetricsView, TopProcess } from './collector';

const PREFIX = 'process_tracker_';

export type Format = 'text' | 'openmetrics';

/** One sample as prom-client formats it: the object get() hands to Registry.metrics(). */
type Sample<L extends string> = Awaited<ReturnType<Gauge<L>['get']>>['values'][number];

/**
 * A labelled gauge or counter whose samples we hold: its get() hands prom-client our list (its own
 * set()/inc() store stays empty), so a scrape updates values in place instead of rebuilding series.
 */
function kept<L extends string>(metric: Gauge<L> | Counter<L>): Sample<L>[] {
  const samples: Sample<L>[] = [];
  const get = metric.get.bind(metric);
  metric.get = async () => {
    const object = await get();
    object.values = samples;
    return object;
  };
  return samples;
}

function metricSet(registry: Registry<RegistryContentType>, commandLineLabels: boolean) {
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name: PREFIX + name, help, labelNames, registers: [registry] });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Counter<L>({ name: PREFIX + name, help, labelNames, registers: [registry] });
  const group = ['name'] as const;
  const top = commandLineLabels ? (['pid', 'name', 'cmdline'] as const) : (['pid', 'name'] as const);
  return {
    /** Set once: the same labels and value at every scrape. */
    buildInfo: gauge('build_info', "The agent's version; always 1.", ['version', 'nodejs_version']),
    /** Unlabelled: reset and set at each scrape (prom-client's own store, one series each). */
    fixed: {
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
    },
    agentCpu: counter('agent_cpu_seconds_total', 'CPU time of the agent itself, seconds.', ['mode']),
    fixedAgent: {
      agentRss: gauge('agent_resident_memory_bytes', 'Resident memory of the agent itself, bytes.'),
      agentStart: gauge('agent_start_time_seconds', 'When the agent started, seconds since the epoch.'),
      ticks: counter('agent_samples_total', 'Samples the agent took since /metrics started.'),
      lastTick: gauge(
        'agent_last_sample_timestamp_seconds',
        'When the latest sample was taken, seconds since the epoch.',
      ),
      folded: gauge('folded_names', 'Process names beyond the series cap, counted in the group "other".'),
    },
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
type Labels = Record<string, string>;

/** A process name's samples, made when the name first shows and kept while it does. */
interface GroupSamples {
  seen: number;
  cpuUser: Sample<string>;
  cpuSystem: Sample<string>;
  rss: Sample<string>;
  read: Sample<string>;
  written: Sample<string>;
  fds: Sample<string>;
  threads: Sample<string>;
  count: Sample<string>;
  oldest: Sample<string>;
  starts: Sample<string>;
}

/** A top process's samples; the key is its labels. */
interface TopSamples {
  seen: number;
  cpu: Sample<string>;
  rss: Sample<string>;
}

/** One format's metrics and the samples kept between its scrapes. */
class Exposition {
  readonly registry = new Registry<RegistryContentType>();
  private readonly m: MetricSet;
  private readonly lists: Record<
    | 'agentCpu'
    | 'cpu'
    | 'rss'
    | 'read'
    | 'written'
    | 'fds'
    | 'threads'
    | 'count'
    | 'oldest'
    | 'starts'
    | 'topCpu'
    | 'topRss',
    Sample<string>[]
  >;
  private readonly agentUser: Sample<string> = { value: 0, labels: { mode: 'user' } };
  private readonly agentSystem: Sample<string> = { value: 0, labels: { mode: 'system' } };
  private readonly groups = new Map<string, GroupSamples>();
  private readonly top = new Map<string, TopSamples>();
  /** Which scrape this is: samples not seen in it belong to a name or process now gone. */
  private scrape = 0;

  constructor(
    contentType: RegistryContentType,
    version: string,
    private readonly startSeconds: number,
    commandLineLabels: boolean,
  ) {
    this.registry.setContentType(contentType);
    const m = (this.m = metricSet(this.registry, commandLineLabels));
    m.buildInfo.set({ version, nodejs_version: process.version }, 1);
    this.lists = {
      agentCpu: kept(m.agentCpu),
      cpu: kept(m.groupCpu),
      rss: kept(m.groupRss),
      read: kept(m.groupRead),
      written: kept(m.groupWritten),
      fds: kept(m.groupFds),
      threads: kept(m.groupThreads),
      count: kept(m.groupCount),
      oldest: kept(m.groupOldest),
      starts: kept(m.groupStarts),
      topCpu: kept(m.topCpu),
      topRss: kept(m.topRss),
    };
    this.lists.agentCpu.push(this.agentUser, this.agentSystem);
  }

  render(view: MetricsView): Promise<string> {
    this.fill(view);
    return this.registry.metrics();
  }

  private fill(view: MetricsView): void {
    const { m, lists } = this;
    for (const metric of Object.values(m.fixed)) metric.reset();
    for (const metric of Object.values(m.fixedAgent)) metric.reset();
    const machine = view.tick?.machine;
    m.fixed.machineCpu.inc(view.machineCpuSeconds);
    if (machine) {
      m.fixed.machineCores.set(machine.cores);
      m.fixed.memUsed.set(machine.memUsed);
      m.fixed.memTotal.set(machine.memTotal);
      m.fixed.swapUsed.set(machine.swapUsed);
      m.fixed.swapTotal.set(machine.swapTotal);
      m.fixed.load1.set(machine.load1);
      m.fixed.load5.set(machine.load5);
      m.fixed.load15.set(machine.load15);
      m.fixed.machineProcesses.set(machine.processCount);
      m.fixedAgent.lastTick.set(machine.ts / 1000);
    }
    const cpu = process.cpuUsage();
    this.agentUser.value = cpu.user / 1e6;
    this.agentSystem.value = cpu.system / 1e6;
    m.fixedAgent.agentRss.set(process.memoryUsage.rss());
    m.fixedAgent.agentStart.set(this.startSeconds);
    m.fixedAgent.ticks.inc(view.ticks);
    m.fixedAgent.folded.set(view.foldedNames);

    const scrape = ++this.scrape;
    for (const list of Object.values(lists)) if (list !== lists.agentCpu) list.length = 0;
    for (const g of view.groups) {
      const s = this.groupSamples(g.name);
      s.seen = scrape;
      lists.cpu.push(s.cpuUser, s.cpuSystem);
      s.cpuUser.value = g.cpuUserSeconds;
      s.cpuSystem.value = g.cpuSystemSeconds;
      lists.rss.push(s.rss);
      s.rss.value = g.residentBytes;
      lists.read.push(s.read);
      s.read.value = g.readBytes;
      lists.written.push(s.written);
      s.written.value = g.writtenBytes;
      lists.fds.push(s.fds);
      s.fds.value = g.fds;
      lists.threads.push(s.threads);
      s.threads.value = g.threads;
      lists.count.push(s.count);
      s.count.value = g.processes;
      lists.oldest.push(s.oldest);
      s.oldest.value = g.oldestStart;
      lists.starts.push(s.starts);
      s.starts.value = g.starts;
    }
    for (const p of view.top) {
      const s = this.topSamples(p);
      s.seen = scrape;
      if (p.cpuRatio !== null) {
        s.cpu.value = p.cpuRatio;
        lists.topCpu.push(s.cpu);
      }
      if (p.residentBytes !== null) {
        s.rss.value = p.residentBytes;
        lists.topRss.push(s.rss);
      }
    }
    // Names and processes gone since the last scrape: their samples go with them.
    for (const [key, s] of this.groups) if (s.seen !== scrape) this.groups.delete(key);
    for (const [key, s] of this.top) if (s.seen !== scrape) this.top.delete(key);
  }

  private groupSamples(name: string): GroupSamples {
    let s = this.groups.get(name);
    if (!s) {
      const labels: Labels = { name };
      const sample = (values: Labels = labels): Sample<string> => ({ value: 0, labels: values });
      s = {
        seen: 0,
        cpuUser: sample({ name, mode: 'user' }),
        cpuSystem: sample({ name, mode: 'system' }),
        rss: sample(),
        read: sample(),
        written: sample(),
        fds: sample(),
        threads: sample(),
        count: sample(),
        oldest: sample(),
        starts: sample(),
      };
      this.groups.set(name, s);
    }
    return s;
  }

  private topSamples(p: TopProcess): TopSamples {
    const key = p.cmdline === undefined ? `${p.pid}\0${p.name}` : `${p.pid}\0${p.name}\0${p.cmdline}`;
    let s = this.top.get(key);
    if (!s) {
      const labels: Labels = { pid: String(p.pid), name: p.name };
      if (p.cmdline !== undefined) labels.cmdline = p.cmdline;
      s = { seen: 0, cpu: { value: 0, labels }, rss: { value: 0, labels } };
      this.top.set(key, s);
    }
    return s;
  }
}

export class MetricsRegistry {
  private readonly formats: Record<Format, Exposition>;

  constructor(version: string, commandLineLabels: boolean) {
    const startSeconds = Math.round(Date.now() / 1000 - process.uptime());
    const make = (contentType: RegistryContentType) =>
      new Exposition(contentType, version, startSeconds, commandLineLabels);
    this.formats = {
      text: make(Registry.PROMETHEUS_CONTENT_TYPE),
      openmetrics: make(Registry.OPENMETRICS_CONTENT_TYPE),
    };
  }

  contentType(format: Format): string {
    return this.formats[format].registry.contentType;
  }

  render(view: MetricsView, format: Format): Promise<string> {
    return this.formats[format].render(view);
  }
}
