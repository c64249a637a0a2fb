import { parseDuration } from './duration';
import { inputError } from './errors';

function atClock(day: Date, clock: string, original: string): number {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(clock);
  if (!match) throw inputError('timeNotUnderstood', { text: original });
  const [h, m, s] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  if (h > 23 || m > 59 || s > 59) throw inputError('timeNotClock', { text: original });
  const result = new Date(day);
  result.setHours(h, m, s, 0);
  return result.getTime();
}

/**
 * Which day a bare clock time ("23:55") falls on: `past`, its latest occurrence at or before now
 * (what a query means — at 00:04, "23:55" is last night); `next`, its first occurrence at or after
 * now (what an end time such as a silence's "until" means).
 */
export type ClockDirection = 'past' | 'next';

/** A clock time on the day that `direction` picks, relative to `now`. */
function bareClock(now: number, clock: string, original: string, direction: ClockDirection): number {
  const ts = atClock(new Date(now), clock, original);
  if (direction === 'past' ? ts <= now : ts >= now) return ts;
  const day = new Date(now);
  day.setDate(day.getDate() + (direction === 'past' ? -1 : 1));
  return atClock(day, clock, original);
}

/** Parses a user's time (local time zone) into ms since the epoch. */
export function parseTime(text: string, now = Date.now(), clock: ClockDirection = 'past'): number {
  const input = text.trim().toLowerCase();
  if (input === 'now') return now;
  if (/^\d{13}$/.test(input)) return Number(input);
  if (/^\d{10}$/.test(input)) return Number(input) * 1000;

  const relative = /^-\s*(.+)$/.exec(input) ?? /^(.+?)\s+ago$/.exec(input);
  if (relative) {
    try {
      return now - parseDuration(relative[1]!, 'time');
    } catch {
      throw inputError('timeNotUnderstood', { text });
    }
  }

  const today = new Date(now);
  const dayWord = /^(today|yesterday)(?:\s+(.+))?$/.exec(input);
  if (dayWord) {
    if (dayWord[1] === 'yesterday') today.setDate(today.getDate() - 1);
    return atClock(today, dayWord[2] ?? '00:00', text);
  }
  if (/^\d{1,2}:\d{2}(:\d{2})?$/.test(input)) return bareClock(now, input, text, clock);

  const dated = /^(\d{4})-(\d{2})-(\d{2})(?:[ t](.+))?$/.exec(input);
  if (dated) {
    const [year, month, day] = [Number(dated[1]), Number(dated[2]), Number(dated[3])];
    const date = new Date(year, month - 1, day);
    if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) {
      throw inputError('timeNoSuchDate', { text });
    }
    const clock = dated[4];
    if (!clock) return date.getTime();
    if (/^\d{1,2}:\d{2}(:\d{2})?$/.test(clock)) return atClock(date, clock, text);
    const iso = Date.parse(text.trim());
    if (!Number.isNaN(iso)) return iso;
  }
  throw inputError('timeNotUnderstood', { text });
}

export function startOfDay(ts: number): number {
  const date = new Date(ts);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

/** Weeks start on Monday (ISO 8601). */
export function startOfWeek(ts: number): number {
  const date = new Date(startOfDay(ts));
  date.setDate(date.getDate() - ((date.getDay() + 6) % 7));
  return date.getTime();
}

export function startOfMonth(ts: number): number {
  const date = new Date(startOfDay(ts));
  date.setDate(1);
  return date.getTime();
}

export type NamedRange = 'today' | 'week' | 'month';

export function namedRange(range: NamedRange, now = Date.now()): { from: number; to: number } {
  const from = range === 'today' ? startOfDay(now) : range === 'week' ? startOfWeek(now) : startOfMonth(now);
  return { from, to: now };
}

export function formatLocalTime(ts: number): string {
  const d = new Date(ts);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
