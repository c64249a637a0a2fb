import { inputError } from './errors';

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Long unit names people type ("10 seconds", "2 hours", "1 min") folded onto the short ones. */
const LONG_UNITS: Array<[RegExp, string]> = [
  [/^(milliseconds?|msecs?)$/, 'ms'],
  [/^(seconds?|secs?)$/, 's'],
  [/^(minutes?|mins?)$/, 'm'],
  [/^(hours?|hrs?)$/, 'h'],
  [/^days?$/, 'd'],
  [/^weeks?$/, 'w'],
];

function shortUnits(text: string): string {
  return text
    .toLowerCase()
    .replace(/(\d)\s+(?=[a-z])/g, '$1')
    .replace(/[a-z]+/g, (word) => LONG_UNITS.find(([long]) => long.test(word))?.[1] ?? word)
    .replace(/\s+/g, '');
}

/** Parses `500ms`, `2s`, `5m`, `1h30m`, `7d`, or a bare number of seconds. */
export function parseDuration(text: string, what = 'duration'): number {
  const trimmed = shortUnits(text.trim());
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(trimmed); match; match = part.exec(trimmed)) {
    total += Number(match[1]) * UNITS[match[2]!]!;
    consumed = part.lastIndex;
  }
  if (consumed === 0 || consumed !== trimmed.length) {
    throw inputError('notADuration', { what, text });
  }
  return total;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = Math.round(ms / 1000);
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const parts = [d && `${d}d`, h && `${h}h`, m && `${m}m`, s && `${s}s`].filter(Boolean);
  return parts.slice(0, 2).join(' ') || '0s';
}

/** Sizes are counted in powers of 1024, so they carry the binary (IEC) units that say so. */
export const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** A size in bytes for people: `512 B`, `1.5 KiB`, `340 MiB`. The one byte formatter of all views. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '–';
  const units = BYTE_UNITS;
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** A rate for people: `1.2 MiB/s`, `–` when unknown. The one rate formatter of all views. */
export function formatRate(bytesPerSecond: number | null): string {
  return bytesPerSecond === null ? '–' : `${formatBytes(bytesPerSecond)}/s`;
}
