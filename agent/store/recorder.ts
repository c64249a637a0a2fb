// Turns ticks into spans for the three tiers. `compact` keeps from a tick only what an idle,
// unchanged process would not have said (that is what the WAL logs); `apply` expands a compact
// tick back into one span per alive identity — live ingest and WAL replay share this one path,
// so replay rebuilds exactly what ingest built.
import type { MachineSample, ProcessMeta, ProcessRow, Tick } from '../../shared/model';
import { RollupAccumulator, type Drained, type RollupState } from './rollup';
import { identityKey, rssChanged, type MachineSpan, type Span } from './span';
import { HOUR_MS, MINUTE_MS } from './tiers';

/** key, cpu %, rss, readBps, writeBps, threads, fds */
export type LoggedRow = [
  string,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
  number | null,
];

export interface CompactTick {
  t: number;
  e: number;
  m: MachineSample;
  /** Rows of identities that did something or changed, and of new identities. */
  r: LoggedRow[];
  /** Metadata of identities first seen on this tick. */
  n: ProcessMeta[];
  /** Keys of identities gone since the previous tick. */
  x: string[];
}

interface Alive {
  meta: ProcessMeta;
  cpuNull: boolean;
  rss: number | null;
  readNull: boolean;
  writeNull: boolean;
  threads: number | null;
  fds: number | null;
}

export interface RecorderSnapshot {
  lastTs: number;
  alive: Alive[];
  minute: RollupState;
  hour: RollupState;
}

/** Where the recorder's spans go; `t` is the tick that produced them (for idempotent replay). */
export interface SpanSink {
  raw(meta: ProcessMeta, span: Span, t: number): void;
  rawMachine(m: MachineSpan, t: number): void;
  rawExit(key: string, exitTs: number, t: number): void;
  rollup(tier: 'minute' | 'hour', drained: Drained, t: number): void;
  /** End of one tick's effects. */
  done(t: number): void;
}

const metaOf = (p: ProcessRow): ProcessMeta => ({
  pid: p.pid,
  startTime: p.startTime,
  ppid: p.ppid,
  name: p.name,
  cmdline: p.cmdline,
  user: p.user,
  category: p.category,
  container: p.container,
});

export class Recorder {
  lastTs = 0;
  private alive = new Map<string, Alive>();
  minute = new RollupAccumulator(MINUTE_MS);
  hour = new RollupAccumulator(HOUR_MS);

  constructor(private readonly intervalMs: number) {}

  compact(tick: Tick): CompactTick {
    const r: LoggedRow[] = [];
    const n: ProcessMeta[] = [];
    const seen = new Set<string>();
    for (const p of tick.processes) {
      const key = identityKey(p.pid, p.startTime);
      if (seen.has(key)) continue;
      seen.add(key);
      const before = this.alive.get(key);
      if (!before) n.push(metaOf(p));
      if (!before || this.saysSomething(p, before)) {
        r.push([key, p.cpu, p.rss, p.readBps, p.writeBps, p.threads, p.fds]);
      }
    }
    const x: string[] = [];
    for (const key of this.alive.keys()) if (!seen.has(key)) x.push(key);
    return { t: tick.ts, e: tick.elapsedMs, m: tick.machine, r, n, x };
  }

  private saysSomething(p: ProcessRow, a: Alive): boolean {
    return (
      (p.cpu ?? 0) > 0 ||
      (p.readBps ?? 0) > 0 ||
      (p.writeBps ?? 0) > 0 ||
      (p.cpu === null) !== a.cpuNull ||
      (p.readBps === null) !== a.readNull ||
      (p.writeBps === null) !== a.writeNull ||
      rssChanged(p.rss, a.rss) ||
      p.threads !== a.threads ||
      p.fds !== a.fds
    );
  }

