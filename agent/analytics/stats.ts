// Pure statistics for the findings: robust slope (Theil–Sen), least squares with R², median,
// quantiles, MAD and running moments. No I/O, no clock. Inputs are array-likes so the detectors
// can pass their typed-array rings without copying; each function reads `n` values from the start.

type Values = ArrayLike<number>;

/** Sorted copy of the first `n` values into `scratch` (grown when too small); returns the scratch. */
function sortedInto(values: Values, n: number, scratch?: Float64Array): Float64Array {
  const out = scratch && scratch.length >= n ? scratch.subarray(0, n) : new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = values[i]!;
  return out.sort();
}

/** Quantile q (0–1) of already sorted values, by linear interpolation between closest ranks. */
export function quantileSorted(sorted: Values, q: number, n = sorted.length): number {
  if (n === 0) return NaN;
  const pos = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function quantile(values: Values, q: number, n = values.length, scratch?: Float64Array): number {
  return quantileSorted(sortedInto(values, n, scratch), q, n);
}

export function median(values: Values, n = values.length, scratch?: Float64Array): number {
  return quantile(values, 0.5, n, scratch);
}

/** Median and median absolute deviation (unscaled; × 1.4826 estimates σ for normal data). */
export function medianMad(
  values: Values,
  n = values.length,
  scratch?: Float64Array,
): { median: number; mad: number } {
  if (n === 0) return { median: NaN, mad: NaN };
  const sorted = sortedInto(values, n, scratch);
  const m = quantileSorted(sorted, 0.5, n);
  for (let i = 0; i < n; i++) sorted[i] = Math.abs(sorted[i]! - m);
  sorted.sort();
  return { median: m, mad: quantileSorted(sorted, 0.5, n) };
}

/** 1.4826 × MAD is a consistent estimate of σ for normally distributed data. */
export const MAD_TO_SIGMA = 1.4826;

export interface LinearFit {
  slope: number;
  intercept: number;
  /** Coefficient of determination, 0–1; 1 for a perfect line, 0 when x explains nothing (or y is flat). */
  r2: number;
}

/** Ordinary least squares of y on x over the first `n` points. */
export function linearFit(x: Values, y: Values, n = Math.min(x.length, y.length)): LinearFit {
  if (n < 2) return { slope: NaN, intercept: NaN, r2: NaN };
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return { slope: NaN, intercept: NaN, r2: NaN };
  const slope = sxy / sxx;
  // A flat y is perfectly "fitted" by a flat line, but nothing is explained: call it 0, not NaN.
  const r2 = syy === 0 ? 0 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept: my - slope * mx, r2 };
}

/**
 * Theil–Sen slope: the median of the slopes of all point pairs with distinct x. Robust to up to
 * ~29 % of outliers (a GC that drops the heap once does not hide a leak). O(n²) pairs: callers keep
 * n small (the detectors use at most 60 points, 1 770 pairs).
 */
export function theilSen(
  x: Values,
  y: Values,
  n = Math.min(x.length, y.length),
  scratch?: Float64Array,
): number {
  const pairs = (n * (n - 1)) / 2;
  const slopes = scratch && scratch.length >= pairs ? scratch : new Float64Array(pairs);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = x[j]! - x[i]!;
      if (dx !== 0) slopes[k++] = (y[j]! - y[i]!) / dx;
    }
  }
  if (k === 0) return NaN;
  const used = slopes.subarray(0, k).sort();
  return quantileSorted(used, 0.5, k);
}

/** Running count, mean and variance (Welford): one pass, no stored values. */
export interface Moments {
  n: number;
  mean: number;
  /** Sum of squared deviations from the mean. */
  m2: number;
}

export const emptyMoments = (): Moments => ({ n: 0, mean: 0, m2: 0 });

export function addMoment(m: Moments, value: number): void {
  m.n++;
  const delta = value - m.mean;
  m.mean += delta / m.n;
  m.m2 += delta * (value - m.mean);
}

/** Sample standard deviation; NaN below two values. */
export function stdDev(m: Moments): number {
  return m.n < 2 ? NaN : Math.sqrt(m.m2 / (m.n - 1));
}

/** Coefficient of variation (σ / mean); null when undefined (fewer than two values, or mean 0). */
export function coefficientOfVariation(m: Moments): number | null {
  const sd = stdDev(m);
  return Number.isFinite(sd) && m.mean > 0 ? sd / m.mean : null;
}
