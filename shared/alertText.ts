// Units and value text of alerts, one wording for the agent's notifications and VS Code's Alerts
// view. Memory figures are divided by 1024², so they carry the binary units of formatBytes.
import { BYTE_UNITS } from './duration';
import type { AlertMetric } from './model';

const MIB = BYTE_UNITS[2];

/** The unit each metric's value and threshold are in. */
export const ALERT_UNITS: Readonly<Record<AlertMetric, string>> = {
  cpu: '%',
  memory: MIB,
  io_read: `${MIB}/s`,
  io_write: `${MIB}/s`,
  process_count: '',
  absent: '',
  memory_growth: `${MIB}/h`,
  system_cpu: '%',
  system_memory: '%',
  leak: '',
  restart_loop: '',
  anomaly: '',
};

/** What an alert says for a figure it could not read (a process gone, a file unreadable). */
export const UNKNOWN_VALUE = 'unknown';

/** "93.2%", "1235 MiB", "3": one decimal below 100, none from 100. */
export function formatAlertValue(value: number | null, unit: string): string {
  if (value === null) return UNKNOWN_VALUE;
  return withAlertUnit(Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10, unit);
}

/** A number already rounded, with its unit: "93.2%", "50 MiB/s", "3". */
export function withAlertUnit(value: number, unit: string): string {
  if (unit === '%') return `${value}%`;
  return unit ? `${value} ${unit}` : String(value);
}
