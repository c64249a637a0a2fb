// Each run against the earlier finished runs of the same command in the same folder: the median
// duration and peak memory of the newest ten, and this run's ratio to them ("slower", "hungrier").
import type { Run, RunComparison } from '../../shared/model';
import { median } from '../analytics/stats';

export const COMPARE_WITH = 10;

/** `runs` oldest first; returns one comparison per run, in the same order. */
export function compareRuns(runs: readonly Run[]): RunComparison[] {
  const byWork = new Map<string, Run[]>();
  return runs.map((run) => {
    const key = JSON.stringify([run.command, run.folder]);
    const earlier = byWork.get(key) ?? [];
    const comparison = compareWith(run, earlier.slice(-COMPARE_WITH));
    if (run.end !== null) earlier.push(run);
    byWork.set(key, earlier);
    return comparison;
  });
}

function compareWith(run: Run, earlier: readonly Run[]): RunComparison {
  const seconds = earlier.map((r) => (r.end! - r.start) / 1000);
  const peaks = earlier.map((r) => r.peakRss).filter((p): p is number => p !== null);
  const medianSeconds = seconds.length > 0 ? median(seconds) : null;
  const medianPeakRss = peaks.length > 0 ? median(peaks) : null;
  const duration = run.end === null ? null : (run.end - run.start) / 1000;
  return {
    earlier: earlier.length,
    medianSeconds,
    medianPeakRss,
    durationRatio: ratio(duration, medianSeconds),
    peakRatio: ratio(run.peakRss, medianPeakRss),
  };
}

function ratio(value: number | null, base: number | null): number | null {
  return value === null || base === null || base <= 0 ? null : value / base;
}
