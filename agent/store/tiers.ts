// The three tiers. Every tier's files share one schema; a file covers one UTC hour (raw) or one
// UTC day (minute, hour) and retention deletes whole files.
import type { Resolution } from '../../shared/model';
import type { RetentionSettings } from '../../shared/settings';

export type TierName = 'raw' | 'minute' | 'hour';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

export interface TierDef {
  name: TierName;
  /** Step between rows: the sampling interval for raw. */
  stepMs: number;
  fileSpanMs: number;
  /** Rollup tiers hold a row per alive identity per step (dense) or only when something changed. */
  dense: boolean;
  keepMs: number;
  resolution: Resolution;
}

export function tierDefs(intervalMs: number, retention: RetentionSettings): TierDef[] {
  const seconds = intervalMs / 1000;
  return [
    {
      name: 'raw',
      stepMs: intervalMs,
      fileSpanMs: HOUR_MS,
      dense: false,
      keepMs: retention.rawHours * HOUR_MS,
      resolution: { tier: 'raw', stepMs: intervalMs, label: `raw samples (${seconds} s)` },
    },
    {
      name: 'minute',
      stepMs: MINUTE_MS,
      fileSpanMs: DAY_MS,
      dense: false,
      keepMs: retention.minuteDays * DAY_MS,
      resolution: { tier: 'minute', stepMs: MINUTE_MS, label: '1-minute averages' },
    },
    {
      name: 'hour',
      stepMs: HOUR_MS,
      fileSpanMs: DAY_MS,
      dense: true,
      keepMs: retention.hourDays * DAY_MS,
      resolution: { tier: 'hour', stepMs: HOUR_MS, label: '1-hour averages' },
    },
  ];
}

export const floorTo = (ts: number, stepMs: number): number => Math.floor(ts / stepMs) * stepMs;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `2026112414.sqlite` for an hour file, `20261124.sqlite` for a day file (UTC). */
export function fileNameFor(tier: TierDef, start: number): string {
  const d = new Date(start);
  const day = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
  return tier.fileSpanMs === HOUR_MS ? `${day}${pad(d.getUTCHours())}.sqlite` : `${day}.sqlite`;
}

/** The start of the file's span, or null for anything that is not one of ours (temp, moved aside…). */
export function parseFileName(tier: TierDef, name: string): number | null {
  const digits = tier.fileSpanMs === HOUR_MS ? 10 : 8;
  const match = new RegExp(`^(\\d{4})(\\d{2})(\\d{2})(\\d{2})?\\.sqlite$`).exec(name);
  if (!match || name.length !== digits + 7) return null;
  const [, y, mo, d, h] = match;
  const start = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0));
  return fileNameFor(tier, start) === name ? start : null;
}
