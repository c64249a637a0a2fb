// How figures read in the panel. Pure and DOM-free, so the table model and its tests share them.

import { formatBytes, formatRate } from '../shared/duration';
import type { Resolution } from '../shared/model';
import { resolutionText as commonText } from '../shared/i18n/common';
import { lang, locale, t } from './i18n';

export { formatBytes, formatRate };

// Figures keep toFixed's digits in both languages (en and zh-CN write numbers alike, and the
// exports and the CLI round the same way); times are where the locales differ.
export function formatPercent(value: number | null): string {
  return value === null ? '–' : `${value.toFixed(1)} %`;
}

/** A duration in the locale's unit words, its two largest units: "1h 5m", "1 小时5 分". */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 1) return t('durationMs', { n: Math.round(seconds * 1000) });
  const whole = Math.round(seconds);
  const amounts = [
    t('durationDays', { n: Math.floor(whole / 86400) }),
    t('durationHours', { n: Math.floor((whole % 86400) / 3600) }),
    t('durationMinutes', { n: Math.floor((whole % 3600) / 60) }),
    t('durationSeconds', { n: whole % 60 }),
  ];
  const counts = [
    Math.floor(whole / 86400),
    Math.floor((whole % 86400) / 3600),
    Math.floor((whole % 3600) / 60),
    whole % 60,
  ];
  const shown = amounts.filter((_, index) => counts[index]! > 0).slice(0, 2);
  if (shown.length === 0) return t('durationSeconds', { n: 0 });
  return shown.length === 1 ? shown[0]! : t('durationJoin', { first: shown[0]!, rest: shown[1]! });
}

export function formatCount(value: number | null): string {
  return value === null ? '–' : String(Math.round(value));
}

/** What the store's points are, in words: "1-minute averages". */
export function resolutionText(resolution: Resolution): string {
  return commonText(lang, resolution);
}

// One time format per locale, the panel's (webview/i18n.ts): numeric date and the locale's clock
// ("12/07/2026, 1:05 PM" in en, "2026/12/07 13:05" in zh-CN). Axes, tooltips, notes and headings
// all read it from here.

/**
 * The hour as the locale's clock writes it: "1:05 PM" on a 12-hour clock, two digits on a 24-hour
 * one. zh-CN's numeric hour wrote "2026/12/08 0:09" after midnight (and "9:05" until ten): times
 * changed width through the day, unlike the "13:05" the panel shows the rest of it.
 */
const HOUR: 'numeric' | '2-digit' = ['h11', 'h12'].includes(
  new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions().hourCycle ?? '',
)
  ? 'numeric'
  : '2-digit';

const DATE_TIME = new Intl.DateTimeFormat(locale, {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: HOUR,
  minute: '2-digit',
});
const DATE_TIME_SECONDS = new Intl.DateTimeFormat(locale, {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: HOUR,
  minute: '2-digit',
  second: '2-digit',
});
const CLOCK = new Intl.DateTimeFormat(locale, { hour: HOUR, minute: '2-digit' });
const CLOCK_SECONDS = new Intl.DateTimeFormat(locale, {
  hour: HOUR,
  minute: '2-digit',
  second: '2-digit',
});
const DAY = new Intl.DateTimeFormat(locale, { month: '2-digit', day: '2-digit' });
const SHORT_DAY = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' });

/** Local date and time, to the second when `seconds`: "12/07/2026, 1:05:09 PM". */
export function formatTime(ts: number, seconds = true): string {
  return (seconds ? DATE_TIME_SECONDS : DATE_TIME).format(ts);
}

/** An axis tick: the day at midnight ("12/07"), else the clock ("1:05 PM"), to the second if needed. */
export function formatTick(ts: number): string {
  const d = new Date(ts);
  if (d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0) return DAY.format(ts);
  return (d.getSeconds() === 0 ? CLOCK : CLOCK_SECONDS).format(ts);
}

/**
 * When a point is: its instant for raw samples, its bucket for averages — "12/07/2026, 1:00 PM–2:00
 * PM" (the end's date only when it differs).
 */
export function formatBucket(ts: number, stepMs: number, averaged: boolean): string {
  if (!averaged || stepMs <= 0) return formatTime(ts);
  const end = ts + stepMs;
  const sameDay = new Date(ts).toDateString() === new Date(end - 1).toDateString();
  return `${formatTime(ts, false)}–${sameDay ? CLOCK.format(end) : formatTime(end, false)}`;
}

/** A day named in words, for notes: "Nov 29". */
export function formatDay(ts: number): string {
  return SHORT_DAY.format(ts);
}

/**
 * The range bar's from / to, as the panel writes times everywhere else (the axis, the tooltips):
 * "12/07/2026, 1:05 PM" in en, "2026/12/07 13:05" in zh-CN. A native datetime-local input cannot
 * do that: it follows the browser's locale, not the panel's (an English browser showed
 * "mm/dd/yyyy --:-- --" with AM/PM in a Chinese panel).
 */
export function formatDateTimeInput(ts: number): string {
  return DATE_TIME.format(ts);
}

/** Where year, month, day, hour and minute sit in DATE_TIME's text, and its AM / PM words. */
const INPUT_FIELDS = (() => {
  const kinds = ['year', 'month', 'day', 'hour', 'minute'] as const;
  const parts = DATE_TIME.formatToParts(new Date(2026, 10, 24, 13, 5));
  const order = parts
    .map((part) => part.type)
    .filter((type): type is (typeof kinds)[number] => (kinds as readonly string[]).includes(type));
  const period = (hour: number) =>
    DATE_TIME.formatToParts(new Date(2026, 10, 24, hour, 5))
      .find((part) => part.type === 'dayPeriod')
      ?.value.toLowerCase();
  return { order, am: period(1), pm: period(13) };
})();

/**
 * Reads what the user typed in a from / to box, in local time: the panel's own format (the order of
 * its fields, AM/PM where the locale has them), or an ISO-like "2026-11-20 08:00" / "…T08:00".
 * NaN when it is not a time.
 */
export function parseDateTimeInput(text: string): number {
  const iso = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})[T\s]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$/.exec(text);
  let fields: Record<'year' | 'month' | 'day' | 'hour' | 'minute', number>;
  if (iso) {
    const [year, month, day, hour, minute] = iso.slice(1, 6).map(Number) as [
      number,
      number,
      number,
      number,
      number,
    ];
    fields = { year, month, day, hour, minute };
  } else {
    const numbers = text.match(/\d+/g)?.map(Number) ?? [];
    if (numbers.length !== INPUT_FIELDS.order.length) return Number.NaN;
    fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0 };
    INPUT_FIELDS.order.forEach((kind, i) => (fields[kind] = numbers[i]!));
    const lower = text.toLowerCase();
    const { am, pm } = INPUT_FIELDS;
    if (pm && lower.includes(pm) && fields.hour < 12) fields.hour += 12;
    else if (am && lower.includes(am) && fields.hour === 12) fields.hour = 0;
  }
  const { year, month, day, hour, minute } = fields;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return Number.NaN;
  const date = new Date(year, month - 1, day, hour, minute);
  // 31 February rolls over into March: not a date the user meant.
  return date.getDate() === day ? date.getTime() : Number.NaN;
}

/** How the points of a resolution read in tooltips: averages name their bucket. */
export function pointTiming(resolution: Resolution): { stepMs: number; averaged: boolean } {
  return { stepMs: resolution.stepMs, averaged: resolution.tier !== 'raw' };
}
