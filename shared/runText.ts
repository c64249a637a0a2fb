// How a run reads, in the Runs view and in `process-tracker runs`: one formatter for both.
// "npm run build · 43s · peak 2.1 GiB · exit 0" and "1.8× slower, 1.5× hungrier than usual".
import { formatBytes, formatDuration } from './duration';
import type { RunComparison, RunListing } from './model';

/** A ratio counts as different from usual beyond these (runs vary by a few tens of percent). */
export const SLOWER_RATIO = 1.25;
export const FASTER_RATIO = 0.8;

export function runSummary(run: RunListing, now = Date.now()): string {
  const parts = [
    run.end === null ? `running ${formatDuration(now - run.start)}` : formatDuration(run.end - run.start),
    `peak ${formatBytes(run.peakRss)}`,
  ];
  if (run.end !== null) parts.push(run.exitCode === null ? 'exit not observed' : `exit ${run.exitCode}`);
  return parts.join(' · ');
}

/** The one-line label: the command then the summary. */
export function runLine(run: RunListing, now = Date.now()): string {
  return `${run.command} · ${runSummary(run, now)}`;
}

/** "1.8× slower, 1.5× hungrier than usual", "as usual", "first run" — against the earlier runs. */
export function comparisonText(c: RunComparison): string {
  if (c.earlier === 0) return 'first run';
  const parts: string[] = [];
  const word = (ratio: number | null, more: string, less: string) => {
    if (ratio === null) return;
    if (ratio >= SLOWER_RATIO) parts.push(`${ratio.toFixed(1)}× ${more}`);
    else if (ratio <= FASTER_RATIO) parts.push(`${(1 / ratio).toFixed(1)}× ${less}`);
  };
  word(c.durationRatio, 'slower', 'faster');
  word(c.peakRatio, 'hungrier', 'leaner');
  const base = `median of ${c.earlier} earlier: ${c.medianSeconds === null ? '–' : formatDuration(c.medianSeconds * 1000)}, peak ${formatBytes(c.medianPeakRss)}`;
  return parts.length === 0 ? `as usual (${base})` : `${parts.join(', ')} than usual (${base})`;
}
