import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatBytes, formatDuration, formatRate, parseDuration } from '../../../shared/duration';
import { UserInputError } from '../../../shared/errors';
import { namedRange, parseTime, startOfWeek } from '../../../shared/time';

const now = new Date(2026, 10, 25, 10, 0, 0).getTime(); // Wednesday 25 Nov 2026, 10:00 local

describe('parseTime', () => {
  test('absolute local date and time', () => {
    assert.equal(parseTime('2026-11-24 14:32', now), new Date(2026, 10, 24, 14, 32).getTime());
    assert.equal(parseTime('2026-11-24T14:32:05', now), new Date(2026, 10, 24, 14, 32, 5).getTime());
    assert.equal(parseTime('2026-11-24', now), new Date(2026, 10, 24).getTime());
  });
  test('clock times today and yesterday', () => {
    assert.equal(parseTime('09:32', now), new Date(2026, 10, 25, 9, 32).getTime());
    assert.equal(parseTime('yesterday 14:32', now), new Date(2026, 10, 24, 14, 32).getTime());
    assert.equal(parseTime('today', now), new Date(2026, 10, 25).getTime());
  });
  test('a bare clock time is its latest past occurrence', () => {
    const justAfterMidnight = new Date(2026, 10, 25, 0, 4).getTime();
    assert.equal(parseTime('23:55', justAfterMidnight), new Date(2026, 10, 24, 23, 55).getTime());
    assert.equal(parseTime('00:04', justAfterMidnight), justAfterMidnight);
    assert.equal(parseTime('00:01', justAfterMidnight), new Date(2026, 10, 25, 0, 1).getTime());
    // Later today has not happened yet: yesterday's.
    assert.equal(parseTime('14:32', now), new Date(2026, 10, 24, 14, 32).getTime());
    // A named day is taken as written.
    assert.equal(parseTime('today 23:55', justAfterMidnight), new Date(2026, 10, 25, 23, 55).getTime());
    // Looking forward (a silence's "until"), the next occurrence.
    assert.equal(parseTime('23:55', justAfterMidnight, 'next'), new Date(2026, 10, 25, 23, 55).getTime());
    assert.equal(parseTime('00:01', justAfterMidnight, 'next'), new Date(2026, 10, 26, 0, 1).getTime());
  });
  test('relative times and epochs', () => {
    assert.equal(parseTime('2h ago', now), now - 7_200_000);
    assert.equal(parseTime('-30m', now), now - 1_800_000);
    assert.equal(parseTime('now', now), now);
    assert.equal(parseTime('1764064800', now), 1_764_064_800_000);
    assert.equal(parseTime('2025-01-01T00:00:00Z', now), Date.UTC(2025, 0, 1));
  });
  test('nonsense is one clear UserInputError', () => {
    for (const bad of [
      'tomorrowish',
      '2026-02-30 10:00',
      '25:00',
      '2026-13-01',
      '',
      'yesterday 99:99',
      '-xyz',
    ]) {
      assert.throws(
        () => parseTime(bad, now),
        (e: unknown) => e instanceof UserInputError && /e\.g\./.test(e.message),
        bad,
      );
    }
  });
});

describe('named ranges', () => {
  test('week starts on Monday, month on the 1st', () => {
    assert.equal(startOfWeek(now), new Date(2026, 10, 23).getTime());
    assert.deepEqual(namedRange('month', now), { from: new Date(2026, 10, 1).getTime(), to: now });
    assert.deepEqual(namedRange('today', now), { from: new Date(2026, 10, 25).getTime(), to: now });
  });
});

describe('durations', () => {
  test('parse', () => {
    assert.equal(parseDuration('2s'), 2000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('3'), 3000);
    assert.throws(() => parseDuration('2 parsecs'), UserInputError);
    assert.throws(() => parseDuration('s'), UserInputError);
  });
  test('format', () => {
    assert.equal(formatDuration(90_061_000), '1d 1h');
    assert.equal(formatDuration(61_000), '1m 1s');
    // Binary sizes carry binary (IEC) units: VmRSS 347,904 kB is 340 MiB, not "340 MB".
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(347_904 * 1024), '340 MiB');
    assert.equal(formatBytes(16 * 1024 ** 3), '16.0 GiB');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(null), '–');
    assert.equal(formatRate(1.2 * 1024 ** 2), '1.2 MiB/s');
    assert.equal(formatRate(0), '0 B/s');
    assert.equal(formatRate(null), '–');
  });
});

test('long unit names', () => {
  assert.equal(parseDuration('10 seconds'), 10_000);
  assert.equal(parseDuration('1 hour 30 minutes'), 5_400_000);
  assert.equal(parseTime('10 seconds ago', now), now - 10_000);
  assert.equal(parseTime('2 days ago', now), now - 172_800_000);
  assert.throws(() => parseDuration('2 fortnights'), UserInputError);
});