  apply(c: CompactTick, sink: SpanSink): void {
    const t = c.t;
    for (const meta of c.n) {
      this.alive.set(identityKey(meta.pid, meta.startTime), {
        meta,
        cpuNull: true,
        rss: null,
        readNull: true,
        writeNull: true,
        threads: null,
        fds: null,
      });
    }
    this.rollBuckets(t, sink);
    // Gone since the previous tick: no span for this one.
    const exited = c.x.filter((key) => this.alive.delete(key));
    const spanS = (c.e > 0 ? c.e : this.intervalMs) / 1000;
    const logged = new Map<string, LoggedRow>();
    for (const row of c.r) logged.set(row[0], row);
    for (const [key, a] of this.alive) {
      const row = logged.get(key);
      let cpu: number | null;
      let read: number | null;
      let write: number | null;
      if (row) {
        [, cpu, a.rss, read, write, a.threads, a.fds] = row;
        a.cpuNull = cpu === null;
        a.readNull = read === null;
        a.writeNull = write === null;
      } else {
        cpu = a.cpuNull ? null : 0;
        read = a.readNull ? null : 0;
        write = a.writeNull ? null : 0;
      }
      const span: Span = {
        ts: t,
        firstTs: t,
        lastTs: t,
        spanS,
        cpuS: cpu === null ? null : (cpu / 100) * spanS,
        cpuMax: cpu,
        rss: a.rss,
        rssMax: a.rss,
        readB: read === null ? null : read * spanS,
        writeB: write === null ? null : write * spanS,
        threads: a.threads,
        fds: a.fds,
        exitTs: null,
      };
      sink.raw(a.meta, span, t);
      this.minute.add(a.meta, span);
    }
    const machine = machineSpan(c.m, t, spanS);
    sink.rawMachine(machine, t);
    this.minute.addMachine(machine);
    for (const key of exited) {
      sink.rawExit(key, t, t);
      this.minute.markExit(key, t);
    }
    this.lastTs = Math.max(this.lastTs, t);
    sink.done(t);
  }

  /** Drains the minute bucket (and the hour bucket) when tick `t` belongs to a later one. */
  private rollBuckets(t: number, sink: SpanSink): void {
    if (this.minute.bucket !== null && this.minute.bucket !== this.minute.bucketOf(t)) {
      const drained = this.minute.drain();
      if (drained) this.addMinute(drained, t, sink);
    }
    if (this.hour.bucket !== null && this.hour.bucket !== this.hour.bucketOf(t)) {
      const drained = this.hour.drain();
      if (drained) sink.rollup('hour', drained, t);
    }
  }

  /** A finished minute: into the minute tier and the hour bucket. Also the generator's entry. */
  addMinute(drained: Drained, t: number, sink: SpanSink): void {
    sink.rollup('minute', drained, t);
    if (this.hour.bucket !== null && this.hour.bucket !== this.hour.bucketOf(drained.bucket)) {
      const hour = this.hour.drain();
      if (hour) sink.rollup('hour', hour, t);
    }
    for (const { meta, span } of drained.spans) this.hour.add(meta, span);
    if (drained.machine) this.hour.addMachine(drained.machine);
  }

  snapshot(): RecorderSnapshot {
    return {
      lastTs: this.lastTs,
      alive: [...this.alive.values()],
      minute: this.minute.toJSON(),
      hour: this.hour.toJSON(),
    };
  }

  restore(s: RecorderSnapshot): void {
    this.lastTs = s.lastTs;
    this.alive = new Map(s.alive.map((a) => [identityKey(a.meta.pid, a.meta.startTime), a]));
    this.minute = RollupAccumulator.fromJSON(s.minute);
    this.hour = RollupAccumulator.fromJSON(s.hour);
  }

  aliveCount(): number {
    return this.alive.size;
  }
}

function machineSpan(m: MachineSample, t: number, spanS: number): MachineSpan {
  return {
    ts: t,
    spanS,
    cpu: m.cpu,
    cpuMax: m.cpu,
    cores: m.cores,
    memUsed: m.memUsed,
    memMax: m.memUsed,
    memTotal: m.memTotal,
    swapUsed: m.swapUsed,
    swapTotal: m.swapTotal,
    load1: m.load1,
    load5: m.load5,
    load15: m.load15,
    processCount: m.processCount,
  };
}
