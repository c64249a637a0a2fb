// Pure text and choices for the alert surfaces: the toast (severity, message, actions), the
// Alerts view's rows, the history report, and where a rule problem sits in the file. No `vscode`
// import, so it is unit-tested under node; the caller passes its translation function.
import { ALERT_METRICS, type ActiveAlert, type AlertEvent, type AlertSeverity } from '../../shared/model';
import type { AlertHistoryRequest, AlertRuleProblem, AlertRulesStatus } from '../../shared/protocol';
import { escapeMarkdown, untranslated, type Translate } from '../format';
import { alertMessage, formatAlertValue, testAlertMessage } from '../../shared/alertText';
import type { Lang } from '../../shared/i18n/catalogue';
import { formatLocalTime } from '../../shared/time';

export type ToastLevel = 'error' | 'warning' | 'info';

export type ToastAction = 'showProcess' | 'openHistory' | 'silence' | 'kill';

const LEVELS: Record<AlertSeverity, ToastLevel> = { critical: 'error', warning: 'warning', info: 'info' };

export function toastLevel(event: Pick<AlertEvent, 'severity' | 'kind'>): ToastLevel {
  // A cleared alert is good news whatever its rule's severity.
  return event.kind === 'resolved' ? 'info' : LEVELS[event.severity];
}

/** False for transitions a silence or maintenance window held back: those only update the view. */
export function shouldToast(event: Pick<AlertEvent, 'suppressed'>): boolean {
  return !event.suppressed;
}

/**
 * The event's line in `lang`, made again from its fields (the agent's `message` is English, as
 * it logs and stores it); without a language, the agent's line as it came.
 */
export function eventMessage(event: AlertEvent, lang?: Lang): string {
  if (!lang) return event.message;
  return event.test ? testAlertMessage(event, lang) : alertMessage(event, lang);
}

export function toastMessage(event: AlertEvent, t: Translate = untranslated, lang?: Lang): string {
  // A test's line says "[test]"; the kind says the rest.
  const message = eventMessage(event, lang);
  switch (event.kind) {
    case 'resolved':
      return t('Process Tracker: resolved: {0}', message);
    case 'repeat':
      return t('Process Tracker: still firing: {0}', message);
    case 'escalated':
      return t('Process Tracker: escalated: {0}', message);
    default:
      return t('Process Tracker alert: {0}', message);
  }
}

/**
 * The toast's buttons, in order. Show Process and Kill need a process; Kill also a trusted
 * workspace and an alert still firing; a test or a resolved alert cannot be silenced.
 */
export function toastActions(
  event: Pick<AlertEvent, 'kind' | 'process' | 'test'>,
  canKill: boolean,
): ToastAction[] {
  const actions: ToastAction[] = [];
  if (event.process) actions.push('showProcess');
  actions.push('openHistory');
  if (!event.test && event.kind !== 'resolved') actions.push('silence');
  if (event.process && canKill && !event.test && event.kind !== 'resolved') actions.push('kill');
  return actions;
}

export function actionTitle(action: ToastAction, t: Translate = untranslated): string {
  switch (action) {
    case 'showProcess':
      return t('Show Process');
    case 'openHistory':
      return t('Open History');
    case 'silence':
      return t('Silence 1 h');
    case 'kill':
      return t('Kill');
  }
}

/** The Alerts view's row: "node-cpu" with "node (pid 42) · 93% > 80% · firing since 14:32". */
export function alertRowDescription(alert: ActiveAlert, t: Translate = untranslated): string {
  const who = alert.process ? `${alert.process.name} (PID ${alert.process.pid})` : alert.subject;
  const value =
    alert.metric === 'absent'
      ? t('not running')
      : `${formatAlertValue(alert.value, alert.unit)} / ${formatAlertValue(alert.threshold, alert.unit)}`;
  const since = formatLocalTime(alert.since);
  const state = alert.state === 'firing' ? t('firing since {0}', since) : t('pending since {0}', since);
  const held = alert.suppressed ? ` · ${t('silenced')}` : '';
  return `${who} · ${value} · ${state}${held}`;
}

export function alertIcon(alert: Pick<ActiveAlert, 'state' | 'severity' | 'suppressed'>): {
  icon: string;
  color?: string;
} {
  if (alert.suppressed) return { icon: 'bell-slash' };
  if (alert.state === 'pending') return { icon: 'watch' };
  if (alert.severity === 'critical') return { icon: 'error', color: 'errorForeground' };
  if (alert.severity === 'warning') return { icon: 'warning', color: 'list.warningForeground' };
  return { icon: 'info' };
}

