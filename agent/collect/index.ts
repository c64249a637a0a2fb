// Picks the collector once per platform: /proc on Linux, ps-list + pidusage elsewhere.
// PROCESS_TRACKER_COLLECTOR=portable forces the portable path (to compare or debug it on Linux).
import { PortableCollector } from './portable';
import { ProcfsCollector } from './procfs';
import type { Collector } from './types';

export type CollectorKind = Collector['kind'];

export function defaultCollectorKind(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): CollectorKind {
  if (env.PROCESS_TRACKER_COLLECTOR === 'portable') return 'portable';
  return platform === 'linux' ? 'procfs' : 'portable';
}

export function createCollector(kind: CollectorKind = defaultCollectorKind()): Collector {
  return kind === 'procfs' ? new ProcfsCollector() : new PortableCollector();
}
