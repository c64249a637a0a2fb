import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addMoment,
  coefficientOfVariation,
  emptyMoments,
  linearFit,
  median,
  medianMad,
  quantile,
  stdDev,
  theilSen,
} from '../../../../agent/analytics/stats';

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

describe('analytics statistics', () => {
  it('median and quantiles interpolate between ranks', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    close(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), 9.1);
    assert.ok(Number.isNaN(median([])));
    // Only the first n values count (the detectors pass rings that are not full yet).
    assert.equal(median(new Float64Array([5, 1, 100, 100]), 2), 3);
  });

  it('MAD ignores one wild value where the standard deviation does not', () => {
    const values = [10, 11, 9, 10, 12, 10, 1000];
    const { median: m, mad } = medianMad(values);
    assert.equal(m, 10);
    assert.equal(mad, 1);
    const moments = emptyMoments();
    for (const v of values) addMoment(moments, v);
    assert.ok(stdDev(moments) > 300);
  });

  it('least squares gives slope, intercept and R² (1 on a line, near 0 on noise)', () => {
    const x = [0, 1, 2, 3, 4];
    const fit = linearFit(x, [1, 3, 5, 7, 9]);
    close(fit.slope, 2);
    close(fit.intercept, 1);
    close(fit.r2, 1);
    // By hand: x̄ = 3, ȳ = 4; Sxy = 6, Sxx = 10, Syy = 6 → slope 0.6, intercept 2.2, r² = 36/60.
    const noisy = linearFit([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]);
    close(noisy.slope, 0.6);
    close(noisy.intercept, 2.2);
    close(noisy.r2, 0.6);
    assert.equal(linearFit(x, [5, 5, 5, 5, 5]).r2, 0, 'a flat series explains nothing');
    assert.ok(Number.isNaN(linearFit([1, 1], [1, 2]).slope), 'no spread in x: no slope');
  });

  it('Theil–Sen keeps the slope of a leak through a garbage collection that least squares bends', () => {
    const x = Array.from({ length: 20 }, (_, i) => i * 10);
    const y = x.map((t) => 100 + 5 * t);
    y[15] = 100; // one collection drops the heap back for a sample
    close(theilSen(x, y), 5);
    assert.ok(Math.abs(linearFit(x, y).slope - 5) > 0.2);
    assert.ok(Number.isNaN(theilSen([1, 1, 1], [1, 2, 3])), 'no distinct x: no slope');
    // A scratch buffer smaller than the pairs is not used (no overrun).
    close(theilSen(x, y, x.length, new Float64Array(3)), 5);
  });

  it('running moments match the two-pass figures; the coefficient of variation is σ/mean', () => {
    const values = [2, 4, 4, 4, 5, 5, 7, 9];
    const m = emptyMoments();
    for (const v of values) addMoment(m, v);
    close(m.mean, 5);
    close(stdDev(m), Math.sqrt(32 / 7));
    close(coefficientOfVariation(m)!, Math.sqrt(32 / 7) / 5);
    assert.equal(coefficientOfVariation(emptyMoments()), null);
  });
});
