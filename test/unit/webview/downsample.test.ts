import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SeriesPoint } from '../../../shared/model';
import { meanPerBucket, minMaxPerBucket, nearestPoint } from '../../../webview/downsample';

const MINUTE = 60_000;

function minutePoints(count: number, valueAt: (i: number) => number | null): SeriesPoint[] {
  return Array.from({ length: count }, (_, i) => {
    const value = valueAt(i);
    return { ts: i * MINUTE, value, max: value };
  });
}

describe('minMaxPerBucket', () => {
  test('a 30-day minute series is bounded by twice the width', () => {
    const points = minutePoints(30 * 24 * 60, (i) => Math.sin(i / 50) * 50 + 50);
    const drawn = minMaxPerBucket(points, 0, points.at(-1)!.ts, 800);
    assert.ok(drawn.length <= 1600, `${drawn.length} points for 800 px`);
    assert.ok(drawn.length >= 800, 'every bucket holds data, so each yields a point');
  });

  test('a one-minute spike survives downsampling of a month', () => {
    const spikeAt = 12_345;
    const points = minutePoints(30 * 24 * 60, (i) => (i === spikeAt ? 99 : 1));
    const drawn = minMaxPerBucket(points, 0, points.at(-1)!.ts, 500);
    assert.ok(drawn.some((point) => point.value === 99 && point.ts === spikeAt * MINUTE));
  });

  test('short series pass through unchanged and in time order', () => {
    const points = minutePoints(10, (i) => i * 2);
    const drawn = minMaxPerBucket(points, 0, 9 * MINUTE, 800);
    assert.deepEqual(
      drawn,
      points.map(({ ts, value }) => ({ ts, value })),
    );
  });

  test('min and max of a bucket come out in time order', () => {
    const points = [
      { ts: 0, value: 5, max: 5 },
      { ts: 1, value: 9, max: 9 },
      { ts: 2, value: 1, max: 1 },
      { ts: 3, value: 4, max: 4 },
    ];
    assert.deepEqual(minMaxPerBucket(points, 0, 3, 1), [
      { ts: 1, value: 9 },
      { ts: 2, value: 1 },
    ]);
  });

  test('unknown stretches break the line instead of reading as zero', () => {
    const points = minutePoints(300, (i) => (i >= 100 && i < 200 ? null : 10));
    const drawn = minMaxPerBucket(points, 0, 299 * MINUTE, 30);
    assert.equal(drawn.filter((point) => point.value === null).length, 1);
    assert.ok(!drawn.some((point) => point.value === 0));
  });

  test('points outside the range and empty ranges yield nothing', () => {
    const points = minutePoints(10, () => 1);
    assert.deepEqual(minMaxPerBucket(points, 100 * MINUTE, 200 * MINUTE, 10), []);
    assert.deepEqual(minMaxPerBucket(points, 5, 5, 10), []);
  });
});

describe('meanPerBucket', () => {
  test('averages each bucket and is bounded by the width', () => {
    const points = minutePoints(1000, (i) => (i % 2 === 0 ? 0 : 10));
    const drawn = meanPerBucket(points, 0, 999 * MINUTE, 100);
    assert.equal(drawn.length, 100);
    for (const point of drawn) assert.equal(point.value, 5);
  });

  test('two series share bucket times, so they can be stacked', () => {
    const a = minutePoints(500, () => 1);
    const b = minutePoints(500, () => 2).filter((_, i) => i % 3 === 0);
    const drawnA = meanPerBucket(a, 0, 499 * MINUTE, 50).map((point) => point.ts);
    const drawnB = meanPerBucket(b, 0, 499 * MINUTE, 50).map((point) => point.ts);
    assert.deepEqual(drawnB, drawnA);
  });

  test('buckets finer than the step are left out rather than drawn as holes', () => {
    const hourly = Array.from({ length: 24 }, (_, i) => ({ ts: i * 60 * MINUTE, value: 3, max: 3 }));
    const drawn = meanPerBucket(hourly, 0, 23 * 60 * MINUTE, 800);
    assert.equal(drawn.length, 24);
    assert.ok(drawn.every((point) => point.value === 3));
  });

  test('a bucket with only unknown values is null', () => {
    const points = minutePoints(4, (i) => (i < 2 ? null : 8));
    assert.deepEqual(
      meanPerBucket(points, 0, 3 * MINUTE, 2).map((point) => point.value),
      [null, 8],
    );
  });
});

describe('nearestPoint', () => {
  const points = minutePoints(10, (i) => i);
  test('finds the closest stored point on either side', () => {
    assert.equal(nearestPoint(points, 4 * MINUTE + 20_000)?.value, 4);
    assert.equal(nearestPoint(points, 4 * MINUTE + 40_000)?.value, 5);
    assert.equal(nearestPoint(points, -MINUTE)?.value, 0);
    assert.equal(nearestPoint(points, 99 * MINUTE)?.value, 9);
    assert.equal(nearestPoint([], 0), undefined);
  });
});
