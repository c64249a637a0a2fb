// Units and value text of alerts, and the lines an alert reads as: one wording, in English or
// Chinese (shared/i18n/alertText.ts), for the agent's notifications, VS Code's toasts and Alerts
// view and the CLI's alert history. Memory figures are divided by 1024², so they carry the binary
// units of formatBytes.
import { BYTE_UNITS, formatDuration } from './duration';
import type { Lang } from './i18n/catalogue';
import { alertTextMessages } from './i18n/alertText';
import { isFindingAlertMetric, type AlertEvent, type AlertMetric, type AlertSeverity } from './model';

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
export function formatAlertValue(value: number | null, unit: string, lang: Lang = 'en'): string {
  if (value === null) return lang === 'en' ? UNKNOWN_VALUE : alertTextMessages(lang).text('unknown');
  return withAlertUnit(Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10, unit);
}

/** A number already rounded, with its unit: "93.2%", "50 MiB/s", "3". */
export function withAlertUnit(value: number, unit: string): string {
  if (unit === '%') return `${value}%`;
  return unit ? `${value} ${unit}` : String(value);
}

/** What an alert line is made of: an engine transition and a stored or sent AlertEvent alike. */
export type AlertFacts = Pick<
  AlertEvent,
  | 'kind'
  | 'rule'
  | 'scope'
  | 'metric'
  | 'severity'
  | 'subject'
  | 'process'
  | 'value'
  | 'threshold'
  | 'operator'
  | 'unit'
  | 'firedAt'
  | 'ts'
>;

/** A word of the catalogue without parameters (the metric, kind and severity labels). */
type AlertTextId = Parameters<ReturnType<typeof alertTextMessages>['text']>[0];

const METRIC_LABEL: Record<AlertMetric, AlertTextId> = {
  cpu: 'metricCpu',
  memory: 'metricMemory',
  io_read: 'metricIoRead',
  io_write: 'metricIoWrite',
  process_count: 'metricProcessCount',
  absent: 'metricAbsent',
  memory_growth: 'metricMemoryGrowth',
  system_cpu: 'metricSystemCpu',
  system_memory: 'metricSystemMemory',
  leak: 'metricLeak',
  restart_loop: 'metricRestartLoop',
  anomaly: 'metricAnomaly',
};

const KIND_LABEL: Record<AlertFacts['kind'], AlertTextId> = {
  firing: 'kindFiring',
  repeat: 'kindRepeat',
  escalated: 'kindEscalated',
  resolved: 'kindResolved',
};

const SEVERITY_LABEL: Record<AlertSeverity, AlertTextId> = {
  critical: 'severityCritical',
  warning: 'severityWarning',
  info: 'severityInfo',
};

/** The metric's name as an alert says it ("machine cpu", "整机 CPU"). */
export function alertMetricLabel(metric: AlertMetric, lang: Lang = 'en'): string {
  return alertTextMessages(lang).text(METRIC_LABEL[metric]);
}

/** "FIRING", "RESOLVED"… */
export function alertKindLabel(kind: AlertFacts['kind'], lang: Lang = 'en'): string {
  return alertTextMessages(lang).text(KIND_LABEL[kind]);
}

/**
 * The value beside its threshold, with the fewest decimals that keep it on its own side: 49.99
 * against 50 reads "49.99%", not "50%" ("back to 50%" for a line of 50 reads like a contradiction).
 */
function formatAgainst(value: number | null, threshold: number, unit: string, lang: Lang): string {
  if (value === null) return formatAlertValue(value, unit, lang);
  const side = Math.sign(value - threshold);
  for (let decimals = Math.abs(value) >= 100 ? 0 : 1; decimals <= 3; decimals++) {
    const rounded = Math.round(value * 10 ** decimals) / 10 ** decimals;
    if (Math.sign(rounded - threshold) === side) return withAlertUnit(rounded, unit);
  }
  return withAlertUnit(value, unit); // closer than a thousandth: every digit
}