const KIND_LABELS: Record<AlertEvent['kind'], string> = {
  firing: 'firing',
  resolved: 'resolved',
  repeat: 'still firing',
  escalated: 'escalated',
};

/** "Process Tracker: Alert History" as a markdown report: counts per rule, then the events. */
export function alertHistoryMarkdown(
  result: AlertHistoryRequest.Result,
  t: Translate = untranslated,
  lang?: Lang,
): string {
  const lines = [
    `# ${t('Alert history')}`,
    '',
    t('From {0} to {1}: {2} events.', formatLocalTime(result.from), formatLocalTime(result.to), result.total),
    '',
  ];
  if (result.counts.length) {
    lines.push(
      `| ${t('Rule')} | ${t('Fired')} | ${t('Resolved')} | ${t('Reminders')} | ${t('Held back')} |`,
      '|---|---:|---:|---:|---:|',
      ...result.counts.map(
        (c) =>
          `| ${escapeMarkdown(c.rule)} | ${c.firing} | ${c.resolved} | ${c.reminders} | ${c.suppressed} |`,
      ),
      '',
    );
  }
  if (!result.events.length) {
    lines.push(t('No alerts in this range.'));
  } else {
    lines.push(
      `| ${t('Time')} | ${t('Event')} | ${t('Severity')} | ${t('Message')} |`,
      '|---|---|---|---|',
      ...result.events.map((e) => {
        const kind = t(KIND_LABELS[e.kind]) + (e.suppressed ? ` (${t('held back')})` : '');
        return `| ${formatLocalTime(e.ts)} | ${kind} | ${e.severity} | ${escapeMarkdown(eventMessage(e, lang))} |`;
      }),
    );
    if (result.total > result.events.length)
      lines.push('', t('Showing the newest {0} of {1}.', result.events.length, result.total));
  }
  if (result.oldestKept !== null)
    lines.push('', t('The agent keeps alert history back to {0}.', formatLocalTime(result.oldestKept)));
  return `${lines.join('\n')}\n`;
}

/** Problems that belong to `file` (the agent names the file by its full path, or by "settings"). */
export function problemsOfFile(status: AlertRulesStatus, file: string): AlertRuleProblem[] {
  return status.problems.filter(
    (p) => p.where === file || (p.where !== 'settings' && file.endsWith(`/${p.where}`)),
  );
}

/** A problem's 0-based line: the agent's 1-based line, else the first line. */
export function problemLine(problem: { line?: number }): number {
  return problem.line && problem.line > 0 ? problem.line - 1 : 0;
}

/** "a | b | c" as comment lines of about 60 characters, continued under `indent`. */
function commentChoices(values: readonly string[], indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const value of values) {
    const next = line ? `${line} | ${value}` : value;
    if (line && next.length > 60) {
      lines.push(`${line} |`);
      line = value;
    } else line = next;
  }
  return [...lines, line].join(`\n${indent}`);
}

/** What a new rules file holds: a commented example a user can switch on line by line. */
export const EXAMPLE_RULES_FILE = `# Process Tracker alert rules. Saving this file reloads them; a broken rule is reported with
# its line and field, and the other rules keep working. Keep this file private (chmod 600): it
# may hold webhook URLs and passwords. Instead of a secret you can write \${secret:NAME} and set
# NAME with "Process Tracker: Set Alert Secret…". Every field: see the README.
#
# rules:
#   - name: node-cpu
#     metric: cpu                 # ${commentChoices(ALERT_METRICS, '#                                 # ')}
#     match: { command: 'node .*server' }   # or name / category / pid / user
#     aggregate: max              # max | avg | sum
#     operator: '>'
#     threshold: 80               # percent of one core
#     resolve_below: 70
#     for: 5m
#     severity: warning           # critical | warning | info
#     repeat: 1h
#     channels: [team-hook]
#
# channels:
#   team-hook:
#     type: webhook               # webhook | slack | discord | dingtalk | wecom | feishu | telegram | email | pagerduty
#     url: '\${secret:team-hook-url}'
#     template: '{"text": "{{rule}}: {{process}} at {{value}}"}'
rules: []
`;
