// Collect → derive, keeping the previous snapshot for the rates and each identity's category so
// the rules run once per process rather than once per tick.
import type { Categorize } from './categories';
import type { Collector, RawProcess, RawSnapshot } from './collect/types';
import { derive, identityKey } from './derive';
import type { Category, Tick } from '../shared/model';

interface CachedCategory {
  // A process that execs keeps its identity but changes name and command line: recategorize then.
  name: string;
  cmdline: string;
  category: Category;
}

export class Sampler {
  private previous: RawSnapshot | undefined;
  private categories = new Map<string, CachedCategory>();
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
  }

  private async collectAndDerive(): Promise<Tick> {
    const current = await this.collector.collect();
    const seen = new Map<string, CachedCategory>();
    const tick = derive(this.previous, current, (process) => this.categoryOf(process, seen));
    // Only identities alive now are carried over, so the cache is bounded by the process count.
    this.categories = seen;
    this.previous = current;
    return tick;
  }

  private categoryOf(process: RawProcess, seen: Map<string, CachedCategory>): Category {
    const key = identityKey(process);
    let cached = this.categories.get(key);
    if (!cached || cached.name !== process.name || cached.cmdline !== process.cmdline) {
      cached = { name: process.name, cmdline: process.cmdline, category: this.categorize(process) };
    }
    seen.set(key, cached);
    return cached.category;
  }
}
