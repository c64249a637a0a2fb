// Accumulates spans of one bucket (a minute or an hour) per identity, and the machine's figures,
// until the bucket is drained into a rollup tier. Serialisable, so the WAL's snapshot can carry it.
import type { ProcessMeta } from '../../shared/model';
import { addNullable, identityKey, maxNullable, type MachineSpan, type Span } from './span';
import { floorTo } from './tiers';

interface Entry {
  meta: ProcessMeta;
  span: Span;
  rssBs: number;
  rssS: number;
}

interface MachineEntry {
  last: MachineSpan;
  spanS: number;
  cpuWeighted: number;
  cpuKnownS: number;
  cpuMax: number | null;
  memWeighted: number;
  memMax: number;
  loadWeighted: [number, number, number];
  countWeighted: number;
}

export interface Drained {
  bucket: number;
  spans: { meta: ProcessMeta; span: Span }[];
  machine: MachineSpan | null;
}

export interface RollupState {
  stepMs: number;
  bucket: number | null;
  entries: Entry[];
  machine: MachineEntry | null;
}

export class RollupAccumulator {
  bucket: number | null = null;
  private entries = new Map<string, Entry>();
  /** The same entries by meta object (the recorder passes one object per identity): no key strings. */
  private byMeta = new Map<ProcessMeta, Entry>();
  private machine: MachineEntry | null = null;

  constructor(readonly stepMs: number) {}

  bucketOf(ts: number): number {
    return floorTo(ts, this.stepMs);
  }

  add(meta: ProcessMeta, s: Span): void {
    this.bucket ??= this.bucketOf(s.ts);
    let e = this.byMeta.get(meta);
    if (!e) {
      e = this.entries.get(identityKey(meta.pid, meta.startTime));
      if (e) this.byMeta.set(meta, e);
    }
    const rssS = s.rss === null ? 0 : s.spanS;
    const rssBs = s.rss === null ? 0 : s.rss * s.spanS;
    if (!e) {
      e = { meta, span: { ...s, ts: this.bucket, rssMax: maxNullable(s.rssMax, s.rss) }, rssBs, rssS };
      this.entries.set(identityKey(meta.pid, meta.startTime), e);
      this.byMeta.set(meta, e);
      return;
    }
    const t = e.span;
    t.firstTs = Math.min(t.firstTs, s.firstTs);
    t.lastTs = Math.max(t.lastTs, s.lastTs);
    t.spanS += s.spanS;
    t.cpuS = addNullable(t.cpuS, s.cpuS);
    t.cpuMax = maxNullable(t.cpuMax, s.cpuMax);
    t.rssMax = maxNullable(t.rssMax, maxNullable(s.rssMax, s.rss));
    t.readB = addNullable(t.readB, s.readB);
    t.writeB = addNullable(t.writeB, s.writeB);
    t.threads = s.threads;
    t.fds = s.fds;
    if (s.exitTs !== null) t.exitTs = s.exitTs;
    e.rssBs += rssBs;
    e.rssS += rssS;
  }

  markExit(key: string, ts: number): void {
    const e = this.entries.get(key);
    if (e) e.span.exitTs = ts;
  }

  addMachine(m: MachineSpan): void {
    this.bucket ??= this.bucketOf(m.ts);
    const e = (this.machine ??= {
      last: m,
      spanS: 0,
      cpuWeighted: 0,
      cpuKnownS: 0,
      cpuMax: null,
      memWeighted: 0,
      memMax: 0,
      loadWeighted: [0, 0, 0],
      countWeighted: 0,
    });
    e.last = m;
    e.spanS += m.spanS;
    if (m.cpu !== null) {
      e.cpuWeighted += m.cpu * m.spanS;
      e.cpuKnownS += m.spanS;
    }
    e.cpuMax = maxNullable(e.cpuMax, maxNullable(m.cpuMax, m.cpu));
    e.memWeighted += m.memUsed * m.spanS;
    e.memMax = Math.max(e.memMax, m.memMax, m.memUsed);
    e.loadWeighted[0] += m.load1 * m.spanS;
    e.loadWeighted[1] += m.load5 * m.spanS;
    e.loadWeighted[2] += m.load15 * m.spanS;
    e.countWeighted += m.processCount * m.spanS;
  }

  /** The bucket's rows so far, without clearing them (queries read the open bucket this way). */
  peek(): Drained | null {
    if (this.bucket === null) return null;
    const spans = [...this.entries.values()].map((e) => ({
      meta: e.meta,
      span: { ...e.span, rss: e.rssS > 0 ? e.rssBs / e.rssS : null },
    }));
    return {
      bucket: this.bucket,
      spans,
      machine: this.machine && this.machineSpan(this.bucket, this.machine),
    };
  }

  drain(): Drained | null {
    const drained = this.peek();
    this.bucket = null;
    this.entries = new Map();
    this.byMeta = new Map();
    this.machine = null;
    return drained;
  }

  private machineSpan(bucket: number, e: MachineEntry): MachineSpan {
    const per = (v: number) => (e.spanS > 0 ? v / e.spanS : 0);
    return {
      ...e.last,
      ts: bucket,
      spanS: e.spanS,
      cpu: e.cpuKnownS > 0 ? e.cpuWeighted / e.cpuKnownS : null,
      cpuMax: e.cpuMax,
      memUsed: per(e.memWeighted),
      memMax: e.memMax,
      load1: per(e.loadWeighted[0]),
      load5: per(e.loadWeighted[1]),
      load15: per(e.loadWeighted[2]),
      processCount: Math.round(per(e.countWeighted)),
    };
  }

  toJSON(): RollupState {
    return {
      stepMs: this.stepMs,
      bucket: this.bucket,
      entries: [...this.entries.values()],
      machine: this.machine,
    };
  }

  static fromJSON(state: RollupState): RollupAccumulator {
    const acc = new RollupAccumulator(state.stepMs);
    acc.bucket = state.bucket;
    for (const e of state.entries) acc.entries.set(identityKey(e.meta.pid, e.meta.startTime), e);
    acc.machine = state.machine;
    return acc;
  }
}