/** "node (pid 4242)", "3 × node", "machine". */
export function alertSubject(alert: Pick<AlertFacts, 'process' | 'subject'>, lang: Lang = 'en'): string {
  return alert.process
    ? alertTextMessages(lang)('subjectProcess', { name: alert.process.name, pid: alert.process.pid })
    : alert.subject;
}

/** One line, e.g. "node-cpu: node (pid 4242) cpu 93.2% > 80%". */
export function alertMessage(alert: AlertFacts, lang: Lang = 'en'): string {
  const t = alertTextMessages(lang);
  const who = alertSubject(alert, lang);
  const rule = alert.rule;
  if (alert.metric === 'absent')
    return t(alert.kind === 'resolved' ? 'absentResolved' : 'absentFiring', { rule, who });
  if (isFindingAlertMetric(alert.metric)) {
    // The culprit first: the finding (agent/analytics) is about that process.
    const label = alertMetricLabel(alert.metric, lang);
    if (alert.kind === 'resolved') return t('findingResolved', { rule, who, label });
    return alert.value !== null && alert.value > 1
      ? t('findingFiringMany', { rule, who, label, count: alert.value })
      : t('findingFiring', { rule, who, label });
  }
  // Machine metrics are labelled "machine cpu": no subject in front ("machine machine cpu").
  const label = alertMetricLabel(alert.metric, lang);
  const metric = alert.scope === 'machine' ? label : t('processMetric', { who, metric: label });
  const value = formatAgainst(alert.value, alert.threshold, alert.unit, lang);
  if (alert.kind === 'resolved') return t('valueResolved', { rule, metric, value });
  const threshold = formatAlertValue(alert.threshold, alert.unit, lang);
  return t('valueFiring', { rule, metric, value, operator: alert.operator, threshold });
}

/** "node-cpu: … on web-1": one alert for a reader of many machines (PagerDuty's summary). */
export function alertOnHost(alert: AlertFacts, host: string, lang: Lang = 'en'): string {
  return alertTextMessages(lang)('onHost', { message: alertMessage(alert, lang), host });
}

/** alertMessage of a sample sent by `alerts test`: "[test] …". */
export function testAlertMessage(alert: AlertFacts, lang: Lang = 'en'): string {
  return alertTextMessages(lang)('test', { message: alertMessage(alert, lang) });
}

/** "[FIRING] node-cpu: … — critical", with since when for a reminder or a resolve. */
export function alertLine(alert: AlertFacts, lang: Lang = 'en'): string {
  const t = alertTextMessages(lang);
  const parts = {
    kind: alertKindLabel(alert.kind, lang),
    message: alertMessage(alert, lang),
    severity: t.text(SEVERITY_LABEL[alert.severity]),
  };
  if (alert.kind === 'firing') return t('line', parts);
  return t('lineSince', {
    ...parts,
    since: new Date(alert.firedAt).toISOString(),
    lasted: formatDuration(alert.ts - alert.firedAt),
  });
}

/** "[FIRING] node-cpu on web-1", or for several "Process Tracker on web-1: 3 firing, 1 resolved". */
export function alertTitle(alerts: AlertFacts[], host: string, lang: Lang = 'en'): string {
  const t = alertTextMessages(lang);
  if (alerts.length === 1)
    return t('titleOne', { kind: alertKindLabel(alerts[0]!.kind, lang), rule: alerts[0]!.rule, host });
  const resolved = alerts.filter((a) => a.kind === 'resolved').length;
  const firing = alerts.length - resolved;
  if (resolved === 0) return t('titleFiring', { host, count: firing });
  if (firing === 0) return t('titleResolved', { host, count: resolved });
  return t('titleBoth', { host, firing, resolved });
}

/** At most `max` lines, then "… and N more", so a mass death stays one readable message. */
export function alertLines(alerts: AlertFacts[], lang: Lang = 'en', max = 20): string[] {
  const lines = alerts.slice(0, max).map((alert) => alertLine(alert, lang));
  if (alerts.length > max) lines.push(alertTextMessages(lang)('more', { count: alerts.length - max }));
  return lines;
}
