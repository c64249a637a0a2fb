// Collect → derive, keeping the previous snapshot for the rates and each identity's category so
// the rules run once per process rather than once per tick.
import type { Categorize } from './categories';
import type { Collector, RawProcess, RawSnapshot } from './collect/types';
import { derive } from './derive';
import type { Category, Tick } from '../shared/model';

interface CachedCategory {
  startTime: number;
  // A process that execs keeps its identity but changes name and command line: recategorize then.
  name: string;
  cmdline: string;
  category: Category;
}

export class Sampler {
  private previous: RawSnapshot | undefined;
  private previousTick: Tick | undefined;
  /** By pid, checked against the start time; exited identities are dropped every tick. */
  private categories = new Map<number, CachedCategory>();
  private inFlight: Promise<Tick> | undefined;

  constructor(
    private readonly collector: Collector,
    private readonly categorize: Categorize,
  ) {}

  get collectorKind(): Collector['kind'] {
    return this.collector.kind;
  }

  /** Collects and derives one tick. Concurrent calls share one collection, so rates stay paired. */
  sample(): Promise<Tick> {
    this.inFlight ??= this.collectAndDerive().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  close(): void {
    this.collector.close();
    this.categories.clear();
    this.previous = undefined;
    this.previousTick = undefined;
  }

  private async collectAndDerive(): Promise<Tick> {
    const current = await this.collector.collect();
    const tick = derive(this.previous, current, (process) => this.categoryOf(process), this.previousTick);
    // Only identities alive now stay cached, so the cache is bounded by the process count.
    for (const gone of tick.exited) {
      if (this.categories.get(gone.pid)?.startTime === gone.startTime) this.categories.delete(gone.pid);
    }
    this.previous = current;
    this.previousTick = tick;
    return tick;
  }

  private categoryOf(process: RawProcess): Category {
    let cached = this.categories.get(process.pid);
    if (
      !cached ||
      cached.startTime !== process.startTime ||
      cached.name !== process.name ||
      cached.cmdline !== process.cmdline
    ) {
      cached = {
        startTime: process.startTime,
        name: process.name,
        cmdline: process.cmdline,
        category: this.categorize(process),
      };
      this.categories.set(process.pid, cached);
    }
    return cached.category;
  }
}
