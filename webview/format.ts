// How figures read in the panel. Pure and DOM-free, so the table model and its tests share them.

import { formatBytes, formatDuration, formatRate } from '../shared/duration';

export { formatBytes, formatRate };

const pad = (n: number) => String(n).padStart(2, '0');

export function formatPercent(value: number | null): string {
  return value === null ? '–' : `${value.toFixed(1)} %`;
}

export function formatSeconds(seconds: number | null): string {
  return seconds === null ? '–' : formatDuration(seconds * 1000);
}

export function formatCount(value: number | null): string {
  return value === null ? '–' : String(Math.round(value));
}

/** Local time, to the second: "2026-11-24 14:32:05". */
export function formatTime(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The value of an `<input type="datetime-local">` for `ts`, in local time. */
export function toDateTimeLocal(ts: number): string {
  const d = new Date(ts);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Parses an `<input type="datetime-local">` value (local time); NaN when empty or invalid. */
export function fromDateTimeLocal(value: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return Number.NaN;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  return new Date(year!, month! - 1, day!, hour!, minute!, second!).getTime();
}
