// Generic webhook: the user's JSON template, or a documented default body.
// Template variables: {{rule}} {{process}} {{pid}} {{value}} {{threshold}} {{severity}}
// {{status}} {{time}} {{host}} {{metric}} {{unit}} {{scope}} {{message}} {{summary}} {{count}},
// and {{alerts}} (a JSON array, to be placed outside quotes). Substituted text is JSON-escaped,
// so a process named `x", "admin": true` cannot break out of its string.
import { alertRuleMessages } from '../../../shared/i18n/alertRules';
import type { Lang } from '../../../shared/i18n/catalogue';
import type { AlertTransition, ChannelBase } from '../types';
import type { ChannelSchema } from './index';
import { JSON_HEADERS, type HttpRequest } from './http';
import { alertLines, alertMessage, alertTitle, subjectOf, type FormatContext } from './text';

export interface WebhookChannel extends ChannelBase {
  type: 'webhook';
  url: string;
  /** The body, with {{…}} variables (see the top of this file); a documented default without. */
  template?: string;
  headers?: Record<string, string>;
}

/** A plain, secret-free view of one alert, as placed in webhook bodies. */
export function alertJson(a: AlertTransition, lang: Lang = 'en') {
  return {
    status: a.kind === 'resolved' ? 'resolved' : 'firing',
    kind: a.kind,
    key: a.key,
    rule: a.rule,
    scope: a.scope,
    metric: a.metric,
    severity: a.severity,
    subject: a.subject,
    process: a.process ?? null,
    value: a.value,
    threshold: a.threshold,
    operator: a.operator,
    unit: a.unit,
    firedAt: new Date(a.firedAt).toISOString(),
    time: new Date(a.ts).toISOString(),
    message: alertMessage(a, lang),
  };
}

/** Distinct values joined; a group of 100 dead workers reads "worker" not 100 times. */
function joined(values: (string | number | null)[]): string {
  const distinct = [...new Set(values.map((v) => (v === null ? 'unknown' : String(v))))];
  return distinct.length > 5
    ? `${distinct.slice(0, 5).join(', ')} +${distinct.length - 5} more`
    : distinct.join(', ');
}

function variables(alerts: AlertTransition[], host: string, lang: Lang = 'en'): Record<string, string> {
  return {
    rule: joined(alerts.map((a) => a.rule)),
    process: joined(alerts.map((a) => (a.process ? a.process.name : a.subject))),
    pid: joined(alerts.map((a) => a.process?.pid ?? null)),
    value: joined(alerts.map((a) => (a.value === null ? null : Math.round(a.value * 100) / 100))),
    threshold: joined(alerts.map((a) => a.threshold)),
    severity: joined(alerts.map((a) => a.severity)),
    status: alerts.some((a) => a.kind !== 'resolved') ? 'firing' : 'resolved',
    time: new Date(Math.max(...alerts.map((a) => a.ts))).toISOString(),
    host,
    metric: joined(alerts.map((a) => a.metric)),
    unit: joined(alerts.map((a) => a.unit)),
    scope: joined(alerts.map((a) => a.scope)),
    message:
      alerts.length === 1
        ? alertMessage(alerts[0]!, lang)
        : joined(alerts.map((alert) => subjectOf(alert, lang))),
    summary: alertLines(alerts, lang).join('\n'),
    count: String(alerts.length),
  };
}

const escapeJson = (text: string) => JSON.stringify(text).slice(1, -1);

/** The template filled in; `message`, `summary` and each alert's `message` are in `lang`. */
export function renderTemplate(
  template: string,
  alerts: AlertTransition[],
  host = 'localhost',
  lang: Lang = 'en',
): string {
  const vars = variables(alerts, host, lang);
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => {
    if (name === 'alerts') return JSON.stringify(alerts.map((alert) => alertJson(alert, lang)));
    const value = vars[name];
    return value === undefined ? whole : escapeJson(value);
  });
}

export function format(channel: WebhookChannel, alerts: AlertTransition[], ctx: FormatContext): HttpRequest {
  const body = channel.template
    ? renderTemplate(channel.template, alerts, ctx.host, ctx.lang)
    : JSON.stringify({
        version: 1,
        source: 'process-tracker',
        host: ctx.host,
        status: variables(alerts, ctx.host).status,
        title: alertTitle(alerts, ctx.host, ctx.lang),
        text: alertLines(alerts, ctx.lang).join('\n'),
        alerts: alerts.map((alert) => alertJson(alert, ctx.lang)),
      });
  return { url: channel.url, headers: { ...JSON_HEADERS, ...channel.headers }, body };
}

/** A stand-in alert for validating templates and for `alerts test`. */
export const SAMPLE_ALERT: AlertTransition = {
  kind: 'firing',
  key: 'sample|all',
  rule: 'sample-rule',
  scope: 'all',
  metric: 'cpu',
  severity: 'info',
  subject: 'node',
  process: { pid: 4242, startTime: 0, name: 'node', cmdline: 'node server.js' },
  value: 93.5,
  threshold: 80,
  operator: '>',
  unit: '%',
  firedAt: 0,
  ts: 0,
  channels: [],
};

/** The channel's fields; a template is tried on SAMPLE_ALERT, so a broken one is found on load. */
export const schema: ChannelSchema<WebhookChannel> = {
  keys: ['url', 'template', 'headers'],
  read(r, obj, path) {
    const url = r.httpUrl(obj, 'url', path, 'url: https://example.com/hook');
    const template = r.string(obj, 'template', path, `template: '{"text": "{{rule}}: {{value}}"}'`);
    if (template !== undefined) {
      try {
        JSON.parse(renderTemplate(template, [SAMPLE_ALERT]));
      } catch (error) {
        r.fail(
          [...path, 'template'],
          alertRuleMessages.ref('templateNotJson', {
            detail: (error as Error).message,
            braces: '{{…}}',
            example: `'{"text": "{{rule}} at {{value}}"}'`,
          }),
        );
      }
    }
    let headers: Record<string, string> | undefined;
    if (obj.headers !== undefined) {
      const h = r.map(obj.headers, [...path, 'headers'], 'headers: { Authorization: "Bearer …" }');
      for (const [k, v] of Object.entries(h)) {
        if (typeof v !== 'string')
          r.fail(
            [...path, 'headers', k],
            alertRuleMessages.ref('notTextItem', { example: 'Authorization: "Bearer …"' }),
          );
      }
      headers = h as Record<string, string>;
    }
    return { type: 'webhook', url, ...(template ? { template } : {}), ...(headers ? { headers } : {}) };
  },
};
