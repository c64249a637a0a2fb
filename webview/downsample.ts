// Bounds the number of SVG points by the chart's width, whatever the range: a 30-day range at
// 1-minute resolution (43 200 points a series) costs what a 1-hour one does in the DOM.
//
// Lines use min/max per pixel bucket rather than averages, so a one-minute spike stays visible
// at any zoom; stacked areas need one aligned value per bucket across series, so they average.

import type { SeriesPoint } from '../shared/model';

/** A point to draw; a null value breaks the line (unknown or not alive). */
export interface DrawPoint {
  ts: number;
  value: number | null;
}

/** The index of the first point at or after `ts` (`points` sorted by ts). */
function firstAtOrAfter(points: readonly SeriesPoint[], ts: number): number {
  let low = 0;
  let high = points.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (points[middle]!.ts < ts) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The index range [start, end) of the points inside [from, to]: a zoom into a month of minute
 * points walks the visible slice, not the 43 200 points of each series.
 */
function visibleSlice(points: readonly SeriesPoint[], from: number, to: number): [number, number] {
  const start = firstAtOrAfter(points, from);
  let end = firstAtOrAfter(points, to);
  while (end < points.length && points[end]!.ts <= to) end++;
  return [start, end];
}

function bucketOf(ts: number, from: number, span: number, buckets: number): number {
  return Math.min(buckets - 1, Math.max(0, Math.floor(((ts - from) / span) * buckets)));
}

/**
 * At most two points per bucket (the bucket's minimum and maximum, in time order), and one null
 * where a bucket holds no known value, so the result has at most 2 × `buckets` points.
 * Points outside [from, to] are dropped; `points` must be sorted by ts.
 */
export function minMaxPerBucket(
  points: readonly SeriesPoint[],
  from: number,
  to: number,
  buckets: number,
): DrawPoint[] {
  const count = Math.max(1, Math.floor(buckets));
  const span = to - from;
  if (!(span > 0)) return [];
  const out: DrawPoint[] = [];
  let current = -1;
  let min: DrawPoint | null = null;
  let max: DrawPoint | null = null;
  let sawGap = false;

  const flush = () => {
    if (min && max) {
      if (min === max) out.push(min);
      else if (min.ts <= max.ts) out.push(min, max);
      else out.push(max, min);
    } else if (sawGap && out.length > 0 && out[out.length - 1]!.value !== null) {
      out.push({ ts: out[out.length - 1]!.ts, value: null });
    }
    min = max = null;
    sawGap = false;
  };

  const [start, end] = visibleSlice(points, from, to);
  for (let index = start; index < end; index++) {
    const point = points[index]!;
    const bucket = bucketOf(point.ts, from, span, count);
    if (bucket !== current) {
      flush();
      current = bucket;
    }
    if (point.value === null) {
      sawGap = true;
      continue;
    }
    const drawn = { ts: point.ts, value: point.value };
    if (!min || drawn.value < min.value!) min = drawn;
    if (!max || drawn.value > max.value!) max = drawn;
  }
  flush();
  return out;
}

/**
 * One value per bucket that holds points — the mean of its known values, or null when all are
 * unknown — at the bucket's middle; empty buckets are left out, so a coarse series is not torn
 * into holes when buckets are finer than its step. Series downsampled with the same
 * from/to/buckets share bucket times, ready for d3.stack.
 */
export function meanPerBucket(
  points: readonly SeriesPoint[],
  from: number,
  to: number,
  buckets: number,
): DrawPoint[] {
  const count = Math.max(1, Math.floor(buckets));
  const span = to - from;
  if (!(span > 0)) return [];
  const sums = new Float64Array(count);
  const known = new Uint32Array(count);
  const seen = new Uint8Array(count);
  const [start, end] = visibleSlice(points, from, to);
  for (let index = start; index < end; index++) {
    const point = points[index]!;
    const bucket = bucketOf(point.ts, from, span, count);
    seen[bucket] = 1;
    if (point.value === null) continue;
    sums[bucket]! += point.value;
    known[bucket]!++;
  }
  const out: DrawPoint[] = [];
  for (let bucket = 0; bucket < count; bucket++) {
    if (!seen[bucket]) continue;
    out.push({
      ts: from + ((bucket + 0.5) * span) / count,
      value: known[bucket]! > 0 ? sums[bucket]! / known[bucket]! : null,
    });
  }
  return out;
}

/** The stored point nearest to `ts` (for the hover tooltip, which shows real values). */
export function nearestPoint(points: readonly SeriesPoint[], ts: number): SeriesPoint | undefined {
  if (points.length === 0) return undefined;
  let low = 0;
  let high = points.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (points[middle]!.ts < ts) low = middle + 1;
    else high = middle;
  }
  const after = points[low]!;
  const before = points[low - 1];
  return before && ts - before.ts <= after.ts - ts ? before : after;
}

/** The stored point whose step [ts, ts + stepMs) holds `ts` (for averages: the bucket under the cursor). */
export function bucketPoint(
  points: readonly SeriesPoint[],
  ts: number,
  stepMs: number,
): SeriesPoint | undefined {
  let low = 0;
  let high = points.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (points[middle]!.ts <= ts) low = middle + 1;
    else high = middle;
  }
  const found = points[low - 1];
  return found && ts - found.ts < stepMs ? found : undefined;
}
