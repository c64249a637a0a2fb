// Turns ticks into spans for the three tiers. `compact` keeps from a tick only what an idle,
// unchanged process would not have said (that is what the WAL logs); `apply` expands a compact
// tick back into one span per alive identity — live ingest and WAL replay share this one path,
// so replay rebuilds exactly what ingest built.
import type { MachineSample, ProcessMeta, ProcessRow, Tick } from '../../shared/model';
import { RollupAccumulator, type Drained, type RollupState } from './rollup';
import { identityKey, rssChanged, type MachineSpan, type Span } from './span';
import { floorTo, HOUR_MS, MINUTE_MS } from './tiers';

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

/** What the recorder knows of an alive identity: the figures of its last logged row. */
interface Alive {
  meta: ProcessMeta;
  cpuNull: boolean;
  rss: number | null;
  readNull: boolean;
  writeNull: boolean;
  threads: number | null;
  fds: number | null;
}

/** An alive identity at run time: what the snapshot holds, plus bookkeeping that is never saved. */
interface Live extends Alive {
  key: string;
  /** Index into the pending idle ticks from which this identity's idle spans are not delivered yet. */
  from: number;
  /** The compact() call that last saw it, and the row object it saw then. */
  seen: number;
  row: ProcessRow | undefined;
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

/**
 * Idle identities cost nothing per tick. An identity whose tick says nothing (no CPU, no IO, same
 * memory, threads and fds) would add a span that only grows its alive time and memory
 * byte-seconds; in live ingest such spans are not built tick by tick but kept pending — the
 * pending ticks' times and running span total are shared by all identities, each identity only
 * remembers from which pending tick on it was idle — and delivered as one summed span when the
 * identity next does something or exits, when the minute ends, and before anything reads or
 * persists the files (`settle`). Sums and maxima of the summed span equal those of the single
 * spans, and idle spans never make a row except as an identity's first span in a raw file, so
 * every raw file's first tick is applied in full. WAL replay applies every tick in full.
 */
export class Recorder {
  lastTs = 0;
  private alive = new Map<string, Live>();
  private byPid = new Map<number, Live>();
  minute = new RollupAccumulator(MINUTE_MS);
  hour = new RollupAccumulator(HOUR_MS);
  /** Pending idle ticks: their times, and the running sum of their span seconds (one longer). */
  private idleTicks: number[] = [];
  private idleSum: number[] = [0];
  /** The raw file (start) the last tick went to; null until a tick is applied in full. */
  private rawFile: number | null = null;
  private generation = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly rawFileSpanMs = HOUR_MS,
  ) {}

