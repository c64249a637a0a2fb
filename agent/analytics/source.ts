// What the report and explain read besides the store: the findings and the baselines. The running
// engine is one such source; the files it keeps (DATA_DIR/analytics/) are the other, for the CLI
// when no agent runs.
import type { ContainerEvent, Finding } from '../../shared/model';
import { loadJson } from '../alerts/outbox';
import { baselinesFile, MACHINE_HOURS, nameBaselineKey, type AnalyticsEngine } from './engine';
import { ContainerBook, containersFile } from './containers';
import { FindingBook, findingsFile } from './findings';
import { Ring } from './ring';
import { emptyMoments, type Moments } from './stats';

export interface AnalyticsSource {
  findings(from: number, to: number): Finding[];
  /** Containers' starts and stops within [from, to]. */
  containerEvents(from: number, to: number): ContainerEvent[];
  /** A container's name as the engine read it (containers.ts); null when unknown. */
  containerName(container: string): string | null;
  /** Long-run per-minute memory moments of one name in one container, null: on the host (for its coefficient of variation). */
  rssMoments(name: string, container: string | null): Moments | undefined;
  /** Hourly machine rows [hour start, cpu %, memUsed, memTotal], oldest first. */
  machineHours(): Ring;
}

export function engineSource(engine: AnalyticsEngine): AnalyticsSource {
  return {
    findings: (from, to) => engine.findingsIn(from, to),
    containerEvents: (from, to) => engine.containers.inRange(from, to),
    containerName: (container) => engine.containers.nameOf(container),
    rssMoments: (name, container) => engine.names.get(nameBaselineKey(name, container))?.rss,
    machineHours: () => engine.machineHours,
  };
}

/** The files as the engine last wrote them (read only; missing files read as empty). */
export function fileSource(dataDir: string): AnalyticsSource {
  const book = new FindingBook(findingsFile(dataDir));
  // Read only: a book without a file to write to, loaded from the engine's (no names looked up).
  const containers = new ContainerBook(containersFile(dataDir), () => null);
  const saved = loadJson<{ names?: Record<string, { rss?: Moments }>; machine?: number[] }>(
    baselinesFile(dataDir),
  );
  const machine = Ring.from(MACHINE_HOURS, 4, saved?.machine);
  return {
    findings: (from, to) => book.inRange(from, to),
    containerEvents: (from, to) => containers.inRange(from, to),
    containerName: (container) => containers.nameOf(container),
    rssMoments: (name, container) => {
      const m = saved?.names?.[nameBaselineKey(name, container)]?.rss;
      return m && typeof m.n === 'number' ? { ...emptyMoments(), ...m } : undefined;
    },
    machineHours: () => machine,
  };
}
