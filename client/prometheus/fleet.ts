// Every machine a Prometheus scrapes our agent on, with its CPU, memory and top processes of the
// moment, from instant queries over what the agents' /metrics exposed (agent/metrics/registry.ts
// names the series). Prometheus is the hub: a machine is a (job, instance) pair it scrapes.
import { PrometheusApi, valueOf, type InstantSample } from './api';

/** A machine as Prometheus knows it: the target's labels, which Prometheus adds to every series. */
export interface MachineId {
  job: string;
  instance: string;
}

export interface FleetProcess {
  pid: number;
  name: string;
  /** Share of one core (1 = a whole core). */
  cpuRatio: number | null;
  residentBytes: number | null;
}

export interface MachineSummary extends MachineId {
  /** The latest scrape succeeded. */
  up: boolean;
  version: string | null;
  cores: number | null;
  /** Share of the whole machine over the last minute (0–1); null without two scrapes. */
  cpuRatio: number | null;
  memUsed: number | null;
  memTotal: number | null;
  /** The agent's latest sample, ms since the epoch. */
  lastSample: number | null;
  /** The top processes by CPU, then by memory, as the agent exposed them (each process once). */
  topCpu: FleetProcess[];
  topMemory: FleetProcess[];
}

const P = 'process_tracker_';
/** A machine that has not been scraped for this long is no longer listed. */
export const FORGET_AFTER = '1h';

export const machineKey = (m: MachineId) => `${m.job}\n${m.instance}`;
const idOf = (s: InstantSample): MachineId => ({
  job: s.metric.job ?? '',
  instance: s.metric.instance ?? '',
});

/** PromQL's string quoting for a label value (a double-quoted Go string). */
export const quoteLabel = (value: string) => JSON.stringify(value);

/** The label matchers of `job`, if one is asked for. */
const jobMatcher = (job: string | undefined) => (job === undefined ? '' : `{job=${quoteLabel(job)}}`);

export interface FleetOptions {
  /** Only this scrape job's targets. */
  job?: string;
  /** Processes per machine in each top list. */
  top: number;
  /** Instant of the queries, ms; now when absent. */
  time?: number;
}

export async function listMachines(api: PrometheusApi, options: FleetOptions): Promise<MachineSummary[]> {
  const sel = jobMatcher(options.job);
  const q = (expr: string) => api.query(expr, options.time);
  const byMachine = (samples: InstantSample[]) => new Map(samples.map((s) => [machineKey(idOf(s)), s]));
  const [seen, up, cores, cpu, memUsed, memTotal, last, topCpu, topMem] = await Promise.all([
    q(`last_over_time(${P}build_info${sel}[${FORGET_AFTER}])`),
    q(`up${sel}`),
    q(`${P}machine_cpu_cores${sel}`),
    // rate() extrapolates to the window's edges: a busy machine can read a hair over 1.
    q(
      `clamp_max(rate(${P}machine_cpu_seconds_total${sel}[1m]) / on (job, instance) ${P}machine_cpu_cores${sel}, 1)`,
    ),
    q(`${P}machine_memory_used_bytes${sel}`),
    q(`${P}machine_memory_total_bytes${sel}`),
    q(`${P}agent_last_sample_timestamp_seconds${sel}`),
    q(`topk by (job, instance) (${options.top}, ${P}top_process_cpu_ratio${sel})`),
    q(`topk by (job, instance) (${options.top}, ${P}top_process_resident_memory_bytes${sel})`),
  ]);
  const maps = {
    up: byMachine(up),
    cores: byMachine(cores),
    cpu: byMachine(cpu),
    memUsed: byMachine(memUsed),
    memTotal: byMachine(memTotal),
    last: byMachine(last),
  };
  const num = (map: Map<string, InstantSample>, key: string) => {
    const sample = map.get(key);
    return sample && Number.isFinite(valueOf(sample)) ? valueOf(sample) : null;
  };
  const machines = new Map<string, MachineSummary>();
  for (const sample of seen) {
    const id = idOf(sample);
    const key = machineKey(id);
    const lastSample = num(maps.last, key);
    machines.set(key, {
      ...id,
      up: num(maps.up, key) === 1,
      version: sample.metric.version ?? null,
      cores: num(maps.cores, key),
      cpuRatio: num(maps.cpu, key),
      memUsed: num(maps.memUsed, key),
      memTotal: num(maps.memTotal, key),
      lastSample: lastSample === null ? null : Math.round(lastSample * 1000),
      topCpu: [],
      topMemory: [],
    });
  }
  // The same process carries both gauges: its other figure comes from the other list's sample.
  const figures = new Map<string, { cpu?: number; rss?: number }>();
  const processKey = (s: InstantSample) => `${machineKey(idOf(s))}\n${s.metric.pid}`;
  for (const s of topCpu) figures.set(processKey(s), { cpu: valueOf(s) });
  for (const s of topMem) figures.set(processKey(s), { ...figures.get(processKey(s)), rss: valueOf(s) });
  const addTop = (samples: InstantSample[], list: 'topCpu' | 'topMemory') => {
    for (const s of samples) {
      const machine = machines.get(machineKey(idOf(s)));
      if (!machine) continue;
      const f = figures.get(processKey(s))!;
      machine[list].push({
        pid: Number(s.metric.pid),
        name: s.metric.name ?? '',
        cpuRatio: f.cpu ?? null,
        residentBytes: f.rss ?? null,
      });
    }
  };
  addTop(topCpu, 'topCpu');
  addTop(topMem, 'topMemory');
  for (const machine of machines.values()) {
    machine.topCpu.sort((a, b) => (b.cpuRatio ?? -1) - (a.cpuRatio ?? -1));
    machine.topMemory.sort((a, b) => (b.residentBytes ?? -1) - (a.residentBytes ?? -1));
  }
  return [...machines.values()].sort(
    (a, b) => a.job.localeCompare(b.job) || a.instance.localeCompare(b.instance),
  );
}
