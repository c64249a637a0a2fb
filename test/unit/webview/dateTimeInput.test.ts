// The range bar's from / to boxes (webview/format.ts): written as the panel writes times (here the
// English panel: a node process has no <html lang>), read back as written, or ISO-like.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDateTimeInput, formatTick, formatTime, parseDateTimeInput } from '../../../webview/format';

test('a from / to box shows the time as the axis and tooltips do, and reads it back', () => {
  for (const ts of [
    new Date(2026, 10, 20, 8, 0),
    new Date(2026, 10, 20, 0, 30),
    new Date(2026, 11, 31, 23, 59),
  ]) {
    const text = formatDateTimeInput(ts.getTime());
    assert.equal(text, formatTime(ts.getTime(), false));
    assert.equal(parseDateTimeInput(text), ts.getTime(), text);
  }
  // A 12-hour clock keeps its numeric hour ("9:05 AM", not "09:05 AM").
  assert.equal(formatTick(new Date(2026, 10, 20, 9, 5).getTime()), '9:05 AM');
  assert.equal(parseDateTimeInput('11/20/2026, 12:30 PM'), new Date(2026, 10, 20, 12, 30).getTime());
  assert.equal(parseDateTimeInput('11/20/2026, 12:30 am'), new Date(2026, 10, 20, 0, 30).getTime());
  assert.equal(parseDateTimeInput('2026-11-20T08:00'), new Date(2026, 10, 20, 8, 0).getTime());
  assert.equal(parseDateTimeInput(' 2026-11-20 14:05 '), new Date(2026, 10, 20, 14, 5).getTime());
});

test('what is not a time reads as NaN (the box then says so)', () => {
  for (const text of [
    '',
    'tomorrow',
    '2/31/2026, 1:00 PM',
    '11/20/2026',
    '13/01/2026, 1:00 PM',
    '2026-11-20 25:00',
  ])
    assert.ok(Number.isNaN(parseDateTimeInput(text)), text);
});
