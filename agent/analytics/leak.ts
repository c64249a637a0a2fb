// Is this memory series a leak? Steady growth: a robust positive slope (Theil–Sen, so one
// collection that drops the heap does not hide it), a straight-line fit that explains most of the
// variance (R²), and enough growth over the window to matter.
import { linearFit, theilSen } from './stats';

export interface LeakRule {
  /** Growth over the window at least this many bytes… */
  minGrowthBytes: number;
  /** …and at least this share of the first value. */
  minGrowthShare: number;
  minR2: number;
}

/** Fast leaks: the short window of samples (README "Findings" documents these figures). */
export const FAST_LEAK: LeakRule = { minGrowthBytes: 32 * 1024 * 1024, minGrowthShare: 0.1, minR2: 0.9 };
/** Slow leaks: the last hour of per-minute averages. */
export const SLOW_LEAK: LeakRule = { minGrowthBytes: 64 * 1024 * 1024, minGrowthShare: 0.2, minR2: 0.8 };

export interface LeakVerdict {
  /** Theil–Sen slope, bytes per second. */
  rateBps: number;
  r2: number;
  growthBytes: number;
  windowS: number;
}

/**
 * `t` in seconds, `y` in bytes, `n` points oldest first. `scratch` holds the pair slopes
 * (n(n−1)/2 values) so a check allocates nothing.
 */
export function checkLeak(
  t: Float64Array,
  y: Float64Array,
  n: number,
  rule: LeakRule,
  scratch?: Float64Array,
): LeakVerdict | null {
  if (n < 5) return null;
  const growth = y[n - 1]! - y[0]!;
  // The cheap test first: most series do not grow at all.
  if (growth < rule.minGrowthBytes || growth < rule.minGrowthShare * y[0]!) return null;
  const rate = theilSen(t, y, n, scratch);
  if (!(rate > 0)) return null;
  const { r2 } = linearFit(t, y, n);
  if (!(r2 >= rule.minR2)) return null;
  return { rateBps: rate, r2, growthBytes: growth, windowS: t[n - 1]! - t[0]! };
}
