// The panel's times in Chinese (zh-CN, a 24-hour clock): two-digit hours all day. Its numeric hour
// wrote "2026/12/08 0:09" after midnight and "9:05" until ten, so times changed width through the
// day; a CI run's Chinese panel tests failed at 00:09. The panel reads its language from <html lang>
// when the module loads: zhPage.ts sets it, imported first (each test file runs in its own process).
import './zhPage';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDateTimeInput, formatTick, formatTime, parseDateTimeInput } from '../../../webview/format';

test('a Chinese panel writes hours with two digits, before ten and after midnight, and reads them back', () => {
  const midnight = new Date(2026, 11, 8, 0, 9).getTime();
  assert.equal(formatDateTimeInput(midnight), '2026/12/08 00:09');
  assert.equal(parseDateTimeInput('2026/12/08 00:09'), midnight);
  assert.equal(formatTime(new Date(2026, 11, 8, 9, 5, 7).getTime()), '2026/12/08 09:05:07');
  assert.equal(formatTick(new Date(2026, 11, 8, 9, 5).getTime()), '09:05');
  assert.equal(formatTick(new Date(2026, 11, 8, 13, 5).getTime()), '13:05');
});
