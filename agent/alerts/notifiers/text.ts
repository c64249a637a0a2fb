// Human wording of alerts, shared by every channel and by the toast message.
import { formatAlertValue, withAlertUnit } from '../../../shared/alertText';
import { formatDuration } from '../../../shared/duration';
import { isFindingAlertMetric } from '../../../shared/model';
import type { AlertTransition, TransitionKind } from '../types';

/** What every formatter receives besides the alerts. */
export interface FormatContext {
  /** Send time, ms since the epoch (signatures are computed from it). */
  now: number;
  /** The machine's name: a team channel hears from many machines. */
  host: string;
}

const METRIC_LABEL: Record<AlertTransition['metric'], string> = {
  cpu: 'cpu',
  memory: 'memory',
  io_read: 'disk read',
  io_write: 'disk write',
  process_count: 'process count',
  absent: 'running',
  memory_growth: 'memory growth',
  system_cpu: 'machine cpu',
  system_memory: 'machine memory',
  leak: 'memory leak',
  restart_loop: 'restart loop',
  anomaly: 'anomaly',
};

const KIND_LABEL: Record<TransitionKind, string> = {
  firing: 'FIRING',
  repeat: 'STILL FIRING',
  escalated: 'ESCALATED',
  resolved: 'RESOLVED',
};

/**
 * The value beside its threshold, with the fewest decimals that keep it on its own side: 49.99
 * against 50 reads "49.99%", not "50%" ("back to 50%" for a line of 50 reads like a contradiction).
 */
function formatAgainst(value: number | null, threshold: number, unit: string): string {
  if (value === null) return formatAlertValue(value, unit);
  const side = Math.sign(value - threshold);
  for (let decimals = Math.abs(value) >= 100 ? 0 : 1; decimals <= 3; decimals++) {
    const rounded = Math.round(value * 10 ** decimals) / 10 ** decimals;
    if (Math.sign(rounded - threshold) === side) return withAlertUnit(rounded, unit);
  }
  return withAlertUnit(value, unit); // closer than a thousandth: every digit
}

/** "node (pid 4242)", "3 × node", "machine". */
export function subjectOf(alert: AlertTransition): string {
  return alert.process ? `${alert.process.name} (pid ${alert.process.pid})` : alert.subject;
}

/** One line, e.g. "node-cpu: node (pid 4242) cpu 93.2% > 80%". */
export function alertMessage(alert: AlertTransition): string {
  const who = subjectOf(alert);
  if (alert.metric === 'absent') {
    return alert.kind === 'resolved'
      ? `${alert.rule}: ${who} is running again`
      : `${alert.rule}: ${who} is not running`;
  }
  if (isFindingAlertMetric(alert.metric)) {
    // The culprit first: the finding (agent/analytics) is about that process.
    const label = METRIC_LABEL[alert.metric];
    return alert.kind === 'resolved'
      ? `${alert.rule}: ${who}: ${label} no longer found`
      : `${alert.rule}: ${who}: ${label} found${alert.value !== null && alert.value > 1 ? ` (${alert.value} findings)` : ''}`;
  }
  // Machine metrics are labelled "machine cpu": no subject in front ("machine machine cpu").
  const metric =
    alert.scope === 'machine' ? METRIC_LABEL[alert.metric] : `${who} ${METRIC_LABEL[alert.metric]}`;
  const value = formatAgainst(alert.value, alert.threshold, alert.unit);
  if (alert.kind === 'resolved') return `${alert.rule}: ${metric} back to ${value}`;
  return `${alert.rule}: ${metric} ${value} ${alert.operator} ${formatAlertValue(alert.threshold, alert.unit)}`;
}

export function alertLine(alert: AlertTransition): string {
  const lasted =
    alert.kind === 'firing'
      ? ''
      : ` (since ${new Date(alert.firedAt).toISOString()}, ${formatDuration(alert.ts - alert.firedAt)})`;
  return `[${KIND_LABEL[alert.kind]}] ${alertMessage(alert)} — ${alert.severity}${lasted}`;
}

/** "web-1: 3 firing, 1 resolved". */
export function alertTitle(alerts: AlertTransition[], host: string): string {
  const counts = new Map<string, number>();
  for (const a of alerts) {
    const label = a.kind === 'resolved' ? 'resolved' : 'firing';
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const parts = [...counts].map(([label, n]) => `${n} ${label}`);
  if (alerts.length === 1) return `[${KIND_LABEL[alerts[0]!.kind]}] ${alerts[0]!.rule} on ${host}`;
  return `Process Tracker on ${host}: ${parts.join(', ')}`;
}

/** At most `max` lines, then "… and N more", so a mass death stays one readable message. */
export function alertLines(alerts: AlertTransition[], max = 20): string[] {
  const lines = alerts.slice(0, max).map(alertLine);
  if (alerts.length > max) lines.push(`… and ${alerts.length - max} more`);
  return lines;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Truncates to a byte budget (WeCom and DingTalk count UTF-8 bytes, not characters). */
export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let cut = text.slice(0, maxBytes);
  while (Buffer.byteLength(cut) > maxBytes - 3) cut = cut.slice(0, -1);
  return `${cut}…`;
}
