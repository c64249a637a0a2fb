// The recording agent: sampler → store on a drift-corrected schedule, until asked to stop.
import { createCategorizer } from './categories';
import { createCollector } from './collect';
import type { Logger } from './log';
import { Sampler } from './sampler';
import { Scheduler } from './scheduler';
import { Store } from './store';
import type { Tick } from '../shared/model';
import type { AgentSettings } from '../shared/settings';

/** The running sampling loop (sampler → listeners → store); agent/store/recorder.ts is the store's tick compactor. */
export interface Sampling {
  readonly store: Store;
  readonly scheduler: Scheduler;
  readonly collectorKind: 'procfs' | 'portable';
  latest(): Tick | undefined;
  onTick(listener: (tick: Tick) => void): () => void;
  /** Stops sampling, then flushes and closes the store. */
  stop(): Promise<void>;
}

/** The span of the first recorded tick's rates: ±4 % for one process (10 ms clock ticks), soon. */
const PRIMING_MS = 250;

export async function startSampling(settings: AgentSettings, log: Logger): Promise<Sampling> {
  const sampler = new Sampler(createCollector(), createCategorizer(settings.categories));
  // A first sample has nothing to compare with, so its CPU figures are unknown. Take it now,
  // unrecorded, while the store opens: the first recorded tick (and a just-opened window's status
  // bar) then has figures PRIMING_MS later instead of one interval later.
  await sampler.sample();
  const primedAt = performance.now();
  let store: Store;
  try {
    store = await Store.open({
      dataDir: settings.dataDir,
      retention: settings.retention,
      intervalMs: settings.intervalMs,
      flushIntervalMs: settings.flushIntervalMs,
      log,
    });
  } catch (error) {
    sampler.close();
    throw error;
  }
  const listeners = new Set<(tick: Tick) => void>();
  let latest: Tick | undefined;

  const scheduler = new Scheduler(
    settings.intervalMs,
    async () => {
      const tick = await sampler.sample();
      latest = tick;
      // Listeners (the clients' notifications, alerts) first: the store's ingest is not on the path
      // to a window's figures (a few ms a tick, tens on the first, which creates the tiers' files).
      // A request that a notification prompts is read after this callback, so it finds the tick
      // stored.
      for (const listener of listeners) {
        try {
          listener(tick);
        } catch (error) {
          log.error(`tick listener failed: ${(error as Error).message}`);
        }
      }
      store.ingest(tick);
    },
    log,
  );
  scheduler.start(Math.max(0, Math.min(PRIMING_MS, settings.intervalMs) - (performance.now() - primedAt)));
  log.info(`recording every ${settings.intervalMs} ms into ${settings.dataDir}`);

  let stopping: Promise<void> | undefined;
  return {
    store,
    scheduler,
    collectorKind: sampler.collectorKind,
    latest: () => latest,
    onTick(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopping ??= (async () => {
        await scheduler.stop();
        sampler.close();
        await store.close();
        const { ticks, skipped, worstLatenessMs } = scheduler.stats;
        log.info(
          `stopped after ${ticks} ticks (${skipped} skipped); worst tick lateness ${worstLatenessMs.toFixed(1)} ms; store flushed`,
        );
      })();
      return stopping;
    },
  };
}