  compact(tick: Tick): CompactTick {
    const generation = ++this.generation;
    const r: LoggedRow[] = [];
    const n: ProcessMeta[] = [];
    let fresh: Set<string> | undefined;
    for (const p of tick.processes) {
      const a = this.byPid.get(p.pid);
      if (a && a.meta.startTime === p.startTime) {
        if (a.seen === generation) continue;
        a.seen = generation;
        // The very same row object as last tick: nothing changed (see Tick in shared/model.ts).
        if (p === a.row) continue;
        a.row = p;
        if (this.saysSomething(p, a)) r.push([a.key, p.cpu, p.rss, p.readBps, p.writeBps, p.threads, p.fds]);
        continue;
      }
      const key = identityKey(p.pid, p.startTime);
      const known = this.alive.get(key);
      if (known) {
        // Alive under this key but not indexed by this pid (cannot happen; kept for safety).
        if (known.seen === generation) continue;
        known.seen = generation;
        known.row = p;
        if (this.saysSomething(p, known))
          r.push([key, p.cpu, p.rss, p.readBps, p.writeBps, p.threads, p.fds]);
        continue;
      }
      fresh ??= new Set();
      if (fresh.has(key)) continue;
      fresh.add(key);
      n.push(metaOf(p));
      r.push([key, p.cpu, p.rss, p.readBps, p.writeBps, p.threads, p.fds]);
    }
    const x: string[] = [];
    for (const a of this.alive.values()) if (a.seen !== generation) x.push(a.key);
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

  /**
   * Applies one compact tick. `lazy` (live ingest) keeps idle identities' spans pending; without
   * it (WAL replay) every alive identity gets its span now, so each file's applied mark stays exact.
   */
  apply(c: CompactTick, sink: SpanSink, lazy = false): void {
    const t = c.t;
    // A new minute: the closing minute (and the raw file) get every pending idle span first.
    if (this.minute.bucket !== null && this.minute.bucket !== this.minute.bucketOf(t)) this.settle(sink, t);
    for (const meta of c.n) {
      const key = identityKey(meta.pid, meta.startTime);
      const a: Live = {
        meta,
        cpuNull: true,
        rss: null,
        readNull: true,
        writeNull: true,
        threads: null,
        fds: null,
        key,
        from: this.idleTicks.length,
        seen: 0,
        row: undefined,
      };
      this.alive.set(key, a);
      this.byPid.set(meta.pid, a);
    }
    this.rollBuckets(t, sink);
    // Gone since the previous tick: no span for this one.
    const exited: string[] = [];
    for (const key of c.x) {
      const a = this.alive.get(key);
      if (!a) continue;
      this.deliverIdle(a, sink, t);
      this.forget(a);
      exited.push(key);
    }
    const spanS = (c.e > 0 ? c.e : this.intervalMs) / 1000;
    const rawFile = floorTo(t, this.rawFileSpanMs);
    if (!lazy || rawFile !== this.rawFile) {
      // Every alive identity's span now: replay, and each raw file's first tick (its first rows).
      this.settle(sink, t);
      const logged = new Map<string, LoggedRow>();
      for (const row of c.r) logged.set(row[0], row);
      for (const a of this.alive.values()) this.addSpan(a, logged.get(a.key), t, spanS, sink);
      this.rawFile = lazy ? rawFile : null;
    } else {
      const next = this.idleTicks.length + 1;
      for (const row of c.r) {
        const a = this.alive.get(row[0]);
        if (!a || a.from === next) continue;
        this.deliverIdle(a, sink, t);
        this.addSpan(a, row, t, spanS, sink);
        a.from = next;
      }
      this.idleTicks.push(t);
      this.idleSum.push(this.idleSum[this.idleSum.length - 1]! + spanS);
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

  /** One identity's span for tick `t`: from its logged row, else the idle figures it keeps. */
  private addSpan(a: Live, row: LoggedRow | undefined, t: number, spanS: number, sink: SpanSink): void {
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

  /** Delivers an identity's pending idle ticks as one span. */
  private deliverIdle(a: Live, sink: SpanSink, t: number): void {
    const until = this.idleTicks.length;
    if (a.from >= until) return;
    const spanS = this.idleSum[until]! - this.idleSum[a.from]!;
    const span: Span = {
      ts: this.idleTicks[a.from]!,
      firstTs: this.idleTicks[a.from]!,
      lastTs: this.idleTicks[until - 1]!,
      spanS,
      cpuS: a.cpuNull ? null : 0,
      cpuMax: a.cpuNull ? null : 0,
      rss: a.rss,
      rssMax: a.rss,
      readB: a.readNull ? null : 0,
      writeB: a.writeNull ? null : 0,
      threads: a.threads,
      fds: a.fds,
      exitTs: null,
    };
    a.from = until;
    sink.raw(a.meta, span, t);
    this.minute.add(a.meta, span);
  }

  /** Delivers every pending idle span (`t`: the tick on whose behalf, for the sink). */
  settle(sink: SpanSink, t: number): void {
    if (this.idleTicks.length === 0) return;
    for (const a of this.alive.values()) {
      this.deliverIdle(a, sink, t);
      a.from = 0;
    }
    this.idleTicks = [];
    this.idleSum = [0];
  }

  private forget(a: Live): void {
    this.alive.delete(a.key);
    if (this.byPid.get(a.meta.pid) === a) this.byPid.delete(a.meta.pid);
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

  /** The recorder's state for a WAL segment's first line; call `settle` first. */
  snapshot(): RecorderSnapshot {
    if (this.idleTicks.length > 0) throw new Error('recorder snapshot with unsettled idle spans');
    return {
      lastTs: this.lastTs,
      alive: [...this.alive.values()].map(({ meta, cpuNull, rss, readNull, writeNull, threads, fds }) => ({
        meta,
        cpuNull,
        rss,
        readNull,
        writeNull,
        threads,
        fds,
      })),
      minute: this.minute.toJSON(),
      hour: this.hour.toJSON(),
    };
  }

  restore(s: RecorderSnapshot): void {
    this.lastTs = s.lastTs;
    this.alive = new Map();
    this.byPid = new Map();
    this.idleTicks = [];
    this.idleSum = [0];
    this.rawFile = null;
    for (const saved of s.alive) {
      const a: Live = {
        ...saved,
        key: identityKey(saved.meta.pid, saved.meta.startTime),
        from: 0,
        seen: 0,
        row: undefined,
      };
      this.alive.set(a.key, a);
      this.byPid.set(a.meta.pid, a);
    }
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
