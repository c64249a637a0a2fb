// Maintenance windows: a five-field cron expression for the start plus a duration, or weekly days
// with a from–to clock range. No cron package is installed and we only need "does minute M match",
// so this is a small parser rather than a dependency. Local time, like crontab.
import { messageError } from '../../shared/errors';
import { alertRuleMessages } from '../../shared/i18n/alertRules';
import type { MaintenanceWindow } from './types';

export interface CronExpression {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Cron's rule: when both day fields are restricted, a day matching either one matches. */
  dayOr: boolean;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'weekday', min: 0, max: 7 },
] as const;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const { ref } = alertRuleMessages;

/** One value of a field of the cron expression `cron`. */
function fieldValue(text: string, index: number, cron: string): number {
  const lower = text.toLowerCase();
  if (index === 3 && MONTHS.includes(lower)) return MONTHS.indexOf(lower) + 1;
  if (index === 4 && WEEKDAYS.includes(lower)) return WEEKDAYS.indexOf(lower);
  if (!/^\d+$/.test(text)) throw messageError(ref('cronNotNumber', { text: cron, part: text }));
  return Number(text);
}

function parseField(text: string, index: number, cron: string): Set<number> {
  const { name, min, max } = FIELDS[index]!;
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1)
      throw messageError(ref('cronStep', { text: cron, field: name, step: String(stepText) }));
    let low: number;
    let high: number;
    if (range === '*') [low, high] = [min, max];
    else if (range!.includes('-')) {
      const [a, b] = range!.split('-');
      [low, high] = [fieldValue(a!, index, cron), fieldValue(b!, index, cron)];
    } else {
      low = fieldValue(range!, index, cron);
      high = stepText === undefined ? low : max;
    }
    if (low < min || high > max || low > high)
      throw messageError(ref('cronOutside', { text: cron, field: name, part, min, max }));
    for (let v = low; v <= high; v += step) values.add(index === 4 && v === 7 ? 0 : v);
  }
  return values;
}

export function parseCron(text: string): CronExpression {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5) {
    throw messageError(ref('cronFields', { text, fields: parts.length }));
  }
  const [minutes, hours, days, months, weekdays] = parts.map((part, i) => parseField(part, i, text)) as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  return { minutes, hours, days, months, weekdays, dayOr: parts[2] !== '*' && parts[4] !== '*' };
}

export function cronMatches(cron: CronExpression, ts: number): boolean {
  const d = new Date(ts);
  if (
    !cron.minutes.has(d.getMinutes()) ||
    !cron.hours.has(d.getHours()) ||
    !cron.months.has(d.getMonth() + 1)
  ) {
    return false;
  }
  const dayOk = cron.days.has(d.getDate());
  const weekdayOk = cron.weekdays.has(d.getDay());
  return cron.dayOr ? dayOk || weekdayOk : dayOk && weekdayOk;
}

/** Parses "HH:MM" into minutes after midnight. */
export function parseClock(text: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match || Number(match[1]) > 24 || Number(match[2]) > 59) {
    throw messageError(ref('clockTime', { text }));
  }
  return Number(match[1]) * 60 + Number(match[2]);
}

export function parseWeekday(text: string): number {
  const index = WEEKDAYS.indexOf(text.trim().toLowerCase().slice(0, 3));
  if (index < 0) throw messageError(ref('weekday', { text }));
  return index;
}

/** A longest window we accept: keeps the minute-by-minute look-back below a week of checks. */
export const MAX_WINDOW_MS = 7 * 86_400_000;

/** Compiles a window into a predicate over time. Assumes a window validated by config/silences.ts. */
export function compileWindow(window: MaintenanceWindow): (ts: number) => boolean {
  if (window.cron) {
    const cron = parseCron(window.cron);
    const duration = Math.min(window.durationMs ?? 3_600_000, MAX_WINDOW_MS);
    return (ts) => {
      // The window is open if a start minute lies within the last `duration`.
      const minute = Math.floor(ts / 60_000) * 60_000;
      for (let start = minute; start > ts - duration; start -= 60_000) {
        if (cronMatches(cron, start)) return true;
      }
      return false;
    };
  }
  const days = new Set(window.days ?? [0, 1, 2, 3, 4, 5, 6]);
  const from = parseClock(window.from ?? '00:00');
  const to = parseClock(window.to ?? '24:00');
  return (ts) => {
    const d = new Date(ts);
    const clock = d.getHours() * 60 + d.getMinutes();
    if (from < to) return days.has(d.getDay()) && clock >= from && clock < to;
    // Wraps past midnight: the early part belongs to the window that started the day before.
    if (clock >= from) return days.has(d.getDay());
    if (clock < to) return days.has((d.getDay() + 6) % 7);
    return false;
  };
}

/** Which rules are in maintenance at `ts`, cached per minute since windows have minute precision. */
export class MaintenanceCalendar {
  private readonly compiled: { rules?: Set<string>; open: (ts: number) => boolean }[];
  private cachedMinute = NaN;
  private cachedAll = false;
  private cachedRules = new Set<string>();

  constructor(windows: MaintenanceWindow[]) {
    this.compiled = windows.map((w) => ({
      rules: w.rules ? new Set(w.rules) : undefined,
      open: compileWindow(w),
    }));
  }

  inMaintenance(rule: string, ts: number): boolean {
    if (this.compiled.length === 0) return false;
    const minute = Math.floor(ts / 60_000);
    if (minute !== this.cachedMinute) {
      this.cachedMinute = minute;
      this.cachedAll = false;
      this.cachedRules = new Set();
      for (const window of this.compiled) {
        if (!window.open(ts)) continue;
        if (!window.rules) this.cachedAll = true;
        else for (const r of window.rules) this.cachedRules.add(r);
      }
    }
    return this.cachedAll || this.cachedRules.has(rule);
  }
}
